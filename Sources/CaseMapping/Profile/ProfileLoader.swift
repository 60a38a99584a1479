public import CaseModel
public import CaseInterchange
import CaseJSON

/// A profile that cannot be used: located in the profile file (exit 78).
public struct ProfileError: Error, Sendable, CustomStringConvertible {
  /// The profile file.
  public var source: String
  /// 1-based line in the profile.
  public var line: Int
  /// 1-based column.
  public var column: Int
  /// What is wrong.
  public var message: String
  /// Rule id: `profile.invalid` (or `profile.syntax` for JSON errors).
  public var rule: String
  /// Compiler-style rendering.
  public var description: String { "\(source):\(line):\(column): error: \(message) [\(rule)]" }
  /// Creates an error.
  public init(source: String, line: Int, column: Int, message: String, rule: String) {
    self.source = source
    self.line = line
    self.column = column
    self.message = message
    self.rule = rule
  }
}

/// Reads mapping profiles (JSON, schema `Schemas/json/profile-1.0.schema.json`) strictly: unknown members,
/// unknown targets and wrong types are located errors naming the profile's line.
public enum ProfileLoader {
  /// Profile versions this build reads.
  public static let versions: Set<String> = ["1.0"]

  /// Parses and checks a profile.
  /// - Parameters:
  ///   - bytes: the profile file's bytes.
  ///   - source: its display name.
  ///   - sha256: SHA-256 of the bytes (computed by the caller).
  /// - Throws: `ProfileError`.
  public static func load(bytes: [UInt8], source: String, sha256: String) throws(ProfileError) -> MappingProfile {
    let lower = source.lowercased()
    if lower.hasSuffix(".yaml") || lower.hasSuffix(".yml") {
      let (root, marks) = try YAMLProfileReader.read(bytes, source: source)
      var ctx = Context(source: source) { offset in offset < marks.count ? marks[offset] : .start }
      return try ctx.profile(root, sha256: sha256)
    }
    var limits = JSONLimits()
    limits.maxDocumentBytes = 4 << 20
    let root: JSONValue
    do {
      root = try JSONParser(limits: limits).parse(bytes)
    } catch {
      throw ProfileError(source: source, line: error.line, column: error.column, message: error.message, rule: "profile.syntax")
    }
    var ctx = Context(source: source) { offset in bytes.withUnsafeBytes { textPosition(of: offset, in: $0, startingAt: .start) } }
    return try ctx.profile(root, sha256: sha256)
  }

  struct Context {
    let source: String
    /// The line and column of a member's key offset (a byte offset for JSON, a mark index for YAML).
    let position: (Int) -> TextPosition
    /// The layout kind being loaded (fields of provider-return layouts read labels and sentence captures).
    var kind: LayoutKind = .csv

    init(source: String, position: @escaping (Int) -> TextPosition) {
      self.source = source
      self.position = position
    }

    func fail(_ message: String, at offset: Int) -> ProfileError {
      let pos = position(offset)
      return ProfileError(source: source, line: pos.line, column: pos.column, message: message, rule: "profile.invalid")
    }

    func fail(_ message: String, line: Int) -> ProfileError {
      ProfileError(source: source, line: line, column: 1, message: message, rule: "profile.invalid")
    }

    func object(_ v: JSONValue, _ what: String, at offset: Int) throws(ProfileError) -> JSONObject {
      guard case .object(let o) = v else { throw fail("\(what) must be an object", at: offset) }
      return o
    }

    func string(_ m: JSONMember) throws(ProfileError) -> String {
      guard case .string(let s) = m.value else { throw fail("'\(m.key)' must be a string", at: m.keyOffset) }
      return s
    }

    func bool(_ m: JSONMember) throws(ProfileError) -> Bool {
      guard case .bool(let b) = m.value else { throw fail("'\(m.key)' must be true or false", at: m.keyOffset) }
      return b
    }

