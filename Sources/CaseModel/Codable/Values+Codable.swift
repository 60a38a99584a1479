// Canonical JSON forms of the field value types. A value whose normalised text equals its original text is a
// plain string; otherwise an object keeps both: {"value": normalised, "original": as given}. Decoding re-parses
// the original and requires it to normalise to the stored value, so a hand-edited file cannot smuggle in a
// value that the strict parsers would refuse.

private enum ValueKeys: String, CodingKey { case value, original, utc, offset, zone, algorithm, hex }

extension FieldError {
  static func mismatch(_ what: String) -> FieldError {
    FieldError(rule: "field.normalization-mismatch", message: "\(what): stored value is not the normalised form of the original")
  }
}

private func decodeOriginalAndValue(_ decoder: any Decoder) throws -> (original: String, value: String?) {
  if let single = try? decoder.singleValueContainer(), let text = try? single.decode(String.self) {
    return (text, nil)
  }
  let c = try decoder.container(keyedBy: ValueKeys.self)
  return (try c.decode(String.self, forKey: .original), try c.decode(String.self, forKey: .value))
}

private func encodeOriginalAndValue(_ encoder: any Encoder, original: String, value: String) throws {
  if original == value {
    var c = encoder.singleValueContainer()
    try c.encode(value)
  } else {
    var c = encoder.container(keyedBy: ValueKeys.self)
    try c.encode(value, forKey: .value)
    try c.encode(original, forKey: .original)
  }
}

extension IPAddress: Codable {
  /// Decodes a string or `{"value","original"}` and re-parses it strictly.
  public init(from decoder: any Decoder) throws {
    let (original, value) = try decodeOriginalAndValue(decoder)
    let parsed = try IPAddress.parse(original).get()
    if let value, value != parsed.normalized { throw FieldError.mismatch("IP address") }
    self = parsed
  }
  /// Encodes the normalised text, with the original beside it when they differ.
  public func encode(to encoder: any Encoder) throws {
    try encodeOriginalAndValue(encoder, original: original, value: normalized)
  }
}

extension EmailAddress: Codable {
  /// Decodes a string or `{"value","original"}` and re-parses it strictly.
  public init(from decoder: any Decoder) throws {
    let (original, value) = try decodeOriginalAndValue(decoder)
    let parsed = try EmailAddress.parse(original).get()
    if let value, value != parsed.normalized { throw FieldError.mismatch("e-mail address") }
    self = parsed
  }
  /// Encodes the normalised text, with the original beside it when they differ.
  public func encode(to encoder: any Encoder) throws {
    try encodeOriginalAndValue(encoder, original: original, value: normalized)
  }
}

extension PhoneNumber: Codable {
  /// Decodes a string or `{"value","original"}`; an original without a country code is re-parsed in a region
  /// of the stored value's calling code.
  public init(from decoder: any Decoder) throws {
    let (original, value) = try decodeOriginalAndValue(decoder)
    let parsed = try PhoneNumber.parse(original, defaultRegion: value.flatMap(PhoneRegion.ofE164)).get()
    if let value, value != parsed.e164 { throw FieldError.mismatch("phone number") }
    self = parsed
  }
  /// Encodes the E.164 form, with the original beside it when they differ.
  public func encode(to encoder: any Encoder) throws {
    try encodeOriginalAndValue(encoder, original: original, value: e164)
  }
}

extension Port: Codable {
  /// Decodes an integer 1...65535.
  public init(from decoder: any Decoder) throws {
    let n = try decoder.singleValueContainer().decode(Int.self)
    guard let p = Port(n) else { throw FieldError(rule: "port.invalid", message: "port is not in 1...65535") }
    self = p
  }
  /// Encodes an integer.
  public func encode(to encoder: any Encoder) throws {
    var c = encoder.singleValueContainer()
    try c.encode(Int(value))
  }
}

extension CalendarDate: Codable {
  /// Decodes a strict `YYYY-MM-DD` string.
  public init(from decoder: any Decoder) throws {
    self = try CalendarDate.parse(try decoder.singleValueContainer().decode(String.self)).get()
  }
  /// Encodes `YYYY-MM-DD`.
  public func encode(to encoder: any Encoder) throws {
    var c = encoder.singleValueContainer()
    try c.encode(iso8601)
  }
}

extension CountryCode: Codable {
  /// Decodes an ISO 3166-1 alpha-2 code.
  public init(from decoder: any Decoder) throws {
    self = try CountryCode.parse(try decoder.singleValueContainer().decode(String.self)).get()
  }
  /// Encodes the code.
  public func encode(to encoder: any Encoder) throws {
    var c = encoder.singleValueContainer()
    try c.encode(code)
  }
}

extension USStateCode: Codable {
  /// Decodes a USPS state or territory code.
  public init(from decoder: any Decoder) throws {
    self = try USStateCode.parse(try decoder.singleValueContainer().decode(String.self)).get()
  }
  /// Encodes the code.
  public func encode(to encoder: any Encoder) throws {
    var c = encoder.singleValueContainer()
    try c.encode(code)
  }
}

