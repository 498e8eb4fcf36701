import RebillModel

/// Reads the files of one kind, CSV or YAML, into records through the kind's decoder.
struct KindReader<K: RecordKind> {
  let log: DiagnosticLog
  /// Where rows read are counted, 4,096 at a time (nil: not counted).
  var progress: ReadProgress? = nil

  private static var columnCount: Int { K.Column.allCases.count }

  // MARK: CSV

  /// Where CSV comes from: a file (streamed, on two threads when large) or bytes in memory.
  enum Source {
    case path(String)
    case bytes([UInt8])
  }

  /// `roomAfter`: the bytes of CSV whose records will be appended to `records` after this
  /// file's, room for which is reserved with this file's.
  func readCSV(
    _ source: Source, display: String, file: Int32, roomAfter: Int = 0,
    into records: inout [K.Record]
  ) {
    let spans = UnsafeMutableBufferPointer<(start: Int, end: Int)>.allocate(
      capacity: Self.columnCount)
    defer { spans.deallocate() }
    var fieldColumn: [Int] = []  // by field index: column raw value, or −1 to ignore
    var usable = true
    var isHeader = true
    let log = self.log
    // Records are reserved for the whole file once its first rows tell their average size,
    // so that a large file does not grow the array by copying it again and again.
    let fileSize: Int
    switch source {
    case .path(let file): fileSize = fileByteCount(file)
    case .bytes(let bytes): fileSize = bytes.count
    }
    func read(_ consumer: (CSVRecord) -> Void) throws(CSVReadError) {
      switch source {
      case .path(let file) where fileSize >= CSVPipeline.threshold:
        try CSVPipeline.read(path: file, consumer)
      case .path(let file): try CSVReader.read(path: file, consumer)
      case .bytes(let bytes): try CSVReader.read(bytes: bytes, consumer)
      }
    }
    var sampled = 0
    var sampledBytes = 0
    var counted = 0
    defer { progress?.add(counted) }
    // One reader for the file, moved on from record to record.
    var reader = FieldReader<K.Column>(
      FieldRow(
        buffer: UnsafeBufferPointer(start: nil, count: 0), spans: UnsafeBufferPointer(spans),
        file: display, origin: RecordOrigin(file: file, line: 0), valueOrigins: []),
      log: log)
    do {
      try read { record in
        if sampled < 1024 {
          sampled += 1
          sampledBytes += record.bytes.count + record.count
          if sampled == 1024 {
            // The later files' rows may be shorter than this one's: room for twice as many
            // as their bytes suggest (pages never written cost no memory).
            records.reserveCapacity(
              records.count + (fileSize + 2 * roomAfter) / max(1, sampledBytes / 1024) + 16)
          }
        }
        if isHeader {
          isHeader = false
          (fieldColumn, usable) = Self.mapHeader(record, display: display, log: log)
          // Columns the header lacks stay absent; every other is set again at each record.
          spans.update(repeating: (-1, -1))
          return
        }
        guard usable else { return }
        if let length = record.oversized {
          log.error(
            SourceLocation(file: display, line: record.line),
            "expected fields of at most \(CSVReader.fieldLimit) bytes, found one of \(length)")
          return
        }
        guard record.count == fieldColumn.count else {
          log.error(
            SourceLocation(file: display, line: record.line),
            "expected \(fieldColumn.count) fields as in the header, found \(record.count)")
          return
        }
        var start = 0
        for i in 0..<record.count {
          let end = record.ends[i]
          let column = fieldColumn[i]
          if column >= 0 { spans[column] = (start, end) }
          start = end
        }
        reader.next(
          record.bytes, at: RecordOrigin(file: file, line: Int32(truncatingIfNeeded: record.line)))
        if let decoded = K.decode(&reader) { records.append(decoded) }
        if let progress {
          counted += 1
          if counted == 4096 {
            progress.add(counted)
            counted = 0
          }
        }
      }
      if isHeader {
        log.error(
          SourceLocation(file: display, line: 0), "expected a header row, found an empty file")
      }
    } catch {
      let at = { (line: Int) in SourceLocation(file: display, line: line) }
      switch error {
      case .cannotRead(let why): log.error(at(0), "cannot read the file: \(why)")
      case .malformedQuoting(let line):
        log.error(
          at(line),
          "expected RFC 4180 CSV, found a quote inside an unquoted field or text after a closing quote"
        )
      case .unterminatedQuote(let line):
        log.error(at(line), "expected a closing quote, found the end of the file")
      case .outOfMemory: log.error(at(0), "out of memory reading the file")
      }
    }
  }

