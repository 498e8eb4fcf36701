import RebillModel

/// Work held back by a not-to-exceed limit (DOMAIN §5): it stays unbilled and is reported.
public struct HeldBack: Hashable, Sendable {
  public var contractLine: ContractLineID
  public var customer: CustomerID
  public var source: Name
  public var quantity: Quantity
  public var amount: Money
  public var limit: Money
}

extension Reconciler {
  // MARK: Retainers and advances (DOMAIN §2)

  /// A retainer or advance that is ready and not invoiced yet gets a document of its own.
  mutating func invoiceRetainers() {
    for retainer in inbox.retainers.sorted(by: { ($0.date, $0.id) < ($1.date, $1.id) })
    where retainer.status == .readyToInvoice {
      let source = retainer.id.name
      let billed = poster.ledger.anyLine(of: source) { posted in
        posted.line.lineClass == .retainer && posted.line.amount.minorUnits > 0
          && posted.state.correctedBy == nil
      }
      guard !billed, let line = contractLine(of: retainer.contract) else { continue }
      guard
        let date = runDate(
          for: "the invoice of \(retainer.kind.rawValue) \(retainer.id)", at: retainer.origin)
      else { continue }
      let amount = Money(retainer.amount, currency: line.currency)!
      let customer = retainer.customer ?? line.customer
      let id = claimID("\(retainer.id.name)-I\(date.compact)")
      invoicedThisRun.insert(source)
      create(
        id, date: date, customer: customer, currency: line.currency,
        lines: [
          InvoiceLine(
            origin: .none, invoice: id, date: date, customer: customer, currency: line.currency,
            line: "", lineClass: .retainer, source: source, quantity: .one,
            unitPrice: UnitPrice(amount),
            amount: amount, contract: retainer.contract)
        ], reason: "\(retainer.kind.rawValue) \(retainer.id)")
    }
  }

  /// The first line of a contract, which carries its customer and currency.
  func contractLine(of contract: ContractID) -> ContractLine? {
    inbox.contractLines.first { $0.contract == contract }
  }

  // MARK: One invoice per contract and customer (DOMAIN §5)

  /// Per contract and customer, everything due in one invoice: milestones ready to invoice,
  /// time-and-material work dated on or before the cut-off (within not-to-exceed limits), and
  /// the retainers confirmed earlier applied against its chargeable time and material.
  mutating func invoiceContracts() {
    var due: [ContractCustomer: [InvoiceLine]] = [:]
    for (key, lines) in dueMilestones() { due[key, default: []] += lines }
    if let through = settings.through {
      for (key, lines) in dueWork(through: through) { due[key, default: []] += lines }
    }
    for key in due.keys.sorted() {
      var lines = due[key]!
      guard let date = runDate(for: "the invoice of \(key.contract) for \(key.customer)", at: .none)
      else { return }
      lines += retainerApplications(for: key, against: lines)
      let currency = lines[0].currency
      let id = claimID("\(key.contract.value)-\(key.customer.value)-I\(date.compact)")
      create(
        id, date: date, customer: key.customer, currency: currency, lines: lines,
        reason: "contract \(key.contract)")
    }
  }

  struct ContractCustomer: KeyHashable, Comparable {
    let contract: ContractID
    let customer: CustomerID

    var keyHash: UInt64 { KeyHash.combine(contract.keyHash, customer.keyHash) }
    static func < (a: Self, b: Self) -> Bool { (a.contract, a.customer) < (b.contract, b.customer) }
  }

  /// Milestones ready to invoice and not billed (nor credited by this run: those wait for the
  /// next one), each split among its line's customers.
  mutating func dueMilestones() -> [ContractCustomer: [InvoiceLine]] {
    var due: [ContractCustomer: [InvoiceLine]] = [:]
    let amounts = milestoneAmounts()
    for milestone in inbox.milestones.sorted(by: { ($0.date, $0.id) < ($1.date, $1.id) })
    where milestone.status == .readyToInvoice {
      let source = milestone.id.name
      if isLiveBilled(source, .milestone) { continue }
      if let credit = poster.creditedMilestones[source], createdIDs.contains(credit) { continue }
      guard let line = contracts.lines[milestone.contractLine], let amount = amounts[milestone.id]
      else { continue }
      for part in contracts.split(.one, amount, on: line) {
        // A customer's share of the milestone is a part of its one unit.
        let price =
          part.quantity == .one || part.quantity == .zero
          ? UnitPrice(part.amount) : unitPrice(part.amount, per: part.quantity)
        let invoiceLine = InvoiceLine(
          origin: .none, invoice: InvoiceID(""), date: milestone.date, customer: part.customer,
          currency: line.currency, line: "", lineClass: .milestone, source: source,
          quantity: part.quantity, unitPrice: price, amount: part.amount, contract: line.contract,
          contractLine: line.id,
          taxAmount: part.amount.percentage(line.taxRate, rounding: settings.rounding))
        due[ContractCustomer(contract: line.contract, customer: part.customer), default: []].append(
          invoiceLine)
      }
    }
    return due
  }

