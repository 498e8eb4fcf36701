import Foundation
import RebillEngine
import RebillModel

/// Small inboxes built in code: one time-and-material contract K1 (customer C1, EUR, 19 %),
/// line L1 on project P1, taking every class of entry.
struct Scenario {
  var inbox = Inbox()
  let eur = Currency(code: "EUR")!

  init(runDate: String = "2026-11-10") {
    inbox.settings.runDate = CalendarDate.parse(runDate)
    inbox.contractLines = [
      ContractLine(
        origin: .none, contract: ContractID("K1"), customer: CustomerID("C1"), currency: eur,
        id: ContractLineID("L1"), project: ProjectID("P1"), billingMethod: .timeAndMaterial,
        includes: LineClass.entryClasses, amount: nil, notToExceed: nil,
        taxRate: Percent(micros: 19_000_000), legalEntity: nil, country: nil)
    ]
  }

  static func q(_ text: String) -> Quantity { Quantity(try! ExactDecimal.parse(text).get())! }
  static func p(_ text: String) -> UnitPrice { UnitPrice(try! ExactDecimal.parse(text).get())! }
  func money(_ text: String) -> Money { Money(try! ExactDecimal.parse(text).get(), currency: eur)! }
  static func date(_ text: String) -> CalendarDate { CalendarDate.parse(text)! }

  mutating func entry(
    _ id: String, _ lineClass: LineClass = .time, quantity: String, price: String,
    date: String = "2026-10-01", billing: BillingType = .chargeable
  ) {
    inbox.entries.append(
      Entry(
        origin: .none, id: EntryID(id), lineClass: lineClass, date: Self.date(date),
        project: ProjectID("P1"), quantity: Self.q(quantity), unitPrice: Self.p(price),
        contractLine: nil, billing: billing))
  }

  /// A confirmed invoice line billing `source`.
  mutating func invoiceLine(
    _ invoice: String, _ line: String, _ lineClass: LineClass = .time, source: String,
    quantity: String, price: String, amount: String, tax: String = "0",
    date: String = "2026-10-31", billing: BillingType = .chargeable, corrects: String? = nil,
    customer: String = "C1", contractLine: String? = "L1"
  ) {
    inbox.invoiceLines.append(
      InvoiceLine(
        origin: .none, invoice: InvoiceID(invoice), date: Self.date(date),
        customer: CustomerID(customer), currency: eur, line: Name(line), lineClass: lineClass,
        source: Name(source), quantity: Self.q(quantity), unitPrice: Self.p(price),
        amount: money(amount),
        contract: contractLine == nil ? nil : ContractID("K1"),
        contractLine: contractLine.map(ContractLineID.init), billing: billing,
        taxAmount: money(tax), corrects: corrects.flatMap(InvoiceLineRef.init(parsing:)),
        correction: corrects != nil))
  }

  mutating func correct(
    _ invoice: String, line: String?, quantity: String = "0", remainder: Remainder = .chargeable,
    date: String? = "2026-11-10", document: String? = nil
  ) {
    inbox.corrections.append(
      CorrectionInstruction(
        origin: .none, invoice: InvoiceID(invoice), line: line.map { Name($0) },
        quantity: Self.q(quantity),
        unitPrice: nil, amount: nil, taxAmount: nil, remainder: remainder,
        document: document.map(InvoiceID.init), date: date.map(Self.date), reason: nil))
  }

  /// A product-based contract line LIC (2,400.00), billed on INV-1 as line `line`.
  mutating func licenceInvoiced(line: String) {
    inbox.contractLines.append(
      ContractLine(
        origin: .none, contract: ContractID("K1"), customer: CustomerID("C1"), currency: eur,
        id: ContractLineID("LIC"), project: ProjectID("P3"), billingMethod: .product, includes: [],
        amount: money("2400.00"), notToExceed: nil, taxRate: .zero, legalEntity: nil, country: nil))
    invoiceLine(
      "INV-1", line, .material, source: "LIC", quantity: "1", price: "2400.00", amount: "2400.00",
      contractLine: "LIC")
  }

  func run() -> RunResult { reconcile(inbox) }
}

/// An actual as the seed's table states it: type, quantity, amount, billing, and whether it
/// reverses something.
struct Row: Equatable, CustomStringConvertible {
  let type: ActualType
  let quantity: String
  let amount: String
  var billing: BillingType = .chargeable
  var reversal = false

  var description: String {
    "\(type.rawValue)\(reversal ? " reversal" : "") \(quantity) / \(amount) \(billing.rawValue)"
  }

  static func unbilled(
    _ q: String, _ a: String, _ billing: BillingType = .chargeable, reversal: Bool = false
  ) -> Row {
    Row(type: .unbilledSales, quantity: q, amount: a, billing: billing, reversal: reversal)
  }

  static func billed(
    _ q: String, _ a: String, _ billing: BillingType = .chargeable, reversal: Bool = false
  ) -> Row {
    Row(type: .billedSales, quantity: q, amount: a, billing: billing, reversal: reversal)
  }

  init(type: ActualType, quantity: String, amount: String, billing: BillingType, reversal: Bool) {
    self.type = type
    self.quantity = quantity
    self.amount = amount
    self.billing = billing
    self.reversal = reversal
  }

  init(_ actual: Actual) {
    self.init(
      type: actual.type, quantity: actual.quantity.description, amount: actual.amount.amountText,
      billing: actual.billing, reversal: actual.isReversal)
  }
}

extension RunResult {
  /// The rows the documents of this run created, in order.
  var createdRows: [Row] {
    let created = Set(documents.map(\.id))
    return actuals.filter { $0.document.map(created.contains) ?? false }.map(Row.init)
  }

  func rows(of document: String) -> [Row] {
    actuals.filter { $0.document?.value == document }.map(Row.init)
  }
}
