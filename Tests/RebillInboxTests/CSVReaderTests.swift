import Foundation
import TestSupport
import Testing

@testable import RebillInbox

@Suite struct CSVReaderTests {
  /// Records as strings with their lines, read with the given chunk size.
  func read(_ text: String, chunkSize: Int = CSVReader.chunkSize) throws(CSVReadError)
    -> [(line: Int, fields: [String])]
  {
    try read(bytes: Array(text.utf8), chunkSize: chunkSize)
  }

  func read(bytes: [UInt8], chunkSize: Int = CSVReader.chunkSize) throws(CSVReadError)
    -> [(line: Int, fields: [String])]
  {
    var records: [(Int, [String])] = []
    try CSVReader.read(bytes: bytes, chunkSize: chunkSize) { record in
      records.append(
        (record.line, (0..<record.count).map { String(decoding: record.field($0), as: UTF8.self) }))
    }
    return records
  }

  @Test func keepsSpacesAsPartOfFields() throws {
    let records = try read("a,b\n  x , y\t\n")
    #expect(records[1].fields == ["  x ", " y\t"])
  }

  @Test func skipsALeadingByteOrderMark() throws {
    let records = try read(bytes: [0xEF, 0xBB, 0xBF] + Array("entry,date\nT1,2026-01-01\n".utf8))
    #expect(records[0].fields == ["entry", "date"])
  }

  @Test(arguments: ["\n", "\r\n", "\r"])
  func countsLinesWithAnyLineEnd(end: String) throws {
    let text = ["h1,h2", "a,\"multi", "line\"", "", "b,c", "d,e"].joined(separator: end) + end
    let records = try read(text)
    #expect(records.map(\.line) == [1, 2, 5, 6])
    #expect(records[1].fields == ["a", "multi\(end)line"])
  }

  /// Chunk boundaries fall everywhere, inside quotes and inside CRLF pairs; nothing changes.
  @Test func readsTheSameWhateverTheChunkSize() throws {
    let text = "a,b,c\r\n\"x,\r\ny\",2,\"q\"\"q\"\r\n\r\nlast,,\r\n"
    let whole = try read(text)
    for size in 1...8 {
      let chunked = try read(text, chunkSize: size)
      #expect(chunked.map(\.line) == whole.map(\.line))
      #expect(chunked.map(\.fields) == whole.map(\.fields))
    }
    #expect(whole.map(\.line) == [1, 2, 5])
    #expect(whole[1].fields == ["x,\r\ny", "2", "q\"q"])
    #expect(whole[2].fields == ["last", "", ""])
  }

  /// Spaces and tabs anywhere (inside fields, at their edges, at chunk boundaries), quoted
  /// fields with commas, quotes and line breaks: every chunk size reads every field as written.
  /// (libcsv is told to keep spaces only in chunks where one touches a field's edge, and fields
  /// are checked for line breaks only in chunks with a quote.)
  @Test func spacesAndBreaksReadAsWrittenWhateverTheChunk() throws {
    var rng = SplitMix64(seed: 7)
    let alphabet: [Character] = ["a", "b", " ", "\t", ",", "\"", "\n", "\r"]
    for _ in 0..<300 {
      var expected: [[String]] = []
      var lines: [Int] = []
      var text = ""
      for _ in 0..<(1 + rng.next() % 5) {
        var fields: [String] = []
        for _ in 0..<(2 + rng.next() % 3) {
          fields.append(String((0..<(rng.next() % 6)).map { _ in alphabet[Int(rng.next() % 8)] }))
        }
        expected.append(fields)
        // The line it starts on: one more than the breaks before it (CRLF counts once).
        lines.append(
          1 + text.unicodeScalars.filter { $0 == "\n" }.count
            + text.replacingOccurrences(of: "\r\n", with: "\n").unicodeScalars.filter { $0 == "\r" }
            .count)
        text +=
          fields.map { field in
            // By bytes: "\r" then "\n" make one Character.
            let special = field.utf8.contains { [0x2C, 0x22, 0x0A, 0x0D].contains($0) }
            return special || rng.next() % 4 == 0
              ? "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : field
          }.joined(separator: ",") + (rng.next() % 2 == 0 ? "\n" : "\r\n")
      }
      for size in [1, 2, 3, 5, 8, 13, CSVReader.chunkSize] {
        let records = try read(text, chunkSize: size)
        #expect(records.map(\.fields) == expected, "\(text.debugDescription) in chunks of \(size)")
        #expect(records.map(\.line) == lines, "\(text.debugDescription) in chunks of \(size)")
      }
    }
  }

