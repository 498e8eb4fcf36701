import RebillEngine
import RebillJournals
import RebillModel

/// CSV records as bytes: RFC 4180, UTF-8, LF line ends; text fields quoted only when they hold
/// a comma, a quote or a line break, quotes doubled. The big files' rows are written field by
/// field (`CSVRow`) into one `ByteLine`, which goes to its sink once it holds 64 KiB
/// (`flush(_:to:)`): one copy per block of rows, not per row, from a buffer small enough to
/// stay in the processor's cache. Headers and the files of a few rows go through `write`.
enum CSVLine {
  /// How much a writer of many rows holds before it writes.
  static let flushAt = ByteLine.handOnAt

  /// The capacity for a writer of many rows, flushed as it goes: a flush's worth and half as
  /// much again for the row that crosses it.
  static let rows = flushAt + flushAt / 2

  /// Writes what `line` holds, and empties it, once it holds `at` bytes or more (64 KiB unless
  /// told): memory stays flat however many rows a file has.
  static func flush(_ line: inout ByteLine, at: Int = flushAt, to sink: inout some ByteSink) {
    line.handOn(at: at) { $0.write(to: &sink) }
  }

  /// A whole record of text fields (headers, and files of a few rows).
  static func write(_ fields: [String], to sink: inout some ByteSink) {
    var line = ByteLine()
    for (i, field) in fields.enumerated() {
      if i > 0 { line.append(UInt8(ascii: ",")) }
      line.append(csvField: field)
    }
    line.append(0x0A)
    line.write(to: &sink)
  }
}

/// A record written field by field through a cursor (`RowCursor`), in room reserved for all of
/// it: each field is followed by a comma, and the last comma becomes the line end. Nothing is
/// checked or counted per field: millions of rows are written through it.
struct CSVRow {
  var cursor: RowCursor

  /// Room for a record whose text fields hold `texts` bytes in all (each may be quoted with
  /// every byte doubled), beside numbers, dates, words and commas.
  static func room(texts: Int) -> Int { 2 * texts + 400 }

  @inline(__always) private mutating func comma() { cursor.byte(UInt8(ascii: ",")) }

  /// A name as a field, or an empty field for none.
  @inline(__always) mutating func text(_ name: Name?) {
    if let name { cursor.field(name) }
    comma()
  }

  @inline(__always) mutating func text<Tag>(_ id: ID<Tag>?) { text(id?.name) }

  /// `first` `separator` `second` (and `mark` `number` when `number` is not 0) as one field.
  @inline(__always) mutating func joined(
    _ first: Name, _ separator: UInt8, _ second: Name, _ mark: UInt8 = 0, _ number: Int32 = 0
  ) {
    cursor.joinedField(first, separator, second, mark, number)
    comma()
  }

  /// The id of an actual, or an empty field for none.
  @inline(__always) mutating func actual(_ ref: ActualRef?) {
    switch ref {
    case .entry(let source, let customer)?: joined(source, UInt8(ascii: "@"), customer.name)
    case .line(let document, let line, let number)?:
      joined(document.name, UInt8(ascii: "/"), line, UInt8(ascii: "#"), number)
    case nil: comma()
    }
  }

  /// A line of an invoice (`INVOICE/LINE`, as `InvoiceLineRef` writes it), or an empty field
  /// for none.
  @inline(__always) mutating func lineRef(_ ref: InvoiceLineRef?) {
    if let ref {
      joined(ref.invoice.name, UInt8(ascii: "/"), ref.line)
    } else {
      comma()
    }
  }

  /// A word of our own vocabulary, or an empty field for none.
  @inline(__always) mutating func word(_ word: (some CSVWord)?) {
    if let word { cursor.literal(word.word) }
    comma()
  }

  @inline(__always) mutating func bool(_ value: Bool) {
    cursor.literal(value ? "true" : "false")
    comma()
  }

  @inline(__always) mutating func date(_ date: CalendarDate) {
    cursor.date(date)
    comma()
  }

  /// `units × 10^-scale`, trailing zeros dropped down to `keep` decimals.
  @inline(__always) mutating func number(_ units: Int64, scale: Int, keep: Int) {
    cursor.decimal(units, scale: scale, keep: keep)
    comma()
  }

  /// A line's or an actual's quantity, unit price and amount, as both big files write them:
  /// the quantity with the decimals it has, the price with at least the currency's, the amount
  /// with exactly the currency's.
  /// The price is copied when it is the one the row before wrote (`prices`).
  @inline(__always) mutating func amounts(
    _ quantity: Quantity, _ price: UnitPrice, _ amount: Money, prices: inout DecimalMemo
  ) {
    let minor = amount.currency.minorUnits
    number(quantity.micros, scale: 6, keep: 0)
    cursor.decimal(price.micros, scale: 6, keep: min(6, minor), memo: &prices)
    comma()
    number(amount.minorUnits, scale: minor, keep: minor)
  }

  @inline(__always) mutating func currency(_ currency: Currency) {
    cursor.currency(currency)
    comma()
  }

  /// The last comma made the line end.
  @inline(__always) mutating func end() { cursor.at[-1] = 0x0A }
}

extension ByteLine {
  /// A record at the end of the line, with room for `room` bytes (`CSVRow.room`).
  @inline(__always) mutating func csvRow(room: Int, _ body: (inout CSVRow) -> Void) {
    var row = CSVRow(cursor: row(reserving: room))
    body(&row)
    row.end()
    end(row.cursor)
  }
}
