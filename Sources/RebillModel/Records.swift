/// The inbox's records: immutable values, one per row (a YAML record with `lines:` gives one
/// per line). Amounts whose currency is not on their own row (milestones, retainers,
/// corrections) stay `ExactDecimal` as written; validation has checked they fit the currency
/// they resolve to.

/// A contract line (`contracts/`).
public struct ContractLine: Hashable, Sendable {
  public var origin: RecordOrigin
  public var contract: ContractID
  public var customer: CustomerID
  public var currency: Currency
  public var id: ContractLineID
  public var project: ProjectID
  public var billingMethod: BillingMethod
  /// The entry classes this line invoices.
  public var includes: [LineClass]
  public var amount: Money?
  public var notToExceed: Money?
  public var taxRate: Percent
  public var legalEntity: LegalEntityID?
  public var country: String?

  public init(
    origin: RecordOrigin, contract: ContractID, customer: CustomerID, currency: Currency,
    id: ContractLineID, project: ProjectID, billingMethod: BillingMethod, includes: [LineClass],
    amount: Money?, notToExceed: Money?, taxRate: Percent, legalEntity: LegalEntityID?,
    country: String?
  ) {
    self.origin = origin
    self.contract = contract
    self.customer = customer
    self.currency = currency
    self.id = id
    self.project = project
    self.billingMethod = billingMethod
    self.includes = includes
    self.amount = amount
    self.notToExceed = notToExceed
    self.taxRate = taxRate
    self.legalEntity = legalEntity
    self.country = country
  }
}

/// One customer's share of a contract or of one contract line (`funding/`).
public struct FundingShare: Hashable, Sendable {
  public var origin: RecordOrigin
  public var contract: ContractID
  public var customer: CustomerID
  public var splitPercent: Percent
  /// nil: the whole contract.
  public var contractLine: ContractLineID?
  /// Takes the rounding differences.
  public var rounding: Bool

  public init(
    origin: RecordOrigin, contract: ContractID, customer: CustomerID, splitPercent: Percent,
    contractLine: ContractLineID?, rounding: Bool
  ) {
    self.origin = origin
    self.contract = contract
    self.customer = customer
    self.splitPercent = splitPercent
    self.contractLine = contractLine
    self.rounding = rounding
  }
}

/// A milestone of a fixed-price line (`milestones/`).
public struct Milestone: Hashable, Sendable {
  public enum Share: Hashable, Sendable {
    case amount(ExactDecimal)
    case percent(Percent)
  }

  public var origin: RecordOrigin
  public var id: MilestoneID
  public var contract: ContractID
  public var contractLine: ContractLineID
  public var date: CalendarDate
  public var share: Share
  public var description: String?
  public var status: MilestoneStatus

  public init(
    origin: RecordOrigin, id: MilestoneID, contract: ContractID, contractLine: ContractLineID,
    date: CalendarDate, share: Share, description: String?, status: MilestoneStatus
  ) {
    self.origin = origin
    self.id = id
    self.contract = contract
    self.contractLine = contractLine
    self.date = date
    self.share = share
    self.description = description
    self.status = status
  }
}

/// A retainer or advance (`retainers/`).
public struct Retainer: Hashable, Sendable {
  public var origin: RecordOrigin
  public var id: RetainerID
  public var contract: ContractID
  public var date: CalendarDate
  public var amount: ExactDecimal
  public var kind: RetainerKind
  /// nil: the contract's customer.
  public var customer: CustomerID?
  public var status: RetainerStatus

  public init(
    origin: RecordOrigin, id: RetainerID, contract: ContractID, date: CalendarDate,
    amount: ExactDecimal, kind: RetainerKind, customer: CustomerID?, status: RetainerStatus
  ) {
    self.origin = origin
    self.id = id
    self.contract = contract
    self.date = date
    self.amount = amount
    self.kind = kind
    self.customer = customer
    self.status = status
  }
}

/// A time, expense, material or fee entry (`timesheets/`, `expenses/`, `materials/`, `fees/`).
public struct Entry: Hashable, Sendable {
  // Widest first, as `InvoiceLine`'s.
  public var id: EntryID
  public var project: ProjectID
  /// nil: the project's only line including this class.
  public var contractLine: ContractLineID?
  /// Hours for time.
  public var quantity: Quantity
  public var unitPrice: UnitPrice
  public var origin: RecordOrigin
  public var date: CalendarDate
  /// `.time`, `.expense`, `.material` or `.fee`, from the folder.
  public var lineClass: LineClass
  public var billing: BillingType
  // The resource, role, unit, category and description of an entry are checked as text when
  // read and not kept: nothing uses them, and a million entries would carry them in every copy.

