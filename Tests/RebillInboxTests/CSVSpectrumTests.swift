import Foundation
import TestSupport
import Testing

@testable import RebillInbox

/// The public csv-spectrum corpus, read in place from ../shared: each `csvs/NAME.csv` must read
/// as the records of `json/NAME.json` (objects keyed by the header, every value a string).
@Suite(
  .enabled(if: Paths.hasCSVSpectrum, "../shared/corpora/csv-spectrum is absent: corpus skipped"))
struct CSVSpectrumTests {
  static var cases: [String] {
    let csvs = Paths.csvSpectrum.appendingPathComponent("csvs").path
    let names = (try? FileManager.default.contentsOfDirectory(atPath: csvs)) ?? []
    return names.filter { $0.hasSuffix(".csv") }.map { String($0.dropLast(4)) }.sorted()
  }

  @Test func theCorpusIsThere() {
    #expect(Self.cases.count >= 11)
  }

  @Test(arguments: cases)
  func readsAsItsJSON(name: String) throws {
    let csvPath = Paths.csvSpectrum.appendingPathComponent("csvs/\(name).csv").path
    let json = try Data(contentsOf: Paths.csvSpectrum.appendingPathComponent("json/\(name).json"))
    let expected = try #require(try JSONSerialization.jsonObject(with: json) as? [[String: String]])
    var header: [String] = []
    var rows: [[String: String]] = []
    try CSVReader.read(path: csvPath) { record in
      let fields = (0..<record.count).map { String(decoding: record.field($0), as: UTF8.self) }
      if header.isEmpty {
        header = fields
      } else {
        rows.append(Dictionary(uniqueKeysWithValues: zip(header, fields)))
      }
    }
    #expect(rows == expected)
  }
}
