import RebillModel

/// One side of a journal entry: an amount on an account, debit positive, credit negative, with
/// the dimensions it carries (DOMAIN §9).
public struct Posting: Hashable, Sendable {
  public var account: Account
  /// Debit positive, credit negative.
  public var amount: Money
  public var memo: Phrase
  public var customer: CustomerID?
  public var contract: ContractID?
  public var project: ProjectID?
  /// The entry, milestone, retainer or order line it comes from.
  public var source: Name

  public init(
    account: Account, amount: Money, memo: Phrase, customer: CustomerID?, contract: ContractID?,
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

/// Text of up to three names joined by single spaces (`time T1`, `receivable INV-1`, a
/// document's title, id and customer): a journal's memos and descriptions, held as their parts
/// and written from them, with no string made per posting.
public struct Phrase: Hashable, Sendable, CustomStringConvertible {
  public let first: Name
  public let second: Name
  public let third: Name
  /// How many of the parts it has, 1 to 3.
  public let count: Int

  public init(_ first: Name) {
    (self.first, second, third, count) = (first, .empty, .empty, 1)
  }

  public init(_ first: Name, _ second: Name) {
    (self.first, self.second, third, count) = (first, second, .empty, 2)
  }

  public init(_ first: Name, _ second: Name, _ third: Name) {
    (self.first, self.second, self.third, count) = (first, second, third, 3)
  }

  /// The parts, in order.
  @inlinable public func forEachPart(_ body: (Name) -> Void) {
    body(first)
    if count > 1 { body(second) }
    if count > 2 { body(third) }
  }

  public var description: String {
    var parts: [String] = []
    forEachPart { parts.append($0.string) }
    return parts.joined(separator: " ")
  }
}

/// A balanced journal entry: one per document of the run, plus the unbilled accrual at the
/// cut-off and its reversal the day after.
public struct JournalEntry: Hashable, Sendable {
  /// The document id, or `ACCRUAL-YYYYMMDD` and `ACCRUAL-YYYYMMDD-R`.
  public var id: Name
  public var date: CalendarDate
  public var description: Phrase
  public var currency: Currency
  public var postings: [Posting]

  public init(
    id: Name, date: CalendarDate, description: Phrase, currency: Currency, postings: [Posting]
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
