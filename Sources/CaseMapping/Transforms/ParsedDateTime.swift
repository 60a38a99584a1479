public import CaseModel

/// What ``DateTimePattern/parse(_:dayMonthUnknown:)`` read from one value.
///
/// Nothing here is resolved yet: a local time becomes an instant only through its own offset,
/// its zone abbreviation or a declared zone (see ``resolveTimestamp(_:rule:)``).
public struct ParsedDateTime: Sendable, Hashable {
  /// The wall-clock date and time (midnight for a date-only pattern), with 12-hour clock
  /// values already converted (12 AM is 00, 12 PM is 12).
  public var local: LocalDateTime
  /// The numeric offset written in the value (`X`, `XX`, `XXX`; 0 for `Z`), in seconds east of UTC.
  public var offsetSeconds: Int?
  /// The zone abbreviation written in the value (`zzz`), exactly as written; not yet looked up.
  public var zoneAbbreviation: String?
  /// Whether day and month were read swapped relative to the pattern (only with `dayMonthUnknown`).
  public var dayMonthSwapped: Bool

  /// Creates a parse result from its parts.
  /// - Parameters:
  ///   - local: The wall-clock date and time.
  ///   - offsetSeconds: The numeric offset written in the value, if any.
  ///   - zoneAbbreviation: The zone abbreviation written in the value, if any.
  ///   - dayMonthSwapped: Whether day and month were swapped relative to the pattern.
  public init(
    local: LocalDateTime, offsetSeconds: Int? = nil, zoneAbbreviation: String? = nil,
    dayMonthSwapped: Bool = false
  ) {
    self.local = local
    self.offsetSeconds = offsetSeconds
    self.zoneAbbreviation = zoneAbbreviation
    self.dayMonthSwapped = dayMonthSwapped
  }
}
