internal import CSystem
import RebillModel

/// Turns documents into actuals (DOMAIN §2 and §3), the same way whether a document is a
/// confirmed invoice from the inbox or one this run creates, so that feeding `documents.csv`
/// back rebuilds exactly the same actuals.
struct Poster {
  let contracts: Contracts
  /// The inbox's entries by id (an index into the inbox's array, not a second copy of them).
  let entries: EntryIndex
  /// `ORDER/LINE` of every return-order line: what their credit lines bill is a return.
  let returnSources: Set<Name>
  var ledger = Ledger()
  /// Problems found posting, with the document line they are about.
  var problems: [(line: InvoiceLine, field: String, message: String)] = []
  /// Milestones whose billing was fully credited, by the credit's document.
  var creditedMilestones: [Name: InvoiceID] = [:]
  /// What was applied of each retainer (by retainer and customer) by reconciliations.
  var retainerApplied: [Ledger.PoolKey: Money] = [:]
  /// A credited reconciliation's balance, waiting for the re-bill line (by its line) that
  /// applies the corrected amount.
  var pendingReconciliation: [Name: Money] = [:]

  init(contracts: Contracts, inbox: Inbox) {
    self.contracts = contracts
    entries = EntryIndex(inbox.entries, contracts: contracts)
    ledger.reserve(lines: inbox.invoiceLines.count * 2, sources: inbox.entries.count * 2)
    ledger.register(entries: inbox.entries.lazy.map(\.id.name))
    returnSources = Set(inbox.orderLines.filter { $0.orderType == .return }.map(\.source))
  }

  /// The entry that `source` is, if any.
  func entry(_ source: Name) -> Entry? {
    ledger.entryPosition(of: source).map { entries.records[$0] }
  }

  /// The entry that `source` is and the position of its contract line (nil: on none); nil
  /// when there is no such entry.
  func entryAndLine(_ source: Name) -> (entry: Entry, line: Int?)? {
    guard let i = ledger.entryPosition(of: source) else { return nil }
    return entries.entryAndLine(at: i)
  }

  /// Starts loading the entry of a ledger slot and its line's position (a hint, for a pass
  /// that asks `entryAndLine(slot:)` of slot after slot: the slot itself prefetched some
  /// steps before, `Ledger.prefetch(slot:)`).
  func prefetchEntry(slot: Int32) {
    guard let i = ledger.entryPosition(slot: slot) else { return }
    entries.prefetch(i)
  }

  /// `entryAndLine(_:)` for the source of a ledger slot (`PostedState.slot`).
  func entryAndLine(slot: Int32) -> (entry: Entry, line: Int?)? {
    guard let i = ledger.entryPosition(slot: slot) else { return nil }
    return entries.entryAndLine(at: i)
  }

  /// A line of an entry class that bills an entry (not a product-based contract line).
  func billsEntry(_ line: InvoiceLine) -> Bool { billsEntry(line.lineClass, line.source) }

  /// `billsEntry(_:)` for a line given by its class and source.
  func billsEntry(_ lineClass: LineClass, _ source: Name) -> Bool {
    LineClass.entryClasses.contains(lineClass) && !contracts.isProductLine(lineClass, source)
  }

  /// A credit line: it corrects a line and goes the other way (−Q for a line of Q; +1 for a
  /// retainer applied as −1). A re-bill line goes the same way as the line it corrects.
  func isCredit(_ line: InvoiceLine) -> Bool {
    guard let ref = line.corrects else { return false }
    let original = ledger[posted: ref]?.line.quantity ?? .one
    if original < .zero { return line.quantity > .zero }
    return line.quantity < .zero || (line.quantity == .zero && line.amount.minorUnits < 0)
  }

  /// Posts one document's lines, in line order.
  mutating func post(_ lines: ArraySlice<InvoiceLine>) {
    let lines = inLineOrder(lines)
    var pendingRebill: [Name: ActualRef] = [:]
    // Where the table of sources holds the source of the line 4 ahead, loaded early: each
    // line's lookup is a cache miss otherwise, one after another.
    let ahead = 4
    for k in lines.indices.prefix(ahead) { ledger.prefetch(source: lines[k].source) }
    for (k, line) in zip(lines.indices, lines) {
      if k + ahead < lines.endIndex { ledger.prefetch(source: lines[k + ahead].source) }
      if k + 2 < lines.endIndex { ledger.prefetchSlot(of: lines[k + 2].source) }
      if k + 1 < lines.endIndex { ledger.prefetchPool(of: lines[k + 1].source) }
      if isCredit(line) {
        postCredit(line, in: lines, pendingRebill: &pendingRebill)
      } else if line.corrects != nil {
        postRebill(line, pendingRebill: pendingRebill)
      } else {
        postOrdinary(line)
      }
    }
  }

