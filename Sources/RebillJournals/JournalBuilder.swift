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
    var projects: [ContractLineID: ProjectID] = [:]
    for line in contractLines { projects[line.id] = line.project }
    let returns = Set(result.actuals.lazy.filter { $0.origin == .return }.map(\.source))
    var entries = result.documents.map { document($0, returns: returns, projects, accounts) }
    if let through = result.settings.through {
      entries += accrual(result, through: through, projects, accounts)
    }
    for entry in entries where entry.imbalance.minorUnits != 0 {
      throw JournalError(
        description:
          "journal entry \(entry.id) does not balance: debits exceed credits by \(entry.imbalance)")
    }
    return entries
  }

  /// A document: each chargeable line's revenue (per class), retainer or return, and its tax,
  /// against the receivable for the document's total. A credit note is the mirror image.
  static func document(
    _ document: Document, returns: Set<String>, _ projects: [ContractLineID: ProjectID],
    _ accounts: AccountMap
  ) -> JournalEntry {
    var postings: [Posting] = []
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
      func posting(_ role: AccountRole, _ amount: Money, _ memo: String) -> Posting {
        Posting(
          account: accounts[role], amount: amount, memo: memo, customer: document.customer,
          contract: line.contract, project: project, source: line.source)
      }
      if line.amount.minorUnits != 0 {
        postings.append(posting(role, -line.amount, "\(line.lineClass.rawValue) \(line.source)"))
      }
      if line.taxAmount.minorUnits != 0 {
        postings.append(posting(.salesTaxPayable, -line.taxAmount, "tax \(line.source)"))
      }
    }
    let contract = document.lines.first { $0.contract != nil }?.contract
    let project = document.lines.first { $0.contractLine != nil }?.contractLine.flatMap {
      projects[$0]
    }
    postings.insert(
      Posting(
        account: accounts[.receivables], amount: document.total, memo: "receivable \(document.id)",
        customer: document.customer, contract: contract, project: project, source: document.id.value
      ),
      at: 0)
    return JournalEntry(
      id: document.id.value, date: document.date,
      description: "\(document.title) \(document.id) \(document.customer)",
      currency: document.currency,
      postings: postings)
  }

  /// The unbilled sales still open at the cut-off for work dated on or before it: debit
  /// unbilled receivables, credit accrued revenue, per contract line and customer; reversed the
  /// day after. One entry per currency.
  static func accrual(
    _ result: RunResult, through: CalendarDate, _ projects: [ContractLineID: ProjectID],
    _ accounts: AccountMap
  ) -> [JournalEntry] {
    var workDate: [String: CalendarDate] = [:]
    result.actuals.withUnsafeBufferPointer { actuals in
      for i in actuals.indices where actuals[i].origin == .entry {
        workDate[actuals[i].source] = actuals[i].date
      }
    }
    struct Key: Hashable, Comparable {
      let currency: String
      let contract: String
      let line: String
      let customer: String
      static func < (a: Key, b: Key) -> Bool {
        (a.currency, a.contract, a.line, a.customer) < (b.currency, b.contract, b.line, b.customer)
      }
    }
    var open: [Key: (Actual, Money)] = [:]
    result.actuals.withUnsafeBufferPointer { actuals in
      for i in actuals.indices
      where actuals[i].type == .unbilledSales && actuals[i].billing == .chargeable
        && actuals[i].lineClass != .retainer
      {
        guard let date = workDate[actuals[i].source], date <= through else { continue }
        let amount = actuals[i].amount
        let key = Key(
          currency: amount.currency.code, contract: actuals[i].contract?.value ?? "",
          line: actuals[i].contractLine?.value ?? "", customer: actuals[i].customer.value)
        if open[key] == nil {
          open[key] = (actuals[i], amount)
        } else {
          open[key]!.1 = open[key]!.1 + amount
        }
      }
    }
    var byCurrency: [String: [Posting]] = [:]
    for key in open.keys.sorted() {
      let (sample, amount) = open[key]!
      guard amount.minorUnits != 0 else { continue }
      let project = sample.contractLine.flatMap { projects[$0] }
      for (role, signed) in [(AccountRole.unbilledReceivables, amount), (.accruedRevenue, -amount)]
      {
        byCurrency[key.currency, default: []].append(
          Posting(
            account: accounts[role], amount: signed, memo: "unbilled at \(through)",
            customer: sample.customer, contract: sample.contract, project: project,
            source: sample.contractLine?.value ?? ""))
      }
    }
    var entries: [JournalEntry] = []
    for code in byCurrency.keys.sorted() {
      let postings = byCurrency[code]!
      let currency = Currency(code: code)!
      let suffix = byCurrency.count > 1 ? "-\(code)" : ""
      let id = "ACCRUAL-\(through.compact)\(suffix)"
      entries.append(
        JournalEntry(
          id: id, date: through, description: "Unbilled sales accrued at \(through)",
          currency: currency, postings: postings))
      entries.append(
        JournalEntry(
          id: "\(id)-R", date: through.adding(days: 1),
          description: "Reversal of the accrual at \(through)", currency: currency,
          postings: postings.map {
            var p = $0
            p.amount = -p.amount
            p.memo = "reversal of \(id)"
            return p
          }))
    }
    return entries
  }
}
