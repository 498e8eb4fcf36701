internal import CSystem
import RebillModel

/// What a posted invoice line detail left behind, so that later documents can reverse it: the
/// line and what became of it, as the ledger keeps them side by side.
struct PostedLine {
  let line: InvoiceLine
  var state: PostedState

  /// Still standing: a line that bills (or applies a retainer) and that nobody has credited.
  var isLive: Bool { state.isLive(line) }
}

/// What became of a posted line, kept beside it (`Ledger.postedStates`).
struct PostedState {
  /// Its billed sales actual.
  var billed: ActualRef?
  /// What its unbilled reversals took off the backlog (entries only), as positive magnitudes.
  var reversedQuantity: Quantity
  var reversedAmount: Money
  /// The later document whose credit line credits it.
  var correctedBy: InvoiceID?
  /// A credit line of a corrective invoice.
  var isCredit: Bool
  /// Where it stands among its source's posted lines (`SourceLines`).
  var rank: SourceRank
  /// Its source's slot in the ledger: what the drift check asks of every line (the entry it
  /// bills) is found from it without looking the source up again.
  var slot: Int32

  /// `PostedLine.isLive` of `line`, the line this is the state of.
  func isLive(_ line: InvoiceLine) -> Bool {
    correctedBy == nil && !isCredit && (line.quantity > .zero || line.lineClass == .retainer)
  }
}

/// A posted line's place among the lines posted for its source: the only one (most are), or
/// the first or a later one of several. Lets a pass over the posted lines in order take each
/// source once (the drift check) without a table lookup per line.
enum SourceRank: UInt8 {
  case alone, first, later
}

/// Where one source's posted lines are in `Ledger.postedLines`, in posting order: the first
/// held here (most sources are billed once, and need no array).
struct SourceLines {
  var first: Int32
  var more: [Int32] = []

  /// Adds the line at `position` (the first when the source is new: `first` −1): its rank,
  /// and the first line's position when this one ends it being alone (it is `.first` now).
  mutating func add(_ position: Int32) -> (rank: SourceRank, firstNoLongerAlone: Int32?) {
    if first < 0 {
      first = position
      return (.alone, nil)
    }
    more.append(position)
    return (.later, more.count == 1 ? first : nil)
  }
}

/// What the ledger keeps of a source (`Ledger.sourceSlots`).
struct SourceSlot {
  var lines = SourceLines(first: -1)
  /// The first of its pools in the chain (the last made), −1 while it has none, and that
  /// pool's customer: here, not only in `Ledger.poolCustomers`, a cache miss fewer for every
  /// source of one customer (the others of a split are found through the chain).
  var pool: Int32 = -1
  var customer: CustomerID?
  /// The position of the entry it is, in the inbox's array; −1 when it is none.
  var entry: Int32 = -1
  /// The date of its first actual of an entry (`RunResult.workDays`).
  var workDay = RunResult.noWorkDay
}

/// Unbilled sales still open in the backlog, oldest first.
struct OpenUnbilled {
  let id: ActualRef
  var quantity: Quantity
  var amount: Money
  let unitPrice: UnitPrice
  let billing: BillingType
}

/// The open unbilled sales of one source and customer, oldest first: the oldest held inline,
/// the rest in an array (nearly every pool holds one entry's work: no array to allocate).
struct Pool {
  private(set) var first: OpenUnbilled?
  private var rest: [OpenUnbilled] = []

  var isEmpty: Bool { first == nil }

  /// What the pool holds of one billing type: whether anything, and the sums.
  func sums(of billing: BillingType, in currency: Currency) -> (
    any: Bool, quantity: Quantity, amount: Money
  ) {
    var sums = (any: false, quantity: Quantity.zero, amount: Money.zero(currency))
    func add(_ open: OpenUnbilled) {
      guard open.billing == billing else { return }
      sums = (true, sums.quantity + open.quantity, sums.amount + open.amount)
    }
    if let first { add(first) }
    for open in rest { add(open) }
    return sums
  }

  mutating func append(_ open: OpenUnbilled) {
    if first == nil { first = open } else { rest.append(open) }
  }

  /// Replaces the oldest (what is left of it once part is taken).
  mutating func replaceFirst(_ open: OpenUnbilled) { first = open }

