import RebillModel

/// What the command line may override of the settings.
public struct RunOptions: Sendable {
  public var runDate: CalendarDate?
  public var through: CalendarDate?

  public init(runDate: CalendarDate? = nil, through: CalendarDate? = nil) {
    self.runDate = runDate
    self.through = through
  }
}

/// A milestone and its status after the run.
public struct MilestoneState: Hashable, Sendable {
  public var milestone: Milestone
  public var status: MilestoneStatus
  /// The fixed-price line's currency and the milestone's amount in it.
  public var amount: Money?
}

/// Everything one run produces. A run with `errors` writes nothing.
public struct RunResult: Sendable {
  /// `workDays` of an actual whose source has no actual of an entry.
  public static let noWorkDay = Int32.min

  public var settings: Settings
  public var documents: [Document]
  public var actuals: [Actual]
  /// By actual, at the same position: the day its source's work was done (days since the
  /// epoch), the date of the first actual of an entry for that source in the run;
  /// `noWorkDay` when there is none. What the journal's accrual asks of every actual: the run
  /// finds it once per source, where a table of the part's sources had to be built again.
  public var workDays: [Int32]
  public var milestones: [MilestoneState]
  public var report: Report
  public var errors: [Diagnostic]
}

/// One run (DOMAIN §10): a pure function of the inbox. It rebuilds every actual the facts
/// imply, then creates the documents that are due, in this order: corrective invoices
/// (instructions, then drift), order invoices and return credit notes, retainer and advance
/// invoices, then one invoice per contract and customer for the milestones and the time and
/// material due (applying retainers confirmed earlier).
///
/// The run goes part by part (`InboxParts`): each part's documents and actuals follow the
/// previous part's, parts in the order of their least key (contract ids first).
public func reconcile(_ inbox: Inbox, options: RunOptions = RunOptions()) -> RunResult {
  reconcile(inbox, options: options, workers: 1) { _ in }
}

/// The run, its parts reconciled by up to `workers` threads at once. `each` sees every part's
/// result in part order, on the calling thread, before it is merged: it may stream the part's
/// actuals out and empty `actuals`, so that the run never holds them all.
///
/// `partition` is the inbox already cut in parts (`Partition`), when the caller made it while
/// doing something else; the run cuts it itself otherwise.
public func reconcile(
  _ inbox: Inbox, options: RunOptions, workers: Int, partition: Partition? = nil,
  each: (inout RunResult) -> Void
) -> RunResult {
  reconcile(
    inbox, options: options, workers: workers, partition: partition, prepare: { _ in },
    each: { part, _ in each(&part) })
}

/// The run as above, with a step of each part's own on the thread that reconciled it:
/// `prepare` sees the part's result first (it may render what `each` will write, and empty
/// `actuals` and `documents`, which the merged result does not need), then `each` gets the
/// result and what `prepare` made, in part order, on the calling thread. Work done in
/// `prepare` runs on every core, and a part's values are freed by the thread that made them.
public func reconcile<Prepared: Sendable>(
  _ inbox: Inbox, options: RunOptions, workers: Int, partition: Partition? = nil,
  prepare: @escaping @Sendable (inout RunResult) -> Prepared,
  each: (inout RunResult, Prepared) -> Void
) -> RunResult {
  let settings = inbox.settings.with(options)
  let parts = partition?.parts ?? InboxParts(inbox, runDate: settings.runDate)
  let reserved = parts.reserved
  var merged = RunMerger(settings: settings)
  let batches = partBatches(parts.parts.map(\.records))
  inOrder(
    count: batches.count, workers: workers,
    weight: { batches[$0].reduce(0) { $0 + parts.parts[$1].records } },
    budget: pendingRecords,
    work: { [reserved] b in
      batches[b].map { i in
        var run = Reconciler(
          inbox: parts.inbox(i, of: inbox), options: options, reserved: reserved)
        var result = run.run()
        let prepared = prepare(&result)
        return (result, prepared)
      }
    },
    consume: { _, done in
      for (result, prepared) in done {
        var part = result
        each(&part, prepared)
        merged.add(part)
      }
    })
  return merged.result()
}

/// The parts, by their records, in runs of consecutive parts handed to a thread together: a
/// part alone when it holds `batchRecords` records or more, else with the parts after it until
/// the run holds that many. The benchmark's ten thousand sales orders, a part each of one or
/// two records and all at the end, were handed over one by one, and the threads woke one
/// another at each (`perf` at 1M: futex wake-ups a fifth of the samples of the last 0.2 s of
/// reconciling, a core idle); in runs they are gone from the profile (the wall time within
/// this machine's noise, 8 runs each in turns).
func partBatches(_ records: [Int]) -> [Range<Int>] {
  var batches: [Range<Int>] = []
  var start = 0
  var held = 0
  for (i, count) in records.enumerated() {
    held += count
    if held >= batchRecords || i == records.count - 1 {
      batches.append(start..<i + 1)
      (start, held) = (i + 1, 0)
    }
  }
  return batches
}

