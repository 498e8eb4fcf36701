import RebillInbox
import RebillJournals
import TestSupport
import Testing

@testable import RebillEngine
@testable import RebillModel
@testable import RebillOut

/// Invariants over generated inboxes (hundreds per run, from fixed seeds): conservation per
/// entry, fixpoint, determinism under shuffling, ids stable when another contract is added.
@Suite struct PropertyTests {
  static let seeds: [UInt64] = Array(1...300)
  static let mappings = Paths.repository.appendingPathComponent("mappings").path
  static let accounts = MappingReader.accounts(path: mappings + "/accounts.yaml").0!
  static let layouts = ["generic", "datev", "hledger", "intacct"].map {
    MappingReader.layout(path: "\(mappings)/journals/\($0).yaml").0!
  }

  @Test(arguments: seeds)
  func conservationPerEntry(seed: UInt64) {
    let inbox = generated(seed)
    let run = reconcile(inbox)
    #expect(run.errors.map(\.description) == [])
    let discounted = Set(
      run.actuals.filter { $0.lineClass == .fee && $0.origin == .correction }.map(\.source))
    let rounding = inbox.settings.rounding
    for entry in inbox.entries where !discounted.contains(entry.id.name) {
      let actuals = run.actuals.filter { $0.source == entry.id.name }
      guard !actuals.isEmpty else { continue }
      let quantity = actuals.reduce(Quantity.zero) { $0 + $1.quantity }
      let amount = actuals.reduce(Money.zero(actuals[0].amount.currency)) { $0 + $1.amount }
      let expected = Money.product(
        entry.quantity, entry.unitPrice, currency: actuals[0].amount.currency, rounding: rounding)
      #expect(quantity == entry.quantity, "\(entry.id) quantity, seed \(seed)")
      #expect(
        amount == expected,
        "\(entry.id) amount, seed \(seed)\n\(actuals.map { "\($0.id) \($0.type) \($0.quantity) \($0.unitPrice) \($0.amount) \($0.reverses ?? "")" }.joined(separator: "\n"))"
      )
    }
    // Invoiced entries that are gone net to nothing.
    let live = Set(inbox.entries.map(\.id.name))
    let gone = Set(
      run.actuals.filter { LineClass.entryClasses.contains($0.lineClass) }.map(\.source)
    )
    .subtracting(live)
    for source in gone {
      let q = run.actuals.filter { $0.source == source }.reduce(Quantity.zero) { $0 + $1.quantity }
      #expect(q == .zero, "\(source), gone, seed \(seed)")
    }
  }

  /// Every journal entry of every generated run balances to the cent per currency.
  @Test(arguments: seeds)
  func journalsBalance(seed: UInt64) throws {
    let inbox = generated(seed)
    let result = reconcile(inbox)
    let entries = try JournalBuilder.entries(
      for: result, contractLines: inbox.contractLines, accounts: Self.accounts)
    #expect(entries.count >= result.documents.count)
    for entry in entries { #expect(entry.imbalance.minorUnits == 0, "\(entry.id), seed \(seed)") }
  }

  /// A retainer's actuals always sum to zero (billed plus unbilled).
  @Test(arguments: seeds)
  func retainersSumToZero(seed: UInt64) {
    var inbox = generated(seed)
    let first = reconcile(inbox)
    inbox.invoiceLines += first.documents.flatMap(\.lines)
    for run in [first, reconcile(inbox)] {
      let retainers = Set(run.actuals.filter { $0.lineClass == .retainer }.map(\.source))
      for retainer in retainers {
        let actuals = run.actuals.filter { $0.source == retainer }
        let sum = actuals.reduce(Money.zero(actuals[0].amount.currency)) { $0 + $1.amount }
        #expect(sum.minorUnits == 0, "\(retainer), seed \(seed)")
      }
    }
  }

  /// An inbox of one time-and-material line (contract K, customer A, EUR), rounding half up
  /// or half even by the seed: the splits' tests add the funding.
  static func oneLine(seed: UInt64) -> (Inbox, ContractLine) {
    var inbox = Inbox()
    inbox.settings.rounding = seed % 2 == 0 ? .halfUp : .halfEven
    let line = ContractLine(
      origin: .none, contract: ContractID("K"), customer: CustomerID("A"),
      currency: Currency(code: "EUR")!, id: ContractLineID("L"), project: ProjectID("P"),
      billingMethod: .timeAndMaterial, includes: LineClass.entryClasses, amount: nil,
      notToExceed: nil, taxRate: .zero, legalEntity: nil, country: nil)
    inbox.contractLines = [line]
    return (inbox, line)
  }

  /// The drift check's quantity-only split gives each customer what the full split gives its
  /// first part for that customer: with no share rounding, one, or two; a share held by the
  /// line's own customer; a customer named twice; a customer not among them.
  @Test(arguments: seeds)
  func splitQuantityIsTheSplitsQuantity(seed: UInt64) {
    var rng = SplitMix64(seed: seed)
    var (inbox, line) = Self.oneLine(seed: seed)
    let eur = line.currency
    let names = ["A", "B", "C", "D"]
    let count = Int.random(in: 1...5, using: &rng)
    for _ in 0..<count {
      inbox.funding.append(
        FundingShare(
          origin: .none, contract: ContractID("K"),
          customer: CustomerID(names[Int.random(in: 0..<names.count, using: &rng)]),
          splitPercent: Percent(micros: Int64.random(in: 1...60_000_000, using: &rng)),
          contractLine: nil, rounding: Int.random(in: 0..<3, using: &rng) == 0))
    }
    let contracts = Contracts(inbox)
    for _ in 0..<20 {
      let quantity = Quantity(micros: Int64.random(in: 0...100_000_000, using: &rng))
      let parts = contracts.split(quantity, .zero(eur), on: line)
      for customer in (names + ["X"]).map(CustomerID.init) {
        #expect(
          contracts.splitQuantity(quantity, at: 0, for: customer)
            == parts.first { $0.customer == customer }?.quantity,
          "seed \(seed), \(inbox.funding.map { "\($0.customer) \($0.splitPercent) \($0.rounding)" })"
        )
      }
    }
  }

  /// Split parts always sum to the whole, amounts and quantities, with any shares.
  @Test(arguments: seeds)
  func splitPartsSumToTheWhole(seed: UInt64) {
    var rng = SplitMix64(seed: seed)
    var (inbox, line) = Self.oneLine(seed: seed)
    let eur = line.currency
    let customers = Int.random(in: 2...5, using: &rng)
    var left = Percent.hundred
    for c in 0..<customers {
      let share =
        c == customers - 1
        ? left : Percent(micros: Int64.random(in: 1...(left.micros / 2), using: &rng))
      left = left - share
      inbox.funding.append(
        FundingShare(
          origin: .none, contract: ContractID("K"), customer: CustomerID("C\(c)"),
          splitPercent: share,
          contractLine: nil, rounding: c == Int(seed) % customers))
    }
    let contracts = Contracts(inbox)
    for _ in 0..<50 {
      let quantity = Quantity(
        micros: Int64.random(in: -10_000_000_000...10_000_000_000, using: &rng))
      let amount = Money(
        minorUnits: Int64.random(in: -100_000_000...100_000_000, using: &rng), currency: eur)
      let parts = contracts.split(quantity, amount, on: line)
      #expect(parts.count == customers)
      #expect(parts.reduce(Quantity.zero) { $0 + $1.quantity } == quantity)
      #expect(parts.reduce(Money.zero(eur)) { $0 + $1.amount } == amount)
    }
  }

  /// Documents fed back as confirmed invoices: nothing is settled twice.
  @Test(arguments: seeds)
  func fixpoint(seed: UInt64) {
    var inbox = generated(seed)
    let first = reconcile(inbox)
    inbox.invoiceLines += first.documents.flatMap(\.lines)
    let second = reconcile(inbox)
    #expect(second.errors.map(\.description) == [], "seed \(seed)")
    #expect(second.documents.map(\.id) == [], "seed \(seed)")
    #expect(Set(second.actuals.map(\.id)) == Set(first.actuals.map(\.id)), "seed \(seed)")
  }

  /// The same facts in another order give the same bytes.
  @Test(arguments: seeds.prefix(100))
  func determinism(seed: UInt64) {
    let inbox = generated(seed)
    var rng = SplitMix64(seed: seed &* 7919)
    var shuffled = inbox
    shuffled.contractLines.shuffle(using: &rng)
    shuffled.funding.shuffle(using: &rng)
    shuffled.entries.shuffle(using: &rng)
    shuffled.invoiceLines.shuffle(using: &rng)
    shuffled.orderLines.shuffle(using: &rng)
    shuffled.corrections.shuffle(using: &rng)
    let counts = [(folder: "timesheets", records: inbox.entries.count)]
    func files(_ inbox: Inbox) -> [[UInt8]] {
      let result = reconcile(inbox)
      let entries = try! JournalBuilder.entries(
        for: result, contractLines: inbox.contractLines, accounts: Self.accounts)
      return OutFiles.all(
        result, counts: counts, journals: Self.layouts.map { ($0, entries) }, legalEntity: "LE"
      ).map(\.bytes)
    }
    #expect(files(inbox) == files(shuffled), "seed \(seed)")
  }

  /// Reconciling part by part (`InboxParts`) gives exactly what one pass over the whole inbox
  /// gives: the same actuals, documents, milestones, balances and errors, only in part order.
  @Test(arguments: seeds)
  func partsGiveWhatTheWholeGives(seed: UInt64) {
    let inbox = generated(seed)
    var whole = Reconciler(inbox: inbox, options: RunOptions())
    let expected = whole.run()
    let parts = reconcile(inbox)
    #expect(Set(parts.actuals) == Set(expected.actuals), "seed \(seed)")
    #expect(parts.actuals.count == expected.actuals.count, "seed \(seed)")
    #expect(Set(parts.documents) == Set(expected.documents), "seed \(seed)")
    #expect(parts.documents.count == expected.documents.count, "seed \(seed)")
    #expect(parts.milestones == expected.milestones, "seed \(seed)")
    #expect(parts.report.balances == expected.report.balances, "seed \(seed)")
    #expect(parts.report.actualCount == expected.actuals.count, "seed \(seed)")
    #expect(Set(parts.report.drift) == Set(expected.report.drift), "seed \(seed)")
    #expect(parts.report.entriesWithoutLine == expected.report.entriesWithoutLine)
    #expect(Set(parts.errors) == Set(expected.errors), "seed \(seed)")
  }

  /// The generated inboxes do fall into several parts (else the test above proves nothing).
  @Test func generatedInboxesHaveSeveralParts() {
    let counts = Self.seeds.prefix(50).map {
      let inbox = generated($0)
      return InboxParts(inbox, runDate: inbox.settings.runDate).parts.count
    }
    #expect(counts.allSatisfy { $0 >= 1 })
    #expect(counts.filter { $0 > 2 }.count > 25, "\(counts)")
  }

  /// Parts reconciled by several threads (the inbox cut in parts beforehand) come out in the
  /// same order as by one.
  @Test(arguments: seeds.prefix(50))
  func threadsChangeNothing(seed: UInt64) {
    let inbox = generated(seed)
    let one = reconcile(inbox)
    var seen = 0
    let partition = Partition(inbox, options: RunOptions())
    let four = reconcile(inbox, options: RunOptions(), workers: 4, partition: partition) { _ in
      seen += 1
    }
    #expect(four.actuals == one.actuals, "seed \(seed)")
    #expect(four.documents == one.documents, "seed \(seed)")
    #expect(four.report.balances == one.report.balances, "seed \(seed)")
    #expect(seen == InboxParts(inbox, runDate: inbox.settings.runDate).parts.count)
  }

  /// Another contract's records change nothing of this one's: no id depends on a counter over
  /// the whole inbox.
  @Test(arguments: seeds.prefix(100))
  func stableIDs(seed: UInt64) {
    let inbox = generated(seed)
    var bigger = inbox
    var otherGenerator = Generator(seed: seed &+ 1_000_000, prefix: "Z")
    let other = otherGenerator.inbox()
    bigger.contractLines += other.contractLines
    bigger.funding += other.funding
    bigger.entries += other.entries
    bigger.invoiceLines += other.invoiceLines
    bigger.orderLines += other.orderLines
    bigger.corrections += other.corrections
    let alone = reconcile(inbox)
    let together = reconcile(bigger)
    let mine = { (a: Actual) in !a.source.string.hasPrefix("Z") }
    #expect(together.actuals.filter(mine) == alone.actuals, "seed \(seed)")
    #expect(
      together.documents.filter { !$0.customer.value.hasPrefix("Z") } == alone.documents,
      "seed \(seed)")
  }
}

