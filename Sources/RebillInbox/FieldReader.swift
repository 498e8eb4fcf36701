import RebillModel

/// Reads typed values out of one row of one kind straight from its bytes, reporting every
/// problem as `FIELD: expected …, found …`. An accessor that fails returns a placeholder and
/// marks the row `failed`, so a decoder reads every field (reporting all problems) and then
/// drops the record.
struct FieldReader<C: ColumnSet> {
  private(set) var row: FieldRow
  let log: DiagnosticLog
  private(set) var failed = false
  /// The long ids of this file met lately (an invoice's id on each of its lines).
  private var names = NameCache()
  /// The dates of this file met lately, by their text (a million rows name a few hundred days).
  private var dates = DateCache()

  init(_ row: FieldRow, log: DiagnosticLog) {
    self.row = row
    self.log = log
  }

  /// Moves on to the next record of a file: its bytes (at the same spans) and where it starts.
  /// One reader serves a whole file: a reader made per record retained and released its file
  /// name and log at every record.
  mutating func next(_ buffer: UnsafeBufferPointer<UInt8>, at origin: RecordOrigin) {
    row.buffer = buffer
    row.origin = origin
    failed = false
  }

  var location: RecordOrigin { row.origin }

  mutating func fail(_ column: C, _ message: String) {
    log.error(row.location(of: column.rawValue), field: column.name, message)
    failed = true
  }

  func isPresent(_ column: C) -> Bool { row.bytes(column.rawValue) != nil }

  private mutating func missing(_ column: C, expected: String) {
    fail(column, "expected \(expected), found nothing")
  }

  // MARK: Text

  /// Free text: valid UTF-8 without NUL bytes; nil when absent.
  mutating func text(_ column: C) -> String? {
    guard let b = row.bytes(column.rawValue) else { return nil }
    if memchr(b.baseAddress!, 0, b.count) != nil {
      fail(column, "expected text, found a NUL byte in \(shown(b))")
      return nil
    }
    guard let s = utf8String(b) else {
      fail(column, "expected UTF-8 text, found invalid bytes in \(shown(b))")
      return nil
    }
    return s
  }

  /// Checks free text the engine does not use (a time entry's resource, say) as `text(_:)`
  /// does, without keeping it: no `String` made.
  mutating func checkText(_ column: C) {
    guard let b = row.bytes(column.rawValue) else { return }
    // Nearly always ASCII without a NUL: told in one pass, eight bytes at a time.
    if isASCIIWithoutNUL(b) { return }
    if memchr(b.baseAddress!, 0, b.count) != nil {
      fail(column, "expected text, found a NUL byte in \(shown(b))")
    } else if !isUTF8(b) {
      fail(column, "expected UTF-8 text, found invalid bytes in \(shown(b))")
    }
  }

  /// An id: non-empty, printable, no surrounding spaces.
  mutating func optionalID<T>(_ column: C) -> ID<T>? { token(column).map(ID.init) }

  /// Text with the rules of an id (non-empty, printable, no surrounding spaces); nil when absent.
  mutating func token(_ column: C) -> Name? {
    guard let b = row.bytes(column.rawValue) else { return nil }
    if b.first == 0x20 || b.last == 0x20 {
      fail(column, "expected an id without surrounding spaces, found \(shown(b))")
      return nil
    }
    // Nearly every id is printable ASCII: told eight bytes at a time, and made a name with no
    // further check (no string made); a long one through this file's cache of names.
    if isPrintableASCII(b), let name = names.name(ascii: UnsafeRawBufferPointer(b)) {
      return name
    }
    if b.contains(where: { $0 < 0x20 || $0 == 0x7F }) {
      fail(column, "expected an id of printable characters, found \(shown(b))")
      return nil
    }
    guard let s = utf8String(b) else {
      fail(column, "expected UTF-8 text, found invalid bytes in \(shown(b))")
      return nil
    }
    return Name(s)
  }

  mutating func id<T>(_ column: C) -> ID<T> {
    guard row.bytes(column.rawValue) != nil else {
      missing(column, expected: "an id")
      return ID(Name.empty)
    }
    return optionalID(column) ?? ID(Name.empty)
  }

  /// A required plain value held as a name (order line numbers, sources).
  mutating func requiredName(_ column: C) -> Name {
    if !isPresent(column) { missing(column, expected: "a value") }
    return token(column) ?? .empty
  }

  /// A required plain value held as text (items).
  mutating func requiredText(_ column: C) -> String { requiredName(column).string }

  // MARK: Dates

  mutating func optionalDate(_ column: C) -> CalendarDate? {
    guard let b = row.bytes(column.rawValue) else { return nil }
    if let date = dates[b] { return date }
    guard let date = CalendarDate.parse(b) else {
      fail(column, "expected a real date YYYY-MM-DD, found \(shown(b))")
      return nil
    }
    dates[b] = date
    return date
  }

