public import CaseModel

/// The unit of an integer epoch value (time since 1970-01-01T00:00:00Z).
public enum EpochUnit: String, Sendable, Hashable, Codable {
  /// Seconds: 10 digits for current dates.
  case seconds
  /// Milliseconds: 13 digits for current dates.
  case milliseconds
  /// Microseconds: 16 digits for current dates.
  case microseconds

  /// The digit count of a current (2001–2286) value in this unit: 10, 13 or 16.
  public var typicalDigits: Int {
    switch self {
    case .seconds: 10
    case .milliseconds: 13
    case .microseconds: 16
    }
  }

  /// The digit counts accepted for this unit: ``typicalDigits`` ± 1 (9–11 digits for seconds
  /// covers 1973–5138; the ranges of the three units do not overlap).
  public var acceptedDigits: ClosedRange<Int> { (typicalDigits - 1)...(typicalDigits + 1) }

  /// Units per second.
  var perSecond: Int64 {
    switch self {
    case .seconds: 1
    case .milliseconds: 1000
    case .microseconds: 1_000_000
    }
  }
}

/// How a profile field's timestamp text is read: what the field declares.
///
/// The defaults (no pattern, no epoch unit, no zone) read strict ISO 8601 with an explicit
/// offset and nothing else.
public struct TimestampRule: Sendable {
  /// The layout of the values; nil means strict ISO 8601 (``Timestamp/parseISO8601(_:)``).
  public var pattern: DateTimePattern?
  /// When set, the values are integer epochs in this unit and ``pattern`` is ignored.
  /// Epoch values are never detected automatically: without a unit, an all-digit value is simply
  /// not a valid timestamp for the pattern or ISO 8601.
  public var epochUnit: EpochUnit?
  /// The declared source zone (IANA rules) for values that carry no zone of their own; with a
  /// zone abbreviation in the value it is used to check that the abbreviation fits.
  public var zone: (any ZoneRules)?
  /// The declared zone's IANA id, recorded in the ``Timestamp`` (defaults to `zone.identifier`).
  public var zoneIdentifier: String?
  /// Whether the pattern's day/month order is unconfirmed (see ``DateTimePattern/parse(_:dayMonthUnknown:)``).
  public var dayMonthUnknown = false

  /// Creates a rule for strict ISO 8601 with an explicit offset.
  public init() {}
}

/// Reads one timestamp value as a profile field declares it; nothing is ever guessed.
///
/// - Epoch (``TimestampRule/epochUnit`` set): digits only, with an optional leading `-` and no
///   leading zero; the digit count must fit the unit (``EpochUnit/acceptedDigits``), otherwise
///   `"timestamp.epoch-unit-mismatch"` (a 13-digit value declared as seconds is milliseconds, not
///   a date in the year 55000). The result is UTC (`originalOffsetSeconds` 0); a declared zone is
///   not used.
/// - An explicit offset in the value (`Z`, `±HH:MM`, `±HHMM`, `±HH`): that instant, with
///   `originalOffsetSeconds` set to it. A declared zone is not consulted.
/// - A zone abbreviation in the value: looked up in ``ZoneAbbreviation``; an abbreviation not in
///   the table is `"timestamp.unknown-zone-abbreviation"`. When a zone is declared too, the
///   zone's offset at that instant must equal the abbreviation's, otherwise
///   `"timestamp.zone-contradiction"` (`EST` in July in America/New_York; also `UTC` in a field
///   declared as America/New_York). The zone only checks, so `zoneIdentifier` stays nil.
/// - No zone in the value: the declared zone resolves the local time
///   (``Timestamp/resolve(_:in:originalText:)``); a time in a daylight-saving gap or overlap is
///   `"timestamp.dst-gap"` / `"timestamp.dst-overlap"`, and `zoneIdentifier` is the declared id.
///   With no declared zone the value is `"timestamp.missing-zone"`.
///
/// Pattern errors come from ``DateTimePattern/parse(_:dayMonthUnknown:)``; a pattern without a
/// time of day is `"profile.invalid-pattern"` (a date is not a timestamp). The result's
/// `originalText` is always the exact input.
/// - Parameters:
///   - text: The value exactly as read.
///   - rule: What the field declares.
/// - Returns: The timestamp, or a ``FieldError`` whose message never quotes the value.
public func resolveTimestamp(_ text: String, rule: TimestampRule) -> Result<Timestamp, FieldError> {
  if let unit = rule.epochUnit { return resolveEpoch(text, unit: unit) }
  guard let pattern = rule.pattern else {
    guard let zone = rule.zone else { return Timestamp.parseISO8601(text) }
    return relabel(Timestamp.parseISO8601(text, assumingZone: zone), rule.zoneIdentifier)
  }
  guard pattern.hasTime else {
    return .failure(
      FieldError(
        rule: "profile.invalid-pattern",
        message: "the declared pattern '\(pattern.pattern)' has no time of day, so it cannot give a timestamp"))
  }
  let parsed: ParsedDateTime
  switch pattern.parse(text, dayMonthUnknown: rule.dayMonthUnknown) {
  case .success(let value): parsed = value
  case .failure(let error): return .failure(error)
  }
  let local = parsed.local
  func instant(offset: Int) -> Instant {
    Instant(seconds: local.secondsAsIfUTC - Int64(offset), nanoseconds: Int32(local.nanosecond))
  }
  if let offset = parsed.offsetSeconds {
    return .success(
      Timestamp(
        instant: instant(offset: offset), originalText: text, originalOffsetSeconds: offset,
        zoneIdentifier: nil))
  }
  if let abbreviation = parsed.zoneAbbreviation {
    guard let offset = ZoneAbbreviation.offsetSeconds(for: abbreviation) else {
      return .failure(
        FieldError(
          rule: "timestamp.unknown-zone-abbreviation",
          message: "the zone abbreviation in the value is not in the documented abbreviation table"))
    }
    let moment = instant(offset: offset)
    if let zone = rule.zone, zone.offsetSeconds(atUTC: moment.seconds) != offset {
      return .failure(
        FieldError(
          rule: "timestamp.zone-contradiction",
          message:
            "the zone abbreviation in the value does not match the declared zone's offset on that date (e.g. EST during daylight-saving time)"
        ))
    }
    return .success(
      Timestamp(instant: moment, originalText: text, originalOffsetSeconds: offset, zoneIdentifier: nil))
  }
  guard let zone = rule.zone else {
    return .failure(
      FieldError(
        rule: "timestamp.missing-zone",
        message: "value has no zone offset or abbreviation and the profile declares no source zone"))
  }
  return relabel(Timestamp.resolve(local, in: zone, originalText: text), rule.zoneIdentifier)
}

