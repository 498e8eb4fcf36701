import RebillModel

/// A return line not credited yet: still `awaiting` or `registered`.
public struct PendingReturn: Hashable, Sendable {
  public var line: OrderLine
}

extension Reconciler {
  /// Sales and return orders in one batch (DOMAIN §6): delivered sales lines invoiced, received
  /// return lines credited at the price of the invoice line they return, pending ones reported,
  /// canceled ones ignored. One document per order.
  mutating func invoiceOrders() {
    var byOrder: [OrderID: [OrderLine]] = [:]
    for line in inbox.orderLines { byOrder[line.order, default: []].append(line) }
    /// Quantity returned so far of each invoiced line: what earlier return credits took.
    var returned: [InvoiceLineRef: Quantity] = [:]
    for line in inbox.orderLines where line.orderType == .return {
      if let ref = line.returns, isBilled(line.source) {
        returned[ref, default: .zero] += line.quantity
      }
    }
    // Sales orders first, then return orders, each by id.
    let orders = byOrder.keys.sorted {
      let (a, b) = (byOrder[$0]![0].orderType, byOrder[$1]![0].orderType)
      return a != b ? a == .sales : $0 < $1
    }
    for order in orders {
      let lines = byOrder[order]!.sorted { lineOrder($0.line, $1.line) }
      let type = lines[0].orderType
      var documentLines: [InvoiceLine] = []
      for line in lines where !isBilled(line.source) {
        switch (type, line.status) {
        case (.sales, .delivered):
          documentLines.append(
            invoiceLine(for: line, quantity: line.quantity, price: line.unitPrice))
        case (.return, .received):
          var price = line.unitPrice
          if let ref = line.returns {
            guard let sold = poster.ledger[posted: ref]?.line else {
              error(
                line.origin, field: "returns", "expected a confirmed invoice line, found \(ref)")
              continue
            }
            price = sold.unitPrice
            let left = sold.quantity - (returned[ref] ?? .zero)
            if line.quantity > left {
              error(
                line.origin, field: "quantity",
                "expected at most \(left) (invoiced \(sold.quantity) on \(ref), less earlier returns), found \(line.quantity)"
              )
              continue
            }
            returned[ref, default: .zero] += line.quantity
          }
          documentLines.append(invoiceLine(for: line, quantity: -line.quantity, price: price))
        case (.return, .awaiting), (.return, .registered):
          report.pendingReturns.append(PendingReturn(line: line))
        default:
          break
        }
      }
      guard !documentLines.isEmpty,
        let date = runDate(for: "the invoice of order \(order)", at: lines[0].origin)
      else { continue }
      let id = claimID("\(order.value)-\(type == .sales ? "I" : "R")\(date.compact)")
      create(
        id, date: date, customer: lines[0].customer, currency: lines[0].currency,
        lines: documentLines,
        reason: type == .sales ? "sales order \(order)" : "return order \(order)")
    }
  }

  /// Whether a confirmed or created line already bills this order line.
  func isBilled(_ source: Name) -> Bool {
    poster.ledger.anyLine(of: source) { posted in
      posted.line.lineClass == .item && posted.state.correctedBy == nil
    }
  }

  func invoiceLine(for line: OrderLine, quantity: Quantity, price: UnitPrice) -> InvoiceLine {
    let amount = Money.product(
      quantity, price, currency: line.currency, rounding: settings.rounding)
    return InvoiceLine(
      origin: .none, invoice: InvoiceID(""), date: line.date, customer: line.customer,
      currency: line.currency, line: "", lineClass: .item, source: line.source, quantity: quantity,
      unitPrice: price, amount: amount,
      taxAmount: amount.percentage(line.taxRate, rounding: settings.rounding))
  }
}

extension Quantity {
  static func += (a: inout Quantity, b: Quantity) { a = a + b }
}
