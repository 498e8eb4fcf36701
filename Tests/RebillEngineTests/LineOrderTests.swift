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

/// A confirmed invoice's lines, found by its id, are its own in line order, whether each
/// invoice's lines came together (then a slice of the inbox's array, nothing copied) or mixed
/// with others' (then gathered), as a generated inbox lists them by entry.
@Suite struct ByInvoiceTests {
  func lines(_ pairs: [(String, String)]) -> [InvoiceLine] {
    var fixture = Scenario()
    for (invoice, line) in pairs {
      fixture.invoiceLine(
        invoice, line, source: "T-\(invoice)-\(line)", quantity: "1", price: "1", amount: "1")
    }
    return fixture.inbox.invoiceLines
  }

  func found(_ lines: [InvoiceLine]) -> [String: [String]] {
    byInvoice(lines).reduce(into: [:]) { $0[$1.key.value] = $1.value.map(\.line.string) }
  }

  @Test func togetherOrMixedTheSame() {
    let together = lines([("A", "1"), ("A", "3"), ("A", "2"), ("B", "1"), ("C", "2"), ("C", "1")])
    let mixed = lines([("C", "2"), ("A", "3"), ("B", "1"), ("A", "1"), ("C", "1"), ("A", "2")])
    let expected = ["A": ["1", "2", "3"], "B": ["1"], "C": ["1", "2"]]
    #expect(found(together) == expected)
    #expect(found(mixed) == expected)
    #expect(found([]) == [:])
  }
}
