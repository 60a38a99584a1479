/// A telephone numbering region that ``PhoneNumber`` can validate and normalise.
///
/// The supported table (national significant number lengths, without calling code or trunk
/// prefix):
///
/// | region | calling code | national digits | trunk prefix |
/// |---|---|---|---|
/// | AT Austria | +43 | 4–13 | 0 |
/// | AU Australia | +61 | 9 | 0 |
/// | BE Belgium | +32 | 8–9 | 0 |
/// | BG Bulgaria | +359 | 6–9 | 0 |
/// | CA Canada (NANP) | +1 | 10 | – (a leading 1 is accepted) |
/// | CY Cyprus | +357 | 8 | – |
/// | CZ Czechia | +420 | 9 | – |
/// | DE Germany | +49 | 6–13 | 0 |
/// | DK Denmark | +45 | 8 | – |
/// | EE Estonia | +372 | 7–10 | – |
/// | ES Spain | +34 | 9 | – |
/// | FI Finland | +358 | 5–12 | 0 |
/// | FR France | +33 | 9 | 0 |
/// | GB United Kingdom | +44 | 9–10 | 0 |
/// | GR Greece | +30 | 10 | – |
/// | HR Croatia | +385 | 6–9 | 0 |
/// | HU Hungary | +36 | 8–9 | 06 |
/// | IE Ireland | +353 | 7–9 | 0 |
/// | IT Italy | +39 | 6–11 | – (the leading 0 of Italian numbers is part of the number) |
/// | LT Lithuania | +370 | 8 | – (the trunk prefix changed from 8 to 0 in 2025; national-format input is rejected rather than guessed) |
/// | LU Luxembourg | +352 | 4–11 | – |
/// | LV Latvia | +371 | 8 | – |
/// | MT Malta | +356 | 8 | – |
/// | NL Netherlands | +31 | 9 | 0 |
/// | NZ New Zealand | +64 | 8–10 | 0 |
/// | PL Poland | +48 | 9 | – |
/// | PT Portugal | +351 | 9 | – |
/// | RO Romania | +40 | 9 | 0 |
/// | SE Sweden | +46 | 7–9 | 0 |
/// | SI Slovenia | +386 | 8 | 0 |
/// | SK Slovakia | +421 | 9 | 0 |
/// | US United States (NANP) | +1 | 10 | – (a leading 1 is accepted) |
///
/// NANP numbers (+1) must also have an area code and exchange starting with 2–9.
public struct PhoneRegion: Sendable, Hashable {
  /// The ISO 3166-1 alpha-2 code of the region, e.g. `"US"` or `"GB"`.
  public let code: String
  /// The ITU calling code without `+`, e.g. `"1"` or `"44"`.
  public let callingCode: String
  /// The allowed lengths of the national significant number (without trunk prefix).
  public let nationalNumberLengths: ClosedRange<Int>
  /// The national trunk prefix removed from numbers written without a calling code
  /// (`"0"` for GB, DE, AU ...), or nil when the region has none or it must not be stripped.
  public let trunkPrefix: String?

  /// Creates a region description; the built-in table is ``supported``.
  /// - Parameters:
  ///   - code: ISO 3166-1 alpha-2 region code.
  ///   - callingCode: ITU calling code without `+`.
  ///   - nationalNumberLengths: Allowed national significant number lengths.
  ///   - trunkPrefix: Trunk prefix stripped from national-format input, if any.
  public init(
    code: String, callingCode: String, nationalNumberLengths: ClosedRange<Int>, trunkPrefix: String?
  ) {
    self.code = code
    self.callingCode = callingCode
    self.nationalNumberLengths = nationalNumberLengths
    self.trunkPrefix = trunkPrefix
  }

  /// Whether this region belongs to the North American Numbering Plan (+1).
  public var isNANP: Bool { callingCode == "1" }

