import Foundation
import Testing

@testable import RebillEngine

/// `inOrder`: every result handed over once, in index order, whatever order the threads finish
/// in; and what is being worked on or waits never weighs more than the budget, unless it is a
/// single result.
@Suite struct InOrderTests {
  /// What the workers hold at once, and the most they ever held.
  final class Held: @unchecked Sendable {
    let lock = NSLock()
    var weight = 0
    var most = 0
    var mostAlone = 0

    func add(_ w: Int) {
      lock.lock()
      weight += w
      if weight > most { most = weight }
      lock.unlock()
    }

    func remove(_ w: Int) {
      lock.lock()
      weight -= w
      lock.unlock()
    }
  }

  @Test func resultsInOrderWithinTheBudget() {
    // Weights of 1 to 50 with a few over the budget, which go alone.
    let weights = (0..<300).map { i in i % 37 == 0 ? 90 : 1 + (i * 7919) % 50 }
    let budget = 60
    let held = Held()
    var consumed: [Int] = []
    inOrder(
      count: weights.count, workers: 4, weight: { weights[$0] }, budget: budget,
      work: { i in
        held.add(weights[i])
        // Uneven work, so that threads finish out of order.
        var x = UInt64(i)
        for _ in 0..<(weights[i] * 200) { x = x &* 6_364_136_223_846_793_005 &+ 1 }
        return (i, x)
      },
      consume: { i, result in
        #expect(result.0 == i)
        consumed.append(i)
        held.remove(weights[i])
      })
    #expect(consumed == Array(weights.indices))
    // Held counts a result from its start to its hand-over: within the budget, or one alone.
    #expect(held.most <= max(budget, weights.max()!))
    #expect(held.weight == 0)
  }

  /// Small parts go to a thread in runs of at least `batchRecords` records, a large part
  /// alone; every part is in one run, in order.
  @Test func smallPartsHandedOverTogether() {
    #expect(partBatches([]) == [])
    #expect(partBatches([5]) == [0..<1])
    #expect(partBatches([batchRecords, 1, 1]) == [0..<1, 1..<3])
    // A large part, 2,500 parts of 2 records, a large part, then one record: the large part
    // alone, the small ones 1,000 at a time, the rest with the next large part, the last.
    let records = [50_000] + [Int](repeating: 2, count: 2_500) + [30_000, 1]
    let batches = partBatches(records)
    #expect(batches == [0..<1, 1..<1_001, 1_001..<2_001, 2_001..<2_502, 2_502..<2_503])
    for batch in batches.dropLast() {
      #expect(batch.reduce(0) { $0 + records[$1] } >= batchRecords)
    }
  }

  @Test func oneWorkerOrOneResult() {
    var consumed: [Int] = []
    inOrder(count: 5, workers: 1, budget: 1, work: { $0 * 2 }, consume: { consumed.append($1) })
    inOrder(count: 1, workers: 4, budget: 1, work: { $0 + 100 }, consume: { consumed.append($1) })
    inOrder(count: 0, workers: 4, budget: 1, work: { $0 }, consume: { consumed.append($1) })
    #expect(consumed == [0, 2, 4, 6, 8, 100])
  }
}
