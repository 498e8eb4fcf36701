import RebillEngine
import RebillJournals
import RebillModel

/// CSV records built as bytes: RFC 4180, UTF-8, LF line ends; text fields copied (quoted
/// only when they hold a comma, a quote or a line break, quotes doubled), numbers written digit
/// by digit, with no `String` per field. Records follow each other in one buffer until it is
/// written (`write(to:)`, or `flush(to:)` once it holds 64 KiB): one copy per block of rows,
/// not per row, from a buffer small enough to stay in the processor's cache.
struct CSVLine {
  private var line: ByteLine
  private var fields = 0

  /// A buffer of `ByteLine`'s first size, for a few rows.
  init() { line = ByteLine() }

  /// `capacity`: room before the buffer grows. Writers of many rows give room for the rows of
  /// one flush and a long last one (`CSVLine.rows`): a buffer grown copies its bytes again.
  init(capacity: Int) { line = ByteLine(capacity: capacity) }

  /// How much the buffer holds before `flush(to:)` writes it.
  static let flushAt = 64 << 10

  /// The capacity for a writer of many rows, flushed as it goes: a flush's worth and half as
  /// much again for the row that crosses it.
  static let rows = flushAt + flushAt / 2

  /// The bytes not yet written.
  var bytes: [UInt8] { line.bytes }

  /// Starts a record after the last.
  mutating func begin() { fields = 0 }

  /// Writes what the buffer holds when it holds 64 KiB or more: memory stays flat however
  /// many rows a file has, and the buffer is never grown.
  mutating func flush(to sink: inout some ByteSink) {
    if line.count >= Self.flushAt { write(to: &sink) }
  }

  private mutating func separate() {
    if fields > 0 { line.append(0x2C) }
    fields += 1
  }

  /// A text (a name, an id, a string) as a field, or an empty field for none.
  mutating func text<Text: UTF8Text>(_ value: Text?) {
    separate()
    if let value { line.append(csvField: value) }
  }

  /// `first` `separator` `second`, and `mark` `number` when `number` is not 0, as one field
  /// (an actual's id, written from its parts with no string made).
  mutating func joined(
    _ first: some UTF8Text, _ separator: UInt8, _ second: some UTF8Text, _ mark: UInt8 = 0,
    _ number: Int32 = 0
  ) {
    separate()
    let start = line.count
    line.append(first)
    line.append(separator)
    line.append(second)
    if number != 0 {
      line.append(mark)
      line.appendInteger(Int(number))
    }
    line.quoteTail(from: start)
  }

  /// The id of another actual.
  mutating func actual(_ ref: ActualRef) {
    switch ref {
    case .entry(let source, let customer): joined(source, UInt8(ascii: "@"), customer)
    case .line(let document, let line, let number):
      joined(document, UInt8(ascii: "/"), line, UInt8(ascii: "#"), number)
    }
  }

  /// A word of our own vocabulary, from its constant bytes.
  mutating func word(_ value: some CSVWord) {
    separate()
    let word = value.word
    line.append(UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount))
  }

  /// A word of our own vocabulary (an enum's raw value): nothing in it to quote.
  mutating func word(_ value: String) {
    separate()
    line.append(value)
  }

  mutating func currency(_ currency: Currency) {
    separate()
    line.append(code: currency)
  }

  /// `units × 10^-scale`, trailing zeros dropped down to `keep` decimals (`keep == scale`:
  /// exactly `scale` decimals).
  mutating func number(_ units: Int64, scale: Int, keep: Int) {
    separate()
    line.appendDecimal(units, scale: scale, keep: keep)
  }

  /// A date as `YYYY-MM-DD`, written digit by digit.
  mutating func date(_ date: CalendarDate) {
    separate()
    line.appendISODate(date)
  }

  /// An empty field.
  mutating func empty() { separate() }

  mutating func end() { line.append(0x0A) }

  /// Writes the records built so far and empties the buffer.
  mutating func write(to sink: inout some ByteSink) {
    line.write(to: &sink)
    line.reset()
    fields = 0
  }

  /// A whole record of text fields (headers, and files of a few rows).
  static func write(_ fields: [String], to sink: inout some ByteSink) {
    var line = CSVLine()
    for field in fields { line.text(field) }
    line.end()
    line.write(to: &sink)
  }
}
