public import CaseModel
import Foundation

/// Zone rules for an IANA time-zone id, backed by Foundation's `TimeZone` (the system tzdata).
///
/// Only real IANA region ids (containing `/`, such as `"America/New_York"`) and `"UTC"` /
/// `"Etc/UTC"` are accepted. Abbreviations such as `"EST"` or `"CET"` are rejected even though
/// Foundation resolves some of them: they are ambiguous and cannot express daylight-saving rules.
public struct FoundationZoneRules: ZoneRules {
  /// The IANA id as given, e.g. `"Europe/Berlin"`.
  public let identifier: String
  /// The offset lookup, captured so the public type does not expose Foundation.
  private let lookup: @Sendable (Int64) -> Int

  /// Creates zone rules for an IANA id, or returns nil for an unknown id or an abbreviation.
  /// - Parameter identifier: An IANA id such as `"America/New_York"`, or `"UTC"` / `"Etc/UTC"`.
  public init?(identifier: String) {
    guard identifier == "UTC" || identifier == "Etc/UTC" || identifier.utf8.contains(0x2F)
    else { return nil }
    guard let zone = TimeZone(identifier: identifier) else { return nil }
    self.identifier = identifier
    self.lookup = { seconds in
      zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(seconds)))
    }
  }

  /// The offset in seconds east of UTC that the zone uses at the given instant.
  /// - Parameter seconds: Seconds since 1970-01-01T00:00:00Z.
  /// - Returns: The offset in seconds.
  public func offsetSeconds(atUTC seconds: Int64) -> Int { lookup(seconds) }
}