    func int(_ m: JSONMember) throws(ProfileError) -> Int {
      guard case .number(let n) = m.value, let i = n.int64Value, i >= 0 else {
        throw fail("'\(m.key)' must be a non-negative integer", at: m.keyOffset)
      }
      return Int(i)
    }

    func strings(_ m: JSONMember) throws(ProfileError) -> [String] {
      guard case .array(let a) = m.value else { throw fail("'\(m.key)' must be an array of strings", at: m.keyOffset) }
      var out: [String] = []
      for v in a {
        guard case .string(let s) = v else { throw fail("'\(m.key)' must be an array of strings", at: m.keyOffset) }
        out.append(s)
      }
      return out
    }

    func allow(_ o: JSONObject, _ keys: Set<String>, _ what: String) throws(ProfileError) {
      for m in o.members where !keys.contains(m.key) {
        throw fail("unknown member '\(m.key)' in \(what)", at: m.keyOffset)
      }
    }

    mutating func profile(_ root: JSONValue, sha256: String) throws(ProfileError) -> MappingProfile {
      let o = try object(root, "the profile", at: 0)
      try allow(o, ["$schema", "profileVersion", "id", "description", "sourceSystem", "allowEmpty", "layout", "defaults", "records", "unmapped", "columns"], "the profile")
      guard let vm = o.member("profileVersion") else { throw fail("missing 'profileVersion'", at: 0) }
      let version = try string(vm)
      guard ProfileLoader.versions.contains(version) else { throw fail("profileVersion must be one of: 1.0", at: vm.keyOffset) }
      guard let idm = o.member("id") else { throw fail("missing 'id'", at: 0) }
      let id = try string(idm)
      guard !id.isEmpty, id.utf8.count <= 128 else { throw fail("'id' must be 1 to 128 characters", at: idm.keyOffset) }
      guard let lm = o.member("layout") else { throw fail("missing 'layout'", at: 0) }
      let layoutObject = try object(lm.value, "'layout'", at: lm.keyOffset)
      try allow(layoutObject, Set(["kind", "csv", "xml", "json"] + Context.ispLayoutMembers), "'layout'")
      guard let km = layoutObject.member("kind") else { throw fail("missing 'layout.kind'", at: lm.keyOffset) }
      guard let kind = LayoutKind(rawValue: try string(km)) else {
        throw fail("layout.kind must be one of: \(LayoutKind.allCases.map(\.rawValue).joined(separator: ", "))", at: km.keyOffset)
      }
      self.kind = kind
      var csv = CSVLayout()
      if let cm = layoutObject.member("csv") {
        guard kind == .csv || kind == .ispLog || kind == .ispSectioned else { throw fail("'csv' options need a csv-like layout", at: cm.keyOffset) }
        csv = try csvLayout(try object(cm.value, "'layout.csv'", at: cm.keyOffset))
      }
      let document = try documentLayout(layoutObject, kind: kind)
      var defaults = Defaults()
      if let dm = o.member("defaults") { defaults = try self.defaults(try object(dm.value, "'defaults'", at: dm.keyOffset)) }
      var unmapped = UnmappedPolicy.keep
      if let um = o.member("unmapped") {
        guard let u = UnmappedPolicy(rawValue: try string(um)) else { throw fail("unmapped must be keep, drop or error", at: um.keyOffset) }
        unmapped = u
      }
      guard let rm = o.member("records"), case .array(let recs) = rm.value, !recs.isEmpty else {
        throw fail("'records' must be a non-empty array", at: o.member("records")?.keyOffset ?? 0)
      }
      // Declared mappings keep their positions (references count them); a person's `role` adds a
      // roleAssignment after all declared mappings.
      var records: [EntityMapping] = []
      var roles: [EntityMapping] = []
      for r in recs {
        let (mapping, role) = try entityMapping(r, at: rm.keyOffset, defaults: defaults, position: records.count)
        records.append(mapping)
        if let role { roles.append(role) }
      }
      records += roles
      // `otherwise` needs `when` mappings to be the alternative of.
      if records.contains(where: \.isOtherwise), !records.contains(where: { $0.when != nil }) {
        throw fail("'otherwise' needs at least one record mapping with 'when'", at: rm.keyOffset)
      }
      // References must point at an entity mapping that exists.
      for (i, r) in records.enumerated() {
        for f in r.fields {
          if case .entity(let k) = f.source, k >= records.count || k == i {
            throw fail("reference \(f.target) names entity \(k), which is not another entity of this profile", line: f.profileLine)
          }
        }
      }
      var sourceSystem: String? = nil
      if let sm = o.member("sourceSystem") {
        let text = try string(sm)
        guard !text.isEmpty, text.utf8.count <= 128, !text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else {
          throw fail("'sourceSystem' must be 1 to 128 characters without control characters", at: sm.keyOffset)
        }
        sourceSystem = text
      }
      try checkKeys(&records, sourceSystem: sourceSystem, hasHeader: csv.hasHeader)
      var p = MappingProfile(
        version: version, id: id, description: nil, layout: kind, records: records, sha256: sha256, source: source)
      p.sourceSystem = sourceSystem
      if let em = o.member("allowEmpty") { p.allowEmpty = try bool(em) }
      if let d = o.member("description") { p.description = try string(d) }
      p.csv = csv
      p.document = document
      p.unmapped = unmapped
      if let cm = o.member("columns") {
        // Constraints on source columns (paths, labels) no field reads: kept as extras, still held to the rules.
        let co = try object(cm.value, "'columns'", at: cm.keyOffset)
        guard !co.members.isEmpty else { throw fail("'columns' names at least one column", at: cm.keyOffset) }
        for c in co.members {
          p.columnConstraints.append(ColumnConstraints(name: c.key, constraints: try constraints(c, kind: nil), profileLine: line(c.keyOffset)))
        }
      }
      try ispLayout(layoutObject, into: &p)
      return p
    }

