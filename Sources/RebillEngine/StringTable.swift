/// Strings to small numbers: an open-addressing table with a cheap hash of the bytes, for the
/// millions of ids `InboxParts` looks up (the standard library's `Dictionary<String, _>`
/// spends several hundred instructions a lookup on SipHash and normalization checks). Keys are
/// equal as Swift strings are, canonically (`"e\u{301}" == "é"`), as in every other table of
/// the engine: a string that is not ASCII is hashed in its NFC form. A slot holds its key,
/// value and hash together, so that a probe touches one cache line, not three. Package-wide:
/// the journals look millions of sources up as well.
import Foundation

package struct StringTable {
  private struct Slot {
    var key: String?
    var value: Int32 = 0
    var hash: UInt32 = 0
  }

  private var slots: [Slot]
  package private(set) var count = 0
  private var mask: Int

  /// Room for `capacity` keys before it grows (it grows at 70 % full).
  package init(capacity: Int = 16) {
    var size = 16
    while size * 7 < capacity * 10 { size *= 2 }
    slots = Array(repeating: Slot(), count: size)
    mask = size - 1
  }

  package subscript(key: String) -> Int32? {
    let (slot, _) = probe(key)
    return slots[slot].key == nil ? nil : slots[slot].value
  }

  /// The value of `key`, or `make()` stored as its value when it has none.
  package mutating func value(of key: String, orInsert make: () -> Int32) -> Int32 {
    let (slot, hash) = probe(key)
    if slots[slot].key != nil { return slots[slot].value }
    let value = make()
    slots[slot] = Slot(key: key, value: value, hash: hash)
    count += 1
    if count * 10 > slots.count * 7 { grow() }
    return value
  }

  /// The slot that holds `key`, else the empty one where it would go; and its short hash.
  private func probe(_ key: String) -> (slot: Int, hash: UInt32) {
    let hash = Self.hash(key)
    let short = UInt32(truncatingIfNeeded: hash)
    var slot = Int(truncatingIfNeeded: hash) & mask
    while let found = slots[slot].key, !(slots[slot].hash == short && found == key) {
      slot = (slot + 1) & mask
    }
    return (slot, short)
  }

  /// Every key and its value, in no particular order.
  func each(_ body: (String, Int32) -> Void) {
    for slot in slots { if let key = slot.key { body(key, slot.value) } }
  }

  private mutating func grow() {
    var bigger = StringTable(capacity: slots.count * 2 * 7 / 10)
    for slot in slots {
      if let key = slot.key { _ = bigger.value(of: key) { slot.value } }
    }
    self = bigger
  }

  /// 64-bit multiply-and-mix over the bytes, eight at a time: of the string as it is when it
  /// is ASCII, else of its NFC form, so that canonically equal strings hash alike.
  static func hash(_ text: String) -> UInt64 {
    let ascii = text.utf8.withContiguousStorageIfAvailable { utf8 in
      utf8.allSatisfy { $0 < 0x80 } ? hash(UnsafeRawBufferPointer(utf8)) : nil
    }
    if let ascii, let hash = ascii { return hash }
    if text.utf8.allSatisfy({ $0 < 0x80 }) { return Array(text.utf8).withUnsafeBytes { hash($0) } }
    return Array(text.precomposedStringWithCanonicalMapping.utf8).withUnsafeBytes { hash($0) }
  }

  private static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
    var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(bytes.count)
    var at = 0
    while at + 8 <= bytes.count {
      h = (h ^ bytes.loadUnaligned(fromByteOffset: at, as: UInt64.self)) &* 0xFF51_AFD7_ED55_8CCD
      h ^= h >> 32
      at += 8
    }
    if at < bytes.count {
      var tail: UInt64 = 0
      for i in at..<bytes.count { tail = tail << 8 | UInt64(bytes[i]) }
      h = (h ^ tail) &* 0xC4CE_B9FE_1A85_EC53
    }
    h ^= h >> 29
    h = h &* 0xFF51_AFD7_ED55_8CCD
    return h ^ (h >> 32)
  }
}
