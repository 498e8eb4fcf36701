import Testing

@testable import RebillEngine
@testable import RebillModel

/// DOMAIN §8: confirmed invoices that disagree with today's entries.
@Suite struct DriftTests {
  /// E1 invoiced as 8 at 200.00 on INV-1; the test then changes the entry.
  func invoiced(_ change: (inout Scenario) -> Void) -> RunResult {
    var s = Scenario()
    s.entry("E1", quantity: "8", price: "200.00")
    s.invoiceLine(
      "INV-1", "1", source: "E1", quantity: "8", price: "200.00", amount: "1600.00", tax: "304.00")
    change(&s)
    return s.run()
  }

  func lines(_ run: RunResult) -> [String] {
    run.documents.flatMap { d in
      d.lines.map { "\(d.id) \($0.quantity) × \($0.unitPrice) = \($0.amount.amountText)" }
    }
  }

  @Test func nothingChangedIsNoDrift() {
    #expect(invoiced { _ in }.documents.isEmpty)
  }

  @Test func anEntryThatNoLongerExistsIsFullyCredited() {
    let run = invoiced { $0.inbox.entries = [] }
    #expect(lines(run) == ["INV-1-D20261110 -8 × 200 = -1600.00"])
    #expect(run.report.drift.map(\.reason) == ["the entry no longer exists"])
  }

  @Test func anEntryMovedToAnotherContractIsFullyCredited() {
    let run = invoiced { s in
      s.inbox.contractLines.append(
        ContractLine(
          origin: .none, contract: ContractID("K2"), customer: CustomerID("C2"), currency: s.eur,
          id: ContractLineID("L2"), project: ProjectID("P2"), billingMethod: .timeAndMaterial,
          includes: LineClass.entryClasses, amount: nil, notToExceed: nil, taxRate: .zero,
          legalEntity: nil, country: nil))
      s.inbox.entries[0].project = ProjectID("P2")
    }
    #expect(lines(run) == ["INV-1-D20261110 -8 × 200 = -1600.00"])
    #expect(run.report.drift.map(\.reason) == ["the entry moved to contract line L2"])
    // Its work is unbilled again, now on the new contract.
    let open = run.actuals.filter { $0.type == .unbilledSales && $0.customer == CustomerID("C2") }
    #expect(open.map(\.amount.amountText) == ["1600.00"])
  }

  @Test func anEntryThatBecameNonChargeableIsFullyCredited() {
    let run = invoiced { $0.inbox.entries[0].billing = .nonChargeable }
    #expect(lines(run) == ["INV-1-D20261110 -8 × 200 = -1600.00"])
    // The work goes back as non-chargeable: nothing left to bill.
    let rest = run.actuals.filter {
      $0.document?.value == "INV-1-D20261110" && $0.type == .unbilledSales
    }
    #expect(rest.map(\.billing) == [.nonChargeable])
  }

  @Test func aShrunkEntryHasItsExcessCredited() {
    let run = invoiced { $0.inbox.entries[0].quantity = Scenario.q("6") }
    #expect(
      lines(run) == ["INV-1-D20261110 -8 × 200 = -1600.00", "INV-1-D20261110 6 × 200 = 1200.00"])
    #expect(run.documents[0].total.amountText == "-476.00")
  }

  /// Billed twice: the newest line detail is credited first.
  @Test func anEntryBilledTwiceHasTheNewestCredited() {
    let run = invoiced { s in
      s.invoiceLine(
        "INV-2", "1", source: "E1", quantity: "8", price: "200.00", amount: "1600.00",
        tax: "304.00", date: "2026-11-01")
    }
    #expect(lines(run) == ["INV-2-D20261110 -8 × 200 = -1600.00"])
  }

  @Test func aNewPriceIsCreditedAndRebilled() {
    let run = invoiced { $0.inbox.entries[0].unitPrice = Scenario.p("210.00") }
    #expect(
      lines(run) == ["INV-1-D20261110 -8 × 200 = -1600.00", "INV-1-D20261110 8 × 210 = 1680.00"])
    let e1 = run.actuals.filter { $0.source == "E1" }
    #expect(e1.reduce(Scenario().money("0")) { $0 + $1.amount }.amountText == "1680.00")
  }

  @Test func aGrownEntryIsNotDrift() {
    let run = invoiced { $0.inbox.entries[0].quantity = Scenario.q("10") }
    #expect(run.documents.isEmpty)
    let open = run.actuals.filter { $0.type == .unbilledSales }.reduce(Scenario.q("0")) {
      $0 + $1.quantity
    }
    #expect(open == Scenario.q("2"))
  }

  @Test func driftReportOnlyCreatesNothing() {
    let run = invoiced {
      $0.inbox.settings.drift = .report
      $0.inbox.entries[0].quantity = Scenario.q("6")
    }
    #expect(run.documents.isEmpty)
    #expect(run.report.drift.count == 1)
    #expect(run.report.drift[0].document == nil)
  }

  @Test func oneCorrectiveDocumentPerOriginalInvoice() {
    let run = invoiced { s in
      s.entry("E2", quantity: "4", price: "100.00")
      s.invoiceLine(
        "INV-1", "2", source: "E2", quantity: "4", price: "100.00", amount: "400.00", tax: "76.00")
      s.inbox.entries = [s.inbox.entries[0]]
      s.inbox.entries[0].quantity = Scenario.q("7")
    }
    #expect(run.documents.map(\.id.value) == ["INV-1-D20261110"])
    #expect(
      run.documents[0].lines.map(\.corrects?.description) == ["INV-1/1", "INV-1/1", "INV-1/2"])
  }

  @Test func aTakenDriftIDGetsASuffix() {
    let run = invoiced { s in
      s.inbox.entries[0].quantity = Scenario.q("6")
      s.invoiceLine(
        "INV-1-D20261110", "1", .item, source: "SO-9/1", quantity: "1", price: "1.00",
        amount: "1.00", contractLine: nil)
    }
    #expect(run.documents.map(\.id.value) == ["INV-1-D20261110-2"])
  }
}
