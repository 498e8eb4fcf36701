import RebillModel
import Testing

@testable import RebillEngine

/// A document's lines are posted in line order: numbers by their value, whatever their width
/// (up to 18 digits read as bytes, longer through `Int`), then any other line in text order.
@Suite struct LineOrderTests {
  @Test func numbersByValueThenText() {
    let lines: [Name] = [
      "10", "2", "b", "1", "007", "a", "999999999999999999", "1000000000000000000", "",
    ]
    #expect(
      lines.sorted(by: lineOrder) == [
        "1", "2", "007", "10", "999999999999999999", "1000000000000000000", "", "a", "b",
      ])
  }
}
