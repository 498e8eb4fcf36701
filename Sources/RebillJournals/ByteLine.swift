import Foundation
import RebillModel

/// A line of output built as bytes, reused line after line: text copied from strings in place,
/// numbers written digit by digit, with no `String` per field (millions of lines per run).
///
/// The bytes live in a buffer of its own (appending to an `Array` costs several times as
/// much), which copies of a `ByteLine` share: keep one per line being built. Public and
/// inlinable, so that other modules build lines at full speed.
public struct ByteLine {
  @usableFromInline let storage: Storage

  /// A line with room for `capacity` bytes before it grows.
  @inlinable public init(capacity: Int = 256) { storage = Storage(capacity: max(capacity, 16)) }

  @inlinable public var isEmpty: Bool { storage.count == 0 }

  /// How many bytes the line holds.
  @inlinable public var count: Int { storage.count }

  /// Every byte below 0x80.
  @inlinable public var isASCII: Bool {
    // Every byte ORed together (a loop the compiler makes wide), no test per byte.
    var any: UInt8 = 0
    for byte in bytesView { any |= byte }
    return any < 0x80
  }

  /// A copy of the bytes.
  public var bytes: [UInt8] { Array(bytesView) }

  @inlinable var bytesView: UnsafeBufferPointer<UInt8> {
    UnsafeBufferPointer(start: storage.base, count: storage.count)
  }

  @inlinable public mutating func reset() { storage.count = 0 }

  /// How much a writer of many rows holds before it hands them on (`handOn(at:_:)`).
  public static let handOnAt = 64 << 10

  /// Hands the bytes to `emit` and empties the line once it holds `at` bytes or more: rows go
  /// on in blocks, not one by one (a sink's write per row cost as much as the row's cells),
  /// from a buffer small enough to stay in the processor's cache, and memory stays flat however
  /// many rows there are.
  @inlinable @inline(__always) public mutating func handOn(
    at: Int = handOnAt, _ emit: (ByteLine) -> Void
  ) {
    guard count >= at else { return }
    emit(self)
    reset()
  }

  @inlinable public mutating func append(_ byte: UInt8) {
    storage.reserve(1)
    storage.base[storage.count] = byte
    storage.count += 1
  }