  mutating func date(_ column: C) -> CalendarDate {
    if !isPresent(column) { missing(column, expected: "a date YYYY-MM-DD") }
    return optionalDate(column) ?? CalendarDate(daysSinceEpoch: 0)
  }

  // MARK: Numbers

  /// A decimal number exactly as written; nil when absent.
  mutating func decimal(_ column: C) -> ExactDecimal? {
    guard let b = row.bytes(column.rawValue) else { return nil }
    switch ExactDecimal.parse(b) {
    case .success(let value): return value
    case .failure(.outOfRange):
      fail(column, "expected a decimal number, found \(shown(b)), beyond 18 significant digits")
    case .failure:
      fail(column, "expected a decimal number, found \(shown(b))")
    }
    return nil
  }

  /// A quantity, price or percent with at most six decimals; `fallback` when absent, an error
  /// when absent and `fallback` is nil.
  mutating func six<T: SixDecimals>(_ column: C, default fallback: T? = nil) -> T {
    // Nearly every value: read straight into millionths; anything else, read again below for
    // the error that says what is wrong with it.
    if let b = row.bytes(column.rawValue), let micros = ExactDecimal.scaled(b, to: 6) {
      return T(micros: micros)
    }
    guard isPresent(column) else {
      if let fallback { return fallback }
      missing(column, expected: "a decimal number")
      return .zero
    }
    guard let decimal = decimal(column) else { return .zero }
    guard let value = T(decimal) else {
      fail(column, "expected at most 6 decimals, found \(decimal.scale) in \(shownBytes(column))")
      return .zero
    }
    return value
  }

  /// An amount in `currency`, with no more decimals than it has; nil when absent.
  mutating func money(_ column: C, in currency: Currency?) -> Money? {
    // As `six(_:default:)`: straight into the currency's minor units when the value is plain.
    if let currency, let b = row.bytes(column.rawValue),
      let units = ExactDecimal.scaled(b, to: currency.minorUnits)
    {
      return Money(minorUnits: units, currency: currency)
    }
    guard let decimal = decimal(column), let currency else { return nil }
    guard let money = Money(decimal, currency: currency) else {
      fail(
        column,
        "expected at most \(currency.minorUnits) decimals for \(currency.code), found \(decimal.scale) in \(shownBytes(column))"
      )
      return nil
    }
    return money
  }

  private func shownBytes(_ column: C) -> String {
    row.bytes(column.rawValue).map(shown) ?? "\"\""
  }

  // MARK: Words

  mutating func currency(_ column: C) -> Currency? {
    guard let b = row.bytes(column.rawValue) else {
      missing(column, expected: "an ISO 4217 currency code")
      return nil
    }
    guard b.count == 3,
      let currency = Currency(b[b.startIndex], b[b.startIndex + 1], b[b.startIndex + 2])
    else {
      fail(column, "expected an ISO 4217 currency code, found \(shown(b))")
      return nil
    }
    return currency
  }

  /// One word of a closed vocabulary; `fallback` when absent, an error when absent and
  /// `fallback` is nil. `allowed` narrows the vocabulary (order statuses by order type).
  mutating func word<E: RawRepresentable & CaseIterable>(
    _ column: C, default fallback: E? = nil, allowed: [E]? = nil
  ) -> E? where E.RawValue == String {
    func list() -> String {
      (allowed ?? Array(E.allCases)).map(\.rawValue).joined(separator: ", ")
    }
    guard let b = row.bytes(column.rawValue) else {
      if fallback == nil { missing(column, expected: "one of \(list())") }
      return fallback
    }
    if let allowed {
      for choice in allowed where sameBytes(choice.rawValue, b) { return choice }
    } else {
      for choice in E.allCases where sameBytes(choice.rawValue, b) { return choice }
    }
    fail(column, "expected one of \(list()), found \(shown(b))")
    return nil
  }

  /// One word of a closed vocabulary, or nil when absent.
  mutating func optionalWord<E: RawRepresentable & CaseIterable>(_ column: C) -> E?
  where E.RawValue == String {
    isPresent(column) ? word(column) : nil
  }

  mutating func bool(_ column: C, default fallback: Bool = false) -> Bool {
    guard let b = row.bytes(column.rawValue) else { return fallback }
    for (word, value) in [("true", true), ("false", false), ("yes", true), ("no", false)]
    where sameBytes(word, b) {
      return value
    }
    fail(column, "expected true or false, found \(shown(b))")
    return fallback
  }

  /// `INVOICE/LINE`; nil when absent.
  mutating func lineRef(_ column: C) -> InvoiceLineRef? {
    guard let text = text(column) else { return nil }
    guard let ref = InvoiceLineRef(parsing: text), !text.hasPrefix(" "), !text.hasSuffix(" ")
    else {
      fail(column, "expected INVOICE/LINE, found \(shown(text))")
      return nil
    }
    return ref
  }
}

