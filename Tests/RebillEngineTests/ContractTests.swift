import RebillInbox
import RebillOut
import TestSupport
import Testing

@testable import RebillEngine
@testable import RebillModel

/// DOMAIN §2 (retainers), §4 (customer split) and §5 (cut-off, milestones, not-to-exceed),
/// each worked example read from inbox files as a user writes them.
@Suite struct ContractTests {
  func run(_ files: [String: String]) throws -> RunResult {
    let reading = try TempInbox(files).read()
    #expect(reading.diagnostics.map(\.description) == [])
    let result = reconcile(reading.inbox)
    #expect(result.errors.map(\.description) == [])
    return result
  }

  func lines(_ document: Document) -> [String] {
    document.lines.map {
      "\($0.lineClass.rawValue) \($0.source) \($0.quantity) \($0.amount.amountText) \($0.billing.rawValue)"
    }
  }

  static let settings = "run_date: 2026-11-10\nthrough: 2026-10-31\n"

  // MARK: §4 Customer split

  static let threeWays = """
    contract,customer,split_percent,rounding
    K1,A,33.333333,false
    K1,B,33.333333,false
    K1,C,33.333334,true

    """

  @Test(arguments: [
    ("100.00", ["33.33", "33.33", "33.34"]), ("200.00", ["66.67", "66.67", "66.66"]),
  ])
  func anAmountSplitThreeWays(price: String, parts: [String]) throws {
    let result = try run([
      "rebill.yaml": Self.settings,
      "contracts/k.csv":
        "contract,customer,currency,contract_line,project,billing_method\nK1,A,EUR,L1,P1,time_and_material\n",
      "funding/f.csv": Self.threeWays,
      "fees/f.csv": "entry,date,project,unit_price\nF1,2026-10-01,P1,\(price)\n",
    ])
    let unbilled = result.actuals.filter { $0.origin == .entry }
    #expect(unbilled.map(\.customer.value) == ["A", "B", "C"])
    #expect(unbilled.map(\.amount.amountText) == parts)
    #expect(unbilled.map(\.quantity.description) == ["0.333333", "0.333333", "0.333334"])
    // One invoice per contract and customer, each for its own part.
    #expect(result.documents.map(\.customer.value) == ["A", "B", "C"])
    #expect(result.documents.map(\.net.amountText) == parts)
  }

