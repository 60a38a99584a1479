import CaseJSON

/// A value inside one tip, with its JSON Pointer (relative to the tip) and the offset of the deepest member key on
/// its path (relative to the tip's bytes), so every finding can name the element and point at its line and column.
struct TipNode {
  /// The value.
  let value: JSONValue
  /// JSON Pointer from the tip's root, e.g. `/reportedInformation/reportedPeople/reportedPersons/0/emails`.
  let pointer: String
  /// Byte offset (in the tip's bytes) of the key of the deepest member on the path; 0 for the root.
  let keyOffset: Int

  /// The root of a tip.
  init(root: JSONValue) {
    value = root
    pointer = ""
    keyOffset = 0
  }

  init(value: JSONValue, pointer: String, keyOffset: Int) {
    self.value = value
    self.pointer = pointer
    self.keyOffset = keyOffset
  }

  /// The node of an object member.
  func child(_ member: JSONMember) -> TipNode {
    TipNode(value: member.value, pointer: pointer + "/" + TipNode.escape(member.key), keyOffset: member.keyOffset)
  }

  /// The nodes of an array's elements (they have no key of their own: the array's key locates them).
  func elements(_ array: [JSONValue]) -> [TipNode] {
    array.enumerated().map { TipNode(value: $1, pointer: pointer + "/\($0)", keyOffset: keyOffset) }
  }

  /// The last reference token of the pointer (the member's key or the element's index), unescaped.
  var name: String {
    guard let slash = pointer.lastIndex(of: "/") else { return "" }
    return TipNode.unescape(String(pointer[pointer.index(after: slash)...]))
  }

  /// This node's pointer relative to an ancestor's, without the leading slash (`emails/emails/1/value`).
  func relative(to ancestor: TipNode) -> String {
    guard pointer.hasPrefix(ancestor.pointer), pointer.count > ancestor.pointer.count else { return pointer }
    return String(pointer.dropFirst(ancestor.pointer.count + 1))
  }

  /// RFC 6901 escaping of one reference token.
  static func escape(_ token: String) -> String {
    guard token.contains("~") || token.contains("/") else { return token }
    var out = ""
    for c in token {
      switch c {
      case "~": out += "~0"
      case "/": out += "~1"
      default: out.append(c)
      }
    }
    return out
  }

  static func unescape(_ token: String) -> String {
    guard token.contains("~") else { return token }
    var out = ""
    var tilde = false
    for c in token {
      if tilde {
        out.append(c == "1" ? "/" : c == "0" ? "~" : c)
        tilde = false
      } else if c == "~" {
        tilde = true
      } else {
        out.append(c)
      }
    }
    return out
  }

  /// The value as extra-field text: strings as they are, numbers as their literal, booleans as `true`/`false`,
  /// arrays and objects as compact JSON. Nil for null.
  var extraText: String? {
    switch value {
    case .null: return nil
    case .string(let s): return s
    case .number(let n): return n.literal
    case .bool(let b): return b ? "true" : "false"
    case .array, .object:
      var w = JSONWriter(capacity: 256)
      w.write(value)
      return String(decoding: w.bytes, as: UTF8.self)
    }
  }
}

/// The members of one object being mapped: each member taken is marked, so what is left over can be kept as
/// extras (never dropped).
struct TipObject {
  let node: TipNode
  let object: JSONObject
  private(set) var taken: Set<String> = []

  init(node: TipNode, object: JSONObject) {
    self.node = node
    self.object = object
  }

  /// The member's node, marking it taken; nil when it is absent or null.
  mutating func take(_ key: String) -> TipNode? {
    guard let m = object.member(key) else { return nil }
    taken.insert(key)
    if case .null = m.value { return nil }
    return node.child(m)
  }

  /// Whether a member with a non-null value is present (without taking it).
  func has(_ key: String) -> Bool {
    guard let v = object[key] else { return false }
    if case .null = v { return false }
    return true
  }

  /// The members not taken, with non-null values, in document order.
  var leftovers: [TipNode] {
    object.members.compactMap { m in
      if taken.contains(m.key) { return nil }
      if case .null = m.value { return nil }
      return node.child(m)
    }
  }
}
