import RebillEngine
import RebillJournals
import RebillModel

/// A file of the out folder: its path in it, and how to write it into any sink. Files are
/// written at once on several threads: `write` only reads what it renders.
public struct OutFile: @unchecked Sendable {
  public let path: String
  public let write: (inout any ByteSink) -> Void

  public init(_ path: String, write: @escaping (inout any ByteSink) -> Void) {
    self.path = path
    self.write = write
  }
}

/// The files of an out folder (FORMATS.md, Out), as bytes: pure, so tests compare them and the
/// golden files hold exactly these.
public enum OutFiles {
  /// `documents.csv`: the `invoices/` schema plus `kind`, `title`, `has_corrections`, so that
  /// it can be dropped into `invoices/` once issued. Rows part by part, in creation order within
  /// a part, lines in order.
  public static func documents(_ documents: [Document], to sink: inout some ByteSink) {
    documentsHeader(to: &sink)
    documentRows(documents, to: &sink)
  }

  public static func documentsHeader(to sink: inout some ByteSink) {
    CSVLine.write(
      [
        "invoice", "date", "customer", "currency", "line", "class", "source", "quantity",
        "unit_price", "amount", "contract", "contract_line", "billing", "tax_amount", "corrects",
        "correction", "title", "kind", "has_corrections",
      ], to: &sink)
  }

  /// Rows of `documents.csv`, without the header: a run written part by part appends each
  /// part's.
  public static func documentRows(_ documents: [Document], to sink: inout some ByteSink) {
    var row = CSVLine(capacity: CSVLine.rows)
    for document in documents {
      for line in document.lines {
        let minor = line.currency.minorUnits
        row.begin()
        row.text(line.invoice)
        row.date(line.date)
        row.text(line.customer)
        row.currency(line.currency)
        row.text(line.line)
        row.word(line.lineClass)
        row.text(line.source)
        row.number(line.quantity.micros, scale: 6, keep: 0)
        row.number(line.unitPrice.micros, scale: 6, keep: min(6, minor))
        row.number(line.amount.minorUnits, scale: minor, keep: minor)
        row.text(line.contract)
        row.text(line.contractLine)
        row.word(line.billing)
        row.number(line.taxAmount.minorUnits, scale: minor, keep: minor)
        row.text(line.corrects?.description)
        row.word(line.correction ? "true" : "false")
        row.text(line.title)
        row.word(line.kind?.rawValue ?? "")
        row.word((line.hasCorrections ?? false) ? "true" : "false")
        row.end()
        row.flush(to: &sink)
      }
    }
    row.write(to: &sink)
  }

  /// `actuals.csv`: every actual, part by part (docs/reconcile.md, Parts of a run); within a
  /// part the entries' unbilled sales first (by entry id), then each document's actuals in
  /// posting order (confirmed invoices by date and id, then the documents of this run in
  /// creation order), line by line.
  public static func actuals(_ actuals: [Actual], to sink: inout some ByteSink) {
    actualsHeader(to: &sink)
    actualRows(actuals, to: &sink)
  }

  public static func actualsHeader(to sink: inout some ByteSink) {
    CSVLine.write(
      [
        "actual", "date", "type", "reverses", "class", "billing", "source", "contract",
        "contract_line", "customer", "document", "document_line", "quantity", "unit_price",
        "amount", "currency", "origin",
      ], to: &sink)
  }

