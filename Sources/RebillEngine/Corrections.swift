import RebillModel

/// Why a correction is refused, for the row's field.
struct CorrectionProblem: Error {
  let field: String
  let message: String
}

/// What one corrected line detail becomes on a corrective invoice.
struct LineCorrection {
  /// The line detail corrected.
  let original: InvoiceLine
  /// The quantity invoiced now (0: full credit).
  let quantity: Quantity
  let unitPrice: UnitPrice
  /// The correct tax of the re-billed part; nil: the original line's rate.
  let taxAmount: Money?
  let remainder: Remainder
  /// Retainer lines: the corrected amount invoiced, or applied (positive); 0 credits in full.
  var amount: Money? = nil
}

extension Reconciler {
  /// Corrective invoices from `corrections/` (DOMAIN §3). Rows with the same invoice and
  /// `document` (else the same invoice and date) form one corrective invoice.
  mutating func correctByInstruction() {
    struct Group {
      var invoice: InvoiceID
      var document: InvoiceID?
      var date: CalendarDate?
      var rows: [CorrectionInstruction]
    }
    var groups: [String: Group] = [:]
    for row in inbox.corrections {
      let key =
        "\(row.invoice)\u{0}\(row.document?.value ?? "")\u{0}\(row.document == nil ? (row.date?.description ?? "") : "")"
      groups[
        key, default: Group(invoice: row.invoice, document: row.document, date: row.date, rows: [])
      ]
      .rows.append(row)
    }
    let ordered = groups.values.sorted { a, b in
      let da = a.date ?? settings.runDate ?? CalendarDate(daysSinceEpoch: 0)
      let db = b.date ?? settings.runDate ?? CalendarDate(daysSinceEpoch: 0)
      if da != db { return da < db }
      if a.invoice != b.invoice { return a.invoice < b.invoice }
      return (a.document?.value ?? "") < (b.document?.value ?? "")
    }
    for group in ordered {
      let first = group.rows[0]
      guard let lines = confirmed[group.invoice] else { continue }  // reported by check
      let date = group.date ?? settings.runDate
      if let id = group.document
        ?? date.map(group.invoice.corrective(on:)),
        confirmed[id] != nil
      {
        verifyFulfilled(id, group.rows, lines)
        continue
      }
      guard
        let date = date ?? runDate(for: "corrective invoice of \(group.invoice)", at: first.origin)
      else { continue }
      let id = group.document ?? group.invoice.corrective(on: date)
      if takenIDs.contains(id) {
        error(
          first.origin, field: "document", "expected a new document id, found \(id) already used")
        continue
      }
      var corrections: [LineCorrection] = []
      var failed = false
      for (original, row) in selectLines(group.rows, of: lines) {
        guard let correction = correction(of: original, by: row) else {
          failed = true
          continue
        }
        corrections.append(correction)
      }
      if failed || corrections.isEmpty { continue }
      takenIDs.insert(id)
      create(
        id, date: date, customer: lines.first!.customer, currency: lines.first!.currency,
        lines: correctionLines(corrections), reason: "correction of \(group.invoice) (instruction)")
    }
  }

  /// The line details an instruction group corrects, each with the row that says how: a row
  /// without `line` takes every line that can be corrected at quantity 0; a row naming a line
  /// takes that one (and wins over a row without `line`).
  mutating func selectLines(_ rows: [CorrectionInstruction], of lines: ArraySlice<InvoiceLine>)
    -> [(
      InvoiceLine, CorrectionInstruction
    )]
  {
    var chosen: [Name: CorrectionInstruction] = [:]
    var all: CorrectionInstruction?
    for row in rows {
      if let line = row.line {
        chosen[line] = row
      } else {
        all = row
        if row.quantity != .zero {
          error(
            row.origin, field: "quantity",
            "expected 0 (a full credit) when no line is named, found \(row.quantity)")
        }
      }
    }
    var selected: [(InvoiceLine, CorrectionInstruction)] = []
    for line in lines {
      if let row = chosen[line.line] {
        selected.append((line, row))
      } else if let all, copiedToDraft(line) {
        selected.append((line, all))
      }
    }
    return selected
  }

  /// Whether a line detail is copied to a corrective draft: a live line that bills, and not a
  /// product-based contract line or an order line (those are never corrected).
  func copiedToDraft(_ line: InvoiceLine) -> Bool {
    guard let posted = poster.ledger[posted: line.ref], posted.isLive else { return false }
    return line.lineClass != .item && !contracts.isProductLine(line.lineClass, line.source)
  }

