internal import CSystem
import RebillModel

/// The inbox cut into independent parts: records that share no business key (contract,
/// contract line, project, invoice, order or source) cannot affect each other's actuals or
/// documents, so each part is reconciled alone (in parallel, and with memory for one part at a
/// time). Two records land in the same part when they name a key in common, directly or through
/// others: an invoice joins the contracts of its lines, an entry its project's lines, an invoice
/// line the entry, milestone or retainer it bills, a correction or return the invoice it is
/// about. Joining more than needed is harmless; joining less would not be, so every key a rule
/// of the engine looks records up by is named here.
///
/// Parts come in the order of their least key: contract ids first (a part is mostly one
/// contract, in contract id order), then order ids, invoice ids and sources; never in the order
/// records were read, so that the same facts in another order give the same output.
struct InboxParts {
  /// For each part, the positions of its records in each of the inbox's arrays.
  struct Part {
    var contractLines: [Int32] = []
    var funding: [Int32] = []
    var milestones: [Int32] = []
    var retainers: [Int32] = []
    var entries: [Int32] = []
    var orderLines: [Int32] = []
    var invoiceLines: [Int32] = []
    var corrections: [Int32] = []

    var records: Int {
      contractLines.count + funding.count + milestones.count + retainers.count + entries.count
        + orderLines.count + invoiceLines.count + corrections.count
    }

    /// The kinds of record a part holds, each an array of positions.
    enum Kind {
      case contractLines, funding, milestones, retainers, entries, orderLines, invoiceLines
      case corrections
    }

    /// Adds the position of a record of `kind` (a switch: a key path's write calls into the
    /// runtime, and the partition's last steps place millions of records on one core).
    @inline(__always) mutating func append(_ position: Int32, _ kind: Kind) {
      switch kind {
      case .contractLines: contractLines.append(position)
      case .funding: funding.append(position)
      case .milestones: milestones.append(position)
      case .retainers: retainers.append(position)
      case .entries: entries.append(position)
      case .orderLines: orderLines.append(position)
      case .invoiceLines: invoiceLines.append(position)
      case .corrections: corrections.append(position)
      }
    }
  }

  private(set) var parts: [Part] = []
  /// Every confirmed invoice id, and every id a correction instruction names for its document:
  /// the ids no new document may take, whatever part creates it.
  private(set) var reserved = ReservedIDs()

  /// `runDate` dates the corrective invoices that instructions without a date ask for (their id
  /// is a key too: a confirmed one is what fulfils the instruction).
  init(_ inbox: Inbox, runDate: CalendarDate?) {
    // One node per record, in kind order; each record joined to the nodes of its keys. The
    // sources (about one per record: a table of millions, a cache miss a probe) are looked up
    // on one core while every other key is joined on another.
    let records =
      inbox.contractLines.count + inbox.funding.count + inbox.milestones.count
      + inbox.retainers.count + inbox.entries.count + inbox.orderLines.count
      + inbox.invoiceLines.count + inbox.corrections.count
    let sources =
      inbox.contractLines.count + inbox.milestones.count + inbox.retainers.count
      + inbox.entries.count + inbox.orderLines.count
    // The other keys on a thread of their own: as a task of the dispatch pool, while the
    // inbox is checked beside the partition, it waited for the sources' half to end.
    let others = Alongside { KeyUnion(inbox, records: records, runDate: runDate) }
    let firsts = SourceFirsts(inbox, records: records, capacity: sources)
    var keys = others.wait()
    keys.join(firsts)

    reserved = ReservedIDs(keys: keys.table(.invoice))
    // A part per root, records in inbox order; then parts in the order of their least key.
    // By root node: an array, not a table (a lookup per record and per key).
    var placing = Placing(nodes: keys.nodeCount)
    placing.place(inbox.contractLines.count, &keys, &parts, .contractLines)
    placing.place(inbox.funding.count, &keys, &parts, .funding)
    placing.place(inbox.milestones.count, &keys, &parts, .milestones)
    placing.place(inbox.retainers.count, &keys, &parts, .retainers)
    placing.place(inbox.entries.count, &keys, &parts, .entries)
    placing.place(inbox.orderLines.count, &keys, &parts, .orderLines)
    placing.place(inbox.invoiceLines.count, &keys, &parts, .invoiceLines)
    placing.place(inbox.corrections.count, &keys, &parts, .corrections)
    let partOfRoot = placing.partOfRoot
    // Namespace by namespace, in their order: a part's least key is in the first namespace that
    // names it, so once every part has one (nearly always after the contracts) the keys left,
    // a root to find each, are not read.
    var least = [(namespace: Int, value: Name)?](repeating: nil, count: parts.count)
    var without = parts.count
    for namespace in KeyUnion.Namespace.allCases where without > 0 {
      keys.forEachKey(in: namespace) { value, node in
        let part = Int(partOfRoot[Int(keys.root(node))])
        if let known = least[part] {
          if known.namespace == namespace.rawValue && value < known.value {
            least[part] = (namespace.rawValue, value)
          }
        } else {
          least[part] = (namespace.rawValue, value)
          without -= 1
        }
      }
    }
    let order = parts.indices.sorted { a, b in
      let (x, y) = (least[a]!, least[b]!)
      return (x.namespace, x.value) < (y.namespace, y.value)
    }
    parts = order.map { parts[$0] }
  }

