import RebillModel

/// The columns of one inbox kind, as an `Int`-backed enum whose raw values index a row's
/// fields; the column's name in files is the case name in snake_case (`unitPrice` →
/// `unit_price`).
protocol ColumnSet: CaseIterable, RawRepresentable, Hashable, Sendable
where RawValue == Int, AllCases == [Self] {
  /// Columns every file of the kind must have.
  static var required: [Self] { get }
}

extension ColumnSet {
  var name: String { snakeCase(String(describing: self)) }

  static func named(_ name: String) -> Self? { allCases.first { $0.name == name } }
}

func snakeCase(_ camel: String) -> String {
  var out = ""
  for c in camel {
    if c.isUppercase {
      out += "_" + c.lowercased()
    } else {
      out.append(c)
    }
  }
  return out
}

/// A record's fields by column, whatever file format it came from: slices of one byte buffer
/// plus where each came from. Valid only while the reader that made it is in its callback.
struct FieldRow {
  /// The record's bytes (a CSV reader moves one row on to the next record: `buffer`, `origin`).
  var buffer: UnsafeBufferPointer<UInt8>
  /// Start and end of each column's value in `buffer`, by column raw value; start −1: absent.
  let spans: UnsafeBufferPointer<(start: Int, end: Int)>
  /// The file, as shown in messages.
  let file: String
  /// Where the record starts.
  var origin: RecordOrigin
  /// YAML: where each column's value starts, by column raw value; empty for CSV.
  let valueOrigins: [RecordOrigin]

  /// The column's bytes, or nil when it is absent or empty.
  @inline(__always)
  func bytes(_ column: Int) -> UnsafeBufferPointer<UInt8>? {
    let span = spans[column]
    if span.start < 0 || span.end == span.start { return nil }
    return UnsafeBufferPointer(rebasing: buffer[span.start..<span.end])
  }

  var location: SourceLocation { location(origin) }

  func location(of column: Int) -> SourceLocation {
    location(valueOrigins.isEmpty ? origin : valueOrigins[column])
  }

  private func location(_ o: RecordOrigin) -> SourceLocation {
    SourceLocation(file: file, line: Int(o.line), column: o.column > 0 ? Int(o.column) : nil)
  }
}
