import RebillEngine
import RebillJournals
import RebillModel

/// The files of an out folder (FORMATS.md, Out), as bytes: pure, so tests compare them and the
/// golden files hold exactly these.
public enum OutFiles {
  /// `documents.csv`: the `invoices/` schema plus `kind`, `title`, `has_corrections`, so that
  /// it can be dropped into `invoices/` once issued. Rows in creation order, lines in order.
  public static func documents(_ documents: [Document]) -> String {
    var csv = CSVWriter(header: [
      "invoice", "date", "customer", "currency", "line", "class", "source", "quantity",
      "unit_price", "amount", "contract", "contract_line", "billing", "tax_amount", "corrects",
      "correction", "title", "kind", "has_corrections",
    ])
    for document in documents {
      for line in document.lines {
        csv.row([
          line.invoice.value, line.date.description, line.customer.value, line.currency.code,
          line.line, line.lineClass.rawValue, line.source, line.quantity.description,
          price(line.unitPrice, line.currency), line.amount.amountText,
          line.contract?.value ?? "", line.contractLine?.value ?? "", line.billing.rawValue,
          line.taxAmount.amountText, line.corrects?.description ?? "",
          String(line.correction), line.title ?? "", line.kind?.rawValue ?? "",
          String(line.hasCorrections ?? false),
        ])
      }
    }
    return csv.text
  }

  /// `actuals.csv`: every actual, entries' unbilled sales first (by entry id), then each
  /// document's actuals in posting order (confirmed invoices by date and id, then the documents
  /// of this run in creation order), line by line.
  public static func actuals(_ actuals: [Actual]) -> String {
    var csv = CSVWriter(header: [
      "actual", "date", "type", "reverses", "class", "billing", "source", "contract",
      "contract_line", "customer", "document", "document_line", "quantity", "unit_price", "amount",
      "currency", "origin",
    ])
    for a in actuals {
      csv.row([
        a.id, a.date.description, a.type.rawValue, a.reverses ?? "", a.lineClass.rawValue,
        a.billing.rawValue, a.source, a.contract?.value ?? "", a.contractLine?.value ?? "",
        a.customer.value, a.document?.value ?? "", a.documentLine ?? "", a.quantity.description,
        price(a.unitPrice, a.amount.currency), a.amount.amountText, a.amount.currency.code,
        a.origin.rawValue,
      ])
    }
    return csv.text
  }

  /// `milestones.csv`: each milestone's status after the run, by milestone id.
  public static func milestones(_ states: [MilestoneState]) -> String {
    var csv = CSVWriter(header: [
      "milestone", "contract", "contract_line", "date", "amount", "currency", "status",
    ])
    for state in states {
      let m = state.milestone
      csv.row([
        m.id.value, m.contract.value, m.contractLine.value, m.date.description,
        state.amount?.amountText ?? "", state.amount?.currency.code ?? "", state.status.rawValue,
      ])
    }
    return csv.text
  }

  /// Every file of the out folder by its path in it: the four files, then `journals/` with one
  /// file per layout asked for.
  public static func all(
    _ result: RunResult, counts: [(folder: String, records: Int)],
    journals: [(layout: JournalLayout, entries: [JournalEntry])] = [], legalEntity: String = ""
  ) -> [(path: String, bytes: [UInt8])] {
    var files: [(String, [UInt8])] = [
      ("documents.csv", Array(documents(result.documents).utf8)),
      ("actuals.csv", Array(actuals(result.actuals).utf8)),
      ("milestones.csv", Array(milestones(result.milestones).utf8)),
      ("report.txt", Array(result.renderReport(counts: counts).utf8)),
    ]
    let context = RenderContext(runDate: result.settings.runDate, legalEntity: legalEntity)
    for (layout, entries) in journals {
      files.append(
        (
          "journals/\(layout.fileName)",
          JournalRenderer.render(entries, layout: layout, context: context)
        ))
    }
    return files
  }

  /// A unit price with at least the currency's decimals and at most its own six: `165.00`,
  /// `0.085`.
  static func price(_ price: UnitPrice, _ currency: Currency) -> String {
    formatTrimmed(price.micros, scale: 6, keep: min(6, currency.minorUnits))
  }

}
