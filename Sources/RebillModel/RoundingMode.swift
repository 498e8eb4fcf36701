/// How an exact value is rounded to fewer decimals (setting `rounding`).
public enum RoundingMode: String, Sendable, CaseIterable {
  /// Half away from zero: 0.125 → 0.13, −0.125 → −0.13.
  case halfUp = "half_up"
  /// Half to even (banker's): 0.125 → 0.12, 0.135 → 0.14.
  case halfEven = "half_even"

  /// `value / divisor` rounded by this mode; `divisor` > 0.
  public func divide(_ value: Int128, by divisor: Int128) -> Int128 { round(value, divisor) }

  /// `a × b / divisor` rounded by this mode: in 64 bits when the product fits (nearly always:
  /// a machine division), else in 128. The result must fit 64 bits.
  public func divide(_ a: Int64, times b: Int64, by divisor: Int64) -> Int64 {
    let (product, overflow) = a.multipliedReportingOverflow(by: b)
    if !overflow { return round(product, divisor) }
    return Int64(round(Int128(a) * Int128(b), Int128(divisor)))
  }

  private func round<T: FixedWidthInteger & SignedInteger>(_ value: T, _ divisor: T) -> T {
    let q = value / divisor  // truncates toward zero
    let r = value % divisor
    if r == 0 { return q }
    let twice = r.magnitude * 2
    let away: Bool
    if twice > divisor.magnitude {
      away = true
    } else if twice < divisor.magnitude {
      away = false
    } else {
      away = self == .halfUp || q % 2 != 0
    }
    guard away else { return q }
    return value < 0 ? q - 1 : q + 1
  }
}
