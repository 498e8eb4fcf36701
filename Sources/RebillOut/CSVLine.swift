import RebillJournals
import RebillModel

/// One CSV record built as bytes: RFC 4180, UTF-8, LF line ends; text fields copied (quoted
/// only when they hold a comma, a quote or a line break, quotes doubled), numbers written digit
/// by digit, with no `String` per field.
struct CSVLine {
  private var line = ByteLine()
  private var fields = 0
  /// Each day's text (`YYYY-MM-DD`, ten bytes), made once, in a small table by day: a run's
  /// rows span a few hundred days, and a dictionary of strings costs a hash per row.
  private var days = [Int32](repeating: .min, count: 256)
  private var dayTexts = [UInt8](repeating: 0, count: 256 * 10)

  var bytes: [UInt8] { line.bytes }

  mutating func reset() {
    line.reset()
    fields = 0
  }

  private mutating func separate() {
    if fields > 0 { line.append(0x2C) }
    fields += 1
  }

  mutating func text(_ value: String) {
    separate()
    if !value.isEmpty { line.append(csvField: value) }
  }

  /// A word of our own vocabulary (an enum's raw value): nothing in it to quote.
  mutating func word(_ value: String) {
    separate()
    line.append(value)
  }

  mutating func currency(_ currency: Currency) {
    separate()
    let (a, b, c) = currency.codeBytes
    line.append(a)
    line.append(b)
    line.append(c)
  }

  /// `units × 10^-scale`, trailing zeros dropped down to `keep` decimals (`keep == scale`:
  /// exactly `scale` decimals).
  mutating func number(_ units: Int64, scale: Int, keep: Int) {
    separate()
    line.appendDecimal(units, scale: scale, keep: keep)
  }

  /// A date as `YYYY-MM-DD`, each day's text made once (millions of rows, a few hundred days).
  mutating func date(_ date: CalendarDate) {
    let day = date.daysSinceEpoch
    let slot = Int(UInt32(bitPattern: day) & 255)
    let start = slot * 10
    if days[slot] != day {
      let made = date.description.utf8
      guard made.count == 10 else { return text(date.description) }  // beyond year 9999
      days[slot] = day
      dayTexts.replaceSubrange(start..<start + 10, with: made)
    }
    separate()
    dayTexts.withUnsafeBufferPointer {
      line.append(UnsafeBufferPointer(rebasing: $0[start..<start + 10]))
    }
  }

  mutating func end() { line.append(0x0A) }

  func write(to sink: inout some ByteSink) { line.write(to: &sink) }

  /// A whole record of text fields (headers, and files of a few rows).
  static func write(_ fields: [String], to sink: inout some ByteSink) {
    var line = CSVLine()
    for field in fields { line.text(field) }
    line.end()
    line.write(to: &sink)
  }
}
