public import CaseModel
public import CaseInterchange
public import CaseJSON

/// A problem mapping one record, located by the source column it came from.
public struct MappingIssue: Error, Sendable, Hashable {
  /// Rule id.
  public var rule: String
  /// What is wrong, without values.
  public var message: String
  /// 0-based source column, when the problem has one.
  public var column: Int?
  /// The field's name for diagnostics: the column's header name, else the target.
  public var field: String
  /// The offending value (`--include-values` only).
  public var value: String?
  /// The record's key in its source system (keyed profiles), so the finding names the record as the agency
  /// knows it.
  public var recordKey: String?
  /// Creates an issue.
  public init(rule: String, message: String, column: Int?, field: String, value: String?) {
    self.rule = rule
    self.message = message
    self.column = column
    self.field = field
    self.value = value
  }
}

/// The result of mapping one record.
public enum MappingResult: Sendable {
  /// The entities, in profile order, and warnings; `origins` lists, per emitted entity, the JSON Pointers of
  /// its mapped fields and the source column each came from; `keys` the keyed entities (ordinals among the
  /// emitted entities) and their key texts.
  case entities([Entity], warnings: [MappingIssue], origins: [[(pointer: String, column: Int?, field: String)]], keys: [EntityKeyInfo], unique: [UniqueValue])
  /// Why the record is quarantined.
  case failure([MappingIssue])
}

/// A value a `unique` constraint claims (the reader locates it by `column` and hands it to the pipeline).
public struct UniqueValue: Sendable, Hashable {
  /// 8-byte FNV-1a hash of the profile id, the constraint's profile line, the field and the value.
  public var hash: UInt64
  public var column: Int?
  public var field: String
  public var rule: String
  public var message: String?
}

/// A profile bound to one input's header: maps each record's values to entities.
///
/// Mapping builds each entity's canonical JSON from the transformed values and decodes it with the canonical
/// decoder, so every strict value rule (IP, e-mail, hash, timestamp zone...) applies exactly as for canonical input.
public struct RecordMapper: Sendable {
  /// The profile.
  public let profile: MappingProfile
  /// Header names (nil without a header).
  public let header: [String]?
  private let bound: [[Int?]]  // per entity mapping, per field: resolved column index
  private let joined: [[[Int]]]  // per entity mapping, per field: the resolved columns of a join
  private let keyColumns: [[Int?]?]  // per entity mapping: the resolved columns of its key (nil: unkeyed)
  private let keyedID: @Sendable (String) -> EntityID
  /// Columns no field reads.
  public let unmappedColumns: [Int]
  /// The profile's `columns` constraints bound to this header: column index and constraints.
  private let constrainedColumns: [(column: Int, constraints: ColumnConstraints)]
  /// Per entity mapping: its `when` bound to this header (nil: unconditional).
  private let conditions: [BoundCondition?]

