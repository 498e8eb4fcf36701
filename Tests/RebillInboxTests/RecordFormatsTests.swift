import TestSupport
import Testing

@testable import RebillInbox
@testable import RebillModel

/// Every kind decodes to the same records from CSV and from YAML (nested `lines:` included):
/// the format is a matter of taste, never of meaning.
@Suite struct RecordFormatsTests {
  static let csv: [String: String] = [
    "contracts/c.csv": """
    contract,customer,currency,contract_line,project,billing_method,includes,amount,not_to_exceed,tax_rate,legal_entity,country
    K1,C1,EUR,L1,P1,time_and_material,time;fee,,50000.00,19,LE-DE,DE
    K1,C1,EUR,F1,P2,fixed_price,,10000.00,,19,LE-DE,DE
    K2,C3,JPY,J1,P3,product,,120000,,10,,

    """,
    "funding/f.csv": """
    contract,customer,split_percent,contract_line,rounding
    K1,C1,66.666667,,true
    K1,C2,33.333333,,no

    """,
    "milestones/m.csv": """
    milestone,contract,contract_line,date,amount,percent,description,status
    M1,K1,F1,2026-09-01,,20,On signing,ready_to_invoice
    M2,K1,F1,2026-12-01,8000.00,,Final,

    """,
    "retainers/r.csv": """
    retainer,contract,date,amount,kind,customer,status
    R1,K1,2026-09-01,5000.00,advance,C2,not_ready

    """,
    "timesheets/t.csv": """
    entry,date,project,hours,unit_price,contract_line,resource,role,billing,description
    T1,2026-10-01,P1,7.25,200.00,L1,Anna,Consultant,complimentary,"Workshop, day 1"

    """,
    "fees/f.csv": """
    entry,date,project,unit_price,quantity,unit,category,billing,description
    F1,2026-10-31,P1,250.00,,month,hosting,non_chargeable,

    """,
    "orders/o.csv": """
    order,order_type,customer,currency,date,line,item,quantity,unit_price,status,tax_rate,returns
    SO-1,sales,C1,EUR,2026-10-01,1,Scanner,2,389.00,delivered,19,
    RO-1,return,C1,EUR,2026-10-20,1,Scanner,1,389.00,received,19,INV-1/1

    """,
    "invoices/i.csv": """
    invoice,date,customer,currency,line,class,source,quantity,unit_price,amount,contract,contract_line,billing,tax_amount,corrects,correction,title,kind,has_corrections
    INV-1,2026-10-02,C1,EUR,1,item,SO-1/1,2,389.00,778.00,,,,147.82,,,Invoice,invoice,false
    INV-2,2026-10-05,C1,EUR,1,item,SO-1/1,-2,389.00,-778.00,,,chargeable,-147.82,INV-1/1,true,Credit note,credit_note,true

    """,
    "corrections/c.csv": """
    invoice,line,quantity,unit_price,amount,tax_amount,remainder,document,date,reason
    INV-1,1,1.5,389.00,,110.85,non_chargeable,INV-1-FIX,2026-11-03,agreed

    """,
  ]

  static let yaml: [String: String] = [
    "contracts/c.yaml": """
    - contract: K1
      customer: C1
      currency: EUR
      tax_rate: 19
      legal_entity: LE-DE
      country: DE
      lines:
        - {contract_line: L1, project: P1, billing_method: time_and_material, includes: time;fee, not_to_exceed: 50000.00}
        - {contract_line: F1, project: P2, billing_method: fixed_price, amount: 10000.00}
    - {contract: K2, customer: C3, currency: JPY, contract_line: J1, project: P3, billing_method: product, amount: 120000, tax_rate: 10}

    """,
    "funding/f.yaml": """
    - {contract: K1, customer: C1, split_percent: 66.666667, rounding: yes}
    - {contract: K1, customer: C2, split_percent: 33.333333, contract_line: ~}

    """,
    "milestones/m.yml": """
    - milestone: M1
      contract: K1
      contract_line: F1
      date: 2026-09-01
      percent: 20
      description: On signing
      status: ready_to_invoice
    - {milestone: M2, contract: K1, contract_line: F1, date: 2026-12-01, amount: "8000.00", description: Final}

    """,
    "retainers/r.yaml": """
    - {retainer: R1, contract: K1, date: 2026-09-01, amount: 5000.00, kind: advance, customer: C2, status: not_ready}

    """,
    "timesheets/t.yaml": """
    - entry: T1
      date: 2026-10-01
      project: P1
      hours: 7.25
      unit_price: 200.00
      contract_line: L1
      resource: Anna
      role: Consultant
      billing: complimentary
      description: Workshop, day 1

    """,
    "fees/f.yaml": """
    - {entry: F1, date: 2026-10-31, project: P1, unit_price: 250.00, unit: month, category: hosting, billing: non_chargeable, description: null}

    """,
    "orders/o.yaml": """
    - order: SO-1
      order_type: sales
      customer: C1
      currency: EUR
      date: 2026-10-01
      tax_rate: 19
      lines:
        - {line: 1, item: Scanner, quantity: 2, unit_price: 389.00, status: delivered}
    - {order: RO-1, order_type: return, customer: C1, currency: EUR, date: 2026-10-20, line: 1, item: Scanner, quantity: 1, unit_price: 389.00, status: received, tax_rate: 19, returns: INV-1/1}

    """,
    "invoices/i.yaml": """
    - invoice: INV-1
      date: 2026-10-02
      customer: C1
      currency: EUR
      title: Invoice
      kind: invoice
      has_corrections: false
      lines:
        - {line: 1, class: item, source: SO-1/1, quantity: 2, unit_price: 389.00, amount: 778.00, tax_amount: 147.82}
    - invoice: INV-2
      date: 2026-10-05
      customer: C1
      currency: EUR
      title: Credit note
      kind: credit_note
      has_corrections: true
      lines:
        - line: 1
          class: item
          source: SO-1/1
          quantity: -2
          unit_price: 389.00
          amount: -778.00
          billing: chargeable
          tax_amount: -147.82
          corrects: INV-1/1
          correction: true

    """,
    "corrections/c.yaml": """
    - {invoice: INV-1, line: 1, quantity: 1.5, unit_price: 389.00, tax_amount: 110.85, remainder: non_chargeable, document: INV-1-FIX, date: 2026-11-03, reason: agreed}

    """,
  ]

