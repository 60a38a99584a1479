/// A point in time parsed from text, keeping the original text and offset as evidence.
///
/// The ``instant`` is what gets compared and stored (as UTC with `Z`); ``originalText`` and
/// ``originalOffsetSeconds`` preserve what the source said, which an `Instant` alone loses.
public struct Timestamp: Sendable, Hashable {
  /// The instant on the UTC time line.
  public let instant: Instant
  /// The text exactly as given.
  public let originalText: String
  /// The offset written in the text (0 for `Z`), or the one the declared zone gave.
  public let originalOffsetSeconds: Int?
  /// The identifier of the caller-declared zone that resolved a local time, if one did.
  public let zoneIdentifier: String?

  /// Creates a timestamp from its parts.
  /// - Parameters:
  ///   - instant: The instant.
  ///   - originalText: The source text.
  ///   - originalOffsetSeconds: The offset the text or zone gave, if known.
  ///   - zoneIdentifier: The declared zone's identifier, if a zone resolved the time.
  public init(
    instant: Instant, originalText: String, originalOffsetSeconds: Int?, zoneIdentifier: String?
  ) {
    self.instant = instant
    self.originalText = originalText
    self.originalOffsetSeconds = originalOffsetSeconds
    self.zoneIdentifier = zoneIdentifier
  }

  /// The instant as UTC ISO 8601 text with `Z` (see ``Instant/iso8601``).
  public var utcText: String { instant.iso8601 }

  /// The original offset as text: `"Z"` when the text said `Z`, otherwise `±HH:MM`
  /// (`"+00:00"` for a numeric zero offset); nil when no offset is known.
  public var originalOffsetText: String? {
    guard let offset = originalOffsetSeconds else { return nil }
    if offset == 0 && zoneIdentifier == nil && originalText.utf8.last == 0x5A { return "Z" }
    return FixedOffsetZone.offsetText(offset)
  }

  /// Parses strict ISO 8601 / RFC 3339: `YYYY-MM-DDTHH:MM:SS[.1-9 digits](Z|±HH:MM)`.
  ///
  /// Rejected as `"timestamp.invalid"`: lower-case `t` or `z`, a space separator, basic offsets
  /// (`+0200`), text after the offset (`+01:00Z`, ` UTC`), `24:00`, second `60`, days that do not
  /// exist (`2024-02-30`), month 13, year 0000, offsets beyond ±23:59, a decimal comma and more
  /// than nine fraction digits. A value that is well-formed but has no offset is
  /// `"timestamp.missing-zone"`.
  /// - Parameter text: The timestamp text.
  /// - Returns: The timestamp, or a ``FieldError``.
  public static func parseISO8601(_ text: String) -> Result<Timestamp, FieldError> {
    var copy = text
    return copy.withUTF8 { buf -> Result<Timestamp, FieldError> in
      switch ISO8601Scanner.scan(buf) {
      case .failure(let error):
        return .failure(error)
      case .success(let parsed):
        if let stamp = withExplicitOffset(parsed, text: text) { return .success(stamp) }
        return .failure(
          FieldError(
            rule: "timestamp.missing-zone",
            message: "timestamp has no zone offset (Z or ±HH:MM) and no source zone was declared"))
      }
    }
  }

  /// Parses like ``parseISO8601(_:)``, resolving a value without an offset in a declared zone.
  ///
  /// A value with an explicit offset keeps it and the zone is ignored. A local time that the
  /// zone skips is `"timestamp.dst-gap"`; one that it repeats is `"timestamp.dst-overlap"`:
  /// neither is ever resolved silently.
  /// - Parameters:
  ///   - text: The timestamp text.
  ///   - zone: The zone the source declared (e.g. "all times America/New_York").
  /// - Returns: The timestamp, or a ``FieldError``.
  public static func parseISO8601(_ text: String, assumingZone zone: any ZoneRules)
    -> Result<Timestamp, FieldError>
  {
    var copy = text
    return copy.withUTF8 { buf -> Result<Timestamp, FieldError> in
      switch ISO8601Scanner.scan(buf) {
      case .failure(let error):
        return .failure(error)
      case .success(let parsed):
        if let stamp = withExplicitOffset(parsed, text: text) { return .success(stamp) }
        return resolve(parsed.local, in: zone, originalText: text)
      }
    }
  }

  /// Resolves an already-parsed local time in a declared zone.
  /// - Parameters:
  ///   - local: The wall-clock time.
  ///   - zone: The zone the source declared.
  ///   - originalText: The source text, kept as evidence.
  /// - Returns: The timestamp, or a ``FieldError`` with rule `"timestamp.dst-gap"` or
  ///   `"timestamp.dst-overlap"`.
  public static func resolve(_ local: LocalDateTime, in zone: any ZoneRules, originalText: String)
    -> Result<Timestamp, FieldError>
  {
    switch resolveLocalTime(local, in: zone) {
    case .unique(let offset):
      return .success(
        Timestamp(
          instant: Instant(
            seconds: local.secondsAsIfUTC - Int64(offset), nanoseconds: Int32(local.nanosecond)),
          originalText: originalText, originalOffsetSeconds: offset,
          zoneIdentifier: zone.identifier))
    case .gap:
      return .failure(
        FieldError(
          rule: "timestamp.dst-gap",
          message: "local time does not exist in the declared zone (daylight-saving gap)"))
    case .overlap:
      return .failure(
        FieldError(
          rule: "timestamp.dst-overlap",
          message: "local time occurs twice in the declared zone (daylight-saving overlap)"))
    }
  }

  private static func withExplicitOffset(_ parsed: ISO8601Scanner.Parsed, text: String)
    -> Timestamp?
  {
    let offset: Int
    switch parsed.offset {
    case .none: return nil
    case .utc: offset = 0
    case .numeric(let seconds): offset = seconds
    }
    return Timestamp(
      instant: Instant(
        seconds: parsed.secondsAsIfUTC - Int64(offset), nanoseconds: Int32(parsed.nanosecond)),
      originalText: text, originalOffsetSeconds: offset, zoneIdentifier: nil)
  }
}
