/// What an account is for in the default posting rules (DOMAIN §9).
public enum AccountRole: String, Sendable, CaseIterable, Comparable {
  case receivables
  case unbilledReceivables = "unbilled_receivables"
  case accruedRevenue = "accrued_revenue"
  case customerAdvances = "customer_advances"
  case salesTaxPayable = "sales_tax_payable"
  case salesReturns = "sales_returns"
  case revenueTime = "revenue_time"
  case revenueExpense = "revenue_expense"
  case revenueMaterial = "revenue_material"
  case revenueFee = "revenue_fee"
  case revenueMilestone = "revenue_milestone"
  case revenueItem = "revenue_item"

  /// The revenue account of a class of invoice line (retainers are not revenue).
  public static func revenue(_ lineClass: LineClass) -> AccountRole? {
    switch lineClass {
    case .time: .revenueTime
    case .expense: .revenueExpense
    case .material: .revenueMaterial
    case .fee: .revenueFee
    case .milestone: .revenueMilestone
    case .item: .revenueItem
    case .retainer: nil
    }
  }

  public static func < (a: Self, b: Self) -> Bool { a.index < b.index }

  /// Its position among `allCases`.
  public var index: Int {
    switch self {
    case .receivables: 0
    case .unbilledReceivables: 1
    case .accruedRevenue: 2
    case .customerAdvances: 3
    case .salesTaxPayable: 4
    case .salesReturns: 5
    case .revenueTime: 6
    case .revenueExpense: 7
    case .revenueMaterial: 8
    case .revenueFee: 9
    case .revenueMilestone: 10
    case .revenueItem: 11
    }
  }
}

/// One account of the chart: its number in the ERP, its name, and its name in a plain-text
/// ledger (`Assets:Receivables`), for hledger and beancount. Each is held byte for byte as the
/// mapping has it (`Name(verbatim:)`): a journal writes them on every row, and a posting
/// copies its account with no reference to count.
public struct Account: Hashable, Sendable {
  public var role: AccountRole
  public var code: Name
  public var name: Name
  public var ledger: Name

  public init(role: AccountRole, code: String, name: String, ledger: String) {
    self.role = role
    self.code = Name(verbatim: code)
    self.name = Name(verbatim: name)
    self.ledger = Name(verbatim: ledger)
  }
}

/// The account mapping (`mappings/accounts.yaml` or the setting `accounts`): an account for
/// every role.
public struct AccountMap: Hashable, Sendable {
  /// The accounts by `AccountRole.index`: looked up for every posting of a run, with no
  /// hashing.
  private let byRole: [Account?]

  public init(accounts: [AccountRole: Account]) {
    byRole = AccountRole.allCases.map { accounts[$0] }
  }

  public subscript(role: AccountRole) -> Account { byRole[role.index]! }
}