  /// Binds a profile to a header.
  /// - Parameters:
  ///   - keyedID: turns a keyed entity's key string (`key:<sourceSystem>:<type>:<len>:<value>...`) into its id
  ///     (the pipeline's `DeterministicID.keyedID`).
  /// - Throws: `MappingIssue` with rule `profile.column-missing` (a required column is absent, or a key column of a
  ///   delimited layout), or `profile.unmapped-column` (an unread column under `unmapped: error`).
  public init(profile: MappingProfile, header: [String]?, columnCount: Int, keyedID: @escaping @Sendable (String) -> EntityID) throws(MappingIssue) {
    self.profile = profile
    self.header = header
    self.keyedID = keyedID
    var keyColumns: [[Int?]?] = []
    for r in profile.records {
      guard let key = r.key else {
        keyColumns.append(nil)
        continue
      }
      var columns: [Int?] = []
      for part in key {
        let i = header.flatMap { RecordMapper.find([part.name] + part.aliases, in: $0) }
        // A delimited file's header names every column of every row: a key column absent from it rejects the
        // input. Tree records name only the values they hold: there a missing key is that record's finding.
        if i == nil, [.csv, .ispLog, .ispSectioned].contains(profile.layout) {
          throw MappingIssue(rule: "profile.column-missing", message: "key column of \(r.type.rawValue) is not in the header", column: nil, field: part.name, value: nil)
        }
        columns.append(i)
      }
      keyColumns.append(columns)
    }
    self.keyColumns = keyColumns
    // Key columns are read: their values make the ids (and `recordKey`), so `unmapped` does not apply to them.
    let keyed = Set(keyColumns.lazy.compactMap { $0 }.joined().compactMap { $0 })
    var bound: [[Int?]] = []
    var joined: [[[Int]]] = []
    var used = keyed
    for r in profile.records {
      var row: [Int?] = []
      var joins: [[Int]] = []
      for f in r.fields {
        var idx: Int? = nil
        var join: [Int] = []
        switch f.source {
        case .join(let names, _):
          for n in names {
            if let header, let i = RecordMapper.find([n], in: header) {
              join.append(i)
              used.insert(i)
            } else if f.isRequired {
              throw MappingIssue(rule: "profile.column-missing", message: "joined column for \(r.type.rawValue).\(f.target) is not in the header", column: nil, field: n, value: nil)
            }
          }
        case .column(let name, let aliases):
          if let header { idx = RecordMapper.find([name] + aliases, in: header) }
          if idx == nil && f.isRequired {
            throw MappingIssue(rule: "profile.column-missing", message: "required column for \(r.type.rawValue).\(f.target) is not in the header", column: nil, field: name, value: nil)
          }
        case .index(let i):
          if i < columnCount { idx = i } else if f.isRequired {
            throw MappingIssue(rule: "profile.column-missing", message: "required column index \(i) for \(r.type.rawValue).\(f.target) is beyond the \(columnCount) columns", column: nil, field: f.target, value: nil)
          }
        default: break
        }
        if let idx { used.insert(idx) }
        row.append(idx)
        joins.append(join)
      }
      bound.append(row)
      joined.append(joins)
    }
    self.bound = bound
    self.joined = joined
    conditions = profile.records.map { r in r.when.map { BoundCondition($0, header: header) } }
    // Columns a condition tests are read (the kind of a kind/value pair is not an extra).
    for c in conditions { for i in c?.columns ?? [] { used.insert(i) } }
    unmappedColumns = (0..<columnCount).filter { !used.contains($0) }
    constrainedColumns = profile.columnConstraints.compactMap { c in
      header.flatMap { RecordMapper.find([c.name], in: $0) }.map { ($0, c) }
    }
    // A constrained column is still unmapped: kept as an extra under `keep`, dropped under `drop`, and under `error`
    // the profile must map it.
    if profile.unmapped == .error, let first = unmappedColumns.first {
      throw MappingIssue(rule: "profile.unmapped-column", message: "column \(first + 1) is read by no field and the profile says unmapped: error", column: first, field: header?[first] ?? "column \(first + 1)", value: nil)
    }
  }

  /// Finds a column by exact name first, then ignoring ASCII case and surrounding spaces.
  static func find(_ names: [String], in header: [String]) -> Int? {
    for n in names { if let i = header.firstIndex(of: n) { return i } }
    func fold(_ s: String) -> String { s.trimmingSpaces().lowercased() }
    for n in names {
      let f = fold(n)
      if let i = header.firstIndex(where: { fold($0) == f }) { return i }
    }
    return nil
  }

  private func fieldName(_ f: FieldMapping, _ column: Int?) -> String {
    if let column, let header, column < header.count { return header[column] }
    if let column { return "column \(column + 1)" }
    return f.target
  }

