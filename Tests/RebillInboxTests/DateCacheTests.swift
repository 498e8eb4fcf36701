import RebillModel
import TestSupport
import Testing

@testable import RebillInbox

/// A reader's cache of dates gives what reading the text gives: for real dates asked again and
/// again (far more than its 256 slots), and never a date for text that is not one, ten NUL
/// bytes (the words an empty slot must not match) among them.
@Suite struct DateCacheTests {
  @Test func aCacheOfDatesGivesWhatReadingGives() {
    var rng = SplitMix64(seed: 8)
    var texts: [[UInt8]] = (0..<4_000).map { _ in
      let day = CalendarDate(daysSinceEpoch: Int32(10_950 + rng.next() % 12_000))
      return Array(day.description.utf8)
    }
    texts += [
      Array(repeating: 0, count: 10), Array("2026-02-30".utf8), Array("2026-13-01".utf8),
      Array("2026-1-01".utf8), Array("2026-01-011".utf8), Array("2026/01/01".utf8),
    ]
    var cache = DateCache()
    for _ in 0..<3 {
      for text in texts.shuffled(using: &rng) {
        text.withUnsafeBufferPointer { b in
          var got = cache[b]
          if got == nil {
            got = CalendarDate.parse(b)
            cache[b] = got
          }
          #expect(got == CalendarDate.parse(b), "\(text)")
        }
      }
    }
  }
}
