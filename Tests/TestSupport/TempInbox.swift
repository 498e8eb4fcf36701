import Foundation
import RebillInbox
import RebillModel

/// Paths the tests read in place: the repository and `../shared` beside it.
public enum Paths {
  public static let repository = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
  public static let samples = repository.appendingPathComponent("samples/inbox").path
  public static let shared = repository.deletingLastPathComponent().appendingPathComponent("shared")
  public static let csvSpectrum = shared.appendingPathComponent("corpora/csv-spectrum")
  public static var hasCSVSpectrum: Bool {
    FileManager.default.fileExists(atPath: csvSpectrum.appendingPathComponent("csvs").path)
  }
}

/// An inbox written to a fresh temporary folder, removed when the value is released.
public final class TempInbox {
  public let root: String

  public init(_ files: [String: String] = [:]) throws {
    let url = FileManager.default.temporaryDirectory
      .appendingPathComponent("rebill-test-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    root = url.path
    for (path, text) in files { try write(path, text) }
  }

  /// A copy of another inbox (the samples), to break on purpose.
  public init(copying source: String) throws {
    let url = FileManager.default.temporaryDirectory
      .appendingPathComponent("rebill-test-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.copyItem(atPath: source, toPath: url.path)
    root = url.path
  }

  deinit { try? FileManager.default.removeItem(atPath: root) }

  public func write(_ path: String, _ text: String) throws {
    try write(path, bytes: Array(text.utf8))
  }

  public func write(_ path: String, bytes: [UInt8]) throws {
    let url = URL(fileURLWithPath: root).appendingPathComponent(path)
    try FileManager.default.createDirectory(
      at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data(bytes).write(to: url)
  }

  public func read() -> InboxReading { InboxReader.read(root) }

  /// Every diagnostic as printed, with the temporary root shown as `inbox`.
  public func messages() -> [String] {
    read().diagnostics.map { $0.description.replacingOccurrences(of: root, with: "inbox") }
  }
}

/// A minimal valid contract: project P1 on time-and-material line L1 of contract K1, EUR, 19 %.
public let contractCSV = """
  contract,customer,currency,contract_line,project,billing_method,tax_rate
  K1,C1,EUR,L1,P1,time_and_material,19

  """

/// A small deterministic generator for property tests (no clock, no system randomness).
public struct SplitMix64: RandomNumberGenerator {
  public var state: UInt64
  public init(seed: UInt64) { state = seed }
  public mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}

/// Every file under a folder by its path relative to it, with its bytes: to compare two out
/// folders, or an inbox before and after a run.
public func filesUnder(_ root: String) -> [String: Data] {
  var files: [String: Data] = [:]
  let enumerator = FileManager.default.enumerator(atPath: root)
  while let path = enumerator?.nextObject() as? String {
    var isFolder: ObjCBool = false
    _ = FileManager.default.fileExists(atPath: root + "/" + path, isDirectory: &isFolder)
    if !isFolder.boolValue { files[path] = FileManager.default.contents(atPath: root + "/" + path) }
  }
  return files
}

/// `text` as an RFC 4180 field with `delimiter`: between quotes, its quotes doubled, exactly
/// when it holds the delimiter, a quote or a line break (the reference the writers are held to).
public func csvField(_ text: String, delimiter: UInt8) -> String {
  let needs = text.utf8.contains { $0 == delimiter || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }
  return needs ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
}