  @inlinable public mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
    guard let source = bytes.baseAddress, !bytes.isEmpty else { return }
    storage.reserve(bytes.count)
    copyBytes(source, to: storage.base + storage.count, count: bytes.count)
    storage.count += bytes.count
  }

  /// A CSV field: quoted (quotes inside doubled) only when it holds the delimiter, a quote or
  /// a line break. The common case, nothing to quote, is one scan and one copy.
  @inlinable public mutating func append(csvField text: some UTF8Text, delimiter: UInt8 = 0x2C) {
    text.withUTF8Bytes { append(csvField: $0, delimiter: delimiter) }
  }

  /// The bytes of a literal (the pieces a journal's lines are made of): no string to open.
  @inlinable public mutating func append(literal text: StaticString) {
    text.withUTF8Buffer { append($0) }
  }

  /// The bytes of a text.
  @inlinable public mutating func append(_ text: some UTF8Text) {
    text.withUTF8Bytes { append($0) }
  }

  /// A name's bytes: a short one stored as its two words (`RowCursor.text`).
  @inlinable @inline(__always) public mutating func append(_ name: Name) {
    var row = row(reserving: name.count + 16)
    row.text(name)
    end(row)
  }

  /// A phrase's parts, a space between each two.
  @inlinable public mutating func append(_ phrase: Phrase) {
    var first = true
    phrase.forEachPart { part in
      if !first { append(UInt8(ascii: " ")) }
      first = false
      append(part)
    }
  }

  /// UTF-8 bytes as a field, quoted when they need to be: copied and checked in one pass
  /// (`scanForQuotes`), the common case, nothing to quote.
  @inlinable public mutating func append(
    csvField utf8: UnsafeBufferPointer<UInt8>, delimiter: UInt8 = 0x2C
  ) {
    var row = row(reserving: RowCursor.fieldRoom(utf8.count))
    row.field(utf8, delimiter: delimiter)
    end(row)
  }

  /// A byte a CSV field is quoted for: the delimiter, a quote or a line break. They all sort
  /// at or below `ceiling` (`quoteCeiling(delimiter)`, worked out once per field or file):
  /// one comparison for the bytes of ids and numbers.
  @inlinable @inline(__always) public static func quotes(
    _ byte: UInt8, _ delimiter: UInt8, ceiling: UInt8
  ) -> Bool {
    byte <= ceiling && (byte == delimiter || byte == 0x22 || byte == 0x0A || byte == 0x0D)
  }

  /// The highest byte a field with this delimiter is quoted for.
  @inlinable public static func quoteCeiling(_ delimiter: UInt8) -> UInt8 { max(delimiter, 0x22) }

  /// Whether the bytes hold the delimiter, a quote or a line break.
  @inlinable public static func needsQuotes(
    _ bytes: UnsafeBufferPointer<UInt8>, _ delimiter: UInt8, ceiling: UInt8
  ) -> Bool {
    scanForQuotes(bytes, delimiter, ceiling: ceiling, copyingTo: nil)
  }

  /// Whether the bytes hold a byte a field is quoted for (`quotes`), the bytes checked copied to
  /// `target` when one is given (all of them when none is found). Eight bytes at a time, copied
  /// as one word; the last few as a word that overlaps the one before, or as two halves.
  @inlinable @inline(__always) static func scanForQuotes(
    _ bytes: UnsafeBufferPointer<UInt8>, _ delimiter: UInt8, ceiling: UInt8,
    copyingTo target: UnsafeMutablePointer<UInt8>?
  ) -> Bool {
    guard let base = bytes.baseAddress else { return false }
    let from = UnsafeRawPointer(base)
    let to = UnsafeMutableRawPointer(target)
    let count = bytes.count
    let ones: UInt64 = 0x0101_0101_0101_0101
    // Whether a word holds the byte `b` (its XOR with `b` in every byte has a zero byte: exact).
    @inline(__always) func holds(_ word: UInt64, _ b: UInt8) -> Bool {
      let x = word ^ (ones &* UInt64(b))
      return (x &- ones) & ~x & (ones &* 0x80) != 0
    }
    // A word that cannot hold one (`RowCursor.mayQuote`: nearly every word of an id or a
    // number) has none; others are checked for each of the four.
    @inline(__always) func quoted(_ word: UInt64) -> Bool {
      guard RowCursor.mayQuote(word, ceiling) else { return false }
      return holds(word, delimiter) || holds(word, 0x22) || holds(word, 0x0A)
        || holds(word, 0x0D)
    }
    if count >= 8 {
      var at = 0
      while at + 8 <= count {
        let word = from.loadUnaligned(fromByteOffset: at, as: UInt64.self)
        if quoted(word) { return true }
        to?.storeBytes(of: word, toByteOffset: at, as: UInt64.self)
        at += 8
      }
      if at < count {
        // The last eight bytes, overlapping some already done: the same bytes again.
        let word = from.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)
        if quoted(word) { return true }
        to?.storeBytes(of: word, toByteOffset: count - 8, as: UInt64.self)
      }
      return false
    }
    if count >= 4 {
      // Two four-byte halves that overlap in the middle, checked as one word.
      let head = from.loadUnaligned(as: UInt32.self)
      let tail = from.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self)
      if quoted(UInt64(head) | UInt64(tail) << 32) { return true }
      to?.storeBytes(of: head, as: UInt32.self)
      to?.storeBytes(of: tail, toByteOffset: count - 4, as: UInt32.self)
      return false
    }
    for i in 0..<count {
      if quotes(base[i], delimiter, ceiling: ceiling) { return true }
      target?[i] = base[i]
    }
    return false
  }

  /// Puts the bytes from `start` to the end between double quotes where they are, the quotes
  /// among them doubled: a field quoted once it is written (no copy made of it elsewhere).
  @inlinable public mutating func enquote(from start: Int) {
    let quotes = RowCursor.quoteCount(storage.base + start, storage.base + storage.count)
    var row = row(reserving: quotes + 2)
    row.enquote(from: storage.base + start, quotes: quotes)
    end(row)
  }

  /// `units × 10^-scale`, trailing zeros of the fraction dropped down to `keep` decimals
  /// (`keep == scale`: exactly `scale` decimals), `point` between whole and fraction.
  @inlinable public mutating func appendDecimal(
    _ units: Int64, scale: Int, keep: Int, point: UInt8 = UInt8(ascii: ".")
  ) {
    var row = row(reserving: RowCursor.decimalRoom(scale: scale))
    row.decimal(units, scale: scale, keep: keep, point: point)
    end(row)
  }

  /// How many decimal digits `value` has (1 for 0), counted two at a time.
  @inlinable static func digitCount(_ value: UInt64) -> Int {
    var digits = 1
    var probe = value
    while probe >= 100 {
      probe /= 100
      digits += 2
    }
    return probe >= 10 ? digits + 1 : digits
  }

  /// `00` to `99`: a pair of digits written as one 16-bit word.
  @inlinable static var digitPairs: StaticString {
    """
    0001020304050607080910111213141516171819202122232425262728293031323334353637383940414243\
    4445464748495051525354555657585960616263646566676869707172737475767778798081828384858687\
    888990919293949596979899
    """
  }

  /// Writes the last `count` digits of `value` before `position`, two at a time, and takes
  /// them off `value`; `position` ends at the first.
  @inlinable static func writeDigits(
    _ count: Int, of value: inout UInt64, endingAt position: inout Int,
    in base: UnsafeMutablePointer<UInt8>
  ) {
    var left = count
    let pairs = UnsafeRawPointer(Self.digitPairs.utf8Start)
    while left >= 2 {
      let pair = Int(truncatingIfNeeded: value % 100)
      value /= 100
      position -= 2
      UnsafeMutableRawPointer(base + position).storeBytes(
        of: pairs.loadUnaligned(fromByteOffset: 2 &* pair, as: UInt16.self), as: UInt16.self)
      left -= 2
    }
    if left == 1 {
      position -= 1
      base[position] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: value % 10)
      value /= 10
    }
  }

  /// A currency's code, from its three letters (no string made).
  @inlinable public mutating func append(code currency: Currency) {
    var row = row(reserving: 3)
    row.currency(currency)
    end(row)
  }

  /// A date as `YYYY-MM-DD` (years 0 to 9999, as `CalendarDate.description` writes them).
  @inlinable public mutating func appendISODate(_ date: CalendarDate) {
    var row = row(reserving: 16)
    row.date(date)
    end(row)
  }

  @inlinable public mutating func appendInteger(_ value: Int) {
    appendDecimal(Int64(value), scale: 0, keep: 0)
  }

  @inlinable public func write(to sink: inout some ByteSink) {
    sink.write(bytes: UnsafeRawBufferPointer(bytesView))
  }

  /// The bytes: a buffer that grows by doubling. Its fields skip the runtime exclusivity check
  /// (a call into the runtime per byte appended otherwise): a line is built on one thread.
  @usableFromInline final class Storage {
    @exclusivity(unchecked) @usableFromInline var base: UnsafeMutablePointer<UInt8>
    @exclusivity(unchecked) @usableFromInline var count = 0
    @exclusivity(unchecked) @usableFromInline var capacity: Int

    @usableFromInline init(capacity: Int) {
      self.capacity = capacity
      base = .allocate(capacity: capacity)
    }

    deinit { base.deallocate() }

    /// Room for `more` bytes after the last.
    @inlinable func reserve(_ more: Int) {
      if count + more > capacity { grow(count + more) }
    }

    @usableFromInline func grow(_ minimum: Int) {
      var capacity = self.capacity * 2
      while capacity < minimum { capacity *= 2 }
      let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
      bigger.update(from: base, count: count)
      base.deallocate()
      base = bigger
      self.capacity = capacity
    }
  }
}

