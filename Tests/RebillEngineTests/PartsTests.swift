import RebillModel
import Testing

@testable import RebillEngine

/// The run in parts (docs/reconcile.md, Parts of a run): which records go together, in what
/// order parts come, and document ids kept apart across parts.
@Suite struct PartsTests {
  /// A second contract K2 (customer C2, project P2, line L2), unrelated to K1.
  static func withSecondContract(_ scenario: inout Scenario) {
    var line = scenario.inbox.contractLines[0]
    line.contract = ContractID("K2")
    line.customer = CustomerID("C2")
    line.id = ContractLineID("L2")
    line.project = ProjectID("P2")
    scenario.inbox.contractLines.append(line)
  }

  @Test func unrelatedContractsArePartsInContractOrder() {
    var s = Scenario()
    Self.withSecondContract(&s)
    s.entry("E1", quantity: "2", price: "100")
    s.inbox.contractLines.reverse()
    let parts = InboxParts(s.inbox, runDate: s.inbox.settings.runDate)
    #expect(parts.parts.count == 2)
    // K1 (with its entry) first, whatever the order the contracts were read in.
    #expect(parts.parts[0].entries == [0])
    #expect(parts.parts[0].contractLines == [1])
    #expect(parts.parts[1].contractLines == [0])
  }

  /// Parts that name no contract come after those that do, by their least key of the first
  /// namespace that names them (here invoice ids), whatever order they were read in.
  @Test func partsWithoutAContractComeAfterByTheirLeastKey() {
    var s = Scenario()
    Self.withSecondContract(&s)
    s.invoiceLine(
      "INV-B", "1", source: "X1", quantity: "1", price: "5", amount: "5.00", contractLine: nil)
    s.invoiceLine(
      "INV-A", "1", source: "X2", quantity: "1", price: "5", amount: "5.00", contractLine: nil)
    s.inbox.contractLines.reverse()
    let parts = InboxParts(s.inbox, runDate: s.inbox.settings.runDate).parts
    #expect(parts.count == 4)
    #expect(parts.map(\.contractLines) == [[1], [0], [], []])
    #expect(parts.map(\.invoiceLines) == [[], [], [1], [0]])
  }

  @Test func anInvoiceBillingTwoContractsJoinsThem() {
    var s = Scenario()
    Self.withSecondContract(&s)
    s.entry("E1", quantity: "2", price: "100")
    s.invoiceLine("INV-1", "1", source: "E1", quantity: "2", price: "100", amount: "200.00")
    s.invoiceLine(
      "INV-1", "2", source: "X", quantity: "1", price: "5", amount: "5.00", contractLine: "L2")
    #expect(InboxParts(s.inbox, runDate: s.inbox.settings.runDate).parts.count == 1)
  }

  /// Part K1 would create K1-C1-I20261110, which part K2 holds as a confirmed invoice: the new
  /// one takes -2, as one pass over the whole inbox gives.
  @Test func aConfirmedIdOfAnotherPartIsNotTaken() {
    var s = Scenario()
    Self.withSecondContract(&s)
    s.inbox.settings.through = Scenario.date("2026-10-31")
    s.entry("E1", quantity: "2", price: "100")
    s.entry("E2", quantity: "1", price: "100")
    s.inbox.entries[1].project = ProjectID("P2")
    s.invoiceLine(
      "K1-C1-I20261110", "1", source: "E2", quantity: "1", price: "100", amount: "100.00",
      customer: "C2", contractLine: "L2")
    s.inbox.invoiceLines[0].contract = ContractID("K2")
    #expect(InboxParts(s.inbox, runDate: s.inbox.settings.runDate).parts.count == 2)
    let run = reconcile(s.inbox)
    #expect(run.errors.map(\.description) == [])
    #expect(run.documents.map(\.id.value) == ["K1-C1-I20261110-2"])
    var whole = Reconciler(inbox: s.inbox, options: RunOptions())
    #expect(whole.run().documents.map(\.id.value) == ["K1-C1-I20261110-2"])
  }

  /// Ids equal as Swift strings are (canonically) are one key, as in the engine's tables.
  @Test func canonicallyEqualIdsAreOneKey() {
    var table = NameIndex()
    let first = table.value(of: "Caf\u{E9}-1") { 1 }
    #expect(table.value(of: "Cafe\u{301}-1") { 2 } == first)
    let kelvin = table.value(of: "\u{212A}") { 3 }
    #expect(table["K"] == kelvin)
    #expect(table.count == 2)
  }

  /// The empty name is a key like any other, through the table's growth.
  @Test func theEmptyNameIsAKey() {
    var table = NameIndex()
    #expect(table[.empty] == nil)
    #expect(table.value(of: .empty) { 0 } == 0)
    for i in 1...100 { _ = table.value(of: Name("K\(i)")) { Int32(i) } }
    #expect(table[.empty] == 0)
    #expect(table[Name("K57")] == 57)
    #expect(table.count == 101)
    var seen = 0
    table.each { _, _ in seen += 1 }
    #expect(seen == 101)
  }
}