  /// Names each record's keys with its node, in node order (kinds in inbox order), reading
  /// the records in place (a copy would copy them whole).
  fileprivate static func forEachKey(
    of inbox: Inbox, _ body: (Int32, KeyUnion.Namespace, Name) -> Void
  ) {
    var node: Int32 = 0
    func each<R: KeyedRecord>(_ records: [R]) {
      records.withUnsafeBufferPointer { records in
        for i in records.indices {
          R.keys(of: records.baseAddress! + i) { body(node, $0, $1) }
          node += 1
        }
      }
    }
    each(inbox.contractLines)
    each(inbox.funding)
    each(inbox.milestones)
    each(inbox.retainers)
    each(inbox.entries)
    each(inbox.orderLines)
    each(inbox.invoiceLines)
  }

  /// Records placed in the part of their root, a part made for each new root.
  private struct Placing {
    /// By root node: an array, not a table (a lookup per record and per key).
    var partOfRoot: [Int32]
    /// The node of the next record.
    var node: Int32 = 0

    init(nodes: Int) { partOfRoot = [Int32](repeating: -1, count: nodes) }

    /// The next `count` records, of `kind`.
    mutating func place(
      _ count: Int, _ keys: inout KeyUnion, _ parts: inout [Part], _ kind: Part.Kind
    ) {
      for i in 0..<Int32(count) {
        let root = keys.root(node)
        node += 1
        let part: Int32
        if case let known = partOfRoot[Int(root)], known >= 0 {
          part = known
        } else {
          part = Int32(parts.count)
          partOfRoot[Int(root)] = part
          parts.append(Part())
        }
        parts[Int(part)].append(i, kind)
      }
    }
  }

  /// Part `i` as an inbox of its own: the same settings and files, its records in inbox order.
  func inbox(_ i: Int, of inbox: Inbox) -> Inbox {
    let part = parts[i]
    var sub = Inbox()
    sub.settings = inbox.settings
    sub.files = inbox.files
    sub.contractLines = gather(inbox.contractLines, at: part.contractLines)
    sub.funding = gather(inbox.funding, at: part.funding)
    sub.milestones = gather(inbox.milestones, at: part.milestones)
    sub.retainers = gather(inbox.retainers, at: part.retainers)
    sub.entries = gather(inbox.entries, at: part.entries)
    sub.orderLines = gather(inbox.orderLines, at: part.orderLines)
    sub.invoiceLines = gather(inbox.invoiceLines, at: part.invoiceLines)
    sub.corrections = gather(inbox.corrections, at: part.corrections)
    return sub
  }

