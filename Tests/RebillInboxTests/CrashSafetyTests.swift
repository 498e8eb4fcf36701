import Foundation
import TestSupport
import Testing

/// A run killed with SIGKILL at any moment leaves either the old OUT or the complete new one,
/// never a mix, never a half-written journal.
@Suite(.enabled(if: CLI.exists, ".build/debug/rebill is not built: run `make test`"))
struct CrashSafetyTests {
  func folder() -> String {
    FileManager.default.temporaryDirectory.appendingPathComponent(
      "rebill-kill-\(UUID().uuidString)"
    ).path
  }

  @Test func killedAtAnyMomentLeavesOldOrNewWhole() throws {
    let work = folder()
    try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: work) }
    let inbox = work + "/inbox"
    #expect(try CLI.run("generate", "--entries", "4000", "--seed", "3", inbox).status == 0)
    // The complete new output, and an old one that differs from it.
    #expect(try CLI.run("reconcile", inbox, "--out", work + "/new", "--quiet").status == 0)
    #expect(try CLI.run("reconcile", Paths.samples, "--out", work + "/old", "--quiet").status == 0)
    let old = filesUnder(work + "/old")
    let new = filesUnder(work + "/new")
    #expect(!old.isEmpty && !new.isEmpty && old != new)
    var outcomes: Set<String> = []
    for delay in [0, 20, 60, 120, 250, 400, 700, 1_000, 1_500] {
      let out = work + "/out"
      try? FileManager.default.removeItem(atPath: out)
      try FileManager.default.copyItem(atPath: work + "/old", toPath: out)
      let process = Process()
      process.executableURL = URL(fileURLWithPath: CLI.binary)
      process.arguments = ["reconcile", inbox, "--out", out, "--quiet"]
      process.standardOutput = FileHandle.nullDevice
      process.standardError = FileHandle.nullDevice
      try process.run()
      usleep(useconds_t(delay * 1_000))
      kill(process.processIdentifier, SIGKILL)
      process.waitUntilExit()
      let found = filesUnder(out)
      #expect(found == old || found == new, "killed after \(delay) ms: a mix of old and new")
      outcomes.insert(found == old ? "old" : "new")
    }
    // The next run after a kill cleans up and completes.
    #expect(try CLI.run("reconcile", inbox, "--out", work + "/out", "--quiet").status == 0)
    #expect(filesUnder(work + "/out") == new)
    print("outcomes of the kills: \(outcomes.sorted())")
  }
}
