/// An ISO 4217 currency and the number of its minor units (EUR 2, JPY 0, KWD 3).
///
/// Four bytes: the code's three letters and the minor units, packed so that comparing two
/// currencies compares integers (every `Money` carries one: millions per run).
public struct Currency: Hashable, Comparable, Sendable, CustomStringConvertible {
  /// The code's letters in the three high bytes (first letter highest), minor units in the low.
  private let packed: UInt32

  /// The active ISO 4217 currency with this code, or nil.
  public init?(code: String) {
    guard let units = Currency.minorUnitsByCode[code] else { return nil }
    var packed: UInt32 = 0
    for byte in code.utf8 { packed = packed << 8 | UInt32(byte) }
    self.packed = packed << 8 | UInt32(units)
  }

  /// The three-letter code: `EUR`.
  public var code: String {
    String(unsafeUninitializedCapacity: 3) { letters in
      letters[0] = UInt8(truncatingIfNeeded: packed >> 24)
      letters[1] = UInt8(truncatingIfNeeded: packed >> 16)
      letters[2] = UInt8(truncatingIfNeeded: packed >> 8)
      return 3
    }
  }

  public var minorUnits: Int { Int(packed & 0xFF) }

  public var description: String { code }
  /// By code: the letters are the high bytes.
  public static func < (a: Currency, b: Currency) -> Bool { a.packed >> 8 < b.packed >> 8 }
}
