/// Strings to small numbers: an open-addressing table with a cheap hash of the bytes
/// (`KeyHash`), for the millions of ids `InboxParts` looks up. Keys are equal as Swift strings
/// are, canonically (`"e\u{301}" == "é"`), as in every other table of the engine. A slot
/// holds its key, value and hash together, so that a probe touches one cache line, not three.
/// Package-wide: the journals look millions of sources up as well.
import RebillModel

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
    let hash = KeyHash.hash(key)
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
}
