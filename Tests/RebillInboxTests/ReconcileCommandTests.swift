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
    let written = filesUnder(a)
    // The summary counts what was written (the run streams actuals out part by part).
    let actualRows =
      String(decoding: written["actuals.csv"] ?? Data(), as: UTF8.self).split(separator: "\n")
      .count - 1
    #expect(first.stdout.hasPrefix("8 document(s), \(actualRows) actuals → "))
    #expect(
      Set(written.keys).isSuperset(of: [
        "documents.csv", "actuals.csv", "milestones.csv", "report.txt",
      ]))
    #expect(written.keys.filter { $0.hasPrefix("journals/") }.count == 11)
    #expect(written == (filesUnder(b)))
    let expected = filesUnder(Paths.repository.appendingPathComponent("samples/expected").path)
    #expect(written == expected)
  }

  /// A generated inbox of hundreds of parts, on one thread and on four: the same bytes in
  /// every file (each part's rows and journal share are made on the thread that reconciled it,
  /// and written in part order).
  /// A run over an existing OUT puts the new one in place and leaves the old one to a
  /// process of its own: OUT holds the new files only, and the old ones, moved aside to
  /// `.NAME.rebill-old`, are gone soon after; a run at once after it is not disturbed.
  @Test func theOldOutIsRemovedInTheBackground() throws {
    let parent = temporaryFolder()
    try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: parent) }
    let out = parent + "/out"
    try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
    try Data("old".utf8).write(to: URL(fileURLWithPath: out + "/stale.txt"))
    #expect(try CLI.run("reconcile", Paths.samples, "--out", out, "--quiet").status == 0)
    #expect(!FileManager.default.fileExists(atPath: out + "/stale.txt"))
    #expect(FileManager.default.fileExists(atPath: out + "/actuals.csv"))
    #expect(try CLI.run("reconcile", Paths.samples, "--out", out, "--quiet").status == 0)
    // Soon only OUT itself is left in the parent.
    var left: [String] = []
    for _ in 0..<100 {
      left = try FileManager.default.contentsOfDirectory(atPath: parent)
      if left == ["out"] { break }
      Thread.sleep(forTimeInterval: 0.1)
    }
    #expect(left == ["out"])
    #expect(FileManager.default.fileExists(atPath: out + "/actuals.csv"))
  }

  @Test func threadsWriteTheSameBytes() throws {
    let inbox = temporaryFolder()
    let one = temporaryFolder()
    let four = temporaryFolder()
    defer {
      for path in [inbox, one, four] { try? FileManager.default.removeItem(atPath: path) }
    }
    #expect(try CLI.run("generate", "--entries", "3000", "--seed", "7", inbox).status == 0)
    let journals = ["--journal", "generic", "--journal", "datev", "--journal", "hledger"]
    let first = try CLI.run(
      ["reconcile", inbox, "--out", one, "--quiet", "--workers", "1"] + journals)
    let second = try CLI.run(
      ["reconcile", inbox, "--out", four, "--quiet", "--workers", "4"] + journals)
    #expect(first.status == 0)
    #expect(second.status == 0)
    let written = filesUnder(one)
    #expect(written.keys.filter { $0.hasPrefix("journals/") }.count == 3)
    #expect((written["actuals.csv"]?.count ?? 0) > 100_000)
    #expect(written == filesUnder(four))
  }

  /// An inbox with errors prints them all and leaves an existing OUT exactly as it was.
  @Test func anInboxWithErrorsWritesNothing() throws {
    let out = temporaryFolder()
    defer { try? FileManager.default.removeItem(atPath: out) }
    _ = try CLI.run("reconcile", Paths.samples, "--out", out, "--quiet")
    let before = filesUnder(out)
    let inbox = try TempInbox(copying: Paths.samples)
    try inbox.write(
      "timesheets/zz.csv", "entry,date,project,hours,unit_price\nX1,2026-02-30,PRJ-HANSA-WMS,1,1\n")
    let run = try CLI.run("reconcile", inbox.root, "--out", out)
    #expect(run.status == 1)
    #expect(
      run.stderr.contains("zz.csv:2: date: expected a real date YYYY-MM-DD, found \"2026-02-30\""))
    #expect(run.stderr.contains("nothing written"))
    #expect(filesUnder(out) == before)
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

