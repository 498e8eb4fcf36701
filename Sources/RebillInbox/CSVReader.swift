internal import CCSV
import RebillModel

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
  /// The length of a field longer than `CSVReader.fieldLimit`, whose bytes were dropped.
  var oversized: Int? = nil

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

/// Streams CSV through libcsv in fixed-size chunks, so memory stays flat however large the
/// file is: strict RFC 4180 (`CSV_STRICT | CSV_STRICT_FINI`), a leading UTF-8 BOM skipped, LF,
/// CRLF or CR line ends, quoted newlines, spaces kept as part of fields (libcsv trims them
/// unless told not to), blank lines skipped. libcsv reports no positions, so lines are counted
/// here: every record is handed over with the line it starts on.
enum CSVReader {
  static let chunkSize = 1 << 16
  /// A consumer is handed the records as they come, this many at a time (the records of a
  /// chunk, or so): in buffers that libcsv's callbacks fill in place, and that stay in the
  /// processor's cache.
  static let handOnAt = 256
  /// No field of an inbox needs more; a longer one is reported, not kept.
  static let fieldLimit = 1 << 20

  /// Reads the file at `path`, calling `consumer` once per record (the header included).
  static func read(path: String, _ consumer: (CSVRecord) -> Void) throws(CSVReadError) {
    try read(path: path, blocksOf: handOnAt) { handOn(&$0, to: consumer) }
  }

  /// Each record to `consumer`, then none kept.
  private static func handOn(_ records: inout CSVRecords, to consumer: (CSVRecord) -> Void) {
    records.forEachRecord(consumer)
    records.removeAll()
  }

  /// Reads the file at `path`, handing `emit` the records assembled each time they are
  /// `blocksOf` (the last ones at the end, and those read before an error is thrown): `emit`
  /// may keep the buffers and leave others, empty, in their place (`CSVPipeline` hands them to
  /// another thread), or empty them. The buffers left at the end are freed here.
  static func read(
    path: String, blocksOf limit: Int, _ emit: (inout CSVRecords) -> Void
  ) throws(CSVReadError) {
    let fd = open(path, O_RDONLY)
    if fd < 0 { throw .cannotRead(String(cString: strerror(errno))) }
    defer { close(fd) }
    try read(limit: limit, emit) {
      (buffer: UnsafeMutableBufferPointer<UInt8>) throws(CSVReadError) -> Int in
      let n = Glibc.read(fd, buffer.baseAddress, buffer.count)
      if n < 0 { throw .cannotRead(String(cString: strerror(errno))) }
      return n
    }
  }

  /// Reads CSV held in memory, fed in chunks of `chunkSize` bytes (tests use small ones to
  /// split records across chunks).
  static func read(
    bytes data: [UInt8], chunkSize: Int = CSVReader.chunkSize, _ consumer: (CSVRecord) -> Void
  ) throws(CSVReadError) {
    var offset = 0
    let fill = { (buffer: UnsafeMutableBufferPointer<UInt8>) throws(CSVReadError) -> Int in
      let n = min(buffer.count, data.count - offset)
      for i in 0..<n { buffer[i] = data[offset + i] }
      offset += n
      return n
    }
    try read(limit: handOnAt, { handOn(&$0, to: consumer) }, chunkSize: chunkSize, fill: fill)
  }

  private static func read(
    limit: Int, _ emit: (inout CSVRecords) -> Void, chunkSize: Int = CSVReader.chunkSize,
    fill: (UnsafeMutableBufferPointer<UInt8>) throws(CSVReadError) -> Int
  ) throws(CSVReadError) {
    var parser = csv_parser()
    guard csv_init(&parser, UInt8(CSV_STRICT | CSV_STRICT_FINI | CSV_REPALL_NL)) == 0 else {
      throw .outOfMemory
    }
    defer { csv_free(&parser) }

    let chunk = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: chunkSize)
    defer { chunk.deallocate() }
    try withoutActuallyEscaping(emit) { (emit) throws(CSVReadError) in
      let state = UnsafeMutablePointer<RecordAssembly>.allocate(capacity: 1)
      state.initialize(
        to: RecordAssembly(records: CSVRecords(room: limit), limit: limit, emit: emit))
      defer {
        state.pointee.records.deallocate()
        state.deinitialize(count: 1)
        state.deallocate()
      }
      // The records complete before an error are handed on before it is thrown.
      defer { state.pointee.emitRest() }
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
        // libcsv trims spaces and tabs at a field's edges unless told that nothing is a space,
        // which costs a call per byte: told so only for the chunks where one touches an edge.
        csv_set_space_func(&parser, spaceAtAnEdge(base, length) ? keepSpaces : nil)
        // A field holds a line break only when it is quoted: fields are checked for them only
        // in chunks that have a quote, or that begin inside a quoted field.
        state.pointee.mayHoldBreaks = parser.quoted != 0 || memchr(base, 0x22, length) != nil
        let parsed = csv_parse(&parser, base, length, onField, onRecordEnd, state)
        if parsed != length {
          if csv_error(&parser) == CSV_EPARSE {
            throw .malformedQuoting(line: linesBeforeChunk + countLineFeeds(base, parsed))
          }
          throw .outOfMemory
        }
        linesBeforeChunk += countLineFeeds(base, length)
      }
      csv_set_space_func(&parser, keepSpaces)
      if csv_fini(&parser, onField, onRecordEnd, state) != 0 {
        throw .unterminatedQuote(line: state.pointee.line)
      }
    }
  }
}

