import RebillEngine
import RebillModel

/// A value written as one of our own words (an enum's raw value), kept as constant bytes: a
/// row of `actuals.csv` has four of them, and making each a string to copy it costs more than
/// the rest of the field. `CSVWordTests` checks that every word is its case's raw value.
protocol CSVWord {
  var word: StaticString { get }
}

extension ActualType: CSVWord {
  var word: StaticString {
    switch self {
    case .unbilledSales: "unbilled_sales"
    case .billedSales: "billed_sales"
    }
  }
}

extension ActualOrigin: CSVWord {
  var word: StaticString {
    switch self {
    case .entry: "entry"
    case .invoice: "invoice"
    case .correction: "correction"
    case .reconciliation: "reconciliation"
    case .return: "return"
    }
  }
}

extension LineClass: CSVWord {
  var word: StaticString {
    switch self {
    case .time: "time"
    case .expense: "expense"
    case .material: "material"
    case .fee: "fee"
    case .milestone: "milestone"
    case .retainer: "retainer"
    case .item: "item"
    }
  }
}

extension BillingType: CSVWord {
  var word: StaticString {
    switch self {
    case .chargeable: "chargeable"
    case .nonChargeable: "non_chargeable"
    case .complimentary: "complimentary"
    }
  }
}

extension DocumentKind: CSVWord {
  var word: StaticString {
    switch self {
    case .invoice: "invoice"
    case .creditNote: "credit_note"
    }
  }
}