  /// Checks one instruction row against the line it corrects; nil (with an error) when the
  /// correction is not allowed.
  mutating func correction(of original: InvoiceLine, by row: CorrectionInstruction)
    -> LineCorrection?
  {
    let ref = original.ref
    func reject(_ field: String, _ message: String) -> LineCorrection? {
      error(row.origin, field: field, "\(ref): \(message)")
      return nil
    }
    guard let posted = poster.ledger[posted: ref] else { return nil }
    if let later = posted.state.correctedBy {
      return reject("line", "expected a line not yet corrected, found it corrected by \(later)")
    }
    if posted.state.isCredit || (original.quantity <= .zero && original.lineClass != .retainer) {
      return reject("line", "expected a line that bills, found a credit line")
    }
    if original.lineClass == .item {
      return reject(
        "line",
        "expected a line that can be corrected, found an order line (a return order credits it)")
    }
    if contracts.isProductLine(original.lineClass, original.source) {
      return reject(
        "line",
        "expected a line that can be corrected, found a product-based contract line (unsupported)")
    }
    if original.lineClass == .retainer {
      switch retainerCorrection(of: original, by: row) {
      case .success(let correction): return correction
      case .failure(let problem): return reject(problem.field, problem.message)
      }
    }
    if original.lineClass == .milestone && row.quantity != .zero {
      return reject(
        "quantity", "expected 0 (milestones are only ever fully credited), found \(row.quantity)")
    }
    if original.lineClass == .fee && row.remainder == .nonChargeable {
      return reject(
        "remainder",
        "expected chargeable for a fee (a fee's reduction is a discount), found non_chargeable")
    }
    if poster.billsEntry(original) && row.quantity > .zero {
      let available = entryQuantity(original.source, customer: original.customer)
      if row.quantity > available {
        return reject(
          "quantity",
          "expected at most the entry's current quantity \(available), found \(row.quantity)")
      }
    }
    var tax: Money?
    if let decimal = row.taxAmount { tax = Money(decimal, currency: original.currency) }
    return LineCorrection(
      original: original, quantity: row.quantity, unitPrice: row.unitPrice ?? original.unitPrice,
      taxAmount: tax, remainder: row.remainder)
  }

  /// A retainer or advance invoiced for a wrong amount, or a reconciliation that applied a
  /// wrong amount (DOMAIN §3): `amount` is the corrected one, never below what later invoices
  /// already applied of the retainer, never above the balance a reconciliation had.
  func retainerCorrection(of original: InvoiceLine, by row: CorrectionInstruction) -> Result<
    LineCorrection, CorrectionProblem
  > {
    let corrected =
      row.amount.flatMap { Money($0, currency: original.currency) } ?? .zero(original.currency)
    let key = Ledger.PoolKey(source: original.source, customer: original.customer)
    let applied = poster.retainerApplied[key] ?? .zero(original.currency)
    let open = -poster.ledger.retainerBalance(key).reduce(Money.zero(original.currency)) {
      $0 + $1.amount
    }
    if original.amount.minorUnits > 0 {
      if corrected.minorUnits < applied.minorUnits {
        return .failure(
          CorrectionProblem(
            field: "amount",
            message:
              "expected at least \(applied), already applied by later invoices, found \(corrected)")
        )
      }
    } else if corrected.minorUnits > (open - original.amount).minorUnits {
      return .failure(
        CorrectionProblem(
          field: "amount",
          message:
            "expected at most the balance \(open - original.amount) the reconciliation had, found \(corrected)"
        ))
    }
    var tax: Money?
    if let decimal = row.taxAmount { tax = Money(decimal, currency: original.currency) }
    return .success(
      LineCorrection(
        original: original, quantity: corrected.minorUnits > 0 ? original.quantity : .zero,
        unitPrice: original.unitPrice, taxAmount: tax, remainder: .chargeable, amount: corrected))
  }

  /// An entry's current quantity for one customer (its share when split); 0 when it is gone.
  func entryQuantity(_ source: Name, customer: CustomerID) -> Quantity {
    guard case (let entry, let p?)? = poster.entryAndLine(source) else {
      return .zero
    }
    return contracts.splitQuantity(entry.quantity, at: p, for: customer) ?? .zero
  }

