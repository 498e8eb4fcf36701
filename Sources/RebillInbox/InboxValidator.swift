import RebillModel

/// The checks that need more than one record: ids unique within their kind across the whole
/// inbox (both places named), references that must resolve, funding shares that must total
/// 100, milestones that must sum to their line, amounts that must fit the currency they
/// resolve to.
struct InboxValidator {
  let inbox: Inbox
  let log: DiagnosticLog

  /// Every check, on every core at once, each into a log of its own; the logs are then kept
  /// in the order the checks are listed, as if they had run one after the other.
  func validate() {
    let inbox = self.inbox
    typealias Task =
      @Sendable () -> (
        diagnostics: [Diagnostic], invoiceLines: Lookup<InvoiceLineRef, InvoiceLine>?
      )
    func apart(_ check: @escaping @Sendable (InboxValidator) -> Void) -> Task {
      {
        let validator = InboxValidator(inbox: inbox, log: DiagnosticLog())
        check(validator)
        return (validator.log.diagnostics, nil)
      }
    }
    let lines = unique(inbox.contractLines, field: "contract_line", key: \.id)
    // The invoice lines by key (a million of them, say) beside the checks that need no invoice.
    let first: [Task] = [
      {
        let validator = InboxValidator(inbox: inbox, log: DiagnosticLog())
        let lookup = validator.invoiceLineLookup()
        return (validator.log.diagnostics, lookup)
      },
      apart { $0.checkContracts(lines) },
      apart { $0.checkFunding(lines) },
      apart { $0.checkMilestones(lines) },
      apart { $0.checkRetainers() },
      apart { $0.checkEntries(lines) },
    ]
    // A small inbox is checked on this thread: handing it to others costs more than it saves.
    let parallel =
      inbox.entries.count + inbox.invoiceLines.count + inbox.orderLines.count >= 20_000
    let done = first.concurrentMap(parallel: parallel) { $0() }
    for result in done { log.append(result.diagnostics) }
    let invoiceLines = done[0].invoiceLines!
    let second: [Task] = [
      apart { $0.checkOrders(invoiceLines) },
      apart { $0.checkInvoices(lines, invoiceLines) },
      apart { $0.checkCorrections(invoiceLines) },
    ]
    for result in second.concurrentMap(parallel: parallel, { $0() }) {
      log.append(result.diagnostics)
    }
  }

  private func at(_ origin: RecordOrigin) -> SourceLocation { inbox.location(origin) }

  /// A key given again: an error at the repeat, naming the first.
  private func repeated(_ key: String, field: String, at origin: RecordOrigin, first: RecordOrigin)
  {
    log.error(
      at(origin), field: field,
      "expected a unique id, found \(shown(key)) again (first at \(at(first)))")
  }

  /// A repeated invoice line is an error naming both places; the lines other records name
  /// (corrected lines, returned lines, lines to correct) by key. Not a table of every line: a
  /// million of them, of which a few hundred are asked for.
  private func invoiceLineLookup() -> Lookup<InvoiceLineRef, InvoiceLine> {
    let lines = inbox.invoiceLines
    for (index, first) in DuplicateFinder.duplicates(count: lines.count, key: { lines[$0].ref }) {
      repeated(
        lines[index].ref.description, field: "line", at: lines[index].origin,
        first: lines[first].origin)
    }
    var wanted = Set<InvoiceLineRef>()
    lines.withUnsafeBufferPointer { lines in
      for i in lines.indices { if let ref = lines[i].corrects { wanted.insert(ref) } }
    }
    for line in inbox.orderLines { if let ref = line.returns { wanted.insert(ref) } }
    for c in inbox.corrections {
      if let line = c.line { wanted.insert(InvoiceLineRef(invoice: c.invoice, line: line)) }
    }
    var index: [InvoiceLineRef: Int] = [:]
    if !wanted.isEmpty {
      lines.withUnsafeBufferPointer { lines in
        for i in lines.indices where wanted.contains(lines[i].ref) && index[lines[i].ref] == nil {
          index[lines[i].ref] = i
        }
      }
    }
    return Lookup(records: lines, index: index)
  }

  /// The records by key; a repeated key is an error naming both places.
  private func unique<R, Key: Hashable & CustomStringConvertible>(
    _ records: [R], field: String, key: (R) -> Key, origin: (R) -> RecordOrigin
  ) -> Lookup<Key, R> {
    var byKey: [Key: Int] = [:]
    byKey.reserveCapacity(records.count)
    records.withUnsafeBufferPointer { records in
      for i in records.indices {
        let k = key(records[i])
        if let first = byKey.updateValue(i, forKey: k) {
          byKey[k] = first
          repeated(
            k.description, field: field, at: origin(records[i]), first: origin(records[first]))
        }
      }
    }
    return Lookup(records: records, index: byKey)
  }

