public import CaseModel
public import CaseInterchange
import CaseXML

/// The result of mapping one NCMEC document (a `report` or a `fileDetails`): its entities, or the errors that
/// quarantine it, with warnings and the origin of each mapped field.
public struct NCMECMapping: Sendable {
  /// The entities, in a fixed order (the report's Case first). Ids are empty except the Case's keyed id.
  public var entities: [Entity]
  /// Errors and warnings, located by line, column and element path.
  public var diagnostics: [Diagnostic]
  /// Where each mapped model field came from (element path, line, column).
  public var origins: [FieldOrigin]
  /// Whether any diagnostic is an error (the document is then quarantined).
  public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }
}

/// State of one document's mapping: entities appended in order, located diagnostics, field origins.
struct NCMECImport {
  static let xsiNamespace = "http://www.w3.org/2001/XMLSchema-instance"

  let sourceName: String
  let record: Int
  let idFor: @Sendable (Int, Int) -> EntityID
  var entities: [Entity] = []
  var diagnostics: [Diagnostic] = []
  var origins: [FieldOrigin] = []

  init(sourceName: String, record: Int, idFor: @escaping @Sendable (Int, Int) -> EntityID) {
    self.sourceName = sourceName
    self.record = record
    self.idFor = idFor
  }

  /// The mapping, with diagnostics in document order.
  var result: NCMECMapping {
    let sorted = diagnostics.enumerated().sorted { a, b in
      let (x, y) = (a.element.location, b.element.location)
      return (x.line ?? 0, x.column ?? 0, a.offset) < (y.line ?? 0, y.column ?? 0, b.offset)
    }.map(\.element)
    return NCMECMapping(entities: entities, diagnostics: sorted, origins: origins)
  }

  // MARK: entities

  /// The id the pipeline gives the entity at an ordinal of this record.
  func id(_ ordinal: Int) -> EntityID { idFor(record, ordinal) }

  /// Appends an entity and says where it came from; returns its ordinal.
  @discardableResult
  mutating func append(_ e: Entity, from node: NCMECNode) -> Int {
    entities.append(e)
    origin(entities.count - 1, "", node)
    return entities.count - 1
  }

  /// Replaces the entity at an ordinal (entities are appended first so others can reference them).
  mutating func set(_ ordinal: Int, _ e: Entity) { entities[ordinal] = e }

  /// Records where a model field (JSON Pointer in the entity) came from.
  mutating func origin(_ entity: Int, _ pointer: String, _ node: NCMECNode, path: String? = nil) {
    origins.append(FieldOrigin(entity: entity, pointer: pointer, field: path ?? node.path, line: node.element.line, column: node.element.column))
  }

  /// The text of a child element, recorded as the origin of the model field it fills (nil when absent).
  mutating func text(_ name: String, of node: NCMECNode, entity: Int, _ pointer: String) -> String? {
    guard let c = node.child(name) else { return nil }
    origin(entity, pointer, c)
    return c.text
  }

  // MARK: diagnostics

  mutating func report(_ rule: String, _ severity: Severity, _ message: String, at node: NCMECNode, path: String? = nil, value: String? = nil) {
    diagnostics.append(Diagnostic(
      rule: rule, severity: severity, message: message,
      location: SourceLocation(source: sourceName, record: record, line: node.element.line, column: node.element.column, field: path ?? node.path),
      value: value))
  }

  mutating func report(_ e: FieldError, at node: NCMECNode, path: String? = nil, value: String?) {
    report(e.rule, .error, e.message, at: node, path: path, value: value)
  }

  // MARK: structure

