import Foundation
import RebillEngine
import RebillJournals
import TestSupport
import Testing

@testable import RebillModel
@testable import RebillOut

/// The byte writer of the big files writes numbers exactly as the text formatters do.
@Suite struct CSVLineTests {
  @Test func numbersMatchTheTextFormatters() {
    var rng = SplitMix64(seed: 11)
    for _ in 0..<20_000 {
      // Every count of digits from 1 to 18, so that both ends of a two-digit step are met.
      var bound: UInt64 = 10
      for _ in 0..<(rng.next() % 18) { bound *= 10 }
      let magnitude = Int64(rng.next() % bound)
      let value = rng.next() % 3 == 0 ? -magnitude : magnitude
      let scale = Int(rng.next() % 7)
      let keep = Int(rng.next() % UInt64(scale + 1))
      var line = CSVLine()
      line.number(value, scale: scale, keep: keep)
      #expect(
        String(decoding: line.bytes, as: UTF8.self)
          == formatTrimmed(value, scale: scale, keep: keep))
      line = CSVLine()
      line.number(value, scale: scale, keep: scale)
      #expect(String(decoding: line.bytes, as: UTF8.self) == formatScaled(value, scale: scale))
    }
  }

  /// A field is quoted exactly when it holds the delimiter, a quote or a line break, wherever
  /// it is: every length from 0 to 40 (eight bytes are checked at a time), each such byte at
  /// every position, with a comma or a semicolon as the delimiter, and bytes outside ASCII.
  @Test func fieldsQuotedWhateverTheLengthAndPosition() {
    func reference(_ text: String, _ delimiter: UInt8) -> String {
      let needs = text.utf8.contains { $0 == delimiter || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }
      return needs ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
    }
    for delimiter in [UInt8(ascii: ","), UInt8(ascii: ";")] {
      for length in 0...40 {
        let plain = String(repeating: "a-9.", count: 10).prefix(length)
        var texts = [String(plain), String(repeating: "\u{E9}", count: length / 2)]
        for at in 0..<length {
          for special in [",", ";", "\"", "\n", "\r", " ", "+"] {
            var bytes = Array(plain.utf8)
            bytes[at] = special.utf8.first!
            texts.append(String(decoding: bytes, as: UTF8.self))
          }
        }
        for text in texts {
          var line = ByteLine()
          line.append(csvField: text, delimiter: delimiter)
          #expect(
            String(decoding: line.bytes, as: UTF8.self) == reference(text, delimiter),
            "\(text.debugDescription) with \(delimiter)")
        }
      }
    }
  }

  /// The extremes of the integer range, and a decimal comma (journals of some layouts).
  @Test func extremesAndAnotherPoint() {
    for value in [Int64.min, Int64.max, 0, -1, 1, -5, 9_999_999] {
      for scale in [0, 2, 6] {
        var line = CSVLine()
        line.number(value, scale: scale, keep: scale)
        #expect(String(decoding: line.bytes, as: UTF8.self) == formatScaled(value, scale: scale))
      }
    }
    var comma = ByteLine()
    comma.appendDecimal(-123_405, scale: 2, keep: 2, point: UInt8(ascii: ","))
    #expect(String(decoding: comma.bytes, as: UTF8.self) == "-1234,05")
  }

  /// A line grows past its first buffer without losing a byte; a quote inside a field is
  /// doubled, whatever the field's length.
  @Test func longLinesAndLongQuotedFields() {
    let long = String(repeating: "abc\"def,", count: 200)
    var line = CSVLine()
    for _ in 0..<10 { line.text(long) }
    line.end()
    let field = "\"" + long.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    let expected = Array(repeating: field, count: 10).joined(separator: ",") + "\n"
    #expect(String(decoding: line.bytes, as: UTF8.self) == expected)
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

  /// Records follow each other in the buffer, each starting with no separator; writing
  /// empties it.
  @Test func recordsAccumulateUntilWritten() {
    var line = CSVLine()
    for row in [["a", "b"], ["c", "d,e"]] {
      line.begin()
      for field in row { line.text(field) }
      line.end()
    }
    var sink = MemorySink()
    line.write(to: &sink)
    #expect(String(decoding: sink.bytes, as: UTF8.self) == "a,b\nc,\"d,e\"\n")
    #expect(line.bytes.isEmpty)
    line.begin()
    line.text("f")
    line.end()
    #expect(String(decoding: line.bytes, as: UTF8.self) == "f\n")
  }

  /// An actual's id is written from its parts as one field, quoted as a whole when a part
  /// holds a comma or a quote; the number only on a document line's actuals.
  @Test func idsJoinedFromTheirParts() {
    var line = CSVLine()
    line.actual(.entry(source: "T1", customer: CustomerID("C1")))
    line.actual(.line(document: InvoiceID("INV-1"), line: "2", number: 13))
    line.actual(.entry(source: "T,\"1", customer: CustomerID("C1")))
    line.empty()
    line.joined("A", UInt8(ascii: "/"), "b\nc", UInt8(ascii: "#"), 1)
    line.end()
    #expect(
      String(decoding: line.bytes, as: UTF8.self)
        == "T1@C1,INV-1/2#13,\"T,\"\"1@C1\",,\"A/b\nc#1\"\n")
    #expect(
      ActualRef.line(document: InvoiceID("INV-1"), line: "2", number: 13).text == "INV-1/2#13")
  }

  /// Every word written from constant bytes is its case's raw value.
  @Test func wordsAreTheRawValues() {
    func check<W: CSVWord & CaseIterable & RawRepresentable>(_: W.Type) where W.RawValue == String {
      for value in W.allCases { #expect("\(value.word)" == value.rawValue) }
    }
    check(ActualType.self)
    check(ActualOrigin.self)
    check(LineClass.self)
    check(BillingType.self)
  }
}