  /// Maps header names to columns: unknown ones are warned about and ignored, repeated or
  /// missing required ones are errors that make the file unusable.
  private static func mapHeader(_ header: CSVRecord, display: String, log: DiagnosticLog)
    -> ([Int], Bool)
  {
    let at = SourceLocation(file: display, line: header.line)
    var columns: [Int] = []
    var seen = Set<Int>()
    var usable = true
    for i in 0..<header.count {
      let name = String(decoding: header.field(i), as: UTF8.self)
      guard let column = K.Column.named(name) else {
        log.warning(at, field: name, "unknown column, ignored")
        columns.append(-1)
        continue
      }
      if !seen.insert(column.rawValue).inserted {
        log.error(at, field: name, "expected each column once, found it again")
        usable = false
      }
      columns.append(column.rawValue)
    }
    for column in K.Column.required where !seen.contains(column.rawValue) {
      log.error(at, field: column.name, "expected a required column, found none")
      usable = false
    }
    return (columns, usable)
  }

  // MARK: YAML

  func readYAML(
    path: String, data given: [UInt8]? = nil, display: String, file: Int32,
    into records: inout [K.Record]
  ) {
    let at = { (mark: YAMLNode.Mark?) in mark.location(in: display) }
    let root = YAMLReader.load(path: path, data: given, display: display, log: log)
    guard let root else { return }
    guard case .sequence(let items, _) = root else {
      if case .scalar(_, _, true) = root { return }
      log.error(at(root.mark), "expected a list of records, found \(root.kindName)")
      return
    }
    var warned = Set<String>()
    for item in items {
      guard case .mapping(let pairs, let mark) = item else {
        log.error(at(item.mark), "expected a record (a mapping), found \(item.kindName)")
        continue
      }
      var outer = pairs
      var lines: [YAMLNode] = []
      if K.hasLines, let index = pairs.firstIndex(where: { $0.key == "lines" }) {
        outer.remove(at: index)
        guard case .sequence(let nested, _) = pairs[index].value else {
          log.error(
            at(pairs[index].value.mark), field: "lines",
            "expected a list of lines, found \(pairs[index].value.kindName)")
          continue
        }
        lines = nested
      }
      if lines.isEmpty {
        decodeYAML(
          outer, inner: [], mark: mark, display: display, file: file, warned: &warned,
          into: &records)
      }
      for line in lines {
        guard case .mapping(let inner, let lineMark) = line else {
          log.error(
            at(line.mark), field: "lines", "expected a line (a mapping), found \(line.kindName)")
          continue
        }
        decodeYAML(
          outer, inner: inner, mark: lineMark, display: display, file: file, warned: &warned,
          into: &records)
      }
    }
  }

  private func decodeYAML(
    _ outer: [(key: String, keyMark: YAMLNode.Mark, value: YAMLNode)],
    inner: [(key: String, keyMark: YAMLNode.Mark, value: YAMLNode)], mark: YAMLNode.Mark,
    display: String, file: Int32, warned: inout Set<String>, into records: inout [K.Record]
  ) {
    let at = { (mark: YAMLNode.Mark) in
      SourceLocation(file: display, line: mark.line, column: mark.column)
    }
    let origin = { (mark: YAMLNode.Mark) in
      RecordOrigin(
        file: file, line: Int32(clamping: mark.line), column: Int32(clamping: mark.column))
    }
    var buffer: [UInt8] = []
    var spans = [(start: Int, end: Int)](repeating: (-1, -1), count: Self.columnCount)
    var origins = [RecordOrigin](repeating: origin(mark), count: Self.columnCount)
    var usable = true
    let pairs = outer.map { ($0, false) } + inner.map { ($0, true) }
    for ((key, keyMark, value), onLine) in pairs {
      guard let column = K.Column.named(key) else {
        if warned.insert(key).inserted {
          log.warning(at(keyMark), field: key, "unknown key, ignored")
        }
        continue
      }
      guard case .scalar(let text, let valueMark, let isNull) = value else {
        log.error(at(value.mark), field: key, "expected a single value, found \(value.kindName)")
        usable = false
        continue
      }
      if spans[column.rawValue].start >= 0 {
        if onLine && outer.contains(where: { $0.key == key }) {
          log.error(
            at(keyMark), field: key, "expected a key on the record or on its line, found it on both"
          )
          usable = false
        }
        continue
      }
      if isNull { continue }
      let start = buffer.count
      buffer.append(contentsOf: text.utf8)
      spans[column.rawValue] = (start, buffer.count)
      origins[column.rawValue] = origin(valueMark)
    }
    guard usable else { return }
    buffer.withUnsafeBufferPointer { b in
      spans.withUnsafeBufferPointer { s in
        let row = FieldRow(
          buffer: b, spans: s, file: display, origin: origin(mark), valueOrigins: origins)
        var reader = FieldReader<K.Column>(row, log: log)
        if let decoded = K.decode(&reader) { records.append(decoded) }
      }
    }
  }
}
