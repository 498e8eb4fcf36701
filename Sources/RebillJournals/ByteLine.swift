/// A line of output built as bytes, reused line after line: text copied from strings in place,
/// numbers written digit by digit, with no `String` per field (millions of lines per run).
public struct ByteLine {
  /// Public (and the methods inlinable) so that other modules build lines at full speed.
  public var bytes: [UInt8] = []

  @inlinable public init() { bytes.reserveCapacity(256) }

  @inlinable public var isEmpty: Bool { bytes.isEmpty }

  @inlinable public mutating func reset() { bytes.removeAll(keepingCapacity: true) }

  @inlinable public mutating func append(_ byte: UInt8) { bytes.append(byte) }

  @inlinable public mutating func append(_ text: String) {
    if text.utf8.withContiguousStorageIfAvailable({ bytes.append(contentsOf: $0) }) == nil {
      bytes.append(contentsOf: text.utf8)
    }
  }

  @inlinable public mutating func append(_ other: ByteLine) {
    bytes.append(contentsOf: other.bytes)
  }

  /// A CSV field: quoted (quotes inside doubled) only when it holds the delimiter, a quote or
  /// a line break. The common case, nothing to quote, is one scan and one copy.
  @inlinable public mutating func append(csvField text: String, delimiter: UInt8 = 0x2C) {
    let done: Void? = text.utf8.withContiguousStorageIfAvailable { utf8 in
      for byte in utf8 where byte == delimiter || byte == 0x22 || byte == 0x0A || byte == 0x0D {
        append(field: utf8, { _ in false }, true)
        return
      }
      bytes.append(contentsOf: utf8)
    }
    if done == nil {
      append(text, quotedIf: { $0 == delimiter || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D })
    }
  }

  /// `text` between double quotes (quotes inside doubled) when `always` or when one of its
  /// bytes `needsQuotes`; as it is otherwise.
  @inlinable public mutating func append(
    _ text: String, quotedIf needsQuotes: (UInt8) -> Bool, always: Bool = false
  ) {
    if let done = text.utf8.withContiguousStorageIfAvailable({
      append(field: $0, needsQuotes, always)
    }) {
      return done
    }
    append(field: Array(text.utf8), needsQuotes, always)
  }

  /// The bytes of `other`, quoted as `append(_:quotedIf:always:)` does.
  @inlinable public mutating func append(
    _ other: ByteLine, quotedIf needsQuotes: (UInt8) -> Bool, always: Bool = false
  ) {
    append(field: other.bytes, needsQuotes, always)
  }

  @inlinable mutating func append(
    field utf8: some Collection<UInt8>, _ needsQuotes: (UInt8) -> Bool, _ always: Bool
  ) {
    guard always || utf8.contains(where: needsQuotes) else {
      bytes.append(contentsOf: utf8)
      return
    }
    bytes.append(0x22)
    for byte in utf8 {
      if byte == 0x22 { bytes.append(0x22) }
      bytes.append(byte)
    }
    bytes.append(0x22)
  }

  /// `units × 10^-scale`, trailing zeros of the fraction dropped down to `keep` decimals
  /// (`keep == scale`: exactly `scale` decimals), `point` between whole and fraction.
  @inlinable public mutating func appendDecimal(
    _ units: Int64, scale: Int, keep: Int, point: UInt8 = UInt8(ascii: ".")
  ) {
    if units < 0 { bytes.append(UInt8(ascii: "-")) }
    var magnitude = units.magnitude
    var decimals = scale
    while decimals > keep && magnitude % 10 == 0 {
      magnitude /= 10
      decimals -= 1
    }
    // Digits backwards into a buffer on the stack, then copied in order.
    withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 40) { digits in
      var count = 0
      repeat {
        digits[count] = UInt8(ascii: "0") + UInt8(magnitude % 10)
        magnitude /= 10
        count += 1
      } while magnitude > 0 || count <= decimals
      for i in stride(from: count - 1, through: 0, by: -1) {
        bytes.append(digits[i])
        if i == decimals && decimals > 0 { bytes.append(point) }
      }
    }
  }

  @inlinable public mutating func appendInteger(_ value: Int) {
    appendDecimal(Int64(value), scale: 0, keep: 0)
  }

  @inlinable public func write(to sink: inout some ByteSink) {
    bytes.withUnsafeBytes { sink.write(bytes: $0) }
  }
}
