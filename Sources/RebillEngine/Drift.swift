import RebillModel

/// A confirmed line detail that disagrees with today's entry (DOMAIN §8).
public struct DriftFinding: Hashable, Sendable {
  public var line: InvoiceLine
  /// What it should bill now (0: nothing), and at what price.
  public var quantity: Quantity
  public var unitPrice: UnitPrice
  public var reason: String
  /// The corrective invoice made for it; nil under `drift: report`.
  public var document: InvoiceID?
}

extension Reconciler {
  /// Compares every live line detail that bills an entry with the entry as it is now, and
  /// (under `drift: correct`) makes one corrective invoice per original invoice.
  mutating func correctDrift() {
    var findings = driftFindings()
    guard !findings.isEmpty else { return }
    findings.sort {
      $0.line.invoice != $1.line.invoice
        ? $0.line.invoice < $1.line.invoice : lineOrder($0.line.line, $1.line.line)
    }
    if settings.drift == .report {
      report.drift = findings
      return
    }
    var byInvoice: [InvoiceID: [DriftFinding]] = [:]
    for finding in findings { byInvoice[finding.line.invoice, default: []].append(finding) }
    for invoice in byInvoice.keys.sorted() {
      let found = byInvoice[invoice]!.sorted { lineOrder($0.line.line, $1.line.line) }
      guard let date = runDate(for: "the drift correction of \(invoice)", at: found[0].line.origin)
      else {
        report.drift += found
        continue
      }
      let id = claimID("\(invoice.value)-D\(date.compact)")
      let corrections = found.map {
        LineCorrection(
          original: $0.line, quantity: $0.quantity, unitPrice: $0.unitPrice, taxAmount: nil,
          remainder: .chargeable)
      }
      create(
        id, date: date, customer: found[0].line.customer, currency: found[0].line.currency,
        lines: correctionLines(corrections), reason: "drift on \(invoice)")
      report.drift += found.map {
        var finding = $0
        finding.document = id
        return finding
      }
    }
  }

  /// Every live line detail that bills an entry and disagrees with it, in no order. The
  /// posted lines are read in place (a copy of a line retains every string it holds), from a
  /// method that does not mutate: a closure in one that does would copy the whole reconciler
  /// to call the checks.
  func driftFindings() -> [DriftFinding] {
    var findings: [DriftFinding] = []
    // The posted lines in order, each source taken at its first line: read one after the
    // other, not reached through the table of sources (a cache miss a source).
    poster.ledger.postedLines.withUnsafeBufferPointer { posted in
      poster.ledger.postedStates.withUnsafeBufferPointer { states in
        for first in posted.indices {
          // The entry a line bills is three loads away (its slot, the entry's position there,
          // the entry): the slot 16 lines ahead and the entry 8 ahead are started early, so
          // that their cache misses overlap.
          if first + 16 < posted.count { poster.ledger.prefetch(slot: states[first + 16].slot) }
          if first + 8 < posted.count { poster.prefetchEntry(slot: states[first + 8].slot) }
          let source = posted[first].source
          if states[first].rank == .alone {
            // Most entries are billed once: no arrays to build for them, and the line's fields
            // read where it is (a line handed to a function is copied first).
            guard states[first].isLive(posted[first]),
              poster.billsEntry(posted[first].lineClass, source),
              !agrees(
                poster.entryAndLine(slot: states[first].slot), unitPrice: posted[first].unitPrice,
                contractLine: posted[first].contractLine, contract: posted[first].contract,
                customer: posted[first].customer, quantity: posted[first].quantity)
            else { continue }
            findings += drift(of: source, for: posted[first].customer, [posted[first]])
            continue
          }
          guard states[first].rank == .first,
            let lines = poster.ledger.lines(slot: states[first].slot)
          else { continue }
          // The live lines grouped by customer (customers in order, a customer's lines in
          // posting order): a split entry's lines, one per customer, are the common case here, so
          // they are sorted in one small array rather than put in a table of arrays.
          var live: [Int32] = []
          live.reserveCapacity(1 + lines.more.count)
          let billsLive = { (i: Int32) in
            states[Int(i)].isLive(posted[Int(i)]) && poster.billsEntry(posted[Int(i)])
          }
          if billsLive(lines.first) { live.append(lines.first) }
          for i in lines.more where billsLive(i) { live.append(i) }
          live.sort {
            let (a, b) = (posted[Int($0)].customer, posted[Int($1)].customer)
            return a != b ? a < b : $0 < $1
          }
          var start = 0
          while start < live.count {
            let customer = posted[Int(live[start])].customer
            var end = start + 1
            while end < live.count && posted[Int(live[end])].customer == customer { end += 1 }
            defer { start = end }
            // A customer's one line (a split entry billed to each of its customers once) is
            // checked as a line billed once is.
            if end - start == 1,
              case let line = posted[Int(live[start])],
              agrees(
                poster.entryAndLine(slot: states[Int(live[start])].slot),
                unitPrice: line.unitPrice, contractLine: line.contractLine,
                contract: line.contract, customer: line.customer, quantity: line.quantity)
            {
              continue
            }
            findings += drift(
              of: source, for: customer, live[start..<end].map { posted[Int($0)] })
          }
        }
      }
    }
    return findings
  }