  /// The time-and-material backlog of every entry dated on or before the cut-off, whatever the
  /// dates of the actuals that moved it: chargeable and complimentary work (the latter shown at
  /// no charge), never non-chargeable. A line that would cross its not-to-exceed limit stays
  /// unbilled and is reported.
  mutating func dueWork(through: CalendarDate) -> [ContractCustomer: [InvoiceLine]] {
    var due: [ContractCustomer: [InvoiceLine]] = [:]
    var invoiced: [ContractLineID: Money] = [:]
    // What the lines with a not-to-exceed limit have billed (no other line needs the sum).
    // Read in place: millions of actuals, and copying one retains a dozen strings.
    let limited = Set(contracts.lines.values.filter { $0.notToExceed != nil }.map(\.id))
    if !limited.isEmpty {
      poster.ledger.actuals.withUnsafeBufferPointer { actuals in
        for i in actuals.indices
        where actuals[i].type == .billedSales && actuals[i].billing == .chargeable {
          if let line = actuals[i].contractLine, limited.contains(line) {
            let amount = actuals[i].amount
            invoiced[line] = (invoiced[line] ?? .zero(amount.currency)) + amount
          }
        }
      }
    }
    // Only entries with work open in the backlog can be due: found from the backlog (most
    // entries are billed already), not by looking every entry's line and customers up.
    let open = poster.ledger.openEntries
    // Sorted as positions, the records read in place (sorting the records would move them); an
    // entry split among customers is there once per customer until made unique.
    let order = inbox.entries.withUnsafeBufferPointer { entries in
      var order = open.filter { entries[$0].date <= through }.sorted { a, b in
        entries[a].date != entries[b].date
          ? entries[a].date < entries[b].date : entries[a].id < entries[b].id
      }
      order.removeDuplicates()
      return order
    }
    // An entry's record, its slot and its pool are scattered loads: started 8, 8 and 4 entries
    // ahead, so that their cache misses overlap.
    for (k, index) in order.enumerated() {
      if k + 8 < order.count {
        poster.entries.prefetch(order[k + 8])
        poster.ledger.prefetchSlot(entry: order[k + 8])
      }
      if k + 4 < order.count { poster.ledger.prefetchPool(entry: order[k + 4]) }
      let entry = inbox.entries[index]
      guard let p = poster.entries.line(at: index),
        contracts.all[p].billingMethod == .timeAndMaterial
      else { continue }
      let line = contracts.all[p]
      for share in contracts.customers(at: p) {
        let backlog = poster.ledger.openPool(entry: index, customer: share.customer)
        for billing in [BillingType.chargeable, .complimentary] {
          let (any, quantity, amount) = backlog.sums(of: billing, in: line.currency)
          guard any else { continue }
          // A rounding residue with no quantity left (a split share re-billed at quantity ×
          // price) is not invoiced on its own: it stays in the backlog, in the report.
          guard quantity > .zero else { continue }
          if billing == .chargeable, let limit = line.notToExceed {
            let already = invoiced[line.id] ?? .zero(line.currency)
            if (already + amount).minorUnits > limit.minorUnits {
              report.heldBack.append(
                HeldBack(
                  contractLine: line.id, customer: share.customer, source: entry.id.name,
                  quantity: quantity, amount: amount, limit: limit))
              continue
            }
            invoiced[line.id] = already + amount
          }
          // At the entry's price; the amount is what the backlog holds, which a split share or
          // an earlier correction may leave a rounding away from quantity × price.
          let price = entry.unitPrice
          due[ContractCustomer(contract: line.contract, customer: share.customer), default: []]
            .append(
              InvoiceLine(
                origin: .none, invoice: InvoiceID(Name.empty), date: entry.date,
                customer: share.customer, currency: line.currency, line: .empty,
                lineClass: entry.lineClass,
                source: entry.id.name,
                quantity: quantity, unitPrice: price, amount: amount, contract: line.contract,
                contractLine: line.id, billing: billing,
                taxAmount: billing == .chargeable
                  ? amount.percentage(line.taxRate, rounding: settings.rounding)
                  : .zero(line.currency)))
        }
      }
    }
    return due
  }