  /// The lines of a corrective invoice: per corrected line detail a credit line (−Q, −A, minus
  /// its tax), a re-bill line when something is invoiced now, and a non-chargeable line for a
  /// rest written off.
  func correctionLines(_ corrections: [LineCorrection]) -> [InvoiceLine] {
    var lines: [InvoiceLine] = []
    for c in corrections {
      let o = c.original
      var credit = o
      credit.quantity = -o.quantity
      credit.amount = -o.amount
      credit.taxAmount = -o.taxAmount
      credit.setNotes(title: nil, corrects: o.ref, kind: nil, hasCorrections: o.hasCorrections)
      credit.correction = true
      credit.origin = .none
      lines.append(credit)
      if let amount = c.amount {
        // A retainer line: re-billed (or re-applied) at the corrected amount.
        if amount.minorUnits > 0 {
          var rebill = credit
          rebill.quantity = o.quantity
          rebill.unitPrice = UnitPrice(amount)
          rebill.amount = o.amount.minorUnits < 0 ? -amount : amount
          rebill.taxAmount = c.taxAmount ?? tax(of: rebill.amount, likeOn: o)
          lines.append(rebill)
        }
        continue
      }
      if c.quantity > .zero {
        var rebill = credit
        rebill.quantity = c.quantity
        rebill.unitPrice = c.unitPrice
        rebill.amount = Money.product(
          c.quantity, c.unitPrice, currency: o.currency, rounding: settings.rounding)
        rebill.taxAmount = c.taxAmount ?? tax(of: rebill.amount, likeOn: o)
        lines.append(rebill)
      }
      let rest = o.quantity - c.quantity
      if c.remainder == .nonChargeable && rest > .zero {
        var writeOff = credit
        writeOff.quantity = rest
        writeOff.unitPrice = o.unitPrice
        writeOff.amount = Money.product(
          rest, o.unitPrice, currency: o.currency, rounding: settings.rounding)
        writeOff.taxAmount = .zero(o.currency)
        writeOff.billing = .nonChargeable
        lines.append(writeOff)
      }
    }
    return lines
  }

  /// Tax at the original line's rate: its contract line's `tax_rate`, else the rate its own
  /// tax and amount imply.
  func tax(of amount: Money, likeOn original: InvoiceLine) -> Money {
    if let id = original.contractLine, let line = contracts.lines[id] {
      return amount.percentage(line.taxRate, rounding: settings.rounding)
    }
    guard original.amount.minorUnits != 0 else { return .zero(amount.currency) }
    let exact = Int128(amount.minorUnits) * Int128(original.taxAmount.minorUnits)
    return Money(
      minorUnits: Int64(settings.rounding.divide(exact, by: Int128(original.amount.minorUnits))),
      currency: amount.currency)
  }

  /// An instruction whose document is already among the confirmed invoices creates nothing;
  /// that document must say what the instruction says.
  mutating func verifyFulfilled(
    _ document: InvoiceID, _ rows: [CorrectionInstruction], _ lines: ArraySlice<InvoiceLine>
  ) {
    let made = confirmed[document] ?? []
    for row in rows {
      let targets = row.line.map { line in lines.filter { $0.line == line } } ?? []
      for original in targets {
        let forIt = made.filter { $0.corrects == original.ref }
        let credited = forIt.contains { $0.quantity == -original.quantity }
        let rebills = forIt.filter {
          $0.quantity != -original.quantity && $0.billing != .nonChargeable
        }
        // Retainer lines are corrected by amount, the others by quantity.
        let instructed: String
        let found: String
        if original.lineClass == .retainer {
          let amount = rebills.reduce(Money.zero(original.currency)) { $0 + $1.amount }
          instructed =
            (row.amount.flatMap { Money($0, currency: original.currency) }
            ?? .zero(original.currency)).description
          found = Money(minorUnits: abs(amount.minorUnits), currency: original.currency).description
        } else {
          instructed = row.quantity.description
          found = rebills.reduce(Quantity.zero) { $0 + $1.quantity }.description
        }
        if !credited || instructed != found {
          error(
            row.origin, field: "document",
            "expected \(document) to credit \(original.ref) and invoice \(instructed) as instructed, found it invoicing \(found)\(credited ? "" : " without a full credit line")"
          )
        }
      }
    }
  }
}

extension InvoiceID {
  /// The corrective invoice an instruction to correct this invoice on `date` asks for when it
  /// names no document: `INV-1-C20261110`.
  func corrective(on date: CalendarDate) -> InvoiceID { InvoiceID("\(value)-C\(date.compact)") }
}