  mutating func removeFirst() { first = rest.isEmpty ? nil : rest.removeFirst() }
}

/// The actuals of a run, and what is still open, as documents are posted in order.
struct Ledger {
  struct PoolKey: KeyHashable {
    let source: Name
    let customer: CustomerID

    var keyHash: UInt64 { KeyHash.combine(source.keyHash, customer.keyHash) }
  }

  private(set) var actuals: [Actual] = []
  /// By actual: its source's slot, −1 when the source is in no slot.
  private var actualSlots: [Int32] = []
  /// Every posted line, in posting order: read in place by position, found by ref through
  /// `postedIndex` (a table of small numbers, not of copies of lines). What became of each is
  /// beside it, at the same position in `postedStates`: a line goes into place straight from
  /// where it was, where a line and its state made one value first, then copied whole into the
  /// array (two more copies of 300 bytes a line).
  private(set) var postedLines: [InvoiceLine] = []
  private(set) var postedStates: [PostedState] = []
  private var postedIndex: [InvoiceLineRef: Int32] = [:]
  /// Every source met, by `sources`' position: its posted lines (`lines.first` −1 while it
  /// has none) and the first of its backlog's pools (one per customer, chained through
  /// `nextPool`). One table for both: an invoice line takes from its source's pool, then is
  /// recorded among its source's lines, and the second finds the slot the first looked up
  /// (`lastSource`): in two tables, each was a cache miss of its own (`SourceLines.add` alone
  /// 1.7 % of the samples at 1M, nearly all on that load).
  private var sources = NameIndex()
  private var sourceSlots: [SourceSlot] = []
  private var lastSource: (name: Name, slot: Int)?
  /// By entry position: its slot (`register(entries:)`).
  private var entrySlots: [Int32] = []
  /// The open backlogs: pools in an array, in the order they opened, with, by pool, its
  /// customer, its source's slot and the next pool of the same source (−1: none). In a table
  /// of pools, each new key's pool landed on a cache line of its own of a table new to the
  /// part: a miss per entry opened.
  private var pools: [Pool] = []
  private var poolCustomers: [CustomerID] = []
  private var poolSlots: [Int32] = []
  private var nextPool: [Int32] = []
  /// What invoices billed beyond the backlog (the entry shrank, moved or is gone): the credit
  /// that corrects them pays it back before anything is open again.
  private(set) var debts: [PoolKey: (quantity: Quantity, amount: Money)] = [:]
  /// Open retainer balances (negative unbilled actuals), per retainer and customer.
  private(set) var retainerBalances: [PoolKey: [OpenUnbilled]] = [:]

  /// Takes the actual (its last use, at every call: moved in, not copied). Inlined where it
  /// is called, its source's slot noted apart: made a call of its own, the actual was copied
  /// whole into it (`memmove` 2.6 % of the samples at 1M, then 4.3 %).
  @inline(__always)
  mutating func append(_ actual: consuming Actual) {
    note(actual.source, isEntry: actual.origin == .entry, date: actual.date)
    actuals.append(actual)
  }

  /// The slot of the next actual's source, and its work day when it is an entry's.
  @inline(never)
  private mutating func note(_ source: Name, isEntry: Bool, date: CalendarDate) {
    // The slot just looked up, as a rule (an entry opened, a line taken).
    let slot = knownSlot(of: source) ?? -1
    if slot >= 0 && isEntry && sourceSlots[slot].workDay == RunResult.noWorkDay {
      sourceSlots[slot].workDay = date.daysSinceEpoch
    }
    actualSlots.append(Int32(slot))
  }

  /// By actual: the day of the work of its source (`RunResult.workDays`).
  var workDays: [Int32] {
    actualSlots.map { $0 < 0 ? RunResult.noWorkDay : sourceSlots[Int($0)].workDay }
  }

  /// Room for a run of this size up front: growing these tables copies every value again.
  mutating func reserve(lines: Int, sources: Int) {
    postedLines.reserveCapacity(lines)
    postedStates.reserveCapacity(lines)
    postedIndex.reserveCapacity(lines)
    self.sources = NameIndex(capacity: sources)
    sourceSlots.reserveCapacity(sources)
    pools.reserveCapacity(sources)
    poolCustomers.reserveCapacity(sources)
    nextPool.reserveCapacity(sources)
    poolSlots.reserveCapacity(sources)
    actuals.reserveCapacity(sources + lines * 2)
    actualSlots.reserveCapacity(sources + lines * 2)
  }

