import Dispatch
import Foundation

extension Array where Element: Sendable {
  /// `transform` of every element, computed on every core at once (one element per task),
  /// in the elements' order; one after the other when not `parallel` (work too small to be
  /// worth handing to other threads).
  public func concurrentMap<T: Sendable>(
    parallel: Bool = true, _ transform: @Sendable (Element) -> T
  ) -> [T] {
    guard parallel, count > 1 else { return map(transform) }
    let results = UnsafeMutableBufferPointer<T?>.allocate(capacity: count)
    results.initialize(repeating: nil)
    defer {
      _ = results.deinitialize()
      results.deallocate()
    }
    let shared = SharedSlots(results)
    withoutActuallyEscaping(transform) { transform in
      let transform = SendableBox(transform)
      DispatchQueue.concurrentPerform(iterations: count) { i in
        shared.slots[i] = transform.value(self[i])
      }
    }
    return results.map { $0! }
  }
}

/// Slots written by the tasks of `concurrentPerform`, each its own index only.
private final class SharedSlots<T>: @unchecked Sendable {
  let slots: UnsafeMutableBufferPointer<T?>
  init(_ slots: UnsafeMutableBufferPointer<T?>) { self.slots = slots }
}

private struct SendableBox<T>: @unchecked Sendable {
  let value: T
  init(_ value: T) { self.value = value }
}

/// Work run on a thread of its own while the caller does something else; `wait()` gives its
/// result once it is done. A thread, not a task of `concurrentMap`: work that must run beside
/// the caller's gets a core whatever the dispatch pool is busy with. (The journals written
/// beside the small files spread over the pool's threads, and with a task of the pool blocked
/// waiting for them they ran on fewer cores: 0.5-0.9 s against 0.5-0.6 s at 1M. The halves of
/// the partition, a `concurrentMap` of two inside a task of one while the inbox was checked on
/// the other core, ran one after the other.)
public final class Alongside<T: Sendable>: @unchecked Sendable {
  private let done = DispatchSemaphore(value: 0)
  private var result: T?

  public init(_ work: @escaping @Sendable () -> T) {
    let thread = Thread { [self] in
      result = work()
      done.signal()
    }
    thread.stackSize = 8 << 20
    thread.start()
  }

  /// The work's result, waiting for it (once).
  public func wait() -> T {
    done.wait()
    return result!
  }
}

/// A blocking first-in first-out queue between threads: `pop` waits for an element. What goes
/// through it is handed over, used by one thread at a time (batches of records read, blocks of
/// a file written).
public final class BlockingQueue<Element>: @unchecked Sendable {
  private let lock = NSLock()
  private let available = DispatchSemaphore(value: 0)
  private var items: [Element] = []

  public init() {}

  public func push(_ item: Element) {
    lock.lock()
    items.append(item)
    lock.unlock()
    available.signal()
  }

  /// The oldest element, waiting for one when there is none.
  public func pop() -> Element {
    available.wait()
    lock.lock()
    defer { lock.unlock() }
    return items.removeFirst()
  }
}
