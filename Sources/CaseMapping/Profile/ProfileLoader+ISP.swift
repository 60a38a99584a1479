import CaseModel
import CaseInterchange
import CaseJSON

// The provider-return part of the profile language: layout options of isp-text, isp-sectioned and isp-html, the
// field sources `label`, `sentence` and `response`, the `section` of record mappings, and the checks that tie them
// together. Kept in its own extension so other layout families can extend the loader beside it.

extension ProfileLoader.Context {
  /// Layout members of the provider-return kinds.
  static let ispLayoutMembers = ["text", "sectioned", "html"]
  /// Field sources of the provider-return kinds.
  static let ispFieldSources = ["label", "sentence", "response"]

  /// The sources each layout kind's fields may use.
  static func allowedSources(_ kind: LayoutKind) -> Set<String> {
    switch kind {
    case .ispText: ["label", "sentence", "response", "constant", "entity"]
    case .ispHTML: ["label", "response", "constant", "entity"]
    default: ["column", "index", "constant", "entity", "join"]
    }
  }

  func checkSourceForLayout(_ name: String, _ o: JSONObject, at offset: Int) throws(ProfileError) {
    let allowed = Self.allowedSources(kind)
    guard allowed.contains(name) else {
      throw fail("a field of layout \(kind.rawValue) reads one of: \(allowed.sorted().joined(separator: ", ")) (not '\(name)')", at: offset)
    }
    if let a = o.member("aliases"), name != "column", name != "label" {
      throw fail("'aliases' goes with 'column' or 'label'", at: a.keyOffset)
    }
  }

  /// A `label`, `sentence` or `response` source, read from the reader's virtual columns.
  func ispSource(_ name: String, _ o: JSONObject, at offset: Int) throws(ProfileError) -> (FieldSource, FieldSourceKind) {
    let m = o.member(name)!
    let text = try string(m)
    switch name {
    case "label":
      guard !text.isEmpty, !text.hasPrefix("@"), !text.contains(":") else {
        throw fail("a label is a non-empty name without ':' that does not start with '@'", at: m.keyOffset)
      }
      let aliases = try o.member("aliases").map { a throws(ProfileError) in try strings(a) } ?? []
      for a in aliases where a.isEmpty || a.hasPrefix("@") || a.contains(":") {
        throw fail("a label alias is a non-empty name without ':' that does not start with '@'", at: m.keyOffset)
      }
      return (.column(name: text, aliases: aliases), .label)
    case "sentence":
      guard !text.isEmpty else { throw fail("'sentence' names a capture of one of the layout's sentences", at: m.keyOffset) }
      return (.column(name: text, aliases: []), .sentence)
    default:
      guard text == "zone" else { throw fail("'response' reads \"zone\" (the IANA zone the response states)", at: m.keyOffset) }
      return (.column(name: statedZoneColumn, aliases: []), .response)
    }
  }

  /// `values`: spellings of the source mapped to model values, exact.
  func valueMap(_ m: JSONMember, spec: TargetSpec) throws(ProfileError) -> [String: String] {
    guard spec.kind != .reference else { throw fail("'values' is not for reference targets", at: m.keyOffset) }
    let o = try object(m.value, "'values'", at: m.keyOffset)
    guard !o.members.isEmpty else { throw fail("'values' maps at least one spelling", at: m.keyOffset) }
    var out: [String: String] = [:]
    for v in o.members { out[v.key] = try string(v) }
    return out
  }

  /// A record mapping's `section`.
  func section(_ o: JSONObject) throws(ProfileError) -> String? {
    guard let m = o.member("section") else { return nil }
    let s = try string(m)
    guard !s.isEmpty else { throw fail("'section' must not be empty", at: m.keyOffset) }
    guard kind == .ispText || kind == .ispSectioned || kind == .ispHTML else {
      throw fail("'section' is for isp-text, isp-sectioned and isp-html layouts", at: m.keyOffset)
    }
    return s
  }

  func regex(_ m: JSONMember, ignoringCase: Bool = false) throws(ProfileError) -> ProfileRegex {
    let text = try string(m)
    do {
      return try ProfileRegex(text, ignoringCase: ignoringCase, profileLine: line(m.keyOffset))
    } catch {
      throw fail("'\(m.key)' is not a valid regular expression", at: m.keyOffset)
    }
  }

