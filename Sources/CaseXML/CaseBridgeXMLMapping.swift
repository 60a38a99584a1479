public import CaseInterchange
public import CaseJSON

// CaseBridge XML <-> canonical JSON, walking the generated tables. Reading turns one entity element into the
// canonical JSON object EntityJSONDecoder reads (so every strict field rule applies unchanged); writing turns the
// canonical JSON object of an entity into its element, checking every facet the XSD checks so that output always
// validates.

/// Content of an entity element that CaseBridge XML does not define (an unknown element or attribute, text
/// where only child elements belong, a repeated single element). The XSD rejects all of these first; the mapper
/// reports them too, so nothing is dropped silently when a record was not schema-validated.
public struct CaseBridgeXMLProblem: Sendable, Hashable {
  /// What is wrong, without values.
  public var message: String
  /// Element path from the record element (`Person/PersonName[2]/PersonGivenName`, `IPObservation/IPAddress/@x`).
  public var path: String
  /// Line of the element.
  public var line: Int
  /// Column of the element's `<` (0 when unknown).
  public var column: Int
}

/// One entity element mapped to canonical JSON.
public struct CaseBridgeXMLEntity: Sendable {
  /// The canonical JSON object (`type`, `id` from the `id` attribute, then the members).
  public var json: JSONValue
  /// For every member: its JSON Pointer, its element path (as in `CaseBridgeXMLMapping.path(forPointer:in:)`) and
  /// the element's line and column; members of the entity that are absent point at the entity element.
  public var origins: [FieldOrigin]
  /// Content that has no place in the entity; the record must be rejected when there is any.
  public var problems: [CaseBridgeXMLProblem]
}

/// Maps entity elements to canonical JSON and canonical JSON to entity elements.
///
/// Element paths in diagnostics start at the record element and use local names, as the XML reader's schema
/// diagnostics do; a repeated element is numbered from its second occurrence, as in agency-XML field names:
/// `Person/ContactEmail/ContactEmailID`, `Person/ContactEmail[2]/ContactEmailID`, `IPObservation/IPAddress/@original`.
public enum CaseBridgeXMLMapping {
  static let xsiNamespace = "http://www.w3.org/2001/XMLSchema-instance"

  // MARK: reading

  /// The canonical JSON of one entity element (a child of `CaseBundle`).
  ///
  /// Text of typed values (integers, booleans, dates, timestamps) is trimmed of XML whitespace, as the XSD
  /// validator trims it; strings are kept exactly. A value with any of its attributes (`original`, `offset`,
  /// `zone`) becomes canonical JSON's object form, otherwise a plain string.
  public static func read(_ element: XMLElementNode) -> CaseBridgeXMLEntity {
    var st = ReadState()
    let tables = CaseBridgeXMLFormat.tables
    guard element.name.namespace == CaseBridgeXMLFormat.namespace, let ti = tables.entityByElement[element.name.local] else {
      st.problem("element is not a CaseBridge XML entity", element.name.description, element)
      return CaseBridgeXMLEntity(json: .object(JSONObject()), origins: [], problems: st.problems)
    }
    let path = element.name.local
    var members = [JSONMember(key: "type", value: .string(tables.types[ti].name))]
    for a in element.attributes {
      if a.name.namespace == nil && a.name.local == CaseBridgeXMLFormat.idAttribute {
        members.append(JSONMember(key: "id", value: .string(a.value)))
        st.origin("/id", path + "/@" + CaseBridgeXMLFormat.idAttribute, element)
      } else if a.name.namespace != xsiNamespace {
        st.problem("attribute is not part of CaseBridge XML", path + "/@" + a.name.description, element)
      }
    }
    st.fill(ti, element, pointer: "", path: path, into: &members)
    // Members the element lacks get the record's position, so a later finding about an absent member (a lease
    // without an end) still names its element.
    for m in tables.types[ti].members where !members.contains(where: { $0.key == m.key }) {
      st.origin("/" + m.key, path + "/" + m.element, element)
    }
    return CaseBridgeXMLEntity(json: .object(JSONObject(members)), origins: st.origins, problems: st.problems)
  }

  private struct ReadState {
    var origins: [FieldOrigin] = []
    var problems: [CaseBridgeXMLProblem] = []
    let tables = CaseBridgeXMLFormat.tables

    mutating func problem(_ message: String, _ path: String, _ e: XMLElementNode) {
      problems.append(CaseBridgeXMLProblem(message: message, path: path, line: e.line, column: e.column))
    }

