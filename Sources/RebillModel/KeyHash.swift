/// A cheap hash of the bytes of a string, for the tables of ids a run fills and looks up
/// millions of times (the standard library's `Hasher` spends a couple of hundred instructions
/// on each id: SipHash, seeded and finalized per key). Strings that are equal as Swift strings
/// are (canonically: `"e\u{301}" == "é"`, `"\u{212A}" == "K"`) hash alike.
public enum KeyHash {
  /// 64-bit multiply-and-mix over the bytes, eight at a time.
  @inlinable public static func hash(_ text: String) -> UInt64 {
    let ascii = text.utf8.withContiguousStorageIfAvailable { utf8 in
      hashASCII(UnsafeRawBufferPointer(utf8))
    }
    if let ascii, let hash = ascii { return hash }
    return slowHash(text)
  }

  /// Two hashes as one (an id made of two, such as `INVOICE/LINE`).
  @inlinable public static func combine(_ a: UInt64, _ b: UInt64) -> UInt64 {
    mix(a &* 0x9E37_79B9_7F4A_7C15 ^ b)
  }

  /// The value a `Dictionary` or `Set` buckets by (`Hashable._rawHashValue(seed:)`): the hash
  /// mixed with the table's seed, so that tables of different seeds order keys differently.
  @inlinable public static func raw(_ hash: UInt64, seed: Int) -> Int {
    Int(truncatingIfNeeded: mix(hash ^ UInt64(truncatingIfNeeded: seed)))
  }

  /// Where a hash of `count` bytes starts: the length spread over every bit (XORed in plainly,
  /// a length one more and a first byte that differs in the same bits would cancel out).
  @inlinable static func seed(_ count: Int) -> UInt64 {
    (UInt64(truncatingIfNeeded: count) &+ 0x9E37_79B9_7F4A_7C15) &* 0xFF51_AFD7_ED55_8CCD
  }

  @inlinable static func mix(_ value: UInt64) -> UInt64 {
    var h = value
    h ^= h >> 29
    h = h &* 0xFF51_AFD7_ED55_8CCD
    return h ^ (h >> 32)
  }

  /// A string with no contiguous bytes, or not ASCII. Three characters that are not ASCII are
  /// canonically one that is (their decomposition is that one character: U+037E is `;`,
  /// U+1FEF is `` ` ``, U+212A, the Kelvin sign, is `K`), and no other: a string of ASCII and
  /// those three is hashed as the ASCII it equals, any other by the standard library's
  /// `Hasher`, which hashes canonically equal strings alike.
  @usableFromInline static func slowHash(_ text: String) -> UInt64 {
    var ascii: [UInt8] = []
    ascii.reserveCapacity(text.utf8.count)
    for scalar in text.unicodeScalars {
      switch scalar.value {
      case 0..<0x80: ascii.append(UInt8(truncatingIfNeeded: scalar.value))
      case 0x37E: ascii.append(UInt8(ascii: ";"))
      case 0x1FEF: ascii.append(UInt8(ascii: "`"))
      case 0x212A: ascii.append(UInt8(ascii: "K"))
      default:
        var hasher = Hasher()
        hasher.combine(text)
        return UInt64(UInt(bitPattern: hasher.finalize()))
      }
    }
    return ascii.withUnsafeBytes { hashASCII($0) ?? 0 }  // ASCII, every byte
  }

  /// The hash of bytes that are all ASCII; nil when one is not. Words of eight bytes, the
  /// last one overlapping the one before; a string under eight bytes as one word.
  @inlinable static func hashASCII(_ bytes: UnsafeRawBufferPointer) -> UInt64? {
    let count = bytes.count
    var h = seed(count)
    var high: UInt64 = 0
    @inline(__always) func word(_ at: Int) -> UInt64 {
      bytes.loadUnaligned(fromByteOffset: at, as: UInt64.self)
    }
    if count >= 8 {
      var at = 0
      while at + 8 < count {
        let w = word(at)
        high |= w
        h = (h ^ w) &* 0xFF51_AFD7_ED55_8CCD
        h ^= h >> 32
        at += 8
      }
      let w = word(count - 8)
      high |= w
      h = (h ^ w) &* 0xC4CE_B9FE_1A85_EC53
    } else if count > 0 {
      var tail: UInt64 = 0
      if count >= 4 {
        let first = UInt64(bytes.loadUnaligned(fromByteOffset: 0, as: UInt32.self))
        let last = UInt64(bytes.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self))
        tail = first | last << 32
      } else {
        for i in 0..<count { tail = tail << 8 | UInt64(bytes[i]) }
      }
      high = tail
      h = (h ^ tail) &* 0xC4CE_B9FE_1A85_EC53
    }
    return high & 0x8080_8080_8080_8080 == 0 ? mix(h) : nil
  }
}

/// A key hashed by `KeyHash`: `Dictionary` and `Set` bucket it by `keyHash` mixed with their
/// seed (`_rawHashValue(seed:)`), and SipHash never runs for it. Equal keys must have equal
/// `keyHash`es.
public protocol KeyHashable: Hashable {
  var keyHash: UInt64 { get }
}

extension KeyHashable {
  @inlinable public func hash(into hasher: inout Hasher) { hasher.combine(keyHash) }
  @inlinable public func _rawHashValue(seed: Int) -> Int { KeyHash.raw(keyHash, seed: seed) }
}

/// Text as the key of a table, hashed by `KeyHash` (a `Dictionary<String, _>` hashes by
/// SipHash): for the tables of sources and lines a run fills millions of times.
public struct TextKey: KeyHashable, Sendable {
  public let text: String
  @inlinable public init(_ text: String) { self.text = text }
  @inlinable public var keyHash: UInt64 { KeyHash.hash(text) }
}
