/// Ids made of others, built with one allocation and a copy of bytes (millions per run: an
/// interpolation costs several times as much).
public enum IDText {
  /// `first` `separator` `second`: `T1@C1`.
  public static func join(_ first: String, _ separator: UInt8, _ second: String) -> String {
    String(unsafeUninitializedCapacity: first.utf8.count + 1 + second.utf8.count) { buffer in
      var at = copy(first, into: buffer, at: 0)
      buffer[at] = separator
      at = copy(second, into: buffer, at: at + 1)
      return at
    }
  }

  /// `first` `separator` `second` `mark` `number` (number ≥ 0): `INV-1/2#1`.
  public static func join(
    _ first: String, _ separator: UInt8, _ second: String, _ mark: UInt8, _ number: Int
  ) -> String {
    precondition(number >= 0)
    var digits = 1
    var rest = number / 10
    while rest > 0 {
      digits += 1
      rest /= 10
    }
    let count = first.utf8.count + 1 + second.utf8.count + 1 + digits
    return String(unsafeUninitializedCapacity: count) { buffer in
      var at = copy(first, into: buffer, at: 0)
      buffer[at] = separator
      at = copy(second, into: buffer, at: at + 1)
      buffer[at] = mark
      var value = number
      for i in stride(from: at + digits, to: at, by: -1) {
        buffer[i] = UInt8(ascii: "0") + UInt8(value % 10)
        value /= 10
      }
      return at + 1 + digits
    }
  }

  private static func copy(
    _ text: String, into buffer: UnsafeMutableBufferPointer<UInt8>, at start: Int
  ) -> Int {
    let copied = text.utf8.withContiguousStorageIfAvailable { utf8 in
      UnsafeMutableRawPointer(buffer.baseAddress! + start).copyMemory(
        from: utf8.baseAddress!, byteCount: utf8.count)
      return start + utf8.count
    }
    if let copied { return copied }
    var at = start
    for byte in text.utf8 {
      buffer[at] = byte
      at += 1
    }
    return at
  }
}