  /// Checks an element and its subtree against the schema table: unknown, repeated and missing elements and
  /// attributes, text where only elements belong, and the lexical form of every leaf and attribute.
  mutating func checkStructure(_ node: NCMECNode) {
    guard let t = node.schemaType else { return }
    for a in node.element.attributes {
      if a.name.namespace == Self.xsiNamespace { continue }
      guard a.name.namespace == nil, let def = t.attribute(a.name.local) else {
        report("ncmec.unknown-attribute", .error, "attribute \(a.name) is not defined on \(node.name) in NCMEC's schema (it would be lost)", at: node, path: node.attributePath(a.name.description), value: a.value)
        continue
      }
      checkLeaf(def.leaf, a.value, name: a.name.local, node: node, path: node.attributePath(a.name.local))
    }
    for def in t.attributes where def.required && node.attribute(def.name) == nil {
      report("ncmec.missing-attribute", .error, "\(node.name) has no \(def.name) attribute; NCMEC's schema requires it", at: node, path: node.attributePath(def.name))
    }
    if let leaf = t.leaf {
      for c in node.allChildren {
        report("ncmec.unknown-element", .error, "\(node.name) holds text only; element \(c.element.name) is not allowed in it (it would be lost)", at: c)
      }
      checkLeaf(leaf, node.text, name: node.name, node: node, path: node.path)
      return
    }
    if !xsdCollapsed(node.text).isEmpty {
      report("ncmec.unexpected-text", .error, "\(node.name) holds elements only; it has text (it would be lost)", at: node, value: node.text)
    }
    var counts: [String: Int] = [:]
    for c in node.allChildren {
      guard !c.type.isEmpty, let def = t.child(c.name) else {
        report("ncmec.unknown-element", .error, "element \(c.element.name) is not defined in \(node.name) by NCMEC's schema (it would be lost)", at: c)
        continue
      }
      counts[c.name, default: 0] += 1
      if counts[c.name] == 2 && !def.repeats {
        report("ncmec.repeated-element", .error, "\(c.name) may occur once in \(node.name); a second one would be lost", at: c)
      }
      checkStructure(c)
    }
    for def in t.children where def.required && counts[def.name] == nil {
      report("ncmec.missing-element", .error, "\(node.name) has no \(def.name); NCMEC's schema requires it", at: node, path: node.path + "/" + def.name)
    }
    if t.isChoice && counts.values.reduce(0, +) != 1 {
      report("ncmec.choice", .error, "\(node.name) must hold exactly one of its alternatives", at: node)
    }
    if node.type == "fileDetails" && counts["potentialMeme"] != nil && counts["fileAnnotations"] != nil {
      report("ncmec.choice", .error, "fileDetails holds both potentialMeme and fileAnnotations; NCMEC's schema allows one of them", at: node)
    }
  }

  private mutating func checkLeaf(_ leaf: NCMECSchema.Leaf, _ text: String, name: String, node: NCMECNode, path: String) {
    if let limit = NCMECSchema.lengthLimits[name], text.unicodeScalars.count > limit {
      report("ncmec.too-long", .warning, "\(name) is longer than NCMEC's limit of \(limit) characters", at: node, path: path, value: text)
    }
    func fail(_ rule: String, _ message: String) { report(rule, .error, message, at: node, path: path, value: text) }
    switch leaf {
    case .string, .token: break
    case .boolean:
      if xsdBoolean(text) == nil { fail("ncmec.invalid-boolean", "\(name) is not an xs:boolean (true, false, 1, 0)") }
    case .flag:
      if !xsdCollapsed(text).isEmpty && xsdBoolean(text) != true {
        fail("ncmec.invalid-boolean", "\(name) is a presence flag: empty or true")
      }
    case .int:
      if xsdInteger(text, bits: 32) == nil { fail("ncmec.invalid-number", "\(name) is not an xs:int") }
    case .long:
      if xsdInteger(text, bits: 64) == nil { fail("ncmec.invalid-number", "\(name) is not an xs:long") }
    case .double:
      if let d = xsdDouble(text) {
        if !d.isFinite { fail("ncmec.invalid-number", "\(name) is not a finite number") }
      } else {
        fail("ncmec.invalid-number", "\(name) is not an xs:double")
      }
    case .dateTime:
      if case .failure(let e) = Timestamp.parseISO8601(xsdCollapsed(text)) { report(e, at: node, path: path, value: text) }
    case .date:
      if case .failure(let e) = parseDate(text, node: node, path: path) { report(e, at: node, path: path, value: text) }
    case .enumeration(let values):
      if !values.contains(text) { fail("ncmec.invalid-enumeration", "\(name) is not exactly one of the values NCMEC's schema lists") }
    case .country:
      if !text.isEmpty, case .failure(let e) = CountryCode.parse(text, allowingNCMECLegacy: true) { report(e, at: node, path: path, value: text) }
    case .state:
      if !text.isEmpty, case .failure(let e) = USStateCode.parse(text) { report(e, at: node, path: path, value: text) }
    case .callingCode:
      let u = Array(text.utf8)
      if !(u.count >= 2 && u.count <= 4 && u[0] == 0x2B && u.dropFirst().allSatisfy { $0 &- 0x30 < 10 }) {
        fail("ncmec.invalid-pattern", "\(name) is not + followed by one to three digits")
      }
    case .digits:
      if text.isEmpty || !text.utf8.allSatisfy({ $0 &- 0x30 < 10 }) { fail("ncmec.invalid-pattern", "\(name) is not digits only") }
    }
  }

