import RebillModel
import TestSupport
import Testing

@testable import RebillInbox

/// `DuplicateFinder` gives every key equal to an earlier one, with the first's index, exactly as
/// a table of the keys seen would: short and long names, repeated in any order.
@Suite struct DuplicateFinderTests {
  @Test func findsWhatATableOfKeysSeenFinds() {
    var random = SplitMix64(seed: 11)
    let pool = (0..<3000).map { i in
      Name(i % 3 == 0 ? "T\(i)" : "INV-K\(i)-C00160B-\(i % 97)-long-enough")
    }
    let keys = (0..<20000).map { _ in pool.randomElement(using: &random)! }
    var first: [Name: Int] = [:]
    var expected: [(Int, Int)] = []
    for (i, key) in keys.enumerated() {
      if let f = first[key] { expected.append((i, f)) } else { first[key] = i }
    }
    let found = DuplicateFinder.duplicates(count: keys.count, key: { keys[$0] })
    #expect(found.map(\.index) == expected.map(\.0))
    #expect(found.map(\.first) == expected.map(\.1))
    #expect(DuplicateFinder.duplicates(count: pool.count, key: { pool[$0] }).isEmpty)
  }
}
