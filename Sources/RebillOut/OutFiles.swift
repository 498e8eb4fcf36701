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
    streamed(to: &sink) { documentRows(documents, line: &$0, flushAt: $1, to: &$2) }
  }

  /// The rows appended to `line`, kept there whole (a part's rows, handed over as they are).
  public static func documentRows(_ documents: [Document], into line: inout ByteLine) {
    kept(in: &line) { documentRows(documents, line: &$0, flushAt: $1, to: &$2) }
  }

  /// Rows that `write` appends to a line of 64 KiB or so, which goes to `sink` as it fills
  /// and at the end: memory stays flat however many rows there are.
  private static func streamed<Sink: ByteSink>(
    to sink: inout Sink, _ write: (inout ByteLine, Int, inout Sink) -> Void
  ) {
    var line = ByteLine(capacity: CSVLine.rows)
    write(&line, CSVLine.flushAt, &sink)
    line.write(to: &sink)
  }

  /// Rows that `write` appends to `line`, kept there.
  private static func kept(
    in line: inout ByteLine, _ write: (inout ByteLine, Int, inout MemorySink) -> Void
  ) {
    var unused = MemorySink()
    write(&line, .max, &unused)
  }

  /// The rows appended to `line`, which goes to `sink` whenever it holds `flushAt` bytes.
  private static func documentRows(
    _ documents: [Document], line: inout ByteLine, flushAt: Int, to sink: inout some ByteSink
  ) {
    var prices = DecimalMemo()
    for document in documents {
      document.lines.withUnsafeBufferPointer { lines in
        for i in lines.indices {
          // Read in place, as an actual is (`actualRows`).
          let l = lines.baseAddress! + i
          let texts =
            l.pointee.invoice.name.count + l.pointee.customer.name.count + l.pointee.line.count
            + l.pointee.source.count + (l.pointee.contract?.name.count ?? 0)
            + (l.pointee.contractLine?.name.count ?? 0)
            + (l.pointee.corrects.map { $0.invoice.name.count + $0.line.count } ?? 0)
            + (l.pointee.title?.count ?? 0)
          line.csvRow(room: CSVRow.room(texts: texts)) { row in
            let minor = l.pointee.currency.minorUnits
            row.text(l.pointee.invoice)
            row.date(l.pointee.date)
            row.text(l.pointee.customer)
            row.currency(l.pointee.currency)
            row.text(l.pointee.line)
            row.word(l.pointee.lineClass)
            row.text(l.pointee.source)
            row.amounts(
              l.pointee.quantity, l.pointee.unitPrice, l.pointee.amount, prices: &prices)
            row.text(l.pointee.contract)
            row.text(l.pointee.contractLine)
            row.word(l.pointee.billing)
            row.number(l.pointee.taxAmount.minorUnits, scale: minor, keep: minor)
            row.lineRef(l.pointee.corrects)
            row.bool(l.pointee.correction)
            row.text(l.pointee.title)
            row.word(l.pointee.kind)
            row.bool(l.pointee.hasCorrections ?? false)
          }
          CSVLine.flush(&line, at: flushAt, to: &sink)
        }
      }
    }
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
    streamed(to: &sink) { actualRows(actuals, line: &$0, flushAt: $1, to: &$2) }
  }

  /// The rows appended to `line`, kept there whole (a part's rows, handed over as they are).
  public static func actualRows(_ actuals: [Actual], into line: inout ByteLine) {
    kept(in: &line) { actualRows(actuals, line: &$0, flushAt: $1, to: &$2) }
  }

  /// The rows appended to `line`, which goes to `sink` whenever it holds `flushAt` bytes.
  private static func actualRows(
    _ actuals: [Actual], line: inout ByteLine, flushAt: Int, to sink: inout some ByteSink
  ) {
    // Millions of rows: each actual read in place (a copy costs a copy), and each row written
    // field by field into room reserved for the whole row (`CSVRow`); a unit price the row
    // before wrote is copied.
    var prices = DecimalMemo()
    // Where the row before wrote its columns from `class` to `document_line`, in `line`: the
    // actuals of an invoice line (its reversal and its billing) share them all, and the
    // second copies them rather than writing six names again.
    var shared: (actual: UnsafePointer<Actual>, from: Int, count: Int)?
    actuals.withUnsafeBufferPointer { actuals in
      for i in actuals.indices {
        let a = actuals.baseAddress! + i
        // The id repeats two of the names, and the actual reversed has two more.
        var texts =
          a.pointee.source.count + (a.pointee.contract?.name.count ?? 0)
          + (a.pointee.contractLine?.name.count ?? 0) + a.pointee.customer.name.count
          + (a.pointee.document?.name.count ?? 0) + (a.pointee.documentLine?.count ?? 0)
        switch a.pointee.reversed {
        case .entry(let source, let customer)?: texts += source.count + customer.name.count
        case .line(let document, let line, _)?: texts += document.name.count + line.count
        case nil: break
        }
        let rowStart = line.count
        line.csvRow(room: CSVRow.room(texts: 2 * texts)) { row in
          // The line's first byte (it may have moved to grow): offsets in it stay good.
          let base = row.cursor.at - rowStart
          row.actual(a.pointee.ref)
          row.date(a.pointee.date)
          row.word(a.pointee.type)
          // The stored value matched: a computed property of another module would copy the
          // whole actual to be called.
          row.actual(a.pointee.reversed)
          let from = row.cursor.at - base
          if let before = shared, Self.sameColumns(before.actual, a) {
            copyBytes(base + before.from, to: row.cursor.at, count: before.count)
            row.cursor.at += before.count
          } else {
            row.word(a.pointee.lineClass)
            row.word(a.pointee.billing)
            row.text(a.pointee.source)
            row.text(a.pointee.contract)
            row.text(a.pointee.contractLine)
            row.text(a.pointee.customer)
            row.text(a.pointee.document)
            row.text(a.pointee.documentLine)
          }
          shared = (a, from, row.cursor.at - base - from)
          row.amounts(
            a.pointee.quantity, a.pointee.unitPrice, a.pointee.amount, prices: &prices)
          row.currency(a.pointee.amount.currency)
          row.word(a.pointee.origin)
        }
        CSVLine.flush(&line, at: flushAt, to: &sink)
        // Written out: what the row before wrote is no longer in the line.
        if line.isEmpty { shared = nil }
      }
    }
  }

  /// Whether two actuals have the same columns from `class` to `document_line`.
  @inline(__always) private static func sameColumns(
    _ a: UnsafePointer<Actual>, _ b: UnsafePointer<Actual>
  ) -> Bool {
    a.pointee.source == b.pointee.source && a.pointee.customer == b.pointee.customer
      && a.pointee.document == b.pointee.document
      && a.pointee.documentLine == b.pointee.documentLine
      && a.pointee.contractLine == b.pointee.contractLine
      && a.pointee.contract == b.pointee.contract && a.pointee.lineClass == b.pointee.lineClass
      && a.pointee.billing == b.pointee.billing
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
    let context = renderContext(result, legalEntity: legalEntity)
    for (layout, entries) in journals {
      files.append(
        OutFile(journalPath(layout)) {
          JournalRenderer.render(entries, layout: layout, context: context, to: &$0)
        })
    }
    return files
  }

  /// Where a layout's journal goes in the out folder.
  public static func journalPath(_ layout: JournalLayout) -> String {
    "journals/\(layout.fileName)"
  }

  /// What the journals of a run need beyond their entries.
  public static func renderContext(_ result: RunResult, legalEntity: String) -> RenderContext {
    RenderContext(runDate: result.settings.runDate, legalEntity: legalEntity)
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