/// Whether `word` is exactly `bytes`.
@inline(__always)
func sameBytes(_ word: String, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
  let utf8 = word.utf8
  guard utf8.count == bytes.count else { return false }
  return utf8.withContiguousStorageIfAvailable { w in
    memcmp(w.baseAddress!, bytes.baseAddress!, bytes.count) == 0
  } ?? utf8.elementsEqual(bytes)
}

/// Whether every byte passes a test: `word` tells eight bytes at a time whether each of them
/// passes, `byte` tells the bytes of the tail one at a time.
@inline(__always)
func everyByte(
  _ b: UnsafeBufferPointer<UInt8>, word: (UInt64) -> Bool, byte: (UInt8) -> Bool
) -> Bool {
  var i = 0
  let n = b.count
  while i + 8 <= n {
    if !word(UnsafeRawPointer(b.baseAddress! + i).loadUnaligned(as: UInt64.self)) { return false }
    i += 8
  }
  while i < n {
    if !byte(b[i]) { return false }
    i += 1
  }
  return true
}

private let ones: UInt64 = 0x0101_0101_0101_0101
private let highs: UInt64 = 0x8080_8080_8080_8080

/// Whether every byte is printable ASCII (0x20 to 0x7E), eight at a time.
@inline(__always)
func isPrintableASCII(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
  everyByte(b) { word in
    // Per byte, with no carry or borrow between bytes: the high bit of (x | 0x80) − 0x20 is
    // clear when x & 0x7F is below 0x20; the high bit of (x & 0x7F) + 1 is set when x & 0x7F
    // is 0x7F. Bytes of 0x80 and more have their own high bit.
    let control = ~((word | highs) &- ones &* 0x20) & highs
    let delete = ((word & ~highs) &+ ones) & highs
    return (word & highs) | control | delete == 0
  } byte: {
    $0 >= 0x20 && $0 < 0x7F
  }
}

/// Whether every byte is from 0x01 to 0x7F, eight at a time.
@inline(__always)
func isASCIIWithoutNUL(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
  // A byte of 0x80 or more has its high bit; a zero byte sets the high bit of
  // (word − 0x01…) & ~word (exact whenever no byte has its own high bit).
  everyByte(b) {
    ($0 & highs) | (($0 &- ones) & ~$0 & highs) == 0
  } byte: {
    $0 != 0 && $0 < 0x80
  }
}

/// Whether every byte is below 0x80, eight at a time.
@inline(__always)
func isASCII(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
  everyByte(b) {
    $0 & highs == 0
  } byte: {
    $0 < 0x80
  }
}

/// The bytes as a String when they are valid UTF-8. ASCII, by far the most common, takes a
/// fast path: the standard library's validation is generic and costs more than the parse.
@inline(__always)
func utf8String(_ b: UnsafeBufferPointer<UInt8>) -> String? {
  isASCII(b) ? String(decoding: b, as: UTF8.self) : String(validating: b, as: UTF8.self)
}

/// Whether the bytes are valid UTF-8, with no `String` made for ASCII.
@inline(__always)
func isUTF8(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
  isASCII(b) || String(validating: b, as: UTF8.self) != nil
}

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Dates read lately, by their ten bytes (as two words that overlap), in 256 slots: a date's
/// year, month and day checked and turned into a day cost about 130 instructions, a slot's
/// test a few. Only real dates are held; any other text is read, and reported, each time.
struct DateCache {
  /// Empty slots hold words no text makes: the overlapping bytes of two words read from ten
  /// bytes agree, and these do not.
  private var slots = [(low: UInt64, high: UInt64, date: CalendarDate)](
    repeating: (0, 1, CalendarDate(daysSinceEpoch: 0)), count: 256)

  @inline(__always) private static func key(_ b: UnsafeBufferPointer<UInt8>)
    -> (low: UInt64, high: UInt64, slot: Int)?
  {
    guard b.count == 10 else { return nil }
    let raw = UnsafeRawPointer(b.baseAddress!)
    let low = raw.loadUnaligned(as: UInt64.self)
    let high = raw.loadUnaligned(fromByteOffset: 2, as: UInt64.self)
    // The day and the month's last digit vary most: bytes 9 and 6 of the text.
    let slot = Int(truncatingIfNeeded: (high >> 56) ^ (high >> 32) &* 7) & 255
    return (low, high, slot)
  }

  /// The date of these bytes, when held.
  subscript(_ b: UnsafeBufferPointer<UInt8>) -> CalendarDate? {
    get {
      guard let (low, high, slot) = Self.key(b) else { return nil }
      let held = slots[slot]
      return held.low == low && held.high == high ? held.date : nil
    }
    set {
      guard let date = newValue, let (low, high, slot) = Self.key(b) else { return }
      slots[slot] = (low, high, date)
    }
  }
}
