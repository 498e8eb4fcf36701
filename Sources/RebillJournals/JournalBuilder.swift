import RebillEngine
import RebillModel

/// Turns a run's documents (and, with a cut-off, its open unbilled sales) into balanced journal
/// entries through an account mapping (DOMAIN §9). Pure: no I/O.
public enum JournalBuilder {
  /// Every entry, documents in the run's order, then the accrual and its reversal. Throws when
  /// an entry would not balance to the cent (a bug: nothing is written then).
  public static func entries(
    for result: RunResult, contractLines: [ContractLine], accounts: AccountMap
  ) throws(JournalError) -> [JournalEntry] {
    var builder = JournalBuilder.Run(contractLines: contractLines, accounts: accounts)
    try builder.add(result, through: result.settings.through)
    return try builder.entries(through: result.settings.through)
  }

  /// The journal of a run built part by part (`reconcile(_:options:workers:each:)`): each
  /// part's documents and open unbilled sales are added as the part is done, so that its
  /// actuals need not be kept.
  public struct Run: Sendable {
    let projects: [ContractLineID: ProjectID]
    let accounts: AccountMap
    private var documents: [JournalEntry] = []
    private var open: [AccrualKey: (sample: Actual, amount: Money)] = [:]

    /// What one part adds to the journal, worked out on any thread (`part(_:actuals:through:)`)
    /// and added in part order (`add(_:)`).
    public struct Part: Sendable {
      let documents: [JournalEntry]
      let open: [AccrualKey: (sample: Actual, amount: Money)]
    }

    public init(contractLines: [ContractLine], accounts: AccountMap) {
      var projects: [ContractLineID: ProjectID] = [:]
      for line in contractLines { projects[line.id] = line.project }
      self.projects = projects
      self.accounts = accounts
    }

    /// A part's documents, and (with a cut-off) what its actuals leave open.
    public mutating func add(_ result: RunResult, through: CalendarDate?) throws(JournalError) {
      add(try part(result, through: through))
    }

    /// A part's entries and open unbilled sales, for `add(_:)`; changes nothing.
    public func part(_ result: RunResult, through: CalendarDate?) throws(JournalError) -> Part {
      let (documents, actuals) = (result.documents, result.actuals)
      var returns = Set<Name>()
      actuals.withUnsafeBufferPointer { actuals in
        for i in actuals.indices where actuals[i].origin == .return {
          returns.insert(actuals[i].source)
        }
      }
      var entries: [JournalEntry] = []
      entries.reserveCapacity(documents.count)
      for document in documents {
        let entry = JournalBuilder.document(document, returns: returns, projects, accounts)
        try entry.checkBalance()
        entries.append(entry)
      }
      var open: [AccrualKey: (sample: Actual, amount: Money)] = [:]
      if let through {
        JournalBuilder.addOpen(actuals, workDays: result.workDays, through: through, to: &open)
      }
      return Part(documents: entries, open: open)
    }

    /// A part's contribution, after those of the parts before it: as adding its documents and
    /// actuals here would.
    public mutating func add(_ part: Part) {
      documents += part.documents
      for (key, sum) in part.open {
        if let known = open[key] {
          open[key]!.amount = known.amount + sum.amount
        } else {
          open[key] = sum
        }
      }
    }

    /// Every entry: documents in the run's order, then the accrual and its reversal.
    public func entries(through: CalendarDate?) throws(JournalError) -> [JournalEntry] {
      guard let through else { return documents }
      let accrual = JournalBuilder.accrual(open, through: through, projects, accounts)
      for entry in accrual { try entry.checkBalance() }
      return documents + accrual
    }
  }