  private func unique<R: HasOrigin, Key: Hashable & CustomStringConvertible>(
    _ records: [R], field: String, key: (R) -> Key
  ) -> Lookup<Key, R> {
    unique(records, field: field, key: key, origin: \.origin)
  }

  private func checkContracts(_ lines: Lookup<ContractLineID, ContractLine>) {
    agree(
      inbox.contractLines, on: "contract", { $0.pointee.contract.name },
      [
        ("customer", { $0.pointee.customer == $1.pointee.customer }),
        ("currency", { $0.pointee.currency == $1.pointee.currency }),
      ])
  }

  /// The lines of one document (contract, order, invoice) agree on the fields that belong to the
  /// document as a whole; a line that differs from the first is an error naming that first line.
  private func agree<R: HasOrigin>(
    _ records: [R], on noun: String, _ document: (UnsafePointer<R>) -> Name,
    _ fields: [(name: String, same: (UnsafePointer<R>, UnsafePointer<R>) -> Bool)]
  ) {
    // Sized by the documents, as they come, not by the lines: a table reserved for every line
    // spread the few thousand invoices of 2M entries over 5,600 pages (96 MB), a TLB miss a
    // lookup, and this check alone took 1.1 s.
    var first: [Name: Int] = [:]
    // Records read in place, through pointers: handing a record to a closure copies it, and
    // copying one retains every string it holds.
    records.withUnsafeBufferPointer { records in
      let base = records.baseAddress!
      for i in records.indices {
        let id = document(base + i)
        guard let head = first[id] else {
          first[id] = i
          continue
        }
        for field in fields where !field.same(base + head, base + i) {
          log.error(
            at(records[i].origin), field: field.name,
            "expected the same \(field.name) on every line of \(noun) \(shown(id.string)), found a different one from \(at(records[head].origin))"
          )
        }
      }
    }
  }

  private func checkFunding(_ lines: Lookup<ContractLineID, ContractLine>) {
    let contracts = Set(inbox.contractLines.map(\.contract))
    struct Group: Hashable {
      let contract: ContractID
      let line: ContractLineID?
    }
    var groups: [Group: [FundingShare]] = [:]
    var order: [Group] = []
    for share in inbox.funding {
      guard contracts.contains(share.contract) else {
        log.error(
          at(share.origin), field: "contract",
          "expected a contract in contracts/, found \(shown(share.contract.value))")
        continue
      }
      if let id = share.contractLine {
        guard let line = lines[id], line.contract == share.contract else {
          log.error(
            at(share.origin), field: "contract_line",
            "expected a line of contract \(shown(share.contract.value)), found \(shown(id.value))")
          continue
        }
      }
      let group = Group(contract: share.contract, line: share.contractLine)
      if groups[group] == nil { order.append(group) }
      groups[group, default: []].append(share)
    }
    for group in order {
      let shares = groups[group]!
      let scope = group.line.map { "contract line \($0)" } ?? "contract \(group.contract)"
      var customers = Set<CustomerID>()
      for share in shares where !customers.insert(share.customer).inserted {
        log.error(
          at(share.origin), field: "customer",
          "expected each customer once in the funding of \(scope), found \(shown(share.customer.value)) again"
        )
      }
      let total = shares.reduce(Percent.zero) { $0 + $1.splitPercent }
      if total != .hundred {
        log.error(
          at(shares[0].origin), field: "split_percent",
          "expected the shares of \(scope) to total exactly 100, found \(total)")
      }
      let rounding = shares.filter(\.rounding)
      if rounding.count != 1 {
        log.error(
          at(shares[0].origin), field: "rounding",
          "expected exactly one rounding customer for \(scope), found \(rounding.count)")
      }
    }
  }

