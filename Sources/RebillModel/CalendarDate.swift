/// A day of the proleptic Gregorian calendar, without time or zone. Kept as the number of
/// days since 1970-01-01 so that it compares and subtracts as an integer.
public struct CalendarDate: Hashable, Comparable, Sendable, CustomStringConvertible {
  public let daysSinceEpoch: Int32

  public init(daysSinceEpoch: Int32) { self.daysSinceEpoch = daysSinceEpoch }

  /// A real calendar day, or nil: `CalendarDate(year: 2026, month: 2, day: 30)` is nil.
  public init?(year: Int, month: Int, day: Int) {
    guard (1...9999).contains(year), (1...12).contains(month),
      (1...CalendarDate.daysIn(month: month, year: year)).contains(day)
    else { return nil }
    daysSinceEpoch = Int32(CalendarDate.days(year: year, month: month, day: day))
  }

  /// Parses exactly `YYYY-MM-DD`.
  public static func parse(_ b: UnsafeBufferPointer<UInt8>) -> CalendarDate? {
    guard b.count == 10, b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-") else { return nil }
    // Each digit's value, a byte that is not a digit giving 10 or more (the subtraction wraps).
    let p = b.baseAddress!
    let (y0, y1, y2, y3) = (p[0] &- 0x30, p[1] &- 0x30, p[2] &- 0x30, p[3] &- 0x30)
    let (m0, m1, d0, d1) = (p[5] &- 0x30, p[6] &- 0x30, p[8] &- 0x30, p[9] &- 0x30)
    guard max(max(max(y0, y1), max(y2, y3)), max(max(m0, m1), max(d0, d1))) < 10 else {
      return nil
    }
    let year = Int(y0) &* 1000 &+ Int(y1) &* 100 &+ Int(y2) &* 10 &+ Int(y3)
    return CalendarDate(year: year, month: Int(m0) &* 10 &+ Int(m1), day: Int(d0) &* 10 &+ Int(d1))
  }

  public static func parse(_ text: String) -> CalendarDate? {
    var text = text
    return text.withUTF8 { parse($0) }
  }

  public static func < (a: CalendarDate, b: CalendarDate) -> Bool {
    a.daysSinceEpoch < b.daysSinceEpoch
  }

  public func adding(days: Int) -> CalendarDate {
    CalendarDate(daysSinceEpoch: daysSinceEpoch + Int32(days))
  }

  /// Year, month and day (Howard Hinnant's civil_from_days).
  public var components: (year: Int, month: Int, day: Int) {
    let z = Int(daysSinceEpoch) + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let doe = z - era * 146_097
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
    let mp = (5 * doy + 2) / 153
    let d = doy - (153 * mp + 2) / 5 + 1
    let m = mp < 10 ? mp + 3 : mp - 9
    return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
  }

  /// `YYYY-MM-DD`.
  public var description: String {
    let (y, m, d) = components
    func pad(_ v: Int, _ width: Int) -> String {
      let s = String(v)
      return String(repeating: "0", count: max(0, width - s.count)) + s
    }
    return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))"
  }

  /// `YYYYMMDD`, as used in derived document ids.
  public var compact: String { description.replacingOccurrences("-", "") }

  static func isLeap(_ y: Int) -> Bool { (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 }

  static func daysIn(month: Int, year: Int) -> Int {
    switch month {
    case 2: isLeap(year) ? 29 : 28
    case 4, 6, 9, 11: 30
    default: 31
    }
  }

  /// Days from 1970-01-01 (Howard Hinnant's days_from_civil).
  static func days(year: Int, month: Int, day: Int) -> Int {
    // Years 1 to 9999 (checked by the callers): nothing here can overflow, so no checks.
    let y = month <= 2 ? year &- 1 : year
    let era = (y >= 0 ? y : y &- 399) / 400
    let yoe = y &- era &* 400
    let mp = month > 2 ? month &- 3 : month &+ 9
    let doy = (153 &* mp &+ 2) / 5 &+ day &- 1
    let doe = yoe &* 365 &+ yoe / 4 &- yoe / 100 &+ doy
    return era &* 146_097 &+ doe &- 719_468
  }
}

extension String {
  /// Foundation-free replacement of every `target` character.
  fileprivate func replacingOccurrences(_ target: Character, _ with: String) -> String {
    var out = ""
    for c in self { if c == target { out += with } else { out.append(c) } }
    return out
  }
}
