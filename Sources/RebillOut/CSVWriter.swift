import Foundation

/// Writes RFC 4180 CSV: UTF-8, LF line ends, a field quoted only when it holds a comma, a
/// quote or a line break (quotes doubled), so that the output reads back exactly.
enum CSVWriter {
  /// One field, quoted only when it must be.
  static func append(_ field: String, to text: inout String) {
    if field.utf8.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) {
      text += "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    } else {
      text += field
    }
  }

  /// One record, with its line end.
  static func line(_ fields: [String]) -> String {
    var text = ""
    var first = true
    for field in fields {
      if !first { text += "," }
      first = false
      append(field, to: &text)
    }
    text += "\n"
    return text
  }
}
