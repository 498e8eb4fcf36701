import RebillModel

/// Collects every problem of a pass, so that one run reports all of them.
final class DiagnosticLog {
  private(set) var diagnostics: [Diagnostic] = []
  private(set) var errorCount = 0

  func error(_ at: SourceLocation, field: String = "", _ message: String) {
    diagnostics.append(.error(at, field: field, message))
    errorCount += 1
  }

  func warning(_ at: SourceLocation, field: String = "", _ message: String) {
    diagnostics.append(.warning(at, field: field, message))
  }

  /// Another log's diagnostics after these (a folder read on another thread).
  func append(_ more: [Diagnostic]) {
    diagnostics += more
    errorCount += more.count { $0.severity == .error }
  }
}

/// How a found value is shown in a message: quoted, at most 40 characters, bytes that are not
/// printable UTF-8 escaped, so that one message stays one readable line.
func shown(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
  let limit = 40
  var out = "\""
  var count = 0
  if let text = String(validating: bytes, as: UTF8.self) {
    for scalar in text.unicodeScalars {
      if count == limit {
        out += "…"
        break
      }
      switch scalar {
      case "\"": out += "\\\""
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      default:
        if scalar.value < 0x20 || scalar.value == 0x7F {
          out += "\\x" + hex(UInt8(scalar.value))
        } else {
          out.unicodeScalars.append(scalar)
        }
      }
      count += 1
    }
  } else {
    for byte in bytes.prefix(limit) {
      out += byte >= 0x20 && byte < 0x7F ? String(UnicodeScalar(byte)) : "\\x" + hex(byte)
    }
    if bytes.count > limit { out += "…" }
  }
  return out + "\""
}

func shown(_ text: String) -> String {
  var text = text
  return text.withUTF8 { shown($0) }
}

private func hex(_ byte: UInt8) -> String {
  let digits = Array("0123456789ABCDEF")
  return String(digits[Int(byte >> 4)]) + String(digits[Int(byte & 0xF)])
}