    /// Every `key` has a `sourceSystem`, and each of its names is a source the layout can read: a header name
    /// (csv, isp-log, isp-sectioned: checked against each input's header), an element path relative to the record
    /// (xml), a JSON pointer (json, jsonl), or a label or sentence capture that a field of the same section reads
    /// (isp-text, isp-html: only those become columns). A name a field reads takes that field's aliases.
    func checkKeys(_ records: inout [EntityMapping], sourceSystem: String?, hasHeader: Bool) throws(ProfileError) {
      for k in records.indices {
        guard var key = records[k].key, let first = key.first else { continue }
        guard sourceSystem != nil else {
          throw fail("'key' needs the profile's 'sourceSystem' (the system whose record keys these are)", at: first.profileOffset)
        }
        if (kind == .csv || kind == .ispLog) && !hasHeader {
          throw fail("a key names header columns; this layout has no header", at: first.profileOffset)
        }
        for j in key.indices {
          var found: (String, [String])? = nil
          for r in records where r.section == records[k].section {
            for f in r.fields {
              switch f.source {
              case .column(let name, let aliases) where name == key[j].name || aliases.contains(key[j].name): found = (name, aliases)
              case .join(let columns, _) where columns.contains(key[j].name): found = found ?? (key[j].name, [])
              default: break
              }
            }
          }
          let name = key[j].name
          switch kind {
          case .json, .jsonl:
            guard name.hasPrefix("/") else { throw fail("key '\(name)' is not a JSON pointer relative to the record (e.g. /incidentNo)", at: first.profileOffset) }
          case .xml:
            guard !name.hasPrefix("/"), !name.split(separator: "/", omittingEmptySubsequences: false).contains("") else {
              throw fail("key '\(name)' is not an element path relative to the record (e.g. Subject/@id)", at: first.profileOffset)
            }
          case .ispText, .ispHTML:
            guard found != nil else {
              let scope = records[k].section.map { " of section '\($0)'" } ?? ""
              throw fail("key '\(name)' is no label or sentence capture that a field\(scope) of this profile reads", at: first.profileOffset)
            }
          default: break
          }
          guard let found else { continue }
          key[j].name = found.0
          key[j].aliases = found.1
        }
        records[k].key = key
      }
    }

