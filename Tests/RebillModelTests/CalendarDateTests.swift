import Testing

@testable import RebillModel

@Suite struct CalendarDateTests {
  @Test(arguments: [
    "2026-02-30", "2026-13-01", "2026-00-10", "2026-04-31", "2025-02-29", "1900-02-29",
    "2026-1-01", "26-01-01", "2026/01/01", "2026-01-01 ", "", "2026-01-0x", "0000-01-01",
    "2026-0:-01", "2026-01-0/", "2\u{0}26-01-01", "１９７０-01-01",
  ])
  func rejectsWhatIsNotARealDay(text: String) {
    #expect(CalendarDate.parse(text) == nil)
  }

  @Test(arguments: [
    "2024-02-29", "2000-02-29", "2026-12-31", "1970-01-01", "0001-01-01", "9999-12-31",
  ])
  func acceptsRealDays(text: String) {
    #expect(CalendarDate.parse(text)?.description == text)
  }

  @Test func countsDaysFromTheEpoch() {
    #expect(CalendarDate.parse("1970-01-01")?.daysSinceEpoch == 0)
    #expect(CalendarDate.parse("2026-11-10")?.daysSinceEpoch == 20_767)
    #expect(CalendarDate.parse("1969-12-31")?.daysSinceEpoch == -1)
    #expect(CalendarDate.parse("2026-11-10")?.compact == "20261110")
  }

  /// Every day from 1600 to 2400 formats and parses back to itself, one day after the other.
  @Test func roundTripsEveryDay() {
    var day = CalendarDate(year: 1600, month: 1, day: 1)!
    let end = CalendarDate(year: 2400, month: 12, day: 31)!
    while day <= end {
      let next = day.adding(days: 1)
      #expect(CalendarDate.parse(day.description) == day)
      #expect(next.daysSinceEpoch == day.daysSinceEpoch + 1)
      day = next
    }
  }
}