  /// The records at `positions`, each copied once from where it is to where it goes (`map`
  /// copied an invoice line twice, through a value of its own). A part's records lie anywhere
  /// in the inbox's arrays: each record's cache lines are prefetched `ahead` records before it
  /// is copied, so that the misses overlap.
  private func gather<T>(_ records: [T], at positions: [Int32]) -> [T] {
    let ahead = 8
    return records.withUnsafeBufferPointer { records in
      [T](unsafeUninitializedCapacity: positions.count) { gathered, count in
        for k in positions.indices {
          if k + ahead < positions.count {
            rebill_prefetch_bytes(
              records.baseAddress! + Int(positions[k + ahead]), MemoryLayout<T>.stride)
          }
          (gathered.baseAddress! + k).initialize(
            from: records.baseAddress! + Int(positions[k]), count: 1)
        }
        count = positions.count
      }
    }
  }
}

/// Union-find over records and the keys they name: a node per record (0..<records), then one
/// per distinct key, per namespace; but a source's node is the first record that names it
/// (`SourceFirsts`), so that the million sources add no nodes.
struct KeyUnion: Sendable {
  enum Namespace: Int, CaseIterable {
    case contract, order, invoice, line, project, source
  }

  private var parent: [Int32]
  private var keys: [NameIndex] = Array(repeating: NameIndex(), count: Namespace.allCases.count)

  /// The inbox's `records` joined to every key they name but their sources
  /// (`join(_:)` adds those). Corrections name keys that depend on the run date: joined here,
  /// not by `KeyedRecord`.
  init(_ inbox: Inbox, records: Int, runDate: CalendarDate?) {
    parent = Array(0..<Int32(records))
    parent.reserveCapacity(records + records / 4)
    InboxParts.forEachKey(of: inbox) { node, namespace, value in
      if namespace != .source { join(node, namespace, value) }
    }
    var node = Int32(records - inbox.corrections.count)
    for row in inbox.corrections {
      join(node, .invoice, row.invoice.name)
      if let document = row.document {
        join(node, .invoice, document.name)
      } else if let date = row.date ?? runDate {
        // The corrective invoice it asks for, when one is confirmed already (invoice lines are
        // joined before corrections): it fulfils the instruction.
        let id = row.invoice.corrective(on: date).name
        if has(.invoice, id) { join(node, .invoice, id) }
      }
      node += 1
    }
  }

  /// Joins each record to the first that names its source: that record's node stands for the
  /// source.
  mutating func join(_ firsts: SourceFirsts) {
    firsts.first.withUnsafeBufferPointer { first in
      for node in first.indices where first[node] >= 0 { union(Int32(node), first[node]) }
    }
    keys[Namespace.source.rawValue] = firsts.index
  }

  /// Joins record `node` to the key `value` of `namespace`.
  mutating func join(_ node: Int32, _ namespace: Namespace, _ value: Name) {
    let nodes = parent.count
    let key = keys[namespace.rawValue].value(of: value) { Int32(nodes) }
    if Int(key) == nodes { parent.append(key) }  // a new key: a node of its own
    union(node, key)
  }

  var nodeCount: Int { parent.count }

  func has(_ namespace: Namespace, _ value: Name) -> Bool {
    keys[namespace.rawValue][value] != nil
  }

  func table(_ namespace: Namespace) -> NameIndex { keys[namespace.rawValue] }

  /// Every key of `namespace` and its node, in no order.
  func forEachKey(in namespace: Namespace, _ body: (Name, Int32) -> Void) {
    keys[namespace.rawValue].each(body)
  }

  mutating func root(_ node: Int32) -> Int32 {
    var x = node
    while parent[Int(x)] != x {
      parent[Int(x)] = parent[Int(parent[Int(x)])]
      x = parent[Int(x)]
    }
    return x
  }

  /// The smaller root wins, so that the result does not depend on the order of the joins.
  private mutating func union(_ a: Int32, _ b: Int32) {
    let ra = root(a)
    let rb = root(b)
    if ra < rb {
      parent[Int(rb)] = ra
    } else if rb < ra {
      parent[Int(ra)] = rb
    }
  }
}

/// Each record's source, looked up apart from the other keys (`InboxParts`): the node of the
/// first record that names it stands for it.
struct SourceFirsts: Sendable {
  /// Source → the first record naming it.
  var index: NameIndex
  /// By record: the first record naming its source, or −1 (it names none, or is that first).
  var first: [Int32]

