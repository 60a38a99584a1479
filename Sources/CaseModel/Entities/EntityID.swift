/// The identifier of an entity: a lower-case UUID string (CaseBridge derives UUIDv5 values; canonical inputs keep theirs).
public struct EntityID: RawRepresentable, Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
  /// The identifier text.
  public var rawValue: String
  /// Wraps an identifier text without checking it (checks belong to validation).
  public init(rawValue: String) { self.rawValue = rawValue }
  /// Wraps an identifier text.
  public init(_ rawValue: String) { self.rawValue = rawValue }
  /// The identifier text.
  public var description: String { rawValue }
  /// Orders identifiers by their text.
  public static func < (a: EntityID, b: EntityID) -> Bool { a.rawValue < b.rawValue }
  /// Decodes a bare string.
  public init(from decoder: any Decoder) throws {
    rawValue = try decoder.singleValueContainer().decode(String.self)
  }
  /// Encodes a bare string.
  public func encode(to encoder: any Encoder) throws {
    var c = encoder.singleValueContainer()
    try c.encode(rawValue)
  }

  /// Whether the text is a UUID in canonical lower-case 8-4-4-4-12 form.
  public var isCanonicalUUID: Bool {
    let u = Array(rawValue.utf8)
    guard u.count == 36 else { return false }
    for (i, c) in u.enumerated() {
      if i == 8 || i == 13 || i == 18 || i == 23 {
        if c != 0x2D { return false }
      } else if !((c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66)) {
        return false
      }
    }
    return true
  }
}
