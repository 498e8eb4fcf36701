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
  }

  private(set) var parts: [Part] = []
  /// Every confirmed invoice id, and every id a correction instruction names for its document:
  /// the ids no new document may take, whatever part creates it.
  private(set) var reserved = ReservedIDs()

  /// `runDate` dates the corrective invoices that instructions without a date ask for (their id
  /// is a key too: a confirmed one is what fulfils the instruction).
  init(_ inbox: Inbox, runDate: CalendarDate?) {
    // One node per record, in kind order; each record joined to the nodes of its keys.
    var keys = KeyUnion(
      records: inbox.contractLines.count + inbox.funding.count + inbox.milestones.count
        + inbox.retainers.count + inbox.entries.count + inbox.orderLines.count
        + inbox.invoiceLines.count + inbox.corrections.count,
      sources: inbox.contractLines.count + inbox.milestones.count + inbox.retainers.count
        + inbox.entries.count + inbox.orderLines.count)
    var node: Int32 = 0
    // The union and the node passed in, not captured: a variable a local function captures is
    // checked for exclusive access at run time, at every use (millions of joins).
    Self.joinAll(inbox.contractLines, &keys, &node)
    Self.joinAll(inbox.funding, &keys, &node)
    Self.joinAll(inbox.milestones, &keys, &node)
    Self.joinAll(inbox.retainers, &keys, &node)
    Self.joinAll(inbox.entries, &keys, &node)
    Self.joinAll(inbox.orderLines, &keys, &node)
    Self.joinAll(inbox.invoiceLines, &keys, &node)
    // Corrections name keys that depend on the run date: joined here, not by `KeyedRecord`.
    for row in inbox.corrections {
      keys.join(node, .invoice, row.invoice.name)
      if let document = row.document {
        keys.join(node, .invoice, document.name)
      } else if let date = row.date ?? runDate {
        // The corrective invoice it asks for, when one is confirmed already (invoice lines are
        // joined before corrections): it fulfils the instruction.
        let id = row.invoice.corrective(on: date).name
        if keys.has(.invoice, id) { keys.join(node, .invoice, id) }
      }
      node += 1
    }

    reserved = ReservedIDs(keys: keys.table(.invoice))
    // A part per root, records in inbox order; then parts in the order of their least key.
    // By root node: an array, not a table (a lookup per record and per key).
    var placing = Placing(nodes: keys.nodeCount)
    placing.place(inbox.contractLines.count, &keys, &parts, \.contractLines)
    placing.place(inbox.funding.count, &keys, &parts, \.funding)
    placing.place(inbox.milestones.count, &keys, &parts, \.milestones)
    placing.place(inbox.retainers.count, &keys, &parts, \.retainers)
    placing.place(inbox.entries.count, &keys, &parts, \.entries)
    placing.place(inbox.orderLines.count, &keys, &parts, \.orderLines)
    placing.place(inbox.invoiceLines.count, &keys, &parts, \.invoiceLines)
    placing.place(inbox.corrections.count, &keys, &parts, \.corrections)
    let partOfRoot = placing.partOfRoot
    var least = [(namespace: Int, value: Name)?](repeating: nil, count: parts.count)
    keys.forEachKey { namespace, value, node in
      let part = Int(partOfRoot[Int(keys.root(node))])
      if let known = least[part], (known.namespace, known.value) <= (namespace.rawValue, value) {
        return
      }
      least[part] = (namespace.rawValue, value)
    }
    let order = parts.indices.sorted { a, b in
      let (x, y) = (least[a]!, least[b]!)
      return (x.namespace, x.value) < (y.namespace, y.value)
    }
    parts = order.map { parts[$0] }
  }

  /// Joins each record, read in place (a copy would copy it whole), to the keys it names.
  private static func joinAll<R: KeyedRecord>(
    _ records: [R], _ keys: inout KeyUnion, _ node: inout Int32
  ) {
    records.withUnsafeBufferPointer { records in
      for i in records.indices {
        R.keys(of: records.baseAddress! + i) { keys.join(node, $0, $1) }
        node += 1
      }
    }
  }

  /// Records placed in the part of their root, a part made for each new root.
  private struct Placing {
    /// By root node: an array, not a table (a lookup per record and per key).
    var partOfRoot: [Int32]
    /// The node of the next record.
    var node: Int32 = 0

    init(nodes: Int) { partOfRoot = [Int32](repeating: -1, count: nodes) }

    /// The next `count` records, of the kind whose positions `kind` holds.
    mutating func place(
      _ count: Int, _ keys: inout KeyUnion, _ parts: inout [Part],
      _ kind: WritableKeyPath<Part, [Int32]>
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
        parts[Int(part)][keyPath: kind].append(i)
      }
    }
  }

  /// Part `i` as an inbox of its own: the same settings and files, its records in inbox order.
  func inbox(_ i: Int, of inbox: Inbox) -> Inbox {
    let part = parts[i]
    var sub = Inbox()
    sub.settings = inbox.settings
    sub.files = inbox.files
    sub.contractLines = part.contractLines.map { inbox.contractLines[Int($0)] }
    sub.funding = part.funding.map { inbox.funding[Int($0)] }
    sub.milestones = part.milestones.map { inbox.milestones[Int($0)] }
    sub.retainers = part.retainers.map { inbox.retainers[Int($0)] }
    sub.entries = part.entries.map { inbox.entries[Int($0)] }
    sub.orderLines = part.orderLines.map { inbox.orderLines[Int($0)] }
    sub.invoiceLines = part.invoiceLines.map { inbox.invoiceLines[Int($0)] }
    sub.corrections = part.corrections.map { inbox.corrections[Int($0)] }
    return sub
  }
}

/// Union-find over records and the keys they name: a node per record (0..<records), then one
/// per distinct key, per namespace.
struct KeyUnion {
  enum Namespace: Int, CaseIterable {
    case contract, order, invoice, line, project, source
  }

  private var parent: [Int32]
  private var keys: [NameIndex] = Array(repeating: NameIndex(), count: Namespace.allCases.count)

  /// `sources`: about how many distinct sources there are (entries and the like), to size
  /// their table once.
  init(records: Int, sources: Int) {
    parent = Array(0..<Int32(records))
    parent.reserveCapacity(records * 2)
    // The sources are about one per entry: room up front, not a table regrown.
    keys[Namespace.source.rawValue] = NameIndex(capacity: sources)
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

  /// Every key with its node, namespaces in order (contracts first).
  func forEachKey(_ body: (Namespace, Name, Int32) -> Void) {
    for namespace in Namespace.allCases {
      keys[namespace.rawValue].each { value, node in body(namespace, value, node) }
    }
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