    mutating func origin(_ pointer: String, _ path: String, _ e: XMLElementNode) {
      origins.append(FieldOrigin(entity: 0, pointer: pointer, field: path, line: e.line, column: e.column))
    }

    /// Appends the members of an entity or object element, in the order their elements first appear.
    mutating func fill(_ ti: Int, _ e: XMLElementNode, pointer: String, path: String, into members: inout [JSONMember]) {
      let t = tables.types[ti]
      if !isXMLWhitespace(e.text) { problem("text where only child elements belong", path, e) }
      // Members in the order their first element appears: (member index, occurrences, values).
      var found: [(member: Int, count: Int, values: [JSONValue])] = []
      for c in e.children {
        let name = c.name.local
        let base = path + "/" + name
        guard c.name.namespace == CaseBridgeXMLFormat.namespace, let mi = t.byElement[name] else {
          problem("element is not part of \(t.element ?? t.name)", path + "/" + c.name.description, c)
          continue
        }
        let m = t.members[mi]
        var k = found.firstIndex { $0.member == mi } ?? -1
        if k < 0 {
          found.append((mi, 0, []))
          k = found.count - 1
        }
        let n = found[k].count
        found[k].count += 1
        if !m.repeated && n > 0 {
          problem("element appears more than once", base + "[\(n + 1)]", c)
          continue
        }
        let ptr = pointer + "/" + m.key + (m.repeated ? "/\(n)" : "")
        found[k].values.append(value(m, c, pointer: ptr, path: n > 0 ? base + "[\(n + 1)]" : base))
      }
      for f in found {
        let m = t.members[f.member]
        members.append(JSONMember(key: m.key, value: m.repeated ? .array(f.values) : f.values[0]))
      }
    }

    mutating func value(_ m: XMLMappedMember, _ c: XMLElementNode, pointer: String, path: String) -> JSONValue {
      origin(pointer, path, c)
      switch m.kind {
      case .object:
        for a in c.attributes where a.name.namespace != xsiNamespace {
          problem("attribute is not part of CaseBridge XML", path + "/@" + a.name.description, c)
        }
        var inner: [JSONMember] = []
        fill(m.objectType, c, pointer: pointer, path: path, into: &inner)
        return .object(JSONObject(inner))
      case .value(let f):
        leafOnly(c, path)
        for a in c.attributes where a.name.namespace != xsiNamespace {
          problem("attribute is not part of CaseBridge XML", path + "/@" + a.name.description, c)
        }
        return leaf(f, c.text)
      case .attributed(let textKey, let f, let attributes):
        leafOnly(c, path)
        var found: [(Int, String)] = []
        for a in c.attributes where a.name.namespace != xsiNamespace {
          guard a.name.namespace == nil, let ai = attributes.firstIndex(where: { $0.0 == a.name.local }) else {
            problem("attribute is not part of CaseBridge XML", path + "/@" + a.name.description, c)
            continue
          }
          found.append((ai, a.value))
          origin(pointer + "/" + a.name.local, path + "/@" + a.name.local, c)
        }
        if found.isEmpty { return leaf(f, c.text) }
        found.sort { $0.0 < $1.0 }
        return .object(JSONObject([JSONMember(key: textKey, value: leaf(f, c.text))] + found.map { JSONMember(key: attributes[$0.0].0, value: .string($0.1)) }))
      }
    }

    mutating func leafOnly(_ c: XMLElementNode, _ path: String) {
      for child in c.children { problem("element is not part of CaseBridge XML", path + "/" + child.name.description, child) }
    }

    /// A value's text as JSON. Text that is not the lexical form of its type stays a string, so the decoder
    /// reports the type mismatch with its own rule.
    func leaf(_ f: XMLValueFacets, _ text: String) -> JSONValue {
      let t = f.collapses ? trimXMLWhitespace(text) : text
      switch f.base {
      case .integer:
        if let n = JSONNumber(literal: t), n.isInteger { return .number(n) }
      case .boolean:
        if t == "true" { return .bool(true) }
        if t == "false" { return .bool(false) }
      default: break
      }
      return .string(t)
    }
  }