  /// Maps one record.
  /// - Parameters:
  ///   - values: the record's field values (already decoded to text).
  ///   - idFor: the id of the entity at a given position of the profile's record list.
  ///   Keyed entities (profile `key`) take their id from their key values instead.
  public func map(_ values: [String], idFor derive: (Int) -> EntityID) -> MappingResult {
    // Each entity's id is derived once per record, however many references name it.
    var ids = [EntityID?](repeating: nil, count: profile.records.count)
    // Keyed entities: the id from (source system, type, key values); a missing key value is the record's finding
    // (dropped below if the entity turns out absent, an optional mapping without values).
    // Empty for unkeyed profiles (no allocation on their hot path).
    var keyTexts: [String?] = keyColumns.contains { $0 != nil } ? Array(repeating: nil, count: profile.records.count) : []
    var keyIssues: [(entity: Int, issue: MappingIssue)] = []
    for (k, columns) in keyColumns.enumerated() {
      guard let columns, let parts = profile.records[k].key else { continue }
      var name = "key:\(profile.sourceSystem ?? ""):\(profile.records[k].type.rawValue):"
      var keyValues: [String] = []
      for (j, c) in columns.enumerated() {
        let v = c.flatMap { $0 < values.count ? values[$0] : nil } ?? ""
        if v.trimmingSpaces().isEmpty {
          let field = c.flatMap { c in header.flatMap { c < $0.count ? $0[c] : nil } } ?? parts[j].name
          keyIssues.append((k, MappingIssue(rule: "record.key-missing", message: "key \(field) of \(profile.records[k].type.rawValue) is empty or missing: the record cannot be identified", column: c, field: field, value: nil)))
        }
        name += "\(v.utf8.count):\(v)"
        keyValues.append(v)
      }
      ids[k] = keyedID(name)
      keyTexts[k] = EntityKeyInfo.text(of: keyValues)
    }
    func idFor(_ k: Int) -> EntityID {
      if let id = ids[k] { return id }
      let id = derive(k)
      ids[k] = id
      return id
    }
    var issues: [MappingIssue] = []
    var unique: [UniqueValue] = []
    var objects: [JSONValue?] = []
    var origins: [[(pointer: String, field: Int)]] = []
    var pending: [(entity: Int, field: Int)] = []
    // Conditional mappings: those whose `when` holds, else the `otherwise` ones; with neither, the record has a
    // kind no mapping accepts.
    var active: [Bool] = []
    if conditions.contains(where: { $0 != nil }) {
      active = conditions.map { $0?.holds(values) ?? true }
      let anyHeld = conditions.indices.contains { conditions[$0] != nil && active[$0] }
      for (k, r) in profile.records.enumerated() where r.isOtherwise { active[k] = !anyHeld }
      if !anyHeld, !profile.records.contains(where: \.isOtherwise) {
        let tested = conditions.compactMap { $0 }.flatMap(\.columns)
        let c = tested.first
        let name = c.flatMap { c in header.flatMap { c < $0.count ? $0[c] : nil } } ?? profile.records.compactMap(\.when).first?.columns.first ?? "when"
        issues.append(MappingIssue(
          rule: "profile.no-mapping", message: "\(name): no record mapping's 'when' accepts this record, and the profile has no 'otherwise' mapping",
          column: c, field: name, value: c.flatMap { $0 < values.count ? values[$0] : nil }))
      }
    }
    for (k, r) in profile.records.enumerated() {
      if !active.isEmpty, !active[k] {
        objects.append(nil)
        origins.append([])
        continue
      }
      var obj: JSONValue = .object(JSONObject([
        JSONMember(key: "type", value: .string(r.type.rawValue)), JSONMember(key: "id", value: .string(idFor(k).rawValue)),
      ]))
      var hasSourceValue = false
      var origin: [(String, Int)] = []
      for (j, f) in r.fields.enumerated() {
        let column = bound[k][j]
        var text: String
        switch f.source {
        case .entity:
          pending.append((k, j))
          continue
        case .constant(let c): text = c
        case .join(_, let separator):
          text = joined[k][j].compactMap { $0 < values.count && !values[$0].isEmpty ? values[$0] : nil }.joined(separator: separator)
        case .column, .index:
          guard let column, column < values.count else {
            if f.isRequired { issues.append(MappingIssue(rule: "field.missing", message: "required \(r.type.rawValue).\(f.target) has no column", column: column, field: fieldName(f, column), value: nil)) }
            continue
          }
          text = values[column]
        }
        if f.trims { text = text.trimmingSpaces() }
        if text.isEmpty, !f.spec.path.contains("+") {
          // Remember where the field would have come from: a rule about its absence names the column.
          origin.append(("/" + f.spec.path.joined(separator: "/"), j))
        }
        if text.isEmpty {
          if f.isRequired { issues.append(MappingIssue(rule: "field.missing", message: "required \(r.type.rawValue).\(f.target) is empty", column: column, field: fieldName(f, column), value: nil)) }
          continue
        }
        if case .constant = f.source {} else { hasSourceValue = true }
        var broken = false
        for c in f.constraints {
          if case .unique = c.check {
            unique.append(UniqueValue(
              hash: Self.fnv1a(profile.id, String(c.profileLine), fieldName(f, column), text), column: column, field: fieldName(f, column),
              rule: c.rule, message: c.message))
          } else if let problem = c.violation(text, field: fieldName(f, column)) {
            issues.append(MappingIssue(rule: c.rule, message: problem, column: column, field: fieldName(f, column), value: text))
            broken = true
          }
        }
        // A value that breaks the agency's rule is not also judged by the transforms (one finding, in its words).
        if broken { continue }
        if let map = f.valueMap {
          // Declared spellings, exact (byte for byte), as for booleans.
          guard let hit = map.first(where: { $0.key.utf8.elementsEqual(text.utf8) }) else {
            issues.append(MappingIssue(rule: "field.invalid-value", message: "\(fieldName(f, column)): value is not one of the \(map.count) declared spellings", column: column, field: fieldName(f, column), value: text))
            continue
          }
          text = hit.value
        }
        switch transform(text, f) {
        case .failure(let e):
          issues.append(MappingIssue(rule: e.rule, message: "\(fieldName(f, column)): \(e.message)", column: column, field: fieldName(f, column), value: text))
        case .success(let placements):
          if f.hasTimeConstraints, let first = placements.first, let instant = Self.instant(first.1, date: f.spec.kind == .date) {
            for c in f.constraints {
              if let problem = c.timeViolation(instant, now: profile.now, date: f.spec.kind == .date, field: fieldName(f, column)) {
                issues.append(MappingIssue(rule: c.rule, message: problem, column: column, field: fieldName(f, column), value: text))
              }
            }
          }
          for (path, value) in placements {
            let p = place(&obj, path: path[...], value: value)
            origin.append((p, j))
          }
        }
      }
      objects.append(r.isOptional && !hasSourceValue ? nil : obj)
      origins.append(origin)
    }
    // Columns no field reads, held to the profile's `columns` constraints.
    for (c, cc) in constrainedColumns where c < values.count && !values[c].isEmpty {
      let text = values[c]
      let name = header.map { c < $0.count ? $0[c] : cc.name } ?? cc.name
      for k in cc.constraints {
        if case .unique = k.check {
          unique.append(UniqueValue(hash: Self.fnv1a(profile.id, String(k.profileLine), name, text), column: c, field: name, rule: k.rule, message: k.message))
        } else if let problem = k.violation(text, field: name) {
          issues.append(MappingIssue(rule: k.rule, message: problem, column: c, field: name, value: text))
        }
      }
    }
    // Online identifiers: the normalised form of e-mails and phones, with the field's default region.
    for (k, r) in profile.records.enumerated() where r.type == .onlineIdentifier {
      guard case .object(var o)? = objects[k], o["normalized"] == nil, case .string(let kind)? = o["kind"],
        case .string(let value)? = o["value"]
      else { continue }
      let j = r.fields.firstIndex { $0.target == "value" }
      let column = j.flatMap { bound[k][$0] }
      let name = j.map { fieldName(r.fields[$0], column) } ?? "value"
      var normalized: Result<String, FieldError>? = nil
      if kind == "phone" {
        let region = j.flatMap { r.fields[$0].phoneRegion }
        normalized = PhoneNumber.parse(value, defaultRegion: region).map(\.e164)
      } else if kind == "email" {
        normalized = EmailAddress.parse(value).map(\.normalized)
      }
      switch normalized {
      case .success(let n)?:
        o.members.append(JSONMember(key: "normalized", value: .string(n)))
        objects[k] = .object(o)
        if let j { origins[k].append(("/normalized", j)) }
      case .failure(let e)?:
        issues.append(MappingIssue(rule: e.rule, message: "\(name): \(e.message)", column: column, field: name, value: value))
      case nil: break
      }
    }
    // References, now that it is known which entities exist.
    for (k, j) in pending {
      guard var obj = objects[k] else { continue }
      let f = profile.records[k].fields[j]
      guard case .entity(let target) = f.source else { continue }
      if objects[target] != nil {
        let p = place(&obj, path: f.spec.path[...], value: .string(idFor(target).rawValue))
        origins[k].append((p, j))
        objects[k] = obj
      } else if f.isRequired {
        issues.append(MappingIssue(rule: "field.missing", message: "required reference \(profile.records[k].type.rawValue).\(f.target) names an entity this record does not have", column: nil, field: f.target, value: nil))
      }
    }
    for (k, issue) in keyIssues where objects[k] != nil { issues.append(issue) }
    // The record's key: the first present keyed entity's (profile order), unless that key is what is missing.
    let firstKeyed = keyTexts.indices.first { keyTexts[$0] != nil && objects[$0] != nil }
    let recordKey = firstKeyed.flatMap { k in keyIssues.contains { $0.entity == k } ? nil : keyTexts[k] }
    func failure(_ issues: [MappingIssue]) -> MappingResult {
      guard let recordKey else { return .failure(issues) }
      return .failure(issues.map {
        var i = $0
        i.recordKey = recordKey
        return i
      })
    }
    // `unmapped: keep` with no entity to keep them on: the values would vanish from an accepted record (a header
    // none of whose columns the profile reads — a file without its header line, say — maps every row to nothing).
    if issues.isEmpty, profile.unmapped == .keep, !objects.contains(where: { $0 != nil }),
      let c = unmappedColumns.first(where: { $0 < values.count && !values[$0].isEmpty })
    {
      let count = unmappedColumns.filter { $0 < values.count && !values[$0].isEmpty }.count
      let name = header.map { c < $0.count ? $0[c] : "column \(c + 1)" } ?? "column \(c + 1)"
      issues.append(MappingIssue(
        rule: "record.no-entity",
        message: "the record yields no entity, so the values of its \(count) unmapped column(s) would have nowhere to be kept",
        column: c, field: name, value: nil))
    }
    if !issues.isEmpty { return failure(issues) }
    // Unmapped columns kept as extras of the first entity: the first unkeyed one when there is one, so a keyed
    // entity repeated over rows (a case) keeps one content whatever else the rows hold.
    if profile.unmapped == .keep,
      let first = objects.indices.first(where: { objects[$0] != nil && (keyTexts.isEmpty || keyTexts[$0] == nil) }) ?? objects.firstIndex(where: { $0 != nil })
    {
      var extras: [JSONValue] = []
      for c in unmappedColumns where c < values.count && !values[c].isEmpty {
        let name = header.map { c < $0.count ? $0[c] : "column \(c + 1)" } ?? "column \(c + 1)"
        extras.append(.object(JSONObject([JSONMember(key: "name", value: .string(name)), JSONMember(key: "value", value: .string(values[c]))])))
      }
      if !extras.isEmpty, case .object(var o) = objects[first]! {
        o.members.append(JSONMember(key: "extras", value: .array(extras)))
        objects[first] = .object(o)
      }
    }
    var entities: [Entity] = []
    var keys: [EntityKeyInfo] = []
    var emittedOrigins: [[(pointer: String, column: Int?, field: String)]] = []
    let decoder = JSONValueDecoder()
    for (k, obj) in objects.enumerated() {
      guard let obj else { continue }
      do {
        let (e, unknown) = try decoder.decodeEntity(obj)
        if let u = unknown.first {
          issues.append(MappingIssue(rule: "json.unknown-member", message: "internal: mapped member \(u) is unknown", column: nil, field: u, value: nil))
        }
        if !keyTexts.isEmpty, let text = keyTexts[k] { keys.append(EntityKeyInfo(ordinal: entities.count, sourceSystem: profile.sourceSystem ?? "", text: text)) }
        entities.append(e)
        let r = profile.records[k]
        emittedOrigins.append(origins[k].map { o in
          let column = bound[k][o.field]
          return (o.pointer, column, fieldName(r.fields[o.field], column))
        })
      } catch {
        let r = profile.records[k]
        let j = origins[k].filter { error.pointer.hasPrefix($0.pointer) || $0.pointer.hasPrefix(error.pointer) }
          .max { $0.pointer.count < $1.pointer.count }?.field
        let column = j.flatMap { bound[k][$0] }
        let name = j.map { fieldName(r.fields[$0], column) } ?? error.pointer
        issues.append(MappingIssue(rule: error.rule, message: "\(name): \(error.message)", column: column, field: name, value: error.value))
      }
    }
    return issues.isEmpty ? .entities(entities, warnings: [], origins: emittedOrigins, keys: keys, unique: unique) : failure(issues)
  }

