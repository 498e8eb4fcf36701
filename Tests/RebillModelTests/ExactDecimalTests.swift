import TestSupport
import Testing

@testable import RebillModel

@Suite struct ExactDecimalTests {
  @Test(arguments: [
    ("0", 0, 0), ("8", 8, 0), ("-8", -8, 0), ("1600.00", 160_000, 2), ("0.25", 25, 2),
    ("-0.05", -5, 2), ("007", 7, 0), ("10.500", 10_500, 3),
    ("999999999999999999", 999_999_999_999_999_999, 0),
  ])
  func parsesTheStrictGrammar(text: String, mantissa: Int64, scale: Int) {
    #expect(ExactDecimal.parse(text) == .success(ExactDecimal(mantissa: mantissa, scale: scale)))
  }

  @Test(arguments: [
    "1.5x", "", "-", ".5", "5.", "+5", "1e3", "1,000", " 1", "1 ", "1..2", "--1", "0x10", "١",
    "NaN", "inf", "1.2.3",
  ])
  func rejectsEverythingElse(text: String) {
    let result = ExactDecimal.parse(text)
    if case .success = result { Issue.record("\(text) parsed") }
  }

  @Test func rejectsNumbersBeyondRange() {
    #expect(ExactDecimal.parse("1000000000000000000") == .failure(.outOfRange))
    #expect(ExactDecimal.parse("99999999999999999999999") == .failure(.outOfRange))
    #expect(ExactDecimal.parse("") == .failure(.empty))
  }

  @Test func rescalesOnlyWithoutLoss() {
    let d = ExactDecimal(mantissa: 1_050, scale: 2)  // 10.50
    #expect(d.rescaled(to: 2) == 1_050)
    #expect(d.rescaled(to: 6) == 10_500_000)
    #expect(d.rescaled(to: 1) == nil)
    #expect(ExactDecimal(mantissa: 9_000_000_000_000_000_000, scale: 0).rescaled(to: 6) == nil)
  }

  /// A text of up to 24 bytes of digits (zeros most), points, minus signs and stray bytes.
  static func numberLike(_ rng: inout SplitMix64) -> [UInt8] {
    let alphabet = Array("0000011234567899..-x ".utf8)
    return (0..<Int(rng.next() % 25)).map { _ in
      alphabet[Int(rng.next() % UInt64(alphabet.count))]
    }
  }

  /// Numbers of up to 18 digits are read with no check per digit: the reading agrees with the
  /// checked one on every text of digits, points, signs and stray bytes, up to 24 bytes long.
  @Test func quickReadingAgreesWithTheCheckedOne() {
    var rng = SplitMix64(seed: 7)
    for _ in 0..<50_000 {
      let bytes = Self.numberLike(&rng)
      bytes.withUnsafeBufferPointer { b in
        #expect(ExactDecimal.parse(b) == ExactDecimal.parseChecked(b), "\(bytes)")
      }
    }
    #expect(
      ExactDecimal.parse("0000000000000000000001.50")
        == .success(ExactDecimal(mantissa: 150, scale: 2)))
    #expect(
      ExactDecimal.parse("-123456789012345678")
        == .success(ExactDecimal(mantissa: -123_456_789_012_345_678, scale: 0)))
  }

  /// The readers' one-pass reading at a scale is reading then rescaling, on every text of
  /// digits, points, signs and stray bytes up to 24 bytes long, at scales 0 to 20: the same
  /// value, or nil where the two steps fail (the caller then reads again, for the error).
  @Test func scaledReadingIsParsingThenRescaling() {
    var rng = SplitMix64(seed: 9)
    for _ in 0..<50_000 {
      let bytes = Self.numberLike(&rng)
      let target = Int(rng.next() % 21)
      bytes.withUnsafeBufferPointer { b in
        let twoSteps: Int64? =
          switch ExactDecimal.parse(b) {
          case .success(let d): d.rescaled(to: target)
          case .failure: nil
          }
        let scaled = ExactDecimal.scaled(b, to: target)
        if let scaled {
          #expect(scaled == twoSteps, "\(bytes) at \(target)")
        } else if twoSteps != nil {
          // Left to the two steps (the caller reads again): only more than 18 digits (leading
          // zeros), or a zero of more than 18 places.
          let digits = bytes.filter { $0 &- UInt8(ascii: "0") < 10 }.count
          #expect(digits > 18 || twoSteps == 0, "\(bytes) at \(target)")
        }
      }
    }
    #expect(ExactDecimal.scaled(UnsafeBufferPointer(start: nil, count: 0), to: 6) == nil)
    Array("-1.5".utf8).withUnsafeBufferPointer {
      #expect(ExactDecimal.scaled($0, to: 6) == -1_500_000)
    }
    Array("0.125".utf8).withUnsafeBufferPointer { #expect(ExactDecimal.scaled($0, to: 2) == nil) }
    Array("9223372036854775807".utf8).withUnsafeBufferPointer {
      #expect(ExactDecimal.scaled($0, to: 0) == nil)
    }
  }

  /// Printing then parsing gives the same value back, over many generated values.
  @Test func roundTripsGeneratedValues() {
    var rng = SplitMix64(seed: 42)
    for _ in 0..<20_000 {
      let scale = Int(rng.next() % 7)
      let magnitude = Int64(rng.next() % 1_000_000_000_000_000)
      let value = rng.next() % 2 == 0 ? magnitude : -magnitude
      let text = formatScaled(value, scale: scale)
      #expect(ExactDecimal.parse(text) == .success(ExactDecimal(mantissa: value, scale: scale)))
      #expect(formatScaled(value, scale: scale) == text)
    }
  }

  @Test func formatsWithExactlyTheScale() {
    #expect(formatScaled(-5, scale: 2) == "-0.05")
    #expect(formatScaled(160_000, scale: 2) == "1600.00")
    #expect(formatScaled(120, scale: 0) == "120")
    #expect(formatScaled(7, scale: 3) == "0.007")
    #expect(Quantity(micros: 8_000_000).description == "8")
    #expect(UnitPrice(micros: 85_000).description == "0.085")
  }
}

@Suite struct IDTextTests {
  @Test func joinsLikeInterpolation() {
    for (a, b, k) in [
      ("T1", "C1", 0), ("INV-2026-0102", "12", 1), ("Ä-ö", "ü", 1_234_567), ("", "", 10),
    ] {
      #expect(IDText.join(a, UInt8(ascii: "@"), b) == "\(a)@\(b)")
      #expect(IDText.join(a, UInt8(ascii: "/"), b, UInt8(ascii: "#"), k) == "\(a)/\(b)#\(k)")
    }
  }
}