    /// `layout.xml.records` (an element path from the root) or `layout.json.records` (a top-level member).
    func documentLayout(_ layout: JSONObject, kind: LayoutKind) throws(ProfileError) -> DocumentLayout {
      var d = DocumentLayout()
      for (key, owner) in [("xml", LayoutKind.xml), ("json", .json)] {
        guard let m = layout.member(key) else {
          if kind == owner { throw fail("a \(key) layout needs 'layout.\(key).records'", at: 0) }
          continue
        }
        guard kind == owner else { throw fail("'\(key)' options need a \(key) layout", at: m.keyOffset) }
        let o = try object(m.value, "'layout.\(key)'", at: m.keyOffset)
        try allow(o, ["records"], "'layout.\(key)'")
        guard let rm = o.member("records") else { throw fail("missing 'layout.\(key).records'", at: m.keyOffset) }
        let path = try string(rm)
        let parts = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst().map(String.init)
        guard path.hasPrefix("/"), !parts.isEmpty, !parts.contains("") else {
          throw fail("records must be an absolute path such as /Export/Incident (xml) or /incidents (json)", at: rm.keyOffset)
        }
        if owner == .json && parts.count != 1 {
          throw fail("json records must name one top-level member whose value is the array of records, e.g. /incidents", at: rm.keyOffset)
        }
        d.records = parts.map { $0.replacingEscapes() }
      }
      return d
    }

    func csvLayout(_ o: JSONObject) throws(ProfileError) -> CSVLayout {
      try allow(o, ["delimiter", "quote", "header", "encoding", "neutralised"], "'layout.csv'")
      var c = CSVLayout()
      if let m = o.member("delimiter") {
        let d = try string(m)
        switch d {
        case ",": c.delimiter = 0x2C
        case ";": c.delimiter = 0x3B
        case "\t", "tab", "TAB": c.delimiter = 0x09
        case "|": c.delimiter = 0x7C
        default: throw fail("delimiter must be one of , ; | or \"\\t\"", at: m.keyOffset)
        }
      }
      if let m = o.member("quote") {
        let q = Array(try string(m).utf8)
        guard q.count == 1, q[0] < 0x80 else { throw fail("quote must be one ASCII character", at: m.keyOffset) }
        c.quote = q[0]
      }
      if let m = o.member("header") { c.hasHeader = try bool(m) }
      if let m = o.member("encoding") {
        let e = try string(m).lowercased()
        let known = ["utf-8", "utf8", "utf-16le", "utf-16be", "windows-1252", "cp1252", "iso-8859-1", "latin-1", "latin1"]
        guard known.contains(e) else { throw fail("encoding must be one of utf-8, utf-16le, utf-16be, windows-1252, iso-8859-1", at: m.keyOffset) }
        c.encoding = e
      }
      if let m = o.member("neutralised") { c.neutralised = try bool(m) }
      return c
    }

    struct Defaults {
      var zone: (id: String, rules: any ZoneRules)?
      var phoneRegion: PhoneRegion?
      var dayMonthUnknown = false
      var booleans: BooleanSpellings?
    }

    func zone(_ m: JSONMember) throws(ProfileError) -> (id: String, rules: any ZoneRules) {
      let id = try string(m)
      guard let z = FoundationZoneRules(identifier: id) else {
        throw fail("zone must be an IANA time zone such as America/New_York (abbreviations like EST are not zones)", at: m.keyOffset)
      }
      return (id, z)
    }