  /// Transforms a text into the JSON value(s) to place, by target kind.
  private func transform(_ text: String, _ f: FieldMapping) -> Result<[([String], JSONValue)], FieldError> {
    switch f.spec.kind {
    case .text, .reference:
      return .success([(f.spec.path, .string(text))])
    case .integer:
      guard let n = strictInteger(text) else { return .failure(FieldError(rule: "field.invalid-integer", message: "not a decimal integer")) }
      return .success([(f.spec.path, .number(JSONNumber(n)))])
    case .boolean:
      return f.booleans.parse(text).map { [(f.spec.path, .bool($0))] }
    case .timestamp:
      let rule = f.timestamp ?? TimestampRule()
      switch resolveTimestamp(text, rule: rule) {
      case .success(let t):
        return .success([(f.spec.path, JSONValue(canonical: t))])
      case .failure(let e): return .failure(e)
      }
    case .date:
      guard let p = f.datePattern else { return .success([(f.spec.path, .string(text))]) }
      switch p.parse(text, dayMonthUnknown: f.dayMonthUnknown) {
      case .success(let d): return .success([(f.spec.path, .string(d.local.date.iso8601))])
      case .failure(let e): return .failure(e)
      }
    case .phone:
      switch PhoneNumber.parse(text, defaultRegion: f.phoneRegion) {
      case .success(let p):
        return .success([(f.spec.path, JSONValue(canonical: p))])
      case .failure(let e): return .failure(e)
      }
    case .hash:
      let algorithm = f.spec.path.last ?? ""
      var members = [JSONMember(key: "algorithm", value: .string(algorithm)), JSONMember(key: "hex", value: .string(text.lowercased()))]
      if text.lowercased() != text { members.append(JSONMember(key: "original", value: .string(text))) }
      return .success([(["hashes", "+"], .object(JSONObject(members)))])
    case .fullName:
      var out: [([String], JSONValue)] = [(f.spec.path, .string(text))]
      if let order = f.nameOrder {
        let parts = NameSplit.splitFull(text, order: order)
        if let g = parts.given { out.append((["names", "0", "given"], .string(g))) }
        if let m = parts.middle { out.append((["names", "0", "middle"], .string(m))) }
        if let l = parts.family { out.append((["names", "0", "family"], .string(l))) }
      }
      return .success(out)
    }
  }
}

