import RebillModel

/// One inbox kind: its folder, its columns, and how a row becomes a record.
protocol RecordKind: SendableMetatype {
  associatedtype Column: ColumnSet
  associatedtype Record: Sendable
  /// The folder under the inbox, e.g. `timesheets`.
  static var folder: String { get }
  /// Whether a YAML record may nest `lines:` (outer keys apply to every line).
  static var hasLines: Bool { get }
  /// The row's record, or nil when a field is wrong (each reported). Implementations are
  /// `@inline(__always)`: called through the reader, an invoice line (209 bytes) was copied
  /// five times between being made and stored, a million lines a run.
  static func decode(_ r: inout FieldReader<Column>) -> Record?
}

extension RecordKind {
  static var hasLines: Bool { false }
}

enum ContractKind: RecordKind {
  enum Column: Int, ColumnSet {
    case contract, customer, currency, contractLine, project, billingMethod, includes, amount
    case notToExceed, taxRate, legalEntity, country
    static let required: [Self] = [
      .contract, .customer, .currency, .contractLine, .project, .billingMethod,
    ]
  }
  static let folder = "contracts"
  static let hasLines = true

  @inline(__always) static func decode(_ r: inout FieldReader<Column>) -> ContractLine? {
    let currency = r.currency(.currency)
    let method = r.word(.billingMethod) ?? BillingMethod.timeAndMaterial
    var includes: [LineClass] = method == .timeAndMaterial ? LineClass.entryClasses : []
    if let text = r.text(.includes) {
      includes = []
      for word in text.split(separator: ";", omittingEmptySubsequences: false) {
        guard let c = LineClass(rawValue: String(word)), LineClass.entryClasses.contains(c) else {
          r.fail(.includes, "expected classes from time;expense;material;fee, found \(shown(text))")
          break
        }
        if !includes.contains(c) { includes.append(c) }
      }
    }
    let amount = r.money(.amount, in: currency)
    if method == .timeAndMaterial, amount != nil {
      r.fail(.amount, "expected no amount on a time_and_material line, found one")
    }
    if method != .timeAndMaterial, amount == nil, r.isPresent(.amount) == false {
      r.fail(.amount, "expected the amount of a \(method.rawValue) line, found nothing")
    }
    let line = ContractLine(
      origin: r.location, contract: r.id(.contract), customer: r.id(.customer),
      currency: currency ?? Currency(code: "EUR")!, id: r.id(.contractLine),
      project: r.id(.project), billingMethod: method, includes: includes, amount: amount,
      notToExceed: r.money(.notToExceed, in: currency), taxRate: r.six(.taxRate, default: .zero),
      legalEntity: r.optionalID(.legalEntity), country: r.text(.country))
    return r.failed ? nil : line
  }
}

enum FundingKind: RecordKind {
  enum Column: Int, ColumnSet {
    case contract, customer, splitPercent, contractLine, rounding
    static let required: [Self] = [.contract, .customer, .splitPercent]
  }
  static let folder = "funding"

  @inline(__always) static func decode(_ r: inout FieldReader<Column>) -> FundingShare? {
    let share = FundingShare(
      origin: r.location, contract: r.id(.contract), customer: r.id(.customer),
      splitPercent: r.six(.splitPercent), contractLine: r.optionalID(.contractLine),
      rounding: r.bool(.rounding))
    if share.splitPercent <= .zero || share.splitPercent > .hundred {
      r.fail(.splitPercent, "expected a share above 0 and at most 100, found \(share.splitPercent)")
    }
    return r.failed ? nil : share
  }
}

enum MilestoneKind: RecordKind {
  enum Column: Int, ColumnSet {
    case milestone, contract, contractLine, date, amount, percent, description, status
    static let required: [Self] = [.milestone, .contract, .contractLine, .date]
  }
  static let folder = "milestones"

  @inline(__always) static func decode(_ r: inout FieldReader<Column>) -> Milestone? {
    let id: MilestoneID = r.id(.milestone)
    let contract: ContractID = r.id(.contract)
    let line: ContractLineID = r.id(.contractLine)
    let date = r.date(.date)
    var share = Milestone.Share.percent(.zero)
    switch (r.isPresent(.amount), r.isPresent(.percent)) {
    case (true, false):
      if let amount = r.decimal(.amount) { share = .amount(amount) }
    case (false, true):
      let percent: Percent = r.six(.percent)
      share = .percent(percent)
      if percent <= .zero || percent > .hundred {
        r.fail(.percent, "expected a percent above 0 and at most 100, found \(percent)")
      }
    case (true, true): r.fail(.amount, "expected amount or percent, found both")
    case (false, false): r.fail(.amount, "expected amount or percent, found neither")
    }
    let status = r.word(
      .status, default: MilestoneStatus.notReady, allowed: [.notReady, .readyToInvoice])
    let milestone = Milestone(
      origin: r.location, id: id, contract: contract, contractLine: line, date: date,
      share: share, description: r.text(.description), status: status ?? .notReady)
    return r.failed ? nil : milestone
  }
}

