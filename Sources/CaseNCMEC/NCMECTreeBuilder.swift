import CaseModel

/// Builds NCMEC elements from model values, refusing what the schema or NCMEC's limits do not allow, and counts
/// every fact left out (the writer's warnings).
final class NCMECTreeBuilder {
  /// Facts left out, by description (no personal values).
  private(set) var dropped: [String: Int] = [:]

  /// Counts facts left out.
  func drop(_ what: String, _ n: Int = 1) {
    if n > 0 { dropped[what, default: 0] += n }
  }

  /// The writer warnings: `"<count> <description>"`, sorted by description.
  var warnings: [String] { dropped.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" } }

  static let tooLong = "values longer than NCMEC's documented limits: left out, never truncated"
  static let unwritable = "values holding characters XML 1.0 cannot carry: left out"

  /// A child element of a type the parent allows (nil when the schema has no such child there).
  func element(_ parent: NCMECElement, _ name: String) -> NCMECElement? {
    guard let def = parent.schemaType?.child(name) else { return nil }
    let e = NCMECElement(name, type: def.type)
    parent.children.append(e)
    return e
  }

  /// The child element with a name, created when absent.
  func single(_ parent: NCMECElement, _ name: String) -> NCMECElement? {
    parent.child(name) ?? element(parent, name)
  }

  /// Checks a value for NCMEC's length limit and XML 1.0; counts it as dropped when it fails.
  func writable(_ name: String, _ value: String) -> Bool {
    if let limit = NCMECSchema.lengthLimits[name], value.unicodeScalars.count > limit {
      drop(Self.tooLong)
      return false
    }
    if !isXMLWritable(value) {
      drop(Self.unwritable)
      return false
    }
    return true
  }

  /// Adds a leaf element holding a value (a presence flag when its type is one); nothing for nil. Returns the
  /// element, or nil when nothing was added.
  @discardableResult
  func leaf(_ parent: NCMECElement, _ name: String, _ value: String?) -> NCMECElement? {
    guard let value, writable(name, value), let e = element(parent, name) else { return nil }
    e.text = e.schemaType?.leaf == .flag ? nil : value
    return e
  }

  /// Adds a boolean leaf.
  @discardableResult
  func leaf(_ parent: NCMECElement, _ name: String, _ value: Bool?) -> NCMECElement? {
    leaf(parent, name, value.map { $0 ? "true" : "false" })
  }

  /// Sets an attribute the element's type defines; nothing for nil.
  func attribute(_ e: NCMECElement, _ name: String, _ value: String?) {
    guard let value, e.schemaType?.attribute(name) != nil, writable(name, value) else { return }
    if let i = e.attributes.firstIndex(where: { $0.0 == name }) {
      e.attributes[i].1 = value
    } else {
      e.attributes.append((name, value))
    }
  }

  // MARK: extras

  /// Puts extras named by an NCMEC element path below `base` (`ncmec:estimatedLocation/city`,
  /// `ncmec:details[1]/@type`) back into the tree. Extras whose names are not such paths, or whose place is
  /// already taken, are counted as dropped. Names in `skip` are handled by the caller.
  func insert(_ extras: [ExtraField], at base: NCMECElement, skip: Set<String> = []) {
    for x in extras where !skip.contains(x.name) {
      guard x.name.hasPrefix(NCMECExtras.prefix), insert(path: x.name.dropFirst(NCMECExtras.prefix.count), value: x.value, at: base) else {
        drop(Self.unplacedExtras)
        continue
      }
    }
  }

  /// Counts extras that have no place (outside the elements NCMEC paths are relative to).
  func dropExtras(_ extras: [ExtraField], skip: Set<String> = []) {
    drop(Self.unplacedExtras, extras.filter { !skip.contains($0.name) }.count)
  }

  static let unplacedExtras = "extras (source fields no model field holds) that are not NCMEC elements of their place"

  private func insert(path: Substring, value: String, at base: NCMECElement) -> Bool {
    let segments = path.split(separator: "/", omittingEmptySubsequences: false)
    guard !segments.isEmpty else { return false }
    var current = base
    for (i, raw) in segments.enumerated() {
      let isLast = i == segments.count - 1
      if raw.hasPrefix("@") {
        let name = String(raw.dropFirst())
        guard isLast, current.schemaType?.attribute(name) != nil, current.attribute(name) == nil else { return false }
        attribute(current, name, value)
        return true
      }
      var name = String(raw)
      var index: Int? = nil
      if let open = raw.firstIndex(of: "["), raw.last == "]" {
        name = String(raw[..<open])
        index = Int(raw[raw.index(after: open)..<raw.index(before: raw.endIndex)])
        guard let i = index, i >= 1 else { return false }
      }
      guard let def = current.schemaType?.child(name) else { return false }
      let existing = current.children(name)
      let target: NCMECElement
      if let index, def.repeats {
        if existing.count >= index {
          target = existing[index - 1]
        } else {
          var made: NCMECElement? = nil
          for _ in existing.count..<index { made = element(current, name) }
          target = made!
        }
      } else if index == nil, !def.repeats, let e = existing.first {
        target = e
      } else if index == nil && !def.repeats {
        target = element(current, name)!
      } else {
        return false
      }
      if isLast {
        guard target.schemaType?.leaf != nil, target.text == nil || target.text == "", writable(name, value) else { return false }
        target.text = target.schemaType?.leaf == .flag ? nil : value
        return true
      }
      current = target
    }
    return false
  }

  /// Removes optional elements that lack a required part (possible when extras recreate part of an element, e.g.
  /// a lawEnforcement flag without an agency), counting them.
  func prune(_ e: NCMECElement) {
    for c in e.children { prune(c) }
    e.children.removeAll { c in
      guard let t = c.schemaType, let def = e.schemaType?.child(c.name), !def.required else { return false }
      let incomplete = t.children.contains { $0.required && c.child($0.name) == nil }
        || t.attributes.contains { $0.required && c.attribute($0.name) == nil } || (t.isChoice && c.children.count != 1)
      if incomplete { drop("elements lacking a part NCMEC requires (e.g. lawEnforcement without agencyName): left out") }
      return incomplete
    }
  }

  // MARK: values

  /// `xs:dateTime` with an explicit offset: the original text when it is already such a value for the same
  /// instant, else the instant in its original offset (UTC `Z` when none is known).
  static func dateTime(_ t: Timestamp) -> String {
    if case .success(let p) = Timestamp.parseISO8601(t.originalText), p.instant == t.instant { return t.originalText }
    let offset = t.originalOffsetSeconds ?? 0
    let shifted = Instant(seconds: t.instant.seconds + Int64(offset), nanoseconds: t.instant.nanoseconds).iso8601
    if t.originalOffsetText == "Z" || t.originalOffsetSeconds == nil { return shifted }
    return String(shifted.dropLast()) + FixedOffsetZone(offsetSeconds: offset).identifier
  }
}