  /// `capacity`: about how many distinct sources there are (entries and the like), to size the
  /// table once.
  init(_ inbox: Inbox, records: Int, capacity: Int) {
    var index = NameIndex(capacity: capacity)
    var first = [Int32](repeating: -1, count: records)
    // Each source is looked up `lag` sources after it is named, its slot prefetched then: the
    // table's cache misses overlap (0.23 s on one core at 1M, one after another).
    let lag = 16
    let pending = UnsafeMutableBufferPointer<(node: Int32, value: Name)>.allocate(capacity: lag)
    defer { pending.deallocate() }
    var named = 0
    first.withUnsafeMutableBufferPointer { first in
      func lookUp(_ node: Int32, _ value: Name) {
        let known = index.value(of: value) { node }
        if known != node { first[Int(node)] = known }
      }
      InboxParts.forEachKey(of: inbox) { node, namespace, value in
        guard namespace == .source else { return }
        index.prefetch(value)
        if named >= lag { lookUp(pending[named % lag].node, pending[named % lag].value) }
        pending[named % lag] = (node, value)
        named += 1
      }
      for i in max(0, named - lag)..<named { lookUp(pending[i % lag].node, pending[i % lag].value) }
    }
    self.index = index
    self.first = first
  }
}

/// Document ids held by the inbox: confirmed invoices, and the documents correction
/// instructions name (the invoice keys of `InboxParts`, shared, not copied into a set).
struct ReservedIDs: Sendable {
  var keys = NameIndex()

  func contains(_ id: InvoiceID) -> Bool { keys[id.name] != nil }
}

/// A record and the keys it names (`InboxParts`): records naming a key in common go together.
protocol KeyedRecord {
  /// Names the record's keys, reading it in place (a copy would retain every string it holds).
  static func keys(of record: UnsafePointer<Self>, _ name: (KeyUnion.Namespace, Name) -> Void)
}

extension ContractLine: KeyedRecord {
  static func keys(of r: UnsafePointer<Self>, _ name: (KeyUnion.Namespace, Name) -> Void) {
    name(.contract, r.pointee.contract.name)
    name(.line, r.pointee.id.name)
    name(.project, r.pointee.project.name)
    name(.source, r.pointee.id.name)  // a product line's invoice lines bill the line itself
  }
}

extension FundingShare: KeyedRecord {
  static func keys(of r: UnsafePointer<Self>, _ name: (KeyUnion.Namespace, Name) -> Void) {
    name(.contract, r.pointee.contract.name)
    if let line = r.pointee.contractLine { name(.line, line.name) }
  }
}

extension Milestone: KeyedRecord {
  static func keys(of r: UnsafePointer<Self>, _ name: (KeyUnion.Namespace, Name) -> Void) {
    name(.source, r.pointee.id.name)
    name(.contract, r.pointee.contract.name)
    name(.line, r.pointee.contractLine.name)
  }
}

extension Retainer: KeyedRecord {
  static func keys(of r: UnsafePointer<Self>, _ name: (KeyUnion.Namespace, Name) -> Void) {
    name(.source, r.pointee.id.name)
    name(.contract, r.pointee.contract.name)
  }
}

extension Entry: KeyedRecord {
  static func keys(of r: UnsafePointer<Self>, _ name: (KeyUnion.Namespace, Name) -> Void) {
    name(.source, r.pointee.id.name)
    name(.project, r.pointee.project.name)
    if let line = r.pointee.contractLine { name(.line, line.name) }
  }
}

extension OrderLine: KeyedRecord {
  static func keys(of r: UnsafePointer<Self>, _ name: (KeyUnion.Namespace, Name) -> Void) {
    name(.order, r.pointee.order.name)
    name(.source, r.pointee.source)
    if let returns = r.pointee.returns { name(.invoice, returns.invoice.name) }
  }
}

extension InvoiceLine: KeyedRecord {
  static func keys(of r: UnsafePointer<Self>, _ name: (KeyUnion.Namespace, Name) -> Void) {
    name(.invoice, r.pointee.invoice.name)
    name(.source, r.pointee.source)
    if let contract = r.pointee.contract { name(.contract, contract.name) }
    if let contractLine = r.pointee.contractLine { name(.line, contractLine.name) }
    if let corrects = r.pointee.corrects { name(.invoice, corrects.invoice.name) }
  }
}
