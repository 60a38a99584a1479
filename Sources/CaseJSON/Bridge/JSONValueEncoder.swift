public import CaseModel

/// Encodes `Encodable` values into `JSONValue` trees with a fixed member order (declaration order), so the bytes
/// written from them are deterministic. `nil` optionals and empty arrays are left out.
public struct JSONValueEncoder: Sendable {
  /// Creates an encoder.
  public init() {}

  /// Encodes a value.
  /// - Throws: whatever the value's `encode(to:)` throws.
  public func encode<T: Encodable>(_ value: T) throws -> JSONValue {
    let root = EncodingNode()
    try value.encode(to: NodeEncoder(node: root, codingPath: []))
    return root.jsonValue
  }
}

final class EncodingNode {
  enum State {
    case unset
    case value(JSONValue)
    case object([(String, EncodingNode)])
    case array([EncodingNode])
  }
  var state: State = .unset

  var jsonValue: JSONValue {
    switch state {
    case .unset: return .object(JSONObject())
    case .value(let v): return v
    case .object(let members):
      return .object(JSONObject(members.map { JSONMember(key: $0.0, value: $0.1.jsonValue) }))
    case .array(let items): return .array(items.map(\.jsonValue))
    }
  }

  func setMember(_ key: String, _ node: EncodingNode) {
    if case .object(var members) = state {
      if let i = members.firstIndex(where: { $0.0 == key }) {
        members[i].1 = node
      } else {
        members.append((key, node))
      }
      state = .object(members)
    } else {
      state = .object([(key, node)])
    }
  }

  func append(_ node: EncodingNode) {
    if case .array(var items) = state {
      items.append(node)
      state = .array(items)
    } else {
      state = .array([node])
    }
  }
}

struct NodeEncoder: Encoder {
  let node: EncodingNode
  let codingPath: [any CodingKey]
  var userInfo: [CodingUserInfoKey: Any] { [:] }

  func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
    if case .object = node.state {} else { node.state = .object([]) }
    return KeyedEncodingContainer(KeyedNodeEncoder<Key>(node: node, codingPath: codingPath))
  }
  func unkeyedContainer() -> any UnkeyedEncodingContainer {
    if case .array = node.state {} else { node.state = .array([]) }
    return UnkeyedNodeEncoder(node: node, codingPath: codingPath)
  }
  func singleValueContainer() -> any SingleValueEncodingContainer {
    SingleNodeEncoder(node: node, codingPath: codingPath)
  }
}

/// Encodes one value into a fresh node, or nil when it is an empty array (canonical JSON leaves those out).
private func encodeChild<T: Encodable>(_ value: T, path: [any CodingKey]) throws -> EncodingNode? {
  let child = EncodingNode()
  if let v = primitive(value) {
    child.state = .value(v)
  } else {
    try value.encode(to: NodeEncoder(node: child, codingPath: path))
    if case .array(let items) = child.state, items.isEmpty { return nil }
  }
  return child
}

/// The JSON of a primitive value, or nil for types that encode themselves. Metatype comparisons only: dynamic
/// casts per value cost more than the rest of encoding.
@inline(__always) private func primitive<T>(_ value: T) -> JSONValue? {
  if T.self == String.self { return .string(unsafeBitCast(value, to: String.self)) }
  if T.self == EntityID.self { return .string(unsafeBitCast(value, to: EntityID.self).rawValue) }
  if T.self == Bool.self { return .bool(unsafeBitCast(value, to: Bool.self)) }
  if T.self == Int.self { return .number(JSONNumber(Int64(unsafeBitCast(value, to: Int.self)))) }
  if T.self == Int64.self { return .number(JSONNumber(unsafeBitCast(value, to: Int64.self))) }
  if T.self == Int32.self { return .number(JSONNumber(Int64(unsafeBitCast(value, to: Int32.self)))) }
  if T.self == Int16.self { return .number(JSONNumber(Int64(unsafeBitCast(value, to: Int16.self)))) }
  if T.self == Int8.self { return .number(JSONNumber(Int64(unsafeBitCast(value, to: Int8.self)))) }
  if T.self == UInt8.self { return .number(JSONNumber(Int64(unsafeBitCast(value, to: UInt8.self)))) }
  if T.self == UInt16.self { return .number(JSONNumber(Int64(unsafeBitCast(value, to: UInt16.self)))) }
  if T.self == UInt32.self { return .number(JSONNumber(Int64(unsafeBitCast(value, to: UInt32.self)))) }
  if T.self == UInt.self || T.self == UInt64.self {
    let v = T.self == UInt.self ? UInt64(unsafeBitCast(value, to: UInt.self)) : unsafeBitCast(value, to: UInt64.self)
    return .number(JSONNumber(literal: String(v))!)
  }
  if T.self == Double.self {
    let v = unsafeBitCast(value, to: Double.self)
    return v.isFinite ? .number(JSONNumber(literal: "\(v)")!) : .null
  }
  if T.self == Float.self {
    let v = unsafeBitCast(value, to: Float.self)
    return v.isFinite ? .number(JSONNumber(literal: "\(v)")!) : .null
  }
  if T.self == JSONValue.self { return (value as! JSONValue) }
  return nil
}

