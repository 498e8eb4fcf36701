import Foundation
import RebillInbox
import RebillModel

/// Where the account mapping and the journal layouts are, and loading them.
struct Mappings {
  /// The folder holding `accounts.yaml` and `journals/`.
  let folder: String

  /// `--mappings`, else `mappings` in the current folder, else the one beside the binary's
  /// repository (`.build/release/rebill` → `mappings`).
  static func locate(_ option: String?) -> Mappings {
    if let option { return Mappings(folder: option) }
    if FileManager.default.fileExists(atPath: "mappings/journals") {
      return Mappings(folder: "mappings")
    }
    let binary = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
    var folder = binary.deletingLastPathComponent()
    for _ in 0..<4 {
      let candidate = folder.appendingPathComponent("mappings")
      if FileManager.default.fileExists(atPath: candidate.appendingPathComponent("journals").path) {
        return Mappings(folder: candidate.path)
      }
      folder = folder.deletingLastPathComponent()
    }
    return Mappings(folder: "mappings")
  }

  /// The layouts shipped or added, by name.
  var layoutNames: [String] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: folder + "/journals")) ?? []
    return names.filter { $0.hasSuffix(".yaml") }.map { String($0.dropLast(5)) }.sorted()
  }

  /// The account file the setting names: absolute as given; relative, found in the inbox, the
  /// current folder, or (for the default `mappings/accounts.yaml`) in this mappings folder.
  func accountsPath(setting: String, inbox: String) -> String {
    if setting.hasPrefix("/") { return setting }
    for candidate in [inbox + "/" + setting, setting]
    where FileManager.default.fileExists(atPath: candidate) {
      return candidate
    }
    return folder + "/accounts.yaml"
  }

  func layout(_ name: String) -> (JournalLayout?, [Diagnostic]) {
    let path = folder + "/journals/\(name).yaml"
    guard FileManager.default.fileExists(atPath: path) else {
      return (
        nil,
        [
          .error(
            SourceLocation(file: path, line: 0), field: "journals",
            "expected a layout of \(layoutNames.joined(separator: ", ")), found \"\(name)\"")
        ]
      )
    }
    return MappingReader.layout(path: path)
  }
}