  /// The records with their origins blanked, since lines differ between formats.
  func records(_ files: [String: String]) throws -> Inbox {
    let reading = try TempInbox(files).read()
    #expect(reading.diagnostics.map(\.description) == [])
    var inbox = reading.inbox
    inbox.files = []
    func blanked<R>(_ records: [R], _ origin: WritableKeyPath<R, RecordOrigin>) -> [R] {
      records.map {
        var record = $0
        record[keyPath: origin] = .none
        return record
      }
    }
    inbox.contractLines = blanked(inbox.contractLines, \.origin)
    inbox.funding = blanked(inbox.funding, \.origin)
    inbox.milestones = blanked(inbox.milestones, \.origin)
    inbox.retainers = blanked(inbox.retainers, \.origin)
    inbox.entries = blanked(inbox.entries, \.origin)
    inbox.orderLines = blanked(inbox.orderLines, \.origin)
    inbox.invoiceLines = blanked(inbox.invoiceLines, \.origin)
    inbox.corrections = blanked(inbox.corrections, \.origin)
    return inbox
  }

  @Test func csvAndYAMLGiveTheSameRecords() throws {
    let fromCSV = try records(Self.csv)
    let fromYAML = try records(Self.yaml)
    #expect(fromCSV.contractLines == fromYAML.contractLines)
    #expect(fromCSV.funding == fromYAML.funding)
    #expect(fromCSV.milestones == fromYAML.milestones)
    #expect(fromCSV.retainers == fromYAML.retainers)
    #expect(fromCSV.entries == fromYAML.entries)
    #expect(fromCSV.orderLines == fromYAML.orderLines)
    #expect(fromCSV.invoiceLines == fromYAML.invoiceLines)
    #expect(fromCSV.corrections == fromYAML.corrections)
    #expect(fromCSV == fromYAML)
  }

  @Test func decodesEveryColumnToItsTypedValue() throws {
    let inbox = try records(Self.csv)
    let eur = Currency(code: "EUR")!
    let l1 = try #require(inbox.contractLines.first)
    #expect(l1.includes == [.time, .fee])
    #expect(l1.notToExceed == Money(minorUnits: 5_000_000, currency: eur))
    #expect(l1.taxRate == Percent(micros: 19_000_000))
    #expect(l1.legalEntity == LegalEntityID("LE-DE"))
    #expect(inbox.contractLines[1].includes == [])
    #expect(inbox.contractLines[2].amount?.description == "120000 JPY")
    #expect(inbox.funding.map(\.rounding) == [true, false])
    #expect(inbox.milestones[0].share == .percent(Percent(micros: 20_000_000)))
    #expect(inbox.milestones[1].share == .amount(ExactDecimal(mantissa: 800_000, scale: 2)))
    #expect(inbox.milestones[1].status == .notReady)
    #expect(inbox.retainers[0].kind == .advance)
    let t1 = inbox.entries[0]
    #expect(t1.lineClass == .time)
    #expect(t1.quantity == Quantity(micros: 7_250_000))
    #expect(t1.billing == .complimentary)
    let f1 = inbox.entries[1]
    #expect(f1.lineClass == .fee)
    #expect(f1.quantity == .one)
    #expect(inbox.orderLines[1].returns == InvoiceLineRef(invoice: InvoiceID("INV-1"), line: "1"))
    let credit = inbox.invoiceLines[1]
    #expect(credit.amount == Money(minorUnits: -77_800, currency: eur))
    #expect(credit.corrects?.description == "INV-1/1")
    #expect(credit.correction && credit.hasCorrections == true && credit.kind == .creditNote)
    #expect(inbox.invoiceLines[0].billing == .chargeable)
    let c = inbox.corrections[0]
    #expect(c.quantity == Quantity(micros: 1_500_000))
    #expect(c.remainder == .nonChargeable)
    #expect(c.document == InvoiceID("INV-1-FIX"))
    #expect(c.taxAmount == ExactDecimal(mantissa: 11_085, scale: 2))
  }

  @Test func contractLinesAgreeOnTheirContract() throws {
    let contracts = contractCSV + "K1,C2,USD,L2,P2,time_and_material,19\n"
    let messages = try TempInbox(["contracts/k.csv": contracts]).messages()
    #expect(
      messages == [
        "inbox/contracts/k.csv:3: customer: expected the same customer on every line of contract \"K1\", found a different one from inbox/contracts/k.csv:2",
        "inbox/contracts/k.csv:3: currency: expected the same currency on every line of contract \"K1\", found a different one from inbox/contracts/k.csv:2",
      ])
  }
}