  @Test func reportsBrokenQuotingWithItsLine() {
    #expect(throws: CSVReadError.malformedQuoting(line: 3)) {
      try read("a,b\n1,2\n3,x\"y\n4,5\n")
    }
    #expect(throws: CSVReadError.malformedQuoting(line: 2)) {
      try read("a,b\n\"1\"x,2\n")
    }
  }

  @Test func reportsAQuoteLeftOpenAtTheEnd() {
    #expect(throws: CSVReadError.unterminatedQuote(line: 3)) {
      try read("a,b\n1,2\n3,\"open\nstill open\n")
    }
  }

  @Test func reportsAFileThatCannotBeRead() {
    #expect(throws: CSVReadError.cannotRead("No such file or directory")) {
      try CSVReader.read(path: "/nonexistent/file.csv") { _ in }
    }
  }

  /// The two-thread pipeline hands over exactly what the direct reader does.
  @Test func pipelineMatchesTheDirectReader() throws {
    var text = "entry,description\n"
    for i in 0..<10_000 {
      text += i % 7 == 0 ? "T\(i),\"two\nlines, and \"\"quotes\"\"\"\n" : "T\(i),plain \(i)\n"
    }
    let path = FileManager.default.temporaryDirectory
      .appendingPathComponent("rebill-pipeline-\(UUID().uuidString).csv").path
    try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    defer { try? FileManager.default.removeItem(atPath: path) }
    func collect(_ reader: (String, (CSVRecord) -> Void) throws(CSVReadError) -> Void) throws
      -> [String]
    {
      var out: [String] = []
      try reader(path) { record in
        out.append(
          "\(record.line):"
            + (0..<record.count).map {
              String(decoding: record.field($0), as: UTF8.self)
            }.joined(separator: "|"))
      }
      return out
    }
    let direct = try collect(CSVReader.read)
    let piped = try collect(CSVPipeline.read)
    #expect(direct.count == 10_001)
    #expect(piped == direct)
  }

  @Test func pipelineReportsErrorsLikeTheDirectReader() throws {
    let path = FileManager.default.temporaryDirectory
      .appendingPathComponent("rebill-pipeline-\(UUID().uuidString).csv").path
    var text = "a,b\n"
    for i in 0..<9_000 { text += "\(i),x\n" }
    text += "bad,x\"y\n"
    try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    defer { try? FileManager.default.removeItem(atPath: path) }
    var seen = 0
    #expect(throws: CSVReadError.malformedQuoting(line: 9_002)) {
      try CSVPipeline.read(path: path) { _ in seen += 1 }
    }
    #expect(seen == 9_001)
  }

  /// The eight-at-a-time tests of ids and of free text agree with the byte-by-byte rules for
  /// every byte value at every place of a word and of the tail.
  @Test func printableASCIIMatchesTheByteRule() {
    for length in [1, 7, 8, 9, 16, 17] {
      for at in 0..<length {
        for value in 0...255 {
          var bytes = [UInt8](repeating: UInt8(ascii: "a"), count: length)
          bytes[at] = UInt8(value)
          let expected = value >= 0x20 && value < 0x7F
          bytes.withUnsafeBufferPointer { b in
            #expect(isPrintableASCII(b) == expected, "byte \(value) at \(at) of \(length)")
            // Free text's quick test: ASCII with no NUL.
            #expect(
              isASCIIWithoutNUL(b) == (value >= 0x01 && value < 0x80),
              "byte \(value) at \(at) of \(length)")
          }
        }
      }
    }
  }
}
