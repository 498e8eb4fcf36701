import RebillModel

/// Each day's text, made once and kept as bytes in a small table by day: output files write a
/// date on millions of rows, and a run's rows span a few hundred days (a dictionary of strings
/// would cost a hash per row). `make` gives a day's text; a text longer than a slot's 16 bytes
/// is made each time it is asked for. Inlinable, as `ByteLine` is: other modules write a date
/// per row with it.
public struct DayTexts {
  /// 256 slots of 24 bytes, one array (one reference to follow per lookup): the day (4 bytes,
  /// `Int32.min` when none), the text's length (1), the text (up to 16).
  @usableFromInline static let slotSize = 24
  @usableFromInline static let textStart = 5
  @usableFromInline let make: (CalendarDate) -> String
  @usableFromInline var table: [UInt8]
  /// Each slot's text as a name.
  @usableFromInline var names = [Name](repeating: .empty, count: 256)

  public init(_ make: @escaping (CalendarDate) -> String) {
    self.make = make
    table = [UInt8](repeating: 0, count: 256 * Self.slotSize)
    table.withUnsafeMutableBytes { raw in
      for slot in 0..<256 {
        raw.storeBytes(of: Int32.min, toByteOffset: slot * Self.slotSize, as: Int32.self)
      }
    }
  }

  /// The day's text written at the end of `line`.
  @inlinable public mutating func append(_ date: CalendarDate, to line: inout ByteLine) {
    guard let at = slot(of: date) else { return line.append(make(date)) }
    table.withUnsafeBufferPointer { table in
      let length = Int(table[at + 4])
      line.append(
        UnsafeBufferPointer(rebasing: table[at + Self.textStart..<at + Self.textStart + length]))
    }
  }

  /// The day's text as a name (a row per posting writes the day of its entry).
  public mutating func name(_ date: CalendarDate) -> Name {
    guard let at = slot(of: date) else { return Name(verbatim: make(date)) }
    return names[at / Self.slotSize]
  }

  /// The day's text as a string.
  public mutating func text(_ date: CalendarDate) -> String {
    guard let at = slot(of: date) else { return make(date) }
    let start = at + Self.textStart
    return String(decoding: table[start..<start + Int(table[at + 4])], as: UTF8.self)
  }

  /// Where the slot holding the day's text starts in `table`, the text made now if the slot
  /// holds another day's; nil when the text does not fit one.
  @inlinable mutating func slot(of date: CalendarDate) -> Int? {
    let day = date.daysSinceEpoch
    let at = Int(UInt32(bitPattern: day) & 255) * Self.slotSize
    let known = table.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: at, as: Int32.self) }
    return known == day ? at : fill(at, date)
  }

  @usableFromInline mutating func fill(_ at: Int, _ date: CalendarDate) -> Int? {
    let made = Array(make(date).utf8)
    guard made.count <= 16 else { return nil }
    table.withUnsafeMutableBytes { raw in
      raw.storeBytes(of: date.daysSinceEpoch, toByteOffset: at, as: Int32.self)
      raw[at + 4] = UInt8(made.count)
      for (i, byte) in made.enumerated() { raw[at + Self.textStart + i] = byte }
    }
    names[at / Self.slotSize] = Name(verbatim: String(decoding: made, as: UTF8.self))
    return at
  }
}
