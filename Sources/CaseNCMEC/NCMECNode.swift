import CaseXML

/// An element of an NCMEC document with its schema type and its element path
/// (`report/personOrUserReported[1]/ipCaptureEvent[2]/ipAddress`: an index on every element the schema lets
/// repeat, 1-based).
struct NCMECNode {
  let element: XMLElementNode
  /// The path's segments, root first.
  let segments: [String]
  /// The element's type in ``NCMECSchema/types`` ("" when the schema does not define it there).
  let type: String

  init(root: XMLElementNode) {
    element = root
    segments = [root.name.local]
    type = root.name.namespace == nil && NCMECSchema.types[root.name.local] != nil ? root.name.local : ""
  }

  private init(element: XMLElementNode, segments: [String], type: String) {
    self.element = element
    self.segments = segments
    self.type = type
  }

  /// The element path.
  var path: String { segments.joined(separator: "/") }
  /// The element's name.
  var name: String { element.name.local }
  /// The element's own text.
  var text: String { element.text }
  /// The schema type.
  var schemaType: NCMECSchema.ElementType? { NCMECSchema.types[type] }

  /// Every child element, with paths (children the schema does not define here get type "").
  var allChildren: [NCMECNode] {
    var seen: [String: Int] = [:]
    let t = schemaType
    return element.children.map { e in
      let name = e.name.local
      seen[name, default: 0] += 1
      let def = e.name.namespace == nil ? t?.child(name) : nil
      let segment = def?.repeats == true ? "\(name)[\(seen[name]!)]" : name
      return NCMECNode(element: e, segments: segments + [segment], type: def?.type ?? "")
    }
  }

  /// The child elements with a name, in document order.
  func children(_ name: String) -> [NCMECNode] { allChildren.filter { $0.name == name && $0.element.name.namespace == nil } }
  /// The first child element with a name.
  func child(_ name: String) -> NCMECNode? { children(name).first }
  /// The path of an attribute of this element.
  func attributePath(_ name: String) -> String { path + "/@" + name }
  /// An un-prefixed attribute's value.
  func attribute(_ name: String) -> String? { element.attribute(name) }

  /// The path relative to an ancestor (`ipCaptureEvent[2]/ipAddress` below `report/personOrUserReported[1]`).
  func relativePath(below ancestor: NCMECNode) -> String {
    segments.dropFirst(ancestor.segments.count).joined(separator: "/")
  }
}

/// XML Schema whitespace handling for the collapsed types (boolean, numbers, dates, tokens).
func xsdCollapsed(_ s: String) -> String {
  var out: [UInt8] = []
  var pendingSpace = false
  for b in s.utf8 {
    if b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D {
      pendingSpace = !out.isEmpty
    } else {
      if pendingSpace { out.append(0x20) }
      pendingSpace = false
      out.append(b)
    }
  }
  return String(decoding: out, as: UTF8.self)
}

/// `xs:boolean`'s lexical space (after collapsing): nil when the text is not one.
func xsdBoolean(_ s: String) -> Bool? {
  switch xsdCollapsed(s) {
  case "true", "1": true
  case "false", "0": false
  default: nil
  }
}

/// `xs:int` / `xs:long` lexical space (optional sign, digits, leading zeros allowed) within a range.
func xsdInteger(_ s: String, bits: Int) -> Int64? {
  let t = xsdCollapsed(s)
  var u = Array(t.utf8)
  var negative = false
  if let f = u.first, f == 0x2B || f == 0x2D {
    negative = f == 0x2D
    u.removeFirst()
  }
  guard !u.isEmpty, u.allSatisfy({ $0 &- 0x30 < 10 }) else { return nil }
  while u.count > 1 && u.first == 0x30 { u.removeFirst() }
  guard u.count <= 19 else { return nil }
  var magnitude: UInt64 = 0
  for b in u {
    let (m, o1) = magnitude.multipliedReportingOverflow(by: 10)
    let (a, o2) = m.addingReportingOverflow(UInt64(b - 0x30))
    if o1 || o2 { return nil }
    magnitude = a
  }
  let limit: UInt64 = bits == 32 ? 1 << 31 : 1 << 63
  if negative {
    guard magnitude <= limit else { return nil }
    return magnitude == limit ? (bits == 32 ? -2_147_483_648 : Int64.min) : -Int64(magnitude)
  }
  guard magnitude < limit else { return nil }
  return Int64(magnitude)
}

/// `xs:double`'s lexical space (decimal with optional exponent, `INF`, `-INF`, `NaN`): the value, or nil.
func xsdDouble(_ s: String) -> Double? {
  let t = xsdCollapsed(s)
  switch t {
  case "INF": return .infinity
  case "-INF": return -.infinity
  case "NaN": return .nan
  default: break
  }
  let u = Array(t.utf8)
  var i = 0
  if i < u.count && (u[i] == 0x2B || u[i] == 0x2D) { i += 1 }
  var digits = 0
  while i < u.count && u[i] &- 0x30 < 10 { i += 1; digits += 1 }
  if i < u.count && u[i] == 0x2E {
    i += 1
    while i < u.count && u[i] &- 0x30 < 10 { i += 1; digits += 1 }
  }
  guard digits > 0 else { return nil }
  if i < u.count && (u[i] == 0x65 || u[i] == 0x45) {
    i += 1
    if i < u.count && (u[i] == 0x2B || u[i] == 0x2D) { i += 1 }
    var e = 0
    while i < u.count && u[i] &- 0x30 < 10 { i += 1; e += 1 }
    guard e > 0 else { return nil }
  }
  guard i == u.count else { return nil }
  return Double(t)
}