  /// The element path of a member of an entity, from its canonical JSON Pointer (`/names/1/given` of a person is
  /// `Person/PersonName[2]/PersonGivenName`; `/ip/original` is `IPObservation/IPAddress/@original`); the part
  /// of the pointer the tables do not know is left out.
  public static func path(forPointer pointer: String, in entityType: String) -> String? {
    let tables = CaseBridgeXMLFormat.tables
    guard let ti = tables.entityByName[entityType] else { return nil }
    var t = tables.types[ti]
    var path = t.element!
    var tokens = pointer.split(separator: "/", omittingEmptySubsequences: false).dropFirst()[...]
    if tokens.first == CaseBridgeXMLFormat.idAttribute[...] { return path + "/@" + CaseBridgeXMLFormat.idAttribute }
    while let token = tokens.popFirst() {
      guard let mi = t.byKey[String(token)] else { break }
      let m = t.members[mi]
      path += "/" + m.element
      if m.repeated, let i = tokens.first.flatMap({ Int($0) }) {
        tokens.removeFirst()
        if i > 0 { path += "[\(i + 1)]" }
      }
      switch m.kind {
      case .object: t = tables.types[m.objectType]
      case .attributed(let textKey, _, let attributes):
        if let a = tokens.first, a != textKey[...], attributes.contains(where: { $0.0[...] == a }) { path += "/@" + a }
        return path
      case .value: return path
      }
    }
    return path
  }

  // MARK: writing

  /// Why an entity cannot be written as CaseBridge XML that validates against the XSD.
  public struct Unwritable: Error, Sendable {
    /// `xml.unwritable-character` (a character XML 1.0 cannot carry) or `xml.unwritable` (a value the XSD refuses).
    public var rule: String
    /// Element path from the entity element.
    public var path: String
    /// What is wrong, without values.
    public var message: String
  }

  /// Writes one entity element, for the canonical JSON object of an entity, into an `XMLWriter` (inside the open
  /// `CaseBundle`). Every value is checked against the XSD's facets first, and XML 1.0's characters by the writer.
  /// - Throws: `Unwritable` for a value the XSD or XML 1.0 cannot carry; nothing of the entity is written then.
  public static func write(_ entity: JSONValue, to writer: inout XMLWriter) throws(Unwritable) {
    let mark = writer.checkpoint()
    var e = Emitter()
    do throws(Unwritable) {
      try e.entity(entity, &writer)
    } catch {
      writer.rollback(to: mark)
      throw error
    }
  }

  private struct Emitter {
    let tables = CaseBridgeXMLFormat.tables
    /// The elements from the entity down to the one being written (index: 1-based position of a repeated
    /// element, 0 for a single one); the path string is built only for an error.
    var steps: [(element: String, index: Int)] = []

    func fail(_ message: String, attribute: String? = nil, rule: String = "xml.unwritable") -> Unwritable {
      var path = steps.map { $0.index > 1 ? "\($0.element)[\($0.index)]" : $0.element }.joined(separator: "/")
      if let attribute { path += "/@" + attribute }
      return Unwritable(rule: rule, path: path, message: message)
    }

    /// The writer's refusal (a character XML 1.0 cannot carry), located by this emitter's path.
    func fail(_ error: XMLWriterError) -> Unwritable {
      let attribute = error.field.firstRange(of: "/@").map { String(error.field[$0.upperBound...]) }
      let scalar = error.scalar.map { " (U+\(hex4($0.value)))" } ?? ""
      return fail(error.message + scalar, attribute: attribute, rule: error.rule)
    }

    mutating func entity(_ value: JSONValue, _ w: inout XMLWriter) throws(Unwritable) {
      guard case .object(let o) = value, case .string(let type)? = o["type"], let ti = tables.entityByName[type] else {
        throw fail("not the canonical JSON object of an entity")
      }
      let element = tables.types[ti].element!
      steps.append((element, 0))
      guard case .string(let id)? = o["id"], !id.isEmpty else {
        throw fail("the entity has no id", attribute: CaseBridgeXMLFormat.idAttribute)
      }
      try open(element, [(CaseBridgeXMLFormat.idAttribute, id)], &w)
      try children(ti, o, entity: true, &w)
      w.endElement()
    }

    mutating func open(_ element: String, _ attributes: [(name: String, value: String)], _ w: inout XMLWriter) throws(Unwritable) {
      do throws(XMLWriterError) { try w.startElement(element, attributes: attributes) } catch { throw fail(error) }
    }

