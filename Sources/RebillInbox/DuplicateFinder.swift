import RebillModel

/// Finds repeated keys among many records without a hash table the size of the inbox: a hash
/// table of a million ids misses the cache on nearly every insert, while hashing each key in
/// order, radix-sorting the hashes and scanning neighbours stays in cache. Equal hashes are
/// confirmed by comparing the keys themselves, so a hash collision never reports a duplicate.
///
/// O(n) in the number of keys (four passes of a byte each, over 32 bits of each key's hash: a
/// million keys share a few hundred such hashes, each pair then compared), 8 bytes of scratch
/// per key.
enum DuplicateFinder {
  /// For every key equal to an earlier one: its index and the index of the first.
  static func duplicates<Key: KeyHashable>(count: Int, key: (Int) -> Key) -> [(
    index: Int, first: Int
  )] {
    if count < 2 { return [] }
    precondition(count <= Int(UInt32.max))
    var items = [Item](unsafeUninitializedCapacity: count) { buffer, initialized in
      for i in 0..<count {
        buffer[i] = Item(
          hash: UInt32(truncatingIfNeeded: key(i).keyHash >> 32), index: UInt32(i))
      }
      initialized = count
    }
    radixSort(&items)
    var found: [(Int, Int)] = []
    var runStart = 0
    for i in 1...count {
      if i < count && items[i].hash == items[runStart].hash { continue }
      if i - runStart > 1 {
        // Within a run of equal hashes, indices are ascending (the sort is stable); compare keys.
        var firsts: [(key: Key, index: Int)] = []
        for item in items[runStart..<i] {
          let index = Int(item.index)
          let k = key(index)
          if let first = firsts.first(where: { $0.key == k }) {
            found.append((index, first.index))
          } else {
            firsts.append((k, index))
          }
        }
      }
      runStart = i
    }
    return found.sorted { $0.0 < $1.0 }
  }

  struct Item {
    var hash: UInt32
    var index: UInt32
  }

  /// Stable LSD radix sort by `hash`, a byte a pass.
  static func radixSort(_ items: inout [Item]) {
    var scratch = items
    var counts = [Int](repeating: 0, count: 257)
    for pass in 0..<4 {
      let shift = UInt32(pass * 8)
      items.withUnsafeBufferPointer { items in
        scratch.withUnsafeMutableBufferPointer { scratch in
          counts.withUnsafeMutableBufferPointer { counts in
            for b in counts.indices { counts[b] = 0 }
            for item in items { counts[Int((item.hash >> shift) & 0xFF) + 1] += 1 }
            for b in 1..<257 { counts[b] += counts[b - 1] }
            for item in items {
              let b = Int((item.hash >> shift) & 0xFF)
              scratch[counts[b]] = item
              counts[b] += 1
            }
          }
        }
      }
      swap(&items, &scratch)
    }
  }
}
