import ArgumentParser
import Foundation
import RebillInbox
import RebillOut

/// `rebill diff OLD_OUT NEW_OUT`: what changed between two runs' outputs.
struct Diff: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Show what changed between two out folders: documents and journal entries.",
    discussion: """
      Documents and generic journal entries added, removed or changed, with amounts and the \
      change per currency; other files by rows added and removed. Exit status: 0 when the two \
      folders hold the same files byte for byte, 1 otherwise, 2 wrong usage.
      """)

  @Argument(help: "The earlier out folder.")
  var old: String

  @Argument(help: "The later out folder.")
  var new: String

  func validate() throws {
    try requireInboxFolder(old, what: "OLD_OUT")
    try requireInboxFolder(new, what: "NEW_OUT")
  }

  func run() throws {
    var diff = OutDiff()
    diff.documents(
      old: try table("documents.csv", in: old), new: try table("documents.csv", in: new))
    diff.journal(
      "generic", old: try table("journals/generic.csv", in: old),
      new: try table("journals/generic.csv", in: new))
    for name in Set(files(old)).union(files(new)).sorted()
    where name != "documents.csv" && name != "journals/generic.csv" {
      diff.file(name, old: lines(name, in: old), new: lines(name, in: new))
    }
    if diff.changed {
      print(diff.lines.joined(separator: "\n"))
      throw ExitCode.failure
    }
    print("no changes")
  }

  func table(_ name: String, in folder: String) throws -> OutDiff.Table? {
    let path = folder + "/" + name
    guard FileManager.default.fileExists(atPath: path) else { return nil }
    return try CSVFile.rows(path: path)
  }

  func lines(_ name: String, in folder: String) -> [String]? {
    guard let data = FileManager.default.contents(atPath: folder + "/" + name) else { return nil }
    // Split on every line end: Swift reads CRLF as one character, so splitting on "\n" alone
    // would leave a CRLF file in one piece.
    return String(decoding: data, as: UTF8.self).split(
      omittingEmptySubsequences: false, whereSeparator: \.isNewline
    ).map(String.init)
  }

  /// Every file under a folder, by relative path.
  func files(_ folder: String) -> [String] {
    var names: [String] = []
    let enumerator = FileManager.default.enumerator(atPath: folder)
    while let path = enumerator?.nextObject() as? String {
      var isFolder: ObjCBool = false
      _ = FileManager.default.fileExists(atPath: folder + "/" + path, isDirectory: &isFolder)
      if !isFolder.boolValue { names.append(path) }
    }
    return names
  }
}
