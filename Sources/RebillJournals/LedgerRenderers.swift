import RebillModel

extension JournalRenderer {
  static func ledgerName(_ account: Account, _ layout: JournalLayout) -> Name {
    switch layout.accountField {
    case "code": account.code
    case "name": account.name
    default: account.ledger
    }
  }

  /// The accounts the postings name, by the name the layout gives them (sorted), and the
  /// entries' currencies (sorted). Of two roles whose accounts have one name, the one posted
  /// last declares it.
  static func accountsAndCurrencies(_ entries: [JournalEntry], _ layout: JournalLayout) -> (
    [(Name, Account)], [Currency]
  ) {
    // Hundreds of thousands of postings name a dozen accounts, one per role: each role's last
    // use and account kept by its position, the postings read in place.
    var lastUse = [Int](repeating: -1, count: AccountRole.allCases.count)
    var accountOf = [Account?](repeating: nil, count: AccountRole.allCases.count)
    var currencies = Set<Currency>()
    var position = 0
    for entry in entries {
      currencies.insert(entry.currency)
      entry.postings.withUnsafeBufferPointer { postings in
        for i in postings.indices {
          let role = postings[i].role.index
          lastUse[role] = position
          if accountOf[role] == nil { accountOf[role] = entry.account(of: postings[i]) }
          position += 1
        }
      }
    }
    var byName: [Name: (use: Int, account: Account)] = [:]
    for role in lastUse.indices where lastUse[role] >= 0 {
      let account = accountOf[role]!
      let name = ledgerName(account, layout)
      if let known = byName[name], known.use > lastUse[role] { continue }
      byName[name] = (lastUse[role], account)
    }
    let named = byName.map { ($0.key, $0.value.account) }.sorted { $0.0 < $1.0 }
    return (named, currencies.sorted())
  }

  static func dimensions(_ posting: Posting) -> [(String, String)] {
    var tags: [(String, String)] = []
    forEachDimension(posting) { tags.append(($0, $1.string)) }
    return tags
  }

  /// A posting's dimensions, those it has, in order: customer, contract, project, source.
  static func forEachDimension(_ posting: Posting, _ body: (String, Name) -> Void) {
    if let customer = posting.customer { body("customer", customer.name) }
    if let contract = posting.contract { body("contract", contract.name) }
    if let project = posting.project { body("project", project.name) }
    if !posting.source.isEmpty { body("source", posting.source) }
  }

  /// An hledger journal: the accounts and commodities declared (so `hledger check --strict`
  /// accepts it), then one transaction per entry, dimensions as posting tags.
  static func hledgerHead(
    _ entries: [JournalEntry], _ layout: JournalLayout, _ emit: (String) -> Void
  ) {
    let (accounts, currencies) = accountsAndCurrencies(entries, layout)
    func line(_ text: String) { emit(text + "\n") }
    line("; rebill journal, layout \(layout.name): \(layout.source)")
    line("")
    for currency in currencies {
      line(
        "commodity \(formatScaled(100_000 * powerOfTen(currency.minorUnits), scale: currency.minorUnits)) \(currency.code)"
      )
    }
    for (name, account) in accounts {
      line("account \(name)  ; code: \(account.code), role: \(account.role.rawValue)")
    }
  }

  /// An hledger journal's transactions.
  static func hledger(
    _ entries: ArraySlice<JournalEntry>, _ layout: JournalLayout, _ emitLine: (ByteLine) -> Void
  ) {
    // Entries written as bytes: hundreds of thousands of postings, dates digit by digit,
    // currency codes from their bytes; entries and postings read in place, by position (a
    // copy of one copies it whole, and retains and releases what it holds); handed on 64 KiB at
    // a time.
    var out = ByteLine()
    entries.withUnsafeBufferPointer { entries in
      for e in entries.indices {
        let entry = entries.baseAddress! + e
        out.append(literal: "\n")
        out.appendISODate(entry.pointee.date)
        out.append(literal: " (")
        out.append(entry.pointee.id)
        out.append(literal: ") ")
        out.append(entry.pointee.description)
        out.append(literal: "\n")
        entry.pointee.postings.withUnsafeBufferPointer { postings in
          for p in postings.indices {
            let posting = postings.baseAddress! + p
            let amount = posting.pointee.amount
            out.append(literal: "    ")
            out.append(ledgerName(entry.pointee.account(of: posting.pointee), layout))
            out.append(literal: "  ")
            out.appendDecimal(
              amount.minorUnits, scale: amount.currency.minorUnits,
              keep: amount.currency.minorUnits)
            out.append(literal: " ")
            out.append(code: amount.currency)
            out.append(literal: "  ; ")
            var first = true
            forEachDimension(posting.pointee) { key, value in
              if !first { out.append(literal: ", ") }
              first = false
              out.append(key)
              out.append(literal: ":")
              out.append(value)
            }
            out.append(literal: "\n")
          }
        }
        out.handOn(emitLine)
      }
    }
    if !out.isEmpty { emitLine(out) }
  }