  /// An `xs:date`; a zone suffix (allowed by XML Schema, meaningless for a date of birth) is dropped with a warning.
  private mutating func parseDate(_ text: String, node: NCMECNode, path: String) -> Result<CalendarDate, FieldError> {
    let t = xsdCollapsed(text)
    if t.utf8.count > 10 {
      let zone = String(t.dropFirst(10))
      if zone == "Z" || (zone.utf8.count == 6 && (zone.hasPrefix("+") || zone.hasPrefix("-"))) {
        report("ncmec.date-with-zone", .warning, "\(node.name) carries a zone offset; the calendar date is kept without it", at: node, path: path, value: text)
        return CalendarDate.parse(String(t.prefix(10)))
      }
    }
    return CalendarDate.parse(t)
  }

  // MARK: values (already checked by checkStructure: these read, they do not report)

  func timestamp(_ node: NCMECNode?) -> Timestamp? {
    guard let node, case .success(let t) = Timestamp.parseISO8601(xsdCollapsed(node.text)) else { return nil }
    return t
  }
  func timestamp(attribute name: String, of node: NCMECNode?) -> Timestamp? {
    guard let v = node?.attribute(name), case .success(let t) = Timestamp.parseISO8601(xsdCollapsed(v)) else { return nil }
    return t
  }
  func bool(_ node: NCMECNode?) -> Bool? { node.flatMap { xsdBoolean($0.text) } }
  func bool(attribute name: String, of node: NCMECNode?) -> Bool? { node?.attribute(name).flatMap(xsdBoolean) }
  func int(_ node: NCMECNode?) -> Int? { node.flatMap { xsdInteger($0.text, bits: 32) }.map { Int($0) } }
  func date(_ node: NCMECNode?) -> CalendarDate? {
    guard let node else { return nil }
    guard case .success(let d) = CalendarDate.parse(String(xsdCollapsed(node.text).prefix(10))) else { return nil }
    return d
  }

  // MARK: values with their own checks

  /// An IP address (`ip.invalid`, `ip.zone-id`).
  mutating func ip(_ node: NCMECNode) -> IPAddress? {
    switch IPAddress.parse(node.text) {
    case .success(let ip): return ip
    case .failure(let e):
      report(e, at: node, value: node.text)
      return nil
    }
  }

  /// An e-mail address (`email.invalid`).
  mutating func email(_ node: NCMECNode) -> EmailAddress? {
    switch EmailAddress.parse(node.text) {
    case .success(let m): return m
    case .failure(let e):
      report(e, at: node, value: node.text)
      return nil
    }
  }

  /// A phone number from NCMEC's parts: `countryCallingCode`, the number, `extension`. The model's `original` is
  /// the parts joined (`+1 2025550142 x12`), since NCMEC gives them apart.
  mutating func phone(_ node: NCMECNode) -> PhoneNumber? {
    var text = node.text
    if let cc = node.attribute("countryCallingCode") { text = cc + " " + text }
    if let ext = node.attribute("extension") { text += " x" + ext }
    switch PhoneNumber.parse(text, defaultRegion: nil) {
    case .success(let p): return p
    case .failure(let e):
      report(e, at: node, value: text)
      return nil
    }
  }

  /// An absolute http(s) URL of at most 2083 characters (`url.invalid`), as NCMEC requires for incident URLs.
  mutating func checkURL(_ node: NCMECNode) {
    let s = node.text
    let lower = s.lowercased()
    let ok = (lower.hasPrefix("http://") || lower.hasPrefix("https://")) && s.utf8.count <= 2083
      && s.unicodeScalars.count > (lower.hasPrefix("https://") ? 8 : 7)
      && !s.unicodeScalars.contains { $0.value <= 0x20 || $0.value == 0x7F }
    if !ok { report("url.invalid", .error, "\(node.name) is not an absolute http(s) URL of at most 2083 characters", at: node, value: s) }
  }

  // MARK: extras

  /// Keeps an element the model has no field for as extras named by its path below `base`
  /// (`ncmec:estimatedLocation/city`, `ncmec:priorCTReports[2]`, `ncmec:details[1]/@type`): text of leaves
  /// (`true` for presence flags), attributes as `/@name`. The writer puts them back where they came from.
  func flatten(_ node: NCMECNode, below base: NCMECNode, into extras: inout [ExtraField]) {
    let prefix = "ncmec:" + node.relativePath(below: base)
    for a in node.element.attributes where a.name.namespace == nil {
      extras.append(ExtraField(name: prefix + "/@" + a.name.local, value: a.value))
    }
    if let leaf = node.schemaType?.leaf {
      extras.append(ExtraField(name: prefix, value: leaf == .flag ? "true" : node.text))
      return
    }
    for c in node.allChildren { flatten(c, below: base, into: &extras) }
  }

  /// Flattens the children of `node` with the given names, in document order.
  func flatten(childrenOf node: NCMECNode, named names: Set<String>, below base: NCMECNode, into extras: inout [ExtraField]) {
    for c in node.allChildren where names.contains(c.name) { flatten(c, below: base, into: &extras) }
  }
}
