import ArgumentParser
import Foundation

/// `rebill`: reconciles project billing from an inbox of CSV and YAML files.
@main
struct Rebill: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "rebill",
    abstract: "Reconcile project billing: corrective invoices, credit notes, actuals, journals.",
    discussion: "Exit status: 0 done, 1 the inbox has errors, 2 wrong usage.",
    version: "0.1.0",
    subcommands: [Check.self, Reconcile.self, Diff.self, Generate.self])

  /// `rebill` alone names no command: wrong usage, with the help on standard error.
  func run() throws {
    printError(Rebill.helpMessage())
    throw ExitCode.usage
  }

  /// Runs the command line with FORMATS.md's exit statuses: misuse is 2 (the parser's own
  /// default would be 64).
  static func main() {
    do {
      var command = try parseAsRoot()
      try command.run()
    } catch {
      let code = exitCode(for: error)
      if code == .validationFailure {
        let message = fullMessage(for: error)
        if !message.isEmpty { printError(message) }
        Foundation.exit(ExitCode.usage.rawValue)
      }
      exit(withError: error)
    }
  }
}

extension ExitCode {
  /// Wrong usage (FORMATS.md): a bad option, a missing or unreadable INBOX.
  static let usage = ExitCode(2)
}

func printError(_ message: String) {
  FileHandle.standardError.write(Data((message + "\n").utf8))
}
