import Testing

@testable import RebillModel

/// `copyBytes` copies small counts as two overlapping words: every count from 0 to 40, from and
/// to every offset in a word, lands exactly the bytes asked for and touches nothing around them.
@Suite struct BytesTests {
  @Test func copiesExactlyTheBytesAskedForWhateverTheCountAndOffset() {
    let source = (0..<64).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
    for count in 0...40 {
      for from in 0..<8 {
        for at in 0..<8 {
          var target = [UInt8](repeating: 0xEE, count: 64)
          source.withUnsafeBufferPointer { s in
            target.withUnsafeMutableBufferPointer { t in
              copyBytes(s.baseAddress! + from, to: t.baseAddress! + at, count: count)
            }
          }
          var expected = [UInt8](repeating: 0xEE, count: 64)
          expected.replaceSubrange(at..<at + count, with: source[from..<from + count])
          #expect(target == expected, "\(count) bytes from \(from) to \(at)")
        }
      }
    }
  }
}
