import ArgumentParser
import Foundation
import RebillInbox
import RebillModel

/// `rebill check INBOX`: reads and validates everything, writes nothing.
struct Check: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Read and validate an inbox: every problem, then a count of records per kind.",
    discussion: """
      Problems go to standard error, one per line, as FILE:LINE[:COLUMN]: FIELD: message. \
      Writes nothing. Exit status: 0 no errors (warnings allowed), 1 errors, 2 wrong usage.
      """)

  @Argument(help: "The inbox folder.")
  var inbox: String

  func validate() throws {
    try requireInboxFolder(inbox)
  }

  func run() throws {
    let reading = InboxReader.read(inbox, live: isatty(STDERR_FILENO) == 1)
    for diagnostic in reading.diagnostics { printError(diagnostic.description) }
    let width = InboxReader.folders.map(\.count).max() ?? 0
    var lines: [String] = []
    for (folder, count) in reading.counts {
      lines.append(folder + String(repeating: " ", count: width - folder.count + 2) + String(count))
    }
    let errors = reading.errors.count
    let warnings = reading.diagnostics.count - errors
    lines.append(
      "\(errors) error\(errors == 1 ? "" : "s"), \(warnings) warning\(warnings == 1 ? "" : "s")")
    print(lines.joined(separator: "\n"))
    if errors > 0 { throw ExitCode.failure }
  }
}

/// INBOX must be an existing folder: anything else is wrong usage (exit 2), not an inbox error.
func requireInboxFolder(_ path: String, what: String = "INBOX") throws {
  var isFolder: ObjCBool = false
  guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue
  else {
    throw ValidationError("\(what) \(path) is not a folder")
  }
}
