import Foundation
import TestSupport
import Testing

/// `Tests/corpus/bad-input`: whatever users drop into the inbox, rebill never crashes, reports
/// the problem in the FORMATS.md form, exits 1, writes nothing and leaves the inbox as it was.
@Suite(.enabled(if: CLI.exists, ".build/debug/rebill is not built: run `make test`"))
struct BadInputCorpusTests {
  static let corpus = Paths.repository.appendingPathComponent("Tests/corpus/bad-input").path

  /// Each case and a piece of the one error it must print (nil: read without error).
  static let cases: [(String, String?)] = [
    ("empty-file", "timesheets/t.csv: expected a header row, found an empty file"),
    ("quote-left-open", "timesheets/t.csv:2: expected a closing quote, found the end of the file"),
    ("nul-bytes", "timesheets/t.csv:2: description: expected text, found a NUL byte"),
    ("invalid-utf8", "timesheets/t.csv:2: description: expected UTF-8 text, found invalid bytes"),
    ("ragged-rows", "timesheets/t.csv:2: expected 5 fields as in the header, found 4"),
    ("yaml-alias", "expenses/e.yaml:2:3: expected plain data, found an alias"),
    ("yaml-duplicate-key", "expenses/e.yaml:1:33: date: expected each key once in a mapping"),
    (
      "amount-beyond-range",
      "invoices/i.csv:2: amount: expected a decimal number, found \"92233720368547758.08\", beyond 18 significant digits"
    ),
    (
      "impossible-date",
      "timesheets/t.csv:2: date: expected a real date YYYY-MM-DD, found \"2026-02-30\""
    ),
    (
      "unknown-enum",
      "timesheets/t.csv:2: billing: expected one of chargeable, non_chargeable, complimentary, found \"billable\""
    ),
    ("neither-csv-nor-yaml", "timesheets/t.csv:"),
    ("unreadable-file", "timesheets/t.csv: cannot read the file: Is a directory"),
    ("yaml-not-yaml", "expenses/e.yaml:"),
    ("header-only", nil),
    (
      "cr-only-line-ends",
      "timesheets/t.csv:3: date: expected a real date YYYY-MM-DD, found \"2026-13-01\""
    ),
  ]

  @Test(arguments: cases)
  func neverCrashesNeverWritesNeverTouchesTheInbox(name: String, expected: String?) throws {
    let inbox = try TempInbox(copying: Self.corpus + "/" + name)
    try expectRefused(inbox, expected)
  }

  @Test func aTenMegabyteField() throws {
    let inbox = try TempInbox(copying: Self.corpus + "/header-only")
    let big = String(repeating: "x", count: 10 << 20)
    try inbox.write(
      "timesheets/t.csv",
      "entry,date,project,hours,unit_price,description\nT1,2026-10-01,P1,8,100,\(big)\n")
    try expectRefused(
      inbox, "timesheets/t.csv:2: expected fields of at most 1048576 bytes, found one of 10485760")
  }

  @Test func yamlNestedAMillionDeep() throws {
    let inbox = try TempInbox(copying: Self.corpus + "/header-only")
    try inbox.write("expenses/e.yaml", String(repeating: "[", count: 1_000_000))
    try expectRefused(
      inbox, "expenses/e.yaml:1:33: expected at most 32 levels of nesting, found more")
  }

  @Test func billionLaughs() throws {
    let inbox = try TempInbox(copying: Self.corpus + "/header-only")
    var text = "- {entry: E1, date: 2026-10-01, project: P1, unit_price: 1, description: &a lol}\n"
    var previous = "a"
    for level in 0..<9 {
      let name = "l\(level)"
      text +=
        "- &\(name) [" + Array(repeating: "*\(previous)", count: 9).joined(separator: ", ") + "]\n"
      previous = name
    }
    try inbox.write("expenses/e.yaml", text)
    try expectRefused(inbox, "expected plain data, found an alias (aliases are not accepted)")
  }

  func expectRefused(_ inbox: TempInbox, _ expected: String?) throws {
    let before = filesUnder(inbox.root)
    let check = try CLI.run("check", inbox.root)
    #expect(check.status == (expected == nil ? 0 : 1), "\(check.stderr)")
    if let expected {
      #expect(check.stderr.contains(expected), "\(check.stderr)")
    } else {
      #expect(!check.stderr.contains(": error"))
    }
    let out = FileManager.default.temporaryDirectory.appendingPathComponent(
      "rebill-out-\(UUID().uuidString)"
    ).path
    defer { try? FileManager.default.removeItem(atPath: out) }
    let reconcile = try CLI.run(
      "reconcile", inbox.root, "--out", out, "--run-date", "2026-11-10", "--quiet")
    #expect(reconcile.status == (expected == nil ? 0 : 1))
    #expect(FileManager.default.fileExists(atPath: out) == (expected == nil))
    #expect(filesUnder(inbox.root) == before)
  }

}