  func zoneStatements(_ m: JSONMember) throws(ProfileError) -> [ZoneStatement] {
    guard case .array(let items) = m.value else { throw fail("'zoneStatements' must be an array", at: m.keyOffset) }
    var out: [ZoneStatement] = []
    for v in items {
      let o = try object(v, "each zone statement", at: m.keyOffset)
      try allow(o, ["pattern", "zone"], "a zone statement")
      guard let p = o.member("pattern"), let z = o.member("zone") else {
        throw fail("a zone statement needs 'pattern' and 'zone'", at: m.keyOffset)
      }
      let zz = try zone(z)
      out.append(ZoneStatement(pattern: try regex(p, ignoringCase: true), zoneIdentifier: zz.id, zone: zz.rules))
    }
    return out
  }

  /// Reads the layout options of the provider-return kinds and checks the profile's sections, labels and
  /// captures against them.
  mutating func ispLayout(_ layout: JSONObject, into p: inout MappingProfile) throws(ProfileError) {
    let wanted: String? =
      switch kind {
      case .ispText: "text"
      case .ispSectioned: "sectioned"
      case .ispHTML: "html"
      default: nil
      }
    for name in Self.ispLayoutMembers where name != wanted {
      if let m = layout.member(name) { throw fail("'\(name)' options are not for layout \(kind.rawValue)", at: m.keyOffset) }
    }
    guard let wanted else {
      for r in p.records where r.section != nil { throw fail("'section' is for provider-return layouts", line: r.fields.first?.profileLine ?? 1) }
      return
    }
    guard let lm = layout.member(wanted) else { throw fail("layout \(kind.rawValue) needs 'layout.\(wanted)'", at: 0) }
    let o = try object(lm.value, "'layout.\(wanted)'", at: lm.keyOffset)
    var sections: Set<String> = []
    switch kind {
    case .ispText:
      p.ispText = try textLayout(o, at: lm.keyOffset)
    case .ispSectioned:
      let s = try sectionedLayout(o, at: lm.keyOffset)
      sections = Set(s.sections.map(\.id))
      p.ispSectioned = s
    default:
      let h = try htmlLayout(o, at: lm.keyOffset)
      sections = Set(h.sections.map(\.id))
      p.ispHTML = h
    }
    try checkSections(p.records, declared: sections)
    try checkVirtualColumns(p)
  }

  func textLayout(_ o: JSONObject, at offset: Int) throws(ProfileError) -> ISPTextLayout {
    try allow(o, ["record", "end", "count", "zoneStatements", "sentences", "labels"], "'layout.text'")
    guard let rm = o.member("record") else { throw fail("'layout.text' needs 'record', the pattern of the line that starts a record", at: offset) }
    var t = ISPTextLayout(recordStart: try regex(rm))
    if let m = o.member("end") { t.end = try regex(m) }
    if let m = o.member("count") {
      let r = try regex(m, ignoringCase: true)
      guard r.hasCapture("count") else { throw fail("'count' needs a capture named count, e.g. (?<count>\\d+)", at: m.keyOffset) }
      t.count = r
    }
    if let m = o.member("zoneStatements") { t.zoneStatements = try zoneStatements(m) }
    if let m = o.member("sentences") {
      guard case .array(let items) = m.value else { throw fail("'sentences' must be an array of patterns", at: m.keyOffset) }
      for v in items {
        guard case .string = v else { throw fail("'sentences' must be an array of patterns", at: m.keyOffset) }
        t.sentences.append(try regex(JSONMember(key: "sentences", value: v, keyOffset: m.keyOffset)))
      }
    }
    if let m = o.member("labels") {
      t.extraLabels = try strings(m)
      for l in t.extraLabels where l.isEmpty || l.hasPrefix("@") || l.contains(":") {
        throw fail("a label is a non-empty name without ':' that does not start with '@'", at: m.keyOffset)
      }
    }
    return t
  }

  func sectionedLayout(_ o: JSONObject, at offset: Int) throws(ProfileError) -> ISPSectionedLayout {
    try allow(o, ["sections", "zoneStatements"], "'layout.sectioned'")
    var s = ISPSectionedLayout()
    guard let sm = o.member("sections"), case .array(let items) = sm.value, !items.isEmpty else {
      throw fail("'layout.sectioned' needs a non-empty 'sections' array", at: offset)
    }
    for v in items {
      let so = try object(v, "each section", at: sm.keyOffset)
      try allow(so, ["id", "legend", "columns"], "a section")
      guard let idm = so.member("id") else { throw fail("a section needs 'id'", at: sm.keyOffset) }
      var sec = ISPSection(id: try string(idm))
      guard !sec.id.isEmpty, sec.id != responseSectionName else { throw fail("a section id is non-empty and not \"response\"", at: idm.keyOffset) }
      guard !s.sections.contains(where: { $0.id == sec.id }) else { throw fail("section '\(sec.id)' is declared twice", at: idm.keyOffset) }
      if let m = so.member("legend") { sec.legend = try regex(m, ignoringCase: true) }
      if let m = so.member("columns") { sec.columns = try strings(m) }
      s.sections.append(sec)
    }
    if let m = o.member("zoneStatements") { s.zoneStatements = try zoneStatements(m) }
    return s
  }

