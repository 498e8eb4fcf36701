import TestSupport
import Testing

@testable import RebillModel

@Suite struct MoneyTests {
  let eur = Currency(code: "EUR")!
  let jpy = Currency(code: "JPY")!
  let kwd = Currency(code: "KWD")!

  @Test func knowsMinorUnits() {
    #expect(eur.minorUnits == 2)
    #expect(jpy.minorUnits == 0)
    #expect(kwd.minorUnits == 3)
    #expect(Currency(code: "CLF")?.minorUnits == 4)
    #expect(Currency(code: "EUX") == nil)
    #expect(Currency(code: "eur") == nil)
  }

  @Test func refusesMoreDecimalsThanTheCurrencyHas() {
    #expect(Money(ExactDecimal(mantissa: 1050, scale: 2), currency: eur)?.minorUnits == 1050)
    #expect(Money(ExactDecimal(mantissa: 10505, scale: 3), currency: eur) == nil)
    #expect(Money(ExactDecimal(mantissa: 15, scale: 1), currency: jpy) == nil)
    #expect(Money(ExactDecimal(mantissa: 1, scale: 0), currency: kwd)?.amountText == "1.000")
  }

  /// 8 h at 200.00 is 1,600.00, DOMAIN.md's worked figure.
  @Test func multipliesQuantityByPriceExactly() {
    let amount = Money.product(
      Quantity(micros: 8_000_000), UnitPrice(micros: 200_000_000), currency: eur,
      rounding: .halfUp)
    #expect(amount.amountText == "1600.00")
  }

  @Test(arguments: [
    // quantity micros, price micros, half_up, half_even (EUR cents)
    (1_000_000, 125_000, 13, 12),  // 0.125 → 0.13 / 0.12
    (1_000_000, 135_000, 14, 14),  // 0.135 → 0.14 / 0.14
    (-1_000_000, 125_000, -13, -12),
    (3_000_000, 33_333_333, 10_000, 10_000),  // 99.999999 → 100.00
    (333_333, 1_000_000, 33, 33),
  ])
  func roundsOnceByTheMode(q: Int64, p: Int64, up: Int64, even: Int64) {
    let quantity = Quantity(micros: q)
    let price = UnitPrice(micros: p)
    #expect(Money.product(quantity, price, currency: eur, rounding: .halfUp).minorUnits == up)
    #expect(Money.product(quantity, price, currency: eur, rounding: .halfEven).minorUnits == even)
  }

  /// A product that fits 64 bits is divided there (`RoundingMode.divide(_:times:by:)`): the
  /// same as in 128 bits, for every mode, currency and sign, halves included, and for products
  /// beyond 64 bits.
  @Test func productsAgreeInSixtyFourAndOneHundredTwentyEightBits() {
    var rng = SplitMix64(seed: 11)
    for i in 0..<20_000 {
      // Small values hit exact halves often; large ones go beyond 64 bits.
      let bound: UInt64 = i % 3 == 0 ? 2_000_000 : i % 3 == 1 ? 1 << 40 : 1 << 62
      let q = Int64(rng.next() % bound) * (rng.next() % 2 == 0 ? 1 : -1)
      let p = Int64(rng.next() % bound)
      let exact = Int128(q) * Int128(p)
      for mode in RoundingMode.allCases {
        // As a percentage divides (shares, tax): by 10^8.
        let share = mode.divide(exact, by: 100_000_000)
        if share >= Int128(Int64.min) && share <= Int128(Int64.max) {
          #expect(Int128(mode.divide(q, times: p, by: 100_000_000)) == share, "\(q) × \(p)")
        }
      }
      for currency in [eur, jpy, kwd] {
        for mode in RoundingMode.allCases {
          let expected = mode.divide(exact, by: powerOfTen(12 - currency.minorUnits))
          if expected >= Int128(Int64.min) && expected <= Int128(Int64.max) {
            let product = Money.product(
              Quantity(micros: q), UnitPrice(micros: p), currency: currency, rounding: mode)
            #expect(Int128(product.minorUnits) == expected, "\(q) × \(p) \(currency) \(mode)")
          }
        }
      }
    }
  }

  @Test func takesPercentages() {
    let amount = Money(minorUnits: 10_000, currency: eur)
    #expect(amount.percentage(Percent(micros: 19_000_000), rounding: .halfUp).amountText == "19.00")
    #expect(
      Money(minorUnits: 1_005, currency: eur).percentage(
        Percent(micros: 50_000_000), rounding: .halfUp
      )
      .minorUnits == 503)
    #expect(
      Money(minorUnits: 1_005, currency: eur).percentage(
        Percent(micros: 50_000_000), rounding: .halfEven
      )
      .minorUnits == 502)
  }

  @Test func formatsWithItsCurrency() {
    #expect(Money(minorUnits: -5, currency: eur).description == "-0.05 EUR")
    #expect(Money(minorUnits: 120, currency: jpy).description == "120 JPY")
  }
}
