/// Keys numbered 0, 1, 2, … in the order they are first seen: where each key's values are in
/// arrays kept beside it, so that sums and lists are changed in place in those arrays, with
/// one table lookup per key met, and nothing stored back into the table.
public struct KeyPositions<Key: Hashable> {
  @usableFromInline var positions: [Key: Int] = [:]

  @inlinable public init() {}

  /// The key's position, and whether it was met now for the first time (the caller then
  /// appends its values at that position).
  @inlinable public mutating func position(of key: Key) -> (position: Int, isNew: Bool) {
    if let known = positions[key] { return (known, false) }
    let position = positions.count
    positions[key] = position
    return (position, true)
  }

  /// The key's position, when it has been met.
  @inlinable public subscript(key: Key) -> Int? { positions[key] }
}
