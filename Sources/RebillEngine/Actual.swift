import RebillModel

/// The two kinds of sales actual (DOMAIN §1).
public enum ActualType: String, Sendable, CaseIterable {
  /// Value earned but not yet invoiced: the backlog.
  case unbilledSales = "unbilled_sales"
  /// Value on a confirmed invoice.
  case billedSales = "billed_sales"
}

/// What made an actual (FORMATS.md, `actuals.csv` column `origin`).
public enum ActualOrigin: String, Sendable, CaseIterable {
  /// An approved entry: its unbilled sales.
  case entry
  /// An invoice line: billing, partial billing, write-off, milestone, retainer, order line.
  case invoice
  /// A line of a corrective invoice: credit, re-bill, written-off rest.
  case correction
  /// A retainer applied on an invoice.
  case reconciliation
  /// A return-order line credited.
  case `return`
}

/// An immutable, signed ledger row. Nothing is edited: a change is a reversal plus new rows.
public struct Actual: Hashable, Sendable {
  /// Stable, from business keys: `T1@C1` for an entry's unbilled sales, `INV-1/2#1` for the
  /// first actual of line 2 of document INV-1.
  public var id: String
  public var date: CalendarDate
  public var type: ActualType
  /// The actual this one reverses, when it is a reversal.
  public var reverses: String?
  public var lineClass: LineClass
  public var billing: BillingType
  /// The entry, milestone, retainer, `ORDER/LINE` or contract line it is about.
  public var source: String
  public var contract: ContractID?
  public var contractLine: ContractLineID?
  public var customer: CustomerID
  public var document: InvoiceID?
  public var documentLine: String?
  public var quantity: Quantity
  public var unitPrice: UnitPrice
  public var amount: Money
  public var origin: ActualOrigin

  public init(
    id: String, date: CalendarDate, type: ActualType, reverses: String? = nil,
    lineClass: LineClass, billing: BillingType, source: String, contract: ContractID?,
    contractLine: ContractLineID?, customer: CustomerID, document: InvoiceID? = nil,
    documentLine: String? = nil, quantity: Quantity, unitPrice: UnitPrice, amount: Money,
    origin: ActualOrigin
  ) {
    self.id = id
    self.date = date
    self.type = type
    self.reverses = reverses
    self.lineClass = lineClass
    self.billing = billing
    self.source = source
    self.contract = contract
    self.contractLine = contractLine
    self.customer = customer
    self.document = document
    self.documentLine = documentLine
    self.quantity = quantity
    self.unitPrice = unitPrice
    self.amount = amount
    self.origin = origin
  }

  public var isReversal: Bool { reverses != nil }
}
