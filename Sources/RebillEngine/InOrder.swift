import Dispatch
import Foundation

/// Runs `work` for 0..<count on up to `workers` threads and hands each result to `consume` on
/// the calling thread, in index order, as soon as it and those before it are done.
///
/// What is being worked on or waits to be consumed weighs at most `budget` (`weight(i)`: what
/// result `i` holds, such as its part's records), or is a single result: memory stays bounded
/// whatever `count` is, and a large result does not hold the other threads back. (A window of
/// a fixed number of results did: the few after a large part were soon done, and then waited
/// behind it with their threads idle.)
package func inOrder<Result: Sendable>(
  count: Int, workers: Int, weight: @escaping @Sendable (Int) -> Int = { _ in 1 }, budget: Int,
  work: @escaping @Sendable (Int) -> Result, consume: (Int, Result) -> Void
) {
  guard workers > 1, count > 1 else {
    for i in 0..<count { consume(i, work(i)) }
    return
  }
  let slots = Slots<Result>(count)
  let window = Window(count: count, weight: weight, budget: budget)
  for _ in 0..<min(workers, count) {
    DispatchQueue.global().async {
      while let i = window.claim() { slots.put(i, work(i)) }
    }
  }
  for i in 0..<count {
    consume(i, slots.take(i))
    window.release(i)
  }
}

/// Which index comes next, and how much the results claimed and not yet consumed weigh.
private final class Window: @unchecked Sendable {
  private let condition = NSCondition()
  private let count: Int
  private let weight: @Sendable (Int) -> Int
  private let budget: Int
  private var next = 0
  private var held = 0

  init(count: Int, weight: @escaping @Sendable (Int) -> Int, budget: Int) {
    self.count = count
    self.weight = weight
    self.budget = budget
  }

  /// The next index, once it fits the budget (or nothing else is held); nil when all are
  /// taken. Indices are claimed in order, so the one the consumer waits for is always claimed
  /// or next, and next fits when nothing is held: no deadlock.
  func claim() -> Int? {
    condition.lock()
    defer { condition.unlock() }
    while next < count && held > 0 && held + weight(next) > budget { condition.wait() }
    guard next < count else { return nil }
    held += weight(next)
    next += 1
    return next - 1
  }

  /// Result `i` was consumed: its weight is free again.
  func release(_ i: Int) {
    condition.lock()
    held -= weight(i)
    condition.broadcast()
    condition.unlock()
  }
}

/// The results of `inOrder`, each slot filled once by a worker and emptied once by the consumer.
private final class Slots<Result: Sendable>: @unchecked Sendable {
  private let queue = DispatchQueue(label: "rebill.slots")
  private var results: [Result?]
  private let ready: [DispatchSemaphore]

  init(_ count: Int) {
    results = Array(repeating: nil, count: count)
    ready = (0..<count).map { _ in DispatchSemaphore(value: 0) }
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
