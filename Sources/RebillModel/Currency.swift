/// An ISO 4217 currency and the number of its minor units (EUR 2, JPY 0, KWD 3).
public struct Currency: Hashable, Comparable, Sendable, CustomStringConvertible {
  public let code: String
  public let minorUnits: Int

  /// The active ISO 4217 currency with this code, or nil.
  public init?(code: String) {
    guard let units = Currency.minorUnitsByCode[code] else { return nil }
    self.code = code
    self.minorUnits = Int(units)
  }

  public var description: String { code }
  public static func < (a: Currency, b: Currency) -> Bool { a.code < b.code }
}
