import RebillModel

/// What happened in a run, for `report.txt`.
public struct Report: Sendable {
  public var runDate: CalendarDate?
  public var through: CalendarDate?
  /// The documents created, in creation order, with their titles.
  public var documents: [(document: Document, title: String)] = []
  public var drift: [DriftFinding] = []
  public var pendingReturns: [PendingReturn] = []
  /// Entries whose project has no contract line including their class: no sales actual.
  public var entriesWithoutLine: [Entry] = []

  public init() {}
}

extension RunResult {
  /// `report.txt`: plain text, one fact a line, in a stable order, so that a diff of two runs'
  /// reports reads as what changed.
  public func renderReport(counts: [(folder: String, records: Int)]) -> String {
    var out: [String] = []
    out.append("rebill report")
    out.append("run date: \(report.runDate?.description ?? "none")")
    out.append("cut-off (through): \(report.through?.description ?? "none")")
    out.append("")
    out.append("records read")
    for (folder, n) in counts { out.append("  \(pad(folder, 12)) \(n)") }
    out.append("")
    out.append("documents created: \(report.documents.count)")
    for (document, title) in report.documents {
      out.append(
        "  \(document.id)  \(document.date)  \(title)  \(document.customer)  total \(document.total)  (\(document.reason))"
      )
    }
    var totals: [Currency: Money] = [:]
    for (document, _) in report.documents {
      totals[document.currency] =
        (totals[document.currency] ?? .zero(document.currency)) + document.total
    }
    for currency in totals.keys.sorted() { out.append("  total \(totals[currency]!)") }
    out.append("")
    out.append("actuals: \(actuals.count)")
    let unbilled = actuals.filter { $0.type == .unbilledSales }.count
    out.append("  unbilled_sales \(unbilled), billed_sales \(actuals.count - unbilled)")
    out.append("")
    out.append("drift found: \(report.drift.count)")
    for finding in report.drift {
      let action = finding.document.map { "corrected by \($0)" } ?? "reported only"
      out.append("  \(finding.line.ref) (\(finding.line.source)): \(finding.reason); \(action)")
    }
    out.append("")
    out.append("returns pending: \(report.pendingReturns.count)")
    for pending in report.pendingReturns {
      out.append(
        "  \(pending.line.source) \(pending.line.status.rawValue): \(pending.line.quantity) × \(pending.line.item)"
      )
    }
    out.append("")
    out.append(
      "entries on no contract line including their class: \(report.entriesWithoutLine.count)")
    for entry in report.entriesWithoutLine {
      out.append("  \(entry.id) (\(entry.lineClass.rawValue), project \(entry.project))")
    }
    out.append("")
    out.append("milestones")
    for state in milestones {
      out.append("  \(state.milestone.id) \(state.status.rawValue)")
    }
    return out.joined(separator: "\n") + "\n"
  }
}

func pad(_ text: String, _ width: Int) -> String {
  text + String(repeating: " ", count: max(0, width - text.count))
}