  public init(
    origin: RecordOrigin, id: EntryID, lineClass: LineClass, date: CalendarDate,
    project: ProjectID, quantity: Quantity, unitPrice: UnitPrice, contractLine: ContractLineID?,
    billing: BillingType
  ) {
    self.origin = origin
    self.id = id
    self.lineClass = lineClass
    self.date = date
    self.project = project
    self.quantity = quantity
    self.unitPrice = unitPrice
    self.contractLine = contractLine
    self.billing = billing
  }
}

/// A sales-order or return-order line (`orders/`).
public struct OrderLine: Hashable, Sendable {
  public var origin: RecordOrigin
  public var order: OrderID
  public var orderType: OrderType
  public var customer: CustomerID
  public var currency: Currency
  public var date: CalendarDate
  public var line: Name
  public var item: String
  /// Positive.
  public var quantity: Quantity
  public var unitPrice: UnitPrice
  public var status: OrderLineStatus
  public var taxRate: Percent
  /// The invoiced sales line this return line returns.
  public var returns: InvoiceLineRef?

  public init(
    origin: RecordOrigin, order: OrderID, orderType: OrderType, customer: CustomerID,
    currency: Currency, date: CalendarDate, line: Name, item: String, quantity: Quantity,
    unitPrice: UnitPrice, status: OrderLineStatus, taxRate: Percent, returns: InvoiceLineRef?
  ) {
    self.origin = origin
    self.order = order
    self.orderType = orderType
    self.customer = customer
    self.currency = currency
    self.date = date
    self.line = line
    self.item = item
    self.quantity = quantity
    self.unitPrice = unitPrice
    self.status = status
    self.taxRate = taxRate
    self.returns = returns
  }

  /// `ORDER/LINE`, the source of the invoice line that bills it.
  public var source: Name { Name(IDText.join(order.value, UInt8(ascii: "/"), line.string)) }
}

/// A line detail of a confirmed invoice (`invoices/`), or of a document this run creates.
public struct InvoiceLine: Hashable, Sendable {
  // Stored widest first, so that no field leaves a gap before the next (Swift lays fields out
  // in this order), in 160 bytes: a million lines are read, and copied several times in a run,
  // and on this machine every byte of them costs (docs/hardening.md, Fresh pages on this
  // machine). Amounts are held as minor units of the line's currency, and the fields few
  // lines carry (title, the line corrected, kind, whether the document corrects) once in the
  // name store (`LineNotes`).
  public var invoice: InvoiceID
  public var customer: CustomerID
  public var line: Name
  /// What it bills: the entry, milestone or retainer id, `ORDER/LINE`, or a contract line.
  public var source: Name
  public var contract: ContractID?
  public var contractLine: ContractLineID?
  /// The address of the line's `LineNotes` in the name store; 0: it has none.
  @usableFromInline var notes: UInt
  public var quantity: Quantity
  public var unitPrice: UnitPrice
  @usableFromInline var amountUnits: Int64
  @usableFromInline var taxUnits: Int64
  public var currency: Currency
  public var date: CalendarDate
  public var origin: RecordOrigin
  public var lineClass: LineClass
  public var billing: BillingType
  public var correction: Bool

  // Inlinable: a million lines are made through it, each moved into place, not copied.
  @inlinable public init(
    origin: RecordOrigin, invoice: InvoiceID, date: CalendarDate, customer: CustomerID,
    currency: Currency, line: Name, lineClass: LineClass, source: Name, quantity: Quantity,
    unitPrice: UnitPrice, amount: Money, contract: ContractID? = nil,
    contractLine: ContractLineID? = nil, billing: BillingType = .chargeable,
    taxAmount: Money? = nil, corrects: InvoiceLineRef? = nil, correction: Bool = false,
    title: Name? = nil, kind: DocumentKind? = nil, hasCorrections: Bool? = nil
  ) {
    precondition(amount.currency == currency && (taxAmount?.currency ?? currency) == currency)
    self.origin = origin
    self.invoice = invoice
    self.date = date
    self.customer = customer
    self.currency = currency
    self.line = line
    self.lineClass = lineClass
    self.source = source
    self.quantity = quantity
    self.unitPrice = unitPrice
    self.amountUnits = amount.minorUnits
    self.contract = contract
    self.contractLine = contractLine
    self.billing = billing
    self.taxUnits = taxAmount?.minorUnits ?? 0
    self.correction = correction
    notes =
      LineNotes(title: title, corrects: corrects, kind: kind, hasCorrections: hasCorrections)
      .address
  }

