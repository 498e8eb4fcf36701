import Foundation
import RebillEngine
import RebillJournals
import TestSupport
import Testing

@testable import RebillModel
@testable import RebillOut

/// The byte writers of the big files (`RowCursor`, `ByteLine`, `CSVLine`) write numbers, dates
/// and fields exactly as the text formatters do.
@Suite struct CSVLineTests {
  /// What a cursor writes, in room for the pieces `body` writes.
  func written(_ body: (inout RowCursor) -> Void) -> String {
    var line = ByteLine()
    var row = line.row(reserving: 4096)
    body(&row)
    line.end(row)
    return String(decoding: line.bytes, as: UTF8.self)
  }

  func decimal(_ value: Int64, scale: Int, keep: Int) -> String {
    var line = ByteLine()
    line.appendDecimal(value, scale: scale, keep: keep)
    return String(decoding: line.bytes, as: UTF8.self)
  }

  @Test func numbersMatchTheTextFormatters() {
    var rng = SplitMix64(seed: 11)
    for _ in 0..<20_000 {
      // Every count of digits from 1 to 18, so that both ends of a two-digit step are met.
      var bound: UInt64 = 10
      for _ in 0..<(rng.next() % 18) { bound *= 10 }
      let magnitude = Int64(rng.next() % bound)
      let value = rng.next() % 3 == 0 ? -magnitude : magnitude
      let scale = Int(rng.next() % 10)
      let keep = Int(rng.next() % UInt64(scale + 1))
      #expect(
        decimal(value, scale: scale, keep: keep) == formatTrimmed(value, scale: scale, keep: keep))
      #expect(decimal(value, scale: scale, keep: scale) == formatScaled(value, scale: scale))
    }
  }

  /// A number copied from the memo of the one before is the number written anew, whatever
  /// changed between them (the value, its scale, the decimals kept).
  @Test func numbersThroughAMemoAreTheNumbers() {
    var rng = SplitMix64(seed: 5)
    var memo = DecimalMemo()
    let values: [Int64] = [120_000_000, 0, -5, 85_000_000, Int64.max, Int64.min, 7]
    for _ in 0..<5_000 {
      let value = values[Int(rng.next() % UInt64(values.count))]
      let scale = [2, 6][Int(rng.next() % 2)]
      let keep = Int(rng.next() % UInt64(scale + 1))
      #expect(
        written { $0.decimal(value, scale: scale, keep: keep, memo: &memo) }
          == decimal(value, scale: scale, keep: keep), "\(value) \(scale) \(keep)")
    }
  }

  /// A field is quoted exactly when it holds the delimiter, a quote or a line break, wherever
  /// it is: every length from 0 to 40 (eight bytes are checked at a time), each such byte at
  /// every position, with a comma or a semicolon as the delimiter, and bytes outside ASCII.
  @Test func fieldsQuotedWhateverTheLengthAndPosition() {
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
            String(decoding: line.bytes, as: UTF8.self) == csvField(text, delimiter: delimiter),
            "\(text.debugDescription) with \(delimiter)")
          // A name of up to 15 bytes is checked on its two words: the same field.
          let name = Name(verbatim: text)
          #expect(
            written { $0.field(name, delimiter: delimiter) }
              == csvField(text, delimiter: delimiter),
            "name \(text.debugDescription) with \(delimiter)")
        }
      }
    }
  }

  /// The extremes of the integer range, and a decimal comma (journals of some layouts).
  @Test func extremesAndAnotherPoint() {
    for value in [Int64.min, Int64.max, 0, -1, 1, -5, 9_999_999] {
      for scale in [0, 2, 6] {
        #expect(decimal(value, scale: scale, keep: scale) == formatScaled(value, scale: scale))
      }
    }
    var comma = ByteLine()
    comma.appendDecimal(-123_405, scale: 2, keep: 2, point: UInt8(ascii: ","))
    #expect(String(decoding: comma.bytes, as: UTF8.self) == "-1234,05")
  }

  /// A record grows its line past its first buffer without losing a byte; a quote inside a
  /// field is doubled, whatever the field's length; a field is quoted only when it must be.
  @Test func longLinesAndLongQuotedFields() {
    let long = String(repeating: "abc\"def,", count: 200)
    var sink = MemorySink()
    CSVLine.write(Array(repeating: long, count: 10), to: &sink)
    let field = "\"" + long.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    let expected = Array(repeating: field, count: 10).joined(separator: ",") + "\n"
    #expect(String(decoding: sink.bytes, as: UTF8.self) == expected)
    sink = MemorySink()
    CSVLine.write(["plain", "a, b", "say \"hi\"", ""], to: &sink)
    #expect(String(decoding: sink.bytes, as: UTF8.self) == "plain,\"a, b\",\"say \"\"hi\"\"\",\n")
  }

  /// A buffer given back to a `LinePool` serves the next line asked for, empty and with the
  /// room asked for; the pool keeps no more than it was told, and a renderer writes into a
  /// line as into any sink.
  @Test func linesReusedFromAPool() {
    let pool = LinePool(keep: 1)
    var first = pool.line(capacity: 64)
    first.append(literal: "written, then given back")
    pool.recycle(first)
    #expect(pool.spareCount == 1)
    pool.recycle(ByteLine(capacity: 32))
    #expect(pool.spareCount == 1)
    var second = pool.line(capacity: 100_000)
    #expect(pool.spareCount == 0)
    #expect(second.isEmpty)
    second.append(literal: "next")
    #expect(String(decoding: second.bytes, as: UTF8.self) == "next")
    func render(into sink: inout some ByteSink) { sink.write("; and more") }
    render(into: &second)
    #expect(String(decoding: second.bytes, as: UTF8.self) == "next; and more")
  }

  /// Rows stay in the line until it holds 64 KiB; then they are written and the line emptied.
  @Test func rowsAreWrittenInBlocks() {
    var line = ByteLine()
    var sink = MemorySink()
    line.append(csvField: "a,b")
    CSVLine.flush(&line, to: &sink)
    #expect(sink.bytes.isEmpty)
    #expect(line.count == 5)
    let block = [UInt8](repeating: UInt8(ascii: "x"), count: CSVLine.flushAt)
    block.withUnsafeBufferPointer { line.append($0) }
    CSVLine.flush(&line, to: &sink)
    #expect(sink.bytes.count == CSVLine.flushAt + 5)
    #expect(Array(sink.bytes.prefix(5)) == Array("\"a,b\"".utf8))
    #expect(line.isEmpty)
  }

  /// An actual's id is written from its parts as one field, quoted as a whole when a part
  /// holds a comma, a quote or a line break, long parts too; the number only when it is not 0.
  @Test func idsJoinedFromTheirParts() {
    let long = String(repeating: "INV-K00000-C0", count: 3)
    #expect(written { $0.joinedField("T1", UInt8(ascii: "@"), "C1") } == "T1@C1")
    #expect(
      written { $0.joinedField("INV-1", UInt8(ascii: "/"), "2", UInt8(ascii: "#"), 13) }
        == "INV-1/2#13")
    #expect(
      written { $0.joinedField(Name(long), UInt8(ascii: "/"), "2", UInt8(ascii: "#"), 7) }
        == long + "/2#7")
    #expect(written { $0.joinedField("T,\"1", UInt8(ascii: "@"), "C1") } == "\"T,\"\"1@C1\"")
    #expect(
      written { $0.joinedField(Name(long + ","), UInt8(ascii: "@"), "C1") }
        == "\"" + long + ",@C1\"")
    #expect(
      written { $0.joinedField("A", UInt8(ascii: "/"), "b\nc", UInt8(ascii: "#"), 1) }
        == "\"A/b\nc#1\"")
    #expect(
      ActualRef.line(document: InvoiceID("INV-1"), line: "2", number: 13).text == "INV-1/2#13")
  }

  /// A joined id is quoted exactly when one of its bytes needs it: a long part's special byte
  /// at any position, with a comma or a semicolon as the delimiter, or a mark that is the
  /// delimiter (a long part is checked on its floor, found when it was interned).
  @Test func idsQuotedWhateverTheirPartsHold() {
    for delimiter in [UInt8(ascii: ","), UInt8(ascii: ";")] {
      for length in [1, 15, 16, 17, 24, 33] {
        let plain = Array(String(repeating: "K-9.", count: 9).utf8.prefix(length))
        var parts = [plain, Array("\u{E9}t\u{E9}-2026-\u{E9}t\u{E9}".utf8)]
        for at in 0..<length {
          for special in [",", ";", "\"", "\n", "\r", "#"] {
            var bytes = plain
            bytes[at] = special.utf8.first!
            parts.append(bytes)
          }
        }
        for part in parts {
          let text = String(decoding: part, as: UTF8.self)
          for mark in [UInt8(ascii: "#"), delimiter] {
            let joined = text + "/" + text + String(decoding: [mark], as: UTF8.self) + "3"
            #expect(
              written {
                $0.joinedField(
                  Name(verbatim: text), UInt8(ascii: "/"), Name(verbatim: text), mark, 3,
                  delimiter: delimiter)
              } == csvField(joined, delimiter: delimiter),
              "\(joined.debugDescription) with \(delimiter)")
          }
        }
      }
    }
  }

  /// Dates as `YYYY-MM-DD` digit by digit, and as `CalendarDate.description` writes them
  /// outside years 0 to 9999; every day of the table of 2000 to 2099 (`ISODays`), and the days
  /// just outside it.
  @Test func datesAsTheirDescription() {
    var days = (-800_000...800_000).filter { $0 % 997 == 0 }
    days += [-719_528, -719_529, 2_932_896, 2_932_897, Int(Int32.min) / 2, Int(Int32.max) / 2]
    days += Array(10_956...47_482)
    for day in days {
      let date = CalendarDate(daysSinceEpoch: Int32(day))
      #expect(written { $0.date(date) } == date.description, "\(day)")
      var line = ByteLine()
      line.appendISODate(date)
      #expect(String(decoding: line.bytes, as: UTF8.self) == date.description)
    }
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
    check(DocumentKind.self)
  }
}