/// Records read, in buffers of their own: every record's bytes one after the other, every
/// field's end (from its record's first byte), and each record's bounds and line. libcsv's
/// callbacks assemble records into them where they are, and a file read on two threads hands
/// them on whole (`CSVPipeline`): no record is copied again. Raw buffers grown by hand: the
/// per-field path has no array or exclusivity checks.
struct CSVRecords {
  /// Where a record's bytes and field ends end (each starts where the record before ends),
  /// its line, and the length of a field too long to keep (0: none).
  struct Bounds {
    var byteEnd: Int
    var fieldEnd: Int
    var line: Int
    var oversized: Int
  }

  private var bytes: UnsafeMutablePointer<UInt8>
  private var byteCapacity: Int
  private var byteCount = 0
  private var ends: UnsafeMutablePointer<Int>
  private var endCapacity: Int
  private var endCount = 0
  private var bounds: UnsafeMutablePointer<Bounds>
  private var boundsCapacity: Int
  /// How many records it holds.
  private(set) var count = 0
  /// Where the record being assembled starts: where the last one ends.
  private var openByte = 0
  private var openField = 0

  /// Room for `records` records of a few dozen bytes and fields each (more grows it).
  init(room records: Int) {
    (byteCapacity, endCapacity, boundsCapacity) = (records * 64, records * 16, records)
    bytes = .allocate(capacity: byteCapacity)
    ends = .allocate(capacity: endCapacity)
    bounds = .allocate(capacity: boundsCapacity)
  }

  func deallocate() {
    bytes.deallocate()
    ends.deallocate()
    bounds.deallocate()
  }

  /// Holds no record, its buffers kept.
  mutating func removeAll() { (byteCount, endCount, count, openByte, openField) = (0, 0, 0, 0, 0) }

  /// Whether the record being assembled has a field yet.
  var isOpen: Bool { endCount != openField }

  /// A field's bytes, then its end. Wrapping arithmetic: counts within buffers that exist.
  @inline(__always) mutating func append(_ field: UnsafePointer<UInt8>, _ length: Int) {
    if _slowPath(byteCount &+ length > byteCapacity) { growBytes(byteCount &+ length) }
    copyBytes(field, to: bytes + byteCount, count: length)
    byteCount &+= length
    endField()
  }

  /// A field ends where the bytes end now (an empty one, or one too long to keep, has none).
  @inline(__always) mutating func endField() {
    if _slowPath(endCount == endCapacity) { growEnds() }
    ends[endCount] = byteCount &- openByte
    endCount &+= 1
  }

  private mutating func growBytes(_ minimum: Int) {
    var capacity = byteCapacity * 2
    while capacity < minimum { capacity *= 2 }
    bytes = grown(bytes, count: byteCount, to: capacity)
    byteCapacity = capacity
  }

  private mutating func growEnds() {
    ends = grown(ends, count: endCount, to: endCapacity * 2)
    endCapacity *= 2
  }

  /// The fields since the last record are a record, starting on `line`.
  mutating func endRecord(line: Int, oversized: Int) {
    if count == boundsCapacity {
      bounds = grown(bounds, count: count, to: boundsCapacity * 2)
      boundsCapacity *= 2
    }
    bounds[count] = Bounds(byteEnd: byteCount, fieldEnd: endCount, line: line, oversized: oversized)
    count += 1
    (openByte, openField) = (byteCount, endCount)
  }

  /// Each record in turn, valid only during the call.
  func forEachRecord(_ body: (CSVRecord) -> Void) {
    var (byteStart, fieldStart) = (0, 0)
    for r in 0..<count {
      let b = bounds[r]
      body(
        CSVRecord(
          bytes: UnsafeBufferPointer(start: bytes + byteStart, count: b.byteEnd - byteStart),
          ends: UnsafeBufferPointer(start: ends + fieldStart, count: b.fieldEnd - fieldStart),
          line: b.line, oversized: b.oversized == 0 ? nil : b.oversized))
      (byteStart, fieldStart) = (b.byteEnd, b.fieldEnd)
    }
  }

  @inline(never) private func grown<T>(
    _ old: UnsafeMutablePointer<T>, count: Int, to capacity: Int
  )
    -> UnsafeMutablePointer<T>
  {
    let new = UnsafeMutablePointer<T>.allocate(capacity: capacity)
    new.moveInitialize(from: old, count: count)
    old.deallocate()
    return new
  }
}

