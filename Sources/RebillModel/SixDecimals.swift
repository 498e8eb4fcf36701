/// A value kept in millionths: quantities, unit prices and percentages carry up to six
/// decimals (FORMATS.md, Numbers).
public protocol SixDecimals: Hashable, Comparable, Sendable, CustomStringConvertible {
  var micros: Int64 { get }
  init(micros: Int64)
}

extension SixDecimals {
  public static var scale: Int { 6 }
  public static var zero: Self { Self(micros: 0) }

  /// The written value, when it has at most six decimals.
  public init?(_ decimal: ExactDecimal) {
    guard let micros = decimal.rescaled(to: 6) else { return nil }
    self.init(micros: micros)
  }

  public static func < (a: Self, b: Self) -> Bool { a.micros < b.micros }
  public static func + (a: Self, b: Self) -> Self { Self(micros: a.micros + b.micros) }
  public static func - (a: Self, b: Self) -> Self { Self(micros: a.micros - b.micros) }
  public static prefix func - (a: Self) -> Self { Self(micros: -a.micros) }

  /// The shortest exact text: `8`, `0.25`, `-1.5`.
  public var description: String { formatTrimmed(micros, scale: 6, keep: 0) }
}

/// A quantity: hours, units, pieces. Signed.
public struct Quantity: SixDecimals {
  public var micros: Int64
  public init(micros: Int64) { self.micros = micros }
  public static let one = Quantity(micros: 1_000_000)
}

/// A price per unit, in the currency of whatever it is priced in.
public struct UnitPrice: SixDecimals {
  public var micros: Int64
  public init(micros: Int64) { self.micros = micros }

  /// The price of one unit costing `amount` (a milestone, a retainer).
  public init(_ amount: Money) {
    micros = amount.minorUnits * Int64(powerOfTen(6 - amount.currency.minorUnits))
  }
}

/// A percentage: `20` means 20 %.
public struct Percent: SixDecimals {
  public var micros: Int64
  public init(micros: Int64) { self.micros = micros }
  public static let hundred = Percent(micros: 100_000_000)
}
