import Foundation

/// A piece of key text (an id, a line number, a source) as a plain 16-byte value: no reference
/// to count, so a record made of names, numbers and dates is copied and dropped as bytes (a run
/// copies millions of records and actuals; a `String` field costs a retain and a release on
/// each copy, and a heap string a cache miss too).
///
/// Up to 15 bytes are held inline; longer text is interned, once per run-wide table, in memory
/// that lives as long as the process. Equal text is one name, so `==` compares two words and
/// the hash is at hand. Text is held in Unicode's canonical composition (NFC): names are equal
/// when their text is equal as Swift strings are (canonically: `"e\u{301}" == "é"`), compare
/// (`<`) as those strings do, and are written in NFC. ASCII, every id of a usual inbox, is
/// kept byte for byte.
@frozen
public struct Name: KeyHashable, Comparable, @unchecked Sendable, CustomStringConvertible,
  ExpressibleByStringLiteral
{
  /// Inline: bytes 0–7 of the text. Interned: the address of the text's hash, which its
  /// length and bytes follow.
  @usableFromInline let low: UInt64
  /// `high`'s bits, never zero, held as a pointer (never followed) so that an optional name
  /// takes no byte more than a name: `nil` is the zero that no name has. Records hold several
  /// optional names, and a run copies millions of records.
  @usableFromInline let highBits: UnsafeRawPointer

  /// Inline: bytes 8–14 of the text, and in the top byte its length plus `inline`. Interned:
  /// `interned`, the text's `quoteFloor` in bits 48 to 55, and the length.
  @inlinable var high: UInt64 { UInt64(UInt(bitPattern: highBits)) }

  @usableFromInline static let interned: UInt64 = 0x80 << 56
  /// The top byte of an inline name is this plus its length: never zero, and below
  /// `interned`.
  @usableFromInline static let inline: UInt64 = 0x40 << 56

  /// A name of these words (`high` is never zero).
  @inlinable init(low: UInt64, high: UInt64) {
    self.low = low
    highBits = UnsafeRawPointer(bitPattern: UInt(high)).unsafelyUnwrapped
  }

  /// An inline name of these words and length.
  @inlinable init(low: UInt64, high: UInt64, count: Int) {
    self.init(low: low, high: high | Name.inline | UInt64(count) << 56)
  }

  /// The empty name.
  public static let empty = Name(low: 0, high: 0, count: 0)

  public init(stringLiteral value: String) { self.init(value) }

  /// The name of `text` (its NFC form when it is not ASCII).
  public init(_ text: String) { self = Name.ascii(text) ?? Name(nonASCII: text) }

  /// The name of `bytes`, UTF-8 (a sequence that is not is repaired, as `String(decoding:)`
  /// does).
  @inlinable public init(bytes: UnsafeRawBufferPointer) {
    if let name = Name(ascii: bytes) {
      self = name
    } else {
      self = Name(nonASCII: String(decoding: bytes, as: UTF8.self))
    }
  }

  /// The name of bytes that are all ASCII; nil when one is not.
  @inlinable init?(ascii bytes: UnsafeRawBufferPointer) {
    let count = bytes.count
    if count <= 15 {
      var low: UInt64 = 0
      var high: UInt64 = 0
      if count >= 8 {
        low = bytes.loadUnaligned(as: UInt64.self)
        // The last eight bytes, shifted down to start at byte 8.
        let tail = bytes.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)
        high = count == 8 ? 0 : tail >> UInt64(8 * (16 - count))
      } else if count >= 4 {
        let head = UInt64(bytes.loadUnaligned(as: UInt32.self))
        let tail = UInt64(bytes.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self))
        low = head | tail << UInt64(8 * (count - 4))
      } else {
        for i in 0..<count { low |= UInt64(bytes[i]) << UInt64(8 * i) }
      }
      guard (low | high) & 0x8080_8080_8080_8080 == 0 else { return nil }
      self.init(low: low, high: high, count: count)
    } else {
      guard let hash = KeyHash.hashASCII(bytes) else { return nil }
      self = NameStore.shared.intern(bytes, hash: hash)
    }
  }

  /// The name of `text` as it is, byte for byte, even when it is not in NFC: for free text (a
  /// document's title), which is written back as it was read and never looked up.
  public init(verbatim text: String) {
    self = Name.ascii(text) ?? Name(utf8: Array(text.utf8), hash: KeyHash.hash(text))
  }

  /// The name of text that is all ASCII; nil when it is not.
  private static func ascii(_ text: String) -> Name? {
    var text = text
    return text.withUTF8 { Name(ascii: UnsafeRawBufferPointer($0)) }
  }

  @usableFromInline init(nonASCII text: String) {
    let composed = text.precomposedStringWithCanonicalMapping
    self.init(utf8: Array(composed.utf8), hash: KeyHash.hash(composed))
  }

  /// The name of these bytes, inline or interned (`hash`: their `KeyHash.hash`).
  init(utf8: [UInt8], hash: UInt64) {
    self = utf8.withUnsafeBytes { bytes in
      guard bytes.count <= 15 else { return NameStore.shared.intern(bytes, hash: hash) }
      var words: (UInt64, UInt64) = (0, 0)
      withUnsafeMutableBytes(of: &words) { $0.copyMemory(from: bytes) }
      return Name(low: words.0, high: words.1, count: bytes.count)
    }
  }

  @inlinable var isInterned: Bool { high & Name.interned != 0 }

  /// How many bytes of UTF-8 the text has.
  @inlinable public var count: Int {
    isInterned
      ? Int(truncatingIfNeeded: high & 0xFFFF_FFFF)
      : Int(truncatingIfNeeded: (high & ~Name.inline) >> 56)
  }

  /// A short name's text as two words (bytes 0–7, then 8–14 and a zero byte), zero past its
  /// length; nil for a long one. Writers store a short name as its two words.
  @inlinable public var inlineWords: (low: UInt64, high: UInt64)? {
    isInterned ? nil : (low, high & 0x00FF_FFFF_FFFF_FFFF)
  }

  /// A long name's least byte below 0x80 (0x80 when it has none): when it is above a layout's
  /// `quoteCeiling`, no byte of the name is one a field is quoted for (bytes from 0x80 never
  /// are), and a writer copies it unchecked. Found once, when the name was interned.
  @inlinable public var quoteFloor: UInt8? {
    isInterned ? UInt8(truncatingIfNeeded: high >> 48) : nil
  }

  @inlinable public var isEmpty: Bool { low == 0 && high == Name.inline }

  /// An interned name's text: from byte 16 of its head in the store (`NameStore`).
  @inlinable var internedText: UnsafePointer<UInt8> {
    UnsafePointer<UInt8>(bitPattern: UInt(low))! + 16
  }

  /// The text's UTF-8 bytes, for the time of `body`.
  @inlinable public func withUTF8<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows
    -> R
  {
    if isInterned { return try body(UnsafeBufferPointer(start: internedText, count: count)) }
    let count = self.count
    return try withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 16) { buffer in
      let raw = UnsafeMutableRawPointer(buffer.baseAddress!)
      raw.storeBytes(of: low, as: UInt64.self)
      raw.storeBytes(of: high, toByteOffset: 8, as: UInt64.self)
      return try body(UnsafeBufferPointer(start: buffer.baseAddress!, count: count))
    }
  }

  /// The text as a string.
  public var string: String { withUTF8 { String(decoding: $0, as: UTF8.self) } }
  public var description: String { string }

  /// A hash of the text, well spread over all 64 bits: the two words mixed when inline (the
  /// length is in them), else `KeyHash.hash` of the text, computed once when it was interned.
  @inlinable public var keyHash: UInt64 {
    if isInterned { return UnsafeRawPointer(bitPattern: UInt(low))!.load(as: UInt64.self) }
    return KeyHash.mix((low &* 0x9E37_79B9_7F4A_7C15 ^ high) &* 0xFF51_AFD7_ED55_8CCD)
  }

  @inlinable public static func == (a: Name, b: Name) -> Bool { a.low == b.low && a.high == b.high }

  /// Byte order of the text (UTF-8 in NFC: the order of Swift strings).
  @inlinable public static func < (a: Name, b: Name) -> Bool {
    if !a.isInterned && !b.isInterned {
      // Inline: the bytes as big-endian words, the length in the last byte. Of two texts
      // whose bytes agree (the shorter padded with 0), the shorter is the smaller.
      let a0 = a.low.byteSwapped
      let b0 = b.low.byteSwapped
      if a0 != b0 { return a0 < b0 }
      return a.high.byteSwapped < b.high.byteSwapped
    }
    return a.withUTF8 { x in b.withUTF8 { y in Name.compare(x, y) < 0 } }
  }

  @inlinable static func compare(_ x: UnsafeBufferPointer<UInt8>, _ y: UnsafeBufferPointer<UInt8>)
    -> Int
  {
    let shared = min(x.count, y.count)
    if shared > 0 {
      let order = memcmp(x.baseAddress!, y.baseAddress!, shared)
      if order != 0 { return Int(order) }
    }
    return x.count - y.count
  }
}