extension HashDigest: Codable {
  /// Decodes `{"algorithm","hex"}` (plus `original` when the input differed) and re-checks length and hex.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: ValueKeys.self)
    let algorithmName = try c.decode(String.self, forKey: .algorithm)
    guard let algorithm = HashAlgorithm(rawValue: algorithmName) else {
      throw FieldError(rule: "hash.unknown-algorithm", message: "hash algorithm is not one of the supported names")
    }
    let hex = try c.decode(String.self, forKey: .hex)
    let original = try c.decodeIfPresent(String.self, forKey: .original) ?? hex
    let parsed = try HashDigest.parse(algorithm: algorithm, hex: original).get()
    if parsed.hex != hex { throw FieldError.mismatch("hash") }
    self = parsed
  }
  /// Encodes algorithm and lower-case hex, with the original when it differed.
  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: ValueKeys.self)
    try c.encode(algorithm.rawValue, forKey: .algorithm)
    try c.encode(hex, forKey: .hex)
    if original != hex { try c.encode(original, forKey: .original) }
  }
}

extension Timestamp: Codable {
  /// Decodes a strict ISO 8601 string with a zone, or `{"utc","original","offset"?,"zone"?}`.
  ///
  /// In the object form `utc` is authoritative; when `original` is itself ISO 8601 with an offset it must
  /// denote the same instant (`timestamp.inconsistent` otherwise).
  public init(from decoder: any Decoder) throws {
    if let single = try? decoder.singleValueContainer(), let text = try? single.decode(String.self) {
      self = try Timestamp.parseISO8601(text).get()
      return
    }
    let c = try decoder.container(keyedBy: ValueKeys.self)
    let utc = try c.decode(String.self, forKey: .utc)
    guard let instant = Instant.parseUTC(utc) else {
      throw FieldError(rule: "timestamp.invalid", message: "utc is not an ISO 8601 UTC timestamp ending in Z")
    }
    let original = try c.decode(String.self, forKey: .original)
    var offset: Int? = nil
    if let offsetText = try c.decodeIfPresent(String.self, forKey: .offset) {
      guard let o = parseOffset(offsetText) else {
        throw FieldError(rule: "timestamp.invalid", message: "offset is not Z or ±HH:MM")
      }
      offset = o
    }
    let zone = try c.decodeIfPresent(String.self, forKey: .zone)
    if case .success(let reparsed) = Timestamp.parseISO8601(original), reparsed.instant != instant {
      throw FieldError(rule: "timestamp.inconsistent", message: "original and utc denote different instants")
    }
    self.init(instant: instant, originalText: original, originalOffsetSeconds: offset, zoneIdentifier: zone)
  }

  /// Encodes the UTC text alone when it equals the original, else the object form.
  public func encode(to encoder: any Encoder) throws {
    if originalText == instant.iso8601 && zoneIdentifier == nil {
      var c = encoder.singleValueContainer()
      try c.encode(originalText)
      return
    }
    var c = encoder.container(keyedBy: ValueKeys.self)
    try c.encode(instant.iso8601, forKey: .utc)
    try c.encode(originalText, forKey: .original)
    if let o = originalOffsetSeconds { try c.encode(formatOffset(o), forKey: .offset) }
    if let zoneIdentifier { try c.encode(zoneIdentifier, forKey: .zone) }
  }
}

/// Formats an offset in seconds as `±HH:MM` (`+00:00` for zero).
func formatOffset(_ seconds: Int) -> String {
  let sign = seconds < 0 ? "-" : "+"
  let m = abs(seconds) / 60
  let h = m / 60, mm = m % 60
  return sign + (h < 10 ? "0" : "") + String(h) + ":" + (mm < 10 ? "0" : "") + String(mm)
}

/// Parses `Z` or `±HH:MM` into seconds.
extension PhoneRegion {
  /// The supported region whose calling code is the longest prefix of an E.164 text (`+` then digits), if any:
  /// the region a stored {value, original} phone is re-parsed in.
  public static func ofE164(_ value: String) -> PhoneRegion? {
    guard value.hasPrefix("+") else { return nil }
    let digits = value.dropFirst()
    return supported.filter { digits.hasPrefix($0.callingCode) }.max { $0.callingCode.count < $1.callingCode.count }
  }
}

extension Timestamp {
  /// Parses the canonical `offset` text of a timestamp object (`Z` or `±HH:MM`) into seconds east of UTC.
  public static func parseOffsetText(_ text: String) -> Int? { parseOffset(text) }
}

func parseOffset(_ text: String) -> Int? {
  if text == "Z" { return 0 }
  let u = Array(text.utf8)
  guard u.count == 6, u[0] == 0x2B || u[0] == 0x2D, u[3] == 0x3A else { return nil }
  func d(_ i: Int) -> Int? { (u[i] >= 0x30 && u[i] <= 0x39) ? Int(u[i] - 0x30) : nil }
  guard let h1 = d(1), let h2 = d(2), let m1 = d(4), let m2 = d(5) else { return nil }
  let h = h1 * 10 + h2, m = m1 * 10 + m2
  guard h <= 23, m <= 59 else { return nil }
  return (u[0] == 0x2D ? -1 : 1) * (h * 3600 + m * 60)
}