  /// The inbox's entries, in their order: each is a source, found by id through the same table
  /// as the posted lines and pools (a table of their own had each entry's id hashed and
  /// stored once more), and its slot known by position (`open(_:entry:)` looks nothing up).
  /// An id given twice stands for the later entry.
  mutating func register(entries ids: some Sequence<Name>) {
    for (entry, id) in ids.enumerated() {
      let slot = slotMade(for: id)
      sourceSlots[slot].entry = Int32(entry)
      entrySlots.append(Int32(slot))
    }
  }

  /// The position of the entry `source` is, if it is one.
  func entryPosition(of source: Name) -> Int? {
    guard let slot = sources[source] else { return nil }
    return entryPosition(slot: slot)
  }

  /// Starts loading the ledger's slot `slot` (a hint: `Poster.prefetchEntry(slot:)`). The
  /// array's address read as such, as `NameIndex.prefetch` does.
  func prefetch(slot: Int32) {
    rebill_prefetch(sourceSlots._baseAddressIfContiguous! + Int(slot))
  }

  /// The position of the entry that the source of `slot` is, if it is one.
  func entryPosition(slot: Int32) -> Int? {
    let entry = sourceSlots[Int(slot)].entry
    return entry < 0 ? nil : Int(entry)
  }

  /// `open(_:)` for an actual of the entry at `entry` (its source).
  mutating func open(_ actual: Actual, entry: Int) {
    let slot = Int(entrySlots[entry])
    lastSource = (actual.source, slot)
    open(actual)
  }

  /// Adds unbilled sales to the backlog of its source and customer; a negative amount (a
  /// correction billing more than it credited) takes it back, oldest first.
  mutating func open(_ actual: Actual) {
    let key = PoolKey(source: actual.source, customer: actual.customer)
    if actual.quantity >= .zero && actual.amount.minorUnits >= 0 {
      var quantity = actual.quantity
      var amount = actual.amount
      if !debts.isEmpty, let debt = debts[key] {
        if quantity >= debt.quantity {
          quantity = quantity - debt.quantity
          amount = amount - debt.amount
          debts[key] = nil
        } else {
          debts[key] = (debt.quantity - quantity, debt.amount - amount)
          return
        }
      }
      if quantity == .zero && amount.minorUnits == 0 { return }
      let position = pool(key.customer, slot: slot(of: key.source))
      pools[position].append(
        OpenUnbilled(
          id: actual.ref, quantity: quantity, amount: amount, unitPrice: actual.unitPrice,
          billing: actual.billing))
    } else {
      let wanted = actual.quantity.magnitudeQuantity
      take(wanted, from: key, rounding: .halfUp)
      let covered = taken.reduce(Quantity.zero) { $0 + $1.quantity }
      let coveredAmount = taken.reduce(Money.zero(actual.amount.currency)) { $0 + $1.amount }
      let rest = wanted - covered
      if rest > .zero { owe(rest, -actual.amount - coveredAmount, to: key) }
    }
  }

  /// Records what was billed beyond the backlog.
  mutating func owe(_ quantity: Quantity, _ amount: Money, to key: PoolKey) {
    let debt = debts[key] ?? (.zero, .zero(amount.currency))
    debts[key] = (debt.quantity + quantity, debt.amount + amount)
  }

  /// What an open actual gave to `take(_:from:rounding:billing:)`.
  typealias Taken = (id: ActualRef, quantity: Quantity, amount: Money, billing: BillingType)

  /// What the last `take(_:from:rounding:billing:)` took, kept for its caller to read (one array
  /// reused, not one made and freed per invoice line).
  private(set) var taken: [Taken] = []