  /// The line's next actual (`#k`, `k` counted up first), of `type`, as the line has it.
  /// What is not given (the actual it reverses, quantity, amount, billing) is the line's: an
  /// actual made whole in one call is moved into the ledger, where one changed after being made
  /// is copied.
  private static func next(
    of line: InvoiceLine, _ k: inout Int, _ type: ActualType, origin: ActualOrigin,
    reversing reversed: ActualRef? = nil, quantity: Quantity? = nil, amount: Money? = nil,
    billing: BillingType? = nil
  ) -> Actual {
    k += 1
    return Actual(
      number: Int32(k), date: line.date, type: type, reversed: reversed,
      lineClass: line.lineClass, billing: billing ?? line.billing, source: line.source,
      contract: line.contract, contractLine: line.contractLine, customer: line.customer,
      document: line.invoice, documentLine: line.line, quantity: quantity ?? line.quantity,
      unitPrice: line.unitPrice, amount: amount ?? line.amount, origin: origin)
  }

  /// The id of the line's `k`th actual, made from the line (the actual itself is in the
  /// ledger by then: asking it would copy it).
  private static func ref(of line: InvoiceLine, _ k: Int) -> ActualRef {
    .line(document: line.invoice, line: line.line, number: Int32(k))
  }

  private func key(_ line: InvoiceLine) -> Ledger.PoolKey {
    Ledger.PoolKey(source: line.source, customer: line.customer)
  }

  // MARK: Ordinary lines (DOMAIN §2)

  private mutating func postOrdinary(_ line: consuming InvoiceLine) {
    // The line's actuals, numbered `#1`, `#2`, … as they are made. No local function captures
    // the line: it is moved into the ledger at the end, not copied (a million lines).
    var k = 0
    var billedID: ActualRef?
    var reversed = (Quantity.zero, Money.zero(line.currency))
    if billsEntry(line) {
      if line.quantity >= .zero {
        // The unbilled sales it bills leave the backlog, oldest first; whatever the backlog
        // does not hold (the entry shrank or is gone) is reversed all the same, naming nothing.
        var covered = Quantity.zero
        ledger.take(
          line.quantity, from: key(line), rounding: contracts.rounding,
          billing: (line.amount, line.unitPrice))
        for i in ledger.taken.indices {
          let taken = ledger.taken[i]
          ledger.append(
            Self.next(
              of: line, &k, .unbilledSales, origin: .invoice, reversing: taken.id,
              quantity: -taken.quantity, amount: -taken.amount, billing: taken.billing))
          covered = covered + taken.quantity
          reversed = (reversed.0 + taken.quantity, reversed.1 + taken.amount)
        }
        let uncovered = line.quantity - covered
        if uncovered > .zero {
          let amount =
            covered == .zero
            ? line.amount
            : Money.product(
              uncovered, line.unitPrice, currency: line.currency, rounding: contracts.rounding)
          ledger.append(
            Self.next(
              of: line, &k, .unbilledSales, origin: .invoice, quantity: -uncovered,
              amount: -amount))
          ledger.owe(uncovered, amount, to: key(line))
          reversed = (reversed.0 + uncovered, reversed.1 + amount)
        }
      } else {
        // A negative line that names nothing it credits puts its work back in the backlog.
        let unbilled = Self.next(
          of: line, &k, .unbilledSales, origin: .invoice, quantity: -line.quantity,
          amount: -line.amount)
        ledger.open(unbilled)
        ledger.append(unbilled)
      }
      ledger.append(Self.next(of: line, &k, .billedSales, origin: .invoice))
      billedID = Self.ref(of: line, k)
    } else if line.lineClass == .retainer {
      // Retainers are few: their actuals are numbered by a local function over a copy.
      let retainer = line
      func next(_ type: ActualType, _ origin: ActualOrigin) -> Actual {
        return Self.next(of: retainer, &k, type, origin: origin)
      }
      billedID = postRetainer(retainer, origin: .invoice, next: next)
    } else {
      let origin: ActualOrigin = returnSources.contains(line.source) ? .return : .invoice
      ledger.append(Self.next(of: line, &k, .billedSales, origin: origin))
      billedID = Self.ref(of: line, k)
    }
    ledger.record(line, billed: billedID, reversed: reversed)
  }