/// `rebill diff` and layouts as data, tried as a user would.
@Suite(.enabled(if: CLI.exists, ".build/debug/rebill is not built: run `make test`"))
struct DiffAndLayoutTests {
  func out() -> String {
    FileManager.default.temporaryDirectory.appendingPathComponent("rebill-out-\(UUID().uuidString)")
      .path
  }

  /// One timesheet changed (TS-1005, 8 h → 6 h): exactly that change, with amounts.
  @Test func diffShowsExactlyTheChangedTimesheet() throws {
    let (a, b) = (out(), out())
    defer {
      try? FileManager.default.removeItem(atPath: a)
      try? FileManager.default.removeItem(atPath: b)
    }
    _ = try CLI.run("reconcile", Paths.samples, "--out", a, "--quiet")
    let inbox = try TempInbox(copying: Paths.samples)
    let path = inbox.root + "/timesheets/2026-10.csv"
    let text = try String(contentsOfFile: path, encoding: .utf8)
    try text.replacingOccurrences(
      of: "Senior Consultant,8.0,165.00", with: "Senior Consultant,6.0,165.00"
    )
    .write(toFile: path, atomically: true, encoding: .utf8)
    _ = try CLI.run("reconcile", inbox.root, "--out", b, "--quiet")
    let diff = try CLI.run("diff", a, b)
    #expect(diff.status == 1)
    let lines = diff.stdout.split(separator: "\n").map(String.init)
    #expect(
      Array(lines.prefix(3)) == [
        "documents: 0 added, 0 removed, 1 changed",
        "  ~ CON-HANSA-01-C-HANSA-I20261110  line 9: quantity 8 → 6, amount 1320.00 → 990.00, tax_amount 250.80 → 188.10; line 13: unit_price 6644.40 → 6314.40, amount -6644.40 → -6314.40",
        "  change: -62.70 EUR",
      ])
    #expect(lines[3] == "journal entries (generic): 0 added, 0 removed, 1 changed")
    let same = try CLI.run("diff", a, a)
    #expect(same.status == 0)
    #expect(same.stdout == "no changes\n")
  }

  /// A layout added as a file (another column order) changes the output with no code change.
  @Test func aNewLayoutFileIsUsedAsItIs() throws {
    let mappings = try TempInbox(copying: Paths.repository.appendingPathComponent("mappings").path)
    try mappings.write(
      "journals/mine.yaml",
      """
      source: our own import screen
      kind: table
      delimiter: "|"
      amounts: signed
      date_format: DD.MM.YYYY
      columns:
        - {name: Amount, value: "{amount}"}
        - {name: Account, value: "{account}"}
        - {name: When, value: "{date}"}
        - {name: Ref, value: "{entry}"}

      """)
    let folder = out()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let run = try CLI.run(
      "reconcile", Paths.samples, "--out", folder, "--quiet", "--mappings", mappings.root,
      "--journal", "mine")
    #expect(run.status == 0, "\(run.stderr)")
    let written = try String(contentsOfFile: folder + "/journals/mine.csv", encoding: .utf8)
    let lines = written.split(separator: "\n")
    #expect(lines[0] == "Amount|Account|When|Ref")
    #expect(lines[1] == "14400.00|1200|10.11.2026|CON-ATLAS-01-C-ATLAS-I20261110")
    #expect(
      try FileManager.default.contentsOfDirectory(atPath: folder + "/journals") == ["mine.csv"])
  }

  @Test func anUnknownLayoutWritesNothing() throws {
    let folder = out()
    let run = try CLI.run("reconcile", Paths.samples, "--out", folder, "--journal", "sage50")
    #expect(run.status == 1)
    #expect(
      run.stderr.contains("journals: expected a layout of beancount, d365, datev, generic, hledger")
    )
    #expect(!FileManager.default.fileExists(atPath: folder))
  }
}
