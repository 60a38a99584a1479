public import CaseModel

/// A decoding failure with the JSON Pointer of the field where it happened.
public struct JSONFieldError: Error, Sendable {
  /// Rule id (`ip.invalid`, `field.missing`, `field.type-mismatch`, `field.invalid-value`, ...).
  public var rule: String
  /// What is wrong, without values.
  public var message: String
  /// JSON Pointer of the field, relative to the decoded value (`/ip`, `/hashes/0/hex`).
  public var pointer: String
  /// The offending value, only for `--include-values`.
  public var value: String?
}

/// Decodes `Decodable` values from `JSONValue` trees, strictly: integers must be exact, absent arrays are empty,
/// and every member of every object must be consumed by the type (`unknownMembers` lists the rest).
public struct JSONValueDecoder: Sendable {
  /// Creates a decoder.
  public init() {}

  /// Decodes a value and reports object members that the type did not read.
  /// - Returns: the value and the JSON Pointers of members the type does not know.
  /// - Throws: `JSONFieldError`.
  public func decode<T: Decodable>(_ type: T.Type, from value: JSONValue) throws(JSONFieldError) -> (T, [String]) {
    let tracker = MemberTracker()
    do {
      let v = try T(from: NodeDecoder(value: value, codingPath: [], tracker: tracker))
      return (v, tracker.unknownMembers())
    } catch let e as JSONFieldError {
      throw e
    } catch let e as LocatedError {
      throw e.fieldError
    } catch let e as FieldError {
      throw JSONFieldError(rule: e.rule, message: e.message, pointer: "", value: nil)
    } catch let e as DecodingError {
      throw mapDecodingError(e)
    } catch {
      throw JSONFieldError(rule: "field.invalid-value", message: "value cannot be decoded", pointer: "", value: nil)
    }
  }
}

/// Escapes one JSON Pointer reference token (RFC 6901).
func pointerToken(_ s: String) -> String {
  var out = ""
  for ch in s {
    if ch == "~" { out += "~0" } else if ch == "/" { out += "~1" } else { out.append(ch) }
  }
  return out
}

func pointer(_ path: [any CodingKey]) -> String {
  path.map { "/" + pointerToken($0.intValue.map(String.init) ?? $0.stringValue) }.joined()
}

struct LocatedError: Error {
  var fieldError: JSONFieldError
}

private func mapDecodingError(_ e: DecodingError) -> JSONFieldError {
  switch e {
  case .keyNotFound(let key, let ctx):
    return JSONFieldError(rule: "field.missing", message: "required member '\(key.stringValue)' is missing", pointer: pointer(ctx.codingPath + [key]))
  case .typeMismatch(_, let ctx):
    return JSONFieldError(rule: "field.type-mismatch", message: ctx.debugDescription, pointer: pointer(ctx.codingPath))
  case .valueNotFound(_, let ctx):
    return JSONFieldError(rule: "field.type-mismatch", message: "null where a value is required", pointer: pointer(ctx.codingPath))
  case .dataCorrupted(let ctx):
    return JSONFieldError(rule: "field.invalid-value", message: "value is not one of the allowed values", pointer: pointer(ctx.codingPath))
  @unknown default:
    return JSONFieldError(rule: "field.invalid-value", message: "value cannot be decoded", pointer: "")
  }
}

/// Which members of one decoded object were read (one per keyed container).
final class UsedMembers {
  let object: JSONObject
  let codingPath: [any CodingKey]
  var used: [Bool]
  init(_ object: JSONObject, _ codingPath: [any CodingKey]) {
    self.object = object
    self.codingPath = codingPath
    used = [Bool](repeating: false, count: object.members.count)
  }
  /// The member for a key, marking it read.
  @inline(__always) func take(_ key: String) -> JSONValue? {
    for i in object.members.indices where object.members[i].key == key {
      used[i] = true
      return object.members[i].value
    }
    return nil
  }
}

/// Records which members of each decoded object were read. Pointers are built only at the end, for the few
/// objects a record has.
final class MemberTracker {
  private var containers: [UsedMembers] = []

  func register(_ object: JSONObject, _ codingPath: [any CodingKey]) -> UsedMembers {
    let u = UsedMembers(object, codingPath)
    containers.append(u)
    return u
  }

