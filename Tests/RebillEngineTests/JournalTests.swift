import Foundation
import RebillInbox
import RebillJournals
import RebillOut
import TestSupport
import Testing

@testable import RebillEngine
@testable import RebillModel

/// Every shipped layout read back by its own convention and shown to balance, entry by entry.
@Suite struct JournalTests {
  static let mappings = Paths.repository.appendingPathComponent("mappings").path
  static let layoutNames = [
    "generic", "d365", "sap", "quickbooks", "xero", "netsuite", "intacct", "odoo", "datev",
    "hledger", "beancount",
  ]

  static func samples() throws -> (RunResult, [JournalEntry]) {
    let reading = InboxReader.read(Paths.samples)
    let result = reconcile(reading.inbox)
    let accounts = try #require(MappingReader.accounts(path: mappings + "/accounts.yaml").0)
    let entries = try JournalBuilder.entries(
      for: result, contractLines: reading.inbox.contractLines, accounts: accounts)
    return (result, entries)
  }

  /// Each actual's work day (what the accrual asks) is the date of the first actual of an entry
  /// for its source, as a table of the run's sources gives it; none where there is none.
  @Test func workDaysAreThoseOfTheSourcesEntries() throws {
    let (result, _) = try Self.samples()
    #expect(result.workDays.count == result.actuals.count)
    var firsts: [Name: Int32] = [:]
    for actual in result.actuals where actual.origin == .entry && firsts[actual.source] == nil {
      firsts[actual.source] = actual.date.daysSinceEpoch
    }
    #expect(!firsts.isEmpty)
    #expect(result.workDays.contains(RunResult.noWorkDay), "the samples bill sources not entries")
    for (actual, day) in zip(result.actuals, result.workDays) {
      #expect(day == firsts[actual.source] ?? RunResult.noWorkDay, "\(actual.ref)")
    }
  }

  static func layout(_ name: String) throws -> JournalLayout {
    let (layout, problems) = MappingReader.layout(path: "\(mappings)/journals/\(name).yaml")
    #expect(problems.map(\.description) == [])
    return try #require(layout)
  }

