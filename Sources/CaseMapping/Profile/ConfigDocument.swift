public import CaseJSON

/// A configuration document (JSON, or YAML when the name ends in `.yaml`/`.yml`) read with the same strict rules as
/// profiles: YAML anchors and aliases, duplicate keys and documents over 4 MiB are refused. Used by `batch --config`.
public struct ConfigDocument: Sendable {
  /// The document as a JSON tree.
  public var root: JSONValue
  /// Line and column of each member's key, by `JSONMember.keyOffset`.
  private let positions: [TextPosition]
  private let bytes: [UInt8]
  private let isYAML: Bool

  /// Parses a document.
  /// - Throws: `ProfileError` (rule `profile.syntax` or `profile.invalid`), located.
  public init(bytes: [UInt8], source: String) throws(ProfileError) {
    let lower = source.lowercased()
    if lower.hasSuffix(".yaml") || lower.hasSuffix(".yml") {
      let (root, marks) = try YAMLProfileReader.read(bytes, source: source)
      self.root = root
      positions = marks
      self.bytes = []
      isYAML = true
      return
    }
    var limits = JSONLimits()
    limits.maxDocumentBytes = 4 << 20
    do {
      root = try JSONParser(limits: limits).parse(bytes)
    } catch {
      throw ProfileError(source: source, line: error.line, column: error.column, message: error.message, rule: "profile.syntax")
    }
    positions = []
    self.bytes = bytes
    isYAML = false
  }

  /// The line and column of a member's key.
  public func position(of member: JSONMember) -> TextPosition {
    if isYAML { return member.keyOffset < positions.count ? positions[member.keyOffset] : .start }
    return bytes.withUnsafeBytes { textPosition(of: member.keyOffset, in: $0, startingAt: .start) }
  }
}