/// How many records a run of small parts handed to a thread together holds at least.
let batchRecords = 2_000

/// How many records the parts being reconciled, and those waiting to be handed over, may hold
/// in all (a part larger than this goes alone): what bounds the run's memory beyond the inbox.
/// About 40 MiB of rows and documents waiting at a million entries, and room for the other
/// threads to go on past a large part.
let pendingRecords = 100_000

/// An inbox cut in parts ahead of its run (docs/reconcile.md, Parts of a run): a caller may
/// cut it on one thread while another checks the inbox. Only for the inbox and options it was
/// made from.
public struct Partition: Sendable {
  let parts: InboxParts

  /// How many parts.
  public var count: Int { parts.parts.count }

  /// How many records part `i` holds (parts come in this order to `reconcile`'s `each`).
  public func records(of i: Int) -> Int { parts.parts[i].records }

  public init(_ inbox: Inbox, options: RunOptions) {
    parts = InboxParts(inbox, runDate: inbox.settings.with(options).runDate)
  }
}

extension Settings {
  func with(_ options: RunOptions) -> Settings {
    var settings = self
    if let runDate = options.runDate { settings.runDate = runDate }
    if let through = options.through { settings.through = through }
    return settings
  }
}

/// The parts' results as one: documents, actuals, drift, held-back work and errors part after
/// part; milestones, entries on no line and balances in their own order, as a single run gives
/// them.
struct RunMerger {
  private var merged: RunResult
  private var balances: [Balance.Key: Balance] = [:]
  private var created: Set<InvoiceID> = []

  init(settings: Settings) {
    var report = Report()
    report.runDate = settings.runDate
    report.through = settings.through
    merged = RunResult(
      settings: settings, documents: [], actuals: [], workDays: [], milestones: [], report: report,
      errors: [])
  }

  mutating func add(_ part: RunResult) {
    for document in part.report.documents where !created.insert(document.id).inserted {
      // Parts cannot both create an id (InboxParts); should they, nothing is written.
      merged.errors.append(
        .error(
          SourceLocation(file: "(made by rebill)", line: 0, column: nil), field: "",
          "internal error: two parts of the run created document \(document.id)"))
    }
    merged.documents += part.documents
    merged.actuals += part.actuals
    merged.workDays += part.workDays
    merged.milestones += part.milestones
    merged.errors += part.errors
    merged.report.documents += part.report.documents
    merged.report.drift += part.report.drift
    merged.report.pendingReturns += part.report.pendingReturns
    merged.report.entriesWithoutLine += part.report.entriesWithoutLine
    merged.report.heldBack += part.report.heldBack
    merged.report.actualCount += part.report.actualCount
    merged.report.unbilledCount += part.report.unbilledCount
    for balance in part.report.balances {
      balances[balance.key] = balances[balance.key].map { $0 + balance } ?? balance
    }
  }

  func result() -> RunResult {
    var result = merged
    result.milestones.sort { $0.milestone.id < $1.milestone.id }
    result.report.entriesWithoutLine.sort { $0.id < $1.id }
    result.report.balances = balances.keys.sorted().map { balances[$0]! }
    return result
  }
}

struct Reconciler {
  let inbox: Inbox
  var settings: Settings
  let contracts: Contracts
  var poster: Poster
  var documents: [Document] = []
  var report = Report()
  var errors: [Diagnostic] = []
  /// Document ids already used: confirmed invoices and those created so far.
  var takenIDs: Set<InvoiceID>
  /// Confirmed invoices by id, their lines in line order: slices of the inbox's array where an
  /// invoice's lines are together there and in order, as exports list them (no line copied).
  let confirmed: [InvoiceID: ArraySlice<InvoiceLine>]
  /// Documents this run created.
  var createdIDs: Set<InvoiceID> = []
  /// Retainers invoiced by this run: not applied before an invoice confirms them.
  var invoicedThisRun: Set<Name> = []

  /// Document ids other parts of the run hold: their confirmed invoices and the ids their
  /// correction instructions name. No new document takes one.
  let reserved: ReservedIDs

  init(inbox: Inbox, options: RunOptions, reserved: ReservedIDs = ReservedIDs()) {
    self.inbox = inbox
    self.reserved = reserved
    let settings = inbox.settings.with(options)
    self.settings = settings
    contracts = Contracts(inbox)
    poster = Poster(contracts: contracts, inbox: inbox)
    confirmed = byInvoice(inbox.invoiceLines)
    takenIDs = Set(confirmed.keys)
    report.runDate = settings.runDate
    report.through = settings.through
  }

  mutating func run() -> RunResult {
    postEntries()
    postConfirmedInvoices()
    correctByInstruction()
    correctDrift()
    invoiceOrders()
    invoiceRetainers()
    invoiceContracts()
    for problem in poster.problems {
      error(problem.line.origin, field: problem.field, "\(problem.line.ref): \(problem.message)")
    }
    report.documents = documents.map(DocumentSummary.init)
    let actuals = poster.ledger.actuals
    report.actualCount = actuals.count
    report.unbilledCount = actuals.withUnsafeBufferPointer { actuals in
      actuals.indices.reduce(0) { $0 + (actuals[$1].type == .unbilledSales ? 1 : 0) }
    }
    report.balances = balances(actuals, heldBack: report.heldBack)
    return RunResult(
      settings: settings, documents: documents, actuals: poster.ledger.actuals,
      workDays: poster.ledger.workDays, milestones: milestoneStates(), report: report,
      errors: errors)
  }

