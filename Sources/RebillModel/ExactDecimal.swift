/// A decimal number exactly as written: `mantissa × 10^-scale`.
///
/// Read by a strict grammar of our own, `-?[0-9]+(\.[0-9]+)?`: no `+`, no exponent, no
/// thousands separators, no spaces, digits on both sides of the point. Trailing zeros count
/// as written decimals, so `10.500` has three, which is what "more decimals than the field
/// allows" is judged on.
public struct ExactDecimal: Hashable, Sendable {
  public var mantissa: Int64
  public var scale: Int

  public init(mantissa: Int64, scale: Int) {
    self.mantissa = mantissa
    self.scale = scale
  }

  /// Why a text is not a decimal number, phrased to follow "expected a decimal number, ".
  public enum ParseError: Error, Equatable, Sendable {
    case empty
    case malformed
    case outOfRange

    public var found: String {
      switch self {
      case .empty: "found nothing"
      case .malformed: "found"
      case .outOfRange: "found a number beyond the range of 18 significant digits"
      }
    }
  }

  /// Parses `bytes` by the strict grammar above. O(n), no allocation.
  public static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> Result<ExactDecimal, ParseError>
  {
    if bytes.isEmpty { return .failure(.empty) }
    // Up to 18 digits cannot overflow: read with no check per digit (nearly every number);
    // more go through the checked reading below (leading zeros may keep them in range).
    guard let read = quickRead(bytes) else { return .failure(.malformed) }
    if read.digits > 18 { return parseChecked(bytes) }
    guard let (mantissa, scale) = read.value else { return .failure(.malformed) }
    return .success(ExactDecimal(mantissa: mantissa, scale: scale))
  }

  /// The number the bytes write, at `target` decimals (`parse(_:)` then `rescaled(to:)`), in
  /// one pass and with no value in between; nil for anything else (not a number, more than 18
  /// digits, more decimals than `target`, out of range), which `parse(_:)` tells apart. The
  /// readers' quantities, prices and amounts: a million rows of them.
  @inlinable public static func scaled(_ bytes: UnsafeBufferPointer<UInt8>, to target: Int)
    -> Int64?
  {
    guard let read = quickRead(bytes), read.digits <= 18, let (mantissa, scale) = read.value,
      scale <= target, target &- scale <= 18
    else { return nil }
    let (value, overflow) = mantissa.multipliedReportingOverflow(by: powerOfTen64(target &- scale))
    return overflow ? nil : value
  }

  /// A number's bytes read in one pass with no check per digit: how many digits, and the
  /// signed digits with how many follow the point when the text is a number (at least one
  /// digit, and one after a point); nil when a byte is neither a digit nor a first point after
  /// one (a minus only first). Past 18 digits the value wraps: the caller looks at `digits`.
  @inlinable @inline(__always) static func quickRead(_ bytes: UnsafeBufferPointer<UInt8>)
    -> (digits: Int, value: (mantissa: Int64, scale: Int)?)?
  {
    let n = bytes.count
    guard n > 0 else { return nil }
    let negative = bytes[0] == UInt8(ascii: "-")
    var mantissa: Int64 = 0
    var digits = 0
    var point = -1
    for i in (negative ? 1 : 0)..<n {
      let digit = bytes[i] &- UInt8(ascii: "0")
      if digit < 10 {
        mantissa = mantissa &* 10 &+ Int64(digit)
        digits &+= 1
      } else if bytes[i] == UInt8(ascii: ".") && point < 0 && digits > 0 {
        point = digits
      } else {
        return nil
      }
    }
    if digits == 0 || point == digits { return (digits, nil) }
    return (digits, (negative ? 0 &- mantissa : mantissa, point < 0 ? 0 : digits &- point))
  }

  /// `parse(_:)` digit by digit with overflow checked: numbers of more than 18 digits (and
  /// the tests, as the reference the quick reading must agree with).
  static func parseChecked(_ bytes: UnsafeBufferPointer<UInt8>) -> Result<
    ExactDecimal, ParseError
  > {
    let n = bytes.count
    if n == 0 { return .failure(.empty) }
    var i = 0
    let negative = bytes[0] == UInt8(ascii: "-")
    if negative { i = 1 }
    var mantissa: Int64 = 0
    var intDigits = 0
    var scale = 0
    var overflow = false
    var seenPoint = false
    while i < n {
      let c = bytes[i]
      if c == UInt8(ascii: ".") {
        if seenPoint || intDigits == 0 { return .failure(.malformed) }
        seenPoint = true
      } else if c &- UInt8(ascii: "0") < 10 {
        let (m1, o1) = mantissa.multipliedReportingOverflow(by: 10)
        let (m2, o2) = m1.addingReportingOverflow(Int64(c &- UInt8(ascii: "0")))
        overflow = overflow || o1 || o2
        mantissa = m2
        if seenPoint { scale += 1 } else { intDigits += 1 }
      } else {
        return .failure(.malformed)
      }
      i += 1
    }
    if intDigits == 0 || (seenPoint && scale == 0) { return .failure(.malformed) }
    if overflow || mantissa > 999_999_999_999_999_999 { return .failure(.outOfRange) }
    return .success(ExactDecimal(mantissa: negative ? -mantissa : mantissa, scale: scale))
  }

  public static func parse(_ text: String) -> Result<ExactDecimal, ParseError> {
    var text = text
    return text.withUTF8 { parse($0) }
  }

  /// The value at `target` decimals, or nil when that would lose digits or leave Int64.
  public func rescaled(to target: Int) -> Int64? {
    if scale > target { return nil }
    if target - scale > 18 { return mantissa == 0 ? 0 : nil }
    let (value, overflow) = mantissa.multipliedReportingOverflow(
      by: powerOfTen64(target - scale))
    return overflow ? nil : value
  }
}

/// Formats `value × 10^-scale` with exactly `scale` decimals: `format(-5, scale: 2)` is `-0.05`.
public func formatScaled<T: BinaryInteger>(_ value: T, scale: Int) -> String {
  let negative = value < 0
  var digits = String(value.magnitude)
  if scale > 0 {
    if digits.count <= scale {
      digits = String(repeating: "0", count: scale - digits.count + 1) + digits
    }
    digits.insert(".", at: digits.index(digits.endIndex, offsetBy: -scale))
  }
  return negative ? "-" + digits : digits
}

/// `value × 10^-scale` with trailing zeros dropped, but at least `keep` decimals:
/// `formatTrimmed(85_000, scale: 6, keep: 2)` is `0.085`, `formatTrimmed(165_000_000, scale: 6,
/// keep: 2)` is `165.00`. Built from the digits directly (it runs once per amount written).
public func formatTrimmed(_ value: Int64, scale: Int, keep: Int) -> String {
  var fraction = value.magnitude % UInt64(powerOfTen(scale))
  var digits = scale
  while digits > keep && fraction % 10 == 0 {
    fraction /= 10
    digits -= 1
  }
  let integer = value.magnitude / UInt64(powerOfTen(scale))
  var text = value < 0 ? "-" : ""
  text += String(integer)
  if digits > 0 {
    let f = String(fraction)
    text += "." + String(repeating: "0", count: digits - f.count) + f
  }
  return text
}