/// Long names met lately, by hash, for one reader on one thread: asked before the shared
/// store, whose lock and probe cost about 300 instructions a name, it hands back a name it
/// holds after comparing the bytes (a file names the same invoice on each of its lines).
public struct NameCache {
  /// By the hash's low bits; the empty name (inline) where none is held yet.
  private var slots = [Name](repeating: .empty, count: 1024)

  public init() {}

  /// The name of bytes that are all ASCII; nil when one is not (as `Name(bytes:)`). A short
  /// one is made inline where it is asked for; a long one is looked up out of line.
  @inlinable @inline(__always) public mutating func name(ascii bytes: UnsafeRawBufferPointer)
    -> Name?
  {
    bytes.count <= 15 ? Name(ascii: bytes) : longName(ascii: bytes)
  }

  @usableFromInline mutating func longName(ascii bytes: UnsafeRawBufferPointer) -> Name? {
    guard let hash = KeyHash.hashASCII(bytes) else { return nil }
    let index = Int(truncatingIfNeeded: hash) & 1023
    let held = slots[index]
    if held.isInterned && held.count == bytes.count && held.keyHash == hash
      && memcmp(held.internedText, bytes.baseAddress!, bytes.count) == 0
    {
      return held
    }
    let name = NameStore.shared.intern(bytes, hash: hash)
    slots[index] = name
    return name
  }
}

