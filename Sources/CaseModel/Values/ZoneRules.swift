/// The UTC-offset rules of a time zone: what offset applied at a given instant.
///
/// `CaseModel` has no time-zone database; conformances come from elsewhere (for example
/// `FoundationZoneRules` in `CaseInterchange`, built from an IANA id), or ``FixedOffsetZone``.
public protocol ZoneRules: Sendable {
  /// The zone's identifier, e.g. `"America/New_York"` or `"+02:00"`.
  var identifier: String { get }
  /// The offset from UTC, in seconds east, in effect at the given instant.
  /// - Parameter seconds: Seconds since 1970-01-01T00:00:00Z.
  /// - Returns: The offset in seconds (e.g. -18000 for UTC-05:00).
  func offsetSeconds(atUTC seconds: Int64) -> Int
}
