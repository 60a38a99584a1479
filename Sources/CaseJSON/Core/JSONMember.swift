// One key/value pair of a JSON object. Standard library only.

/// One member of a JSON object: a key, its value, and where the key was in the input.
public struct JSONMember: Sendable, Equatable {
  /// The decoded key.
  public var key: String
  /// The member's value.
  public var value: JSONValue
  /// Byte offset of the key's opening quote, relative to the start of the parsed buffer
  /// (for splitter elements: relative to the element's bytes); 0 when built in code.
  public var keyOffset: Int

  /// Creates a member.
  ///
  /// - Parameters:
  ///   - key: The key.
  ///   - value: The value.
  ///   - keyOffset: Where the key's opening quote was in the parsed buffer; 0 when built in code.
  public init(key: String, value: JSONValue, keyOffset: Int = 0) {
    self.key = key
    self.value = value
    self.keyOffset = keyOffset
  }

  /// Exact equality of key (by scalars) and value; `keyOffset` is ignored.
  public static func == (lhs: JSONMember, rhs: JSONMember) -> Bool {
    _sameScalars(lhs.key, rhs.key) && lhs.value == rhs.value
  }
}
