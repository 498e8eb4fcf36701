import Testing

@testable import RebillEngine
@testable import RebillModel

/// DOMAIN §6 (returns gated by their status, limited to what was invoiced) and §7 (titles).
@Suite struct OrdersAndTitlesTests {
  let eur = Currency(code: "EUR")!

  func line(
    _ order: String, _ type: OrderType, _ line: String, _ quantity: String,
    _ status: OrderLineStatus,
    returns: String? = nil
  ) -> OrderLine {
    OrderLine(
      origin: .none, order: OrderID(order), orderType: type, customer: CustomerID("C1"),
      currency: eur,
      date: Scenario.date("2026-10-01"), line: Name(line), item: "Scanner",
      quantity: Scenario.q(quantity),
      unitPrice: Scenario.p("100.00"), status: status, taxRate: .zero,
      returns: returns.flatMap(InvoiceLineRef.init(parsing:)))
  }

  func sold() -> Scenario {
    var s = Scenario()
    s.invoiceLine(
      "INV-1", "1", .item, source: "SO-1/1", quantity: "10", price: "95.00", amount: "950.00",
      contractLine: nil)
    s.inbox.orderLines = [line("SO-1", .sales, "1", "10", .delivered)]
    return s
  }

  @Test func returnLinesAreCreditedOnlyOnceReceived() {
    var s = sold()
    s.inbox.orderLines += [
      line("RO-1", .return, "1", "1", .awaiting, returns: "INV-1/1"),
      line("RO-1", .return, "2", "2", .registered, returns: "INV-1/1"),
      line("RO-1", .return, "3", "3", .received, returns: "INV-1/1"),
      line("RO-1", .return, "4", "4", .canceled, returns: "INV-1/1"),
    ]
    let run = s.run()
    #expect(run.errors == [])
    #expect(run.documents.count == 1)
    #expect(run.documents[0].lines.map(\.source) == ["RO-1/3"])
    #expect(run.documents[0].lines[0].amount.amountText == "-285.00")  // 3 at the invoiced 95.00
    #expect(run.report.pendingReturns.map(\.line.source) == ["RO-1/1", "RO-1/2"])
  }

  @Test func aSalesLineNotDeliveredIsNotInvoiced() {
    var s = Scenario()
    s.inbox.orderLines = [
      line("SO-2", .sales, "1", "1", .open), line("SO-2", .sales, "2", "2", .delivered),
    ]
    let run = s.run()
    #expect(run.documents.map { $0.lines.map(\.source) } == [["SO-2/2"]])
  }

  @Test func aReturnAboveWhatWasInvoicedIsAnError() {
    var s = sold()
    s.invoiceLine(
      "INV-2", "1", .item, source: "RO-0/1", quantity: "-6", price: "95.00", amount: "-570.00",
      contractLine: nil)
    s.inbox.orderLines += [
      line("RO-0", .return, "1", "6", .received, returns: "INV-1/1"),
      line("RO-1", .return, "1", "5", .received, returns: "INV-1/1"),
    ]
    let run = s.run()
    #expect(
      run.errors.map(\.description) == [
        "(made by rebill): quantity: expected at most 4 (invoiced 10 on INV-1/1, less earlier returns), found 5"
      ])
  }

  func creditNote(country: String?, labelFrom: String?, date: String = "2026-11-10") -> String {
    var s = sold()
    s.inbox.settings.country = country ?? "US"
    s.inbox.settings.correctiveInvoiceLabelFrom = labelFrom.map(Scenario.date)
    s.inbox.settings.runDate = Scenario.date(date)
    s.inbox.orderLines.append(line("RO-1", .return, "1", "1", .received, returns: "INV-1/1"))
    return s.run().documents[0].lines[0].title?.string ?? ""
  }

  @Test func titles() {
    #expect(creditNote(country: "US", labelFrom: nil) == "Credit note")
    #expect(creditNote(country: "DE", labelFrom: nil) == "Credit note")
    #expect(creditNote(country: "DE", labelFrom: "2026-11-10") == "Corrective invoice")
    #expect(creditNote(country: "DE", labelFrom: "2026-11-11") == "Credit note")
    #expect(creditNote(country: "FR", labelFrom: "2026-01-01") == "Credit note")
    var s = Scenario()
    s.inbox.orderLines = [line("SO-2", .sales, "1", "1", .delivered)]
    #expect(s.run().documents[0].lines[0].title == "Invoice")
  }

  @Test func aRunThatWouldCreateADocumentNeedsARunDate() {
    var s = Scenario()
    s.inbox.settings.runDate = nil
    s.inbox.orderLines = [line("SO-2", .sales, "1", "1", .delivered)]
    let run = s.run()
    #expect(run.documents.isEmpty)
    #expect(
      run.errors.map(\.description) == [
        "(made by rebill): run_date: expected a run date (rebill.yaml run_date or --run-date) to date the invoice of order SO-2, found none"
      ])
  }
}
