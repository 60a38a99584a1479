import CaseModel
import CaseInterchange
import CaseMapping

/// A 1-based line and column in the input (columns in Unicode scalars from the start of the line).
struct TextPoint: Sendable, Hashable {
  var line: Int
  var column: Int
}

/// A subset of a profile's entity mappings (one section) bound to a virtual header, so the profile's
/// `RecordMapper` applies every transform and strict model rule unchanged.
///
/// References to mappings outside the subset become the ids of entities that already exist (the response's,
/// passed in `external`); a required reference to one that does not exist is `field.missing`. Entity ids are
/// derived from the mapping's position in the whole profile, so they do not depend on the section.
struct SectionMapper {
  /// Positions, in the whole profile, of the subset's mappings.
  let positions: [Int]
  let mapper: RecordMapper
  /// Required references to entities outside the subset that do not exist.
  private let missing: [MappingIssue]

  /// - Parameters:
  ///   - zone: a zone the response states; it replaces the profile's default zone for timestamp fields that
  ///     do not declare their own.
  /// - Throws: `MappingIssue` from binding (`profile.column-missing`).
  init(
    profile: MappingProfile, positions: [Int], header: [String], external: [Int: EntityID],
    zone: ZoneStatement?, unmapped: UnmappedPolicy, keyedID: @escaping @Sendable (String) -> EntityID
  ) throws(MappingIssue) {
    self.positions = positions
    var sub = profile
    sub.unmapped = unmapped
    var missing: [MappingIssue] = []
    var records: [EntityMapping] = []
    for p in positions {
      var r = profile.records[p]
      var fields: [FieldMapping] = []
      for var f in r.fields {
        if case .entity(let k) = f.source {
          if let local = positions.firstIndex(of: k) {
            f.source = .entity(local)
          } else if let id = external[k] {
            f.source = .constant(id.rawValue)
          } else {
            if f.isRequired {
              missing.append(MappingIssue(
                rule: "field.missing", message: "required reference \(r.type.rawValue).\(f.target) names an entity the response does not have",
                column: nil, field: f.target, value: nil))
            }
            continue
          }
        }
        if let zone, f.spec.kind == .timestamp, !f.declaresZone {
          var rule = f.timestamp ?? TimestampRule()
          rule.zone = zone.zone
          rule.zoneIdentifier = zone.zoneIdentifier
          f.timestamp = rule
        }
        fields.append(f)
      }
      r.fields = fields
      records.append(r)
    }
    sub.records = records
    self.missing = missing
    mapper = try RecordMapper(profile: sub, header: header, columnCount: header.count, keyedID: keyedID)
  }

  /// Whether the subset reads a virtual column.
  func reads(_ column: Int) -> Bool { !mapper.unmappedColumns.contains(column) }

  /// Maps one record's values; `idFor` takes a position in the whole profile.
  func map(_ values: [String], idFor: (Int) -> EntityID) -> MappingResult {
    if !missing.isEmpty { return .failure(missing) }
    let positions = self.positions
    return mapper.map(values, idFor: { idFor(positions[$0]) })
  }
}

/// Collects the entities, origins and findings of one source record from one or more mapped parts (the
/// response's entities ride with the first record), and turns them into a `ReadOutcome`.
struct RecordAssembly {
  let source: String
  let index: Int
  let span: SourceSpan
  var entities: [Entity] = []
  var origins: [FieldOrigin] = []
  var diagnostics: [Diagnostic] = []
  var declaredIDs: [EntityID] = []
  var keys: [EntityKeyInfo] = []
  /// Values of `unique` constraints this record claims.
  var uniqueClaims: [UniqueClaim] = []

  init(source: String, index: Int, span: SourceSpan) {
    self.source = source
    self.index = index
    self.span = span
  }

  /// A finding located at a point of the record (or at the record's start).
  func diagnostic(_ rule: String, _ severity: Severity, _ message: String, at point: TextPoint?, field: String? = nil, value: String? = nil, recordKey: String? = nil) -> Diagnostic {
    Diagnostic(
      rule: rule, severity: severity, message: message,
      location: SourceLocation(
        source: source, record: index, line: point?.line ?? span.line, column: point?.column ?? span.column,
        byteOffset: span.byteOffset, byteLength: span.byteLength, field: field, recordKey: recordKey),
      value: value)
  }

  mutating func add(_ rule: String, _ severity: Severity, _ message: String, at point: TextPoint?, field: String? = nil, value: String? = nil, recordKey: String? = nil) {
    diagnostics.append(diagnostic(rule, severity, message, at: point, field: field, value: value, recordKey: recordKey))
  }

  /// Adds a mapped part; `points[c]` is where virtual column `c`'s value starts in this record.
  mutating func add(_ result: MappingResult, points: [TextPoint?]) {
    func point(_ c: Int?) -> TextPoint? { c.flatMap { $0 < points.count ? points[$0] : nil } }
    switch result {
    case .entities(let list, let warnings, let origins, let keyed, let unique):
      let base = entities.count
      for u in unique {
        let p = point(u.column)
        uniqueClaims.append(UniqueClaim(hash: u.hash, field: u.field, rule: u.rule, message: u.message, line: p?.line ?? span.line, column: p?.column ?? span.column))
      }
      for var k in keyed {
        k.ordinal += base
        keys.append(k)
      }
      entities += list
      for (k, o) in origins.enumerated() {
        for x in o {
          let p = point(x.column)
          self.origins.append(FieldOrigin(entity: base + k, pointer: x.pointer, field: x.field, line: p?.line ?? span.line, column: p?.column ?? span.column))
        }
      }
      for w in warnings { add(w.rule, .warning, w.message, at: point(w.column), field: w.field, value: w.value) }
    case .failure(let issues):
      for i in issues { add(i.rule, .error, i.message, at: point(i.column), field: i.field, value: i.value, recordKey: i.recordKey) }
    }
  }

  /// `.rejected` when any finding is an error, else `.record`.
  func outcome(prescan: Bool) -> ReadOutcome {
    if diagnostics.contains(where: { $0.severity == .error }) {
      return .rejected(RecordIssue(index: index, span: span, diagnostics: diagnostics))
    }
    var r = SourceRecord(index: index, span: span, entities: prescan ? [] : entities, diagnostics: diagnostics)
    r.origins = prescan ? [] : origins
    r.entityKeys = prescan ? [] : keys
    r.uniqueClaims = prescan ? [] : uniqueClaims
    r.declaredIDs = declaredIDs
    return .record(r)
  }
}
