import RebillModel

/// The contract side of the inbox, indexed: lines, their customers (funding splits) and which
/// line an entry goes to.
public struct Contracts: Sendable {
  let lines: [ContractLineID: ContractLine]
  /// Per project, its lines in inbox order.
  let byProject: [ProjectID: [ContractLine]]
  /// Funding shares by contract line (a line's own split), then by contract.
  let lineFunding: [ContractLineID: [FundingShare]]
  let contractFunding: [ContractID: [FundingShare]]
  /// Each line's customers with their shares (`customers(of:)`), worked out once.
  private let payers: [ContractLineID: [FundingShare]]
  let rounding: RoundingMode

  public init(_ inbox: Inbox) {
    var lines: [ContractLineID: ContractLine] = [:]
    var byProject: [ProjectID: [ContractLine]] = [:]
    for line in inbox.contractLines {
      lines[line.id] = line
      byProject[line.project, default: []].append(line)
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
    self.lines = lines
    self.byProject = byProject
    self.lineFunding = lineFunding
    self.contractFunding = contractFunding
    self.rounding = inbox.settings.rounding
    var payers: [ContractLineID: [FundingShare]] = [:]
    for line in lines.values {
      payers[line.id] = Self.customers(of: line, lineFunding, contractFunding)
    }
    self.payers = payers
  }

  /// The line an entry is invoiced on: the one it names, else its project's only line
  /// including its class; nil when no line includes it (DOMAIN §5: no sales actual).
  func line(for entry: Entry) -> ContractLine? {
    if let id = entry.contractLine {
      guard let line = lines[id], line.includes.contains(entry.lineClass) else { return nil }
      return line
    }
    guard let lines = byProject[entry.project] else { return nil }
    var found: Int?
    for i in lines.indices where lines[i].includes.contains(entry.lineClass) {
      if found != nil { return nil }
      found = i
    }
    return found.map { lines[$0] }
  }

  /// Who pays for a line, with their shares: the line's own split, else the contract's, else
  /// the contract's customer alone. By customer id, whatever the order of the funding rows.
  func customers(of line: ContractLine) -> [FundingShare] {
    payers[line.id] ?? Self.customers(of: line, lineFunding, contractFunding)
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
    let shares = customers(of: line)
    if shares.count == 1 { return [(shares[0].customer, quantity, amount)] }
    var parts: [(CustomerID, Quantity, Money)] = []
    var restQuantity = quantity
    var restAmount = amount
    for share in shares where !share.rounding {
      let q = Quantity(
        micros: Int64(
          rounding.divide(
            Int128(quantity.micros) * Int128(share.splitPercent.micros), by: 100_000_000)))
      let a = amount.percentage(share.splitPercent, rounding: rounding)
      parts.append((share.customer, q, a))
      restQuantity = restQuantity - q
      restAmount = restAmount - a
    }
    let roundingCustomer = shares.first(where: \.rounding)?.customer ?? line.customer
    let index = shares.firstIndex(where: \.rounding) ?? 0
    parts.insert((roundingCustomer, restQuantity, restAmount), at: min(index, parts.count))
    return parts
  }

  /// A product-based contract line billed by an invoice line (class material, source the line).
  func isProductLine(_ line: InvoiceLine) -> Bool {
    line.lineClass == .material && lines[ContractLineID(line.source)]?.billingMethod == .product
  }
}