  /// Rows of `actuals.csv`, without the header: a run written part by part appends each part's.
  public static func actualRows(_ actuals: [Actual], to sink: inout some ByteSink) {
    // Millions of rows: dates and numbers written digit by digit, each actual read in place
    // (copying one retains a dozen strings).
    var line = CSVLine(capacity: CSVLine.rows)
    actuals.withUnsafeBufferPointer { actuals in
      for i in actuals.indices {
        line.begin()
        let currency = actuals[i].amount.currency
        if actuals[i].number == 0 {
          line.joined(actuals[i].source, UInt8(ascii: "@"), actuals[i].customer)
        } else {
          line.joined(
            actuals[i].document!, UInt8(ascii: "/"), actuals[i].documentLine!,
            UInt8(ascii: "#"), actuals[i].number)
        }
        line.date(actuals[i].date)
        line.word(actuals[i].type)
        // Matched on the stored value: a computed property of another module would copy the
        // whole actual to be called.
        switch actuals[i].reversed {
        case nil: line.empty()
        case let reversed?: line.actual(reversed)
        }
        line.word(actuals[i].lineClass)
        line.word(actuals[i].billing)
        line.text(actuals[i].source)
        line.text(actuals[i].contract)
        line.text(actuals[i].contractLine)
        line.text(actuals[i].customer)
        line.text(actuals[i].document)
        line.text(actuals[i].documentLine)
        line.number(actuals[i].quantity.micros, scale: 6, keep: 0)
        line.number(actuals[i].unitPrice.micros, scale: 6, keep: min(6, currency.minorUnits))
        line.number(
          actuals[i].amount.minorUnits, scale: currency.minorUnits, keep: currency.minorUnits)
        line.currency(currency)
        line.word(actuals[i].origin)
        line.end()
        line.flush(to: &sink)
      }
    }
    line.write(to: &sink)
  }

  /// `milestones.csv`: each milestone's status after the run, by milestone id.
  public static func milestones(_ states: [MilestoneState], to sink: inout some ByteSink) {
    CSVLine.write(
      [
        "milestone", "contract", "contract_line", "date", "amount", "currency", "status",
      ], to: &sink)
    for state in states {
      let m = state.milestone
      CSVLine.write(
        [
          m.id.value, m.contract.value, m.contractLine.value, m.date.description,
          state.amount?.amountText ?? "", state.amount?.currency.code ?? "", state.status.rawValue,
        ], to: &sink)
    }
  }

  public static func documents(_ documents: [Document]) -> String {
    text { Self.documents(documents, to: &$0) }
  }

  public static func actuals(_ actuals: [Actual]) -> String {
    text { Self.actuals(actuals, to: &$0) }
  }

  public static func milestones(_ states: [MilestoneState]) -> String {
    text { Self.milestones(states, to: &$0) }
  }

  static func text(_ write: (inout MemorySink) -> Void) -> String {
    var sink = MemorySink()
    write(&sink)
    return String(decoding: sink.bytes, as: UTF8.self)
  }

  /// Every file of the out folder by its path in it: the four files, then `journals/` with one
  /// file per layout asked for.
  /// Every file of the out folder, each as a function that writes it into a sink, so that
  /// `OutFolder` streams each straight to disk: the four files, then `journals/` with one file
  /// per layout asked for.
  public static func files(
    _ result: RunResult, counts: [(folder: String, records: Int)],
    journals: [(layout: JournalLayout, entries: [JournalEntry])] = [], legalEntity: String = ""
  ) -> [OutFile] {
    var files = [
      OutFile("documents.csv") { documents(result.documents, to: &$0) },
      OutFile("actuals.csv") { actuals(result.actuals, to: &$0) },
      OutFile("milestones.csv") { milestones(result.milestones, to: &$0) },
      OutFile("report.txt") { $0.write(result.renderReport(counts: counts)) },
    ]
    let context = RenderContext(runDate: result.settings.runDate, legalEntity: legalEntity)
    for (layout, entries) in journals {
      files.append(
        OutFile("journals/\(layout.fileName)") {
          JournalRenderer.render(entries, layout: layout, context: context, to: &$0)
        })
    }
    return files
  }

  /// The same files rendered in memory (tests and golden files).
  public static func all(
    _ result: RunResult, counts: [(folder: String, records: Int)],
    journals: [(layout: JournalLayout, entries: [JournalEntry])] = [], legalEntity: String = ""
  ) -> [(path: String, bytes: [UInt8])] {
    files(result, counts: counts, journals: journals, legalEntity: legalEntity).map { file in
      var sink: any ByteSink = MemorySink()
      file.write(&sink)
      return (file.path, (sink as! MemorySink).bytes)
    }
  }

  /// A unit price with at least the currency's decimals and at most its own six: `165.00`,
  /// `0.085`.
  static func price(_ price: UnitPrice, _ currency: Currency) -> String {
    formatTrimmed(price.micros, scale: 6, keep: min(6, currency.minorUnits))
  }

}
