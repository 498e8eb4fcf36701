import RebillModel

/// The contract side of the inbox, indexed: lines, their customers (funding splits) and which
/// line an entry goes to.
public struct Contracts: Sendable {
  /// Every contract line, in inbox order: the hot paths hold a line's position, not a copy of
  /// it (a copy retains every string it holds).
  let all: [ContractLine]
  /// Lines by id.
  let lines: LinesByID
  /// Per project, its lines' positions in inbox order.
  let byProject: [ProjectID: [Int32]]
  /// Funding shares by contract line (a line's own split), then by contract.
  let lineFunding: [ContractLineID: [FundingShare]]
  let contractFunding: [ContractID: [FundingShare]]
  /// Each line's customers with their shares (`customers(of:)`), worked out once, by position.
  private let payers: [[FundingShare]]
  /// Each line's `includes` as bits (`LineClass.bit`), by position: asked once per entry, with
  /// no array to open.
  private let includedClasses: [UInt8]
  let rounding: RoundingMode

  /// Contract lines found by id, as a dictionary of them would be.
  struct LinesByID: Sendable {
    let all: [ContractLine]
    let positions: [ContractLineID: Int32]

    subscript(id: ContractLineID) -> ContractLine? { positions[id].map { all[Int($0)] } }
    var values: [ContractLine] { all }
  }

  public init(_ inbox: Inbox) {
    // A line id given twice is reported by the checks; the last one is found by id.
    var positions: [ContractLineID: Int32] = [:]
    var byProject: [ProjectID: [Int32]] = [:]
    let all = inbox.contractLines
    for i in all.indices {
      positions[all[i].id] = Int32(i)
      byProject[all[i].project, default: []].append(Int32(i))
    }
    var lineFunding: [ContractLineID: [FundingShare]] = [:]
    var contractFunding: [ContractID: [FundingShare]] = [:]
    for share in inbox.funding {
      if let line = share.contractLine {
        lineFunding[line, default: []].append(share)
      } else {
        contractFunding[share.contract, default: []].append(share)
      }
    }
    self.all = all
    self.lines = LinesByID(all: all, positions: positions)
    self.byProject = byProject
    self.lineFunding = lineFunding
    self.contractFunding = contractFunding
    self.rounding = inbox.settings.rounding
    payers = all.map { Self.customers(of: $0, lineFunding, contractFunding) }
    includedClasses = all.map { $0.includes.reduce(0) { $0 | $1.bit } }
  }

  /// Whether the line at `position` includes `lineClass`.
  private func includes(_ position: Int32, _ lineClass: LineClass) -> Bool {
    includedClasses[Int(position)] & lineClass.bit != 0
  }

  /// The position of the line an entry is invoiced on: the one it names, else its project's
  /// only line including its class; nil when no line includes it (DOMAIN §5: no sales actual).
  func position(for entry: Entry) -> Int? {
    if let id = entry.contractLine {
      guard let p = lines.positions[id], includes(p, entry.lineClass) else {
        return nil
      }
      return Int(p)
    }
    guard let candidates = byProject[entry.project] else { return nil }
    var found: Int?
    for p in candidates where includes(p, entry.lineClass) {
      if found != nil { return nil }
      found = Int(p)
    }
    return found
  }

  /// The customers of the line at `position`, with their shares (`customers(of:)`).
  func customers(at position: Int) -> [FundingShare] { payers[position] }

  /// Who pays for a line, with their shares: the line's own split, else the contract's, else
  /// the contract's customer alone. By customer id, whatever the order of the funding rows.
  func customers(of line: ContractLine) -> [FundingShare] {
    lines.positions[line.id].map { payers[Int($0)] }
      ?? Self.customers(of: line, lineFunding, contractFunding)
  }

  private static func customers(
    of line: ContractLine, _ lineFunding: [ContractLineID: [FundingShare]],
    _ contractFunding: [ContractID: [FundingShare]]
  ) -> [FundingShare] {
    if let shares = lineFunding[line.id] ?? contractFunding[line.contract], !shares.isEmpty {
      return shares.sorted { $0.customer < $1.customer }
    }
    return [
      FundingShare(
        origin: .none, contract: line.contract, customer: line.customer,
        splitPercent: .hundred, contractLine: nil, rounding: true)
    ]
  }

  /// Splits a quantity and an amount among the line's customers (DOMAIN §4): every other
  /// customer gets its share rounded (amounts to the currency, quantities to six decimals), the
  /// rounding customer the remainder. Customers by id.
  public func split(_ quantity: Quantity, _ amount: Money, on line: ContractLine) -> [(
    customer: CustomerID, quantity: Quantity, amount: Money
  )] {
    split(quantity, amount, among: customers(of: line), lineCustomer: line.customer)
  }

