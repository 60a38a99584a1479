/// A telephone number normalised to E.164 for one of the ``PhoneRegion/supported`` regions.
///
/// Accepted input: digits separated by spaces, dots, hyphens, slashes or parentheses; an
/// international prefix written as a leading `+` or `00` (the `00` must open the text); and an
/// optional extension written `x123`, `ext 123`, `ext. 123`, `extension 123`, `#123` or
/// `;ext=123` (digits only, at most 10).
/// A `(0)` written right after the calling code (`+44 (0)20 …`) is dropped for regions whose
/// trunk prefix is `0`.
///
/// With an international prefix the calling code must be in the table
/// (`"phone.unsupported-region"` otherwise). Without one a default region is required
/// (`"phone.missing-country-code"` otherwise) and its trunk prefix is removed; NANP input may
/// have 10 digits or 11 starting with `1`. Everything else, including vanity letters, wrong
/// lengths, NANP area codes or exchanges starting with 0 or 1, and numbers longer than
/// 15 digits, is `"phone.invalid"`.
public struct PhoneNumber: Sendable, Hashable {
  /// The text exactly as given.
  public let original: String
  /// The E.164 form, e.g. `"+12025550123"`.
  public let e164: String
  /// The calling code without `+`, e.g. `"1"`.
  public let callingCode: String
  /// The national significant number (no trunk prefix), e.g. `"2025550123"`.
  public let nationalNumber: String
  /// The extension digits, if the text had an extension.
  public let extensionDigits: String?

  /// Parses and normalises a telephone number.
  /// - Parameters:
  ///   - text: The number as written.
  ///   - defaultRegion: The region assumed when the text has no `+` or `00` prefix
  ///     (typically declared by an import profile), or nil.
  /// - Returns: The number, or a ``FieldError`` with rule `"phone.invalid"`,
  ///   `"phone.unsupported-region"` or `"phone.missing-country-code"`.
  public static func parse(_ text: String, defaultRegion: PhoneRegion?)
    -> Result<PhoneNumber, FieldError>
  {
    var copy = text
    return copy.withUTF8 { parse(bytes: $0, original: text, defaultRegion: defaultRegion) }
  }

  private static func fail(_ message: String, rule: String = "phone.invalid")
    -> Result<PhoneNumber, FieldError>
  {
    .failure(FieldError(rule: rule, message: message))
  }

