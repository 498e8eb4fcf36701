import Testing

@testable import RebillModel

@Suite struct KeyPositionsTests {
  /// Keys are numbered in the order they are first met; a key met again keeps its number.
  @Test func numbersKeysInTheOrderFirstMet() {
    var positions = KeyPositions<Name>()
    let met = ["C2", "C1", "C2", "C3", "C1"].map { positions.position(of: Name($0)) }
    #expect(met.map(\.position) == [0, 1, 0, 2, 1])
    #expect(met.map(\.isNew) == [true, true, false, true, false])
    #expect(positions[Name("C3")] == 2)
    #expect(positions[Name("C4")] == nil)
  }
}
