/// An exact amount in a currency's minor units: `Money(minorUnits: 160000, currency: EUR)`
/// is 1,600.00 EUR.
public struct Money: Hashable, Sendable, CustomStringConvertible {
  public var minorUnits: Int64
  public var currency: Currency

  public init(minorUnits: Int64, currency: Currency) {
    self.minorUnits = minorUnits
    self.currency = currency
  }

  public static func zero(_ currency: Currency) -> Money {
    Money(minorUnits: 0, currency: currency)
  }

  /// The written value in `currency`, when it has no more decimals than the currency has.
  public init?(_ decimal: ExactDecimal, currency: Currency) {
    guard let units = decimal.rescaled(to: currency.minorUnits) else { return nil }
    self.init(minorUnits: units, currency: currency)
  }

  /// `quantity × unitPrice`, rounded once to the currency. The product is formed in Int128
  /// (12 decimals) so nothing is lost before the rounding.
  public static func product(
    _ quantity: Quantity, _ price: UnitPrice, currency: Currency, rounding: RoundingMode
  ) -> Money {
    Money(
      minorUnits: rounding.divide(
        quantity.micros, times: price.micros, by: powerOfTen64(12 - currency.minorUnits)),
      currency: currency)
  }

  /// `self × percent / 100`, rounded to the currency (tax, split shares, milestones).
  public func percentage(_ percent: Percent, rounding: RoundingMode) -> Money {
    Money(
      minorUnits: rounding.divide(minorUnits, times: percent.micros, by: 100_000_000),
      currency: currency)
  }

  public static func + (a: Money, b: Money) -> Money {
    precondition(a.currency == b.currency, "adding \(a.currency) to \(b.currency)")
    return Money(minorUnits: a.minorUnits + b.minorUnits, currency: a.currency)
  }
  public static func - (a: Money, b: Money) -> Money { a + (-b) }
  public static prefix func - (a: Money) -> Money {
    Money(minorUnits: -a.minorUnits, currency: a.currency)
  }

  /// The amount with exactly the currency's decimals, no code: `1600.00`, `-0.05`, `120`.
  public var amountText: String { formatScaled(minorUnits, scale: currency.minorUnits) }
  public var description: String { "\(amountText) \(currency.code)" }
}

/// 10ⁿ, for moving amounts between scales (n ≥ 0).
public func powerOfTen(_ n: Int) -> Int128 {
  if n <= 18 { return Int128(powerOfTen64(n)) }
  var value = Int128(powerOfTen64(18))
  for _ in 18..<n { value *= 10 }
  return value
}

/// 10ⁿ for 0 ≤ n ≤ 18 (the most an Int64 holds).
@inlinable public func powerOfTen64(_ n: Int) -> Int64 {
  // A switch of constants: a table lookup once compiled, where a loop multiplied n times (a
  // global array would be initialised lazily, behind a check at every use).
  switch n {
  case 0: 1
  case 1: 10
  case 2: 100
  case 3: 1_000
  case 4: 10_000
  case 5: 100_000
  case 6: 1_000_000
  case 7: 10_000_000
  case 8: 100_000_000
  case 9: 1_000_000_000
  case 10: 10_000_000_000
  case 11: 100_000_000_000
  case 12: 1_000_000_000_000
  case 13: 10_000_000_000_000
  case 14: 100_000_000_000_000
  case 15: 1_000_000_000_000_000
  case 16: 10_000_000_000_000_000
  case 17: 100_000_000_000_000_000
  case 18: 1_000_000_000_000_000_000
  default: preconditionFailure("10^\(n) is beyond Int64")
  }
}
