import RebillModel

/// Entry points for the fuzz targets (`make fuzz`): bytes in memory through the same readers
/// and decoders as a real inbox, every kind in turn. Never used by the command line.
public enum Fuzzing {
  /// Decodes `bytes` as a CSV file of every kind; the number of records and problems found.
  public static func decodeCSV(_ bytes: [UInt8]) -> Int {
    var inbox = Inbox()
    let log = DiagnosticLog()
    func csv<K: RecordKind>(_ kind: K.Type, into records: inout [K.Record]) {
      KindReader<K>(log: log).readCSV(.bytes(bytes), display: "fuzz.csv", file: 0, into: &records)
    }
    csv(ContractKind.self, into: &inbox.contractLines)
    csv(FundingKind.self, into: &inbox.funding)
    csv(MilestoneKind.self, into: &inbox.milestones)
    csv(RetainerKindRecord.self, into: &inbox.retainers)
    csv(TimesheetKind.self, into: &inbox.entries)
    csv(ExpenseKind.self, into: &inbox.entries)
    csv(OrderKind.self, into: &inbox.orderLines)
    csv(InvoiceKind.self, into: &inbox.invoiceLines)
    csv(CorrectionKind.self, into: &inbox.corrections)
    InboxValidator(inbox: inbox, log: log).validate()
    return log.diagnostics.count + inbox.entries.count + inbox.invoiceLines.count
  }

  /// Decodes `bytes` as a YAML file of every kind (nested `lines:` included).
  public static func decodeYAML(_ bytes: [UInt8]) -> Int {
    var inbox = Inbox()
    let log = DiagnosticLog()
    func yaml<K: RecordKind>(_ kind: K.Type, into records: inout [K.Record]) {
      KindReader<K>(log: log).readYAML(
        path: "", data: bytes, display: "fuzz.yaml", file: 0, into: &records)
    }
    yaml(ContractKind.self, into: &inbox.contractLines)
    yaml(FundingKind.self, into: &inbox.funding)
    yaml(MilestoneKind.self, into: &inbox.milestones)
    yaml(RetainerKindRecord.self, into: &inbox.retainers)
    yaml(TimesheetKind.self, into: &inbox.entries)
    yaml(FeeKind.self, into: &inbox.entries)
    yaml(OrderKind.self, into: &inbox.orderLines)
    yaml(InvoiceKind.self, into: &inbox.invoiceLines)
    yaml(CorrectionKind.self, into: &inbox.corrections)
    InboxValidator(inbox: inbox, log: log).validate()
    return log.diagnostics.count + inbox.entries.count + inbox.invoiceLines.count
  }
}