  /// A retainer or advance invoiced (billed +R, unbilled −R kept as its balance), or applied
  /// on an invoice (DOMAIN §2, retainer reconciliation).
  private mutating func postRetainer(
    _ line: InvoiceLine, origin: ActualOrigin, next: (ActualType, ActualOrigin) -> Actual
  ) -> ActualRef {
    let key = key(line)
    if line.amount.minorUnits >= 0 {
      let billed = next(.billedSales, origin)
      ledger.append(billed)
      var balance = next(.unbilledSales, origin)
      // A corrected retainer keeps what earlier invoices already applied of it.
      let applied = retainerApplied[key] ?? .zero(line.currency)
      balance.amount = -(line.amount - applied)
      balance.quantity = -line.quantity
      ledger.openRetainer(balance)
      ledger.append(balance)
      return billed.ref
    }
    let available = reverseBalances(
      key, currency: line.currency, origin: .reconciliation, next: next)
    return apply(line, available: available, origin: .reconciliation, next: next)
  }

  /// Reverses every open balance actual of a retainer (they are negative: the reversals are
  /// positive) and closes them: what was available of it.
  private mutating func reverseBalances(
    _ key: Ledger.PoolKey, currency: Currency, origin: ActualOrigin,
    next: (ActualType, ActualOrigin) -> Actual
  ) -> Money {
    var available = Money.zero(currency)
    for balance in ledger.closeRetainer(key) {
      var reversal = next(.unbilledSales, origin)
      reversal.reversed = balance.id
      reversal.quantity = -balance.quantity
      reversal.amount = -balance.amount
      ledger.append(reversal)
      available = available + reversal.amount
    }
    return available
  }

  /// A retainer applied from what is `available` of it: billed −X, and the leftover −(B − X)
  /// kept as its new balance for later invoices.
  private mutating func apply(
    _ line: InvoiceLine, available: Money, origin: ActualOrigin,
    next: (ActualType, ActualOrigin) -> Actual
  ) -> ActualRef {
    let key = key(line)
    let applied = -line.amount
    if applied.minorUnits > available.minorUnits {
      problems.append(
        (
          line, "amount",
          "expected at most the open balance \(available) of the retainer, found \(applied) applied"
        ))
    }
    let billed = next(.billedSales, origin)
    ledger.append(billed)
    let leftover = available - applied
    if leftover.minorUnits != 0 {
      var rest = next(.unbilledSales, origin)
      rest.quantity = .zero
      rest.amount = -leftover
      ledger.openRetainer(rest)
      ledger.append(rest)
    }
    retainerApplied[key] = (retainerApplied[key] ?? .zero(line.currency)) + applied
    return billed.ref
  }

  // MARK: Corrections (DOMAIN §3)

