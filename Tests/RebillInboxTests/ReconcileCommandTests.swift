import Foundation
import TestSupport
import Testing

/// `rebill reconcile` as a user runs it.
@Suite(.enabled(if: CLI.exists, ".build/debug/rebill is not built: run `make test`"))
struct ReconcileCommandTests {
  func temporaryFolder() -> String {
    FileManager.default.temporaryDirectory.appendingPathComponent("rebill-out-\(UUID().uuidString)")
      .path
  }

  func files(_ folder: String) throws -> [String: Data] {
    var out: [String: Data] = [:]
    for name in try FileManager.default.contentsOfDirectory(atPath: folder) {
      out[name] = try Data(contentsOf: URL(fileURLWithPath: folder + "/" + name))
    }
    return out
  }

  @Test func writesTheOutFolderAndTwoRunsAreByteIdentical() throws {
    let a = temporaryFolder()
    let b = temporaryFolder()
    defer {
      try? FileManager.default.removeItem(atPath: a)
      try? FileManager.default.removeItem(atPath: b)
    }
    let first = try CLI.run("reconcile", Paths.samples, "--out", a)
    #expect(first.status == 0)
    #expect(first.stderr == "")
    #expect(first.stdout.hasPrefix("8 document(s), "))
    _ = try CLI.run("reconcile", Paths.samples, "--out", b, "--quiet")
    let written = try files(a)
    #expect(Set(written.keys) == ["documents.csv", "actuals.csv", "milestones.csv", "report.txt"])
    #expect(written == (try files(b)))
    let expected = try files(Paths.repository.appendingPathComponent("samples/expected").path)
    #expect(written == expected)
  }

  /// An inbox with errors prints them all and leaves an existing OUT exactly as it was.
  @Test func anInboxWithErrorsWritesNothing() throws {
    let out = temporaryFolder()
    defer { try? FileManager.default.removeItem(atPath: out) }
    _ = try CLI.run("reconcile", Paths.samples, "--out", out, "--quiet")
    let before = try files(out)
    let inbox = try TempInbox(copying: Paths.samples)
    try inbox.write(
      "timesheets/zz.csv", "entry,date,project,hours,unit_price\nX1,2026-02-30,PRJ-HANSA-WMS,1,1\n")
    let run = try CLI.run("reconcile", inbox.root, "--out", out)
    #expect(run.status == 1)
    #expect(
      run.stderr.contains("zz.csv:2: date: expected a real date YYYY-MM-DD, found \"2026-02-30\""))
    #expect(run.stderr.contains("nothing written"))
    #expect(try files(out) == before)
  }

  /// An engine error (here, a correction asking for more than the entry) also writes nothing.
  @Test func aRejectedCorrectionWritesNothing() throws {
    let out = temporaryFolder()
    let inbox = try TempInbox(copying: Paths.samples)
    try inbox.write(
      "corrections/2026-11-03.yaml",
      "- invoice: INV-2026-0102\n  line: 2\n  quantity: 99\n  date: 2026-11-03\n")
    let run = try CLI.run("reconcile", inbox.root, "--out", out)
    #expect(run.status == 1)
    #expect(
      run.stderr.contains(
        "corrections/2026-11-03.yaml:1:3: quantity: INV-2026-0102/2: expected at most the entry's current quantity 7.5, found 99"
      ))
    #expect(!FileManager.default.fileExists(atPath: out))
  }

  @Test func theRunDateOptionOverridesTheSetting() throws {
    let out = temporaryFolder()
    defer { try? FileManager.default.removeItem(atPath: out) }
    let run = try CLI.run("reconcile", Paths.samples, "--out", out, "--run-date", "2026-11-20")
    #expect(run.status == 0)
    #expect(run.stdout.contains("INV-2026-0104-D20261120"))
    #expect(
      try CLI.run("reconcile", Paths.samples, "--out", out, "--run-date", "2026-11-31").status == 2)
    #expect(try CLI.run("reconcile", Paths.samples).status == 2)
  }

  /// documents.csv fed back into invoices/: the next run creates nothing (DOMAIN §10).
  @Test func feedingTheDocumentsBackSettlesNothingTwice() throws {
    let out = temporaryFolder()
    defer { try? FileManager.default.removeItem(atPath: out) }
    _ = try CLI.run("reconcile", Paths.samples, "--out", out, "--quiet")
    let inbox = try TempInbox(copying: Paths.samples)
    try FileManager.default.copyItem(
      atPath: out + "/documents.csv", toPath: inbox.root + "/invoices/run-1.csv")
    let second = try CLI.run("reconcile", inbox.root, "--out", out)
    #expect(second.status == 0)
    #expect(second.stdout.hasPrefix("0 document(s), "))
  }
}
