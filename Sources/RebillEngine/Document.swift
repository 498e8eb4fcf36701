import RebillModel

/// A document a run creates: an invoice, a credit note or a corrective invoice. Its lines are
/// invoice line details in the `invoices/` schema, so that `documents.csv` can be fed back.
public struct Document: Hashable, Sendable {
  public var id: InvoiceID
  public var date: CalendarDate
  public var customer: CustomerID
  public var currency: Currency
  public var lines: [InvoiceLine]
  /// Why the run made it, for the report: "correction of INV-1 (instruction)", "drift", …
  public var reason: String

  public init(
    id: InvoiceID, date: CalendarDate, customer: CustomerID, currency: Currency,
    lines: [InvoiceLine], reason: String
  ) {
    self.id = id
    self.date = date
    self.customer = customer
    self.currency = currency
    self.lines = lines
    self.reason = reason
  }

  /// The chargeable lines' amounts plus their tax; other lines are shown but do not count.
  public var total: Money { sum { $0.amount + $0.taxAmount } }

  public var net: Money { sum(\.amount) }

  /// A sum over the chargeable lines, read in place (a copy of a line retains its strings).
  private func sum(_ value: (borrowing InvoiceLine) -> Money) -> Money {
    var sum = Money.zero(currency)
    lines.withUnsafeBufferPointer { lines in
      for i in lines.indices where lines[i].billing == .chargeable { sum = sum + value(lines[i]) }
    }
    return sum
  }

  /// A credit note when the total is negative (DOMAIN §1).
  public var kind: DocumentKind { total.minorUnits < 0 ? .creditNote : .invoice }

  public var hasCorrections: Bool { lines.contains { $0.correction } }

  /// Its title, as the run set it on every line (DOMAIN §7).
  public var title: String { titleName.string }

  /// `title` as the lines hold it, a name (the journals write it on every entry).
  public var titleName: Name {
    lines.first?.title ?? (kind == .creditNote ? "Credit note" : "Invoice")
  }
}

/// What the report and the summary say of a document, without its lines: a run written part by
/// part lets go of the lines once `documents.csv` has them.
public struct DocumentSummary: Hashable, Sendable {
  public var id: InvoiceID
  public var date: CalendarDate
  public var customer: CustomerID
  public var title: String
  public var total: Money
  public var reason: String

  public init(_ document: Document) {
    id = document.id
    date = document.date
    customer = document.customer
    title = document.title
    total = document.total
    reason = document.reason
  }
}

/// Titles (DOMAIN §7): *Invoice* for a total of zero or more, *Credit note* below zero, and
/// *Corrective invoice* for the credit notes of a `DE` entity dated on or after the setting
/// `corrective_invoice_label_from`.
public func title(of document: Document, country: String, labelFrom: CalendarDate?) -> String {
  guard document.kind == .creditNote else { return "Invoice" }
  if country == "DE", let labelFrom, document.date >= labelFrom { return "Corrective invoice" }
  return "Credit note"
}