func generated(_ seed: UInt64) -> Inbox {
  var generator = Generator(seed: seed)
  return generator.inbox()
}

/// A deterministic generator of small, valid, messy inboxes: contracts (some split between two
/// customers), entries of every class, invoices billing some of them (in part, with
/// write-offs), entries changed after invoicing (drift), correction instructions, sales and
/// return orders.
struct Generator {
  var rng: SplitMix64
  let p: String
  let eur = Currency(code: "EUR")!

  init(seed: UInt64, prefix: String = "") {
    rng = SplitMix64(seed: seed)
    p = prefix
  }

  mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &rng) }
  mutating func chance(_ percent: Int) -> Bool { int(1...100) <= percent }

  mutating func inbox() -> Inbox {
    var inbox = Inbox()
    inbox.settings.runDate = CalendarDate.parse("2026-11-10")
    inbox.settings.rounding = chance(50) ? .halfUp : .halfEven
    if chance(60) { inbox.settings.through = CalendarDate.parse("2026-10-31") }
    let contracts = int(1...3)
    var priced: [Entry] = []
    for c in 1...contracts {
      let contract = ContractID("\(p)K\(c)")
      let customer = CustomerID("\(p)C\(c)")
      let line = ContractLineID("\(p)L\(c)")
      let project = ProjectID("\(p)P\(c)")
      inbox.contractLines.append(
        ContractLine(
          origin: .none, contract: contract, customer: customer, currency: eur, id: line,
          project: project, billingMethod: .timeAndMaterial, includes: LineClass.entryClasses,
          amount: nil, notToExceed: nil, taxRate: Percent(micros: Int64(int(0...25)) * 1_000_000),
          legalEntity: nil, country: nil))
      if chance(30) {
        let share = Percent(micros: Int64(int(10...90)) * 1_000_000)
        let partner = CustomerID("\(p)C\(c)b")
        inbox.funding += [
          FundingShare(
            origin: .none, contract: contract, customer: customer, splitPercent: .hundred - share,
            contractLine: nil, rounding: true),
          FundingShare(
            origin: .none, contract: contract, customer: partner, splitPercent: share,
            contractLine: nil, rounding: false),
        ]
      }
      for e in 1...int(1...6) {
        let lineClass = LineClass.entryClasses[int(0...3)]
        let entry = Entry(
          origin: .none, id: EntryID("\(p)E\(c)-\(e)"), lineClass: lineClass,
          date: CalendarDate.parse("2026-09-\(10 + e)")!, project: project,
          quantity: Quantity(micros: Int64(int(1...40)) * 250_000),
          unitPrice: UnitPrice(
            micros: Int64(int(5_000...25_000)) * 10_000 + Int64(int(0...9)) * 1_000),
          contractLine: nil, billing: chance(85) ? .chargeable : .nonChargeable)
        inbox.entries.append(entry)
        priced.append(entry)
      }
    }
    // Invoices: per customer one invoice billing some of its entries, as they were then.
    var invoices: [CustomerID: [InvoiceLine]] = [:]
    for entry in priced where entry.billing == .chargeable && chance(70) {
      let line = inbox.contractLines.first { $0.project == entry.project }!
      let amount = Money.product(
        entry.quantity, entry.unitPrice, currency: eur, rounding: inbox.settings.rounding)
      let parts = Contracts(inbox).split(entry.quantity, amount, on: line)
      for part in parts {
        var quantity = part.quantity
        var writeOff = Quantity.zero
        if chance(20) && quantity > Quantity(micros: 500_000) {
          writeOff = Quantity(micros: 250_000)
          quantity = quantity - writeOff
        }
        for (q, billing) in [(quantity, BillingType.chargeable), (writeOff, .nonChargeable)]
        where q > .zero {
          let invoice = InvoiceID("\(p)INV-\(part.customer.value)")
          // Parts billed the way the backlog holds them: a part at its price, the last the rest.
          let a =
            billing == .nonChargeable || writeOff == .zero
            ? (q == part.quantity
              ? part.amount
              : part.amount
                - Money.product(
                  quantity, entry.unitPrice, currency: eur, rounding: inbox.settings.rounding))
            : Money.product(q, entry.unitPrice, currency: eur, rounding: inbox.settings.rounding)
          invoices[part.customer, default: []].append(
            InvoiceLine(
              origin: .none, invoice: invoice, date: CalendarDate.parse("2026-10-02")!,
              customer: part.customer, currency: eur,
              line: Name(String((invoices[part.customer]?.count ?? 0) + 1)),
              lineClass: entry.lineClass, source: entry.id.name, quantity: q,
              unitPrice: entry.unitPrice,
              amount: a, contract: line.contract, contractLine: line.id, billing: billing,
              taxAmount: billing == .chargeable
                ? a.percentage(line.taxRate, rounding: inbox.settings.rounding) : .zero(eur)))
        }
      }
    }
    inbox.invoiceLines = invoices.keys.sorted().flatMap { invoices[$0]! }
    // Drift: entries changed after invoicing.
    for i in inbox.entries.indices.reversed() {
      let roll = int(1...100)
      if roll <= 4 {
        inbox.entries.remove(at: i)
      } else if roll <= 10 {
        inbox.entries[i].quantity = Quantity(
          micros: max(250_000, inbox.entries[i].quantity.micros - 250_000))
      } else if roll <= 14 {
        inbox.entries[i].unitPrice = inbox.entries[i].unitPrice + UnitPrice(micros: 5_000_000)
      } else if roll <= 17 {
        inbox.entries[i].quantity = inbox.entries[i].quantity + Quantity(micros: 1_000_000)
      } else if roll <= 19 {
        inbox.entries[i].billing = .nonChargeable
      }
    }
    // Instructions: credit one chargeable line of an untouched entry, fully or in part.
    let untouched = Dictionary(uniqueKeysWithValues: inbox.entries.map { ($0.id.name, $0) })
    for line in inbox.invoiceLines where line.billing == .chargeable && chance(15) {
      guard let entry = untouched[line.source], entry.unitPrice == line.unitPrice,
        entry.billing == .chargeable, entry.quantity >= line.quantity,
        !inbox.corrections.contains(where: { $0.invoice == line.invoice })
      else { continue }
      let q =
        chance(50) ? Quantity.zero : Quantity(micros: line.quantity.micros / 2 / 250_000 * 250_000)
      inbox.corrections.append(
        CorrectionInstruction(
          origin: .none, invoice: line.invoice, line: line.line, quantity: q, unitPrice: nil,
          amount: nil, taxAmount: nil,
          remainder: line.lineClass != .fee && chance(30) ? .nonChargeable : .chargeable,
          document: nil, date: CalendarDate.parse("2026-11-0\(int(1...9))"), reason: nil))
    }
    // Retainers: some invoiced on an earlier invoice (so applied now), some ready to invoice.
    for line in inbox.contractLines where chance(50) {
      let id = "\(p)R-\(line.contract.value)"
      let amount = Money(minorUnits: Int64(int(1...20)) * 10_000, currency: eur)
      inbox.retainers.append(
        Retainer(
          origin: .none, id: RetainerID(id), contract: line.contract,
          date: CalendarDate.parse("2026-08-01")!,
          amount: ExactDecimal(mantissa: amount.minorUnits, scale: 2),
          kind: chance(50) ? .retainer : .advance,
          customer: nil, status: .readyToInvoice))
      if chance(60) {
        inbox.invoiceLines.append(
          InvoiceLine(
            origin: .none, invoice: InvoiceID("\(p)INV-\(id)"),
            date: CalendarDate.parse("2026-08-02")!,
            customer: line.customer, currency: eur, line: "1", lineClass: .retainer,
            source: Name(id),
            quantity: .one, unitPrice: UnitPrice(micros: amount.minorUnits * 10_000),
            amount: amount,
            contract: line.contract))
      }
    }
    // A fixed-price line with a percent schedule, the first milestone invoiced already.
    if chance(50) {
      let line = ContractLine(
        origin: .none, contract: ContractID("\(p)KF"), customer: CustomerID("\(p)CF"),
        currency: eur,
        id: ContractLineID("\(p)LF"), project: ProjectID("\(p)PF"), billingMethod: .fixedPrice,
        includes: [],
        amount: Money(minorUnits: Int64(int(1_000...9_999_999)), currency: eur), notToExceed: nil,
        taxRate: Percent(micros: 19_000_000), legalEntity: nil, country: nil)
      inbox.contractLines.append(line)
      let percents: [Int64] = [20, 30, 15, 35]
      for (i, percent) in percents.enumerated() {
        inbox.milestones.append(
          Milestone(
            origin: .none, id: MilestoneID("\(p)M\(i)"), contract: line.contract,
            contractLine: line.id,
            date: CalendarDate.parse("2026-0\(i + 6)-01")!,
            share: .percent(Percent(micros: percent * 1_000_000)),
            description: nil, status: i < 2 || chance(30) ? .readyToInvoice : .notReady))
      }
      let first = line.amount!.percentage(
        Percent(micros: 20_000_000), rounding: inbox.settings.rounding)
      inbox.invoiceLines.append(
        InvoiceLine(
          origin: .none, invoice: InvoiceID("\(p)INV-M0"), date: CalendarDate.parse("2026-06-02")!,
          customer: line.customer, currency: eur, line: "1", lineClass: .milestone,
          source: Name("\(p)M0"),
          quantity: .one, unitPrice: UnitPrice(micros: first.minorUnits * 10_000), amount: first,
          contract: line.contract, contractLine: line.id))
    }
    // Orders: a sales order invoiced earlier, returns in every status, a new delivery.
    let customer = CustomerID("\(p)C1")
    inbox.invoiceLines.append(
      InvoiceLine(
        origin: .none, invoice: InvoiceID("\(p)INV-SO"), date: CalendarDate.parse("2026-09-20")!,
        customer: customer, currency: eur, line: "1", lineClass: .item, source: Name("\(p)SO-1/1"),
        quantity: Quantity(micros: 10_000_000), unitPrice: UnitPrice(micros: 389_000_000),
        amount: Money(minorUnits: 389_000, currency: eur)))
    func order(
      _ id: String, _ type: OrderType, _ line: String, _ q: Int, _ status: OrderLineStatus,
      returns: String? = nil
    ) -> OrderLine {
      OrderLine(
        origin: .none, order: OrderID("\(p)\(id)"), orderType: type, customer: customer,
        currency: eur,
        date: CalendarDate.parse("2026-10-20")!, line: Name(line), item: "Scanner",
        quantity: Quantity(micros: Int64(q) * 1_000_000), unitPrice: UnitPrice(micros: 395_000_000),
        status: status, taxRate: Percent(micros: 19_000_000),
        returns: returns.map { InvoiceLineRef(invoice: InvoiceID("\(p)INV-SO"), line: Name($0)) })
    }
    inbox.orderLines = [
      order("SO-1", .sales, "1", 10, .delivered),
      order("SO-2", .sales, "1", int(1...5), .delivered),
      order("SO-2", .sales, "2", 1, .open),
      order("RO-1", .return, "1", int(1...3), .received, returns: "1"),
      order(
        "RO-1", .return, "2", 1, [.awaiting, .registered, .canceled][int(0...2)], returns: "1"),
    ]
    return inbox
  }
}