  private mutating func postCredit(
    _ line: InvoiceLine, in document: ArraySlice<InvoiceLine>,
    pendingRebill: inout [Name: ActualRef]
  ) {
    guard let ref = line.corrects, var original = ledger[posted: ref] else {
      problems.append(
        (
          line, "corrects",
          "expected a line of an earlier invoice, found \(line.corrects?.description ?? "")"
        ))
      postOrdinary(line)
      return
    }
    if let later = original.state.correctedBy {
      problems.append(
        (line, "corrects", "expected a line not yet corrected, found \(ref) corrected by \(later)"))
    }
    original.state.correctedBy = line.invoice
    ledger.markCorrected(ref, by: line.invoice)
    var k = 0
    func numbered(_ type: ActualType, _ origin: ActualOrigin) -> Actual {
      return Self.next(of: line, &k, type, origin: origin)
    }
    func next(_ type: ActualType) -> Actual { numbered(type, .correction) }
    var billedReversal = next(.billedSales)
    billedReversal.reversed = original.state.billed
    billedReversal.billing = original.line.billing
    ledger.append(billedReversal)

    if billsEntry(original.line) {
      let rebills = document.filter { $0.corrects == ref && !isCredit($0) }
      var rebilledQuantity = Quantity.zero
      var rebilledAmount = Money.zero(line.currency)
      for rebill in rebills {
        var unbilled = next(.unbilledSales)
        unbilled.quantity = rebill.quantity
        unbilled.unitPrice = rebill.unitPrice
        unbilled.amount = rebill.amount
        unbilled.billing = rebill.billing
        pendingRebill[rebill.line] = unbilled.ref
        ledger.append(unbilled)
        rebilledQuantity = rebilledQuantity + rebill.quantity
        rebilledAmount = rebilledAmount + rebill.amount
      }
      // A fee's partial credit is a discount: nothing goes back to the backlog (DOMAIN §3).
      let discount = original.line.lineClass == .fee && !rebills.isEmpty
      let credited = line.quantity.magnitudeQuantity
      let share =
        credited == original.state.reversedQuantity || original.state.reversedQuantity == .zero
        ? original.state.reversedAmount
        : Money(
          minorUnits: Int64(
            RoundingMode.halfUp.divide(
              Int128(original.state.reversedAmount.minorUnits) * Int128(credited.micros),
              by: Int128(original.state.reversedQuantity.micros))), currency: line.currency)
      let restQuantity = credited - rebilledQuantity
      let restAmount = share - rebilledAmount
      if !discount && (restQuantity != .zero || restAmount.minorUnits != 0) {
        var rest = next(.unbilledSales)
        rest.quantity = restQuantity
        rest.amount = restAmount
        rest.billing = backlogBilling(original.line)
        ledger.open(rest)
        ledger.append(rest)
      }
    } else if original.line.lineClass == .milestone {
      creditedMilestones[original.line.source] = line.invoice
    } else if original.line.lineClass == .retainer {
      // The balance kept for reconciliation goes with the credited line: reversed in full.
      let key = key(original.line)
      let leftover = reverseBalances(
        key, currency: line.currency, origin: .correction, next: numbered)
      if original.line.amount.minorUnits < 0 {
        // A reconciliation credited: what it applied is available again, with its leftover.
        let applied = -original.line.amount
        retainerApplied[key] = (retainerApplied[key] ?? .zero(line.currency)) - applied
        let available = leftover + applied
        if let rebill = document.first(where: { $0.corrects == ref && !isCredit($0) }) {
          pendingReconciliation[rebill.line] = available
        } else {
          var balance = next(.unbilledSales)
          balance.quantity = .zero
          balance.amount = -available
          ledger.openRetainer(balance)
          ledger.append(balance)
        }
      }
    }
    ledger.record(
      line, billed: billedReversal.ref, reversed: (.zero, .zero(line.currency)), isCredit: true)
  }

  /// Work a credit puts back in the backlog keeps the entry's billing type where the entry is
  /// still there (so a now non-chargeable entry is not billed again), chargeable otherwise.
  private func backlogBilling(_ line: InvoiceLine) -> BillingType {
    entry(line.source)?.billing ?? .chargeable
  }

  private mutating func postRebill(_ line: InvoiceLine, pendingRebill: [Name: ActualRef]) {
    guard billsEntry(line) else {
      if line.lineClass == .retainer {
        var k = 0
        func next(_ type: ActualType, _ origin: ActualOrigin) -> Actual {
          return Self.next(of: line, &k, type, origin: origin)
        }
        let id: ActualRef
        if line.amount.minorUnits < 0, let available = pendingReconciliation[line.line] {
          id = apply(line, available: available, origin: .correction, next: next)
        } else {
          id = postRetainer(line, origin: .correction, next: next)
        }
        ledger.record(line, billed: id, reversed: (.zero, .zero(line.currency)))
      } else {
        problems.append(
          (
            line, "corrects",
            "expected no re-bill of a \(line.lineClass.rawValue) line (only full credits are supported), found one"
          ))
        postOrdinary(line)
      }
      return
    }
    guard let unbilledID = pendingRebill[line.line] else {
      problems.append(
        (
          line, "corrects",
          "expected the credit line of \(line.corrects!) before this re-bill line, found none"
        ))
      postOrdinary(line)
      return
    }
    var k = 0
    ledger.append(
      Self.next(
        of: line, &k, .unbilledSales, origin: .correction, reversing: unbilledID,
        quantity: -line.quantity, amount: -line.amount))
    ledger.append(Self.next(of: line, &k, .billedSales, origin: .correction))
    ledger.record(line, billed: Self.ref(of: line, k), reversed: (line.quantity, line.amount))
  }
}

