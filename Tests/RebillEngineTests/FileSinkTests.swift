import Foundation
import RebillJournals
import TestSupport
import Testing

@testable import RebillOut

/// A file's bytes are the bytes written, in order, whatever the sizes of the writes against the
/// sink's blocks and the disk's: direct (blocks of 4 MiB, the tail through the page cache)
/// and through the page cache throughout (where the file system has no direct I/O).
@Suite struct FileSinkTests {
  /// Pieces of sizes from one byte to three blocks, each filled from a generator seeded by the
  /// case, so that a byte out of place shows.
  static func pieces(total: Int, seed: UInt64) -> [[UInt8]] {
    var state = seed
    func next() -> UInt64 {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return state >> 33
    }
    var pieces: [[UInt8]] = []
    var left = total
    while left > 0 {
      let sizes = [1, 17, 4095, 4096, 65_536, FileSink.blockBytes - 3, 3 * FileSink.blockBytes]
      let size = min(left, Int(next() % UInt64(sizes[Int(next() % UInt64(sizes.count))])) + 1)
      // Eight bytes a step of the generator (a byte a step took seconds in a debug build).
      pieces.append(
        [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
          var i = 0
          while i < size {
            var word = next() | next() << 31
            for _ in 0..<min(8, size - i) {
              buffer[i] = UInt8(truncatingIfNeeded: word)
              word >>= 8
              i += 1
            }
          }
          count = size
        })
      left -= size
    }
    return pieces
  }

  @Test(arguments: [true, false])
  func bytesWrittenAreTheFile(direct: Bool) throws {
    let folder = try TempInbox()
    let block = FileSink.blockBytes
    // Empty, shorter than a disk block, whole disk blocks, whole sink blocks, and between.
    let totals = [0, 1, 4096, 3 * 4096 + 5, block, block + 1, 5 * block + 12_345]
    for (n, total) in totals.enumerated() {
      let path = folder.root + "/file-\(n)"
      let pieces = Self.pieces(total: total, seed: UInt64(n + 1))
      let sink = try FileSink(path: path, direct: direct)
      var any: any ByteSink = sink
      for piece in pieces { any.write(piece) }
      try sink.close()
      let written = try Data(contentsOf: URL(fileURLWithPath: path))
      #expect(written.count == total, "\(total) bytes, direct: \(direct)")
      #expect(Array(written) == pieces.flatMap { $0 }, "\(total) bytes, direct: \(direct)")
    }
  }

  /// A sink dropped unclosed (a run that failed) stops its writer and leaves no error behind.
  @Test func droppedUnclosed() throws {
    let folder = try TempInbox()
    do {
      let sink = try FileSink(path: folder.root + "/dropped")
      var any: any ByteSink = sink
      for piece in Self.pieces(total: 2 * FileSink.blockBytes + 7, seed: 9) { any.write(piece) }
    }
    #expect(FileManager.default.fileExists(atPath: folder.root + "/dropped"))
  }
}
