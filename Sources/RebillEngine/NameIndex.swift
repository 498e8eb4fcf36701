/// Names to small numbers: an open-addressing table for the millions of ids `InboxParts` looks
/// up. A slot holds its key and value together, so that a probe touches one cache line, and a
/// key is told equal by two words (`Name`: canonically equal text is one name). Values are
/// never negative: a slot whose value is, is empty. Package-wide: the journals look millions
/// of sources up as well.
internal import CSystem
import RebillModel

package struct NameIndex: Sendable {
  private struct Slot {
    var key: Name = .empty
    var value: Int32 = -1
    var isEmpty: Bool { value < 0 }
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

  package subscript(key: Name) -> Int32? {
    let slot = probe(key)
    return slots[slot].isEmpty ? nil : slots[slot].value
  }

  /// The value of `key`, or `make()` stored as its value when it has none (values are ≥ 0).
  package mutating func value(of key: Name, orInsert make: () -> Int32) -> Int32 {
    let slot = probe(key)
    if !slots[slot].isEmpty { return slots[slot].value }
    let value = make()
    precondition(value >= 0)
    slots[slot] = Slot(key: key, value: value)
    count += 1
    if count * 10 > slots.count * 7 { grow() }
    return value
  }

  /// Starts loading the slot where a lookup of `key` begins, so that the lookup, made a few
  /// keys later, finds it in cache: a table of millions of keys is tens of megabytes, a cache
  /// miss a lookup, and misses started together overlap where one after another they add up.
  /// The array's address is read as such: through `withUnsafeBufferPointer` the array was
  /// retained and released around each prefetch, atomic operations that waited for the load
  /// (and nothing was gained).
  package func prefetch(_ key: Name) {
    let slot = Int(truncatingIfNeeded: key.keyHash) & mask
    rebill_prefetch(slots._baseAddressIfContiguous! + slot)
  }

  /// The slot that holds `key`, else the empty one where it would go.
  private func probe(_ key: Name) -> Int {
    var slot = Int(truncatingIfNeeded: key.keyHash) & mask
    while !slots[slot].isEmpty && slots[slot].key != key { slot = (slot + 1) & mask }
    return slot
  }

  /// Every key and its value, in no particular order.
  func each(_ body: (Name, Int32) -> Void) {
    for slot in slots where !slot.isEmpty { body(slot.key, slot.value) }
  }

  private mutating func grow() {
    var bigger = NameIndex(capacity: slots.count * 2 * 7 / 10)
    for slot in slots where !slot.isEmpty { _ = bigger.value(of: slot.key) { slot.value } }
    self = bigger
  }
}
