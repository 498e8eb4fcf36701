internal import CSystem
import Foundation
import RebillJournals
import RebillModel

#if canImport(Glibc)
  import Glibc
#endif

/// A file written as it is rendered, so that memory does not grow with the size of the output:
/// bytes are copied into blocks of 4 MiB, and each full block is written by a thread of
/// the file's own while rendering goes on. A write error is kept and reported at `close()`.
///
/// The blocks go to the disk without the page cache (`O_DIRECT`), straight from this process's
/// memory: through the page cache, the kernel found a fresh page for every 4 KiB written,
/// copied the bytes into it, then wrote it back and dropped it, 0.7–1.2 s of processor time
/// for the 831 MB of a run at 1M entries on this machine (9 % of the samples), against about
/// 0.1 s direct. The end of the file, less than a disk block, goes through the page cache. A
/// file system without direct I/O (the open or a write says EINVAL) gets the page cache
/// throughout, with hints as it goes: every 16 MiB written, the kernel is asked to start
/// writing them (without waiting), and the 16 MiB before them, on disk by then as a rule, are
/// dropped from the cache, so that `close()`'s fsync waits for little and gigabytes of output
/// do not push everything else out of the cache. Every byte must be on disk before the folder
/// is swapped in anyway.
public final class FileSink: ByteSink {
  /// A block's bytes: a multiple of any disk's block, and of the 4 KiB a direct write's
  /// address must be aligned to. Each write is a request to the disk, and on a virtual
  /// machine each request a trap to the host that holds up the processor: blocks of 1 MiB
  /// spent 1.7 % of a run's samples at 1M in the notification alone (`iowrite16`), 4 MiB 0.4 %.
  static let blockBytes = 4 << 20
  static let alignment = 4096
  /// Blocks at most per file: one being filled, the others waiting for or being written.
  static let blocks = 4

  private let path: String
  private let disk: Disk
  private var block: UnsafeMutableRawPointer
  private var filled = 0
  private var closed = false

  /// `direct`: false for the page cache throughout (as where the file system refuses direct
  /// I/O; tests).
  init(path: String, direct: Bool = true) throws(OutError) {
    var fd: Int32 = -1
    var direct = direct
    if direct { fd = rebill_open_direct(path) }
    if !direct || (fd < 0 && errno == EINVAL) {
      fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
      direct = false
    }
    guard fd >= 0 else {
      throw OutError(description: "cannot write \(path): \(String(cString: strerror(errno)))")
    }
    self.path = path
    disk = Disk(fd: fd, direct: direct)
    block = disk.freeBlock()
  }

  deinit {
    // Not closed: the run failed before the file was complete. Its thread is stopped and the
    // file left as it is (the temporary folder goes with the transaction).
    if !closed { _ = disk.finish(last: block, count: filled, sync: false) }
  }

  public func write(bytes: UnsafeRawBufferPointer) {
    guard var from = bytes.baseAddress else { return }
    var count = bytes.count
    while count > 0 {
      let n = min(count, Self.blockBytes - filled)
      (block + filled).copyMemory(from: from, byteCount: n)
      filled += n
      from += n
      count -= n
      if filled == Self.blockBytes {
        disk.hand(block)
        block = disk.freeBlock()
        filled = 0
      }
    }
  }

  /// Writes what is left, syncs and closes; the first error of the file, if any.
  public func close() throws(OutError) {
    closed = true
    let failure = disk.finish(last: block, count: filled, sync: true)
    if failure != 0 {
      throw OutError(description: "cannot write \(path): \(String(cString: strerror(failure)))")
    }
  }
}

/// A file's descriptor and the thread that writes its full blocks, in the order handed. The
/// queues hand each block from one thread to the other: only one touches a block at a time.
private final class Disk: @unchecked Sendable {
  let fd: Int32
  /// Whether writes bypass the page cache. Then the writer's thread alone reads and changes
  /// it, and the rest of this state, until `finish` has waited for that thread.
  var direct: Bool
  /// The first write's error number, 0 while there is none.
  var failure: Int32 = 0
  /// Bytes written to the file, how many of them are on their way to disk, and how many of
  /// those were on disk and dropped from the page cache (when not direct).
  var written: Int64 = 0
  var sent: Int64 = 0
  var dropped: Int64 = 0
  static let writebackStep: Int64 = 16 << 20

  /// Full blocks in the order handed; nil: the file ends.
  private let full = BlockingQueue<UnsafeMutableRawPointer?>()
  /// Blocks written, to be filled again.
  private let emptied = BlockingQueue<UnsafeMutableRawPointer>()
  /// The filling side's: blocks allocated so far, and the thread that writes them, once the
  /// first is full.
  private var allocated = 0
  private var writer: Alongside<Void>?

  init(fd: Int32, direct: Bool) {
    self.fd = fd
    self.direct = direct
  }

  /// A block to fill: a new one while fewer than `FileSink.blocks` exist, else the next one
  /// written (waiting for the disk when every block is full).
  func freeBlock() -> UnsafeMutableRawPointer {
    guard allocated < FileSink.blocks else { return emptied.pop() }
    allocated += 1
    return .allocate(byteCount: FileSink.blockBytes, alignment: FileSink.alignment)
  }

  /// A full block, to be written after those handed before it.
  func hand(_ block: UnsafeMutableRawPointer) {
    if writer == nil {
      writer = Alongside { [self] in
        while let block = full.pop() {
          writeOut(UnsafeRawPointer(block), count: FileSink.blockBytes)
          emptied.push(block)
        }
      }
    }
    full.push(block)
  }

  /// Waits for the blocks handed, writes the first `count` bytes of `last`, syncs (if asked)
  /// and closes the file, and frees the blocks. The first error number, or 0.
  func finish(last: UnsafeMutableRawPointer, count: Int, sync: Bool) -> Int32 {
    if let writer {
      full.push(nil)
      writer.wait()
    }
    // Whole disk blocks direct; the rest, shorter than one, through the page cache.
    let whole = direct ? count & ~(FileSink.alignment - 1) : count
    writeOut(UnsafeRawPointer(last), count: whole)
    if whole < count {
      if rebill_stop_direct(fd) == 0 {
        direct = false
      } else if failure == 0 {
        failure = errno
      }
      writeOut(UnsafeRawPointer(last + whole), count: count - whole)
    }
    if sync && failure == 0 && fsync(fd) != 0 { failure = errno }
    Glibc.close(fd)
    // Every block but `last` is back from the writer by now.
    for _ in 1..<allocated { emptied.pop().deallocate() }
    last.deallocate()
    return failure
  }

  private func writeOut(_ bytes: UnsafeRawPointer, count: Int) {
    guard failure == 0 else { return }
    var offset = 0
    while offset < count {
      let n = Glibc.write(fd, bytes + offset, count - offset)
      if n > 0 {
        offset += n
      } else if n < 0 && errno == EINTR {
        continue
      } else if n < 0 && errno == EINVAL && direct && rebill_stop_direct(fd) == 0 {
        // The file system takes no direct writes (or wants another alignment): the page
        // cache from here on.
        direct = false
      } else {
        failure = n < 0 ? errno : EIO
        return
      }
    }
    written += Int64(count)
    if !direct && written - sent >= Self.writebackStep {
      // Hints: when they fail (a file system without them), close()'s fsync does the work.
      if sent > dropped {
        _ = rebill_drop_written(fd, dropped, sent - dropped)
        dropped = sent
      }
      _ = rebill_start_writeback(fd, sent, written - sent)
      sent = written
    }
  }
}
