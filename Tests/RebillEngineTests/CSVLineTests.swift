import TestSupport
import Testing

@testable import RebillModel
@testable import RebillOut

/// The byte writer of the big files writes numbers exactly as the text formatters do.
@Suite struct CSVLineTests {
  @Test func numbersMatchTheTextFormatters() {
    var rng = SplitMix64(seed: 11)
    for _ in 0..<20_000 {
      let magnitude = Int64(rng.next() % 10_000_000_000_000)
      let value = rng.next() % 3 == 0 ? -magnitude : magnitude
      let scale = Int(rng.next() % 7)
      let keep = Int(rng.next() % UInt64(scale + 1))
      var line = CSVLine()
      line.number(value, scale: scale, keep: keep)
      #expect(
        String(decoding: line.bytes, as: UTF8.self)
          == formatTrimmed(value, scale: scale, keep: keep))
      line.reset()
      line.number(value, scale: scale, keep: scale)
      #expect(String(decoding: line.bytes, as: UTF8.self) == formatScaled(value, scale: scale))
    }
  }

  @Test func textIsQuotedOnlyWhenItMustBe() {
    var line = CSVLine()
    line.text("plain")
    line.text("a, b")
    line.text("say \"hi\"")
    line.text("")
    line.end()
    #expect(String(decoding: line.bytes, as: UTF8.self) == "plain,\"a, b\",\"say \"\"hi\"\"\",\n")
  }
}
