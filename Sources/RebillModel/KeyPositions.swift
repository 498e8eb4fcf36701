/// Keys numbered 0, 1, 2, … in the order they are first seen: where each key's values are in
/// arrays kept beside it, so that sums and lists are changed in place in those arrays, with
/// one table lookup per key met, and nothing stored back into the table.
public struct KeyPositions<Key: Hashable> {
  @usableFromInline var positions: [Key: Int] = [:]

  @inlinable public init() {}

  /// The key's position, and whether it was met now for the first time (the caller then
  /// appends its values at that position). One probe of the table either way: the default
  /// subscript, changed in place, finds the key or puts the next position there.
  @inlinable public mutating func position(of key: Key) -> (position: Int, isNew: Bool) {
    let next = positions.count
    let position = Self.value(&positions[key, default: next])
    return (position, position == next)
  }

  /// What `value` holds, read through the in-place access that puts a default in.
  @inlinable static func value(_ value: inout Int) -> Int { value }

  /// The key's position, when it has been met.
  @inlinable public subscript(key: Key) -> Int? { positions[key] }
}