    func region(_ m: JSONMember) throws(ProfileError) -> PhoneRegion {
      guard let r = PhoneRegion.named(try string(m)) else {
        throw fail("phoneRegion must be a supported region code (see PhoneRegion.supported)", at: m.keyOffset)
      }
      return r
    }

    func booleans(_ m: JSONMember) throws(ProfileError) -> BooleanSpellings {
      let o = try object(m.value, "'boolean'", at: m.keyOffset)
      try allow(o, ["true", "false"], "'boolean'")
      guard let t = o.member("true"), let f = o.member("false") else { throw fail("'boolean' needs 'true' and 'false' spellings", at: m.keyOffset) }
      let ts = Set(try strings(t)), fs = Set(try strings(f))
      guard ts.isDisjoint(with: fs), !ts.isEmpty, !fs.isEmpty else { throw fail("boolean spellings must be non-empty and distinct", at: m.keyOffset) }
      return BooleanSpellings(trueValues: ts, falseValues: fs)
    }

    func dayMonth(_ m: JSONMember) throws(ProfileError) -> Bool {
      switch try string(m) {
      case "unknown": return true
      case "known": return false
      default: throw fail("dayMonth must be \"unknown\" (quarantine ambiguous dates) or \"known\" (the pattern fixes the order)", at: m.keyOffset)
      }
    }

    func defaults(_ o: JSONObject) throws(ProfileError) -> Defaults {
      try allow(o, ["zone", "phoneRegion", "dayMonth", "boolean"], "'defaults'")
      var d = Defaults()
      if let m = o.member("zone") { d.zone = try zone(m) }
      if let m = o.member("phoneRegion") { d.phoneRegion = try region(m) }
      if let m = o.member("dayMonth") { d.dayMonthUnknown = try dayMonth(m) }
      if let m = o.member("boolean") { d.booleans = try booleans(m) }
      return d
    }

    func line(_ offset: Int) -> Int {
      position(offset).line
    }

    func entityMapping(_ v: JSONValue, at offset: Int, defaults: Defaults, position: Int) throws(ProfileError) -> (EntityMapping, EntityMapping?) {
      let o = try object(v, "each record mapping", at: offset)
      try allow(o, ["entity", "optional", "role", "fields", "section", "key", "when", "otherwise"], "a record mapping")
      guard let em = o.member("entity") else { throw fail("a record mapping needs 'entity'", at: offset) }
      guard let type = EntityType(rawValue: try string(em)) else {
        throw fail("entity must be one of: \(EntityType.allCases.map(\.rawValue).joined(separator: ", "))", at: em.keyOffset)
      }
      let targets = MappingTargets.byType[type] ?? [:]
      var mapping = EntityMapping(type: type, fields: [])
      if let m = o.member("optional") { mapping.isOptional = try bool(m) }
      if let w = o.member("when") { mapping.when = try condition(w.value, at: w.keyOffset) }
      if let ow = o.member("otherwise") {
        guard try bool(ow) else { throw fail("'otherwise' can only be true", at: ow.keyOffset) }
        guard mapping.when == nil else { throw fail("a record mapping has 'when' or 'otherwise', not both", at: ow.keyOffset) }
        mapping.isOtherwise = true
      }
      mapping.section = try section(o)
      if let km = o.member("key") {
        let names = try strings(km)
        guard !names.isEmpty, !names.contains(""), Set(names).count == names.count else {
          throw fail("'key' must be a non-empty array of distinct source names", at: km.keyOffset)
        }
        mapping.key = names.map {
          var part = KeyPart(name: $0, profileLine: line(km.keyOffset))
          part.profileOffset = km.keyOffset
          return part
        }
      }
      guard let fm = o.member("fields") else { throw fail("a record mapping needs 'fields'", at: em.keyOffset) }
      let fields = try object(fm.value, "'fields'", at: fm.keyOffset)
      for f in fields.members {
        guard let spec = targets[f.key] else {
          let known = targets.keys.sorted().joined(separator: ", ")
          throw fail("'\(f.key)' is not a target of \(type.rawValue) (targets: \(known))", at: f.keyOffset)
        }
        mapping.fields.append(try field(f, spec: spec, defaults: defaults))
      }
      var role: EntityMapping? = nil
      if let rm = o.member("role") {
        guard type == .person else { throw fail("'role' is only for person mappings", at: rm.keyOffset) }
        let roleName = try string(rm)
        guard Role(rawValue: roleName) != nil else {
          throw fail("role must be one of: \(Role.allCases.map(\.rawValue).joined(separator: ", "))", at: rm.keyOffset)
        }
        var ra = EntityMapping(type: .roleAssignment, isOptional: mapping.isOptional, fields: [], section: mapping.section)
        // The role goes with its person: mapped under the same condition.
        ra.when = mapping.when
        ra.isOtherwise = mapping.isOtherwise
        let l = line(rm.keyOffset)
        ra.fields.append(FieldMapping(target: "personId", spec: TargetSpec("personId", .reference), source: .entity(position), profileLine: l))
        ra.fields.append(FieldMapping(target: "role", spec: TargetSpec("role"), source: .constant(roleName), profileLine: l))
        // A keyed person's role is keyed by the same values (its own type keeps the ids apart), so a re-delivery
        // finds it again instead of adding a new one.
        ra.key = mapping.key
        role = ra
      }
      return (mapping, role)
    }

