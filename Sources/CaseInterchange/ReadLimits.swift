/// Bounds on what a reader accepts, so hostile input cannot exhaust memory or time.
public struct ReadLimits: Sendable, Hashable {
  /// Largest record (a JSON Lines line, a bundle entity) in bytes; larger ones are quarantined.
  public var maxRecordBytes: Int = 16 << 20
  /// Deepest nesting of arrays and objects in one record.
  public var maxDepth: Int = 64
  /// Largest single string value in bytes.
  public var maxFieldBytes: Int = 1 << 20
  /// Largest input in bytes (0 = no limit).
  public var maxInputBytes: Int = 0
  /// Creates the default limits.
  public init() {}
}
