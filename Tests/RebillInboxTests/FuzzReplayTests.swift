import Foundation
import RebillInbox
import TestSupport
import Testing

/// Every fuzz regression, bad-input case and sample file through the fuzz targets' entry
/// points: none may crash (a crash fails the whole test run).
@Suite struct FuzzReplayTests {
  static func files(under folder: String, ending: [String]) -> [String] {
    let root = Paths.repository.appendingPathComponent(folder).path
    var found: [String] = []
    let enumerator = FileManager.default.enumerator(atPath: root)
    while let path = enumerator?.nextObject() as? String {
      var isFolder: ObjCBool = false
      _ = FileManager.default.fileExists(atPath: root + "/" + path, isDirectory: &isFolder)
      if !isFolder.boolValue,
        ending.contains(where: path.hasSuffix) || folder.hasSuffix("fuzz-regressions")
      {
        if !path.hasSuffix(".gitkeep") && !path.hasSuffix("README.md") {
          found.append(root + "/" + path)
        }
      }
    }
    return found.sorted()
  }

  static let csvInputs =
    files(under: "Tests/corpus/fuzz-regressions/csv", ending: [])
    + files(under: "Tests/corpus/bad-input", ending: [".csv"])
    + files(under: "samples/inbox", ending: [".csv"])
  static let yamlInputs =
    files(under: "Tests/corpus/fuzz-regressions/yaml", ending: [])
    + files(under: "Tests/corpus/bad-input", ending: [".yaml"])
    + files(under: "samples/inbox", ending: [".yaml"])

  @Test func thereAreInputsToReplay() {
    #expect(Self.csvInputs.count >= 20)
    #expect(Self.yamlInputs.count >= 8)
  }

  @Test(arguments: csvInputs) func csvDecodesWithoutCrashing(path: String) throws {
    let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
    // Every input is either read or reported: some kind always has something to say.
    #expect(Fuzzing.decodeCSV(bytes) > 0)
  }

  @Test(arguments: yamlInputs) func yamlDecodesWithoutCrashing(path: String) throws {
    let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
    #expect(Fuzzing.decodeYAML(bytes) > 0)
  }
}
