import RebillModel

/// Each day's text, made once and kept as a name in a small table by day: a journal writes a
/// date on every row, and a run's rows span a few hundred days (a dictionary of strings would
/// cost a hash per row). `make` gives a day's text.
public struct DayTexts {
  /// 256 slots, by the day's low byte: the day (`Int32.min` when none) and its text.
  private var slots = [(day: Int32, text: Name)](repeating: (Int32.min, .empty), count: 256)
  private let make: (CalendarDate) -> String

  public init(_ make: @escaping (CalendarDate) -> String) { self.make = make }

  /// The day's text as a name (a row per posting writes the day of its entry).
  public mutating func name(_ date: CalendarDate) -> Name {
    let day = date.daysSinceEpoch
    let slot = Int(UInt32(bitPattern: day) & 255)
    if slots[slot].day != day { slots[slot] = (day, Name(verbatim: make(date))) }
    return slots[slot].text
  }
}