extension ByteLine {
  /// A line that writes into `storage` from its start.
  @usableFromInline init(reusing storage: Storage) {
    storage.count = 0
    self.storage = storage
  }
}

/// Buffers whose bytes have been written, kept for the next part or chunk to fill. A run
/// renders about 830 MB at a million entries, part by part and chunk by chunk; a buffer of
/// megabytes allocated afresh for each costs a page fault per 4 KiB it fills (a quarter of a
/// run's faults), and one grown as it fills copies its bytes again at each doubling. Reused,
/// a few dozen buffers serve the whole run.
///
/// A line given back must be the last copy in use: the next `line(capacity:)` writes over it.
public final class LinePool: @unchecked Sendable {
  private let lock = NSLock()
  private var spare: [ByteLine.Storage] = []
  private let keep: Int

  /// A pool that keeps at most `keep` buffers (the rest are freed as they come back).
  public init(keep: Int) { self.keep = keep }

  /// An empty line with room for at least `capacity` bytes: a spare buffer when there is one.
  public func line(capacity: Int) -> ByteLine {
    lock.lock()
    let storage = spare.popLast()
    lock.unlock()
    guard let storage else { return ByteLine(capacity: capacity) }
    let line = ByteLine(reusing: storage)
    storage.reserve(capacity)
    return line
  }

  /// `line`'s bytes are written: its buffer is kept for `line(capacity:)`, while fewer than
  /// `keep` are.
  public func recycle(_ line: ByteLine) {
    lock.lock()
    defer { lock.unlock() }
    if spare.count < keep { spare.append(line.storage) }
  }

  /// How many buffers are kept now.
  public var spareCount: Int {
    lock.lock()
    defer { lock.unlock() }
    return spare.count
  }
}

/// A line as the sink of a renderer: what it writes is appended.
extension ByteLine: ByteSink {
  @inlinable public mutating func write(bytes: UnsafeRawBufferPointer) {
    append(bytes.assumingMemoryBound(to: UInt8.self))
  }
}

/// A line handed from the thread that filled it to the one that writes it: never shared, no
/// copy of it is used once it is handed on.
public struct HandedLine: @unchecked Sendable {
  public var line: ByteLine
  public init(_ line: ByteLine) { self.line = line }
}
