/// An ISO 3166-1 alpha-2 country code: one of the 249 currently assigned codes, upper case.
///
/// NCMEC's CyberTipline schema (`country` type in `cybertipline-report.xsd`, 2025-06-11)
/// enumerates 257 non-empty values: all 249 ISO codes plus the legacy or non-ISO values
/// A1 A2 AN AP EU FX O1 XK (anonymous proxy, satellite provider, other, Netherlands
/// Antilles, Asia/Pacific, European Union, metropolitan France, Kosovo). Its list, for comparison:
///
/// A1 A2 O1 AD AE AF AG AI AL AM AN AO AP AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL
/// BM BN BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CX CW CY CZ DE
/// DJ DK DM DO DZ EC EE EG EH ER ES ET EU FI FJ FK FM FO FR FX GA GB GD GE GF GG GH GI GL GM GN
/// GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH
/// KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO
/// MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL
/// PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV
/// SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN
/// VU WF WS XK YE YT ZA ZM ZW
///
/// Those extra values are accepted only by ``parse(_:allowingNCMECLegacy:)`` with
/// `allowingNCMECLegacy: true`, i.e. when importing NCMEC data; they are never written.
public struct CountryCode: Sendable, Hashable, CustomStringConvertible {
  /// The two upper-case letters.
  public let code: String

  /// The 249 currently assigned ISO 3166-1 alpha-2 codes.
  public static let all: Set<String> = Set(
    """
    AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR
    BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ
    EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW
    GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY
    KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV
    MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY
    QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG
    TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM
    ZW
    """.split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init))

  /// Values NCMEC's schema accepts that are not assigned ISO 3166-1 codes: A1, A2, AN, AP, EU, FX, O1, XK.
  public static let ncmecLegacy: Set<String> = ["A1", "A2", "AN", "AP", "EU", "FX", "O1", "XK"]

  /// Membership bitmap of ``all``, indexed by `(first - "A") * 26 + (second - "A")`.
  private static let table: [Bool] = {
    var t = [Bool](repeating: false, count: 26 * 26)
    for c in all {
      let u = Array(c.utf8)
      t[Int(u[0] - 0x41) * 26 + Int(u[1] - 0x41)] = true
    }
    return t
  }()

  private init(checked code: String) { self.code = code }

  /// The code.
  public var description: String { code }

  /// Parses an assigned ISO 3166-1 alpha-2 code; exact upper case, no trimming.
  /// - Parameter text: The code, e.g. `"DE"`.
  /// - Returns: The code, or a ``FieldError`` with rule `"country.invalid"`.
  public static func parse(_ text: String) -> Result<CountryCode, FieldError> {
    parse(text, allowingNCMECLegacy: false)
  }

  /// Parses a country code, optionally also accepting NCMEC's legacy values (on import only).
  /// - Parameters:
  ///   - text: The code, e.g. `"DE"`, or with legacy allowed also e.g. `"A1"`.
  ///   - allowingNCMECLegacy: Whether the values in ``ncmecLegacy`` are accepted.
  /// - Returns: The code, or a ``FieldError`` with rule `"country.invalid"`.
  public static func parse(_ text: String, allowingNCMECLegacy: Bool) -> Result<CountryCode, FieldError> {
    func fail(_ message: String) -> Result<CountryCode, FieldError> {
      .failure(FieldError(rule: "country.invalid", message: message))
    }
    var copy = text
    return copy.withUTF8 { buf -> Result<CountryCode, FieldError> in
      guard buf.count == 2 else { return fail("country code must be exactly two characters") }
      let a = buf[0]
      let b = buf[1]
      if a &- 0x41 < 26 && b &- 0x41 < 26 && table[Int(a - 0x41) * 26 + Int(b - 0x41)] {
        return .success(CountryCode(checked: text))
      }
      if ncmecLegacy.contains(text) {
        if allowingNCMECLegacy { return .success(CountryCode(checked: text)) }
        return fail("country code is an NCMEC legacy value, accepted only when importing NCMEC data")
      }
      if ASCIIByte.isLetter(a) && ASCIIByte.isLetter(b) && (a &- 0x61 < 26 || b &- 0x61 < 26) {
        return fail("country code must be upper case")
      }
      if !(ASCIIByte.isLetter(a) && ASCIIByte.isLetter(b)) {
        return fail("country code must be two letters")
      }
      return fail("country code is not an assigned ISO 3166-1 alpha-2 code")
    }
  }
}
