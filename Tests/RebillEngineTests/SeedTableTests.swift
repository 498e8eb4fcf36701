import Testing

@testable import RebillEngine
@testable import RebillModel

/// The seed's table of actuals created when a corrective invoice is confirmed (DOMAIN §3), one
/// test per row, with the worked figures: 8 h at 200.00 (1,600.00) corrected to 6 h (1,200.00).
@Suite struct SeedTableTests {
  /// An entry of `lineClass`, 8 at 200.00, invoiced in full on INV-1 line 1.
  func invoiced(_ lineClass: LineClass = .time) -> Scenario {
    var s = Scenario()
    s.entry("E1", lineClass, quantity: "8", price: "200.00")
    s.invoiceLine(
      "INV-1", "1", lineClass, source: "E1", quantity: "8", price: "200.00", amount: "1600.00",
      tax: "304.00")
    return s
  }

  func sorted(_ rows: [Row]) -> [String] { rows.map(\.description).sorted() }

  @Test(arguments: [LineClass.time, .expense, .material])
  func fullCreditPutsTheWorkBackInTheBacklog(lineClass: LineClass) {
    var s = invoiced(lineClass)
    s.correct("INV-1", line: "1")
    let run = s.run()
    #expect(run.errors == [])
    #expect(
      sorted(run.createdRows)
        == sorted([
          .billed("-8", "-1600.00", reversal: true),
          .unbilled("8", "1600.00"),
        ]))
  }

  @Test(arguments: [LineClass.time, .expense, .material])
  func partialCreditRebillsAndLeavesTheRestUnbilled(lineClass: LineClass) {
    var s = invoiced(lineClass)
    s.correct("INV-1", line: "1", quantity: "6")
    let run = s.run()
    #expect(run.errors == [])
    #expect(
      sorted(run.createdRows)
        == sorted([
          .billed("-8", "-1600.00", reversal: true),
          .unbilled("6", "1200.00"),
          .unbilled("-6", "-1200.00", reversal: true),
          .billed("6", "1200.00"),
          .unbilled("2", "400.00"),
        ]))
  }

  @Test func fullCreditOfAFee() {
    var s = invoiced(.fee)
    s.correct("INV-1", line: "1")
    #expect(
      sorted(s.run().createdRows)
        == sorted([
          .billed("-8", "-1600.00", reversal: true),
          .unbilled("8", "1600.00"),
        ]))
  }

  /// A fee's reduction is a discount: no unbilled actual for the rest.
  @Test func partialCreditOfAFeeLeavesNoRest() {
    var s = invoiced(.fee)
    s.correct("INV-1", line: "1", quantity: "6")
    #expect(
      sorted(s.run().createdRows)
        == sorted([
          .billed("-8", "-1600.00", reversal: true),
          .unbilled("6", "1200.00"),
          .unbilled("-6", "-1200.00", reversal: true),
          .billed("6", "1200.00"),
        ]))
  }

  func milestoneInvoiced() -> Scenario {
    var s = Scenario()
    s.inbox.contractLines.append(
      ContractLine(
        origin: .none, contract: ContractID("K1"), customer: CustomerID("C1"), currency: s.eur,
        id: ContractLineID("F1"), project: ProjectID("P2"), billingMethod: .fixedPrice,
        includes: [],
        amount: s.money("25000.00"), notToExceed: nil, taxRate: .zero, legalEntity: nil,
        country: nil))
    s.inbox.milestones = [
      Milestone(
        origin: .none, id: MilestoneID("M1"), contract: ContractID("K1"),
        contractLine: ContractLineID("F1"),
        date: Scenario.date("2026-09-01"), share: .percent(Percent(micros: 20_000_000)),
        description: nil,
        status: .readyToInvoice)
    ]
    s.invoiceLine(
      "INV-1", "1", .milestone, source: "M1", quantity: "1", price: "5000.00", amount: "5000.00",
      contractLine: "F1")
    return s
  }

  @Test func fullCreditOfAMilestoneMakesItReadyToInvoiceAgain() {
    var s = milestoneInvoiced()
    #expect(s.run().milestones.map(\.status) == [.invoiced])
    s.correct("INV-1", line: "1")
    let run = s.run()
    #expect(run.errors == [])
    #expect(run.createdRows == [.billed("-1", "-5000.00", reversal: true)])
    #expect(run.milestones.map(\.status) == [.readyToInvoice])
  }

  @Test func partialCreditOfAMilestoneIsRejected() {
    var s = milestoneInvoiced()
    s.correct("INV-1", line: "1", quantity: "0.5")
    let run = s.run()
    #expect(run.documents.isEmpty)
    #expect(
      run.errors.map(\.description) == [
        "(made by rebill): quantity: INV-1/1: expected 0 (milestones are only ever fully credited), found 0.5"
      ])
  }

  @Test func correctionOfAProductLineIsRejected() {
    var s = Scenario()
    s.licenceInvoiced(line: "1")
    s.correct("INV-1", line: "1")
    let run = s.run()
    #expect(run.documents.isEmpty)
    #expect(
      run.errors.map(\.description) == [
        "(made by rebill): line: INV-1/1: expected a line that can be corrected, found a product-based contract line (unsupported)"
      ])
  }

  /// "Every line": the draft copies every line detail that can be corrected, skipping the
  /// product line, which is not copied.
  @Test func everyLineSkipsWhatIsNotCopiedToTheDraft() {
    var s = invoiced()
    s.licenceInvoiced(line: "2")
    s.correct("INV-1", line: nil)
    let run = s.run()
    #expect(run.errors == [])
    #expect(run.documents.map(\.id.value) == ["INV-1-C20261110"])
    #expect(run.documents[0].lines.map(\.corrects?.description) == ["INV-1/1"])
  }

  @Test func theWorkedExampleNetsToSixBilledAndTwoUnbilled() {
    var s = invoiced()
    s.correct("INV-1", line: "1", quantity: "6")
    let run = s.run()
    let e1 = run.actuals.filter { $0.source == "E1" }
    let billed = e1.filter { $0.type == .billedSales }.reduce(Quantity.zero) { $0 + $1.quantity }
    let unbilled = e1.filter { $0.type == .unbilledSales }.reduce(Quantity.zero) {
      $0 + $1.quantity
    }
    #expect(billed == Scenario.q("6"))
    #expect(unbilled == Scenario.q("2"))
  }

  /// `remainder: non_chargeable`: the chargeable rest is replaced by a non-chargeable triple.
  @Test func writingTheRestOff() {
    var s = invoiced()
    s.correct("INV-1", line: "1", quantity: "6", remainder: .nonChargeable)
    let run = s.run()
    #expect(
      sorted(run.createdRows)
        == sorted([
          .billed("-8", "-1600.00", reversal: true),
          .unbilled("6", "1200.00"),
          .unbilled("-6", "-1200.00", reversal: true),
          .billed("6", "1200.00"),
          .unbilled("2", "400.00", .nonChargeable),
          .unbilled("-2", "-400.00", .nonChargeable, reversal: true),
          .billed("2", "400.00", .nonChargeable),
        ]))
    let document = run.documents[0]
    #expect(document.lines.map(\.billing) == [.chargeable, .chargeable, .nonChargeable])
    // −1,600 − 304 + 1,200 + 228; the rest written off is shown but not counted.
    #expect(document.total == s.money("-476.00"))
  }

  /// More than was invoiced, up to the entry's quantity: the "rest" row is negative.
  @Test func invoicingMoreThanTheOriginalUpToTheEntry() {
    var s = Scenario()
    s.entry("E1", quantity: "10", price: "200.00")
    s.invoiceLine("INV-1", "1", source: "E1", quantity: "8", price: "200.00", amount: "1600.00")
    s.correct("INV-1", line: "1", quantity: "10")
    let run = s.run()
    #expect(run.errors == [])
    #expect(
      sorted(run.createdRows)
        == sorted([
          .billed("-8", "-1600.00", reversal: true),
          .unbilled("10", "2000.00"),
          .unbilled("-10", "-2000.00", reversal: true),
          .billed("10", "2000.00"),
          .unbilled("-2", "-400.00"),
        ]))
    let e1 = run.actuals.filter { $0.source == "E1" }
    #expect(e1.reduce(Quantity.zero) { $0 + $1.quantity } == Scenario.q("10"))
  }

  @Test func invoicingMoreThanTheEntryIsRejected() {
    var s = invoiced()
    s.correct("INV-1", line: "1", quantity: "9")
    #expect(
      s.run().errors.map(\.description) == [
        "(made by rebill): quantity: INV-1/1: expected at most the entry's current quantity 8, found 9"
      ])
  }

  /// A corrective invoice can be corrected again, but not the line it already corrected.
  @Test func aLineCorrectedByALaterInvoiceCannotBeCorrectedAgain() {
    var s = invoiced()
    s.invoiceLine(
      "INV-2", "1", source: "E1", quantity: "-8", price: "200.00", amount: "-1600.00",
      tax: "-304.00", date: "2026-11-01", corrects: "INV-1/1")
    s.invoiceLine(
      "INV-2", "2", source: "E1", quantity: "6", price: "200.00", amount: "1200.00", tax: "228.00",
      date: "2026-11-01", corrects: "INV-1/1")
    s.correct("INV-1", line: "1", quantity: "5")
    #expect(
      s.run().errors.map(\.description) == [
        "(made by rebill): line: INV-1/1: expected a line not yet corrected, found it corrected by INV-2"
      ])
    var again = s
    again.inbox.corrections = []
    again.correct("INV-2", line: "2", quantity: "5")
    let run = again.run()
    #expect(run.errors == [])
    #expect(run.documents.map(\.id.value) == ["INV-2-C20261110"])
  }

  /// An instruction whose document is confirmed creates nothing more.
  @Test func aFulfilledInstructionCreatesNothing() {
    var s = invoiced()
    s.correct("INV-1", line: "1", quantity: "6")
    let first = s.run()
    var fed = s
    fed.inbox.invoiceLines += first.documents.flatMap(\.lines)
    let second = fed.run()
    #expect(second.errors == [])
    #expect(second.documents.isEmpty)
    #expect(second.actuals.map(\.id) == first.actuals.map(\.id))
  }

  @Test func aFulfilledInstructionMustAgreeWithItsDocument() {
    var s = invoiced()
    s.correct("INV-1", line: "1", quantity: "6")
    let first = s.run()
    var fed = s
    fed.inbox.invoiceLines += first.documents.flatMap(\.lines)
    fed.inbox.corrections[0].quantity = Scenario.q("5")
    #expect(
      fed.run().errors.map(\.description) == [
        "(made by rebill): document: expected INV-1-C20261110 to credit INV-1/1 and invoice 5 as instructed, found it invoicing 6"
      ])
  }

  @Test func anOrderLineIsNotCorrected() {
    var s = Scenario()
    s.invoiceLine(
      "INV-1", "1", .item, source: "SO-1/1", quantity: "2", price: "10.00", amount: "20.00",
      contractLine: nil)
    s.correct("INV-1", line: "1")
    #expect(
      s.run().errors.map(\.description) == [
        "(made by rebill): line: INV-1/1: expected a line that can be corrected, found an order line (a return order credits it)"
      ])
  }

  @Test func theCorrectiveInvoiceCarriesCorrectionFlagsAndLinks() {
    var s = invoiced()
    s.correct("INV-1", line: "1", quantity: "6")
    let document = s.run().documents[0]
    #expect(document.id.value == "INV-1-C20261110")
    #expect(document.lines.allSatisfy { $0.correction && $0.hasCorrections == true })
    #expect(document.lines.map(\.corrects?.description) == ["INV-1/1", "INV-1/1"])
    #expect(document.lines.map(\.quantity.description) == ["-8", "6"])
    #expect(document.lines.map(\.taxAmount.amountText) == ["-304.00", "228.00"])
    #expect(document.kind == .creditNote)
    #expect(document.lines[0].title == "Credit note")
  }
}