/// The run-wide table of names longer than 15 bytes: shards by hash, each behind its own lock,
/// with text in chunks that are never freed or moved (a name holds its text's address).
@usableFromInline final class NameStore: Sendable {
  @usableFromInline static let shared = NameStore()

  private static let shardBits = 6
  private let shards: [Locked]

  private init() {
    shards = (0..<(1 << NameStore.shardBits)).map { _ in Locked() }
  }

  /// A shard and its lock: every use of the shard holds the lock. The lock is all the
  /// shard's exclusivity needs: no check at run time besides (two calls an intern, a third of
  /// its cost).
  private final class Locked: @unchecked Sendable {
    private let lock = NSLock()
    @exclusivity(unchecked) private var shard = Shard()

    func intern(_ bytes: UnsafeRawBufferPointer, hash: UInt64) -> UInt {
      lock.lock()
      defer { lock.unlock() }
      return UInt(bitPattern: shard.intern(bytes, hash: hash))
    }
  }

  @usableFromInline func intern(_ bytes: UnsafeRawBufferPointer, hash: UInt64) -> Name {
    let shard = Int(truncatingIfNeeded: hash >> UInt64(64 - NameStore.shardBits))
    let address = shards[shard].intern(bytes, hash: hash)
    // The floor is in the text's head, beside the hash the probe read: no other line of memory.
    let floor = UnsafeRawPointer(bitPattern: address)!.load(fromByteOffset: 12, as: UInt8.self)
    return Name(
      low: UInt64(address), high: Name.interned | UInt64(floor) << 48 | UInt64(bytes.count))
  }

