import Dispatch
import TestSupport
import Testing

@testable import RebillModel

/// `Name`: 15 bytes inline, more interned. Whatever the length, a name gives back its text,
/// equals, orders and hashes as its string does, and equal text read anywhere is one name.
@Suite struct NameTests {
  /// Texts of every length from 0 to 40, some that are prefixes of others or end in 0 bytes.
  static let texts: [String] = {
    var texts: [String] = []
    for count in 0...40 {
      let text = String((0..<count).map { Character(UnicodeScalar(UInt8(65 + ($0 * 7) % 26))) })
      texts.append(text)
      texts.append(text + "\0")
      texts.append(text + "~")
      if count > 0 { texts.append(String(text.dropLast()) + "A") }
    }
    var seen = Set<String>()
    return texts.filter { seen.insert($0).inserted }
  }()

  /// A reader's cache of long names gives the name the store gives, whatever it held in the
  /// slot before: 5,000 ids of 16 to 40 bytes, each asked for three times in a shuffled order
  /// (far more than its 1,024 slots), and short and non-ASCII ones passed through.
  @Test func aCacheOfNamesGivesTheStoresNames() {
    var rng = SplitMix64(seed: 3)
    let ids = (0..<5_000).map { i in
      "INV-K\(i)-" + String(repeating: "C", count: Int(rng.next() % 25)) + "-\(i % 7)"
    }
    var asked = ids + ids + ids + ["short", "", "\u{E9}t\u{E9}-and-more-than-15-bytes"]
    for i in asked.indices.reversed() { asked.swapAt(i, Int(rng.next() % UInt64(i + 1))) }
    var cache = NameCache()
    for text in asked {
      var text = text
      let cached = text.withUTF8 { cache.name(ascii: UnsafeRawBufferPointer($0)) }
      #expect(cached == (text.utf8.allSatisfy { $0 < 0x80 } ? Name(text) : nil), "\(text)")
    }
  }

  @Test func givesBackItsTextWhateverTheLength() {
    for text in Self.texts {
      let name = Name(text)
      #expect(name.string == text)
      #expect(name.count == text.utf8.count)
      #expect(name.isEmpty == text.isEmpty)
      let fromBytes = Array(text.utf8).withUnsafeBytes { Name(bytes: $0) }
      #expect(fromBytes == name, "\(text)")
      #expect(name.isInterned == (text.utf8.count > 15))
    }
  }

  @Test func equalsAndOrdersAsItsString() {
    for a in Self.texts {
      for b in Self.texts {
        #expect((Name(a) == Name(b)) == (a == b), "\(a) == \(b)")
        #expect((Name(a) < Name(b)) == (a < b), "\(a) < \(b)")
      }
    }
  }

  /// Equal names hash alike (a long one as `KeyHash` hashes its text); these distinct texts,
  /// prefixes of each other among them, all hash apart.
  @Test func hashesApart() {
    var seen: [UInt64: String] = [:]
    for text in Self.texts {
      let hash = Name(text).keyHash
      #expect(Array(text.utf8).withUnsafeBytes { Name(bytes: $0) }.keyHash == hash)
      if text.utf8.count > 15 { #expect(hash == KeyHash.hash(text)) }
      #expect(seen.updateValue(text, forKey: hash) == nil, "\(text)")
    }
  }

  /// An optional name is no larger than a name, and no name of any length, the empty one
  /// included, is taken for `nil`.
  @Test func anOptionalNameTakesNoMoreRoom() {
    #expect(MemoryLayout<Name?>.size == MemoryLayout<Name>.size)
    #expect(MemoryLayout<Name?>.size == 16)
    for text in Self.texts {
      let some: Name? = Name(text)
      #expect(some != nil)
      #expect(some?.string == text)
      let names: [Name?] = [nil, Name(text), nil]
      #expect(names.map { $0 == nil } == [true, false, true])
    }
  }

  /// Canonically equal text is one name, held (and written) in NFC.
  @Test func canonicallyEqualTextIsOneName() {
    #expect(Name("Cafe\u{301}-1") == Name("Caf\u{E9}-1"))
    #expect(Name("Cafe\u{301}-1").string.utf8.elementsEqual("Caf\u{E9}-1".utf8))
    #expect(Name("\u{212A}") == Name("K"))
    let long = "INV-\u{212A}00160-C00160B-08-Cafe\u{301}"
    #expect(Name(long) == Name("INV-K00160-C00160B-08-Caf\u{E9}"))
    #expect(Name(long).keyHash == KeyHash.hash(long))
    #expect((Name("\u{E9}") < Name("f")) == ("\u{E9}" < "f"))
    let bytes = Array("Cafe\u{301}-1".utf8)
    #expect(bytes.withUnsafeBytes { Name(bytes: $0) } == Name("Caf\u{E9}-1"))
  }

  /// Free text is kept byte for byte, NFC or not, short or long.
  @Test func verbatimTextIsKeptAsItIs() {
    for text in [
      "Cafe\u{301}", "Faktura Cafe\u{301} \u{212A}elvin", "Invoice",
      String(repeating: "x", count: 40),
    ] {
      #expect(Name(verbatim: text).string.utf8.elementsEqual(text.utf8))
    }
    #expect(Name(verbatim: "Invoice") == Name("Invoice"))
  }

  /// Text interned from several threads at once is one name.
  @Test func textInternedConcurrentlyIsOneName() {
    let texts = (0..<2000).map { "INV-K\($0 % 500)-C00160B-00000000" }
    let names = UnsafeMutableBufferPointer<Name>.allocate(capacity: texts.count)
    defer { names.deallocate() }
    nonisolated(unsafe) let shared = names
    DispatchQueue.concurrentPerform(iterations: texts.count) { shared[$0] = Name(texts[$0]) }
    for (i, text) in texts.enumerated() {
      #expect(names[i] == names[i % 500])
      #expect(names[i].string == text)
    }
  }
}