/// Replaces the zone id a declared zone put into a timestamp with the rule's declared id.
private func relabel(_ result: Result<Timestamp, FieldError>, _ identifier: String?)
  -> Result<Timestamp, FieldError>
{
  guard let identifier, case .success(let stamp) = result, let current = stamp.zoneIdentifier,
    current != identifier
  else { return result }
  return .success(
    Timestamp(
      instant: stamp.instant, originalText: stamp.originalText,
      originalOffsetSeconds: stamp.originalOffsetSeconds, zoneIdentifier: identifier))
}

/// Reads an integer epoch in a declared unit.
private func resolveEpoch(_ text: String, unit: EpochUnit) -> Result<Timestamp, FieldError> {
  func invalid(_ message: String) -> Result<Timestamp, FieldError> {
    .failure(FieldError(rule: "timestamp.invalid", message: message))
  }
  var negative = false
  var digits = 0
  var magnitude: Int64 = 0
  var leadingZero = false
  for (k, b) in text.utf8.enumerated() {
    if k == 0 && b == 0x2D {
      negative = true
      continue
    }
    guard b &- 0x30 < 10 else {
      return invalid("epoch value must be digits only, with an optional leading '-'")
    }
    if digits == 0 && b == 0x30 { leadingZero = true }
    digits += 1
    if digits > 18 { break }
    magnitude = magnitude * 10 + Int64(b &- 0x30)
  }
  if digits == 0 { return invalid("epoch value has no digits") }
  if !unit.acceptedDigits.contains(digits) {
    return .failure(
      FieldError(
        rule: "timestamp.epoch-unit-mismatch",
        message:
          "epoch value has \(digits > 18 ? "more than 18" : String(digits)) digits but \(unit.rawValue) values have \(unit.acceptedDigits.lowerBound)-\(unit.acceptedDigits.upperBound)"
      ))
  }
  if leadingZero { return invalid("epoch value has a leading zero") }
  let value = negative ? -magnitude : magnitude
  var seconds = value / unit.perSecond
  var remainder = value % unit.perSecond
  if remainder < 0 {
    seconds -= 1
    remainder += unit.perSecond
  }
  let nanos = remainder * (1_000_000_000 / unit.perSecond)
  var days = seconds / 86_400
  if seconds % 86_400 < 0 { days -= 1 }
  guard CalendarDate(daysSinceEpoch: days) != nil else {
    return invalid("epoch value is outside the years 0001-9999")
  }
  return .success(
    Timestamp(
      instant: Instant(seconds: seconds, nanoseconds: Int32(nanos)), originalText: text,
      originalOffsetSeconds: 0, zoneIdentifier: nil))
}
