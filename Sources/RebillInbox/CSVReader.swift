internal import CCSV

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// One CSV record as handed to a reader's consumer: its fields are slices of one byte buffer
/// that the reader reuses, valid only during the call.
struct CSVRecord {
  let bytes: UnsafeBufferPointer<UInt8>
  /// `ends[i]` is where field `i` ends in `bytes`; field `i` starts at `ends[i - 1]` (or 0).
  let ends: UnsafeBufferPointer<Int>
  /// The physical line the record starts on, 1-based.
  let line: Int

  var count: Int { ends.count }

  func field(_ i: Int) -> UnsafeBufferPointer<UInt8> {
    let start = i == 0 ? 0 : ends[i - 1]
    return UnsafeBufferPointer(rebasing: bytes[start..<ends[i]])
  }
}

/// Why a CSV file could not be read to its end.
enum CSVReadError: Error, Equatable {
  case cannotRead(String)
  /// Strict RFC 4180 quoting broken at this physical line.
  case malformedQuoting(line: Int)
  case unterminatedQuote(line: Int)
  case outOfMemory
}

/// Streams a CSV file through libcsv in fixed-size chunks, so memory stays flat however large
/// the file is: strict RFC 4180 (`CSV_STRICT | CSV_STRICT_FINI`), a leading UTF-8 BOM skipped,
/// LF, CRLF or CR line ends, quoted newlines, spaces kept as part of fields (libcsv trims them
/// unless told not to), blank lines skipped. libcsv reports no positions, so lines are counted
/// here: every record is handed over with the line it starts on.
final class CSVReader {
  static let chunkSize = 1 << 16

  private var bytes: [UInt8] = []
  private var ends: [Int] = []
  /// Line where the current record starts.
  private var line = 1
  /// Line breaks inside the current record's quoted fields.
  private var breaksInRecord = 0
  private var lastTerminator: Int32 = 0
  private var consumer: (CSVRecord) -> Void = { _ in }

  init() {
    bytes.reserveCapacity(4096)
    ends.reserveCapacity(64)
  }

  /// Reads the file at `path`, calling `consumer` once per record (the header included).
  func read(path: String, _ consumer: @escaping (CSVRecord) -> Void) throws(CSVReadError) {
    let fd = open(path, O_RDONLY)
    if fd < 0 { throw .cannotRead(String(cString: strerror(errno))) }
    defer { close(fd) }
    try read(consumer) { (buffer: UnsafeMutableBufferPointer<UInt8>) throws(CSVReadError) -> Int in
      let n = Glibc.read(fd, buffer.baseAddress, buffer.count)
      if n < 0 { throw .cannotRead(String(cString: strerror(errno))) }
      return n
    }
  }

  /// Reads CSV text held in memory (tests, and files already loaded).
  func read(bytes data: [UInt8], _ consumer: @escaping (CSVRecord) -> Void) throws(CSVReadError) {
    var offset = 0
    try read(consumer) { (buffer: UnsafeMutableBufferPointer<UInt8>) throws(CSVReadError) -> Int in
      let n = min(buffer.count, data.count - offset)
      data.withUnsafeBufferPointer { src in
        for i in 0..<n { buffer[i] = src[offset + i] }
      }
      offset += n
      return n
    }
  }

  private func read(
    _ consumer: @escaping (CSVRecord) -> Void,
    fill: (UnsafeMutableBufferPointer<UInt8>) throws(CSVReadError) -> Int
  ) throws(CSVReadError) {
    self.consumer = consumer
    line = 1
    breaksInRecord = 0
    lastTerminator = 0
    bytes.removeAll(keepingCapacity: true)
    ends.removeAll(keepingCapacity: true)
    defer { self.consumer = { _ in } }

    var parser = csv_parser()
    guard csv_init(&parser, UInt8(CSV_STRICT | CSV_STRICT_FINI | CSV_REPALL_NL)) == 0 else {
      throw .outOfMemory
    }
    defer { csv_free(&parser) }
    csv_set_space_func(&parser) { _ in 0 }

    let chunk = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: CSVReader.chunkSize)
    defer { chunk.deallocate() }
    let context = Unmanaged.passUnretained(self).toOpaque()
    var linesBeforeChunk = 1
    var first = true
    while true {
      let n = try fill(chunk)
      if n == 0 { break }
      var start = 0
      if first {
        first = false
        if n >= 3, chunk[0] == 0xEF, chunk[1] == 0xBB, chunk[2] == 0xBF { start = 3 }
      }
      let base = chunk.baseAddress! + start
      let length = n - start
      let parsed = csv_parse(&parser, base, length, onField, onRecordEnd, context)
      if parsed != length {
        if csv_error(&parser) == CSV_EPARSE {
          let line = linesBeforeChunk + countLineFeeds(base, parsed)
          throw .malformedQuoting(line: line)
        }
        throw .outOfMemory
      }
      linesBeforeChunk += countLineFeeds(base, length)
    }
    if csv_fini(&parser, onField, onRecordEnd, context) != 0 {
      throw .unterminatedQuote(line: line)
    }
  }

  fileprivate func appendField(_ field: UnsafeRawPointer?, _ length: Int) {
    if length > 0, let field {
      let p = field.assumingMemoryBound(to: UInt8.self)
      bytes.append(contentsOf: UnsafeBufferPointer(start: p, count: length))
      if memchr(p, 0x0A, length) != nil || memchr(p, 0x0D, length) != nil {
        breaksInRecord += countBreaks(p, length)
      }
    }
    ends.append(bytes.count)
  }

  fileprivate func endRecord(_ terminator: Int32) {
    defer { lastTerminator = terminator }
    if ends.isEmpty {
      // A blank line, or the LF of a CRLF whose CR already ended the record.
      if !(terminator == 0x0A && lastTerminator == 0x0D) && terminator >= 0 { line += 1 }
      return
    }
    bytes.withUnsafeBufferPointer { b in
      ends.withUnsafeBufferPointer { e in
        consumer(CSVRecord(bytes: b, ends: e, line: line))
      }
    }
    line += 1 + breaksInRecord
    breaksInRecord = 0
    bytes.removeAll(keepingCapacity: true)
    ends.removeAll(keepingCapacity: true)
  }
}

private func countLineFeeds(_ p: UnsafePointer<UInt8>, _ n: Int) -> Int {
  var count = 0
  var cursor = UnsafeRawPointer(p)
  let end = cursor + n
  while cursor < end, let hit = memchr(cursor, 0x0A, end - cursor) {
    count += 1
    cursor = UnsafeRawPointer(hit) + 1
  }
  return count
}

/// Line breaks in a field: LF, CRLF and a lone CR each count once.
private func countBreaks(_ p: UnsafePointer<UInt8>, _ n: Int) -> Int {
  var count = 0
  for i in 0..<n {
    if p[i] == 0x0A || (p[i] == 0x0D && (i + 1 == n || p[i + 1] != 0x0A)) { count += 1 }
  }
  return count
}

private func onField(_ field: UnsafeMutableRawPointer?, _ length: Int, _ context: UnsafeMutableRawPointer?) {
  Unmanaged<CSVReader>.fromOpaque(context!).takeUnretainedValue().appendField(field, length)
}

private func onRecordEnd(_ terminator: Int32, _ context: UnsafeMutableRawPointer?) {
  Unmanaged<CSVReader>.fromOpaque(context!).takeUnretainedValue().endRecord(terminator)
}
