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

/// A JSON number kept as its exact literal text (validated RFC 8259 syntax).
///
/// Nothing is rounded on the way in: `12345678901234567890` and `0.1000000000000000055`
/// keep every digit. Conversions are explicit and exact where they claim to be.
public struct JSONNumber: Sendable, Hashable, CustomStringConvertible {
  /// The literal exactly as written, e.g. `-0`, `1.50`, `6.02E+23`.
  public let literal: String

  /// Creates a number from a literal, or nil if it is not RFC 8259 number syntax.
  ///
  /// Only syntax is checked; `JSONParser` additionally enforces `maxNumberLength` and rejects
  /// literals such as `1e400` whose magnitude overflows a Double.
  public init?(literal: String) {
    var copy = literal
    let ok = copy.withUTF8 { u -> Bool in
      guard let base = u.baseAddress else { return false }
      return _scanNumberSyntax(base, 0, u.count) != nil
    }
    guard ok else { return nil }
    self.literal = copy
  }

  /// Creates the integer literal of `value`.
  public init(_ value: Int64) {
    self.literal = String(value)
  }

  /// Wraps a literal that the caller already validated.
  init(uncheckedLiteral: String) {
    self.literal = uncheckedLiteral
  }

  /// True when the literal has no fraction and no exponent (`-0` included).
  public var isInteger: Bool {
    for b in literal.utf8 where b == 0x2E || b == 0x65 || b == 0x45 { return false }
    return true
  }

  /// The exact Int64 value, or nil on a fraction, an exponent or overflow.
  ///
  /// `1.0` and `1e2` are nil even though they denote integers: the literal is not an integer literal.
  public var int64Value: Int64? {
    var negative = false
    var acc: Int64 = 0  // accumulated as a negative number so Int64.min fits
    var sawDigit = false
    for b in literal.utf8 {
      if b == 0x2D, !sawDigit, !negative {
        negative = true
        continue
      }
      guard b >= 0x30, b <= 0x39 else { return nil }
      sawDigit = true
      let (m, o1) = acc.multipliedReportingOverflow(by: 10)
      let (s, o2) = m.subtractingReportingOverflow(Int64(b &- 0x30))
      if o1 || o2 { return nil }
      acc = s
    }
    guard sawDigit else { return nil }
    if negative { return acc }
    if acc == Int64.min { return nil }
    return -acc
  }

  /// The nearest Double, or nil if it is not finite (e.g. `1e400`).
  public var doubleValue: Double? {
    guard let d = Double(literal), d.isFinite else { return nil }
    return d
  }

  /// The literal.
  public var description: String { literal }
}

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

/// A JSON object: members in document order, keys unique.
///
/// The parser guarantees unique keys (compared by exact scalar sequence); an object built in
/// code is the caller's responsibility. Lookup is a linear scan (objects are small).
public struct JSONObject: Sendable, Equatable {
  /// The members in document order.
  public var members: [JSONMember]

  /// Creates an object from members (kept in the given order).
  public init(_ members: [JSONMember] = []) {
    self.members = members
  }

  /// The value of the member whose key has exactly the scalars of `key`, or nil.
  public subscript(key: String) -> JSONValue? {
    member(key)?.value
  }

  /// The member whose key has exactly the scalars of `key` (not canonical equivalence), or nil.
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

/// True when both strings hold the same Unicode scalars (same UTF-8 bytes).
@inline(__always)
func _sameScalars(_ a: String, _ b: String) -> Bool {
  let au = a.utf8
  let bu = b.utf8
  let n = au.count
  guard n == bu.count else { return false }
  let compared: Bool?? = au.withContiguousStorageIfAvailable { pa in
    bu.withContiguousStorageIfAvailable { pb in
      guard let x = pa.baseAddress, let y = pb.baseAddress else { return true }
      var k = 0
      while k < n {
        if x[k] != y[k] { return false }
        k &+= 1
      }
      return true
    }
  }
  if let outer = compared, let result = outer { return result }
  return au.elementsEqual(bu)
}

/// A String key hashed and compared by its UTF-8 bytes (not canonical equivalence).
struct _ByteKey: Hashable, Sendable {
  let string: String

  init(_ string: String) { self.string = string }

  static func == (lhs: _ByteKey, rhs: _ByteKey) -> Bool { _sameScalars(lhs.string, rhs.string) }

  func hash(into hasher: inout Hasher) {
    let done: Void? = string.utf8.withContiguousStorageIfAvailable { buf in
      hasher.combine(bytes: UnsafeRawBufferPointer(buf))
    }
    if done == nil {
      for b in string.utf8 { hasher.combine(b) }
    }
    hasher.combine(string.utf8.count)
  }
}

/// Scans RFC 8259 number syntax in `p[start..<end]`, which must be the whole token.
///
/// Returns whether the literal has a fraction or exponent (flags), or nil when invalid.
@inline(__always)
func _scanNumberSyntax(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int)
  -> (hasFraction: Bool, hasExponent: Bool)?
{
  var k = start
  if k < end, p[k] == 0x2D { k &+= 1 }
  guard k < end else { return nil }
  if p[k] == 0x30 {
    k &+= 1
  } else if p[k] >= 0x31, p[k] <= 0x39 {
    k &+= 1
    while k < end, p[k] &- 0x30 < 10 { k &+= 1 }
  } else {
    return nil
  }
  var hasFraction = false
  var hasExponent = false
  if k < end, p[k] == 0x2E {
    hasFraction = true
    k &+= 1
    let digitsStart = k
    while k < end, p[k] &- 0x30 < 10 { k &+= 1 }
    guard k > digitsStart else { return nil }
  }
  if k < end, p[k] == 0x65 || p[k] == 0x45 {
    hasExponent = true
    k &+= 1
    if k < end, p[k] == 0x2B || p[k] == 0x2D { k &+= 1 }
    let digitsStart = k
    while k < end, p[k] &- 0x30 < 10 { k &+= 1 }
    guard k > digitsStart else { return nil }
  }
  guard k == end else { return nil }
  return (hasFraction, hasExponent)
}
