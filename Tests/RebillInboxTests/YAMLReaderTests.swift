import Testing

@testable import RebillInbox

@Suite struct YAMLReaderTests {
  func read(_ text: String) throws(YAMLError) -> (YAMLNode?, [YAMLError]) {
    var reader = YAMLReader()
    let node = try reader.read(Array(text.utf8))
    return (node, reader.problems)
  }

  @Test func keepsScalarsAsTextWithOneBasedMarks() throws {
    let (node, problems) = try read("- a: no\n  b: '007'\n  c: 1.50\n  d: ~\n")
    #expect(problems.isEmpty)
    guard case .sequence(let items, _)? = node, case .mapping(let pairs, let mark) = items[0] else {
      Issue.record("expected a list of one mapping")
      return
    }
    #expect(mark == .init(line: 1, column: 3))
    let values = pairs.map { pair -> String in
      if case .scalar(let text, _, let isNull) = pair.value { return isNull ? "null" : text }
      return "?"
    }
    #expect(pairs.map(\.key) == ["a", "b", "c", "d"])
    #expect(values == ["no", "007", "1.50", "null"])
    #expect(pairs[2].keyMark == .init(line: 3, column: 3))
  }

  @Test func anEmptyStreamHoldsNothing() throws {
    #expect(try read("").0.isNone)
    #expect(try read("# only a comment\n").0.isNone)
  }

  @Test func refusesASecondDocument() {
    #expect(
      throws: YAMLError(
        mark: .init(line: 2, column: 1), message: "expected one YAML document, found another")
    ) {
      try read("- a: 1\n---\n- b: 2\n")
    }
  }

  @Test func refusesAKeyThatIsNotPlain() {
    #expect(
      throws: YAMLError(
        mark: .init(line: 1, column: 3), message: "expected a plain key, found a list")
    ) {
      try read("? [a, b]\n: 1\n")
    }
  }

  /// Nesting a million deep stops at the limit at once: no recursion, no stack to overflow.
  @Test func stopsAtTheNestingLimit() {
    let deep = String(repeating: "[", count: 1_000_000)
    #expect(
      throws: YAMLError(
        mark: .init(line: 1, column: 33),
        message: "expected at most 32 levels of nesting, found more")
    ) {
      try read(deep)
    }
  }

  /// The billion laughs: aliases are never expanded, each is reported and read as nothing.
  @Test func neverExpandsAliases() throws {
    var text = "a: &a [x, x, x, x, x, x, x, x, x]\n"
    for level in 1...9 {
      let refs = Array(repeating: "*l\(level - 1)", count: 9).joined(separator: ", ")
      text += "l\(level): &l\(level) [\(refs)]\n"
    }
    text = text.replacingOccurrences(of: "&a", with: "&l0")
    let (_, problems) = try read(text)
    #expect(problems.count == 81)
    #expect(problems.allSatisfy { $0.message.contains("alias") })
  }
}

extension Optional {
  fileprivate var isNone: Bool { self == nil }
}
