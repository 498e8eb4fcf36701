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
    var sink = MemorySink()
    render(entries, layout: layout, context: context, to: &sink)
    return sink.bytes
  }

  /// Renders straight into `sink`, in the layout's encoding, piece by piece: the head, then
  /// the body of every entry.
  public static func render(
    _ entries: [JournalEntry], layout: JournalLayout, context: RenderContext,
    to sink: inout some ByteSink
  ) {
    renderHead(entries, layout: layout, context: context, to: &sink)
    renderBody(entries[...], layout: layout, context: context, to: &sink)
  }

  /// What comes before the entries: the byte order mark, a table's preamble and header row, a
  /// ledger's declarations. It depends on every entry (their dates, currencies and accounts),
  /// and nothing else of the file depends on it: the body may be rendered in pieces, on other
  /// threads, before or after it.
  public static func renderHead(
    _ entries: [JournalEntry], layout: JournalLayout, context: RenderContext,
    to sink: inout some ByteSink
  ) {
    if layout.encoding == .utf8 && layout.byteOrderMark { sink.write([0xEF, 0xBB, 0xBF]) }
    withEmitters(layout, &sink) { emit, _ in
      switch layout.kind {
      case .table: tableHead(entries, layout, context, emit)
      case .hledger: hledgerHead(entries, layout, emit)
      case .beancount: beancountHead(entries, layout, emit)
      }
    }
  }

  /// The entries' lines, as they follow the head (`renderHead`) and the entries before them.
  public static func renderBody(
    _ entries: ArraySlice<JournalEntry>, layout: JournalLayout, context: RenderContext,
    to sink: inout some ByteSink
  ) {
    withEmitters(layout, &sink) { emit, emitLine in
      switch layout.kind {
      case .table: table(entries, layout, context, emitLine)
      case .hledger: hledger(entries, layout, emitLine)
      case .beancount: beancount(entries, layout, emit)
      }
    }
  }

  /// Text and lines written into `sink` in the layout's encoding.
  static func withEmitters(
    _ layout: JournalLayout, _ sink: inout some ByteSink,
    _ body: (_ emit: (String) -> Void, _ emitLine: (ByteLine) -> Void) -> Void
  ) {
    let windows = layout.encoding == .windows1252
    func emit(_ text: String) {
      if windows { sink.write(windows1252(text)) } else { sink.write(text) }
    }
    func emitLine(_ line: ByteLine) {
      if windows && !line.isASCII {
        sink.write(windows1252(String(decoding: line.bytes, as: UTF8.self)))
      } else {
        line.write(to: &sink)
      }
    }
    body(emit, emitLine)
  }

  // MARK: Tables

  /// The batch a table's rows and preamble name.
  static func batch(_ context: RenderContext) -> String {
    "REBILL-\(context.runDate?.compact ?? "0")"
  }

  static func tableHead(
    _ entries: [JournalEntry], _ layout: JournalLayout, _ context: RenderContext,
    _ emit: (String) -> Void
  ) {
    func record(_ cells: [String]) {
      emit(cells.map { quote($0, layout) }.joined(separator: layout.delimiter) + layout.lineEnding)
    }
    if !layout.preamble.isEmpty {
      let dates = entries.map(\.date)
      let from = dates.min() ?? context.runDate ?? CalendarDate(daysSinceEpoch: 0)
      let to = dates.max() ?? from
      let values: [String: String] = [
        "created": (context.runDate?.compact ?? from.compact) + "000000000",
        "period_from": from.compact, "period_to": to.compact,
        "fiscal_year_start": String(from.compact.prefix(4)) + "0101",
        "currency": mainCurrency(entries)?.code ?? "EUR", "legal_entity": context.legalEntity,
        "batch": batch(context),
      ]
      for cells in layout.preamble { record(cells.map { fill($0, values) }) }
    }
    if layout.header { record(layout.columns.map(\.name)) }
  }

  static func table(
    _ entries: ArraySlice<JournalEntry>, _ layout: JournalLayout, _ context: RenderContext,
    _ emitLine: (ByteLine) -> Void
  ) {
    // Templates are parsed once, into columns and segments that hold no reference (a text is
    // a range of `texts`): each row then only looks its fields up and writes bytes, with no
    // string retained per cell.
    var texts: [UInt8] = []
    var segments: [FlatSegment] = []
    var columns: [FlatColumn] = []
    for column in layout.columns {
      let first = segments.count
      for segment in compile(column.value) {
        switch segment {
        case .field(let field): segments.append(.field(field))
        case .text(let text):
          let start = texts.count
          texts.append(contentsOf: text.utf8)
          segments.append(.text(start..<texts.count))
        }
      }
      let only: Field? =
        if segments.count == first + 1, case .field(let field) = segments[first] { field } else {
          nil
        }
      columns.append(
        FlatColumn(
          firstRowOnly: column.firstRowOnly, segments: first..<segments.count, onlyField: only))
    }
    let delimiter = Array(layout.delimiter.utf8)
    let delimiterByte = delimiter.count == 1 ? delimiter[0] : nil
    let lineEnding = Array(layout.lineEnding.utf8)
    var line = ByteLine()
    var dates = DayTexts { format($0, layout.dateFormat) }
    let file = FileValues(layout: layout, context: context, batch: batch(context))
    let quoting = file.quoting
    // Entries and postings read in place, by position (a copy of one copies it whole, and
    // retains and releases what it holds).
    texts.withUnsafeBufferPointer { texts in
      entries.withUnsafeBufferPointer { entries in
        for e in entries.indices {
          let entry = entries.baseAddress! + e
          let row = Row(entry: entry, date: dates.name(entry.pointee.date), file: file)
          entry.pointee.postings.withUnsafeBufferPointer { postings in
            let base = postings.baseAddress!
            forEachRow(postings, pairs: layout.pairs) { index, p, c in
              let posting = base + p
              let contra = c.map { base + $0 }
              for i in columns.indices {
                let column = columns[i]
                if i > 0 {
                  if let byte = delimiterByte {
                    line.append(byte)
                  } else {
                    delimiter.withUnsafeBufferPointer { line.append($0) }
                  }
                }
                if column.firstRowOnly && index > 0 { continue }
                let start = line.count
                var mayQuote = true
                if let field = column.onlyField {
                  mayQuote = row.append(field, posting, contra, line: index + 1, to: &line)
                } else {
                  for j in column.segments {
                    switch segments[j] {
                    case .field(let field):
                      row.append(field, posting, contra, line: index + 1, to: &line)
                    case .text(let range): line.append(UnsafeBufferPointer(rebasing: texts[range]))
                    }
                  }
                }
                quoting.finish(&line, from: start, mayQuote: mayQuote)
              }
              lineEnding.withUnsafeBufferPointer { line.append($0) }
              line.handOn(emitLine)
            }
          }
        }
      }
    }
    if !line.isEmpty { emitLine(line) }
  }

  /// A column of a table layout: its segments' positions among all the columns' segments.
  struct FlatColumn {
    let firstRowOnly: Bool
    let segments: Range<Int>
    /// The one field the column is, when it is nothing else (most are): no segments to walk.
    let onlyField: Field?
  }

  /// A `Segment` that holds no reference: literal text is the bytes at a range of the
  /// layout's texts.
  enum FlatSegment {
    case text(Range<Int>)
    case field(Field)
  }

  /// The currency most entries are in (ties: the first by code): a preamble's one currency,
  /// whatever order the entries come in.
  static func mainCurrency(_ entries: [JournalEntry]) -> Currency? {
    var counts: [Currency: Int] = [:]
    for entry in entries { counts[entry.currency, default: 0] += 1 }
    return counts.keys.sorted().max { counts[$0]! < counts[$1]! }
  }

  enum Segment {
    case text(String)
    case field(Field)
  }

  /// A field a row template names, resolved once (a switch on a string per cell is slow).
  enum Field: String {
    case entry, date, document, description, line, account
    case accountName = "account_name"
    case accountLedger = "account_ledger"
    case contraAccount = "contra_account"
    case contraAccountName = "contra_account_name"
    case debit, credit, amount, flag, currency, memo, customer, contract, project, source
    case legalEntity = "legal_entity"
    case batch
  }

  /// A template as literal text and fields.
  static func compile(_ template: String) -> [Segment] {
    var segments: [Segment] = []
    var rest = Substring(template)
    while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
      if open > rest.startIndex { segments.append(.text(String(rest[..<open]))) }
      let name = String(rest[rest.index(after: open)..<close])
      segments.append(Field(rawValue: name).map(Segment.field) ?? .text("{\(name)}"))
      rest = rest[rest.index(after: close)...]
    }
    if !rest.isEmpty { segments.append(.text(String(rest))) }
    return segments
  }

  /// The rows of an entry as positions of its postings (row index, posting, contra posting):
  /// each posting alone, or (`pairs`) as debit/credit pairs: a document's postings each
  /// against its receivable (the first posting), an accrual's two by two, as they were made.
  static func forEachRow(
    _ postings: UnsafeBufferPointer<Posting>, pairs: Bool, _ body: (Int, Int, Int?) -> Void
  ) {
    guard pairs else {
      for i in postings.indices { body(i, i, nil) }
      return
    }
    if postings.first?.role == .receivables {
      for i in postings.indices.dropFirst() { body(i - 1, i, 0) }
      return
    }
    for (index, i) in stride(from: 0, to: postings.count - 1, by: 2).enumerated() {
      body(index, i, i + 1)
    }
  }

  /// What every row of a file writes the same way, worked out once per file: the batch, the
  /// legal entity, how amounts are written and how cells are quoted. A class: each entry's
  /// `Row` holds it, and a copy of a struct this size (its layout's strings and arrays
  /// retained one by one) per entry cost more than the entry's cells.
  final class FileValues {
    let batch: Name
    let legalEntity: Name
    let layout: JournalLayout
    /// The layout's decimal separator, when it is one byte.
    let point: UInt8?
    /// Amounts as magnitudes (a debit/credit flag beside them).
    let magnitude: Bool
    let flag: (debit: Name, credit: Name)?
    let quoting: CellQuoting

    init(layout: JournalLayout, context: RenderContext, batch: String) {
      self.batch = Name(verbatim: batch)
      legalEntity = Name(verbatim: context.legalEntity)
      self.layout = layout
      let separator = Array(layout.decimalSeparator.utf8)
      point = separator.count == 1 ? separator[0] : nil
      quoting = CellQuoting(layout)
      if case .flag(let debit, let credit) = layout.amountStyle {
        magnitude = true
        flag = (Name(verbatim: debit), Name(verbatim: credit))
      } else {
        magnitude = false
        flag = nil
      }
    }
  }

  /// The values of one entry's rows.
  struct Row {
    let entry: UnsafePointer<JournalEntry>
    let date: Name
    let file: FileValues

    /// Writes a field's value for the posting at `posting` (against the one at `contra`, row
    /// `line` of the entry) into `cell`. Postings by pointer: read in place, never copied.
    /// Whether the value may hold a byte a cell is quoted for (the delimiter, a quote or a line
    /// break): false when a name's words or floor, or a number's bytes, say it cannot
    /// (`CellQuoting.finish(_:from:mayQuote:)` then leaves the cell unscanned).
    @discardableResult func append(
      _ field: Field, _ posting: UnsafePointer<Posting>, _ contra: UnsafePointer<Posting>?,
      line: Int, to cell: inout ByteLine
    ) -> Bool {
      @inline(__always) func name(_ name: Name) -> Bool {
        cell.append(name)
        return RowCursor.mayQuote(name, file.quoting.ceiling)
      }
      switch field {
      case .entry, .document: return name(entry.pointee.id)
      case .date: return name(date)
      case .description: cell.append(entry.pointee.description)
      case .line:
        cell.appendInteger(line)
        return !file.quoting.plainNumbers
      case .account: return name(entry.pointee.account(of: posting.pointee).code)
      case .accountName: return name(entry.pointee.account(of: posting.pointee).name)
      case .accountLedger: return name(entry.pointee.account(of: posting.pointee).ledger)
      case .contraAccount:
        return name(contra.map { entry.pointee.account(of: $0.pointee).code } ?? .empty)
      case .contraAccountName:
        return name(contra.map { entry.pointee.account(of: $0.pointee).name } ?? .empty)
      case .currency: cell.append(code: posting.pointee.amount.currency)
      case .memo: cell.append(posting.pointee.memo)
      case .customer: return name(posting.pointee.customer?.name ?? .empty)
      case .contract: return name(posting.pointee.contract?.name ?? .empty)
      case .project: return name(posting.pointee.project?.name ?? .empty)
      case .source: return name(posting.pointee.source)
      case .legalEntity: return name(file.legalEntity)
      case .batch: return name(file.batch)
      case .debit:
        if posting.pointee.amount.minorUnits > 0 {
          JournalRenderer.append(
            posting.pointee.amount, magnitude: true, file.layout, file.point, &cell)
        }
        return !file.quoting.plainNumbers
      case .credit:
        if posting.pointee.amount.minorUnits < 0 {
          JournalRenderer.append(
            posting.pointee.amount, magnitude: true, file.layout, file.point, &cell)
        }
        return !file.quoting.plainNumbers
      case .amount:
        JournalRenderer.append(
          posting.pointee.amount, magnitude: file.magnitude, file.layout, file.point, &cell)
        return !file.quoting.plainNumbers
      case .flag:
        if let flag = file.flag {
          return name(posting.pointee.amount.minorUnits < 0 ? flag.credit : flag.debit)
        }
      }
      return true
    }
  }

  /// An amount with the layout's decimals (never fewer than the currency's) and separator.
  static func number(_ money: Money, _ layout: JournalLayout) -> String {
    let minor = money.currency.minorUnits
    let scale = max(layout.decimals ?? minor, minor)
    let text =
      scale == minor
      ? formatScaled(money.minorUnits, scale: scale)
      : formatScaled(Int128(money.minorUnits) * powerOfTen(scale - minor), scale: scale)
    guard layout.decimalSeparator != "." else { return text }
    var out = ""
    for c in text { if c == "." { out += layout.decimalSeparator } else { out.append(c) } }
    return out
  }

  /// An amount as `number(_:_:)` writes it (its magnitude, or signed), straight into bytes.
  /// `point`: the layout's decimal separator when it is one byte.
  static func append(
    _ money: Money, magnitude: Bool, _ layout: JournalLayout, _ point: UInt8?,
    _ cell: inout ByteLine
  ) {
    let minor = money.currency.minorUnits
    let scale = max(layout.decimals ?? minor, minor)
    let units = magnitude ? abs(money.minorUnits) : money.minorUnits
    let (scaled, overflow) = units.multipliedReportingOverflow(by: Int64(powerOfTen(scale - minor)))
    if let point, !overflow {
      cell.appendDecimal(scaled, scale: scale, keep: scale, point: point)
    } else {
      cell.append(number(Money(minorUnits: units, currency: money.currency), layout))
    }
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

  /// A cell quoted as the layout asks, as text (headers and preambles: a few lines a file).
  static func quote(_ field: String, _ layout: JournalLayout) -> String {
    var cell = ByteLine()
    cell.append(field)
    CellQuoting(layout).finish(&cell, from: 0)
    return String(decoding: cell.bytes, as: UTF8.self)
  }

  /// How a layout quotes its cells, its bytes looked up once per file, not once per cell.
  struct CellQuoting {
    let quoting: JournalLayout.Quoting
    let delimiter: UInt8
    let ceiling: UInt8
    let separator: UInt8
    /// Whether no number written in bytes (digits, a minus, a one-byte decimal separator) can
    /// hold a byte a cell is quoted for.
    let plainNumbers: Bool

    init(_ layout: JournalLayout) {
      quoting = layout.quoting
      delimiter = layout.delimiter.utf8.first ?? UInt8(ascii: ",")
      ceiling = ByteLine.quoteCeiling(delimiter)
      separator = layout.decimalSeparator.utf8.first ?? UInt8(ascii: ".")
      plainNumbers =
        layout.decimalSeparator.utf8.count == 1
        && !Array("0123456789-".utf8 + [separator]).contains { [delimiter] in
          RowCursor.isQuotedFor($0, delimiter)
        }
    }

    /// The cell written at the end of `line` from `start`, put between quotes where it is when
    /// the layout quotes it: a row's cells are written straight into the row. `mayQuote`
    /// false: the writer knows the cell holds no byte to quote for, and minimal quoting leaves
    /// it unscanned.
    @inline(__always) func finish(_ line: inout ByteLine, from start: Int, mayQuote: Bool = true) {
      let bytes = UnsafeBufferPointer(rebasing: line.bytesView[start...])
      let quoted: Bool
      switch quoting {
      case .all: quoted = true
      case .text: quoted = !bytes.isEmpty && !isNumber(bytes, separator)
      case .minimal:
        // Quotes, line breaks and the delimiter, eight bytes at a time.
        quoted = mayQuote && ByteLine.needsQuotes(bytes, delimiter, ceiling: ceiling)
      }
      if quoted { line.enquote(from: start) }
    }
  }

  static func isNumber(_ text: UnsafeBufferPointer<UInt8>, _ separator: UInt8) -> Bool {
    var digits = 0
    for i in text.indices {
      let byte = text[i]
      if byte &- UInt8(ascii: "0") < 10 {
        digits += 1
      } else if !(byte == UInt8(ascii: "-") && i == 0) && byte != separator {
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
    var out = ""
    var rest = Substring(pattern)
    while !rest.isEmpty {
      if rest.hasPrefix("YYYY") {
        out += year
        rest = rest.dropFirst(4)
      } else if rest.hasPrefix("YY") {
        out += year.suffix(2)
        rest = rest.dropFirst(2)
      } else if rest.hasPrefix("MM") {
        out += two(m)
        rest = rest.dropFirst(2)
      } else if rest.hasPrefix("DD") {
        out += two(d)
        rest = rest.dropFirst(2)
      } else {
        out.append(rest.removeFirst())
      }
    }
    return out
  }
}
