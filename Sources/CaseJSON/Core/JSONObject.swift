// JSON objects with ordered, unique keys. Standard library only.

/// A JSON object: members in document order, keys unique.
///
/// The parser guarantees unique keys (compared by exact scalar sequence); an object built in
/// code is the caller's responsibility. Lookup is a linear scan (objects are small).
public struct JSONObject: Sendable, Equatable {
  /// The members in document order.
  public var members: [JSONMember]

  /// Creates an object from members (kept in the given order).
  ///
  /// - Parameter members: The members; the caller keeps the keys unique.
  public init(_ members: [JSONMember] = []) {
    self.members = members
  }

  /// The value of the member whose key has exactly the scalars of `key`, or nil.
  public subscript(key: String) -> JSONValue? {
    member(key)?.value
  }

  /// The member whose key has exactly the scalars of `key` (not canonical equivalence), or nil.
  ///
  /// - Parameter key: The key to look up.
  /// - Returns: The first member with that exact key, including its `keyOffset`.
  public func member(_ key: String) -> JSONMember? {
    for m in members where _sameScalars(m.key, key) { return m }
    return nil
  }

  /// The keys in document order.
  public var keys: [String] { members.map(\.key) }

  /// The number of members.
  public var count: Int { members.count }

  /// True when the object has no members.
  public var isEmpty: Bool { members.isEmpty }

  /// Members compared in order, ignoring `keyOffset`.
  public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
    lhs.members == rhs.members
  }
}
