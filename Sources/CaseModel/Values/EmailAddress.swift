/// A strictly parsed e-mail address (RFC 5321 `addr-spec`, with RFC 6531 UTF-8 local parts).
///
/// Accepted: a dot-atom or quoted-string local part, exactly one unquoted `@`, and a domain of
/// at least two labels made of letters, digits and hyphens (non-ASCII labels are converted to
/// `xn--` A-labels with ``Punycode``). Rejected, never repaired: display names
/// (`Jane <jane@example.com>`), comments, whitespace outside a quoted local part, control
/// characters, invisible and bidi control characters, fullwidth `＠`, leading, trailing or
/// consecutive dots, domain literals (`[192.0.2.1]`), an all-numeric top-level domain, a local
/// part over 64 UTF-8 bytes, labels over 63 octets and addresses over 254 bytes (measured on
/// the normalised form).
///
/// The local part is kept byte for byte: provider-specific dot or plus rules are never applied.
/// U-labels are lower-cased with the standard library's Unicode case mapping; Unicode
/// normalisation (NFC) is not applied, so callers should not expect NFD input to match NFC.
public struct EmailAddress: Sendable, Hashable {
  /// The text exactly as given.
  public let original: String
  /// `localPart@domain`: the local part unchanged, the domain lower-cased in A-label form.
  public let normalized: String
  /// The local part exactly as given (including the quotes of a quoted local part).
  public let localPart: String
  /// The domain in lower-case A-label (ASCII) form.
  public let domain: String

  /// Parses an `addr-spec` strictly.
  /// - Parameter text: The address, without display name, angle brackets or comments.
  /// - Returns: The address, or a ``FieldError`` with rule `"email.invalid"`.
  public static func parse(_ text: String) -> Result<EmailAddress, FieldError> {
    var copy = text
    return copy.withUTF8 { parse(bytes: $0, original: text) }
  }

  private static func fail(_ message: String) -> Result<EmailAddress, FieldError> {
    .failure(FieldError(rule: "email.invalid", message: message))
  }

  /// Whether `b` is RFC 5322 `atext` (ASCII part).
  private static func isAtext(_ b: UInt8) -> Bool {
    if ASCIIByte.isDigit(b) || ASCIIByte.isLetter(b) { return true }
    switch b {
    case 0x21, 0x23, 0x24, 0x25, 0x26, 0x27, 0x2A, 0x2B, 0x2D, 0x2F, 0x3D, 0x3F, 0x5E, 0x5F,
      0x60, 0x7B, 0x7C, 0x7D, 0x7E:
      return true
    default:
      return false
    }
  }

  private static func parse(bytes buf: UnsafeBufferPointer<UInt8>, original: String)
    -> Result<EmailAddress, FieldError>
  {
    let n = buf.count
    if n == 0 { return fail("e-mail address is empty") }

    // Pass 1: characters that are never allowed, and structure outside quotes.
    var hasNonASCII = false
    var inQuote = false
    var escaped = false
    var sawAngle = false
    var sawParen = false
    var sawSpace = false
    for b in buf {
      if b >= 0x80 {
        hasNonASCII = true
        escaped = false
        continue
      }
      if ASCIIByte.isControl(b) { return fail("e-mail address contains a control character") }
      if inQuote {
        if escaped {
          escaped = false
        } else if b == ASCIIByte.backslash {
          escaped = true
        } else if b == ASCIIByte.quote {
          inQuote = false
        }
        continue
      }
      switch b {
      case ASCIIByte.quote: inQuote = true
      case 0x3C, 0x3E: sawAngle = true
      case 0x28, 0x29: sawParen = true
      case ASCIIByte.space: sawSpace = true
      default: break
      }
    }
    if sawAngle {
      return fail("e-mail address has a display-name or angle-bracket form; only addr-spec is allowed")
    }
    if sawParen { return fail("e-mail address contains a comment or parenthesis") }
    if sawSpace { return fail("e-mail address contains whitespace") }
    if hasNonASCII {
      for s in original.unicodeScalars where s.value >= 0x80 {
        let v = s.value
        if v == 0xFF20 || v == 0xFE6B {
          return fail("e-mail address contains a fullwidth or small at sign instead of '@'")
        }
        if v == 0xFF0E || v == 0x3002 || v == 0xFF61 {
          return fail("e-mail address contains a fullwidth or ideographic full stop instead of '.'")
        }
        if UnicodeCheck.isNonASCIIWhitespace(v) {
          return fail("e-mail address contains whitespace")
        }
        if UnicodeCheck.isInvisible(v) {
          return fail("e-mail address contains an invisible or bidirectional control character")
        }
      }
    }

    // Local part.
    var localEnd: Int
    if buf[0] == ASCIIByte.quote {
      var i = 1
      var closed = false
      while i < n {
        let b = buf[i]
        if b == ASCIIByte.quote {
          closed = true
          break
        }
        if b == ASCIIByte.backslash {
          guard i + 1 < n, buf[i + 1] >= 0x20, buf[i + 1] < 0x7F else {
            return fail("quoted local part has an invalid escape")
          }
          i += 2
          continue
        }
        i += 1
      }
      if !closed { return fail("quoted local part is not terminated") }
      if i == 1 { return fail("local part is empty") }
      localEnd = i + 1
      if localEnd == n || buf[localEnd] != ASCIIByte.at {
        return fail("quoted local part must be followed directly by '@'")
      }
    } else {
      var i = 0
      while i < n && buf[i] != ASCIIByte.at {
        let b = buf[i]
        if b == ASCIIByte.dot {
          if i == 0 { return fail("local part starts with a dot") }
          if buf[i - 1] == ASCIIByte.dot { return fail("local part contains consecutive dots") }
        } else if b == ASCIIByte.quote {
          return fail("local part mixes quoted and unquoted text")
        } else if !(b >= 0x80 || isAtext(b)) {
          return fail("local part contains a character that is not allowed without quotes")
        }
        i += 1
      }
      if i == n { return fail("e-mail address has no '@'") }
      if i == 0 { return fail("local part is empty") }
      if buf[i - 1] == ASCIIByte.dot { return fail("local part ends with a dot") }
      localEnd = i
    }
    if localEnd > 64 { return fail("local part is longer than 64 bytes") }

    // Domain.
    let domainStart = localEnd + 1
    if domainStart == n { return fail("domain is empty") }
    for i in domainStart..<n where buf[i] == ASCIIByte.at {
      return fail("e-mail address contains more than one unquoted '@'")
    }
    if buf[domainStart] == 0x5B {
      return fail("domain literals such as [IP address] are not supported")
    }
    var domain: [UInt8] = []
    domain.reserveCapacity(n - domainStart + 8)
    var labelCount = 0
    var labelStart = domainStart
    var lastLabelAllDigits = false
    while labelStart <= n {
      var labelEnd = labelStart
      while labelEnd < n && buf[labelEnd] != ASCIIByte.dot { labelEnd += 1 }
      if labelEnd == labelStart {
        return fail("domain has an empty label (leading, trailing or consecutive dots)")
      }
      if labelCount > 0 { domain.append(ASCIIByte.dot) }
      let label = UnsafeBufferPointer(rebasing: buf[labelStart..<labelEnd])
      if case .failure(let error) = appendLabel(label, to: &domain) { return .failure(error) }
      lastLabelAllDigits = label.allSatisfy(ASCIIByte.isDigit)
      labelCount += 1
      labelStart = labelEnd + 1
    }
    if labelCount < 2 { return fail("domain must have at least two labels") }
    if lastLabelAllDigits {
      return fail("top-level domain is all digits (an IP address is not a domain name)")
    }
    if localEnd + 1 + domain.count > 254 {
      return fail("e-mail address is longer than 254 bytes")
    }
    let localPart = String(decoding: UnsafeBufferPointer(rebasing: buf[0..<localEnd]), as: UTF8.self)
    let domainText = String(decoding: domain, as: UTF8.self)
    // Common case: the domain was already lower-case ASCII, so the original is the normalised form.
    let unchanged = domain.elementsEqual(UnsafeBufferPointer(rebasing: buf[domainStart..<n]))
    return .success(
      EmailAddress(
        original: original, normalized: unchanged ? original : localPart + "@" + domainText,
        localPart: localPart, domain: domainText))
  }

