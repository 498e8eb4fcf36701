import Testing

@testable import RebillModel

/// `InvoiceLine`: 160 bytes whatever it carries, its rare fields (`LineNotes`) given back as
/// they were set, and lines equal exactly when every field is.
@Suite struct InvoiceLineTests {
  static let eur = Currency(code: "EUR")!

  static func line(
    title: Name? = nil, corrects: InvoiceLineRef? = nil, kind: DocumentKind? = nil,
    hasCorrections: Bool? = nil
  ) -> InvoiceLine {
    InvoiceLine(
      origin: RecordOrigin(file: 0, line: 2), invoice: InvoiceID("INV-1"),
      date: CalendarDate(year: 2026, month: 11, day: 30)!, customer: CustomerID("C1"),
      currency: eur, line: "1", lineClass: .time, source: "T1",
      quantity: Quantity(micros: 1_500_000), unitPrice: UnitPrice(micros: 120_000_000),
      amount: Money(minorUnits: 18_000, currency: eur),
      taxAmount: Money(minorUnits: 3_420, currency: eur), corrects: corrects, title: title,
      kind: kind, hasCorrections: hasCorrections)
  }

  /// A million lines are copied several times in a run: a field added must not grow them
  /// unnoticed (docs/hardening.md, Fresh pages on this machine).
  @Test func aLineTakes160Bytes() {
    #expect(MemoryLayout<InvoiceLine>.stride == 160)
  }

  @Test func amountsAreInTheLinesCurrency() {
    var line = Self.line()
    #expect(line.amount == Money(minorUnits: 18_000, currency: Self.eur))
    #expect(line.taxAmount == Money(minorUnits: 3_420, currency: Self.eur))
    line.amount = -line.amount
    line.taxAmount = Money(minorUnits: 0, currency: Self.eur)
    #expect(line.amount.minorUnits == -18_000)
    #expect(line.taxAmount.minorUnits == 0)
  }

  /// Every combination of the four notes, long and short texts among them, is given back as
  /// made, and set one at a time after.
  @Test func notesAreGivenBackAsSet() {
    let titles: [Name?] = [nil, "Invoice", Name(verbatim: "Facture corrective n° 2026-000123")]
    let refs: [InvoiceLineRef?] = [
      nil, InvoiceLineRef(invoice: InvoiceID("INV-1"), line: "2"),
      InvoiceLineRef(invoice: InvoiceID("INV-K00160-C00160-08"), line: "a-line-longer-than-15"),
    ]
    let kinds: [DocumentKind?] = [nil, .invoice, .creditNote]
    let flags: [Bool?] = [nil, false, true]
    for title in titles {
      for ref in refs {
        for kind in kinds {
          for flag in flags {
            let line = Self.line(title: title, corrects: ref, kind: kind, hasCorrections: flag)
            #expect(line.title == title)
            #expect(line.corrects == ref)
            #expect(line.kind == kind)
            #expect(line.hasCorrections == flag)
            var changed = Self.line()
            changed.title = title
            changed.corrects = ref
            changed.kind = kind
            changed.hasCorrections = flag
            #expect(changed == line)
            var together = Self.line(title: "old", corrects: refs[1], kind: .invoice)
            together.setNotes(title: title, corrects: ref, kind: kind, hasCorrections: flag)
            #expect(together == line)
            #expect(together.hashValue == line.hashValue)
          }
        }
      }
    }
  }

  @Test func linesDifferingInANoteDiffer() {
    #expect(Self.line() != Self.line(title: "Invoice"))
    #expect(Self.line(title: "Invoice") != Self.line(title: "Invoice", kind: .invoice))
    #expect(Self.line(hasCorrections: false) != Self.line(hasCorrections: true))
    #expect(Self.line(hasCorrections: false) != Self.line())
    var line = Self.line(title: "Invoice")
    line.title = nil
    #expect(line == Self.line())
  }
}
