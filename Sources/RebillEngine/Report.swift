import RebillModel

/// What happened in a run, for `report.txt`.
public struct Report: Sendable {
  public var runDate: CalendarDate?
  public var through: CalendarDate?

  public var drift: [DriftFinding] = []
  public var pendingReturns: [PendingReturn] = []
  /// Entries whose project has no contract line including their class: no sales actual.
  public var entriesWithoutLine: [Entry] = []
  /// Work a not-to-exceed limit kept unbilled.
  public var heldBack: [HeldBack] = []
  /// The documents created, in order, as the report lists them.
  public var documents: [DocumentSummary] = []
  /// How many actuals the run holds, and how many of them are unbilled sales.
  public var actualCount = 0
  public var unbilledCount = 0
  /// Per contract and customer, in that order (`balances(_:heldBack:)`).
  public var balances: [Balance] = []

  public init() {}
}

extension RunResult {
  /// `report.txt`: plain text, one fact a line, in a stable order, so that a diff of two runs'
  /// reports reads as what changed.
  public func renderReport(counts: [(folder: String, records: Int)]) -> String {
    var out: [String] = []
    out.append("rebill report")
    out.append("run date: \(report.runDate?.description ?? "none")")
    out.append("cut-off (through): \(report.through?.description ?? "none")")
    out.append("")
    out.append("records read")
    for (folder, n) in counts { out.append("  \(pad(folder, 12)) \(n)") }
    out.append("")
    out.append("documents created: \(report.documents.count)")
    for document in report.documents {
      out.append(
        "  \(document.id)  \(document.date)  \(document.title)  \(document.customer)  total \(document.total)  (\(document.reason))"
      )
    }
    var totals: [Currency: Money] = [:]
    for document in report.documents {
      let currency = document.total.currency
      totals[currency] = (totals[currency] ?? .zero(currency)) + document.total
    }
    for currency in totals.keys.sorted() { out.append("  total \(totals[currency]!)") }
    out.append("")
    out.append("actuals: \(report.actualCount)")
    out.append(
      "  unbilled_sales \(report.unbilledCount), billed_sales \(report.actualCount - report.unbilledCount)"
    )
    out.append("")
    out.append("per contract and customer (chargeable amounts)")
    for row in report.balances {
      out.append(
        "  \(row.contract) \(row.customer): billed \(row.billed), unbilled \(row.unbilled), retainer balance \(row.retainer), held back \(row.heldBack)"
      )
    }
    out.append("")
    out.append("held back by not-to-exceed: \(report.heldBack.count)")
    for held in report.heldBack {
      out.append(
        "  \(held.source) on \(held.contractLine) for \(held.customer): \(held.quantity) / \(held.amount) (limit \(held.limit))"
      )
    }
    out.append("")
    out.append("drift found: \(report.drift.count)")
    for finding in report.drift {
      let action = finding.document.map { "corrected by \($0)" } ?? "reported only"
      out.append("  \(finding.line.ref) (\(finding.line.source)): \(finding.reason); \(action)")
    }
    out.append("")
    out.append("returns pending: \(report.pendingReturns.count)")
    for pending in report.pendingReturns {
      out.append(
        "  \(pending.line.source) \(pending.line.status.rawValue): \(pending.line.quantity) × \(pending.line.item)"
      )
    }
    out.append("")
    out.append(
      "entries on no contract line including their class: \(report.entriesWithoutLine.count)")
    for entry in report.entriesWithoutLine {
      out.append("  \(entry.id) (\(entry.lineClass.rawValue), project \(entry.project))")
    }
    out.append("")
    out.append("milestones")
    for state in milestones {
      out.append("  \(state.milestone.id) \(state.status.rawValue)")
    }
    return out.joined(separator: "\n") + "\n"
  }
}

