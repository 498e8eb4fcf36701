import TestSupport
import Testing

@testable import RebillInbox

/// One test per kind of bad input, each asserting the exact message: FILE:LINE[:COLUMN]:
/// FIELD: what was expected, what was found.
@Suite struct InboxErrorTests {
  let header = "entry,date,project,hours,unit_price\n"

  func messages(_ files: [String: String]) throws -> [String] {
    try TempInbox(["contracts/k.csv": contractCSV].merging(files) { $1 }).messages()
  }

  func timesheet(_ row: String) throws -> [String] {
    try messages(["timesheets/t.csv": header + "T1,2026-10-01,P1,8,200.00\n" + row + "\n"])
  }

  @Test func aValidInboxHasNoProblems() throws {
    #expect(try timesheet("T2,2026-10-02,P1,7.5,200.00") == [])
  }

  @Test func badDate() throws {
    #expect(
      try timesheet("T2,2026-02-30,P1,8,200.00") == [
        "inbox/timesheets/t.csv:3: date: expected a real date YYYY-MM-DD, found \"2026-02-30\""
      ])
  }

  @Test func nonNumericHours() throws {
    #expect(
      try timesheet("T2,2026-10-02,P1,eight,200.00") == [
        "inbox/timesheets/t.csv:3: hours: expected a decimal number, found \"eight\""
      ])
  }

  @Test func decimalThatDecimalIsNot() throws {
    #expect(
      try timesheet("T2,2026-10-02,P1,1.5x,200.00") == [
        "inbox/timesheets/t.csv:3: hours: expected a decimal number, found \"1.5x\""
      ])
  }

  @Test func tooManyDecimalsForAQuantity() throws {
    #expect(
      try timesheet("T2,2026-10-02,P1,1.1234567,200.00") == [
        "inbox/timesheets/t.csv:3: hours: expected at most 6 decimals, found 7 in \"1.1234567\""
      ])
  }

  @Test func tooManyDecimalsForTheCurrency() throws {
    let invoice = """
      invoice,date,customer,currency,line,class,source,quantity,unit_price,amount
      INV-1,2026-10-31,C1,EUR,1,time,T1,8,200,1600.005
      INV-2,2026-10-31,C1,JPY,1,time,T1,8,200,1600.5

      """
    #expect(
      try messages(["invoices/i.csv": invoice]) == [
        "inbox/invoices/i.csv:2: amount: expected at most 2 decimals for EUR, found 3 in \"1600.005\"",
        "inbox/invoices/i.csv:3: amount: expected at most 0 decimals for JPY, found 1 in \"1600.5\"",
      ])
  }

  /// A line of an invoice given twice is an error at the second, naming the first; the first
  /// is the one a correction of that line corrects.
  @Test func invoiceLineRepeated() throws {
    let invoice = """
      invoice,date,customer,currency,line,class,source,quantity,unit_price,amount,corrects
      INV-1,2026-10-31,C1,EUR,1,time,T1,8,200,1600.00,
      INV-1,2026-10-31,C1,EUR,2,time,T2,8,200,1600.00,
      INV-1,2026-10-31,C1,EUR,1,time,T3,8,200,1600.00,
      INV-2,2026-11-30,C1,EUR,1,time,T1,-8,200,-1600.00,INV-1/1
      INV-2,2026-11-30,C1,EUR,2,time,T1,-8,200,-1600.00,INV-1/9

      """
    #expect(
      try messages(["invoices/i.csv": invoice]) == [
        "inbox/invoices/i.csv:4: line: expected a unique id, found \"INV-1/1\" again (first at inbox/invoices/i.csv:2)",
        "inbox/invoices/i.csv:6: corrects: expected an invoice line in invoices/, found \"INV-1/9\"",
      ])
  }

  @Test func amountBeyondTheIntegerRange() throws {
    #expect(
      try timesheet("T2,2026-10-02,P1,99999999999999999999,200.00") == [
        "inbox/timesheets/t.csv:3: hours: expected a decimal number, found \"99999999999999999999\", beyond 18 significant digits"
      ])
  }

  @Test func unknownEnumValue() throws {
    let row = "T2,2026-10-02,P1,8,200.00,billable"
    #expect(
      try messages(["timesheets/t.csv": "entry,date,project,hours,unit_price,billing\n\(row)\n"])
        == [
          "inbox/timesheets/t.csv:2: billing: expected one of chargeable, non_chargeable, complimentary, found \"billable\""
        ])
  }

  @Test func idRepeatedAcrossACSVAndAYAMLFile() throws {
    let yaml = """
      - entry: T1
        date: 2026-10-03
        project: P1
        unit_price: 12.50

      """
    #expect(
      try messages([
        "timesheets/t.csv": header + "T1,2026-10-01,P1,8,200.00\n", "expenses/e.yaml": yaml,
      ]) == [
        "inbox/expenses/e.yaml:1:3: entry: expected a unique id, found \"T1\" again (first at inbox/timesheets/t.csv:2)"
      ])
  }

  @Test func projectWithNoContract() throws {
    #expect(
      try timesheet("T2,2026-10-02,P9,8,200.00") == [
        "inbox/timesheets/t.csv:3: project: expected a project of a contract line, found \"P9\", on no contract"
      ])
  }

  @Test func yamlAlias() throws {
    let yaml = """
      - entry: E1
        date: &d 2026-10-03
        project: P1
        unit_price: 12.50
      - entry: E2
        date: *d
        project: P1
        unit_price: 12.50

      """
    #expect(
      try messages(["expenses/e.yaml": yaml]) == [
        "inbox/expenses/e.yaml:5:3: date: expected a date YYYY-MM-DD, found nothing",
        "inbox/expenses/e.yaml:6:9: date: expected plain data, found an alias (aliases are not accepted)",
      ])
  }

  @Test func yamlDuplicateKey() throws {
    let yaml = """
      - entry: E1
        date: 2026-10-03
        project: P1
        date: 2026-10-04
        unit_price: 12.50

      """
    #expect(
      try messages(["expenses/e.yaml": yaml]) == [
        "inbox/expenses/e.yaml:4:3: date: expected each key once in a mapping, found it again (first at line 2)"
      ])
  }

  @Test func yamlNestedTooDeep() throws {
    let yaml = String(repeating: "[", count: 40) + String(repeating: "]", count: 40) + "\n"
    #expect(
      try messages(["expenses/e.yaml": yaml]) == [
        "inbox/expenses/e.yaml:1:33: expected at most 32 levels of nesting, found more"
      ])
  }

  @Test func yamlThatIsNotAList() throws {
    #expect(
      try messages(["expenses/e.yaml": "entry: E1\n"]) == [
        "inbox/expenses/e.yaml:1:1: expected a list of records, found a mapping"
      ])
  }

  @Test func yamlSyntaxError() throws {
    #expect(
      try messages(["expenses/e.yaml": "- entry: [E1\n"]) == [
        "inbox/expenses/e.yaml:2:1: expected YAML, found an error: while parsing a flow sequence: did not find expected ',' or ']'"
      ])
  }

  /// `no` stays the string "no" where a string is expected; where a boolean is, it is false.
  @Test func yamlScalarsAreTypedByTheSchema() throws {
    let yaml = """
      - entry: no
        date: 2026-10-03
        project: P1
        unit_price: 12.50
        description: yes

      """
    let inbox = try TempInbox(["contracts/k.csv": contractCSV, "expenses/e.yaml": yaml])
    let reading = inbox.read()
    #expect(reading.diagnostics.isEmpty)
    #expect(reading.inbox.entries.first?.id.value == "no")
  }

  /// An entry's free text (resource, description, …) is not kept, but it is still checked.
  @Test func entryFreeTextIsCheckedThoughNotKept() throws {
    let csv = Array(
      "entry,date,project,hours,unit_price,description\nT1,2026-10-01,P1,1,200,ok\nT2,2026-10-01,P1,1,200,bad \u{0} byte\n"
        .utf8)
    let badUTF8 =
      Array("entry,date,project,unit_price,category\nX1,2026-10-01,P1,5,".utf8) + [
        0xC3, 0x28, 0x0A,
      ]
    let inbox = try TempInbox(["contracts/k.csv": contractCSV])
    try inbox.write("timesheets/t.csv", bytes: csv)
    try inbox.write("expenses/e.csv", bytes: badUTF8)
    let reading = inbox.read()
    #expect(
      inbox.messages() == [
        "inbox/timesheets/t.csv:3: description: expected text, found a NUL byte in \"bad \\x00 byte\"",
        "inbox/expenses/e.csv:2: category: expected UTF-8 text, found invalid bytes in \"\\xC3(\"",
      ])
    #expect(reading.inbox.entries.map(\.id.value) == ["T1"])
  }

  @Test func missingRequiredColumn() throws {
    #expect(
      try messages(["timesheets/t.csv": "entry,date,project,unit_price\nT1,2026-10-01,P1,200\n"])
        == [
          "inbox/timesheets/t.csv:1: hours: expected a required column, found none"
        ])
  }

  @Test func unknownColumnIsAWarning() throws {
    let reading = try TempInbox([
      "contracts/k.csv": contractCSV,
      "timesheets/t.csv":
        "entry,date,project,hours,unit_price,colour\nT1,2026-10-01,P1,8,200,blue\n",
    ]).read()
    #expect(
      reading.diagnostics.map(\.description).map {
        $0.replacingOccurrences(of: reading.inbox.files[1].dropLast(5), with: "")
      }.count == 1)
    #expect(reading.diagnostics.first?.severity == .warning)
    #expect(
      reading.diagnostics.first?.description.hasSuffix(
        "t.csv:1: warning: colour: unknown column, ignored") == true)
    #expect(!reading.hasErrors)
    #expect(reading.inbox.entries.count == 1)
  }

  @Test func raggedRow() throws {
    #expect(
      try timesheet("T2,2026-10-02,P1,8") == [
        "inbox/timesheets/t.csv:3: expected 5 fields as in the header, found 4"
      ])
  }

  @Test func quoteLeftOpenAtTheEnd() throws {
    #expect(
      try timesheet("T2,2026-10-02,P1,8,\"200") == [
        "inbox/timesheets/t.csv:3: expected a closing quote, found the end of the file"
      ])
  }

  @Test func invalidUTF8() throws {
    let inbox = try TempInbox(["contracts/k.csv": contractCSV])
    try inbox.write(
      "timesheets/t.csv",
      bytes: Array((header + "T\u{1},2026-10-01,P1,8,200\n").utf8)
        + Array("T2,2026-10-01,P1,8,200,".utf8).dropLast())
    try inbox.write(
      "expenses/e.csv",
      bytes: Array("entry,date,project,unit_price,description\nE1,2026-10-01,P1,8,caf".utf8) + [
        0xE9, 0x0A,
      ])
    #expect(
      inbox.messages() == [
        "inbox/timesheets/t.csv:2: entry: expected an id of printable characters, found \"T\\x01\"",
        "inbox/expenses/e.csv:2: description: expected UTF-8 text, found invalid bytes in \"caf\\xE9\"",
      ])
  }

  @Test func nulByte() throws {
    let inbox = try TempInbox(["contracts/k.csv": contractCSV])
    try inbox.write(
      "expenses/e.csv",
      bytes: Array("entry,date,project,unit_price,description\nE1,2026-10-01,P1,8,a".utf8) + [
        0, 0x62, 0x0A,
      ])
    #expect(
      inbox.messages() == [
        "inbox/expenses/e.csv:2: description: expected text, found a NUL byte in \"a\\x00b\""
      ])
  }

  @Test func idWithSurroundingSpaces() throws {
    #expect(
      try timesheet(" T2,2026-10-02,P1,8,200") == [
        "inbox/timesheets/t.csv:3: entry: expected an id without surrounding spaces, found \" T2\""
      ])
  }

  @Test func fileThatIsNeitherCSVNorYAML() throws {
    #expect(
      try messages(["timesheets/notes.xlsx": "PK"]) == [
        "inbox/timesheets/notes.xlsx: warning: not a .csv, .yaml or .yml file, skipped"
      ])
  }

  @Test func emptyFileAndHeaderOnly() throws {
    #expect(
      try messages(["timesheets/a.csv": "", "timesheets/b.csv": header]) == [
        "inbox/timesheets/a.csv: expected a header row, found an empty file"
      ])
  }

  @Test func ambiguousContractLine() throws {
    let contracts = contractCSV + "K1,C1,EUR,L2,P1,time_and_material,19\n"
    #expect(
      try messages([
        "contracts/k.csv": contracts, "timesheets/t.csv": header + "T1,2026-10-01,P1,8,200\n",
      ]) == [
        "inbox/timesheets/t.csv:2: contract_line: expected one, as project \"P1\" has 2 lines including time (L1, L2), found nothing"
      ])
  }

  @Test func fundingThatDoesNotTotal100() throws {
    let funding = """
      contract,customer,split_percent,rounding
      K1,C1,60,true
      K1,C2,30,true

      """
    #expect(
      try messages(["funding/f.csv": funding]) == [
        "inbox/funding/f.csv:2: split_percent: expected the shares of contract K1 to total exactly 100, found 90",
        "inbox/funding/f.csv:2: rounding: expected exactly one rounding customer for contract K1, found 2",
      ])
  }

  @Test func milestonesThatDoNotSumToTheLine() throws {
    let contracts = contractCSV + "K2,C1,EUR,F1,P2,fixed_price,,10000.00\n"
    let fixedHeader =
      "contract,customer,currency,contract_line,project,billing_method,tax_rate,amount\n"
    let milestones = """
      milestone,contract,contract_line,date,percent,amount
      M1,K2,F1,2026-10-01,20,
      M2,K2,F1,2026-11-01,,7000.00
      M3,K1,L1,2026-11-01,10,

      """
    #expect(
      try messages([
        "contracts/k.csv": fixedHeader
          + contracts.split(separator: "\n").dropFirst().map {
            $0 + (($0.hasPrefix("K1")) ? "," : "")
          }.joined(separator: "\n") + "\n",
        "milestones/m.csv": milestones,
      ]) == [
        "inbox/milestones/m.csv:2: amount: expected the milestones of line \"F1\" to sum to its amount 10000.00 EUR, found 7000.00 EUR and 20 %",
        "inbox/milestones/m.csv:4: contract_line: expected a fixed_price line, found \"L1\", a time_and_material line",
      ])
  }

  @Test func settingsAreChecked() throws {
    #expect(
      try messages(["rebill.yaml": "run_date: 2026-11-31\ndrift: sometimes\ncolour: blue\n"]) == [
        "inbox/rebill.yaml:1:11: run_date: expected a real date YYYY-MM-DD, found \"2026-11-31\"",
        "inbox/rebill.yaml:2:8: drift: expected one of correct, report, found \"sometimes\"",
        "inbox/rebill.yaml:3:1: warning: colour: unknown setting, ignored",
      ])
  }

  @Test func unknownFolderIsAWarning() throws {
    #expect(
      try messages(["timesheet/t.csv": header]) == [
        "inbox/timesheet: warning: not an inbox folder (contracts, funding, milestones, retainers, timesheets, expenses, materials, fees, orders, invoices, corrections), skipped"
      ])
  }

  @Test func yamlLinesInheritTheOuterKeys() throws {
    let yaml = """
      - order: SO-1
        order_type: sales
        customer: C1
        currency: EUR
        date: 2026-10-01
        lines:
          - {line: 1, item: Scanner, quantity: 2, unit_price: 450.00, status: delivered}
          - {line: 2, item: Cable, quantity: 5, unit_price: 9.90, status: open, customer: C2}

      """
    let reading = try TempInbox(["orders/o.yaml": yaml]).read()
    #expect(reading.inbox.orderLines.map(\.source) == ["SO-1/1"])
    #expect(
      reading.diagnostics.map(\.description).last?.hasSuffix(
        "o.yaml:8:75: customer: expected a key on the record or on its line, found it on both")
        == true)
  }
}