enum RetainerKindRecord: RecordKind {
  enum Column: Int, ColumnSet {
    case retainer, contract, date, amount, kind, customer, status
    static let required: [Self] = [.retainer, .contract, .date, .amount]
  }
  static let folder = "retainers"

  @inline(__always) static func decode(_ r: inout FieldReader<Column>) -> Retainer? {
    let id: RetainerID = r.id(.retainer)
    let contract: ContractID = r.id(.contract)
    let date = r.date(.date)
    if !r.isPresent(.amount) { r.fail(.amount, "expected an amount, found nothing") }
    let amount = r.decimal(.amount) ?? ExactDecimal(mantissa: 0, scale: 0)
    if amount.mantissa <= 0, r.isPresent(.amount) {
      r.fail(
        .amount,
        "expected a positive amount, found \(shown(formatScaled(amount.mantissa, scale: amount.scale)))"
      )
    }
    let retainer = Retainer(
      origin: r.location, id: id, contract: contract, date: date, amount: amount,
      kind: r.word(.kind, default: RetainerKind.retainer) ?? .retainer,
      customer: r.optionalID(.customer),
      status: r.word(.status, default: RetainerStatus.readyToInvoice) ?? .readyToInvoice)
    return r.failed ? nil : retainer
  }
}

/// Time entries (`timesheets/`): quantity in `hours`.
enum TimesheetKind: RecordKind {
  enum Column: Int, ColumnSet {
    case entry, date, project, hours, unitPrice, contractLine, resource, role, billing
    case description
    static let required: [Self] = [.entry, .date, .project, .hours, .unitPrice]
  }
  static let folder = "timesheets"

  @inline(__always) static func decode(_ r: inout FieldReader<Column>) -> Entry? {
    // Checked, not kept: nothing the engine or the out folder uses (docs/reading.md).
    r.checkText(.resource)
    r.checkText(.role)
    r.checkText(.description)
    let entry = Entry(
      origin: r.location, id: r.id(.entry), lineClass: .time, date: r.date(.date),
      project: r.id(.project), quantity: r.six(.hours), unitPrice: r.six(.unitPrice),
      contractLine: r.optionalID(.contractLine),
      billing: r.word(.billing, default: BillingType.chargeable) ?? .chargeable)
    return r.failed ? nil : entry
  }
}

/// Expense, material and fee entries: the same columns, the class from the folder.
protocol CostEntryKind: RecordKind where Column == CostEntryColumn, Record == Entry {
  static var lineClass: LineClass { get }
}

enum CostEntryColumn: Int, ColumnSet {
  case entry, date, project, unitPrice, quantity, unit, category, contractLine, billing
  case description
  static let required: [Self] = [.entry, .date, .project, .unitPrice]
}

extension CostEntryKind {
  static var folder: String { lineClass.rawValue + "s" }

  @inline(__always) static func decode(_ r: inout FieldReader<CostEntryColumn>) -> Entry? {
    // Checked, not kept: nothing the engine or the out folder uses (docs/reading.md).
    r.checkText(.unit)
    r.checkText(.category)
    r.checkText(.description)
    let entry = Entry(
      origin: r.location, id: r.id(.entry), lineClass: lineClass, date: r.date(.date),
      project: r.id(.project), quantity: r.six(.quantity, default: .one),
      unitPrice: r.six(.unitPrice), contractLine: r.optionalID(.contractLine),
      billing: r.word(.billing, default: BillingType.chargeable) ?? .chargeable)
    return r.failed ? nil : entry
  }
}

enum ExpenseKind: CostEntryKind { static let lineClass = LineClass.expense }
enum MaterialKind: CostEntryKind { static let lineClass = LineClass.material }
enum FeeKind: CostEntryKind { static let lineClass = LineClass.fee }

/// Something done with every kind of the inbox in turn, each with the array of the inbox its
/// records go to (a generic function Swift cannot pass as a closure).
protocol KindVisitor {
  mutating func visit<K: RecordKind>(_ kind: K.Type, into records: inout [K.Record])
}

extension Inbox {
  /// Every kind, in the order of `InboxReader.folders`: the one place that says which folder's
  /// records go where.
  mutating func visitEveryKind(_ visitor: inout some KindVisitor) {
    visitor.visit(ContractKind.self, into: &contractLines)
    visitor.visit(FundingKind.self, into: &funding)
    visitor.visit(MilestoneKind.self, into: &milestones)
    visitor.visit(RetainerKindRecord.self, into: &retainers)
    visitor.visit(TimesheetKind.self, into: &entries)
    visitor.visit(ExpenseKind.self, into: &entries)
    visitor.visit(MaterialKind.self, into: &entries)
    visitor.visit(FeeKind.self, into: &entries)
    visitor.visit(OrderKind.self, into: &orderLines)
    visitor.visit(InvoiceKind.self, into: &invoiceLines)
    visitor.visit(CorrectionKind.self, into: &corrections)
  }
}