  /// The documented table of supported regions, sorted by region code.
  public static let supported: [PhoneRegion] = [
    PhoneRegion(code: "AT", callingCode: "43", nationalNumberLengths: 4...13, trunkPrefix: "0"),
    PhoneRegion(code: "AU", callingCode: "61", nationalNumberLengths: 9...9, trunkPrefix: "0"),
    PhoneRegion(code: "BE", callingCode: "32", nationalNumberLengths: 8...9, trunkPrefix: "0"),
    PhoneRegion(code: "BG", callingCode: "359", nationalNumberLengths: 6...9, trunkPrefix: "0"),
    PhoneRegion(code: "CA", callingCode: "1", nationalNumberLengths: 10...10, trunkPrefix: nil),
    PhoneRegion(code: "CY", callingCode: "357", nationalNumberLengths: 8...8, trunkPrefix: nil),
    PhoneRegion(code: "CZ", callingCode: "420", nationalNumberLengths: 9...9, trunkPrefix: nil),
    PhoneRegion(code: "DE", callingCode: "49", nationalNumberLengths: 6...13, trunkPrefix: "0"),
    PhoneRegion(code: "DK", callingCode: "45", nationalNumberLengths: 8...8, trunkPrefix: nil),
    PhoneRegion(code: "EE", callingCode: "372", nationalNumberLengths: 7...10, trunkPrefix: nil),
    PhoneRegion(code: "ES", callingCode: "34", nationalNumberLengths: 9...9, trunkPrefix: nil),
    PhoneRegion(code: "FI", callingCode: "358", nationalNumberLengths: 5...12, trunkPrefix: "0"),
    PhoneRegion(code: "FR", callingCode: "33", nationalNumberLengths: 9...9, trunkPrefix: "0"),
    PhoneRegion(code: "GB", callingCode: "44", nationalNumberLengths: 9...10, trunkPrefix: "0"),
    PhoneRegion(code: "GR", callingCode: "30", nationalNumberLengths: 10...10, trunkPrefix: nil),
    PhoneRegion(code: "HR", callingCode: "385", nationalNumberLengths: 6...9, trunkPrefix: "0"),
    PhoneRegion(code: "HU", callingCode: "36", nationalNumberLengths: 8...9, trunkPrefix: "06"),
    PhoneRegion(code: "IE", callingCode: "353", nationalNumberLengths: 7...9, trunkPrefix: "0"),
    PhoneRegion(code: "IT", callingCode: "39", nationalNumberLengths: 6...11, trunkPrefix: nil),
    PhoneRegion(code: "LT", callingCode: "370", nationalNumberLengths: 8...8, trunkPrefix: nil),
    PhoneRegion(code: "LU", callingCode: "352", nationalNumberLengths: 4...11, trunkPrefix: nil),
    PhoneRegion(code: "LV", callingCode: "371", nationalNumberLengths: 8...8, trunkPrefix: nil),
    PhoneRegion(code: "MT", callingCode: "356", nationalNumberLengths: 8...8, trunkPrefix: nil),
    PhoneRegion(code: "NL", callingCode: "31", nationalNumberLengths: 9...9, trunkPrefix: "0"),
    PhoneRegion(code: "NZ", callingCode: "64", nationalNumberLengths: 8...10, trunkPrefix: "0"),
    PhoneRegion(code: "PL", callingCode: "48", nationalNumberLengths: 9...9, trunkPrefix: nil),
    PhoneRegion(code: "PT", callingCode: "351", nationalNumberLengths: 9...9, trunkPrefix: nil),
    PhoneRegion(code: "RO", callingCode: "40", nationalNumberLengths: 9...9, trunkPrefix: "0"),
    PhoneRegion(code: "SE", callingCode: "46", nationalNumberLengths: 7...9, trunkPrefix: "0"),
    PhoneRegion(code: "SI", callingCode: "386", nationalNumberLengths: 8...8, trunkPrefix: "0"),
    PhoneRegion(code: "SK", callingCode: "421", nationalNumberLengths: 9...9, trunkPrefix: "0"),
    PhoneRegion(code: "US", callingCode: "1", nationalNumberLengths: 10...10, trunkPrefix: nil),
  ]

  /// Looks up a supported region by its upper-case ISO 3166-1 alpha-2 code.
  /// - Parameter code: The region code, e.g. `"GB"`; lower case is not accepted.
  /// - Returns: The region, or nil when it is not in ``supported``.
  public static func named(_ code: String) -> PhoneRegion? {
    supported.first { $0.code == code }
  }

  /// The region whose calling code (compared as digits) starts `digits` at `offset`, if any.
  ///
  /// ITU calling codes are prefix-free, so at most one length matches; for +1 the first NANP
  /// region of the table is returned (the NANP rules are the same for all of them).
  static func matchingCallingCode(_ digits: [UInt8], from offset: Int) -> PhoneRegion? {
    var best: PhoneRegion?
    var bestLength = 0
    for region in supported {
      let cc = region.callingCode.utf8
      guard cc.count > bestLength, digits.count - offset >= cc.count else { continue }
      var k = offset
      var matches = true
      for c in cc {
        if digits[k] != c {
          matches = false
          break
        }
        k += 1
      }
      if matches && (best == nil || cc.count > bestLength) {
        best = region
        bestLength = cc.count
      }
    }
    return best
  }
}
