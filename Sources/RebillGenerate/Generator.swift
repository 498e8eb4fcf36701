import RebillEngine
import RebillModel

/// A deterministic, realistic inbox of any size, for benchmarks and soak tests
/// (`rebill generate`): contracts (some split between two customers, some fixed price with a
/// 20/30/15/35 schedule, some with a retainer), N time entries and N/10 expenses, confirmed
/// invoices covering about 80 % of the work, about 1 % of invoiced entries changed afterwards
/// (drift), correction instructions, sales and return orders. Same seed, same bytes.
public struct InboxGenerator {
  public let entries: Int
  private var rng: Mix
  private let eur = Currency(code: "EUR")!

  public init(entries: Int, seed: UInt64) {
    self.entries = entries
    rng = Mix(seed: seed)
  }

  /// The inbox's files: path inside the inbox, and text.
  public mutating func files() -> [(path: String, text: String)] {
    let contracts = max(4, entries / 5_000)
    var inbox = Inbox()
    inbox.settings.rounding = .halfUp
    var contractCSV = Lines(
      "contract,customer,currency,contract_line,project,billing_method,tax_rate,amount")
    var fundingCSV = Lines("contract,customer,split_percent,rounding")
    var milestoneCSV = Lines("milestone,contract,contract_line,date,percent,status")
    var retainerCSV = Lines("retainer,contract,date,amount")
    var tmLines: [ContractLine] = []
    for c in 0..<contracts {
      let contract = "K\(pad(c, 5))"
      let customer = "C\(pad(c, 5))"
      for l in 0..<(1 + c % 3) {
        let id = "\(contract)-T\(l)"
        let line = ContractLine(
          origin: .none, contract: ContractID(contract), customer: CustomerID(customer),
          currency: eur, id: ContractLineID(id), project: ProjectID("P-\(id)"),
          billingMethod: .timeAndMaterial, includes: LineClass.entryClasses, amount: nil,
          notToExceed: nil, taxRate: Percent(micros: 19_000_000), legalEntity: nil, country: nil)
        tmLines.append(line)
        inbox.contractLines.append(line)
        contractCSV.add("\(contract),\(customer),EUR,\(id),P-\(id),time_and_material,19,")
      }
      if c % 5 == 0 {
        fundingCSV.add("\(contract),\(customer),60,true")
        fundingCSV.add("\(contract),\(customer)B,40,false")
        for share in [("\(customer)", 60, true), ("\(customer)B", 40, false)] {
          inbox.funding.append(
            FundingShare(
              origin: .none, contract: ContractID(contract), customer: CustomerID(share.0),
              splitPercent: Percent(micros: Int64(share.1) * 1_000_000), contractLine: nil,
              rounding: share.2))
        }
      }
      if c % 4 == 1 {
        let id = "\(contract)-F"
        contractCSV.add("\(contract),\(customer),EUR,\(id),P-\(id),fixed_price,19,\(48_000 + c).00")
        for (i, percent) in [20, 30, 15, 35].enumerated() {
          let status = i < 2 ? "ready_to_invoice" : "not_ready"
          milestoneCSV.add("\(id)-M\(i),\(contract),\(id),2026-0\(i + 3)-01,\(percent),\(status)")
        }
      }
      if c % 10 == 3 {
        retainerCSV.add("\(contract)-R,\(contract),2026-01-15,\(5_000 + c * 10).00")
      }
    }
    let contractsIndex = Contracts(inbox)

    var timeCSV = Lines("entry,date,project,hours,unit_price,resource,role,billing,description")
    var expenseCSV = Lines(
      "entry,date,project,quantity,unit,unit_price,category,billing,description")
    var invoiceCSV = Lines(
      "invoice,date,customer,currency,line,class,source,quantity,unit_price,amount,contract,contract_line,tax_amount"
    )
    var correctionCSV = Lines("invoice,line,quantity,date,reason")
    var invoiceLines: [String: Int] = [:]
    let roles = [("consultant", 165), ("developer", 120), ("manager", 180), ("analyst", 140)]
    let words = [
      "workshop", "design", "review", "build", "test", "migration", "support", "planning",
    ]
    let expenseCount = entries / 10
    for n in 0..<(entries + expenseCount) {
      let isTime = n < entries
      let line = tmLines[Int(rng.next() % UInt64(tmLines.count))]
      let month = 1 + Int(rng.next() % 10)
      let day = 1 + Int(rng.next() % 28)
      let date = "2026-\(pad(month, 2))-\(pad(day, 2))"
      let roll = rng.next() % 100
      let billing = roll < 92 ? "chargeable" : roll < 97 ? "non_chargeable" : "complimentary"
      let id = isTime ? "T\(pad(n, 8))" : "X\(pad(n - entries, 7))"
      var quantity = Quantity(micros: Int64(1 + rng.next() % 32) * 250_000)
      var price: UnitPrice
      if isTime {
        let (role, rate) = roles[Int(rng.next() % 4)]
        price = UnitPrice(micros: Int64(rate) * 1_000_000)
        let text = "\(words[Int(rng.next() % 8)]) \(words[Int(rng.next() % 8)])"
        timeCSV.add(
          "\(id),\(date),\(line.project),\(quantity),\(money(price)),R\(pad(Int(rng.next() % 900), 4)),\(role),\(billing),\(text)"
        )
      } else {
        quantity = Quantity(micros: Int64(1 + rng.next() % 3) * 1_000_000)
        price = UnitPrice(
          micros: Int64(20 + rng.next() % 180) * 1_000_000 + Int64(rng.next() % 100) * 10_000)
        expenseCSV.add(
          "\(id),\(date),\(line.project),\(quantity),night,\(money(price)),travel,\(billing),hotel \(words[Int(rng.next() % 8)])"
        )
      }
      // About 80 % of the chargeable work to September is on confirmed invoices, one invoice
      // per contract, customer and month; about 1 % changed after (drift).
      guard billing == "chargeable", month <= 9, rng.next() % 100 < 88 else { continue }
      let amount = Money.product(quantity, price, currency: eur, rounding: .halfUp)
      for part in contractsIndex.split(quantity, amount, on: line) {
        let invoice = "INV-\(line.contract)-\(part.customer)-\(pad(month, 2))"
        let number = (invoiceLines[invoice] ?? 0) + 1
        invoiceLines[invoice] = number
        var billedQuantity = part.quantity
        var billedPrice = price
        var billedAmount = part.amount
        let drift = rng.next() % 1000
        if drift < 5 {
          billedQuantity = part.quantity + Quantity(micros: 500_000)
          billedAmount = Money.product(billedQuantity, price, currency: eur, rounding: .halfUp)
        } else if drift < 10 {
          billedPrice = UnitPrice(micros: price.micros - 5_000_000)
          billedAmount = Money.product(
            billedQuantity, billedPrice, currency: eur, rounding: .halfUp)
        }
        let tax = billedAmount.percentage(Percent(micros: 19_000_000), rounding: .halfUp)
        invoiceCSV.add(
          "\(invoice),2026-\(pad(month + 1, 2))-02,\(part.customer),EUR,\(number),\(isTime ? "time" : "expense"),\(id),\(billedQuantity),\(money(billedPrice)),\(billedAmount.amountText),\(line.contract),\(line.id),\(tax.amountText)"
        )
        if drift >= 10 && rng.next() % 10_000 < 5 && part.quantity > Quantity(micros: 500_000) {
          correctionCSV.add(
            "\(invoice),\(number),\(Quantity(micros: part.quantity.micros / 2)),2026-11-0\(1 + rng.next() % 9),agreed with the customer"
          )
        }
      }
    }
    // Orders: sales lines delivered (a tenth already invoiced), returns in every status.
    var orderCSV = Lines(
      "order,order_type,customer,currency,date,line,item,quantity,unit_price,status,tax_rate,returns"
    )
    for o in 0..<max(1, entries / 100) {
      let customer = "C\(pad(o % contracts, 5))"
      let order = "SO-\(pad(o, 6))"
      let status = o % 3 == 0 ? "open" : "delivered"
      orderCSV.add(
        "\(order),sales,\(customer),EUR,2026-10-0\(1 + o % 9),1,SCANNER,\(1 + o % 5),389.00,\(status),19,"
      )
      if o % 10 == 0 && status == "delivered" {
        let invoice = "INV-\(order)"
        let q = 1 + o % 5
        invoiceCSV.add(
          "\(invoice),2026-10-15,\(customer),EUR,1,item,\(order)/1,\(q),389.00,\(q * 389).00,,,\(Money(minorUnits: Int64(q * 38_900), currency: eur).percentage(Percent(micros: 19_000_000), rounding: .halfUp).amountText)"
        )
        let returnStatus = ["awaiting", "registered", "received", "canceled"][o / 10 % 4]
        orderCSV.add(
          "RO-\(pad(o, 6)),return,\(customer),EUR,2026-10-20,1,SCANNER,1,389.00,\(returnStatus),19,\(invoice)/1"
        )
      }
    }
    let settings = """
      run_date: 2026-11-10
      through: 2026-10-31
      journals: [generic, datev, hledger]

      """
    return [
      ("rebill.yaml", settings), ("contracts/contracts.csv", contractCSV.text),
      ("funding/funding.csv", fundingCSV.text), ("milestones/milestones.csv", milestoneCSV.text),
      ("retainers/retainers.csv", retainerCSV.text), ("timesheets/timesheets.csv", timeCSV.text),
      ("expenses/expenses.csv", expenseCSV.text), ("invoices/invoices.csv", invoiceCSV.text),
      ("corrections/corrections.csv", correctionCSV.text), ("orders/orders.csv", orderCSV.text),
    ]
  }

  func money(_ price: UnitPrice) -> String { formatTrimmed(price.micros, scale: 6, keep: 2) }

}

/// Lines of a CSV file, built with its header.
struct Lines {
  private(set) var text: String
  init(_ header: String) {
    text = header + "\n"
  }
  mutating func add(_ line: String) {
    text += line
    text += "\n"
  }
}

func pad(_ n: Int, _ width: Int) -> String {
  let s = String(n)
  return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
}

/// SplitMix64: a small deterministic generator (never the system's randomness).
struct Mix {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}