/// What a contract and customer stand at after the run.
public struct Balance: Hashable, Sendable {
  /// The contract's id, or `(no contract)`.
  public var contract: Name
  public var customer: CustomerID
  /// Billed sales, chargeable, retainers apart.
  public var billed: Money
  /// Unbilled sales still open, chargeable, retainers apart.
  public var unbilled: Money
  /// What is left of retainers and advances to apply.
  public var retainer: Money
  public var heldBack: Money
}

extension Balance {
  struct Key: KeyHashable, Comparable {
    let contract: Name
    let customer: CustomerID
    let currency: Currency

    /// By `KeyHash`: the standard library's SipHash of three values cost 400 instructions a
    /// lookup (the merged balances look every part's up).
    var keyHash: UInt64 {
      KeyHash.combine(KeyHash.combine(contract.keyHash, customer.keyHash), currency.keyHash)
    }
    static func < (a: Key, b: Key) -> Bool {
      (a.contract, a.customer.name, a.currency.code) < (
        b.contract, b.customer.name, b.currency.code
      )
    }
  }

  var key: Key { Key(contract: contract, customer: customer, currency: billed.currency) }

  init(_ key: Key) {
    self.init(
      contract: key.contract, customer: key.customer, billed: .zero(key.currency),
      unbilled: .zero(key.currency), retainer: .zero(key.currency), heldBack: .zero(key.currency))
  }

  /// Two parts' balances of one contract and customer (order lines of several parts share
  /// "(no contract)").
  static func + (a: Balance, b: Balance) -> Balance {
    Balance(
      contract: a.contract, customer: a.customer, billed: a.billed + b.billed,
      unbilled: a.unbilled + b.unbilled, retainer: a.retainer + b.retainer,
      heldBack: a.heldBack + b.heldBack)
  }
}

/// Per contract (or "(no contract)" for order lines) and customer, in that order.
func balances(_ actuals: [Actual], heldBack: [HeldBack]) -> [Balance] {
  typealias Key = Balance.Key
  let noContract = Name("(no contract)")
  // Each key's balance in an array, found through the table once each time the key changes
  // (a split entry's customers alternate), summed in place.
  var table = Rows()
  var current: (key: Key, slot: Int)?
  actuals.withUnsafeBufferPointer { actuals in
    for i in actuals.indices where actuals[i].billing == .chargeable {
      let amount = actuals[i].amount
      let key = Key(
        contract: actuals[i].contract?.name ?? noContract, customer: actuals[i].customer,
        currency: amount.currency)
      if current?.key != key { current = (key, table.slot(key)) }
      table.add(
        actuals[i].type, retainer: actuals[i].lineClass == .retainer, amount, to: current!.slot)
    }
  }
  var lines: [ContractLineID: Name] = [:]
  if !heldBack.isEmpty {
    for a in actuals {
      if let line = a.contractLine, let contract = a.contract, lines[line] == nil {
        lines[line] = contract.name
      }
    }
  }
  for held in heldBack {
    let key = Key(
      contract: lines[held.contractLine] ?? noContract, customer: held.customer,
      currency: held.amount.currency)
    let r = table.slot(key)
    table.rows[r].heldBack = table.rows[r].heldBack + held.amount
  }
  return table.rows.sorted { $0.key < $1.key }
}

/// The balances being summed, by key: their positions in an array.
private struct Rows {
  var slots = KeyPositions<Balance.Key>()
  var rows: [Balance] = []

  mutating func slot(_ key: Balance.Key) -> Int {
    let (slot, isNew) = slots.position(of: key)
    if isNew { rows.append(Balance(key)) }
    return slot
  }

  mutating func add(_ type: ActualType, retainer: Bool, _ amount: Money, to r: Int) {
    switch (type, retainer) {
    case (.billedSales, false): rows[r].billed = rows[r].billed + amount
    case (.unbilledSales, false): rows[r].unbilled = rows[r].unbilled + amount
    case (.unbilledSales, true): rows[r].retainer = rows[r].retainer - amount
    case (.billedSales, true): break
    }
  }
}

func pad(_ text: String, _ width: Int) -> String {
  text + String(repeating: " ", count: max(0, width - text.count))
}