    /// Writes the members of type `ti` as child elements of the open element. An entity's `type` and `id` are not
    /// child elements.
    mutating func children(_ ti: Int, _ o: JSONObject, entity: Bool, _ w: inout XMLWriter) throws(Unwritable) {
      let t = tables.types[ti]
      var slots = [JSONValue?](repeating: nil, count: t.members.count)
      for jm in o.members {
        if entity && (jm.key == "type" || jm.key == "id") { continue }
        guard let mi = t.byKey[jm.key] else { throw fail("member \(jm.key) has no element in \(t.element ?? t.name)") }
        slots[mi] = jm.value
      }
      for (mi, m) in t.members.enumerated() {
        guard let v = slots[mi] else { continue }
        if m.repeated {
          guard case .array(let items) = v else { throw fail("member \(m.key) is not an array") }
          for (n, item) in items.enumerated() {
            steps.append((m.element, n + 1))
            try member(m, item, &w)
            steps.removeLast()
          }
        } else {
          steps.append((m.element, 0))
          try member(m, v, &w)
          steps.removeLast()
        }
      }
    }

    mutating func member(_ m: XMLMappedMember, _ v: JSONValue, _ w: inout XMLWriter) throws(Unwritable) {
      var attributes: [(name: String, value: String)] = []
      let text: String
      switch m.kind {
      case .object:
        guard case .object(let o) = v else { throw fail("an object member is not an object") }
        try open(m.element, [], &w)
        try children(m.objectType, o, entity: false, &w)
        w.endElement()
        return
      case .value(let f):
        text = try checked(v, f)
      case .attributed(let textKey, let f, let attributeFacets):
        if case .object(let o) = v {
          guard let tv = o[textKey] else { throw fail("the value member \(textKey) is missing") }
          for (name, af) in attributeFacets {
            guard let av = o[name] else { continue }
            attributes.append((name, try checked(av, af, attribute: name)))
          }
          guard attributes.count + 1 == o.count else { throw fail("the value has a member that has no attribute") }
          text = try checked(tv, f)
        } else {
          text = try checked(v, f)
        }
      }
      do throws(XMLWriterError) { try w.element(m.element, attributes: attributes, text: text) } catch { throw fail(error) }
    }

    /// The text of a JSON value, after checking it against the facets the XSD checks.
    func checked(_ v: JSONValue, _ f: XMLValueFacets, attribute: String? = nil) throws(Unwritable) -> String {
      func refuse(_ what: String) -> Unwritable { fail("value \(what); the XSD would reject it", attribute: attribute) }
      switch (v, f.base) {
      case (.bool(let b), .boolean): return b ? "true" : "false"
      case (.number(let n), .integer):
        guard let i = n.int64Value else { throw refuse("is not an integer of 64 bits") }
        if let lo = f.minimum, i < lo { throw refuse("is below the minimum \(lo)") }
        if let hi = f.maximum, i > hi { throw refuse("is above the maximum \(hi)") }
        return n.literal
      case (.string(let s), .string), (.string(let s), .date), (.string(let s), .dateTime):
        if f.minLength > 0 && s.unicodeScalars.count < f.minLength { throw refuse("is shorter than \(f.minLength) characters") }
        if !f.enumeration.isEmpty && !f.enumeration.contains(where: { $0.utf8.elementsEqual(s.utf8) }) {
          throw refuse("is not one of the enumerated values")
        }
        if let p = f.pattern, !p.matches(s) { throw refuse("does not match the pattern \(p.source)") }
        // xs:date and xs:dateTime have no year 0000 (an instant just after 0001-01-01T00:00 at a positive offset).
        if f.base != .string && s.hasPrefix("0000") { throw refuse("has the year 0000") }
        return s
      default:
        throw fail("a \(v.typeName) where the XSD has another type", attribute: attribute)
      }
    }
  }
}

func hex4(_ v: UInt32) -> String {
  let h = String(v, radix: 16, uppercase: true)
  return String(repeating: "0", count: max(0, 4 - h.count)) + h
}

/// XML whitespace: space, TAB, LF, CR.
@inline(__always) func isXMLSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }

func isXMLWhitespace(_ s: String) -> Bool { s.utf8.allSatisfy(isXMLSpace) }

/// The text without leading and trailing XML whitespace (what xs:long, xs:boolean, xs:date and xs:dateTime check).
func trimXMLWhitespace(_ s: String) -> String {
  let u = s.utf8
  guard let first = u.firstIndex(where: { !isXMLSpace($0) }) else { return "" }
  let last = u.lastIndex(where: { !isXMLSpace($0) })!
  if first == u.startIndex && last == u.index(before: u.endIndex) { return s }
  return String(s[first...last])
}
