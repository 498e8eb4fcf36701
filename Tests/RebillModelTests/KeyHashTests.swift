import Testing

@testable import RebillModel

/// Ids hash by `KeyHash`, not SipHash: equal ids (canonically, as Swift strings compare) must
/// hash alike, and different ones should not collide, whatever their length.
@Suite struct KeyHashTests {
  @Test func canonicallyEqualStringsHashAlike() {
    #expect(KeyHash.hash("Caf\u{E9}-1") == KeyHash.hash("Cafe\u{301}-1"))
    #expect(KeyHash.hash("\u{212A}") == KeyHash.hash("K"))
    #expect(KeyHash.hash("INV-\u{212A}00160-C00160B-08") == KeyHash.hash("INV-K00160-C00160B-08"))
    #expect(KeyHash.hash("") == KeyHash.hash(String()))
    // The only characters that are not ASCII but canonically are (Unicode's decompositions).
    #expect(KeyHash.hash("a\u{37E}b") == KeyHash.hash("a;b"))
    #expect(KeyHash.hash("\u{1FEF}") == KeyHash.hash("`"))
    #expect("a\u{37E}b" == "a;b" && "\u{1FEF}" == "`")
    // Not ASCII, and not ASCII once normalized: hashed as the standard library hashes it.
    #expect(KeyHash.hash("\u{212B}ngstr\u{F6}m") == KeyHash.hash("A\u{30A}ngstro\u{308}m"))
    #expect(KeyHash.hash("\u{212A}\u{E9}") == KeyHash.hash("Ke\u{301}"))
  }

  /// Every length from 0 to 40 (a word boundary, the overlapping last word, the short forms)
  /// and every byte position changed: no two of these ids share a hash.
  @Test func distinctStringsHashApart() {
    var seen: [UInt64: String] = [:]
    for length in 0...40 {
      let base = String(repeating: "a", count: length)
      var variants = [base]
      for i in 0..<length {
        var bytes = Array(base.utf8)
        bytes[i] = UInt8(ascii: "b")
        variants.append(String(decoding: bytes, as: UTF8.self))
      }
      for text in variants {
        let hash = KeyHash.hash(text)
        #expect(seen[hash] == nil, "\(text) and \(seen[hash] ?? "") hash alike")
        seen[hash] = text
      }
    }
    #expect(seen.count == (0...40).reduce(0) { $0 + 1 + $1 })
  }

  /// Ids and refs as keys: found whatever the form they are written in, and told apart.
  @Test func idsAndRefsAreKeys() {
    var customers: [CustomerID: Int] = [:]
    customers[CustomerID("Caf\u{E9}")] = 1
    customers[CustomerID("C00160B")] = 2
    #expect(customers[CustomerID("Cafe\u{301}")] == 1)
    #expect(customers[CustomerID("C00160B")] == 2)
    #expect(customers[CustomerID("C00160")] == nil)
    let refs: Set = [
      InvoiceLineRef(invoice: InvoiceID("INV-1"), line: "12"),
      InvoiceLineRef(invoice: InvoiceID("INV-11"), line: "2"),
    ]
    #expect(refs.count == 2)
    #expect(refs.contains(InvoiceLineRef(invoice: InvoiceID("INV-1"), line: "12")))
    #expect(!refs.contains(InvoiceLineRef(invoice: InvoiceID("INV-1"), line: "2")))
  }
}
