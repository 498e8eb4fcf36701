import RebillModel

/// One side of a journal entry: an amount on an account, debit positive, credit negative, with
/// the dimensions it carries (DOMAIN §9).
public struct Posting: Hashable, Sendable {
  public var account: Account
  /// Debit positive, credit negative.
  public var amount: Money
  public var memo: String
  public var customer: CustomerID?
  public var contract: ContractID?
  public var project: ProjectID?
  /// The entry, milestone, retainer or order line it comes from.
  public var source: Name

  public init(
    account: Account, amount: Money, memo: String, customer: CustomerID?, contract: ContractID?,
    project: ProjectID?, source: Name
  ) {
    self.account = account
    self.amount = amount
    self.memo = memo
    self.customer = customer
    self.contract = contract
    self.project = project
    self.source = source
  }

  public var debit: Money? { amount.minorUnits > 0 ? amount : nil }
  public var credit: Money? { amount.minorUnits < 0 ? -amount : nil }
}

/// A balanced journal entry: one per document of the run, plus the unbilled accrual at the
/// cut-off and its reversal the day after.
public struct JournalEntry: Hashable, Sendable {
  /// The document id, or `ACCRUAL-YYYYMMDD` and `ACCRUAL-YYYYMMDD-R`.
  public var id: String
  public var date: CalendarDate
  public var description: String
  public var currency: Currency
  public var postings: [Posting]

  public init(
    id: String, date: CalendarDate, description: String, currency: Currency, postings: [Posting]
  ) {
    self.id = id
    self.date = date
    self.description = description
    self.currency = currency
    self.postings = postings
  }

  /// Debits minus credits: zero for every entry written.
  public var imbalance: Money {
    postings.reduce(.zero(currency)) { $0 + $1.amount }
  }

  /// Throws when the entry would not balance to the cent (a bug: nothing is written then).
  func checkBalance() throws(JournalError) {
    guard imbalance.minorUnits == 0 else {
      throw JournalError(
        description: "journal entry \(id) does not balance: debits exceed credits by \(imbalance)")
    }
  }
}

/// A journal that does not balance: a bug in rebill, never written.
public struct JournalError: Error, CustomStringConvertible {
  public let description: String
}
