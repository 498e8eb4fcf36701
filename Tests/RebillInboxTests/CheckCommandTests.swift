import Foundation
import TestSupport
import Testing

/// `rebill check` as a user runs it: the debug binary that `swift build --build-tests` built.
@Suite(.enabled(if: CLI.exists, ".build/debug/rebill is not built: run `make test`"))
struct CheckCommandTests {
  @Test func samplesPassWithTheirCounts() throws {
    let run = try CLI.run("check", Paths.samples)
    #expect(run.status == 0)
    #expect(run.stderr == "")
    #expect(
      run.stdout == """
        contracts    5
        funding      2
        milestones   4
        retainers    1
        timesheets   30
        expenses     7
        materials    2
        fees         3
        orders       9
        invoices     27
        corrections  1
        0 errors, 0 warnings

        """)
  }

  /// A broken copy of the samples: each problem on its own FILE:LINE line, exit 1, and the
  /// inbox left byte for byte as it was.
  @Test func aBrokenCopyReportsEveryProblem() throws {
    let inbox = try TempInbox(copying: Paths.samples)
    func edit(_ path: String, _ change: (inout [String]) -> Void) throws {
      let url = URL(fileURLWithPath: inbox.root).appendingPathComponent(path)
      var lines = try String(contentsOf: url, encoding: .utf8).components(separatedBy: "\n")
      change(&lines)
      try lines.joined(separator: "\n").write(to: url, atomically: true, encoding: .utf8)
    }
    try edit("timesheets/2026-09.csv") { lines in
      lines[1] = lines[1].replacingOccurrences(of: "2026-09-02", with: "2026-02-30")
      lines[2] = lines[2].replacingOccurrences(of: ",7.5,", with: ",7.5h,")
      lines[3] = lines[3].replacingOccurrences(of: ",120.00,", with: ",120.0000001,")
      lines[4] = lines[4].replacingOccurrences(of: ",chargeable,", with: ",billable,")
      lines[5] = lines[5].replacingOccurrences(of: "PRJ-HANSA-WMS", with: "PRJ-NOWHERE")
    }
    try edit("expenses/2026-09.yaml") { lines in
      lines[0] = "- entry: TS-0907"
      lines[3] = "  category: &c travel"
      lines[5] = "  unit: *c"
    }
    try edit("fees/2026.yaml") { lines in lines.insert("  date: 2026-01-01", at: 2) }
    let before = filesUnder(inbox.root)
    let run = try CLI.run("check", inbox.root)
    #expect(run.status == 1)
    let shown = run.stderr.replacingOccurrences(of: inbox.root, with: "inbox")
    #expect(
      shown == """
        inbox/timesheets/2026-09.csv:2: date: expected a real date YYYY-MM-DD, found "2026-02-30"
        inbox/timesheets/2026-09.csv:3: hours: expected a decimal number, found "7.5h"
        inbox/timesheets/2026-09.csv:4: unit_price: expected at most 6 decimals, found 7 in "120.0000001"
        inbox/timesheets/2026-09.csv:5: billing: expected one of chargeable, non_chargeable, complimentary, found "billable"
        inbox/timesheets/2026-09.csv:6: project: expected a project of a contract line, found "PRJ-NOWHERE", on no contract
        inbox/expenses/2026-09.yaml:1:3: entry: expected a unique id, found "TS-0907" again (first at inbox/timesheets/2026-09.csv:8)
        inbox/expenses/2026-09.yaml:6:9: unit: expected plain data, found an alias (aliases are not accepted)
        inbox/fees/2026.yaml:3:3: date: expected each key once in a mapping, found it again (first at line 2)

        """)
    #expect(run.stdout.hasSuffix("8 errors, 0 warnings\n"))
    #expect(filesUnder(inbox.root) == before)
  }

  @Test(arguments: [
    [String](), ["check"], ["check", "/nonexistent/inbox"], ["check", "--bogus", "x"],
    ["frobnicate"],
  ])
  func misuseExitsWith2(arguments: [String]) throws {
    let run = try CLI.run(arguments)
    #expect(run.status == 2)
    #expect(!run.stderr.isEmpty)
  }

  @Test func helpExitsWith0() throws {
    let run = try CLI.run("check", "--help")
    #expect(run.status == 0)
    #expect(run.stdout.contains("USAGE: rebill check <inbox>"))
  }

}

enum CLI {
  static let binary = Paths.repository.appendingPathComponent(".build/debug/rebill").path
  static var exists: Bool { FileManager.default.isExecutableFile(atPath: binary) }

  struct Run {
    let status: Int32
    let stdout: String
    let stderr: String
  }

  static func run(_ arguments: String...) throws -> Run { try run(arguments) }

  static func run(_ arguments: [String]) throws -> Run {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: binary)
    process.arguments = arguments
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let stdout = out.fileHandleForReading.readDataToEndOfFile()
    let stderr = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return Run(
      status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
      stderr: String(decoding: stderr, as: UTF8.self))
  }
}