extension RecordMapper {
  /// The instant of a mapped timestamp (`"…Z"` or `{"utc": "…Z", …}`) or date (`"YYYY-MM-DD"`, as midnight UTC).
  static func instant(_ v: JSONValue, date: Bool) -> Instant? {
    switch v {
    case .string(let s):
      if date {
        guard case .success(let d) = CalendarDate.parse(s) else { return nil }
        return Instant(seconds: d.daysSinceEpoch * 86400)
      }
      return Instant.parseUTC(s)
    case .object(let o):
      guard case .string(let s)? = o["utc"] else { return nil }
      return Instant.parseUTC(s)
    default: return nil
    }
  }
}

extension RecordMapper {
  /// 64-bit FNV-1a over the parts, each followed by a 0 byte.
  static func fnv1a(_ parts: String...) -> UInt64 {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for p in parts {
      for b in p.utf8 {
        h ^= UInt64(b)
        h &*= 0x100_0000_01b3
      }
      h ^= 0
      h &*= 0x100_0000_01b3
    }
    return h
  }
}

extension FieldMapping {
  /// Whether a `notBefore`/`notAfter` constraint applies (checked on the parsed value).
  var hasTimeConstraints: Bool {
    constraints.contains { if case .time = $0.check { return true } else { return false } }
  }
}

