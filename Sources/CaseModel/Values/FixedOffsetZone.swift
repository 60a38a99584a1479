/// A zone with one constant UTC offset and no daylight-saving time.
public struct FixedOffsetZone: ZoneRules, Hashable {
  /// The constant offset in seconds east of UTC.
  public let offsetSeconds: Int

  /// Creates a zone with a constant offset.
  /// - Parameter offsetSeconds: Seconds east of UTC, e.g. 7200 for `+02:00`.
  public init(offsetSeconds: Int) {
    self.offsetSeconds = offsetSeconds
  }

  /// The offset as `±HH:MM` (`±HH:MM:SS` if it has seconds), e.g. `"+02:00"`, `"+00:00"`.
  public var identifier: String { Self.offsetText(offsetSeconds) }

  /// The constant offset, whatever the instant.
  /// - Parameter seconds: Ignored.
  /// - Returns: ``offsetSeconds``.
  public func offsetSeconds(atUTC seconds: Int64) -> Int { offsetSeconds }

  /// Formats an offset as `±HH:MM`, or `±HH:MM:SS` when it has seconds.
  static func offsetText(_ offset: Int) -> String {
    var out: [UInt8] = []
    out.reserveCapacity(9)
    out.append(offset < 0 ? ASCIIByte.hyphen : ASCIIByte.plus)
    let m = Int64(offset.magnitude)
    ASCIIByte.appendDecimal(m / 3600, width: 2, to: &out)
    out.append(ASCIIByte.colon)
    ASCIIByte.appendDecimal(m / 60 % 60, width: 2, to: &out)
    if m % 60 != 0 {
      out.append(ASCIIByte.colon)
      ASCIIByte.appendDecimal(m % 60, width: 2, to: &out)
    }
    return String(decoding: out, as: UTF8.self)
  }
}
