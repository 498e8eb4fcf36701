import Foundation
import RebillEngine
import RebillInbox
import RebillOut
import Testing

/// The out folder of `samples/inbox`, byte for byte as committed in `samples/expected/`
/// (`make golden` rewrites it; its diff is the review of a change in behaviour).
@Suite struct GoldenTests {
  static let repository = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

  @Test func samplesReconcileToTheirExpectedOutput() throws {
    let reading = InboxReader.read(Self.repository.appendingPathComponent("samples/inbox").path)
    #expect(reading.diagnostics.map(\.description) == [])
    let result = reconcile(reading.inbox)
    #expect(result.errors.map(\.description) == [])
    let files = OutFiles.all(result, counts: reading.counts)
    #expect(files.map(\.path) == ["documents.csv", "actuals.csv", "milestones.csv", "report.txt"])
    for (path, text) in files {
      let expectedURL = Self.repository.appendingPathComponent("samples/expected/\(path)")
      let expected = try String(contentsOf: expectedURL, encoding: .utf8)
      if text != expected {
        let got = text.components(separatedBy: "\n")
        let want = expected.components(separatedBy: "\n")
        let first =
          (0..<min(got.count, want.count)).first { got[$0] != want[$0] }
          ?? min(got.count, want.count)
        Issue.record(
          """
          \(path) differs from samples/expected at line \(first + 1):
            expected: \(first < want.count ? want[first] : "(end)")
            got:      \(first < got.count ? got[first] : "(end)")
          """)
      }
    }
  }
}