    func field(_ m: JSONMember, spec: TargetSpec, defaults: Defaults) throws(ProfileError) -> FieldMapping {
      let o = try object(m.value, "field '\(m.key)'", at: m.keyOffset)
      try allow(o, Set(["column", "aliases", "index", "constant", "entity", "join", "separator", "required", "trim", "timestamp", "date", "phoneRegion", "boolean", "split", "values", "constraints"] + Context.ispFieldSources), "field '\(m.key)'")
      let sources = (["column", "index", "constant", "entity", "join"] + Context.ispFieldSources).filter { o[$0] != nil }
      guard sources.count == 1 else {
        throw fail("field '\(m.key)' needs exactly one of column, index, constant, entity, join, label, sentence, response", at: m.keyOffset)
      }
      try checkSourceForLayout(sources[0], o, at: m.keyOffset)
      let source: FieldSource
      var sourceKind = FieldSourceKind.column
      switch sources[0] {
      case "label", "sentence", "response":
        (source, sourceKind) = try ispSource(sources[0], o, at: m.keyOffset)
      case "column":
        source = .column(name: try string(o.member("column")!), aliases: try o.member("aliases").map { m throws(ProfileError) in try strings(m) } ?? [])
      case "index": source = .index(try int(o.member("index")!))
      case "constant": source = .constant(try string(o.member("constant")!))
      case "join":
        let columns = try strings(o.member("join")!)
        guard columns.count >= 2 else { throw fail("'join' names at least two columns", at: m.keyOffset) }
        source = .join(columns: columns, separator: try o.member("separator").map { m throws(ProfileError) in try string(m) } ?? " ")
      default:
        guard spec.kind == .reference else { throw fail("'entity' is only for reference targets", at: m.keyOffset) }
        source = .entity(try int(o.member("entity")!))
      }
      if o["separator"] != nil, case .join = source {} else if let sm = o.member("separator") {
        throw fail("'separator' goes with 'join'", at: sm.keyOffset)
      }
      if spec.kind == .reference, case .entity = source {} else if spec.kind == .reference {
        throw fail("reference target '\(m.key)' takes {\"entity\": k}, the position of another entity mapping", at: m.keyOffset)
      }
      var f = FieldMapping(target: m.key, spec: spec, source: source, profileLine: line(m.keyOffset))
      f.sourceKind = sourceKind
      if let vm = o.member("values") { f.valueMap = try valueMap(vm, spec: spec) }
      if let r = o.member("required") { f.isRequired = try bool(r) }
      if let t = o.member("trim") { f.trims = try bool(t) }
      if let c = o.member("constraints") {
        if case .constant = source { throw fail("'constraints' check source values: a constant has none", at: c.keyOffset) }
        if case .entity = source { throw fail("'constraints' check source values: a reference has none", at: c.keyOffset) }
        f.constraints = try constraints(c, kind: spec.kind)
      }
      f.phoneRegion = defaults.phoneRegion
      f.booleans = defaults.booleans ?? .strict
      f.dayMonthUnknown = defaults.dayMonthUnknown
      if let pm = o.member("phoneRegion") {
        guard spec.kind == .phone else { throw fail("'phoneRegion' is only for phone targets", at: pm.keyOffset) }
        f.phoneRegion = try region(pm)
      }
      if let bm = o.member("boolean") {
        guard spec.kind == .boolean else { throw fail("'boolean' is only for boolean targets", at: bm.keyOffset) }
        f.booleans = try booleans(bm)
      }
      if let sm = o.member("split") {
        guard spec.kind == .fullName else { throw fail("'split' is only for fullName", at: sm.keyOffset) }
        switch try string(sm) {
        case "givenFirst": f.nameOrder = .givenFirst
        case "familyFirstComma": f.nameOrder = .familyFirstComma
        default: throw fail("split must be givenFirst or familyFirstComma", at: sm.keyOffset)
        }
      }
      if let dm = o.member("date") {
        guard spec.kind == .date else { throw fail("'date' is only for date targets", at: dm.keyOffset) }
        let d = try object(dm.value, "'date'", at: dm.keyOffset)
        try allow(d, ["pattern", "dayMonth"], "'date'")
        if let p = d.member("pattern") {
          let text = try string(p)
          do { f.datePattern = try DateTimePattern(text) } catch { throw fail(error.message, at: p.keyOffset) }
        }
        if let x = d.member("dayMonth") { f.dayMonthUnknown = try dayMonth(x) }
      }
      if spec.kind == .timestamp {
        var rule = TimestampRule()
        rule.dayMonthUnknown = f.dayMonthUnknown
        if let z = defaults.zone {
          rule.zone = z.rules
          rule.zoneIdentifier = z.id
        }
        if let tm = o.member("timestamp") {
          let t = try object(tm.value, "'timestamp'", at: tm.keyOffset)
          try allow(t, ["pattern", "zone", "epoch", "dayMonth"], "'timestamp'")
          if let p = t.member("pattern") {
            let text = try string(p)
            do { rule.pattern = try DateTimePattern(text) } catch { throw fail(error.message, at: p.keyOffset) }
          }
          if let z = t.member("zone") {
            let zz = try zone(z)
            rule.zone = zz.rules
            rule.zoneIdentifier = zz.id
            f.declaresZone = true
          }
          if let e = t.member("epoch") {
            guard let u = EpochUnit(rawValue: try string(e)) else { throw fail("epoch must be seconds, milliseconds or microseconds", at: e.keyOffset) }
            rule.epochUnit = u
          }
          if let x = t.member("dayMonth") { rule.dayMonthUnknown = try dayMonth(x) }
        }
        f.timestamp = rule
      } else if let tm = o.member("timestamp") {
        throw fail("'timestamp' is only for timestamp targets", at: tm.keyOffset)
      }
      return f
    }
  }
}

extension String {
  /// JSON Pointer unescaping (`~1` → `/`, `~0` → `~`).
  func replacingEscapes() -> String {
    guard contains("~") else { return self }
    var out = ""
    var it = makeIterator()
    while let c = it.next() {
      if c == "~" {
        switch it.next() {
        case "1": out.append("/")
        case "0": out.append("~")
        case let other?: out.append("~"); out.append(other)
        case nil: out.append("~")
        }
      } else {
        out.append(c)
      }
    }
    return out
  }
}
