import RebillModel

/// Entry points for the fuzz targets (`make fuzz`): bytes in memory through the same readers,
/// decoders and cross-checks as a real inbox, every kind in turn. Never used by the command
/// line.
public enum Fuzzing {
  /// Decodes `bytes` as a CSV file of every kind; the number of records and problems found.
  public static func decodeCSV(_ bytes: [UInt8]) -> Int { decode(bytes, format: .csv) }

  /// Decodes `bytes` as a YAML file of every kind (nested `lines:` included).
  public static func decodeYAML(_ bytes: [UInt8]) -> Int { decode(bytes, format: .yaml) }

  struct BytesVisitor: KindVisitor {
    let bytes: [UInt8]
    let format: InboxReader.Format
    let log: DiagnosticLog

    func visit<K: RecordKind>(_ kind: K.Type, into records: inout [K.Record]) {
      let reader = KindReader<K>(log: log)
      switch format {
      case .csv: reader.readCSV(.bytes(bytes), display: "fuzz.csv", file: 0, into: &records)
      case .yaml:
        reader.readYAML(path: "", data: bytes, display: "fuzz.yaml", file: 0, into: &records)
      }
    }
  }

  static func decode(_ bytes: [UInt8], format: InboxReader.Format) -> Int {
    var inbox = Inbox()
    let log = DiagnosticLog()
    var visitor = BytesVisitor(bytes: bytes, format: format, log: log)
    inbox.visitEveryKind(&visitor)
    InboxValidator(inbox: inbox, log: log).validate()
    return log.diagnostics.count + inbox.entries.count + inbox.invoiceLines.count
  }
}
