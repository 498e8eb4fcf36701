import Dispatch

/// Runs `work` for 0..<count on up to `workers` threads and hands each result to `consume` on
/// the calling thread, in index order, as soon as it and those before it are done. At most
/// twice `workers` results wait to be consumed, so memory stays bounded whatever `count` is.
func inOrder<Result: Sendable>(
  count: Int, workers: Int, work: @escaping @Sendable (Int) -> Result,
  consume: (Int, Result) -> Void
) {
  guard workers > 1, count > 1 else {
    for i in 0..<count { consume(i, work(i)) }
    return
  }
  let slots = Slots<Result>(count)
  let window = DispatchSemaphore(value: workers * 2)
  for _ in 0..<min(workers, count) {
    DispatchQueue.global().async {
      while true {
        window.wait()
        guard let i = slots.claim() else {
          window.signal()
          return
        }
        slots.put(i, work(i))
      }
    }
  }
  for i in 0..<count {
    consume(i, slots.take(i))
    window.signal()
  }
}

/// The results of `inOrder`, each slot filled once by a worker and emptied once by the consumer.
private final class Slots<Result: Sendable>: @unchecked Sendable {
  private let queue = DispatchQueue(label: "rebill.slots")
  private var results: [Result?]
  private let ready: [DispatchSemaphore]
  private var next = 0

  init(_ count: Int) {
    results = Array(repeating: nil, count: count)
    ready = (0..<count).map { _ in DispatchSemaphore(value: 0) }
  }

  /// The next index to work on, or nil when all are taken.
  func claim() -> Int? {
    queue.sync {
      guard next < results.count else { return nil }
      defer { next += 1 }
      return next
    }
  }

  func put(_ i: Int, _ result: Result) {
    queue.sync { results[i] = result }
    ready[i].signal()
  }

  func take(_ i: Int) -> Result {
    ready[i].wait()
    return queue.sync {
      defer { results[i] = nil }
      return results[i]!
    }
  }
}