  /// A string as beancount quotes it.
  static func beancountText(_ s: String) -> String {
    "\""
      + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(
        of: "\"", with: "\\\"") + "\""
  }

  /// A beancount ledger's head: options, and the commodities and accounts opened on the first
  /// date; its transactions (`beancount`) follow, one per entry, dimensions as posting
  /// metadata.
  static func beancountHead(
    _ entries: [JournalEntry], _ layout: JournalLayout, _ emit: (String) -> Void
  ) {
    let (accounts, currencies) = accountsAndCurrencies(entries, layout)
    let opened = format(entries.map(\.date).min() ?? CalendarDate(daysSinceEpoch: 0), "YYYY-MM-DD")
    let text = beancountText
    func line(_ text: String) { emit(text + "\n") }
    line("; rebill ledger, layout \(layout.name): \(layout.source)")
    line("")
    line("option \"title\" \"rebill\"")
    for currency in currencies { line("option \"operating_currency\" \"\(currency.code)\"") }
    line("")
    for currency in currencies { line("\(opened) commodity \(currency.code)") }
    for (name, account) in accounts {
      line("\(opened) open \(name)")
      line("  code: \(text(account.code.string))")
    }
  }

  /// A beancount ledger's transactions.
  static func beancount(
    _ entries: ArraySlice<JournalEntry>, _ layout: JournalLayout, _ emit: (String) -> Void
  ) {
    let text = beancountText
    func line(_ text: String) { emit(text + "\n") }
    for entry in entries {
      line("")
      line(
        "\(format(entry.date, "YYYY-MM-DD")) * \(text(entry.id.string)) \(text(entry.description.description))"
      )
      for posting in entry.postings {
        line(
          "  \(ledgerName(entry.account(of: posting), layout))  \(posting.amount.amountText) \(posting.amount.currency.code)"
        )
        for (key, value) in dimensions(posting) { line("    \(key): \(text(value))") }
      }
    }
  }
}

/// Windows-1252, as DATEV reads it: Latin-1 plus the printable characters of 0x80–0x9F;
/// anything else becomes `?`.
func windows1252(_ text: String) -> [UInt8] {
  // ASCII, nearly every piece of a journal, is the same bytes in both encodings.
  if text.utf8.allSatisfy({ $0 < 0x80 }) { return Array(text.utf8) }
  let high: [UInt32: UInt8] = [
    0x20AC: 0x80, 0x201A: 0x82, 0x0192: 0x83, 0x201E: 0x84, 0x2026: 0x85, 0x2020: 0x86,
    0x2021: 0x87, 0x02C6: 0x88, 0x2030: 0x89, 0x0160: 0x8A, 0x2039: 0x8B, 0x0152: 0x8C,
    0x017D: 0x8E, 0x2018: 0x91, 0x2019: 0x92, 0x201C: 0x93, 0x201D: 0x94, 0x2022: 0x95,
    0x2013: 0x96, 0x2014: 0x97, 0x02DC: 0x98, 0x2122: 0x99, 0x0161: 0x9A, 0x203A: 0x9B,
    0x0153: 0x9C, 0x017E: 0x9E, 0x0178: 0x9F,
  ]
  return text.unicodeScalars.map { scalar in
    let v = scalar.value
    if v < 0x80 || (0xA0...0xFF).contains(v) { return UInt8(v) }
    return high[v] ?? UInt8(ascii: "?")
  }
}