  /// Takes `quantity` off the backlog of `key`, oldest first: what each open actual gave, in
  /// `taken`. An open actual taken whole gives all it holds. One taken
  /// in part gives what the line bills for that part when the line bills at the actual's price
  /// (so an invoice settles exactly what it bills: 6 of 8 h at 200.00 reverses 1,200.00), else
  /// the part at the actual's price.
  mutating func take(
    _ quantity: Quantity, from key: PoolKey, rounding: RoundingMode,
    billing line: (amount: Money, unitPrice: UnitPrice)? = nil
  ) {
    taken.removeAll(keepingCapacity: true)
    guard let slot = knownSlot(of: key.source), let index = knownPool(key.customer, slot: slot)
    else {
      return
    }
    // The pool changed where it is, and left there when emptied: taking it out of the table
    // and putting it back cost a removal per invoice line (a removal shifts the keys after it
    // back and hashes each again). `taken` is swapped out meanwhile, so that both are changed
    // in place.
    var taken: [Taken] = []
    swap(&taken, &self.taken)
    Self.take(quantity, from: &pools[index], into: &taken, rounding: rounding, billing: line)
    swap(&taken, &self.taken)
  }

  private static func take(
    _ quantity: Quantity, from pool: inout Pool,
    into taken: inout [Taken],
    rounding: RoundingMode, billing line: (amount: Money, unitPrice: UnitPrice)?
  ) {
    var remaining = quantity
    while remaining > .zero, var first = pool.first {
      if first.quantity <= remaining {
        taken.append((first.id, first.quantity, first.amount, first.billing))
        remaining = remaining - first.quantity
        pool.removeFirst()
      } else {
        let takenSoFar = taken.reduce(Money.zero(first.amount.currency)) { $0 + $1.2 }
        let part =
          line.map { $0.unitPrice == first.unitPrice } == true
          ? line!.amount - takenSoFar
          : Money.product(
            remaining, first.unitPrice, currency: first.amount.currency, rounding: rounding)
        taken.append((first.id, remaining, part, first.billing))
        first.quantity = first.quantity - remaining
        first.amount = first.amount - part
        pool.replaceFirst(first)
        remaining = .zero
      }
    }
  }

  /// Starts loading where the table of sources holds `source` (a hint: a lookup of it a few
  /// lines later finds it in cache).
  func prefetch(source: Name) { sources.prefetch(source) }

  /// Starts loading the slot of `source` (its place in the table loaded already), and
  /// (`prefetchPool(of:)`), once that is in cache too, its first pool: the three dependent
  /// loads of a take, each started a line or two before (`Poster.post`).
  func prefetchSlot(of source: Name) {
    if let slot = sources[source] { prefetch(slot: slot) }
  }

  func prefetchPool(of source: Name) {
    if let slot = sources[source] { prefetchPool(slot: Int(slot)) }
  }

  /// The same for the entry at `entry` (by position), found without the table.
  func prefetchSlot(entry: Int) { prefetch(slot: entrySlots[entry]) }

  func prefetchPool(entry: Int) { prefetchPool(slot: Int(entrySlots[entry])) }

  private func prefetchPool(slot: Int) {
    let pool = sourceSlots[slot].pool
    if pool >= 0 { rebill_prefetch(pools._baseAddressIfContiguous! + Int(pool)) }
  }

  /// The slot of `source`, made when it is new; remembered for the next call.
  private mutating func slot(of source: Name) -> Int {
    if let last = lastSource, last.name == source { return last.slot }
    let slot = slotMade(for: source)
    lastSource = (source, slot)
    return slot
  }

  /// The slot of `source`, made (empty) when it is new.
  private mutating func slotMade(for source: Name) -> Int {
    let next = Int32(sourceSlots.count)
    let slot = Int(sources.value(of: source) { next })
    if slot == next { sourceSlots.append(SourceSlot()) }
    return slot
  }

  /// The slot of `source`, if it was met; remembered for the next call.
  private mutating func knownSlot(of source: Name) -> Int? {
    if let last = lastSource, last.name == source { return last.slot }
    guard let found = sources[source] else { return nil }
    let slot = Int(found)
    lastSource = (source, slot)
    return slot
  }

  /// The position of the pool of `customer` and the source of `slot`, if it has one.
  private func knownPool(_ customer: CustomerID, slot: Int) -> Int? {
    var index = sourceSlots[slot].pool
    if index >= 0 && sourceSlots[slot].customer == customer { return Int(index) }
    while index >= 0 {
      if poolCustomers[Int(index)] == customer { return Int(index) }
      index = nextPool[Int(index)]
    }
    return nil
  }