/// A strict decimal integer: optional `-`, digits, at most 18 of them.
func strictInteger(_ s: String) -> Int64? {
  let u = Array(s.utf8)
  var i = 0
  if u.first == 0x2D { i = 1 }
  guard i < u.count, u.count - i <= 18, u[i...].allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
  return Int64(s)
}

/// Sets `value` at `path` inside `root`, creating objects and arrays in order. A path component `+` appends to an
/// array; a numeric component addresses an array element. Returns the JSON Pointer of the placed value.
@discardableResult
func place(_ root: inout JSONValue, path: ArraySlice<String>, value: JSONValue, prefix: String = "") -> String {
  guard let head = path.first else {
    root = value
    return prefix
  }
  let rest = path.dropFirst()
  // Each container is taken out of its parent (the parent set to null) before it is changed, so it is changed in
  // place: a reference left behind would make every placement copy the container.
  if head == "+" || Int(head) != nil {
    var items: [JSONValue]
    if case .array(let a) = root { items = a } else { items = [] }
    root = .null
    let index = head == "+" ? items.count : Int(head)!
    while items.count <= index { items.append(.object(JSONObject())) }
    var child = items[index]
    items[index] = .null
    let p = place(&child, path: rest, value: value, prefix: prefix + "/\(index)")
    items[index] = child
    root = .array(items)
    return p
  }
  var o: JSONObject
  if case .object(let x) = root { o = x } else { o = JSONObject() }
  root = .null
  if let i = o.members.firstIndex(where: { $0.key == head }) {
    var child = o.members[i].value
    o.members[i].value = .null
    let p = place(&child, path: rest, value: value, prefix: prefix + "/" + head)
    o.members[i].value = child
    root = .object(o)
    return p
  }
  var child: JSONValue = rest.isEmpty ? value : .null
  let p = place(&child, path: rest, value: value, prefix: prefix + "/" + head)
  o.members.append(JSONMember(key: head, value: child))
  root = .object(o)
  return p
}

extension String {
  /// Without leading and trailing spaces and tabs.
  func trimmingSpaces() -> String {
    var s = Substring(self)
    while let c = s.first, c == " " || c == "\t" { s = s.dropFirst() }
    while let c = s.last, c == " " || c == "\t" { s = s.dropLast() }
    return String(s)
  }
}