  mutating func error(_ origin: RecordOrigin, field: String = "", _ message: String) {
    errors.append(.error(inbox.location(origin), field: field, message))
  }

  // MARK: Facts

  /// Unbilled sales for every entry a contract line includes, split among its customers.
  mutating func postEntries() {
    // In id order, by position: sorting the entries themselves copies each one.
    let entries = inbox.entries
    // A local copy (references to the same tables): splitting through `self.contracts` while
    // the closure changes `self.poster` copied the whole of it at every entry.
    let contracts = self.contracts
    let order = entries.indices.sorted { entries[$0].id < entries[$1].id }
    for i in order {
      let entry = entries[i]
      guard let p = poster.entries.line(at: i) else {
        report.entriesWithoutLine.append(entry)
        continue
      }
      let amount = Money.product(
        entry.quantity, entry.unitPrice, currency: contracts.all[p].currency,
        rounding: settings.rounding)
      let (contract, line) = (contracts.all[p].contract, contracts.all[p].id)
      contracts.eachPart(entry.quantity, amount, at: p) { customer, quantity, amount in
        let actual = Actual(
          date: entry.date, type: .unbilledSales,
          lineClass: entry.lineClass, billing: entry.billing, source: entry.id.name,
          contract: contract, contractLine: line, customer: customer, quantity: quantity,
          unitPrice: entry.unitPrice, amount: amount, origin: .entry)
        poster.ledger.open(actual, entry: i)
        poster.ledger.append(actual)
      }
    }
  }

  /// Confirmed invoices are facts: posted in date order, then by id.
  mutating func postConfirmedInvoices() {
    let ids = confirmed.keys.sorted { a, b in
      let da = confirmed[a]!.first!.date
      let db = confirmed[b]!.first!.date
      return da != db ? da < db : a < b
    }
    for id in ids { poster.post(confirmed[id]!) }
  }

  // MARK: Creating documents

  /// A free document id: `base`, else `base-2`, `base-3`, …
  mutating func claimID(_ base: String) -> InvoiceID {
    var id = InvoiceID(base)
    var n = 2
    while takenIDs.contains(id) || reserved.contains(id) {
      id = InvoiceID("\(base)-\(n)")
      n += 1
    }
    takenIDs.insert(id)
    return id
  }

  /// The run date that dates a new document, or an error when there is none.
  mutating func runDate(for what: String, at origin: RecordOrigin) -> CalendarDate? {
    if let date = settings.runDate { return date }
    error(
      origin, field: "run_date",
      "expected a run date (rebill.yaml run_date or --run-date) to date \(what), found none")
    return nil
  }

  /// Numbers the lines of a new document 1, 2, …, gives them its title, kind and whether it
  /// corrects, and posts it.
  mutating func create(
    _ id: InvoiceID, date: CalendarDate, customer: CustomerID, currency: Currency,
    lines: consuming [InvoiceLine], reason: String
  ) {
    var document = Document(
      id: id, date: date, customer: customer, currency: currency, lines: [], reason: reason)
    // Moved in, then changed in place: the lines are not copied.
    document.lines = lines
    for i in document.lines.indices {
      document.lines[i].invoice = id
      document.lines[i].date = date
      document.lines[i].customer = customer
      document.lines[i].line = Name(String(i + 1))
    }
    let hasCorrections = document.hasCorrections
    let kind = document.kind
    let title = Name(
      verbatim: title(
        of: document, country: documentCountry(document) ?? settings.country,
        labelFrom: settings.correctiveInvoiceLabelFrom))
    InvoiceLine.setDocumentNotes(
      of: &document.lines, title: title, kind: kind, hasCorrections: hasCorrections)
    createdIDs.insert(id)
    poster.post(document.lines[...])
    documents.append(document)
  }

  func documentCountry(_ document: Document) -> String? {
    for line in document.lines {
      if let id = line.contractLine, let country = contracts.lines[id]?.country { return country }
    }
    return nil
  }

  // MARK: Milestones

  func milestoneStates() -> [MilestoneState] {
    let amounts = milestoneAmounts()
    return inbox.milestones.sorted { $0.id < $1.id }.map { milestone in
      let source = milestone.id.name
      let live = poster.ledger.anyLine(of: source) { posted in
        posted.isLive && posted.line.lineClass == .milestone
      }
      var status = milestone.status
      if live {
        status = .invoiced
      } else if poster.creditedMilestones[source] != nil {
        status = .readyToInvoice
      }
      return MilestoneState(milestone: milestone, status: status, amount: amounts[milestone.id])
    }
  }
}
