// The JSON value model of the strict layer. Standard library only.

/// A parsed JSON value.
///
/// Equality is exact: strings and keys compare by their Unicode scalar sequence (UTF-8
/// bytes), not by Swift's canonical equivalence, so NFC and NFD spellings are different
/// values; numbers compare by literal text (`1.0` != `1`); object members compare in order,
/// ignoring `JSONMember.keyOffset`.
public enum JSONValue: Sendable, Equatable {
  /// `null`.
  case null
  /// `true` or `false`.
  case bool(Bool)
  /// A number, kept as its exact literal text.
  case number(JSONNumber)
  /// A string, decoded from its escapes.
  case string(String)
  /// An array, in document order.
  case array([JSONValue])
  /// An object, members in document order.
  case object(JSONObject)

  /// Exact structural equality (see the type's documentation).
  public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
    switch (lhs, rhs) {
    case (.null, .null): return true
    case (.bool(let a), .bool(let b)): return a == b
    case (.number(let a), .number(let b)): return a == b
    case (.string(let a), .string(let b)): return _sameScalars(a, b)
    case (.array(let a), .array(let b)): return a == b
    case (.object(let a), .object(let b)): return a == b
    default: return false
    }
  }

  /// A short name of the value's JSON type for diagnostics: null, boolean, number, string, array, object.
  public var typeName: String {
    switch self {
    case .null: return "null"
    case .bool: return "boolean"
    case .number: return "number"
    case .string: return "string"
    case .array: return "array"
    case .object: return "object"
    }
  }

  /// True for `null`.
  public var isNull: Bool {
    if case .null = self { return true }
    return false
  }

  /// The payload of `.bool`, else nil.
  public var boolValue: Bool? {
    if case .bool(let b) = self { return b }
    return nil
  }

  /// The payload of `.number`, else nil.
  public var numberValue: JSONNumber? {
    if case .number(let n) = self { return n }
    return nil
  }

  /// The payload of `.string`, else nil.
  public var stringValue: String? {
    if case .string(let s) = self { return s }
    return nil
  }

  /// The payload of `.array`, else nil.
  public var arrayValue: [JSONValue]? {
    if case .array(let a) = self { return a }
    return nil
  }

  /// The payload of `.object`, else nil.
  public var objectValue: JSONObject? {
    if case .object(let o) = self { return o }
    return nil
  }
}