  /// A document: each chargeable line's revenue (per class), retainer or return, and its tax,
  /// against the receivable for the document's total. A credit note is the mirror image.
  static func document(
    _ document: Document, returns: Set<Name>, _ projects: [ContractLineID: ProjectID],
    _ accounts: AccountMap
  ) -> JournalEntry {
    // The receivable first, then a posting per amount and tax of a chargeable line, in an
    // array of exactly that many: the entries of a run are all held until the journals are
    // written (half a million postings at a million entries), and an array grown by appending,
    // then by inserting the receivable in front, held a third more than its postings. The
    // receivable carries the document's first contract and project, each line's postings their
    // own.
    let documentContract = document.lines.first { $0.contract != nil }?.contract
    let documentProject = document.lines.first { $0.contractLine != nil }?.contractLine.flatMap {
      projects[$0]
    }
    var count = 1
    for line in document.lines where line.billing == .chargeable {
      if line.amount.minorUnits != 0 { count += 1 }
      if line.taxAmount.minorUnits != 0 { count += 1 }
    }
    var postings: [Posting] = []
    postings.reserveCapacity(count)
    postings.append(
      Posting(
        role: .receivables, amount: document.total,
        memo: Phrase(JournalBuilder.receivable, document.id.name), customer: document.customer,
        contract: documentContract, project: documentProject, source: document.id.name))
    for line in document.lines where line.billing == .chargeable {
      let role: AccountRole
      if line.lineClass == .retainer {
        role = .customerAdvances
      } else if line.lineClass == .item && returns.contains(line.source) {
        role = .salesReturns
      } else {
        role = AccountRole.revenue(line.lineClass)!
      }
      let project = line.contractLine.flatMap { projects[$0] }
      func posting(_ role: AccountRole, _ amount: Money, _ memo: Phrase) -> Posting {
        Posting(
          role: role, amount: amount, memo: memo, customer: document.customer,
          contract: line.contract, project: project, source: line.source)
      }
      if line.amount.minorUnits != 0 {
        postings.append(
          posting(role, -line.amount, Phrase(line.lineClass.memoWord, line.source)))
      }
      if line.taxAmount.minorUnits != 0 {
        postings.append(
          posting(.salesTaxPayable, -line.taxAmount, Phrase(JournalBuilder.tax, line.source)))
      }
    }
    return JournalEntry(
      id: document.id.name, date: document.date,
      description: Phrase(document.titleName, document.id.name, document.customer.name),
      currency: document.currency, postings: postings, accounts: accounts)
  }

  /// First words of memos, made once (hundreds of thousands of postings begin with them).
  static let tax: Name = "tax"
  static let receivable: Name = "receivable"

  /// What the accrual sums over: a contract line and customer (in its currency), ordered by
  /// currency, contract, line and customer.
  struct AccrualKey: KeyHashable, Comparable {
    let currency: Currency
    let contract: ContractID?
    let line: ContractLineID?
    let customer: CustomerID

    var keyHash: UInt64 {
      KeyHash.combine(
        KeyHash.combine(currency.keyHash, contract?.keyHash ?? 0),
        KeyHash.combine(line?.keyHash ?? 0, customer.keyHash))
    }

    static func < (a: AccrualKey, b: AccrualKey) -> Bool {
      (a.currency.code, a.contract?.name ?? .empty, a.line?.name ?? .empty, a.customer.name)
        < (b.currency.code, b.contract?.name ?? .empty, b.line?.name ?? .empty, b.customer.name)
    }
  }

