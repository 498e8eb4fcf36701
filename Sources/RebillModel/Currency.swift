/// An ISO 4217 currency and the number of its minor units (EUR 2, JPY 0, KWD 3).
///
/// Four bytes: the code's three letters and the minor units, packed so that comparing two
/// currencies compares integers (every `Money` carries one: millions per run).
public struct Currency: KeyHashable, Comparable, Sendable, CustomStringConvertible {
  /// The code's letters in the three high bytes (first letter highest), minor units in the low.
  @usableFromInline let packed: UInt32

  /// The currency as a number: its hash, and its part of the hash of a key that holds one.
  @inlinable public var keyHash: UInt64 { UInt64(packed) }

  /// The active ISO 4217 currency with this code, or nil.
  public init?(code: String) {
    let letters = Array(code.utf8)
    guard letters.count == 3 else { return nil }
    self.init(letters[0], letters[1], letters[2])
  }

  /// The active ISO 4217 currency with these three letters (bytes of its code), or nil:
  /// looked up in a table of every three capital letters, no string made.
  public init?(_ a: UInt8, _ b: UInt8, _ c: UInt8) {
    let letters = (a &- 65, b &- 65, c &- 65)
    guard letters.0 < 26, letters.1 < 26, letters.2 < 26 else { return nil }
    let units = Currency.unitsByLetters[
      (Int(letters.0) * 26 + Int(letters.1)) * 26 + Int(letters.2)]
    guard units != 0 else { return nil }
    packed = (UInt32(a) << 24) | (UInt32(b) << 16) | (UInt32(c) << 8) | UInt32(units - 1)
  }

  /// Minor units + 1 of each active code, by its letters (0: no such currency).
  private static let unitsByLetters: [UInt8] = {
    var table = [UInt8](repeating: 0, count: 26 * 26 * 26)
    for (code, units) in minorUnitsByCode {
      let l = Array(code.utf8).map { Int($0) - 65 }
      table[(l[0] * 26 + l[1]) * 26 + l[2]] = units + 1
    }
    return table
  }()

  /// The three-letter code: `EUR`.
  public var code: String {
    String(unsafeUninitializedCapacity: 3) { letters in
      (letters[0], letters[1], letters[2]) = codeBytes
      return 3
    }
  }

  public var minorUnits: Int { Int(packed & 0xFF) }

  /// The code's three letters, as bytes: written out with no string made.
  public var codeBytes: (UInt8, UInt8, UInt8) {
    (
      UInt8(truncatingIfNeeded: packed >> 24), UInt8(truncatingIfNeeded: packed >> 16),
      UInt8(truncatingIfNeeded: packed >> 8)
    )
  }

  public var description: String { code }
  /// By code: the letters are the high bytes.
  public static func < (a: Currency, b: Currency) -> Bool { a.packed >> 8 < b.packed >> 8 }
}
