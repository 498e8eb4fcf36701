import Foundation
import RebillEngine
import RebillInbox
import RebillJournals
import RebillOut
import Testing

/// The out folder of `samples/inbox`, byte for byte as committed in `samples/expected/`
/// (`make golden` rewrites it; its diff is the review of a change in behaviour).
@Suite struct GoldenTests {
  static let repository = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

  /// `actuals.csv` written in one stream (flushed every 64 KiB, the columns an actual shares
  /// with the one before copied from its row) is each actual's row written alone, however
  /// many rows and flushes: the samples' actuals, over and over, past several flushes.
  @Test func actualRowsInOneStreamAreEachRowAlone() throws {
    let reading = InboxReader.read(Self.repository.appendingPathComponent("samples/inbox").path)
    let actuals = reconcile(reading.inbox).actuals
    let many = Array(repeating: actuals, count: 1 + (3 << 16) / max(1, actuals.count * 100))
      .flatMap { $0 }
    let header = OutFiles.actuals([])
    let alone = many.map { OutFiles.actuals([$0]).dropFirst(header.count) }.joined()
    #expect(OutFiles.actuals(many) == header + alone)
    #expect(OutFiles.actuals(many).utf8.count > 3 << 16)
  }

  @Test func samplesReconcileToTheirExpectedOutput() throws {
    let reading = InboxReader.read(Self.repository.appendingPathComponent("samples/inbox").path)
    #expect(reading.diagnostics.map(\.description) == [])
    let result = reconcile(reading.inbox)
    #expect(result.errors.map(\.description) == [])
    let mappings = Self.repository.appendingPathComponent("mappings").path
    let accounts = try #require(MappingReader.accounts(path: mappings + "/accounts.yaml").0)
    let entries = try JournalBuilder.entries(
      for: result, contractLines: reading.inbox.contractLines, accounts: accounts)
    let layouts = try result.settings.journals.map { name in
      try #require(MappingReader.layout(path: "\(mappings)/journals/\(name).yaml").0)
    }
    let files = OutFiles.all(
      result, counts: reading.counts, journals: layouts.map { ($0, entries) },
      legalEntity: result.settings.legalEntity.value)
    #expect(files.count == 4 + 11)
    for (path, bytes) in files {
      let text = String(decoding: bytes, as: UTF8.self)
      let expectedURL = Self.repository.appendingPathComponent("samples/expected/\(path)")
      let expected = String(decoding: try Data(contentsOf: expectedURL), as: UTF8.self)
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