  /// Whether every scalar is an ASCII letter, digit or hyphen, or a non-ASCII letter, mark or
  /// decimal digit (an approximation of IDNA2008 PVALID without the full tables).
  private static func isValidULabel(_ text: String) -> Bool {
    for s in text.unicodeScalars {
      let v = s.value
      if v < 0x80 {
        let b = UInt8(v)
        if !(ASCIIByte.isLetter(b) || ASCIIByte.isDigit(b) || b == ASCIIByte.hyphen) { return false }
        continue
      }
      switch s.properties.generalCategory {
      case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
        .nonspacingMark, .spacingMark, .enclosingMark, .decimalNumber:
        continue
      default:
        return false
      }
    }
    return true
  }

  /// Validates one domain label and appends its lower-case A-label form.
  private static func appendLabel(_ label: UnsafeBufferPointer<UInt8>, to out: inout [UInt8])
    -> Result<Void, FieldError>
  {
    func failure(_ message: String) -> Result<Void, FieldError> {
      .failure(FieldError(rule: "email.invalid", message: message))
    }
    if label.first == ASCIIByte.hyphen || label.last == ASCIIByte.hyphen {
      return failure("domain label starts or ends with a hyphen")
    }
    var isASCII = true
    for b in label {
      if b >= 0x80 {
        isASCII = false
      } else if !(ASCIIByte.isLetter(b) || ASCIIByte.isDigit(b) || b == ASCIIByte.hyphen) {
        return failure("domain label contains a character other than letters, digits and hyphen")
      }
    }
    if isASCII {
      if label.count > 63 { return failure("domain label is longer than 63 octets") }
      let start = out.count
      for b in label { out.append(ASCIIByte.lower(b)) }
      // An A-label given as such must decode to a valid U-label that encodes back to it.
      if label.count >= 4 && out[start] == 0x78 && out[start + 1] == 0x6E
        && out[start + 2] == ASCIIByte.hyphen && out[start + 3] == ASCIIByte.hyphen
      {
        let body = String(decoding: out[(start + 4)...], as: UTF8.self)
        guard let decoded = Punycode.decode(body),
          decoded.unicodeScalars.contains(where: { $0.value >= 0x80 }),
          isValidULabel(decoded), Punycode.encode(decoded) == body
        else {
          return failure("domain label starts with 'xn--' but is not a valid A-label")
        }
      }
      return .success(())
    }
    // U-label: letters, marks and digits only; lower-cased, then Punycode.
    let text = String(decoding: label, as: UTF8.self)
    if !isValidULabel(text) {
      return failure(
        "internationalized domain label contains a character that is not a letter, mark or digit")
    }
    guard let encoded = Punycode.encode(text.lowercased()) else {
      return failure("internationalized domain label cannot be encoded")
    }
    if encoded.utf8.count + 4 > 63 {
      return failure("domain label is longer than 63 octets after conversion to an A-label")
    }
    out.append(contentsOf: "xn--".utf8)
    out.append(contentsOf: encoded.utf8)
    return .success(())
  }
}
