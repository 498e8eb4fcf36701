import RebillModel

/// Where the next byte of a row goes, in room reserved for the whole row at once
/// (`ByteLine.row(reserving:)`): each piece is stored at the cursor and the cursor moved on,
/// with no check for room and no buffer to load per piece. Millions of rows are written
/// through it; `ByteLine`'s own appends of numbers, dates and fields are made of the same
/// pieces. The caller reserves enough: `fieldRoom` for each text field, `decimalRoom` for each
/// number, ten bytes for a date, and 16 bytes beyond the last piece (a short name is stored as
/// its two words).
@frozen public struct RowCursor {
  public var at: UnsafeMutablePointer<UInt8>

  @inlinable public init(at: UnsafeMutablePointer<UInt8>) { self.at = at }

  /// The most a text field of `count` bytes takes, between quotes with every byte a quote.
  @inlinable public static func fieldRoom(_ count: Int) -> Int { 2 * count + 2 }

  /// The most a number of `scale` decimals takes: a sign, 20 digits, a point and the zeros
  /// before the first digit of a small fraction.
  @inlinable public static func decimalRoom(scale: Int) -> Int { 24 + max(0, scale) }

  @inlinable @inline(__always) public mutating func byte(_ byte: UInt8) {
    at.pointee = byte
    at += 1
  }

  @inlinable @inline(__always) public mutating func bytes(_ bytes: UnsafeBufferPointer<UInt8>) {
    guard let source = bytes.baseAddress else { return }
    copyBytes(source, to: at, count: bytes.count)
    at += bytes.count
  }

  /// The bytes of a constant (a word of our own vocabulary, a literal piece).
  @inlinable @inline(__always) public mutating func literal(_ text: StaticString) {
    copyBytes(text.utf8Start, to: at, count: text.utf8CodeUnitCount)
    at += text.utf8CodeUnitCount
  }

  /// A text's bytes as they are (a piece of a field, checked for quoting as a whole after).
  @inlinable @inline(__always) public mutating func text(_ name: Name) {
    if let words = name.inlineWords {
      store(words, count: name.count)
    } else {
      name.withUTF8 { bytes($0) }
    }
  }

  /// A short name's bytes, stored as its two words.
  @inlinable @inline(__always) mutating func store(
    _ words: (low: UInt64, high: UInt64), count: Int
  ) {
    let raw = UnsafeMutableRawPointer(at)
    raw.storeBytes(of: words.low, as: UInt64.self)
    raw.storeBytes(of: words.high, toByteOffset: 8, as: UInt64.self)
    at += count
  }

  /// A name as a CSV field: quoted (quotes doubled) only when it holds the delimiter, a quote
  /// or a line break. A short name of ASCII whose bytes are all above the delimiter and the
  /// quote, or zero (nearly every id), is checked on its two words and stored as them.
  @inlinable @inline(__always) public mutating func field(_ name: Name, delimiter: UInt8 = 0x2C) {
    let ceiling = ByteLine.quoteCeiling(delimiter)
    if let words = name.inlineWords {
      if !Self.mayQuote(words.low, ceiling) && !Self.mayQuote(words.high, ceiling) {
        return store(words, count: name.count)
      }
    } else if name.quoteFloor! > ceiling {
      // A long name with no byte to quote for, known since it was interned.
      return name.withUTF8 { bytes($0) }
    }
    name.withUTF8 { field($0, delimiter: delimiter) }
  }

  /// Whether a word may hold a byte a field is quoted for: a byte from 1 to `ceiling`, or one
  /// not ASCII (then checked exactly). The one quick test of names and of scanned bytes. Bit
  /// tricks, exact for ASCII bytes: adding 0x7F carries a byte's top bit when it is not zero,
  /// adding `0x7F - ceiling` when it is above `ceiling`.
  @inlinable @inline(__always) static func mayQuote(_ word: UInt64, _ ceiling: UInt8) -> Bool {
    let ones: UInt64 = 0x0101_0101_0101_0101
    let tops = ones &* 0x80
    if word & tops != 0 { return true }
    let notZero = (word &+ ones &* 0x7F) & tops
    let above = (word &+ ones &* UInt64(0x7F &- ceiling)) & tops
    return notZero & ~above != 0
  }

