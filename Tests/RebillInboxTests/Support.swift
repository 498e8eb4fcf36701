import Foundation
import RebillInbox
import RebillModel

/// Paths the tests read in place: the repository and `../shared` beside it.
enum Paths {
  static let repository = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
  static let samples = repository.appendingPathComponent("samples/inbox").path
  static let shared = repository.deletingLastPathComponent().appendingPathComponent("shared")
  static let csvSpectrum = shared.appendingPathComponent("corpora/csv-spectrum")
  static var hasCSVSpectrum: Bool {
    FileManager.default.fileExists(atPath: csvSpectrum.appendingPathComponent("csvs").path)
  }
}

/// An inbox written to a fresh temporary folder, removed when the value is released.
final class TempInbox {
  let root: String

  init(_ files: [String: String] = [:]) throws {
    let url = FileManager.default.temporaryDirectory
      .appendingPathComponent("rebill-test-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    root = url.path
    for (path, text) in files { try write(path, text) }
  }

  /// A copy of another inbox (the samples), to break on purpose.
  init(copying source: String) throws {
    let url = FileManager.default.temporaryDirectory
      .appendingPathComponent("rebill-test-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.copyItem(atPath: source, toPath: url.path)
    root = url.path
  }

  deinit { try? FileManager.default.removeItem(atPath: root) }

  func write(_ path: String, _ text: String) throws {
    try write(path, bytes: Array(text.utf8))
  }

  func write(_ path: String, bytes: [UInt8]) throws {
    let url = URL(fileURLWithPath: root).appendingPathComponent(path)
    try FileManager.default.createDirectory(
      at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data(bytes).write(to: url)
  }

  func read() -> InboxReading { InboxReader.read(root) }

  /// Every diagnostic as printed, with the temporary root shown as `inbox`.
  func messages() -> [String] {
    read().diagnostics.map { $0.description.replacingOccurrences(of: root, with: "inbox") }
  }
}

/// A minimal valid contract: project P1 on time-and-material line L1 of contract K1, EUR, 19 %.
let contractCSV = """
  contract,customer,currency,contract_line,project,billing_method,tax_rate
  K1,C1,EUR,L1,P1,time_and_material,19

  """
