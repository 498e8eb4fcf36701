/// A typed id: an `ID<EntryTag>` never passes where an `ID<ContractTag>` is expected.
/// Held as a `Name`: copied as bytes, compared as two words.
@frozen public struct ID<Tag>: KeyHashable, Comparable, Sendable, CustomStringConvertible {
  public let name: Name
  @inlinable public init(_ name: Name) { self.name = name }
  public init(_ value: String) { self.name = Name(value) }
  /// The id as a string (one is made on each call: the hot paths use `name`).
  public var value: String { name.string }
  public var description: String { name.string }
  @inlinable public static func == (a: ID, b: ID) -> Bool { a.name == b.name }
  @inlinable public static func < (a: ID, b: ID) -> Bool { a.name < b.name }
  // Hashed by `KeyHash`, not SipHash: ids are the keys of most tables of a run.
  @inlinable public var keyHash: UInt64 { name.keyHash }
}

public enum ContractTag {}
public enum ContractLineTag {}
public enum ProjectTag {}
public enum CustomerTag {}
public enum EntryTag {}
public enum MilestoneTag {}
public enum RetainerTag {}
public enum OrderTag {}
public enum InvoiceTag {}
public enum LegalEntityTag {}

public typealias ContractID = ID<ContractTag>
public typealias ContractLineID = ID<ContractLineTag>
public typealias ProjectID = ID<ProjectTag>
public typealias CustomerID = ID<CustomerTag>
public typealias EntryID = ID<EntryTag>
public typealias MilestoneID = ID<MilestoneTag>
public typealias RetainerID = ID<RetainerTag>
public typealias OrderID = ID<OrderTag>
/// The id of an invoice or any other document (credit note, corrective invoice).
public typealias InvoiceID = ID<InvoiceTag>
public typealias LegalEntityID = ID<LegalEntityTag>

/// A line detail of an invoice: `INV-1/3`.
@frozen public struct InvoiceLineRef: KeyHashable, Comparable, Sendable, CustomStringConvertible {
  public let invoice: InvoiceID
  public let line: Name
  @inlinable public init(invoice: InvoiceID, line: Name) {
    self.invoice = invoice
    self.line = line
  }

  /// Splits `INVOICE/LINE` at its last `/`; nil when either side is empty.
  public init?(parsing text: String) {
    guard let slash = text.lastIndex(of: "/") else { return nil }
    let invoice = text[..<slash]
    let line = text[text.index(after: slash)...]
    guard !invoice.isEmpty, !line.isEmpty else { return nil }
    self.init(invoice: InvoiceID(String(invoice)), line: Name(String(line)))
  }

  public var description: String { "\(invoice.value)/\(line)" }
  @inlinable public var keyHash: UInt64 { KeyHash.combine(invoice.keyHash, line.keyHash) }
  @inlinable public static func == (a: Self, b: Self) -> Bool {
    a.invoice == b.invoice && a.line == b.line
  }
  @inlinable public static func < (a: Self, b: Self) -> Bool {
    a.invoice != b.invoice ? a.invoice < b.invoice : a.line < b.line
  }
}