  func unknownMembers() -> [String] {
    // Several containers can read one object (an entity's `type`, then its fields): union them by path.
    var byPath: [String: (keys: [String], used: [Bool])] = [:]
    var order: [String] = []
    for c in containers {
      let p = pointer(c.codingPath)
      if var e = byPath[p] {
        for i in e.used.indices where i < c.used.count && c.used[i] { e.used[i] = true }
        byPath[p] = e
      } else {
        byPath[p] = (c.object.keys, c.used)
        order.append(p)
      }
    }
    var out: [String] = []
    for p in order {
      let e = byPath[p]!
      for (i, k) in e.keys.enumerated() where !e.used[i] { out.append(p + "/" + pointerToken(k)) }
    }
    return out
  }
}

struct NodeDecoder: Decoder {
  let value: JSONValue
  let codingPath: [any CodingKey]
  let tracker: MemberTracker
  var userInfo: [CodingUserInfoKey: Any] { [:] }

  func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
    guard case .object(let o) = value else {
      throw DecodingError.typeMismatch(
        JSONObject.self, .init(codingPath: codingPath, debugDescription: "expected an object"))
    }
    let members = tracker.register(o, codingPath)
    return KeyedDecodingContainer(KeyedNodeDecoder<Key>(members: members, codingPath: codingPath, tracker: tracker))
  }
  func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
    guard case .array(let a) = value else {
      throw DecodingError.typeMismatch(
        [JSONValue].self, .init(codingPath: codingPath, debugDescription: "expected an array"))
    }
    return UnkeyedNodeDecoder(items: a, codingPath: codingPath, tracker: tracker)
  }
  func singleValueContainer() throws -> any SingleValueDecodingContainer {
    SingleNodeDecoder(value: value, codingPath: codingPath, tracker: tracker)
  }
}

/// Decodes a value at a path, attaching the path to field errors thrown by value types.
func decodeValue<T: Decodable>(_ type: T.Type, _ value: JSONValue, path: [any CodingKey], tracker: MemberTracker) throws -> T {
  if let p = try decodePrimitive(type, value, path: path) { return p }
  do {
    return try T(from: NodeDecoder(value: value, codingPath: path, tracker: tracker))
  } catch let e as FieldError {
    throw LocatedError(fieldError: JSONFieldError(rule: e.rule, message: e.message, pointer: pointer(path), value: scalarText(value)))
  }
}

private func scalarText(_ v: JSONValue) -> String? {
  switch v {
  case .string(let s): return s
  case .number(let n): return n.literal
  case .bool(let b): return b ? "true" : "false"
  default: return nil
  }
}

private func mismatch(_ what: String, _ path: [any CodingKey]) -> DecodingError {
  .typeMismatch(Any.self, .init(codingPath: path, debugDescription: "expected \(what)"))
}

/// Decodes the primitive types directly; nil for everything else.
private func decodePrimitive<T>(_ type: T.Type, _ value: JSONValue, path: [any CodingKey]) throws -> T? {
  if T.self == String.self {
    guard case .string(let s) = value else { throw mismatch("a string", path) }
    return (s as! T)
  }
  if T.self == Bool.self {
    guard case .bool(let b) = value else { throw mismatch("true or false", path) }
    return (b as! T)
  }
  if T.self == Int.self {
    guard case .number(let n) = value, let i = n.int64Value else { throw mismatch("an exact integer", path) }
    return (Int(i) as! T)
  }
  if T.self == Int64.self {
    guard case .number(let n) = value, let i = n.int64Value else { throw mismatch("an exact integer", path) }
    return (i as! T)
  }
  if T.self == Double.self {
    guard case .number(let n) = value, let d = n.doubleValue else { throw mismatch("a number", path) }
    return (d as! T)
  }
  if T.self == JSONValue.self { return (value as! T) }
  // Everything else that is not a number is decoded by its own init(from:).
  guard case .number = value else { return nil }
  if let intType = T.self as? any FixedWidthInteger.Type {
    guard case .number(let n) = value else { throw mismatch("an integer", path) }
    guard let i = n.int64Value, let v = intType.init(exactly: i) else { throw mismatch("an exact integer in range", path) }
    return (v as! T)
  }
  if T.self == Float.self {
    guard case .number(let n) = value, let d = n.doubleValue else { throw mismatch("a number", path) }
    return (Float(d) as! T)
  }
  if T.self == Double.self {
    guard case .number(let n) = value, let d = n.doubleValue else { throw mismatch("a number", path) }
    return (d as! T)
  }
  if T.self == JSONValue.self { return (value as! T) }
  return nil
}