  /// Bytes as a CSV field, quoted when they hold the delimiter, a quote or a line break:
  /// copied and checked in one pass (`ByteLine.scanForQuotes`), the common case.
  @inlinable public mutating func field(
    _ utf8: UnsafeBufferPointer<UInt8>, delimiter: UInt8 = 0x2C
  ) {
    let ceiling = ByteLine.quoteCeiling(delimiter)
    let start = at
    let quoted = ByteLine.scanForQuotes(utf8, delimiter, ceiling: ceiling, copyingTo: at)
    at += utf8.count
    if quoted {
      // The scan stopped where it found the byte: copied whole, then quoted where it is.
      copyBytes(utf8.baseAddress!, to: start, count: utf8.count)
      enquote(from: start)
    }
  }

  /// `first` `separator` `second`, then `mark` `number` when `number` is not 0, as one field
  /// (an actual's id, written from its parts with no string made), quoted when it needs to be.
  @inlinable public mutating func joinedField(
    _ first: Name, _ separator: UInt8, _ second: Name, _ mark: UInt8 = 0, _ number: Int32 = 0,
    delimiter: UInt8 = 0x2C
  ) {
    let start = at
    text(first)
    byte(separator)
    text(second)
    if number != 0 {
      byte(mark)
      integer(Int(number))
    }
    let ceiling = ByteLine.quoteCeiling(delimiter)
    // Digits never need quotes, nor do marks that are none of the four bytes (`#` is below
    // the ceiling of a comma, but is not one of them); the names are checked on their words or
    // their floor, and the bytes written when one may need them.
    if Self.mayQuote(first, ceiling) || Self.mayQuote(second, ceiling)
      || Self.isQuotedFor(separator, delimiter)
      || (number != 0 && Self.isQuotedFor(mark, delimiter))
    {
      let written = UnsafeBufferPointer(start: start, count: at - start)
      if ByteLine.needsQuotes(written, delimiter, ceiling: ceiling) { enquote(from: start) }
    }
  }

  /// Whether a field holding this byte is quoted: the delimiter, a quote or a line break.
  @inlinable @inline(__always) static func isQuotedFor(_ byte: UInt8, _ delimiter: UInt8) -> Bool {
    byte == delimiter || byte == 0x22 || byte == 0x0A || byte == 0x0D
  }

  /// Whether a name may hold a byte a field is quoted for (`mayQuote` on a short name's
  /// words, a long one's `quoteFloor`).
  @inlinable @inline(__always) static func mayQuote(_ name: Name, _ ceiling: UInt8) -> Bool {
    guard let words = name.inlineWords else { return name.quoteFloor! <= ceiling }
    return mayQuote(words.low, ceiling) || mayQuote(words.high, ceiling)
  }

  /// Puts the bytes from `start` to the cursor between double quotes where they are, the
  /// quotes among them doubled (room for them is the caller's, as for every piece).
  @inlinable public mutating func enquote(from start: UnsafeMutablePointer<UInt8>) {
    enquote(from: start, quotes: Self.quoteCount(start, at))
  }

  /// How many double quotes the bytes from `start` to `end` hold.
  @inlinable static func quoteCount(
    _ start: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>
  ) -> Int {
    var quotes = 0
    var p = start
    while p < end {
      if p.pointee == 0x22 { quotes += 1 }
      p += 1
    }
    return quotes
  }

  @usableFromInline mutating func enquote(from start: UnsafeMutablePointer<UInt8>, quotes: Int) {
    let count = at - start
    if quotes == 0 {
      UnsafeMutableRawPointer(start + 1).copyMemory(from: start, byteCount: count)
    } else {
      // From the last byte back, each quote written twice: the bytes only move right.
      var to = count + quotes
      var from = count - 1
      while from >= 0 {
        start[to] = start[from]
        if start[from] == 0x22 {
          to -= 1
          start[to] = 0x22
        }
        to -= 1
        from -= 1
      }
    }
    start[0] = 0x22
    start[count + quotes + 1] = 0x22
    at += quotes + 2
  }

