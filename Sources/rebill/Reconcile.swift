import ArgumentParser
import Foundation
import RebillEngine
import RebillInbox
import RebillModel
import RebillOut

/// `rebill reconcile INBOX --out OUT`: the whole run.
struct Reconcile: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract:
      "Reconcile an inbox: corrective invoices, credit notes, invoices and actuals into OUT.",
    discussion: """
      Writes OUT all or nothing: documents.csv, actuals.csv, milestones.csv, report.txt. An \
      inbox with errors prints every one and writes nothing (exit 1); a failed or killed run \
      leaves an existing OUT as it was.
      """)

  @Argument(help: "The inbox folder.")
  var inbox: String

  @Option(name: .customLong("out"), help: "The out folder (replaced as a whole).")
  var out: String

  @Option(help: "Cut-off for time-and-material invoicing (YYYY-MM-DD); overrides `through`.")
  var through: String?

  @Option(
    name: .customLong("run-date"),
    help: "Date of the documents created (YYYY-MM-DD); overrides `run_date`.")
  var runDate: String?

  @Flag(help: "Print nothing but errors.")
  var quiet = false

  func validate() throws {
    try requireInboxFolder(inbox)
    for (name, value) in [("--through", through), ("--run-date", runDate)] {
      if let value, CalendarDate.parse(value) == nil {
        throw ValidationError("\(name) expects a real date YYYY-MM-DD, found \"\(value)\"")
      }
    }
  }

  func run() throws {
    let reading = InboxReader.read(inbox)
    for diagnostic in reading.diagnostics where diagnostic.severity == .warning || reading.hasErrors
    {
      printError(diagnostic.description)
    }
    if reading.hasErrors {
      printError("\(reading.errors.count) error(s) in \(inbox): nothing written")
      throw ExitCode.failure
    }
    let options = RunOptions(
      runDate: runDate.flatMap(CalendarDate.parse), through: through.flatMap(CalendarDate.parse))
    let result = reconcile(reading.inbox, options: options)
    if !result.errors.isEmpty {
      for diagnostic in result.errors { printError(diagnostic.description) }
      printError("\(result.errors.count) error(s) in \(inbox): nothing written")
      throw ExitCode.failure
    }
    do {
      try OutFolder.write(OutFiles.all(result, counts: reading.counts), to: out)
    } catch {
      printError("rebill: \(error)")
      throw ExitCode.failure
    }
    if !quiet { print(summary(result)) }
  }

  func summary(_ result: RunResult) -> String {
    var lines = ["\(result.documents.count) document(s), \(result.actuals.count) actuals → \(out)"]
    for (document, title) in result.report.documents {
      lines.append("  \(document.id)  \(title)  \(document.customer)  \(document.total)")
    }
    if !result.report.drift.isEmpty { lines.append("  drift found: \(result.report.drift.count)") }
    if !result.report.pendingReturns.isEmpty {
      lines.append("  returns pending: \(result.report.pendingReturns.count)")
    }
    return lines.joined(separator: "\n")
  }
}
