/// A US state, district or territory code from the list NCMEC's CyberTipline schema accepts.
///
/// These are the 54 non-empty values of the `state` type in `cybertipline-report.xsd`
/// (2025-06-11): the 50 states, DC, and the territories GU, PR and VI. The schema's list has
/// 55 entries because it also allows the empty string, which is not a code. (AS and MP are not
/// in NCMEC's list, so they are rejected.)
public struct USStateCode: Sendable, Hashable, CustomStringConvertible {
  /// The two upper-case letters.
  public let code: String

  /// The 54 codes NCMEC accepts.
  public static let all: Set<String> = Set(
    "AK AL AR AZ CA CO CT DC DE FL GA GU HI IA ID IL IN KS KY LA MA MD ME MI MN MO MS MT NC ND NE NH NJ NM NV NY OH OK OR PA PR RI SC SD TN TX UT VA VI VT WA WI WV WY"
      .split(separator: " ").map(String.init))

  private init(checked code: String) { self.code = code }

  /// The code.
  public var description: String { code }

  /// Parses a USPS state code from NCMEC's list; exact upper case, no trimming.
  /// - Parameter text: The code, e.g. `"NY"`.
  /// - Returns: The code, or a ``FieldError`` with rule `"state.invalid"`.
  public static func parse(_ text: String) -> Result<USStateCode, FieldError> {
    func fail(_ message: String) -> Result<USStateCode, FieldError> {
      .failure(FieldError(rule: "state.invalid", message: message))
    }
    var copy = text
    return copy.withUTF8 { buf -> Result<USStateCode, FieldError> in
      guard buf.count == 2, ASCIIByte.isLetter(buf[0]), ASCIIByte.isLetter(buf[1]) else {
        return fail("state code must be exactly two letters")
      }
      guard buf[0] &- 0x41 < 26, buf[1] &- 0x41 < 26 else {
        return fail("state code must be upper case")
      }
      guard all.contains(text) else {
        return fail("state code is not one of the US state and territory codes NCMEC accepts")
      }
      return .success(USStateCode(checked: text))
    }
  }
}
