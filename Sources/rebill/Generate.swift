import ArgumentParser
import Foundation
import RebillGenerate

/// `rebill generate --entries N --seed S OUT_INBOX`: a deterministic inbox for benchmarks.
struct Generate: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Write a deterministic, realistic inbox of N time entries (and N/10 expenses).",
    discussion: """
      Contracts with splits, milestones and retainers; confirmed invoices covering about 80 % of \
      the work; about 1 % drift; correction instructions; sales and return orders. The same \
      seed writes the same bytes. OUT_INBOX must not exist yet.
      """)

  @Option(help: "Time entries to write.")
  var entries: Int

  @Option(help: "Seed of the generator.")
  var seed: UInt64 = 1

  @Argument(help: "The inbox folder to create.")
  var outInbox: String

  func validate() throws {
    guard entries > 0 else { throw ValidationError("--entries must be at least 1") }
    guard !FileManager.default.fileExists(atPath: outInbox) else {
      throw ValidationError("OUT_INBOX \(outInbox) exists already")
    }
  }

  func run() throws {
    var generator = InboxGenerator(entries: entries, seed: seed)
    for (path, text) in generator.files() {
      let url = URL(fileURLWithPath: outInbox).appendingPathComponent(path)
      try FileManager.default.createDirectory(
        at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
      try Data(text.utf8).write(to: url)
    }
    print("wrote \(outInbox): \(entries) time entries, \(entries / 10) expenses (seed \(seed))")
  }
}