  @Test func everyEntryBalancesPerCurrency() throws {
    let (result, entries) = try Self.samples()
    #expect(entries.count == result.documents.count + 2)  // and the accrual with its reversal
    for entry in entries { #expect(entry.imbalance.minorUnits == 0, "\(entry.id)") }
  }

  @Test(arguments: layoutNames) func theLayoutReadsAndCitesItsSource(name: String) throws {
    let layout = try Self.layout(name)
    #expect(!layout.source.isEmpty)
    #expect(layout.fileName.hasPrefix(name + "."))
  }

  /// A table layout, parsed back with its own delimiter, encoding and amount convention: each
  /// entry's rows sum to zero per currency.
  @Test(arguments: layoutNames.filter { $0 != "hledger" && $0 != "beancount" })
  func theTableBalancesByItsOwnConvention(name: String) throws {
    let layout = try Self.layout(name)
    let (result, entries) = try Self.samples()
    let bytes = JournalRenderer.render(
      entries, layout: layout,
      context: RenderContext(runDate: result.settings.runDate, legalEntity: "BRIGHTLINE-DE"))
    let text =
      layout.encoding == .windows1252
      ? String(bytes.map { Character(UnicodeScalar($0)) }) : String(decoding: bytes, as: UTF8.self)
    var records = parse(text, delimiter: Character(layout.delimiter))
    records.removeFirst(layout.preamble.count + (layout.header ? 1 : 0))
    func column(_ field: String) -> Int? { layout.columns.firstIndex { $0.value == "{\(field)}" } }
    func amount(_ text: String) -> Int64 {
      let plain = text.replacingOccurrences(of: layout.decimalSeparator, with: ".")
      guard !plain.isEmpty, case .success(let d) = ExactDecimal.parse(plain) else { return 0 }
      return d.rescaled(to: 2)!
    }
    var entry = ""
    var sums: [String: Int64] = [:]
    var rows = 0
    for record in records {
      rows += 1
      if let e = column("entry") ?? column("description"), !record[e].isEmpty { entry = record[e] }
      var signed: Int64
      switch layout.amountStyle {
      case .debitCredit:
        signed = amount(record[column("debit")!]) - amount(record[column("credit")!])
      case .signed: signed = amount(record[column("amount")!])
      case .flag(let debit, _):
        signed = amount(record[column("amount")!])
        if record[column("flag")!] != debit { signed = -signed }
      }
      if layout.pairs {
        // Each row is a debit/credit pair in itself: both accounts named, a positive amount.
        #expect(!record[column("account")!].isEmpty && !record[column("contra_account")!].isEmpty)
        #expect(amount(record[column("amount")!]) > 0)
        signed = 0
      }
      sums[entry, default: 0] += signed
    }
    let postings = entries.reduce(0) {
      $0 + $1.postings.count - (layout.pairs ? $1.postings.count / 2 : 0)
    }
    if !layout.pairs { #expect(rows == postings) }
    #expect(sums.count == entries.count || layout.pairs)
    for (entry, sum) in sums { #expect(sum == 0, "\(name): \(entry) is off by \(sum) cents") }
  }

  /// The plain-text ledgers, read by their real consumers where they are installed (make test
  /// installs both; `make check-journals` runs them too).
  @Test(arguments: [("hledger", ["check", "--strict", "-f"]), ("bean-check", [])])
  func aRealConsumerAcceptsTheLedger(tool: String, arguments: [String]) throws {
    guard let path = which(tool) else {
      print("skipped: \(tool) is not installed (make setup installs it)")
      return
    }
    let (result, entries) = try Self.samples()
    let layout = try Self.layout(tool == "hledger" ? "hledger" : "beancount")
    let file = FileManager.default.temporaryDirectory.appendingPathComponent(
      "rebill-\(UUID().uuidString).\(layout.fileExtension)")
    defer { try? FileManager.default.removeItem(at: file) }
    try Data(
      JournalRenderer.render(
        entries, layout: layout,
        context: RenderContext(runDate: result.settings.runDate, legalEntity: ""))
    ).write(to: file)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = arguments + [file.path]
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    #expect(process.terminationStatus == 0, "\(tool): \(output)")
  }

  /// A journal written in chunks on several threads (`writeJournals`, as a run writes them)
  /// is byte for byte the journal rendered whole, whatever the chunk: a posting a chunk, a few,
  /// or all of them in one.
  @Test func chunksWrittenInOrderAreTheWholeJournal() throws {
    let (result, entries) = try Self.samples()
    let context = RenderContext(runDate: result.settings.runDate, legalEntity: "BRIGHTLINE-DE")
    let journals = try Self.layoutNames.map { (layout: try Self.layout($0), entries: entries) }
    let folder = try TempInbox()
    for chunk in [1, 7, 1_000_000] {
      let out = folder.root + "/out-\(chunk)"
      let transaction = try OutFolder.Transaction(out)
      try transaction.writeJournals(journals, context: context, workers: 3, chunk: chunk)
      try transaction.commit()
      for (layout, entries) in journals {
        let written = try Data(
          contentsOf: URL(fileURLWithPath: out + "/journals/" + layout.fileName))
        let whole = JournalRenderer.render(entries, layout: layout, context: context)
        #expect(Array(written) == whole, "\(layout.name) in chunks of \(chunk) postings")
      }
    }
    // A journal with no entries is its head alone.
    let empty = try Self.layoutNames.map {
      (layout: try Self.layout($0), entries: [JournalEntry]())
    }
    let transaction = try OutFolder.Transaction(folder.root + "/empty")
    try transaction.writeJournals(empty, context: context, workers: 2)
    try transaction.commit()
    for (layout, _) in empty {
      let written = try Data(
        contentsOf: URL(fileURLWithPath: folder.root + "/empty/journals/" + layout.fileName))
      #expect(Array(written) == JournalRenderer.render([], layout: layout, context: context))
    }
  }

  /// With minimal quoting, a cell is quoted exactly when it holds the delimiter, a quote or a
  /// line break, whatever wrote it: short and long names (checked on their words or their
  /// floor, not scanned), dates, and numbers whose decimal separator is the delimiter.
  @Test(arguments: [(",", "."), (";", "."), (",", ",")])
  func cellsQuotedExactlyWhenTheyHoldOne(delimiter: String, separator: String) throws {
    let folder = try TempInbox([
      "custom.yaml": """
      kind: table
      delimiter: "\(delimiter)"
      decimal_separator: "\(separator)"
      quoting: minimal
      date_format: DD,MM;YYYY
      columns:
        - {name: entry, value: "{entry}"}
        - {name: customer, value: "{customer}"}
        - {name: account, value: "{account}"}
        - {name: date, value: "{date}"}
        - {name: amount, value: "{amount}"}
        - {name: line, value: "{line}"}

      """
    ])
    let (parsed, problems) = MappingReader.layout(path: folder.root + "/custom.yaml")
    #expect(problems.map(\.description) == [])
    let layout = try #require(parsed)
    let (result, samples) = try Self.samples()
    var entries = samples
    let ids = ["E,1", "E\"2", "a-long-entry-id;with-a-delimiter", "a-long-entry-id-with-none"]
    let customers = ["C;1", "C1", "a-long-customer,name-too", "a-long-customer-\"name\""]
    for i in 0..<min(ids.count, entries.count) {
      entries[i].id = Name(ids[i])
      entries[i].postings[0].customer = CustomerID(customers[i])
    }
    let bytes = JournalRenderer.render(
      entries, layout: layout,
      context: RenderContext(runDate: result.settings.runDate, legalEntity: ""))
    let text = String(decoding: bytes, as: UTF8.self)
    // Every cell, as written, against the value it holds quoted as RFC 4180 asks.
    var rows = parse(text, delimiter: Character(delimiter))
    rows.removeFirst(layout.preamble.count + (layout.header ? 1 : 0))
    var raw = text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
    raw.removeFirst(layout.preamble.count + (layout.header ? 1 : 0))
    #expect(rows.count == raw.count)
    for (row, line) in zip(rows, raw) {
      // A delimiter left unquoted would split a cell in two: as many cells as columns.
      #expect(row.count == layout.columns.count, "\(line)")
      let written = row.map { csvField($0, delimiter: delimiter.utf8.first!) }
      #expect(written.joined(separator: delimiter) == line.trimmingCharacters(in: ["\r"]))
    }
    #expect(rows.map { $0[0] }.contains("a-long-entry-id;with-a-delimiter"))
  }

  @Test func aLayoutNamingAnUnknownFieldIsAnError() throws {
    let folder = try TempInbox([
      "custom.yaml": "kind: table\ncolumns:\n  - {name: x, value: \"{colour}\"}\n"
    ])
    let (layout, problems) = MappingReader.layout(path: folder.root + "/custom.yaml")
    #expect(layout == nil)
    #expect(
      problems.map { $0.description.replacingOccurrences(of: folder.root, with: "m") }.first?
        .hasPrefix(
          "m/custom.yaml:3:5: columns: expected a field of account, account_ledger") == true)
  }

  @Test func anAccountMappingMissingARoleIsAnError() throws {
    let folder = try TempInbox([
      "accounts.yaml": "receivables: {code: \"1200\", name: AR, ledger: \"Assets:AR\"}\n"
    ])
    let (map, problems) = MappingReader.accounts(path: folder.root + "/accounts.yaml")
    #expect(map == nil)
    #expect(problems.count == AccountRole.allCases.count - 1)
  }

  /// Windows-1252 for DATEV: umlauts in one byte each, CRLF, the EXTF header first.
  @Test func datevIsWindows1252WithItsHeaderRecord() throws {
    let layout = try Self.layout("datev")
    let (result, entries) = try Self.samples()
    let bytes = JournalRenderer.render(
      entries, layout: layout,
      context: RenderContext(runDate: result.settings.runDate, legalEntity: ""))
    #expect(bytes.starts(with: Array("\"EXTF\";700;21;\"Buchungsstapel\";13;".utf8)))
    #expect(bytes.contains(0xFC))  // ü of "Schlüssel"
    #expect(!bytes.contains(0xC3))  // no UTF-8 lead byte
    #expect(bytes.filter { $0 == 0x0A }.count == bytes.filter { $0 == 0x0D }.count)
  }

  func which(_ tool: String) -> String? {
    let paths = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":")
    return paths.map { "\($0)/\(tool)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
  }

  /// RFC 4180 with any delimiter: quoted fields, doubled quotes, CRLF or LF.
  func parse(_ text: String, delimiter: Character) -> [[String]] {
    var records: [[String]] = []
    var record: [String] = []
    var field = ""
    var quoted = false
    var chars = Array(text)
    chars.append("\n")
    var i = 0
    while i < chars.count {
      let c = chars[i]
      if quoted {
        if c == "\"" {
          if i + 1 < chars.count && chars[i + 1] == "\"" {
            field.append("\"")
            i += 1
          } else {
            quoted = false
          }
        } else {
          field.append(c)
        }
      } else if c == "\"" {
        quoted = true
      } else if c == delimiter {
        record.append(field)
        field = ""
      } else if c == "\n" || c == "\r\n" || c == "\r" {
        if !(record.isEmpty && field.isEmpty) {
          record.append(field)
          records.append(record)
        }
        record = []
        field = ""
      } else {
        field.append(c)
      }
      i += 1
    }
    return records
  }
}
