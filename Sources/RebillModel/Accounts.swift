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

  public static func < (a: Self, b: Self) -> Bool {
    allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
  }
}

/// One account of the chart: its number in the ERP, its name, and its name in a plain-text
/// ledger (`Assets:Receivables`), for hledger and beancount.
public struct Account: Hashable, Sendable {
  public var role: AccountRole
  public var code: String
  public var name: String
  public var ledger: String

  public init(role: AccountRole, code: String, name: String, ledger: String) {
    self.role = role
    self.code = code
    self.name = name
    self.ledger = ledger
  }
}

/// The account mapping (`mappings/accounts.yaml` or the setting `accounts`): an account for
/// every role.
public struct AccountMap: Hashable, Sendable {
  public var accounts: [AccountRole: Account]

  public init(accounts: [AccountRole: Account]) { self.accounts = accounts }

  public subscript(role: AccountRole) -> Account { accounts[role]! }
}