/// The record being put together from libcsv's callbacks, into `records` where it will stay,
/// reached through a pointer, so that the per-field path has no closure or exclusivity checks.
private struct RecordAssembly {
  var records: CSVRecords
  /// Line where the current record starts.
  var line = 1
  /// Line breaks inside the current record's quoted fields.
  var breaksInRecord = 0
  var lastTerminator: Int32 = 0
  var oversized = 0
  /// Whether the fields of the chunk being parsed may hold line breaks (it has a quote, or
  /// begins inside a quoted field).
  var mayHoldBreaks = true
  /// Records are handed to `emit` each time there are `limit`.
  let limit: Int
  let emit: (inout CSVRecords) -> Void

  init(records: CSVRecords, limit: Int, emit: @escaping (inout CSVRecords) -> Void) {
    (self.records, self.limit, self.emit) = (records, limit, emit)
  }

  mutating func appendField(_ field: UnsafeRawPointer?, _ length: Int) {
    if _slowPath(length > CSVReader.fieldLimit) {
      oversized = max(oversized, length)
      records.endField()
    } else if length > 0, let field {
      let p = field.assumingMemoryBound(to: UInt8.self)
      records.append(p, length)
      if mayHoldBreaks && containsLineBreak(p, length) {
        breaksInRecord += countBreaks(p, length)
      }
    } else {
      records.endField()
    }
  }

  mutating func endRecord(_ terminator: Int32) {
    defer { lastTerminator = terminator }
    if !records.isOpen {
      // A blank line, or the LF of a CRLF whose CR already ended the record.
      if !(terminator == 0x0A && lastTerminator == 0x0D) && terminator >= 0 { line += 1 }
      return
    }
    records.endRecord(line: line, oversized: oversized)
    oversized = 0
    line += 1 + breaksInRecord
    breaksInRecord = 0
    if records.count >= limit { emitRest() }
  }

  /// Hands on the records complete so far, if any.
  mutating func emitRest() {
    if records.count > 0 { emit(&records) }
  }
}

/// libcsv's test for a space: nothing is one, so that every space is kept as part of its field.
private func keepSpaces(_: UInt8) -> Int32 { 0 }

/// Whether a space or a tab touches a field's edge in these bytes: next to a comma, a quote or
/// a line end, or at either end of them (a field may go on in the next chunk). Spaces inside a
/// field (titles, names) do not: libcsv trims only those at the edges.
private func spaceAtAnEdge(_ p: UnsafePointer<UInt8>, _ n: Int) -> Bool {
  guard n > 0 else { return false }
  func isBlank(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 }
  func isEdge(_ byte: UInt8) -> Bool {
    byte == 0x2C || byte == 0x22 || byte == 0x0A || byte == 0x0D
  }
  if isBlank(p[0]) || isBlank(p[n - 1]) { return true }
  for blank in [Int32(0x20), 0x09] {
    var cursor = UnsafeRawPointer(p)
    let end = cursor + n
    while cursor < end, let hit = memchr(cursor, blank, end - cursor) {
      let at = UnsafeRawPointer(hit).assumingMemoryBound(to: UInt8.self) - p
      // Not at either end (checked above): both neighbours are in the bytes.
      if isEdge(p[at - 1]) || isEdge(p[at + 1]) { return true }
      cursor = UnsafeRawPointer(hit) + 1
    }
  }
  return false
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

/// Whether any byte is LF or CR: eight bytes at a time, since fields are short and a call to
/// `memchr` per field costs more than the scan.
@inline(__always)
private func containsLineBreak(_ p: UnsafePointer<UInt8>, _ n: Int) -> Bool {
  let ones: UInt64 = 0x0101_0101_0101_0101
  let highs: UInt64 = 0x8080_8080_8080_8080
  var i = 0
  while i + 8 <= n {
    let word = UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self)
    let lf = word ^ (ones &* 0x0A)
    let cr = word ^ (ones &* 0x0D)
    if ((lf &- ones) & ~lf & highs) | ((cr &- ones) & ~cr & highs) != 0 { return true }
    i += 8
  }
  while i < n {
    if p[i] == 0x0A || p[i] == 0x0D { return true }
    i += 1
  }
  return false
}

/// Line breaks in a field: LF, CRLF and a lone CR each count once.
private func countBreaks(_ p: UnsafePointer<UInt8>, _ n: Int) -> Int {
  var count = 0
  for i in 0..<n where p[i] == 0x0A || (p[i] == 0x0D && (i + 1 == n || p[i + 1] != 0x0A)) {
    count += 1
  }
  return count
}

private func onField(
  _ field: UnsafeMutableRawPointer?, _ length: Int, _ context: UnsafeMutableRawPointer?
) {
  context!.assumingMemoryBound(to: RecordAssembly.self).pointee.appendField(field, length)
}

private func onRecordEnd(_ terminator: Int32, _ context: UnsafeMutableRawPointer?) {
  context!.assumingMemoryBound(to: RecordAssembly.self).pointee.endRecord(terminator)
}
