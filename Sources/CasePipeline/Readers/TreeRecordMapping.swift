import CaseModel
import CaseInterchange
import CaseJSON
import CaseMapping

/// One value of a tree-shaped record (an XML element or attribute, a JSON member): its path relative to the record,
/// its text, and where it starts in the input.
struct TreeLeaf {
  /// `Subject/Name/@type` (XML) or `/subject/name` (JSON).
  var name: String
  /// The text.
  var value: String
  /// 1-based line.
  var line: Int
  /// 1-based column.
  var column: Int
}

/// Maps tree-shaped records (agency XML, JSON, JSON Lines) through a profile: each record's leaves become a
/// header of paths and a row of values, so the profile's `column` sources name paths and every transform and strict
/// model rule applies as for CSV. A field whose path is absent from a record is a missing value of that record
/// (`field.missing` when required), never a whole-input failure as a missing CSV column is.
struct TreeRecordMapping {
  let profile: MappingProfile
  let sourceName: String
  let idFor: @Sendable (Int, Int) -> EntityID

  func map(_ leaves: [TreeLeaf], index: Int, span: SourceSpan, pointer: String?) -> ReadOutcome {
    let header = leaves.map(\.name)
    let base = SourceLocation(source: sourceName, record: index, line: span.line, column: span.column, byteOffset: span.byteOffset, byteLength: span.byteLength)
    func diagnostic(_ i: MappingIssue, _ severity: Severity) -> Diagnostic {
      var loc = base
      loc.field = i.field
      loc.recordKey = i.recordKey
      if let c = i.column, c < leaves.count {
        loc.line = leaves[c].line
        loc.column = leaves[c].column
      }
      return Diagnostic(rule: i.rule, severity: severity, message: i.message, location: loc, value: i.value)
    }
    let mapper: RecordMapper
    do {
      mapper = try RecordMapper(profile: profile, header: header, columnCount: header.count, keyedID: DeterministicID.keyedID)
    } catch {
      var issue = error
      if issue.rule == "profile.column-missing" {
        issue.rule = "field.missing"
        issue.message = "required value \(issue.field) is not in this record"
      }
      return .rejected(RecordIssue(index: index, span: span, diagnostics: [diagnostic(issue, .error)]))
    }
    let idFor = self.idFor
    switch mapper.map(leaves.map(\.value), idFor: { idFor(index, $0) }) {
    case .entities(let entities, let warnings, let origins, let keys, let unique):
      var record = SourceRecord(index: index, span: span, pointer: pointer, entities: entities, diagnostics: warnings.map { diagnostic($0, .warning) })
      record.entityKeys = keys
      record.uniqueClaims = unique.map { u in
        let leaf = u.column.flatMap { $0 < leaves.count ? leaves[$0] : nil }
        return UniqueClaim(hash: u.hash, field: u.field, rule: u.rule, message: u.message, line: leaf?.line ?? span.line, column: leaf?.column ?? span.column)
      }
      for (k, list) in origins.enumerated() {
        for o in list {
          let leaf = o.column.flatMap { $0 < leaves.count ? leaves[$0] : nil }
          record.origins.append(FieldOrigin(entity: k, pointer: o.pointer, field: o.field, line: leaf?.line ?? span.line, column: leaf?.column ?? span.column))
        }
      }
      return .record(record)
    case .failure(let issues):
      return .rejected(RecordIssue(index: index, span: span, diagnostics: issues.map { diagnostic($0, .error) }))
    }
  }
}

/// The leaves of a JSON record: every string, number and boolean by its JSON Pointer relative to the record
/// (`null` is absent), located by the member name that holds it.
func jsonLeaves(_ value: JSONValue, bytes: UnsafeRawBufferPointer, base: TextPosition) -> [TreeLeaf] {
  var out: [TreeLeaf] = []
  // Leaves come in document order: positions advance from the previous leaf, not from the record's start (which
  // made a record with many members quadratic).
  var at = 0
  var atPos = base
  func escape(_ key: String) -> String {
    key.contains("~") || key.contains("/") ? key.replacingOccurrences("~", "~0").replacingOccurrences("/", "~1") : key
  }
  func walk(_ v: JSONValue, _ path: String, _ offset: Int) {
    let leaf: String?
    switch v {
    case .string(let s): leaf = s
    case .number(let n): leaf = n.literal
    case .bool(let b): leaf = b ? "true" : "false"
    case .null: leaf = nil
    case .object(let o):
      for m in o.members { walk(m.value, path + "/" + escape(m.key), m.keyOffset) }
      return
    case .array(let a):
      for (i, e) in a.enumerated() { walk(e, path + "/\(i)", offset) }
      return
    }
    guard let leaf else { return }
    let target = min(max(offset, 0), bytes.count)
    if target < at {
      at = 0
      atPos = base
    }
    let p = textPosition(of: target - at, in: UnsafeRawBufferPointer(rebasing: bytes[at...]), startingAt: atPos)
    at = target
    atPos = p
    out.append(TreeLeaf(name: path, value: leaf, line: p.line, column: p.column))
  }
  walk(value, "", 0)
  return out
}

extension String {
  /// Replaces every occurrence of a string (Foundation-free).
  func replacingOccurrences(_ target: String, _ replacement: String) -> String {
    var out = ""
    var rest = self[...]
    while let r = rest.firstRange(of: target) {
      out += rest[..<r.lowerBound]
      out += replacement
      rest = rest[r.upperBound...]
    }
    out += rest
    return out
  }
}