  /// In the line's currency.
  public var amount: Money {
    @inlinable get { Money(minorUnits: amountUnits, currency: currency) }
    @inlinable set {
      precondition(newValue.currency == currency)
      amountUnits = newValue.minorUnits
    }
  }

  /// In the line's currency.
  public var taxAmount: Money {
    @inlinable get { Money(minorUnits: taxUnits, currency: currency) }
    @inlinable set {
      precondition(newValue.currency == currency)
      taxUnits = newValue.minorUnits
    }
  }

  /// Free text, held byte for byte (`Name(verbatim:)`).
  public var title: Name? {
    @inlinable get { LineNotes.title(at: notes) }
    set { lineNotes.title = newValue }
  }

  /// The line of an earlier invoice this one credits or re-bills.
  public var corrects: InvoiceLineRef? {
    @inlinable get { LineNotes.corrects(at: notes) }
    set { lineNotes.corrects = newValue }
  }

  public var kind: DocumentKind? {
    @inlinable get { LineNotes.kind(at: notes) }
    set { lineNotes.kind = newValue }
  }

  public var hasCorrections: Bool? {
    @inlinable get { LineNotes.hasCorrections(at: notes) }
    set { lineNotes.hasCorrections = newValue }
  }

  /// All four notes at once (one look-up in the store, not one a field).
  public mutating func setNotes(
    title: Name?, corrects: InvoiceLineRef?, kind: DocumentKind?, hasCorrections: Bool?
  ) {
    lineNotes = LineNotes(
      title: title, corrects: corrects, kind: kind, hasCorrections: hasCorrections)
  }

  /// Gives each of a document's lines its title, kind and whether it corrects, as the run
  /// does for a document it makes, each keeping the line it corrects. The lines that correct
  /// none, nearly all, share one copy of the notes, looked up once.
  public static func setDocumentNotes(
    of lines: inout [InvoiceLine], title: Name?, kind: DocumentKind?, hasCorrections: Bool?
  ) {
    let shared = LineNotes(title: title, kind: kind, hasCorrections: hasCorrections).address
    for i in lines.indices {
      if let corrects = lines[i].corrects {
        lines[i].setNotes(
          title: title, corrects: corrects, kind: kind, hasCorrections: hasCorrections)
      } else {
        lines[i].notes = shared
      }
    }
  }

  var lineNotes: LineNotes {
    get { notes == 0 ? LineNotes() : LineNotes(at: notes) }
    set { notes = newValue.address }
  }

  public var ref: InvoiceLineRef { InvoiceLineRef(invoice: invoice, line: line) }
}

/// An instruction to correct a confirmed invoice (`corrections/`).
public struct CorrectionInstruction: Hashable, Sendable {
  public var origin: RecordOrigin
  public var invoice: InvoiceID
  /// nil: every line of the invoice.
  public var line: Name?
  /// The quantity that is to be invoiced now; 0 is a full credit.
  public var quantity: Quantity
  public var unitPrice: UnitPrice?
  /// Retainer lines: the corrected amount (positive), in the invoice's currency.
  public var amount: ExactDecimal?
  /// The correct tax of the re-billed line, in the invoice's currency.
  public var taxAmount: ExactDecimal?
  public var remainder: Remainder
  /// The corrective invoice's id; nil: derived (`INVOICE-CYYYYMMDD`).
  public var document: InvoiceID?
  /// nil: the run date.
  public var date: CalendarDate?
  public var reason: String?

  public init(
    origin: RecordOrigin, invoice: InvoiceID, line: Name?, quantity: Quantity,
    unitPrice: UnitPrice?, amount: ExactDecimal?, taxAmount: ExactDecimal?, remainder: Remainder,
    document: InvoiceID?, date: CalendarDate?, reason: String?
  ) {
    self.origin = origin
    self.invoice = invoice
    self.line = line
    self.quantity = quantity
    self.unitPrice = unitPrice
    self.amount = amount
    self.taxAmount = taxAmount
    self.remainder = remainder
    self.document = document
    self.date = date
    self.reason = reason
  }
}