  /// `units × 10^-scale`, trailing zeros of the fraction dropped down to `keep` decimals
  /// (`keep == scale`: exactly `scale` decimals), `point` between whole and fraction.
  @inlinable public mutating func decimal(
    _ units: Int64, scale: Int, keep: Int, point: UInt8 = UInt8(ascii: ".")
  ) {
    var magnitude = units.magnitude
    if magnitude < 10_000_000_000_000_000 && UInt(bitPattern: scale) < 8 {
      // Nearly every number (sixteen digits or fewer, up to seven decimals): its digits made
      // eight at once as the bytes of a word (`eightDigits`), the zeros before the first digit
      // and after the last counted on the word, and the whole part, then the fraction, stored
      // as the word shifted: no loop, and no branch per digit.
      if units < 0 { byte(UInt8(ascii: "-")) }
      let zeros: UInt64 = 0x3030_3030_3030_3030
      let low: UInt64
      // The first digit of `low` to write.
      let start: Int
      if magnitude >= 100_000_000 {
        // The first eight digits: whole, from the first that is not a zero.
        let high = Self.eightDigits(magnitude / 100_000_000)
        let skip = high.trailingZeroBitCount &>> 3
        UnsafeMutableRawPointer(at).storeBytes(
          of: (high | zeros) &>> UInt64(8 &* skip), as: UInt64.self)
        at += 8 &- skip
        low = Self.eightDigits(magnitude % 100_000_000)
        start = 0
      } else {
        low = Self.eightDigits(magnitude)
        let leading = low == 0 ? 8 : low.trailingZeroBitCount &>> 3
        start = min(leading, 7 &- scale)
      }
      let trailing = low == 0 ? 8 : low.leadingZeroBitCount &>> 3
      let kept = scale &- min(trailing, max(scale &- keep, 0))
      let text = low | zeros
      UnsafeMutableRawPointer(at).storeBytes(of: text &>> UInt64(8 &* start), as: UInt64.self)
      at += 8 &- scale &- start
      guard kept > 0 else { return }
      at.pointee = point
      UnsafeMutableRawPointer(at + 1).storeBytes(
        of: text &>> UInt64(8 &* (8 &- scale)), as: UInt64.self)
      at += 1 &+ kept
      return
    }
    var decimals = scale
    // Trailing zeros dropped four, then two, then one at a time (a quantity of six decimals
    // has four or five).
    while decimals - keep >= 4 && magnitude % 10_000 == 0 {
      magnitude /= 10_000
      decimals -= 4
    }
    if decimals - keep >= 2 && magnitude % 100 == 0 {
      magnitude /= 100
      decimals -= 2
    }
    if decimals > keep && magnitude % 10 == 0 {
      magnitude /= 10
      decimals -= 1
    }
    if units < 0 { byte(UInt8(ascii: "-")) }
    let digits = max(ByteLine.digitCount(magnitude), decimals + 1)
    let end = digits + (decimals > 0 ? 1 : 0)
    // Digits from the last, two at a time; the point where the fraction starts.
    var position = end
    if decimals > 0 {
      ByteLine.writeDigits(decimals, of: &magnitude, endingAt: &position, in: at)
      position -= 1
      at[position] = point
    }
    ByteLine.writeDigits(digits - decimals, of: &magnitude, endingAt: &position, in: at)
    at += end
  }

  /// The digits of `value` (below 10^8) as the eight bytes of a word, 0 to 9, the first digit
  /// in the low byte: the number split in halves by one multiplication, then each half, then
  /// each pair (a division by 100 or by 10 made a multiplication and a shift in every lane).
  @inlinable @inline(__always) static func eightDigits(_ value: UInt64) -> UInt64 {
    var lanes = value / 10_000 | (value % 10_000) << 32
    var tens = ((lanes &* 10_486) &>> 20) & 0x0000_007F_0000_007F
    lanes = tens | (lanes &- tens &* 100) << 16
    tens = ((lanes &* 103) &>> 10) & 0x000F_000F_000F_000F
    return tens | (lanes &- tens &* 10) << 8
  }