  /// Adds the unbilled sales `actuals` leave open for work dated on or before the cut-off, per
  /// contract line and customer. `workDays`: the day of each actual's work
  /// (`RunResult.workDays`).
  static func addOpen(
    _ actuals: [Actual], workDays: [Int32], through: CalendarDate,
    to open: inout [AccrualKey: (sample: Actual, amount: Money)]
  ) {
    // Summed per contract line and customer first (the line names the contract), the last key
    // kept at hand: the same line and customer often follow each other.
    // By `KeyHash`: a lookup per actual (SipHash of three values costs a thousand
    // instructions).
    struct LineCustomer: KeyHashable {
      let line: ContractLineID?
      let customer: CustomerID
      let currency: Currency

      var keyHash: UInt64 {
        KeyHash.combine(KeyHash.combine(line?.keyHash ?? 0, customer.keyHash), currency.keyHash)
      }
    }
    // Each key's sums in an array, found through the table once each time the key changes
    // (a split entry's customers alternate): summed in place, not stored back.
    var slots = KeyPositions<LineCustomer>()
    var sums: [(sample: Int, amount: Money)] = []
    var current: (key: LineCustomer, slot: Int)?
    precondition(workDays.count == actuals.count, "a work day for every actual")
    actuals.withUnsafeBufferPointer { actuals in
      for i in actuals.indices
      where actuals[i].type == .unbilledSales && actuals[i].billing == .chargeable
        && actuals[i].lineClass != .retainer
      {
        let day = workDays[i]
        guard day != RunResult.noWorkDay, day <= through.daysSinceEpoch else { continue }
        let amount = actuals[i].amount
        let key = LineCustomer(
          line: actuals[i].contractLine, customer: actuals[i].customer, currency: amount.currency)
        if current?.key != key {
          let (slot, isNew) = slots.position(of: key)
          if isNew { sums.append((i, .zero(amount.currency))) }
          current = (key, slot)
        }
        sums[current!.slot].amount = sums[current!.slot].amount + amount
      }
    }
    for (sample, amount) in sums {
      let actual = actuals[sample]
      let key = AccrualKey(
        currency: amount.currency, contract: actual.contract, line: actual.contractLine,
        customer: actual.customer)
      if let known = open[key] {
        open[key]!.amount = known.amount + amount
      } else {
        open[key] = (actual, amount)
      }
    }
  }

  /// The unbilled sales still open at the cut-off for work dated on or before it: debit
  /// unbilled receivables, credit accrued revenue, per contract line and customer; reversed the
  /// day after. One entry per currency.
  static func accrual(
    _ open: [AccrualKey: (sample: Actual, amount: Money)], through: CalendarDate,
    _ projects: [ContractLineID: ProjectID], _ accounts: AccountMap
  ) -> [JournalEntry] {
    var byCurrency: [Currency: [Posting]] = [:]
    let day = Name(through.description)
    for key in open.keys.sorted() {
      let (sample, amount) = open[key]!
      guard amount.minorUnits != 0 else { continue }
      let project = sample.contractLine.flatMap { projects[$0] }
      for (role, signed) in [(AccountRole.unbilledReceivables, amount), (.accruedRevenue, -amount)]
      {
        byCurrency[key.currency, default: []].append(
          Posting(
            role: role, amount: signed, memo: Phrase("unbilled at", day),
            customer: sample.customer, contract: sample.contract, project: project,
            source: sample.contractLine?.name ?? .empty))
      }
    }
    var entries: [JournalEntry] = []
    for currency in byCurrency.keys.sorted() {
      let postings = byCurrency[currency]!
      let suffix = byCurrency.count > 1 ? "-\(currency.code)" : ""
      let id = Name("ACCRUAL-\(through.compact)\(suffix)")
      entries.append(
        JournalEntry(
          id: id, date: through, description: Phrase("Unbilled sales accrued at", day),
          currency: currency, postings: postings, accounts: accounts))
      entries.append(
        JournalEntry(
          id: Name("\(id)-R"), date: through.adding(days: 1),
          description: Phrase("Reversal of the accrual at", day), currency: currency,
          postings: postings.map {
            var p = $0
            p.amount = -p.amount
            p.memo = Phrase("reversal of", id)
            return p
          }, accounts: accounts))
    }
    return entries
  }
}

extension LineClass {
  /// The first word of a revenue posting's memo: the class, as `documents.csv` writes it.
  var memoWord: Name { LineClass.memoWords[bit.trailingZeroBitCount] }

  /// The words by the position of each class's bit, made once.
  private static let memoWords: [Name] = {
    var words = [Name](repeating: .empty, count: 8)
    for lineClass in LineClass.allCases {
      words[lineClass.bit.trailingZeroBitCount] = Name(lineClass.rawValue)
    }
    return words
  }()
}