  /// The amount over the quantity, as a unit price.
  func unitPrice(_ amount: Money, per quantity: Quantity) -> UnitPrice {
    let micros =
      Int128(amount.minorUnits) * powerOfTen(6 - amount.currency.minorUnits) * 1_000_000
    return UnitPrice(micros: Int64(settings.rounding.divide(micros, by: Int128(quantity.micros))))
  }

  /// Retainers of the contract and customer confirmed on an earlier invoice, oldest first,
  /// applied against the chargeable time and material of the invoice: never above their
  /// balance, never above those charges.
  func retainerApplications(for key: ContractCustomer, against lines: [InvoiceLine])
    -> [InvoiceLine]
  {
    var charges = lines.filter {
      $0.billing == .chargeable && LineClass.entryClasses.contains($0.lineClass)
    }.reduce(Money.zero(lines[0].currency)) { $0 + $1.amount }
    var applications: [InvoiceLine] = []
    let retainers = inbox.retainers.filter { retainer in
      retainer.contract == key.contract
        && (retainer.customer ?? contractLine(of: retainer.contract)?.customer) == key.customer
        && !invoicedThisRun.contains(retainer.id.name)
    }.sorted { ($0.date, $0.id) < ($1.date, $1.id) }
    for retainer in retainers where charges.minorUnits > 0 {
      let balance = -poster.ledger.retainerBalance(
        Ledger.PoolKey(source: retainer.id.name, customer: key.customer)
      ).reduce(Money.zero(charges.currency)) { $0 + $1.amount }
      guard balance.minorUnits > 0 else { continue }
      let applied = balance.minorUnits < charges.minorUnits ? balance : charges
      charges = charges - applied
      applications.append(
        InvoiceLine(
          origin: .none, invoice: InvoiceID(""), date: retainer.date, customer: key.customer,
          currency: applied.currency, line: "", lineClass: .retainer, source: retainer.id.name,
          quantity: -.one,
          unitPrice: UnitPrice(applied),
          amount: -applied, contract: key.contract))
    }
    return applications
  }

  // MARK: Milestone amounts

  /// Each milestone's amount: its own, or its percent of the line rounded, the residue going
  /// to the line's last milestone by date, so that a line's milestones sum to its amount.
  func milestoneAmounts() -> [MilestoneID: Money] {
    var amounts: [MilestoneID: Money] = [:]
    var byLine: [ContractLineID: [Milestone]] = [:]
    for milestone in inbox.milestones {
      byLine[milestone.contractLine, default: []].append(milestone)
    }
    for (id, milestones) in byLine {
      guard let line = contracts.lines[id], let total = line.amount else { continue }
      let ordered = milestones.sorted { ($0.date, $0.id) < ($1.date, $1.id) }
      var sum = Money.zero(line.currency)
      for milestone in ordered {
        let amount: Money
        switch milestone.share {
        case .amount(let decimal):
          amount = Money(decimal, currency: line.currency) ?? .zero(line.currency)
        case .percent(let percent): amount = total.percentage(percent, rounding: settings.rounding)
        }
        amounts[milestone.id] = amount
        sum = sum + amount
      }
      if let last = ordered.last, case .percent = last.share, sum != total {
        amounts[last.id] = amounts[last.id]! + (total - sum)
      }
    }
    return amounts
  }

  func isLiveBilled(_ source: Name, _ lineClass: LineClass) -> Bool {
    poster.ledger.anyLine(of: source) { posted in
      posted.isLive && posted.line.lineClass == lineClass
    }
  }
}

extension Array where Element: Equatable {
  /// Drops each element equal to the one before it (a sorted array becomes unique).
  mutating func removeDuplicates() {
    guard count > 1 else { return }
    var kept = 1
    for i in 1..<count where self[i] != self[kept - 1] {
      self[kept] = self[i]
      kept += 1
    }
    removeLast(count - kept)
  }
}