struct KeyedNodeDecoder<Key: CodingKey>: KeyedDecodingContainerProtocol {
  let members: UsedMembers
  let codingPath: [any CodingKey]
  let tracker: MemberTracker

  var allKeys: [Key] { members.object.keys.compactMap { Key(stringValue: $0) } }
  func contains(_ key: Key) -> Bool { members.take(key.stringValue) != nil }
  func decodeNil(forKey key: Key) throws -> Bool {
    guard let v = members.take(key.stringValue) else { return true }
    return v == .null
  }
  func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
    guard let v = members.take(key.stringValue) else {
      if let empty = T.self as? any EmptyDefaultable.Type { return empty.emptyValue as! T }
      throw DecodingError.keyNotFound(key, .init(codingPath: codingPath, debugDescription: "missing"))
    }
    if case .null = v {
      throw DecodingError.valueNotFound(T.self, .init(codingPath: codingPath + [key], debugDescription: "null"))
    }
    return try decodeValue(type, v, path: codingPath + [key], tracker: tracker)
  }
  func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
    guard let v = members.take(key.stringValue) else { return nil }
    if case .null = v { return nil }
    return try decodeValue(type, v, path: codingPath + [key], tracker: tracker)
  }
  func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws
    -> KeyedDecodingContainer<NestedKey>
  {
    try NodeDecoder(value: members.take(key.stringValue) ?? .null, codingPath: codingPath + [key], tracker: tracker)
      .container(keyedBy: type)
  }
  func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
    try NodeDecoder(value: members.take(key.stringValue) ?? .null, codingPath: codingPath + [key], tracker: tracker)
      .unkeyedContainer()
  }
  func superDecoder() throws -> any Decoder {
    NodeDecoder(value: .object(members.object), codingPath: codingPath, tracker: tracker)
  }
  func superDecoder(forKey key: Key) throws -> any Decoder {
    NodeDecoder(value: members.take(key.stringValue) ?? .null, codingPath: codingPath + [key], tracker: tracker)
  }
}

struct UnkeyedNodeDecoder: UnkeyedDecodingContainer {
  let items: [JSONValue]
  let codingPath: [any CodingKey]
  let tracker: MemberTracker
  var currentIndex = 0
  var count: Int? { items.count }
  var isAtEnd: Bool { currentIndex >= items.count }

  init(items: [JSONValue], codingPath: [any CodingKey], tracker: MemberTracker) {
    self.items = items
    self.codingPath = codingPath
    self.tracker = tracker
  }

  private mutating func nextValue() throws -> (JSONValue, [any CodingKey]) {
    guard !isAtEnd else {
      throw DecodingError.valueNotFound(Any.self, .init(codingPath: codingPath, debugDescription: "array ended"))
    }
    defer { currentIndex += 1 }
    return (items[currentIndex], codingPath + [IndexKey(currentIndex)])
  }
  mutating func decodeNil() throws -> Bool {
    guard !isAtEnd else { return false }
    if items[currentIndex] == .null {
      currentIndex += 1
      return true
    }
    return false
  }
  mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
    let (v, p) = try nextValue()
    if v == .null { throw DecodingError.valueNotFound(T.self, .init(codingPath: p, debugDescription: "null")) }
    return try decodeValue(type, v, path: p, tracker: tracker)
  }
  mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
    let (v, p) = try nextValue()
    return try NodeDecoder(value: v, codingPath: p, tracker: tracker).container(keyedBy: type)
  }
  mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
    let (v, p) = try nextValue()
    return try NodeDecoder(value: v, codingPath: p, tracker: tracker).unkeyedContainer()
  }
  mutating func superDecoder() throws -> any Decoder {
    let (v, p) = try nextValue()
    return NodeDecoder(value: v, codingPath: p, tracker: tracker)
  }
}

struct SingleNodeDecoder: SingleValueDecodingContainer {
  let value: JSONValue
  let codingPath: [any CodingKey]
  let tracker: MemberTracker
  func decodeNil() -> Bool { value == .null }
  func decode<T: Decodable>(_ type: T.Type) throws -> T {
    if let p = try decodePrimitive(type, value, path: codingPath) { return p }
    return try T(from: NodeDecoder(value: value, codingPath: codingPath, tracker: tracker))
  }
}
