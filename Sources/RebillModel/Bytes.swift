/// Copies `count` bytes from `source` to `target`, regions that do not overlap. Up to 32 bytes
/// (most fields, ids and words of a row) are copied as two or four words that overlap in the
/// middle, each read and written within the bytes, with no call to `memmove`; more go to
/// `memmove`.
@inlinable @inline(__always) public func copyBytes(
  _ source: UnsafePointer<UInt8>, to target: UnsafeMutablePointer<UInt8>, count: Int
) {
  let from = UnsafeRawPointer(source)
  let to = UnsafeMutableRawPointer(target)
  if count > 32 {
    target.update(from: source, count: count)
  } else if count > 16 {
    // The first sixteen bytes and the last sixteen, overlapping (a long id: an invoice id is
    // twenty bytes or so, and a call to `memmove` costs more than the copy).
    let a = from.loadUnaligned(as: UInt64.self)
    let b = from.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
    let c = from.loadUnaligned(fromByteOffset: count - 16, as: UInt64.self)
    let d = from.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)
    to.storeBytes(of: a, as: UInt64.self)
    to.storeBytes(of: b, toByteOffset: 8, as: UInt64.self)
    to.storeBytes(of: c, toByteOffset: count - 16, as: UInt64.self)
    to.storeBytes(of: d, toByteOffset: count - 8, as: UInt64.self)
  } else if count >= 8 {
    let head = from.loadUnaligned(as: UInt64.self)
    let tail = from.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)
    to.storeBytes(of: head, as: UInt64.self)
    to.storeBytes(of: tail, toByteOffset: count - 8, as: UInt64.self)
  } else if count >= 4 {
    let head = from.loadUnaligned(as: UInt32.self)
    let tail = from.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self)
    to.storeBytes(of: head, as: UInt32.self)
    to.storeBytes(of: tail, toByteOffset: count - 4, as: UInt32.self)
  } else {
    for i in 0..<count { target[i] = source[i] }
  }
}
