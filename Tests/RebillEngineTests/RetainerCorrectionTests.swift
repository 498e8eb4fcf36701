import Testing

@testable import RebillEngine
@testable import RebillModel

/// The retainer rows of the seed's table (DOMAIN §3): a retainer invoiced for a wrong amount,
/// and a reconciliation that applied a wrong amount, with the worked figures R = 5,000.00.
@Suite struct RetainerCorrectionTests {
  func sorted(_ rows: [Row]) -> [String] { rows.map(\.description).sorted() }

  /// R1 (5,000.00) invoiced on INV-1; when `applied`, INV-2 bills 3,000.00 of time and applies
  /// 3,000.00 of it.
  func retainer(applied: Bool) -> Scenario {
    var s = Scenario()
    s.invoiceLine(
      "INV-1", "1", .retainer, source: "R1", quantity: "1", price: "5000.00", amount: "5000.00",
      date: "2026-09-01", contractLine: nil)
    if applied {
      s.entry("E1", quantity: "15", price: "200.00")
      s.invoiceLine("INV-2", "1", source: "E1", quantity: "15", price: "200.00", amount: "3000.00")
      s.invoiceLine(
        "INV-2", "2", .retainer, source: "R1", quantity: "-1", price: "3000.00", amount: "-3000.00",
        contractLine: nil)
    }
    return s
  }

  mutating func correct(_ s: inout Scenario, _ invoice: String, _ line: String, amount: String) {
    s.correct(invoice, line: line)
    s.inbox.corrections[0].amount = try! ExactDecimal.parse(amount).get()
  }

  func retainerSum(_ run: RunResult) -> String {
    run.actuals.filter { $0.source == "R1" }.reduce(Money.zero(Currency(code: "EUR")!)) {
      $0 + $1.amount
    }.amountText
  }

  @Test mutating func correctingAnInvoicedRetainer() {
    var s = retainer(applied: false)
    correct(&s, "INV-1", "1", amount: "4000.00")
    let run = s.run()
    #expect(run.errors == [])
    #expect(
      sorted(run.createdRows)
        == sorted([
          .unbilled("1", "5000.00", reversal: true),
          .billed("-1", "-5000.00", reversal: true),
          .billed("1", "4000.00"),
          .unbilled("-1", "-4000.00"),
        ]))
    #expect(retainerSum(run) == "0.00")
    #expect(run.report.balances.map(\.retainer.amountText) == ["4000.00"])
  }

  /// X = 3,000.00 already applied: the reversal cancels the open 2,000.00, the new balance is
  /// −(R′ − X).
  @Test mutating func correctingARetainerAlreadyApplied() {
    var s = retainer(applied: true)
    correct(&s, "INV-1", "1", amount: "4500.00")
    let run = s.run()
    #expect(run.errors == [])
    #expect(
      sorted(run.createdRows)
        == sorted([
          .unbilled("0", "2000.00", reversal: true),
          .billed("-1", "-5000.00", reversal: true),
          .billed("1", "4500.00"),
          .unbilled("-1", "-1500.00"),
        ]))
    #expect(retainerSum(run) == "0.00")
    #expect(
      run.report.balances.first { $0.customer.value == "C1" }?.retainer.amountText == "1500.00")
  }

  @Test mutating func aCorrectedRetainerBelowWhatWasAppliedIsAnError() {
    var s = retainer(applied: true)
    correct(&s, "INV-1", "1", amount: "2000.00")
    #expect(
      s.run().errors.map(\.description) == [
        "(made by rebill): amount: INV-1/1: expected at least 3000.00 EUR, already applied by later invoices, found 2000.00 EUR"
      ])
  }

  /// Applied X = 3,000.00 out of B = 5,000.00, corrected to X′ = 2,000.00.
  @Test mutating func correctingAReconciliation() {
    var s = retainer(applied: true)
    correct(&s, "INV-2", "2", amount: "2000.00")
    let run = s.run()
    #expect(run.errors == [])
    #expect(
      sorted(run.createdRows)
        == sorted([
          .unbilled("0", "2000.00", reversal: true),
          .billed("1", "3000.00", reversal: true),
          .billed("-1", "-2000.00"),
          .unbilled("0", "-3000.00"),
        ]))
    #expect(retainerSum(run) == "0.00")
    let document = run.documents[0]
    #expect(document.lines.map(\.amount.amountText) == ["3000.00", "-2000.00"])
    // The customer now owes what is no longer offset.
    #expect(document.total.amountText == "1000.00")
  }

  @Test mutating func aReconciliationAboveTheBalanceIsAnError() {
    var s = retainer(applied: true)
    correct(&s, "INV-2", "2", amount: "6000.00")
    #expect(
      s.run().errors.map(\.description) == [
        "(made by rebill): amount: INV-2/2: expected at most the balance 5000.00 EUR the reconciliation had, found 6000.00 EUR"
      ])
  }

  /// Fed back, the corrective documents settle nothing twice.
  @Test mutating func retainerCorrectionsReachAFixpoint() {
    for (invoice, line, amount) in [("INV-1", "1", "4500.00"), ("INV-2", "2", "2000.00")] {
      var s = retainer(applied: true)
      correct(&s, invoice, line, amount: amount)
      let first = s.run()
      s.inbox.invoiceLines += first.documents.flatMap(\.lines)
      let second = s.run()
      #expect(second.errors == [])
      #expect(second.documents.isEmpty)
      #expect(second.actuals.map(\.id) == first.actuals.map(\.id))
      #expect(retainerSum(second) == "0.00")
    }
  }
}