  /// An open-addressing table of text addresses, and the chunk new text goes into.
  private struct Shard: ~Copyable {
    var slots: UnsafeMutableBufferPointer<UnsafeRawPointer?>
    var count = 0
    var chunk: UnsafeMutableRawPointer? = nil
    var room = 0

    init() {
      slots = .allocate(capacity: 64)
      slots.initialize(repeating: nil)
    }

    deinit { slots.deallocate() }

    mutating func intern(_ bytes: UnsafeRawBufferPointer, hash: UInt64) -> UnsafeRawPointer {
      var slot = Int(truncatingIfNeeded: hash) & (slots.count - 1)
      while let found = slots[slot] {
        if found.load(as: UInt64.self) == hash
          && found.load(fromByteOffset: 8, as: UInt32.self) == UInt32(bytes.count)
          && memcmp(found + 16, bytes.baseAddress!, bytes.count) == 0
        {
          return found
        }
        slot = (slot + 1) & (slots.count - 1)
      }
      let address = store(bytes, hash: hash)
      slots[slot] = address
      count += 1
      if count * 10 > slots.count * 7 { grow() }
      return address
    }

    /// The hash, the length (32 bits), the quote floor (`Name.quoteFloor`), then from byte 16
    /// the bytes, 8-aligned, in the current chunk.
    private mutating func store(_ bytes: UnsafeRawBufferPointer, hash: UInt64) -> UnsafeRawPointer {
      let size = (16 + bytes.count + 7) & ~7
      if size > room {
        let chunkSize = max(size, 1 << 20)
        chunk = .allocate(byteCount: chunkSize, alignment: 8)
        room = chunkSize
      }
      let at = chunk!
      at.storeBytes(of: hash, as: UInt64.self)
      at.storeBytes(of: UInt32(bytes.count), toByteOffset: 8, as: UInt32.self)
      var floor: UInt8 = 0x80
      for byte in bytes where byte < floor { floor = byte }
      at.storeBytes(of: floor, toByteOffset: 12, as: UInt8.self)
      (at + 16).copyMemory(from: bytes.baseAddress!, byteCount: bytes.count)
      (at + 16).bindMemory(to: UInt8.self, capacity: bytes.count)
      chunk = at + size
      room -= size
      return UnsafeRawPointer(at)
    }

    private mutating func grow() {
      let old = slots
      slots = .allocate(capacity: old.count * 2)
      slots.initialize(repeating: nil)
      for case let found? in old {
        var slot = Int(truncatingIfNeeded: found.load(as: UInt64.self)) & (slots.count - 1)
        while slots[slot] != nil { slot = (slot + 1) & (slots.count - 1) }
        slots[slot] = found
      }
      old.deallocate()
    }
  }
}

/// Text whose UTF-8 bytes can be read in place: names, ids and strings, for the writers.
public protocol UTF8Text {
  func withUTF8Bytes<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R
}

extension Name: UTF8Text {
  @inlinable public func withUTF8Bytes<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R)
    rethrows -> R
  { try withUTF8(body) }
}

extension ID: UTF8Text {
  @inlinable public func withUTF8Bytes<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R)
    rethrows -> R
  { try name.withUTF8(body) }
}

extension String: UTF8Text {
  @inlinable public func withUTF8Bytes<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R)
    rethrows -> R
  {
    if let done = try utf8.withContiguousStorageIfAvailable(body) { return done }
    return try Array(utf8).withUnsafeBufferPointer(body)
  }
}