  /// `decimal(_:scale:keep:point:)`, copied from `memo` when it holds the same number written
  /// the same way (a unit price repeats row after row), else written and kept in it.
  @inlinable public mutating func decimal(
    _ units: Int64, scale: Int, keep: Int, memo: inout DecimalMemo
  ) {
    if memo.units == units && memo.scale == scale && memo.keep == keep {
      let raw = UnsafeMutableRawPointer(at)
      raw.storeBytes(of: memo.text.0, as: UInt64.self)
      raw.storeBytes(of: memo.text.1, toByteOffset: 8, as: UInt64.self)
      raw.storeBytes(of: memo.text.2, toByteOffset: 16, as: UInt64.self)
      at += memo.count
      return
    }
    let start = at
    decimal(units, scale: scale, keep: keep)
    let count = at - start
    guard count <= 24 else { return }
    // The 24 bytes from the number's start: room the caller gave for any number.
    let raw = UnsafeRawPointer(start)
    memo = DecimalMemo(
      units: units, scale: scale, keep: keep, count: count,
      text: (
        raw.loadUnaligned(as: UInt64.self), raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self),
        raw.loadUnaligned(fromByteOffset: 16, as: UInt64.self)
      ))
  }

  @inlinable public mutating func integer(_ value: Int) {
    decimal(Int64(value), scale: 0, keep: 0)
  }

  /// A date as `YYYY-MM-DD` (as `CalendarDate.description` writes it outside years 0 to 9999:
  /// room for 16 bytes).
  @inlinable public mutating func date(_ date: CalendarDate) {
    // A day of 2000 to 2099 (every one a run meets, nearly): its text from the table, as two
    // words (the room holds 16 bytes for a date).
    let slot = Int(date.daysSinceEpoch) &- ISODays.first
    if UInt(bitPattern: slot) < UInt(ISODays.count) {
      return store(ISODays.texts[slot], count: 10)
    }
    let (year, month, day) = date.components
    guard (0...9999).contains(year) else {
      var text = date.description
      return text.withUTF8 { bytes($0) }
    }
    isoDate(year: year, month: month, day: day)
  }

  /// A currency's code, from its three letters.
  @inlinable public mutating func currency(_ currency: Currency) {
    let (a, b, c) = currency.codeBytes
    byte(a)
    byte(b)
    byte(c)
  }

  /// A date as `YYYY-MM-DD`, for years 0 to 9999 (`ByteLine.appendISODate` writes others as
  /// `CalendarDate.description` does).
  @inlinable public mutating func isoDate(year: Int, month: Int, day: Int) {
    let pairs = UnsafeRawPointer(ByteLine.digitPairs.utf8Start)
    let raw = UnsafeMutableRawPointer(at)
    @inline(__always) func two(_ value: Int, _ offset: Int) {
      raw.storeBytes(
        of: pairs.loadUnaligned(fromByteOffset: 2 &* value, as: UInt16.self),
        toByteOffset: offset, as: UInt16.self)
    }
    two(year / 100, 0)
    two(year % 100, 2)
    at[4] = UInt8(ascii: "-")
    two(month, 5)
    at[7] = UInt8(ascii: "-")
    two(day, 8)
    at += 10
  }
}

extension ByteLine {
  /// A cursor at the end of the line, with room for `count` bytes: write the row through it,
  /// then `end(_:)` it.
  @inlinable public mutating func row(reserving count: Int) -> RowCursor {
    storage.reserve(count)
    return RowCursor(at: storage.base + storage.count)
  }

  /// The line ends where the cursor is.
  @inlinable public mutating func end(_ row: RowCursor) { storage.count = row.at - storage.base }
}

/// The last number a column wrote (`RowCursor.decimal(_:scale:keep:memo:)`): its value, how it
/// was written, and its text, up to 24 bytes.
@frozen public struct DecimalMemo {
  @usableFromInline var units: Int64
  @usableFromInline var scale: Int
  @usableFromInline var keep: Int
  @usableFromInline var count: Int
  @usableFromInline var text: (UInt64, UInt64, UInt64)

  /// A memo of no number yet.
  @inlinable public init() { (units, scale, keep, count, text) = (0, -1, -1, 0, (0, 0, 0)) }

  @inlinable init(units: Int64, scale: Int, keep: Int, count: Int, text: (UInt64, UInt64, UInt64)) {
    (self.units, self.scale, self.keep, self.count, self.text) = (units, scale, keep, count, text)
  }
}

/// The `YYYY-MM-DD` text of each day of 2000 to 2099, as two words (ten bytes and six zeros),
/// made once on first use: `actuals.csv` and `documents.csv` write a date on every row, and
/// finding a day's year, month and day costs more than a hundred instructions.
@usableFromInline enum ISODays {
  /// The first day held: 2000-01-01.
  @usableFromInline static let first = 10_957
  /// How many days: to 2099-12-31.
  @usableFromInline static let count = 36_525

  /// Written once, before any reader sees it (a static's first use runs once, under a lock),
  /// and only read after: safe to share. Never freed: it serves the whole process.
  @usableFromInline nonisolated(unsafe) static let texts:
    UnsafePointer<(low: UInt64, high: UInt64)> = {
      let texts = UnsafeMutablePointer<(low: UInt64, high: UInt64)>.allocate(capacity: count)
      for slot in 0..<count {
        let (year, month, day) = CalendarDate(daysSinceEpoch: Int32(first + slot)).components
        var bytes = (0 as UInt64, 0 as UInt64)
        withUnsafeMutableBytes(of: &bytes) { raw in
          var cursor = RowCursor(at: raw.baseAddress!.assumingMemoryBound(to: UInt8.self))
          cursor.isoDate(year: year, month: month, day: day)
        }
        texts[slot] = (bytes.0, bytes.1)
      }
      return UnsafePointer(texts)
    }()
}