/// Line ids in natural order: `2` before `10`, then as text.
func lineOrder(_ a: Name, _ b: Name) -> Bool {
  // Line numbers are nearly always plain digits: compared without parsing an Int each time.
  if let x = plainNumber(a), let y = plainNumber(b) { return x < y }
  return switch (Int(a.string), Int(b.string)) {
  case (let x?, let y?): x < y
  case (.some, nil): true
  case (nil, .some): false
  case (nil, nil): a < b
  }
}

/// The value of a string of at most 18 decimal digits (nil for anything else, left to `Int`).
private func plainNumber(_ text: Name) -> Int? {
  text.withUTF8 { bytes -> Int? in
    guard !bytes.isEmpty, bytes.count <= 18 else { return nil }
    var value = 0
    for byte in bytes {
      let digit = byte &- UInt8(ascii: "0")
      guard digit < 10 else { return nil }
      value = value &* 10 &+ Int(digit)
    }
    return value
  }
}

/// Lines in line order already (as files nearly always have them) or sorted into it.
func inLineOrder(_ lines: ArraySlice<InvoiceLine>) -> ArraySlice<InvoiceLine> {
  let sorted = lines.indices.dropFirst().allSatisfy {
    !lineOrder(lines[$0].line, lines[$0 - 1].line)
  }
  return sorted ? lines : ArraySlice(lines.sorted { lineOrder($0.line, $1.line) })
}

/// Invoice lines by invoice, each invoice's in line order. When each invoice's lines are
/// together in `lines`, as most exports list them, each is a slice of `lines`; otherwise all
/// are copied once, invoice after invoice, into one array (not into an array per invoice
/// grown line by line: a million lines copied again at each doubling).
func byInvoice(_ lines: [InvoiceLine]) -> [InvoiceID: ArraySlice<InvoiceLine>] {
  var invoices = KeyPositions<InvoiceID>()
  var counts: [Int] = []
  var groups: [Int32] = []
  groups.reserveCapacity(lines.count)
  var together = true
  for line in lines {
    let (group, isNew) = invoices.position(of: line.invoice)
    if isNew {
      counts.append(0)
    } else if group != groups.last.map(Int.init) {
      together = false
    }
    counts[group] += 1
    groups.append(Int32(group))
  }
  var grouped = lines
  if !together {
    var next = [Int](repeating: 0, count: counts.count)
    for group in counts.indices.dropFirst() { next[group] = next[group - 1] + counts[group - 1] }
    grouped = [InvoiceLine](unsafeUninitializedCapacity: lines.count) { buffer, count in
      for i in lines.indices {
        let group = Int(groups[i])
        (buffer.baseAddress! + next[group]).initialize(to: lines[i])
        next[group] += 1
      }
      count = lines.count
    }
  }
  var result: [InvoiceID: ArraySlice<InvoiceLine>] = [:]
  result.reserveCapacity(counts.count)
  var start = 0
  for count in counts {
    result[grouped[start].invoice] = inLineOrder(grouped[start..<start + count])
    start += count
  }
  return result
}

/// The inbox's entries with the contract line each is invoiced on: the records stay in the
/// one array they were read into, and each one's line is found once (the drift check, the
/// corrections and the work due ask again for most entries). By id through the ledger's
/// table of sources (`Poster.entry(_:)`, `Ledger.register(entries:)`).
struct EntryIndex {
  /// The inbox's entries (found by id through the ledger's table of sources).
  let records: [Entry]
  /// By the entry's position: the position of its contract line (`Contracts.position(for:)`),
  /// −1 when it is on none.
  private let lines: [Int32]

  init(_ records: [Entry], contracts: Contracts) {
    self.records = records
    lines = records.map { contracts.position(for: $0).map(Int32.init) ?? -1 }
  }

  /// The entry at `position` and the position of its contract line (nil: on none).
  func entryAndLine(at position: Int) -> (entry: Entry, line: Int?) {
    (records[position], line(at: position))
  }

  /// Starts loading the entry at `position` and its line's position (a hint).
  func prefetch(_ position: Int) {
    rebill_prefetch_bytes(records._baseAddressIfContiguous! + position, MemoryLayout<Entry>.stride)
    rebill_prefetch(lines._baseAddressIfContiguous! + position)
  }

  /// The position of the contract line of the entry at `position` in the inbox's array.
  func line(at position: Int) -> Int? {
    let line = lines[position]
    return line < 0 ? nil : Int(line)
  }
}
