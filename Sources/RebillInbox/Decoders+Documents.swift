import RebillModel

enum OrderKind: RecordKind {
  enum Column: Int, ColumnSet {
    case order, orderType, customer, currency, date, line, item, quantity, unitPrice, status
    case taxRate, returns
    static let required: [Self] = [
      .order, .orderType, .customer, .currency, .date, .line, .item, .quantity, .unitPrice,
      .status,
    ]
  }
  static let folder = "orders"
  static let hasLines = true

  @inline(__always) static func decode(_ r: inout FieldReader<Column>) -> OrderLine? {
    let type = r.word(.orderType) ?? OrderType.sales
    let status = r.word(
      .status, allowed: type == .sales ? OrderLineStatus.sales : OrderLineStatus.return)
    let quantity: Quantity = r.six(.quantity)
    if quantity <= .zero, r.isPresent(.quantity) {
      r.fail(.quantity, "expected a positive quantity, found \(quantity)")
    }
    let returns = r.lineRef(.returns)
    if returns != nil, type == .sales {
      r.fail(.returns, "expected no returned line on a sales order, found \(returns!)")
    }
    let line = OrderLine(
      origin: r.location, order: r.id(.order), orderType: type, customer: r.id(.customer),
      currency: r.currency(.currency) ?? Currency(code: "EUR")!, date: r.date(.date),
      line: r.requiredName(.line), item: r.requiredText(.item), quantity: quantity,
      unitPrice: r.six(.unitPrice), status: status ?? .open,
      taxRate: r.six(.taxRate, default: .zero), returns: returns)
    return r.failed ? nil : line
  }
}

enum InvoiceKind: RecordKind {
  enum Column: Int, ColumnSet {
    case invoice, date, customer, currency, line, `class`, source, quantity, unitPrice, amount
    case contract, contractLine, billing, taxAmount, corrects, correction, title, kind
    case hasCorrections
    static let required: [Self] = [
      .invoice, .date, .customer, .currency, .line, .class, .source, .quantity, .unitPrice,
      .amount,
    ]
  }
  static let folder = "invoices"
  static let hasLines = true

  @inline(__always) static func decode(_ r: inout FieldReader<Column>) -> InvoiceLine? {
    let currency = r.currency(.currency)
    if !r.isPresent(.amount) { r.fail(.amount, "expected an amount, found nothing") }
    let amount = r.money(.amount, in: currency)
    let fallback = currency ?? Currency(code: "EUR")!
    let line = InvoiceLine(
      origin: r.location, invoice: r.id(.invoice), date: r.date(.date), customer: r.id(.customer),
      currency: fallback, line: r.requiredName(.line), lineClass: r.word(.class) ?? .time,
      source: r.requiredName(.source), quantity: r.six(.quantity), unitPrice: r.six(.unitPrice),
      amount: amount ?? .zero(fallback), contract: r.optionalID(.contract),
      contractLine: r.optionalID(.contractLine),
      billing: r.word(.billing, default: BillingType.chargeable) ?? .chargeable,
      taxAmount: r.money(.taxAmount, in: currency), corrects: r.lineRef(.corrects),
      correction: r.bool(.correction), title: r.text(.title).map { Name(verbatim: $0) },
      kind: r.optionalWord(.kind),
      hasCorrections: r.isPresent(.hasCorrections) ? r.bool(.hasCorrections) : nil)
    return r.failed ? nil : line
  }
}

enum CorrectionKind: RecordKind {
  enum Column: Int, ColumnSet {
    case invoice, line, quantity, unitPrice, amount, taxAmount, remainder, document, date
    case reason
    static let required: [Self] = [.invoice]
  }
  static let folder = "corrections"

  @inline(__always) static func decode(_ r: inout FieldReader<Column>) -> CorrectionInstruction? {
    let quantity: Quantity = r.six(.quantity, default: .zero)
    if quantity < .zero { r.fail(.quantity, "expected a quantity of 0 or more, found \(quantity)") }
    let amount = r.decimal(.amount)
    if let amount, amount.mantissa < 0 {
      r.fail(
        .amount,
        "expected a positive corrected amount, found \(shown(formatScaled(amount.mantissa, scale: amount.scale)))"
      )
    }
    let instruction = CorrectionInstruction(
      origin: r.location, invoice: r.id(.invoice), line: r.token(.line),
      quantity: quantity, unitPrice: r.isPresent(.unitPrice) ? r.six(.unitPrice) as UnitPrice : nil,
      amount: amount, taxAmount: r.decimal(.taxAmount),
      remainder: r.word(.remainder, default: Remainder.chargeable) ?? .chargeable,
      document: r.optionalID(.document), date: r.optionalDate(.date), reason: r.text(.reason))
    return r.failed ? nil : instruction
  }
}
