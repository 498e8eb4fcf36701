import Testing

@testable import RebillEngine
@testable import RebillModel

/// DOMAIN §2: actuals for ordinary events, with the worked figures (8 h at 200.00).
@Suite struct OrdinaryEventTests {
  @Test func anEntryIsUnbilledSales() {
    var s = Scenario()
    s.entry("E1", quantity: "8", price: "200.00")
    let run = s.run()
    #expect(run.actuals.map(Row.init) == [.unbilled("8", "1600.00")])
    #expect(run.actuals[0].id == "E1@C1")
    #expect(run.actuals[0].origin == .entry)
  }

  @Test func anInvoiceReversesTheUnbilledAndBills() {
    var s = Scenario()
    s.entry("E1", quantity: "8", price: "200.00")
    s.invoiceLine("INV-1", "1", source: "E1", quantity: "8", price: "200.00", amount: "1600.00")
    let run = s.run()
    #expect(
      run.rows(of: "INV-1") == [
        .unbilled("-8", "-1600.00", reversal: true), .billed("8", "1600.00"),
      ])
    #expect(run.actuals[1].reverses == "E1@C1")
  }

  @Test func billingSixAndWritingTwoOff() {
    var s = Scenario()
    s.entry("E1", quantity: "8", price: "200.00")
    s.invoiceLine("INV-1", "1", source: "E1", quantity: "6", price: "200.00", amount: "1200.00")
    s.invoiceLine(
      "INV-1", "2", source: "E1", quantity: "2", price: "200.00", amount: "400.00",
      billing: .nonChargeable)
    #expect(
      s.run().rows(of: "INV-1") == [
        .unbilled("-6", "-1200.00", reversal: true), .billed("6", "1200.00"),
        .unbilled("-2", "-400.00", reversal: true), .billed("2", "400.00", .nonChargeable),
      ])
  }

  @Test func partialInvoicingLeavesTheRestUnbilled() {
    var s = Scenario()
    s.entry("E1", quantity: "8", price: "200.00")
    s.invoiceLine("INV-1", "1", source: "E1", quantity: "6", price: "200.00", amount: "1200.00")
    let run = s.run()
    let unbilled = run.actuals.filter { $0.type == .unbilledSales }.reduce(s.money("0")) {
      $0 + $1.amount
    }
    #expect(unbilled == s.money("400.00"))
  }

  @Test func aMilestoneIsBilledOnly() {
    var s = Scenario()
    s.invoiceLine(
      "INV-1", "1", .milestone, source: "M1", quantity: "1", price: "5000.00", amount: "5000.00")
    #expect(s.run().rows(of: "INV-1") == [.billed("1", "5000.00")])
  }

  @Test func aRetainerIsBilledAndKeptAsANegativeBalance() {
    var s = Scenario()
    s.invoiceLine(
      "INV-1", "1", .retainer, source: "R1", quantity: "1", price: "5000.00", amount: "5000.00",
      contractLine: nil)
    let run = s.run()
    #expect(run.rows(of: "INV-1") == [.billed("1", "5000.00"), .unbilled("-1", "-5000.00")])
    #expect(run.actuals.allSatisfy { $0.lineClass == .retainer })
  }

  /// DOMAIN §2's worked example: retainer 5,000.00, later time charges 3,000.00.
  @Test func aRetainerAppliedOnALaterInvoice() {
    var s = Scenario()
    s.invoiceLine(
      "INV-1", "1", .retainer, source: "R1", quantity: "1", price: "5000.00", amount: "5000.00",
      date: "2026-09-01", contractLine: nil)
    s.entry("E1", quantity: "15", price: "200.00")
    s.invoiceLine("INV-2", "1", source: "E1", quantity: "15", price: "200.00", amount: "3000.00")
    s.invoiceLine(
      "INV-2", "2", .retainer, source: "R1", quantity: "1", price: "-3000.00", amount: "-3000.00",
      contractLine: nil)
    let run = s.run()
    let retainer = run.actuals.filter { $0.source == "R1" }
    #expect(retainer.reduce(s.money("0")) { $0 + $1.amount } == s.money("0"))
    #expect(
      run.actuals.filter { $0.document?.value == "INV-2" && $0.source == "R1" }.map(Row.init) == [
        .unbilled("1", "5000.00", reversal: true), .billed("1", "-3000.00"),
        .unbilled("0", "-2000.00"),
      ])
    #expect(run.actuals.filter { $0.origin == .reconciliation }.count == 3)
  }

  @Test func aSalesOrderLineAndAReturn() {
    var s = Scenario()
    s.inbox.orderLines = [
      orderLine("SO-1", .sales, "1", quantity: "10", price: "389.00", status: .delivered)
    ]
    let first = s.run()
    #expect(first.errors == [])
    #expect(first.documents.map(\.id.value) == ["SO-1-I20261110"])
    #expect(first.rows(of: "SO-1-I20261110") == [.billed("10", "3890.00")])
    var second = s
    second.inbox.invoiceLines = first.documents.flatMap(\.lines)
    second.inbox.orderLines.append(
      orderLine(
        "RO-1", .return, "1", quantity: "2", price: "399.00", status: .received,
        returns: "SO-1-I20261110/1"))
    let run = second.run()
    #expect(run.errors == [])
    #expect(run.documents.map(\.id.value) == ["RO-1-R20261110"])
    #expect(run.rows(of: "RO-1-R20261110") == [.billed("-2", "-778.00")])  // at the invoiced price
    #expect(run.actuals.last?.origin == .return)
    #expect(run.documents[0].kind == .creditNote)
  }

  func orderLine(
    _ order: String, _ type: OrderType, _ line: String, quantity: String, price: String,
    status: OrderLineStatus, returns: String? = nil
  ) -> OrderLine {
    OrderLine(
      origin: .none, order: OrderID(order), orderType: type, customer: CustomerID("C1"),
      currency: Currency(code: "EUR")!, date: Scenario.date("2026-10-01"), line: Name(line),
      item: "Scanner",
      quantity: Scenario.q(quantity), unitPrice: Scenario.p(price), status: status,
      taxRate: Percent(micros: 19_000_000), returns: returns.flatMap(InvoiceLineRef.init(parsing:)))
  }
}
