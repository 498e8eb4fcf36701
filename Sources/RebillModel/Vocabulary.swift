/// The closed vocabularies of the inbox (FORMATS.md). Raw values are the words in files.

/// How a contract line is invoiced.
public enum BillingMethod: String, Sendable, CaseIterable {
  case timeAndMaterial = "time_and_material"
  case fixedPrice = "fixed_price"
  case product
}

/// What an actual or an invoice line is for. Entries are the first four.
public enum LineClass: String, Sendable, CaseIterable, Comparable {
  case time, expense, material, fee, milestone, retainer, item

  /// The classes of work recorded as entries, in the order of `includes`' default.
  public static let entryClasses: [LineClass] = [.time, .expense, .material, .fee]

  public static func < (a: Self, b: Self) -> Bool {
    allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
  }

  /// A bit of its own, for sets of classes held as one byte.
  @inlinable public var bit: UInt8 {
    switch self {
    case .time: 1
    case .expense: 2
    case .material: 4
    case .fee: 8
    case .milestone: 16
    case .retainer: 32
    case .item: 64
    }
  }
}

/// Whether a line counts towards what the customer pays.
public enum BillingType: String, Sendable, CaseIterable {
  case chargeable
  /// Not billed: a write-off.
  case nonChargeable = "non_chargeable"
  /// Shown to the customer at zero charge.
  case complimentary
}

public enum MilestoneStatus: String, Sendable, CaseIterable {
  case notReady = "not_ready"
  case readyToInvoice = "ready_to_invoice"
  /// Only ever written by a run (`milestones.csv`), never read.
  case invoiced
}

public enum RetainerKind: String, Sendable, CaseIterable { case retainer, advance }

public enum RetainerStatus: String, Sendable, CaseIterable {
  case readyToInvoice = "ready_to_invoice"
  case notReady = "not_ready"
}

public enum OrderType: String, Sendable, CaseIterable {
  case sales
  case `return`
}

/// Sales lines are `open` or `delivered`; return lines `awaiting`, `registered`, `received`
/// or `canceled`.
public enum OrderLineStatus: String, Sendable, CaseIterable {
  case open, delivered, awaiting, registered, received, canceled

  public static let sales: [OrderLineStatus] = [.open, .delivered]
  public static let `return`: [OrderLineStatus] = [.awaiting, .registered, .received, .canceled]
}

public enum DocumentKind: String, Sendable, CaseIterable {
  case invoice
  case creditNote = "credit_note"
}

/// What happens to the quantity a correction takes off a line detail.
public enum Remainder: String, Sendable, CaseIterable {
  /// Back in the backlog, to be invoiced later.
  case chargeable
  /// Written off.
  case nonChargeable = "non_chargeable"
}

/// What the engine does when today's entries disagree with confirmed invoices.
public enum DriftMode: String, Sendable, CaseIterable { case correct, report }