  /// The position of the pool of `customer` and the source of `slot`, made empty when new.
  private mutating func pool(_ customer: CustomerID, slot: Int) -> Int {
    if let index = knownPool(customer, slot: slot) { return index }
    let index = pools.count
    pools.append(Pool())
    poolCustomers.append(customer)
    poolSlots.append(Int32(slot))
    nextPool.append(sourceSlots[slot].pool)
    sourceSlots[slot].pool = Int32(index)
    sourceSlots[slot].customer = customer
    return index
  }

  /// The entries with work open in the backlog, by position in the inbox's array, in the
  /// order their pools opened (an entry split among customers once per customer; a pool
  /// emptied stays, empty): from each pool's slot, with no lookup.
  var openEntries: [Int] {
    var open: [Int] = []
    for index in pools.indices where !pools[index].isEmpty {
      if let entry = entryPosition(slot: poolSlots[index]) { open.append(entry) }
    }
    return open
  }

  /// The open backlog of the entry at `entry` (by position) and a customer, oldest first.
  func openPool(entry: Int, customer: CustomerID) -> Pool {
    guard let index = knownPool(customer, slot: Int(entrySlots[entry])) else { return Pool() }
    return pools[index]
  }

  mutating func openRetainer(_ actual: Actual) {
    let key = PoolKey(source: actual.source, customer: actual.customer)
    retainerBalances[key, default: []].append(
      OpenUnbilled(
        id: actual.ref, quantity: actual.quantity, amount: actual.amount,
        unitPrice: actual.unitPrice, billing: actual.billing))
  }

  /// Closes every open balance actual of a retainer: what they held (negative amounts).
  mutating func closeRetainer(_ key: PoolKey) -> [OpenUnbilled] {
    defer { retainerBalances[key] = [] }
    return retainerBalances[key] ?? []
  }

  func retainerBalance(_ key: PoolKey) -> [OpenUnbilled] { retainerBalances[key] ?? [] }

  /// Takes the line (moved in by its last use, not copied).
  mutating func record(
    _ line: consuming InvoiceLine, billed: ActualRef?, reversed: (Quantity, Money),
    isCredit: Bool = false
  ) {
    // The slot found before the line is touched again: looked up inside the subscript's
    // access, the line was copied whole first (memmove under `Poster.post` 0.2 % of the
    // samples at 1M, then 0.9-1.3 %).
    let slot = slot(of: line.source)
    let position = Int32(postedLines.count)
    postedIndex[line.ref] = position
    let (rank, first) = sourceSlots[slot].lines.add(position)
    if let first { postedStates[Int(first)].rank = .first }
    postedStates.append(
      PostedState(
        billed: billed, reversedQuantity: reversed.0, reversedAmount: reversed.1, correctedBy: nil,
        isCredit: isCredit, rank: rank, slot: Int32(slot)))
    postedLines.append(line)
  }

  /// The posted line at `position`, with its state (a copy).
  func posted(at position: Int32) -> PostedLine {
    PostedLine(line: postedLines[Int(position)], state: postedStates[Int(position)])
  }

  /// The posted line `ref`, if any (a copy).
  subscript(posted ref: InvoiceLineRef) -> PostedLine? { postedIndex[ref].map(posted(at:)) }

  /// Where the posted lines of `source` are, if it has any.
  func lines(of source: Name) -> SourceLines? {
    guard let slot = sources[source] else { return nil }
    return lines(slot: slot)
  }

  /// Where the posted lines of the source of `slot` are, if it has any.
  func lines(slot: Int32) -> SourceLines? {
    let lines = sourceSlots[Int(slot)].lines
    return lines.first < 0 ? nil : lines
  }

  /// Marks the posted line `ref` credited by `document`.
  mutating func markCorrected(_ ref: InvoiceLineRef, by document: InvoiceID) {
    if let i = postedIndex[ref] { postedStates[Int(i)].correctedBy = document }
  }

  /// Whether a posted line of `source` passes `test`.
  func anyLine(of source: Name, _ test: (PostedLine) -> Bool) -> Bool {
    guard let lines = lines(of: source) else { return false }
    return test(posted(at: lines.first)) || lines.more.contains { test(posted(at: $0)) }
  }
}

extension Quantity {
  var magnitudeQuantity: Quantity { micros < 0 ? -self : self }
}
