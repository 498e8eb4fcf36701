import RebillJournals

/// One CSV record built as bytes: RFC 4180, UTF-8, LF line ends; text fields copied (quoted
/// only when they hold a comma, a quote or a line break, quotes doubled), numbers written digit
/// by digit, with no `String` per field.
struct CSVLine {
  private(set) var bytes: [UInt8] = []
  private var fields = 0

  init() { bytes.reserveCapacity(256) }

  mutating func reset() {
    bytes.removeAll(keepingCapacity: true)
    fields = 0
  }

  private mutating func separate() {
    if fields > 0 { bytes.append(0x2C) }
    fields += 1
  }

  mutating func text(_ value: String) {
    separate()
    var value = value
    value.withUTF8 { utf8 in
      if utf8.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) {
        bytes.append(0x22)
        for byte in utf8 {
          if byte == 0x22 { bytes.append(0x22) }
          bytes.append(byte)
        }
        bytes.append(0x22)
      } else {
        bytes.append(contentsOf: utf8)
      }
    }
  }

  /// `units × 10^-scale`, trailing zeros dropped down to `keep` decimals (`keep == scale`:
  /// exactly `scale` decimals).
  mutating func number(_ units: Int64, scale: Int, keep: Int) {
    separate()
    if units < 0 { bytes.append(0x2D) }
    var magnitude = units.magnitude
    var decimals = scale
    // Drop trailing zeros of the fraction first, down to `keep`.
    while decimals > keep && magnitude % 10 == 0 {
      magnitude /= 10
      decimals -= 1
    }
    // Digits backwards into a fixed buffer (no array per number), then copied in order.
    withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 24) { digits in
      var count = 0
      repeat {
        digits[count] = UInt8(ascii: "0") + UInt8(magnitude % 10)
        magnitude /= 10
        count += 1
      } while magnitude > 0 || count <= decimals
      for i in stride(from: count - 1, through: 0, by: -1) {
        bytes.append(digits[i])
        if i == decimals && decimals > 0 { bytes.append(0x2E) }
      }
    }
  }

  mutating func end() { bytes.append(0x0A) }

  func write(to sink: inout some ByteSink) { bytes.withUnsafeBytes { sink.write(bytes: $0) } }

  /// A whole record of text fields (headers, and files of a few rows).
  static func write(_ fields: [String], to sink: inout some ByteSink) {
    var line = CSVLine()
    for field in fields { line.text(field) }
    line.end()
    line.write(to: &sink)
  }
}
