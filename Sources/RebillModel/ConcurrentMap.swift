import Dispatch

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
