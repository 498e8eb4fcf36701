/// Where something was read: `inbox/timesheets/oct.csv:12` or, for YAML, with a column.
public struct SourceLocation: Hashable, Comparable, Sendable, CustomStringConvertible {
  /// The INBOX argument joined with the file's path in it.
  public let file: String
  /// 1-based; 0 when the problem is with the file as a whole.
  public let line: Int
  /// 1-based; nil where the format has no useful column (CSV).
  public let column: Int?

  public init(file: String, line: Int, column: Int? = nil) {
    self.file = file
    self.line = line
    self.column = column
  }

  public var description: String {
    var text = file
    if line > 0 { text += ":\(line)" }
    if let column { text += ":\(column)" }
    return text
  }

  public static func < (a: Self, b: Self) -> Bool {
    (a.file, a.line, a.column ?? 0) < (b.file, b.line, b.column ?? 0)
  }
}

/// Where a record was read, compactly (records are many; a file name each would cost a
/// reference count on every copy): the file as an index into `Inbox.files`.
public struct RecordOrigin: Hashable, Comparable, Sendable {
  public let file: Int32
  public let line: Int32
  /// 0: none (CSV).
  public let column: Int32

  public init(file: Int32, line: Int32, column: Int32 = 0) {
    self.file = file
    self.line = line
    self.column = column
  }

  /// For records made in code rather than read (tests, documents a run creates).
  public static let none = RecordOrigin(file: -1, line: 0)

  public static func < (a: Self, b: Self) -> Bool {
    (a.file, a.line, a.column) < (b.file, b.line, b.column)
  }
}

/// One problem found in the inbox, printed as one line in the compiler convention:
/// `FILE:LINE[:COLUMN]: FIELD: what was expected, what was found`.
public struct Diagnostic: Hashable, Sendable, CustomStringConvertible {
  public enum Severity: String, Sendable { case error, warning }

  public let severity: Severity
  public let location: SourceLocation
  /// The column or key the problem is in; empty for a problem with a whole record or file.
  public let field: String
  public let message: String

  public init(_ severity: Severity, _ location: SourceLocation, field: String, _ message: String) {
    self.severity = severity
    self.location = location
    self.field = field
    self.message = message
  }

  public static func error(_ at: SourceLocation, field: String = "", _ message: String) -> Self {
    Diagnostic(.error, at, field: field, message)
  }

  public static func warning(_ at: SourceLocation, field: String = "", _ message: String) -> Self {
    Diagnostic(.warning, at, field: field, message)
  }

  public var description: String {
    let tag = severity == .warning ? "warning: " : ""
    return field.isEmpty
      ? "\(location): \(tag)\(message)" : "\(location): \(tag)\(field): \(message)"
  }
}