  private func checkMilestones(_ lines: Lookup<ContractLineID, ContractLine>) {
    _ = unique(inbox.milestones, field: "milestone", key: \.id)
    var byLine: [ContractLineID: [Milestone]] = [:]
    var order: [ContractLineID] = []
    for milestone in inbox.milestones {
      guard let line = lines[milestone.contractLine], line.contract == milestone.contract else {
        log.error(
          at(milestone.origin), field: "contract_line",
          "expected a fixed_price line of contract \(shown(milestone.contract.value)), found \(shown(milestone.contractLine.value))"
        )
        continue
      }
      guard line.billingMethod == .fixedPrice else {
        log.error(
          at(milestone.origin), field: "contract_line",
          "expected a fixed_price line, found \(shown(line.id.value)), a \(line.billingMethod.rawValue) line"
        )
        continue
      }
      if case .amount(let amount) = milestone.share, Money(amount, currency: line.currency) == nil {
        log.error(
          at(milestone.origin), field: "amount",
          "expected at most \(line.currency.minorUnits) decimals for \(line.currency), found \(amount.scale)"
        )
        continue
      }
      if byLine[line.id] == nil { order.append(line.id) }
      byLine[line.id, default: []].append(milestone)
    }
    // Exactly: Σ amounts × 100 + Σ percents × line amount = 100 × line amount.
    for id in order {
      let line = lines[id]!
      guard let amount = line.amount else { continue }
      var explicit = Money.zero(line.currency)
      var percent = Percent.zero
      for m in byLine[id]! {
        switch m.share {
        case .amount(let a): explicit = explicit + Money(a, currency: line.currency)!
        case .percent(let p): percent = percent + p
        }
      }
      let lhs =
        Int128(explicit.minorUnits) * 100_000_000 + Int128(percent.micros)
        * Int128(amount.minorUnits)
      if lhs != Int128(amount.minorUnits) * 100_000_000 {
        log.error(
          at(byLine[id]![0].origin), field: "amount",
          "expected the milestones of line \(shown(id.value)) to sum to its amount \(amount), found \(explicit) and \(percent) %"
        )
      }
    }
  }

  private func checkRetainers() {
    _ = unique(inbox.retainers, field: "retainer", key: \.id)
    var contracts: [ContractID: ContractLine] = [:]
    for line in inbox.contractLines where contracts[line.contract] == nil {
      contracts[line.contract] = line
    }
    let funders = Set(inbox.funding.map { "\($0.contract)\u{0}\($0.customer)" })
    for retainer in inbox.retainers {
      guard let contract = contracts[retainer.contract] else {
        log.error(
          at(retainer.origin), field: "contract",
          "expected a contract in contracts/, found \(shown(retainer.contract.value))")
        continue
      }
      if Money(retainer.amount, currency: contract.currency) == nil {
        log.error(
          at(retainer.origin), field: "amount",
          "expected at most \(contract.currency.minorUnits) decimals for \(contract.currency), found \(retainer.amount.scale)"
        )
      }
      if let customer = retainer.customer, customer != contract.customer,
        !funders.contains("\(retainer.contract)\u{0}\(customer)")
      {
        log.error(
          at(retainer.origin), field: "customer",
          "expected a customer of contract \(shown(retainer.contract.value)), found \(shown(customer.value))"
        )
      }
    }
  }

  private func checkEntries(_ lines: Lookup<ContractLineID, ContractLine>) {
    let entries = inbox.entries
    for (index, first) in DuplicateFinder.duplicates(
      count: entries.count, key: { entries[$0].id.name })
    {
      repeated(
        entries[index].id.value, field: "entry", at: entries[index].origin,
        first: entries[first].origin)
    }
    /// Per project, the lines that include each entry class: a project's position, then
    /// `including[position * classes + class index]`. Read per entry by position, so that no
    /// array is retained and released a million times.
    let classes = LineClass.entryClasses
    var projects = KeyPositions<ProjectID>()
    var including: [[ContractLineID]] = []
    for line in inbox.contractLines {
      let (p, isNew) = projects.position(of: line.project)
      if isNew { including += Array(repeating: [], count: classes.count) }
      for (i, c) in classes.enumerated() where line.includes.contains(c) {
        including[p * classes.count + i].append(line.id)
      }
    }
    for i in entries.indices {
      let project = entries[i].project
      guard let p = projects[project] else {
        log.error(
          at(entries[i].origin), field: "project",
          "expected a project of a contract line, found \(shown(project.value)), on no contract")
        continue
      }
      if let id = entries[i].contractLine {
        guard let line = lines[id], line.project == project else {
          log.error(
            at(entries[i].origin), field: "contract_line",
            "expected a line of project \(shown(project.value)), found \(shown(id.value))")
          continue
        }
      } else {
        let lineClass = entries[i].lineClass
        let k = p * classes.count + classes.firstIndex(of: lineClass)!
        if including[k].count > 1 {
          let ids = including[k]
          let names = ids.map(\.value).joined(separator: ", ")
          log.error(
            at(entries[i].origin), field: "contract_line",
            "expected one, as project \(shown(project.value)) has \(ids.count) lines including \(lineClass.rawValue) (\(names)), found nothing"
          )
        }
      }
    }
  }