  private static func parse(
    bytes buf: UnsafeBufferPointer<UInt8>, original: String, defaultRegion: PhoneRegion?
  ) -> Result<PhoneNumber, FieldError> {
    let n = buf.count
    var digits: [UInt8] = []
    digits.reserveCapacity(16)
    var plus = false
    var parenDepth = 0
    var zeroGroupAt: Int?  // digit index of a "(0)" group
    var i = 0
    mainLoop: while i < n {
      let b = buf[i]
      switch b {
      case ASCIIByte.zero...ASCIIByte.nine:
        digits.append(b)
      case ASCIIByte.space, ASCIIByte.dot, ASCIIByte.hyphen, ASCIIByte.slash:
        break
      case 0x28:  // (
        if parenDepth > 0 { return fail("phone number has nested parentheses") }
        parenDepth = 1
        if i + 2 < n && buf[i + 1] == ASCIIByte.zero && buf[i + 2] == 0x29 {
          zeroGroupAt = digits.count
        }
      case 0x29:  // )
        if parenDepth == 0 { return fail("phone number has unbalanced parentheses") }
        parenDepth = 0
      case ASCIIByte.plus:
        if plus || !digits.isEmpty {
          return fail("phone number has a '+' that is not at the start")
        }
        plus = true
      case 0x3B, 0x23, 0x41...0x5A, 0x61...0x7A:  // ; # letters: extension or vanity
        break mainLoop
      default:
        return fail("phone number contains a character that is not a digit or separator")
      }
      i += 1
    }
    if parenDepth != 0 { return fail("phone number has unbalanced parentheses") }

    var extensionDigits: String?
    if i < n {
      switch parseExtension(buf, from: i) {
      case .success(let ext): extensionDigits = ext
      case .failure(let error): return .failure(error)
      }
    }
    if digits.isEmpty { return fail("phone number has no digits") }

    let region: PhoneRegion
    var national: ArraySlice<UInt8>
    // "00" counts as the international prefix only when it opens the text (after spaces).
    var first = 0
    while first < n && buf[first] == ASCIIByte.space { first += 1 }
    let doubleZero =
      first + 1 < n && buf[first] == ASCIIByte.zero && buf[first + 1] == ASCIIByte.zero
      && digits.count > 2
    if plus || doubleZero {
      let start = plus ? 0 : 2
      guard let match = PhoneRegion.matchingCallingCode(digits, from: start) else {
        return fail(
          "phone number's calling code is not in the supported region table",
          rule: "phone.unsupported-region")
      }
      region = match
      let nationalStart = start + match.callingCode.utf8.count
      national = digits[nationalStart...]
      if zeroGroupAt == nationalStart && match.trunkPrefix == "0" {
        national = national.dropFirst()
      }
    } else {
      guard let given = defaultRegion else {
        return fail(
          "phone number has no country calling code and no default region was declared",
          rule: "phone.missing-country-code")
      }
      region = given
      national = digits[...]
      if region.isNANP {
        if national.count == 11 && national.first == 0x31 { national = national.dropFirst() }
      } else if let trunk = region.trunkPrefix, national.starts(with: trunk.utf8) {
        national = national.dropFirst(trunk.utf8.count)
      }
    }
    if !region.nationalNumberLengths.contains(national.count) {
      return fail("phone number's national number length does not fit the region's numbering plan")
    }
    if region.isNANP {
      let a = national[national.startIndex]
      let e = national[national.startIndex + 3]
      if a < 0x32 || e < 0x32 {
        return fail("NANP area code and exchange must start with a digit from 2 to 9")
      }
    }
    let ccLength = region.callingCode.utf8.count
    if ccLength + national.count > 15 {
      return fail("phone number is longer than the 15 digits E.164 allows")
    }
    let nationalText = String(decoding: national, as: UTF8.self)
    return .success(
      PhoneNumber(
        original: original, e164: "+" + region.callingCode + nationalText,
        callingCode: region.callingCode, nationalNumber: nationalText,
        extensionDigits: extensionDigits))
  }

  /// Parses `x123`, `ext 123`, `ext. 123`, `extension 123`, `#123` or `;ext=123` at `start`.
  private static func parseExtension(_ buf: UnsafeBufferPointer<UInt8>, from start: Int)
    -> Result<String, FieldError>
  {
    let n = buf.count
    func matches(_ word: String, at index: Int) -> Bool {
      var k = index
      for c in word.utf8 {
        if k >= n || ASCIIByte.lower(buf[k]) != c { return false }
        k += 1
      }
      return true
    }
    var i = start
    if matches(";ext=", at: i) {
      i += 5
    } else if matches("extension", at: i) {
      i += 9
    } else if matches("ext.", at: i) {
      i += 4
    } else if matches("ext", at: i) {
      i += 3
    } else if matches("x", at: i) || matches("#", at: i) {
      i += 1
    } else {
      return .failure(
        FieldError(
          rule: "phone.invalid",
          message: buf[i] == 0x3B
            ? "phone number has an unsupported ';' parameter"
            : "phone number contains letters (vanity numbers are not supported)"))
    }
    while i < n && buf[i] == ASCIIByte.space { i += 1 }
    let digitsStart = i
    while i < n && ASCIIByte.isDigit(buf[i]) { i += 1 }
    let digitsEnd = i
    while i < n && buf[i] == ASCIIByte.space { i += 1 }
    if i < n {
      return .failure(
        FieldError(
          rule: "phone.invalid",
          message: ASCIIByte.isLetter(buf[i])
            ? "phone number contains letters (vanity numbers are not supported)"
            : "phone extension contains a character that is not a digit"))
    }
    if digitsEnd == digitsStart {
      return .failure(FieldError(rule: "phone.invalid", message: "phone extension has no digits"))
    }
    if digitsEnd - digitsStart > 10 {
      return .failure(
        FieldError(rule: "phone.invalid", message: "phone extension is longer than 10 digits"))
    }
    return .success(
      String(decoding: UnsafeBufferPointer(rebasing: buf[digitsStart..<digitsEnd]), as: UTF8.self))
  }
}