  /// Each part of `split(_:_:on:)` for the line at `position`, in order, with no array made
  /// (an entry's unbilled sales are split a million times a run).
  func eachPart(
    _ quantity: Quantity, _ amount: Money, at position: Int,
    _ body: (CustomerID, Quantity, Money) -> Void
  ) {
    let shares = payers[position]
    if shares.count == 1 { return body(shares[0].customer, quantity, amount) }
    withSplit(quantity, amount, among: shares, lineCustomer: all[position].customer) { parts in
      for part in parts { body(part.customer, part.quantity, part.amount) }
    }
  }

  private func split(
    _ quantity: Quantity, _ amount: Money, among shares: [FundingShare], lineCustomer: CustomerID
  ) -> [(customer: CustomerID, quantity: Quantity, amount: Money)] {
    if shares.count == 1 { return [(shares[0].customer, quantity, amount)] }
    return withSplit(quantity, amount, among: shares, lineCustomer: lineCustomer) { Array($0) }
  }

  /// The parts of a split among several shares, in order, in room on the stack: each share
  /// that does not round, with the rounding customer's (the rest) at its place
  /// (`rest(_:lineCustomer:parts:)`).
  private func withSplit<R>(
    _ quantity: Quantity, _ amount: Money, among shares: [FundingShare], lineCustomer: CustomerID,
    _ body: (UnsafeBufferPointer<(customer: CustomerID, quantity: Quantity, amount: Money)>) -> R
  ) -> R {
    var others = 0
    for share in shares where !share.rounding { others += 1 }
    let rest = Self.rest(shares, lineCustomer: lineCustomer, parts: others)
    return withUnsafeTemporaryAllocation(
      of: (customer: CustomerID, quantity: Quantity, amount: Money).self, capacity: others + 1
    ) { parts in
      var restQuantity = quantity
      var restAmount = amount
      var k = 0
      for share in shares where !share.rounding {
        let q = self.quantity(quantity, share)
        let a = amount.percentage(share.splitPercent, rounding: rounding)
        parts.initializeElement(at: k < rest.part ? k : k + 1, to: (share.customer, q, a))
        restQuantity = restQuantity - q
        restAmount = restAmount - a
        k += 1
      }
      parts.initializeElement(at: rest.part, to: (rest.customer, restQuantity, restAmount))
      defer { parts.deinitialize() }
      return body(UnsafeBufferPointer(parts))
    }
  }

  /// A share's part of `quantity` (a share that does not round): rounded to six decimals.
  private func quantity(_ quantity: Quantity, _ share: FundingShare) -> Quantity {
    Quantity(
      micros: rounding.divide(quantity.micros, times: share.splitPercent.micros, by: 100_000_000))
  }

  /// Who takes the remainder of a split (the first share that rounds, else the line's
  /// customer), and where its part goes among the `parts` of the shares that do not round.
  private static func rest(_ shares: [FundingShare], lineCustomer: CustomerID, parts: Int) -> (
    customer: CustomerID, part: Int
  ) {
    let index = shares.firstIndex(where: \.rounding)
    return (index.map { shares[$0].customer } ?? lineCustomer, min(index ?? 0, parts))
  }

  /// The quantity `customer` gets when `quantity` is split on the line at `position`: what
  /// `eachPart` gives first for that customer, worked out with no array and no
  /// amount (the drift check asks it for every line of a split entry); nil when it gets none.
  func splitQuantity(_ quantity: Quantity, at position: Int, for customer: CustomerID)
    -> Quantity?
  {
    let shares = payers[position]
    if shares.count == 1 { return shares[0].customer == customer ? quantity : nil }
    // The parts: each share that does not round, in order, with the rounding customer's (the
    // rest) inserted at the position of the first share that rounds.
    var restQuantity = quantity
    var first: (part: Int, quantity: Quantity)?
    var parts = 0
    for share in shares where !share.rounding {
      let q = self.quantity(quantity, share)
      if first == nil && share.customer == customer { first = (parts, q) }
      restQuantity = restQuantity - q
      parts += 1
    }
    let rest = Self.rest(shares, lineCustomer: all[position].customer, parts: parts)
    if rest.customer == customer, first.map({ rest.part <= $0.part }) ?? true {
      return restQuantity
    }
    return first?.quantity
  }

  /// Whether an invoice line of this class and source bills a product-based contract line
  /// (class material, source the line).
  func isProductLine(_ lineClass: LineClass, _ source: Name) -> Bool {
    guard lineClass == .material, let p = lines.positions[ContractLineID(source)] else {
      return false
    }
    return all[Int(p)].billingMethod == .product
  }
}
