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

/// Which actual another one is, by the business keys its id is made of (no string is built
/// per actual: the id is written from these parts).
public enum ActualRef: Hashable, Sendable {
  /// `SOURCE@CUSTOMER`: an entry's unbilled sales.
  case entry(source: Name, customer: CustomerID)
  /// `DOCUMENT/LINE#NUMBER`: the `number`th actual of a document line.
  case line(document: InvoiceID, line: Name, number: Int32)

  /// The id as written in `actuals.csv`.
  public var text: String {
    switch self {
    case .entry(let source, let customer):
      IDText.join(source.string, UInt8(ascii: "@"), customer.value)
    case .line(let document, let line, let number):
      IDText.join(document.value, UInt8(ascii: "/"), line.string, UInt8(ascii: "#"), Int(number))
    }
  }
}

/// An immutable, signed ledger row. Nothing is edited: a change is a reversal plus new rows.
public struct Actual: Hashable, Sendable {
  // Stored widest first, the one-byte values last: with a byte value between the words (as
  // the columns of `actuals.csv` would have them), the compiler built each actual in a
  // scratch copy one byte off and read it back across two stores, a stall per actual made.

  /// The entry, milestone, retainer, `ORDER/LINE` or contract line it is about.
  public var source: Name
  public var contract: ContractID?
  public var contractLine: ContractLineID?
  public var customer: CustomerID
  public var document: InvoiceID?
  public var documentLine: Name?
  public var quantity: Quantity
  public var unitPrice: UnitPrice
  public var amount: Money
  /// Which actual of its document line this is (`#1`, `#2`, …), 0 for an entry's unbilled
  /// sales: with the source and customer, or the document and its line, it makes the id.
  public var number: Int32
  public var date: CalendarDate
  /// The actual this one reverses, when it is a reversal.
  public var reversed: ActualRef?
  public var type: ActualType
  public var lineClass: LineClass
  public var billing: BillingType
  public var origin: ActualOrigin

  /// An entry's unbilled sales (`number` 0: the id is `SOURCE@CUSTOMER`), or the `number`th
  /// actual of `document`'s line `documentLine`.
  public init(
    number: Int32 = 0, date: CalendarDate, type: ActualType, reversed: ActualRef? = nil,
    lineClass: LineClass, billing: BillingType, source: Name, contract: ContractID?,
    contractLine: ContractLineID?, customer: CustomerID, document: InvoiceID? = nil,
    documentLine: Name? = nil, quantity: Quantity, unitPrice: UnitPrice, amount: Money,
    origin: ActualOrigin
  ) {
    precondition(number == 0 || (document != nil && documentLine != nil))
    self.number = number
    self.date = date
    self.type = type
    self.reversed = reversed
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

  /// This actual, for others to name. Inlinable: `actuals.csv` names every actual by it,
  /// read in place (a computed property of another module would copy the whole actual).
  @inlinable public var ref: ActualRef {
    if number == 0 { return .entry(source: source, customer: customer) }
    return .line(document: document!, line: documentLine!, number: number)
  }

  /// Stable, from business keys: `T1@C1` for an entry's unbilled sales, `INV-1/2#1` for the
  /// first actual of line 2 of document INV-1.
  public var id: String { ref.text }

  /// The id of the actual this one reverses.
  public var reverses: String? { reversed?.text }

  public var isReversal: Bool { reversed != nil }
}
