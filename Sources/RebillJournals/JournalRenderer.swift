import Foundation
import RebillModel

/// What a layout may need beyond the entries (DATEV's header record).
public struct RenderContext: Sendable {
  public var runDate: CalendarDate?
  public var legalEntity: String

  public init(runDate: CalendarDate?, legalEntity: String) {
    self.runDate = runDate
    self.legalEntity = legalEntity
  }
}

/// Writes journal entries in a layout, as the bytes of its file. Pure and deterministic.
public enum JournalRenderer {
  public static func render(
    _ entries: [JournalEntry], layout: JournalLayout, context: RenderContext
  ) -> [UInt8] {
    let text: String
    switch layout.kind {
    case .table: text = table(entries, layout, context)
    case .hledger: text = hledger(entries, layout)
    case .beancount: text = beancount(entries, layout)
    }
    var bytes: [UInt8] = []
    switch layout.encoding {
    case .utf8:
      if layout.byteOrderMark { bytes = [0xEF, 0xBB, 0xBF] }
      bytes += Array(text.utf8)
    case .windows1252:
      bytes += windows1252(text)
    }
    return bytes
  }

  // MARK: Tables

  static func table(_ entries: [JournalEntry], _ layout: JournalLayout, _ context: RenderContext)
    -> String
  {
    var records: [[String]] = []
    let batch = "REBILL-\(context.runDate?.compact ?? "0")"
    if !layout.preamble.isEmpty {
      let dates = entries.map(\.date)
      let from = dates.min() ?? context.runDate ?? CalendarDate(daysSinceEpoch: 0)
      let to = dates.max() ?? from
      let values: [String: String] = [
        "created": (context.runDate?.compact ?? from.compact) + "000000000",
        "period_from": from.compact, "period_to": to.compact,
        "fiscal_year_start": String(from.compact.prefix(4)) + "0101",
        "currency": entries.first?.currency.code ?? "EUR", "legal_entity": context.legalEntity,
        "batch": batch,
      ]
      for record in layout.preamble { records.append(record.map { fill($0, values) }) }
    }
    if layout.header { records.append(layout.columns.map(\.name)) }
    for entry in entries {
      var rows: [(Posting, Posting?)] = []
      if layout.pairs {
        rows = pairs(entry)
      } else {
        rows = entry.postings.map { ($0, nil) }
      }
      for (index, (posting, contra)) in rows.enumerated() {
        let values = fields(entry, posting, contra, index + 1, layout, context, batch)
        records.append(
          layout.columns.map { column in
            column.firstRowOnly && index > 0 ? "" : fill(column.value, values)
          })
      }
    }
    return records.map { record in
      record.map { quote($0, layout) }.joined(separator: layout.delimiter)
    }.joined(separator: layout.lineEnding) + (records.isEmpty ? "" : layout.lineEnding)
  }

  /// Debit/credit pairs: a document's postings each against its receivable (the first
  /// posting); an accrual's postings two by two, as they were made.
  static func pairs(_ entry: JournalEntry) -> [(Posting, Posting?)] {
    let postings = entry.postings
    if postings.first?.account.role == .receivables {
      return postings.dropFirst().map { ($0, postings[0]) }
    }
    return stride(from: 0, to: postings.count - 1, by: 2).map { (postings[$0], postings[$0 + 1]) }
  }

  static func fields(
    _ entry: JournalEntry, _ posting: Posting, _ contra: Posting?, _ line: Int,
    _ layout: JournalLayout, _ context: RenderContext, _ batch: String
  ) -> [String: String] {
    let amount = posting.amount
    var values: [String: String] = [
      "entry": entry.id, "date": format(entry.date, layout.dateFormat), "document": entry.id,
      "description": entry.description, "line": String(line), "account": posting.account.code,
      "account_name": posting.account.name, "account_ledger": posting.account.ledger,
      "contra_account": contra?.account.code ?? "",
      "contra_account_name": contra?.account.name ?? "",
      "currency": amount.currency.code, "memo": posting.memo,
      "customer": posting.customer?.value ?? "", "contract": posting.contract?.value ?? "",
      "project": posting.project?.value ?? "", "source": posting.source,
      "legal_entity": context.legalEntity, "batch": batch,
    ]
    let magnitude = number(
      Money(minorUnits: abs(amount.minorUnits), currency: amount.currency), layout)
    values["debit"] = amount.minorUnits > 0 ? magnitude : ""
    values["credit"] = amount.minorUnits < 0 ? magnitude : ""
    switch layout.amountStyle {
    case .flag(let debit, let credit):
      values["amount"] = magnitude
      values["flag"] = amount.minorUnits < 0 ? credit : debit
    case .debitCredit, .signed:
      values["amount"] = number(amount, layout)
      values["flag"] = ""
    }
    return values
  }

  /// An amount with the layout's decimals (never fewer than the currency's) and separator.
  static func number(_ money: Money, _ layout: JournalLayout) -> String {
    let scale = max(layout.decimals ?? money.currency.minorUnits, money.currency.minorUnits)
    var units = Int128(money.minorUnits)
    for _ in 0..<(scale - money.currency.minorUnits) { units *= 10 }
    let text = formatScaled(units, scale: scale)
    return layout.decimalSeparator == "."
      ? text : text.replacingOccurrences(of: ".", with: layout.decimalSeparator)
  }

  /// `{field}` replaced by its value; anything else kept.
  static func fill(_ template: String, _ values: [String: String]) -> String {
    var out = ""
    var rest = Substring(template)
    while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
      out += rest[..<open]
      let name = String(rest[rest.index(after: open)..<close])
      out += values[name] ?? "{\(name)}"
      rest = rest[rest.index(after: close)...]
    }
    return out + rest
  }

  static func quote(_ field: String, _ layout: JournalLayout) -> String {
    let needs: Bool
    switch layout.quoting {
    case .all: needs = true
    case .text: needs = !field.isEmpty && !isNumber(field, layout.decimalSeparator)
    case .minimal:
      needs = field.contains(where: {
        $0 == "\"" || $0 == "\n" || $0 == "\r" || String($0) == layout.delimiter
      })
    }
    return needs ? "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : field
  }

  static func isNumber(_ text: String, _ separator: String) -> Bool {
    var digits = 0
    for (i, c) in text.enumerated() {
      if c.isASCII && c.isNumber {
        digits += 1
      } else if !(c == "-" && i == 0) && String(c) != separator {
        return false
      }
    }
    return digits > 0
  }

  /// `YYYY`, `YY`, `MM`, `DD` replaced; anything else literal.
  public static func format(_ date: CalendarDate, _ pattern: String) -> String {
    let (y, m, d) = date.components
    func two(_ v: Int) -> String { v < 10 ? "0\(v)" : String(v) }
    let year = String(y)
    return pattern.replacingOccurrences(of: "YYYY", with: year)
      .replacingOccurrences(of: "YY", with: String(year.suffix(2)))
      .replacingOccurrences(of: "MM", with: two(m)).replacingOccurrences(of: "DD", with: two(d))
  }
}