  func htmlLayout(_ o: JSONObject, at offset: Int) throws(ProfileError) -> ISPHTMLLayout {
    try allow(o, ["sections", "zoneStatements"], "'layout.html'")
    var h = ISPHTMLLayout()
    if let sm = o.member("sections") {
      guard case .array(let items) = sm.value else { throw fail("'sections' must be an array", at: sm.keyOffset) }
      for v in items {
        let so = try object(v, "each section", at: sm.keyOffset)
        try allow(so, ["id", "entryStart"], "a section")
        guard let idm = so.member("id") else { throw fail("a section needs 'id' (the property name)", at: sm.keyOffset) }
        var sec = ISPHTMLSection(id: try string(idm))
        guard !sec.id.isEmpty, sec.id != responseSectionName else { throw fail("a section id is non-empty and not \"response\"", at: idm.keyOffset) }
        guard !h.sections.contains(where: { $0.id == sec.id }) else { throw fail("section '\(sec.id)' is declared twice", at: idm.keyOffset) }
        if let m = so.member("entryStart") { sec.entryStart = try string(m) }
        h.sections.append(sec)
      }
    }
    if let m = o.member("zoneStatements") { h.zoneStatements = try zoneStatements(m) }
    return h
  }

  /// Every mapping's section exists for the layout; references stay inside a section or point at a response
  /// mapping; response mappings reference only response mappings.
  func checkSections(_ records: [EntityMapping], declared: Set<String>) throws(ProfileError) {
    for r in records {
      let l = r.fields.first?.profileLine ?? 1
      switch (kind, r.section) {
      case (.ispText, nil), (.ispText, responseSectionName?), (.ispHTML, responseSectionName?): break
      case (.ispText, let s?):
        throw fail("an isp-text mapping's section is \"response\" (the header) or absent (each record), not '\(s)'", line: l)
      case (_, nil):
        throw fail("a \(r.type.rawValue) mapping of layout \(kind.rawValue) needs 'section' (one of: \(declared.sorted().joined(separator: ", ")))", line: l)
      case (_, let s?):
        guard declared.contains(s) else {
          throw fail("section '\(s)' is not declared in the layout (declared: \(declared.sorted().joined(separator: ", ")))", line: l)
        }
      }
    }
    for r in records {
      for f in r.fields {
        guard case .entity(let k) = f.source else { continue }
        let target = records[k].section
        if target == r.section || (target == responseSectionName && kind != .ispSectioned) { continue }
        throw fail("reference \(f.target) names entity \(k) of another section; references stay in their section or name a response entity", line: f.profileLine)
      }
    }
  }

  /// Sentence captures exist; label spellings belong to one label group; virtual column names do not collide.
  func checkVirtualColumns(_ p: MappingProfile) throws(ProfileError) {
    let sentences = p.ispText?.sentences ?? []
    var groups: [String: String] = [:]  // folded spelling -> primary label
    var captures: Set<String> = []
    func fold(_ s: String) -> String { s.lowercased() }
    for r in p.records {
      for f in r.fields {
        guard case .column(let name, let aliases) = f.source else { continue }
        switch f.sourceKind {
        case .sentence:
          guard sentences.contains(where: { $0.hasCapture(name) }) else {
            throw fail("no sentence of layout.text has a capture named '\(name)'", line: f.profileLine)
          }
          captures.insert(name)
        case .label:
          for spelling in [name] + aliases {
            if let other = groups[fold(spelling)], other != name {
              throw fail("label '\(spelling)' belongs to label '\(other)' and to label '\(name)'; give each spelling to one label", line: f.profileLine)
            }
            groups[fold(spelling)] = name
          }
        default: break
        }
      }
    }
    for l in p.ispText?.extraLabels ?? [] where groups[fold(l)] == nil { groups[fold(l)] = l }
    for c in captures where groups[fold(c)] != nil {
      throw fail("capture '\(c)' has the name of a label; rename one of them", line: 1)
    }
  }
}