  /// A line's own split overrides its contract's.
  @Test func aLineSplitOverridesTheContractSplit() throws {
    let result = try run([
      "rebill.yaml": Self.settings,
      "contracts/k.csv":
        "contract,customer,currency,contract_line,project,billing_method\nK1,A,EUR,L1,P1,time_and_material\nK1,A,EUR,L2,P2,time_and_material\n",
      "funding/f.csv":
        "contract,customer,split_percent,rounding,contract_line\nK1,A,50,true,\nK1,B,50,false,\nK1,B,100,true,L2\n",
      "fees/f.csv":
        "entry,date,project,unit_price\nF1,2026-10-01,P1,10.00\nF2,2026-10-01,P2,10.00\n",
    ])
    let f2 = result.actuals.filter { $0.source == "F2" && $0.origin == .entry }
    #expect(f2.map(\.customer.value) == ["B"])
    #expect(
      result.actuals.filter { $0.source == "F1" && $0.origin == .entry }.map(\.amount.amountText)
        == ["5.00", "5.00"])
  }

  /// A project spelled with `é` on its contract line and with `e` and a combining accent on
  /// an entry is one project (ids are equal as Swift strings are): the entry lands on the
  /// line. The customer, spelled with the combining accent, is named in NFC on the invoice.
  @Test func idsSpelledTwoWaysAreOneId() throws {
    let composed = "Caf\u{E9}-project-with-a-long-id"
    let decomposed = "Cafe\u{301}-project-with-a-long-id"
    let result = try run([
      "rebill.yaml": Self.settings,
      "contracts/k.csv":
        "contract,customer,currency,contract_line,project,billing_method\nK1,Cafe\u{301},EUR,L1,\(composed),time_and_material\n",
      "fees/f.csv": "entry,date,project,unit_price\nF1,2026-10-01,\(decomposed),10.00\n",
    ])
    let unbilled = result.actuals.filter { $0.origin == .entry }
    #expect(unbilled.map(\.contractLine?.value) == ["L1"])
    #expect(
      result.documents.map(\.customer.value).map { Array($0.utf8) } == [Array("Caf\u{E9}".utf8)])
    #expect(result.report.entriesWithoutLine.isEmpty)
  }

  // MARK: §2 Retainers

  static let retainerContract = [
    "contracts/k.csv":
      "contract,customer,currency,contract_line,project,billing_method\nK1,C1,EUR,L1,P1,time_and_material\n",
    "retainers/r.csv": "retainer,contract,date,amount\nR1,K1,2026-09-01,5000.00\n",
  ]

  /// Retainer 5,000.00, later time charges 3,000.00: the second invoice shows 3,000.00 of time
  /// and −3,000.00 retainer applied, the customer pays 0.00, and 2,000.00 remains.
  @Test func theRetainerWorkedExample() throws {
    var files = Self.retainerContract
    files["rebill.yaml"] = "run_date: 2026-09-05\n"
    let first = try run(files)
    #expect(first.documents.map(\.id.value) == ["R1-I20260905"])
    #expect(first.documents.map(\.total.amountText) == ["5000.00"])
    // Not applied in the run that invoices it: only a retainer confirmed earlier is.
    files["timesheets/t.csv"] = "entry,date,project,hours,unit_price\nT1,2026-10-01,P1,15,200.00\n"
    files["invoices/i.csv"] = OutFiles.documents(first.documents)
    files["rebill.yaml"] = Self.settings
    let second = try run(files)
    #expect(second.documents.count == 1)
    let invoice = second.documents[0]
    #expect(
      lines(invoice) == ["time T1 15 3000.00 chargeable", "retainer R1 -1 -3000.00 chargeable"])
    #expect(invoice.total.amountText == "0.00")
    #expect(second.report.balances.map(\.retainer.amountText) == ["2000.00"])
    let r1 = second.actuals.filter { $0.source == "R1" }
    #expect(r1.reduce(Money.zero(invoice.currency)) { $0 + $1.amount }.amountText == "0.00")
  }

  @Test func aRetainerInvoicedInThisRunIsNotAppliedInIt() throws {
    var files = Self.retainerContract
    files["rebill.yaml"] = Self.settings
    files["timesheets/t.csv"] = "entry,date,project,hours,unit_price\nT1,2026-10-01,P1,15,200.00\n"
    let result = try run(files)
    #expect(
      result.documents.map { lines($0) } == [
        ["retainer R1 1 5000.00 chargeable"], ["time T1 15 3000.00 chargeable"],
      ])
  }

  /// Never above the charges; the oldest retainer first; milestones are not offset.
  @Test func retainersApplyOldestFirstUpToTheCharges() throws {
    var files = Self.retainerContract
    files["retainers/r.csv"] =
      "retainer,contract,date,amount,kind\nR1,K1,2026-09-01,1000.00,retainer\nR2,K1,2026-08-01,500.00,advance\n"
    files["rebill.yaml"] = "run_date: 2026-09-05\n"
    let first = try run(files)
    files["invoices/i.csv"] = OutFiles.documents(first.documents)
    files["rebill.yaml"] = Self.settings
    files["fees/f.csv"] = "entry,date,project,unit_price\nF1,2026-10-01,P1,800.00\n"
    let second = try run(files)
    #expect(
      lines(second.documents[0]) == [
        "fee F1 1 800.00 chargeable", "retainer R2 -1 -500.00 chargeable",
        "retainer R1 -1 -300.00 chargeable",
      ])
    #expect(second.report.balances.map(\.retainer.amountText) == ["700.00"])
  }

  // MARK: §5 Cut-off, complimentary, non-chargeable, includes

  @Test func theCutOffChoosesByTheDateOfTheWork() throws {
    let result = try run([
      "rebill.yaml": Self.settings,
      "contracts/k.csv":
        "contract,customer,currency,contract_line,project,billing_method,tax_rate,includes\nK1,C1,EUR,L1,P1,time_and_material,19,time;fee\n",
      "timesheets/t.csv": """
      entry,date,project,hours,unit_price,billing
      T1,2026-10-31,P1,8,100.00,chargeable
      T2,2026-11-01,P1,8,100.00,chargeable
      T3,2026-10-02,P1,2,100.00,complimentary
      T4,2026-10-03,P1,3,100.00,non_chargeable

      """,
      "expenses/e.csv": "entry,date,project,unit_price\nE1,2026-10-01,P1,50.00\n",
    ])
    // By the date of the work: T3 (2 October) before T1 (31 October); T2 is after the cut-off.
    #expect(
      result.documents.map { lines($0) } == [
        ["time T3 2 200.00 complimentary", "time T1 8 800.00 chargeable"]
      ])
    // 800 + 19 %; the complimentary line is shown but not counted.
    #expect(result.documents[0].total.amountText == "952.00")
    // The line takes no expenses.
    #expect(result.report.entriesWithoutLine.map(\.id.value) == ["E1"])
  }

  @Test func withoutACutOffNothingNewIsInvoicedOnTimeAndMaterial() throws {
    let result = try run([
      "rebill.yaml": "run_date: 2026-11-10\n",
      "contracts/k.csv":
        "contract,customer,currency,contract_line,project,billing_method\nK1,C1,EUR,L1,P1,time_and_material\n",
      "timesheets/t.csv": "entry,date,project,hours,unit_price\nT1,2026-10-01,P1,8,100.00\n",
    ])
    #expect(result.documents.isEmpty)
  }

  // MARK: §5 Milestones

  static let fixedPrice = """
    contract,customer,currency,contract_line,project,billing_method,amount,tax_rate
    K1,C1,EUR,F1,P1,fixed_price,100.00,0

    """

  @Test func percentMilestonesLeaveTheResidueToTheLastByDate() throws {
    let result = try run([
      "rebill.yaml": Self.settings,
      "contracts/k.csv": Self.fixedPrice,
      "milestones/m.csv": """
      milestone,contract,contract_line,date,percent,status
      M3,K1,F1,2026-12-01,33.333334,not_ready
      M1,K1,F1,2026-09-01,33.333333,ready_to_invoice
      M2,K1,F1,2026-10-01,33.333333,ready_to_invoice

      """,
    ])
    #expect(result.milestones.map(\.amount?.amountText) == ["33.33", "33.33", "33.34"])
    #expect(result.milestones.map(\.status) == [.invoiced, .invoiced, .notReady])
    #expect(
      result.documents.map { lines($0) } == [
        ["milestone M1 1 33.33 chargeable", "milestone M2 1 33.33 chargeable"]
      ])
  }

  /// A milestone fully credited in this run is ready to invoice again, and invoiced by the next.
  @Test func aCreditedMilestoneWaitsForTheNextRun() throws {
    var files: [String: String] = [
      "rebill.yaml": Self.settings,
      "contracts/k.csv": Self.fixedPrice,
      "milestones/m.csv":
        "milestone,contract,contract_line,date,percent,status\nM1,K1,F1,2026-09-01,100,ready_to_invoice\n",
      "invoices/i.csv":
        "invoice,date,customer,currency,line,class,source,quantity,unit_price,amount,contract,contract_line\nINV-1,2026-09-02,C1,EUR,1,milestone,M1,1,100.00,100.00,K1,F1\n",
      "corrections/c.csv": "invoice,line,date\nINV-1,1,2026-11-01\n",
    ]
    let first = try run(files)
    #expect(first.documents.map(\.id.value) == ["INV-1-C20261101"])
    #expect(first.milestones.map(\.status) == [.readyToInvoice])
    files["invoices/j.csv"] = OutFiles.documents(first.documents)
    let second = try run(files)
    #expect(second.documents.map { lines($0) } == [["milestone M1 1 100.00 chargeable"]])
    #expect(second.milestones.map(\.status) == [.invoiced])
  }

  // MARK: §5 Not-to-exceed

  @Test func notToExceedHoldsBackWhatWouldCrossIt() throws {
    let result = try run([
      "rebill.yaml": Self.settings,
      "contracts/k.csv":
        "contract,customer,currency,contract_line,project,billing_method,not_to_exceed\nK1,C1,EUR,L1,P1,time_and_material,1000.00\n",
      "invoices/i.csv":
        "invoice,date,customer,currency,line,class,source,quantity,unit_price,amount,contract,contract_line\nINV-1,2026-09-30,C1,EUR,1,time,T0,2,100.00,200.00,K1,L1\n",
      "timesheets/t.csv": """
      entry,date,project,hours,unit_price
      T0,2026-09-29,P1,2,100.00
      T1,2026-10-01,P1,5,100.00
      T2,2026-10-02,P1,4,100.00
      T3,2026-10-03,P1,3,100.00

      """,
    ])
    #expect(
      result.documents.map { lines($0) } == [
        ["time T1 5 500.00 chargeable", "time T3 3 300.00 chargeable"]
      ])
    #expect(result.report.heldBack.map { "\($0.source) \($0.amount.amountText)" } == ["T2 400.00"])
    #expect(result.report.balances.map(\.heldBack.amountText) == ["400.00"])
    #expect(result.report.balances.map(\.unbilled.amountText) == ["400.00"])
    #expect(
      result.renderReport(counts: []).contains(
        "  T2 on L1 for C1: 4 / 400.00 EUR (limit 1000.00 EUR)"))
  }
}