  /// Whether the one live line of an entry for a customer agrees with the entry as it is now
  /// (same line, price and billing, no more than its quantity): nothing that
  /// `drift(of:for:_:)` would find, checked without building anything. False leaves the
  /// question to it. `found`: the entry the line bills and its contract line's position
  /// (`Poster.entryAndLine(slot:)`), the line given by the fields it compares.
  func agrees(
    _ found: (entry: Entry, line: Int?)?, unitPrice: UnitPrice, contractLine: ContractLineID?,
    contract: ContractID?, customer: CustomerID, quantity: Quantity
  ) -> Bool {
    guard case (let entry, let p?)? = found, entry.billing != .nonChargeable,
      entry.unitPrice == unitPrice
    else { return false }
    if let contractLine, contractLine != contracts.all[p].id { return false }
    if let contract, contract != contracts.all[p].contract { return false }
    let shares = contracts.customers(at: p)
    if shares.count == 1 {
      return shares[0].customer == customer && quantity <= entry.quantity
    }
    return quantity <= contracts.splitQuantity(entry.quantity, at: p, for: customer) ?? .zero
  }

  /// The drift of one entry's live lines for one customer.
  func drift(of source: Name, for customer: CustomerID, _ lines: [InvoiceLine])
    -> [DriftFinding]
  {
    func full(_ reason: String) -> [DriftFinding] {
      lines.map { DriftFinding(line: $0, quantity: .zero, unitPrice: $0.unitPrice, reason: reason) }
    }
    guard case (let entry, let p)? = poster.entryAndLine(source) else {
      return full("the entry no longer exists")
    }
    guard let p else { return full("the entry is no longer on a contract line") }
    let line = contracts.all[p]
    let moved = lines.filter {
      ($0.contractLine != nil && $0.contractLine != line.id)
        || ($0.contract != nil && $0.contract != line.contract)
    }
    if !moved.isEmpty {
      return moved.map {
        DriftFinding(
          line: $0, quantity: .zero, unitPrice: $0.unitPrice,
          reason: "the entry moved to contract line \(line.id)")
      }
    }
    var findings: [DriftFinding] = []
    if entry.billing == .nonChargeable {
      let chargeable = lines.filter { $0.billing == .chargeable }
      return chargeable.map {
        DriftFinding(
          line: $0, quantity: .zero, unitPrice: $0.unitPrice,
          reason: "the entry became non-chargeable")
      }
    }
    // Quantity: the excess over the entry's current quantity, newest line details first.
    var excess =
      lines.reduce(Quantity.zero) { $0 + $1.quantity } - entryQuantity(source, customer: customer)
    let newestFirst = lines.sorted { a, b in
      a.date != b.date
        ? a.date > b.date
        : (a.invoice != b.invoice ? a.invoice > b.invoice : lineOrder(b.line, a.line))
    }
    for original in newestFirst {
      var quantity = original.quantity
      var reasons: [String] = []
      if excess > .zero {
        let cut = min(excess, quantity)
        quantity = quantity - cut
        excess = excess - cut
        reasons.append("invoiced \(original.quantity), the entry now leaves \(quantity) for it")
      }
      if original.unitPrice != entry.unitPrice {
        reasons.append(
          "invoiced at \(original.unitPrice), the entry's price is now \(entry.unitPrice)")
      }
      if !reasons.isEmpty {
        findings.append(
          DriftFinding(
            line: original, quantity: quantity, unitPrice: entry.unitPrice,
            reason: reasons.joined(separator: "; ")))
      }
    }
    return findings
  }
}
