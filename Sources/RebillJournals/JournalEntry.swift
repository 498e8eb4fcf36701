import RebillModel

/// One side of a journal entry: an amount on an account, debit positive, credit negative, with
/// the dimensions it carries (DOMAIN §9). Its account is its role's in the entry's mapping
/// (`JournalEntry.account(of:)`), and its memo two names at most: every posting of a run is
/// held until the journals are written (half a million at a million entries), and a posting
/// that held its account (three names) and a memo of three names took 192 bytes, now 112.
public struct Posting: Hashable, Sendable {
  /// Debit positive, credit negative.
  public var amount: Money
  /// What the account is for: the entry's mapping names the account.
  public var role: AccountRole
  private var memoCount: UInt8
  private var memoFirst: Name
  private var memoSecond: Name
  public var customer: CustomerID?
  public var contract: ContractID?
  public var project: ProjectID?
  /// The entry, milestone, retainer or order line it comes from.
  public var source: Name

  /// `memo` has one or two parts.
  public init(
    role: AccountRole, amount: Money, memo: Phrase, customer: CustomerID?, contract: ContractID?,
    project: ProjectID?, source: Name
  ) {
    self.amount = amount
    self.role = role
    (memoCount, memoFirst, memoSecond) = Self.parts(of: memo)
    self.customer = customer
    self.contract = contract
    self.project = project
    self.source = source
  }

  /// One or two parts.
  public var memo: Phrase {
    get { memoCount == 1 ? Phrase(memoFirst) : Phrase(memoFirst, memoSecond) }
    set { (memoCount, memoFirst, memoSecond) = Self.parts(of: newValue) }
  }

  /// A memo as it is stored.
  private static func parts(of memo: Phrase) -> (UInt8, Name, Name) {
    precondition(memo.count <= 2, "a posting's memo has two parts at most")
    return (UInt8(memo.count), memo.first, memo.second)
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
  /// The mapping that names each posting's account.
  public var accounts: AccountMap

  public init(
    id: Name, date: CalendarDate, description: Phrase, currency: Currency, postings: [Posting],
    accounts: AccountMap
  ) {
    self.id = id
    self.date = date
    self.description = description
    self.currency = currency
    self.postings = postings
    self.accounts = accounts
  }

  /// The account a posting of this entry is on.
  @inline(__always) public func account(of posting: Posting) -> Account { accounts[posting.role] }

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