  private func checkOrders(_ invoiceLines: Lookup<InvoiceLineRef, InvoiceLine>) {
    _ = unique(inbox.orderLines, field: "line", key: \.source)
    agree(
      inbox.orderLines, on: "order", { $0.pointee.order.name },
      [
        ("order_type", { $0.pointee.orderType == $1.pointee.orderType }),
        ("customer", { $0.pointee.customer == $1.pointee.customer }),
        ("currency", { $0.pointee.currency == $1.pointee.currency }),
      ])
    for line in inbox.orderLines {
      if let ref = line.returns {
        guard let sold = invoiceLines[ref] else {
          log.error(
            at(line.origin), field: "returns",
            "expected an invoice line in invoices/, found \(shown(ref.description))")
          continue
        }
        if sold.lineClass != .item {
          log.error(
            at(line.origin), field: "returns",
            "expected an invoice line of class item, found \(shown(ref.description)) of class \(sold.lineClass.rawValue)"
          )
        } else if sold.currency != line.currency {
          log.error(
            at(line.origin), field: "currency",
            "expected \(sold.currency) as on the returned line \(ref), found \(line.currency)")
        }
      }
    }
  }

  private func checkInvoices(
    _ lines: Lookup<ContractLineID, ContractLine>,
    _ invoiceLines: Lookup<InvoiceLineRef, InvoiceLine>
  ) {
    agree(
      inbox.invoiceLines, on: "invoice", { $0.pointee.invoice.name },
      [
        ("date", { $0.pointee.date == $1.pointee.date }),
        ("customer", { $0.pointee.customer == $1.pointee.customer }),
        ("currency", { $0.pointee.currency == $1.pointee.currency }),
      ])
    let contracts = Set(inbox.contractLines.map(\.contract))
    // Read in place: copying a line retains every string it holds.
    inbox.invoiceLines.withUnsafeBufferPointer { invoiceLinesRead in
      for i in invoiceLinesRead.indices {
        let line = invoiceLinesRead.baseAddress! + i
        if let contract = line.pointee.contract, !contracts.contains(contract) {
          log.error(
            at(line.pointee.origin), field: "contract",
            "expected a contract in contracts/, found \(shown(contract.value))")
        }
        if let id = line.pointee.contractLine, !lines.contains(id) {
          log.error(
            at(line.pointee.origin), field: "contract_line",
            "expected a line in contracts/, found \(shown(id.value))")
        }
        if let ref = line.pointee.corrects {
          if !invoiceLines.contains(ref) {
            log.error(
              at(line.pointee.origin), field: "corrects",
              "expected an invoice line in invoices/, found \(shown(ref.description))")
          } else if ref.invoice == line.pointee.invoice {
            log.error(
              at(line.pointee.origin), field: "corrects",
              "expected a line of an earlier invoice, found one of the same invoice")
          }
        }
      }
    }
  }

  private func checkCorrections(_ invoiceLines: Lookup<InvoiceLineRef, InvoiceLine>) {
    var invoices: [InvoiceID: Currency] = [:]
    inbox.invoiceLines.withUnsafeBufferPointer { lines in
      for i in lines.indices where invoices[lines[i].invoice] == nil {
        invoices[lines[i].invoice] = lines[i].currency
      }
    }
    var seen: [String: SourceLocation] = [:]
    for c in inbox.corrections {
      guard let currency = invoices[c.invoice] else {
        log.error(
          at(c.origin), field: "invoice",
          "expected a confirmed invoice in invoices/, found \(shown(c.invoice.value))")
        continue
      }
      let key =
        "\(c.invoice)\u{0}\(c.line ?? "")\u{0}\(c.document?.value ?? c.date?.description ?? "")"
      if let first = seen[key] {
        log.error(
          at(c.origin), field: "line",
          "expected one instruction per line of a corrective invoice, found another (first at \(first))"
        )
      } else {
        seen[key] = at(c.origin)
      }
      if let line = c.line, !invoiceLines.contains(InvoiceLineRef(invoice: c.invoice, line: line)) {
        log.error(
          at(c.origin), field: "line",
          "expected a line of invoice \(shown(c.invoice.value)), found \(shown(line.string))")
      }
      for (field, value) in [("amount", c.amount), ("tax_amount", c.taxAmount)] {
        if let value, Money(value, currency: currency) == nil {
          log.error(
            at(c.origin), field: field,
            "expected at most \(currency.minorUnits) decimals for \(currency), found \(value.scale)"
          )
        }
      }
    }
  }
}

/// Records that know where they were read.
protocol HasOrigin { var origin: RecordOrigin { get } }
extension ContractLine: HasOrigin {}
extension FundingShare: HasOrigin {}
extension Milestone: HasOrigin {}
extension Retainer: HasOrigin {}
extension Entry: HasOrigin {}
extension OrderLine: HasOrigin {}
extension InvoiceLine: HasOrigin {}
extension CorrectionInstruction: HasOrigin {}

/// Records found by key without copying them into a dictionary.
struct Lookup<Key: Hashable & Sendable, R: Sendable>: Sendable {
  let records: [R]
  let index: [Key: Int]

  subscript(key: Key) -> R? { index[key].map { records[$0] } }
  func contains(_ key: Key) -> Bool { index[key] != nil }
}