struct KeyedNodeEncoder<Key: CodingKey>: KeyedEncodingContainerProtocol {
  let node: EncodingNode
  let codingPath: [any CodingKey]

  mutating func encodeNil(forKey key: Key) throws {
    let n = EncodingNode()
    n.state = .value(.null)
    node.setMember(key.stringValue, n)
  }
  mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
    if let child = try encodeChild(value, path: codingPath + [key]) { node.setMember(key.stringValue, child) }
  }
  mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key)
    -> KeyedEncodingContainer<NestedKey>
  {
    let child = EncodingNode()
    node.setMember(key.stringValue, child)
    return NodeEncoder(node: child, codingPath: codingPath + [key]).container(keyedBy: keyType)
  }
  mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
    let child = EncodingNode()
    node.setMember(key.stringValue, child)
    return NodeEncoder(node: child, codingPath: codingPath + [key]).unkeyedContainer()
  }
  mutating func superEncoder() -> any Encoder { NodeEncoder(node: node, codingPath: codingPath) }
  mutating func superEncoder(forKey key: Key) -> any Encoder {
    let child = EncodingNode()
    node.setMember(key.stringValue, child)
    return NodeEncoder(node: child, codingPath: codingPath + [key])
  }
}

struct IndexKey: CodingKey {
  var intValue: Int?
  var stringValue: String
  init(_ i: Int) {
    intValue = i
    stringValue = String(i)
  }
  init?(intValue: Int) { self.init(intValue) }
  init?(stringValue: String) { nil }
}

struct UnkeyedNodeEncoder: UnkeyedEncodingContainer {
  let node: EncodingNode
  let codingPath: [any CodingKey]
  var count: Int {
    if case .array(let items) = node.state { return items.count }
    return 0
  }
  mutating func encodeNil() throws {
    let n = EncodingNode()
    n.state = .value(.null)
    node.append(n)
  }
  mutating func encode<T: Encodable>(_ value: T) throws {
    let child = EncodingNode()
    if let v = primitive(value) {
      child.state = .value(v)
    } else {
      try value.encode(to: NodeEncoder(node: child, codingPath: codingPath + [IndexKey(count)]))
    }
    node.append(child)
  }
  mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
    let child = EncodingNode()
    let path = codingPath + [IndexKey(count)]
    node.append(child)
    return NodeEncoder(node: child, codingPath: path).container(keyedBy: keyType)
  }
  mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
    let child = EncodingNode()
    let path = codingPath + [IndexKey(count)]
    node.append(child)
    return NodeEncoder(node: child, codingPath: path).unkeyedContainer()
  }
  mutating func superEncoder() -> any Encoder {
    let child = EncodingNode()
    node.append(child)
    return NodeEncoder(node: child, codingPath: codingPath)
  }
}

struct SingleNodeEncoder: SingleValueEncodingContainer {
  let node: EncodingNode
  let codingPath: [any CodingKey]
  mutating func encodeNil() throws { node.state = .value(.null) }
  mutating func encode<T: Encodable>(_ value: T) throws {
    if let v = primitive(value) {
      node.state = .value(v)
    } else {
      try value.encode(to: NodeEncoder(node: node, codingPath: codingPath))
    }
  }
}
