// What the read commands (search, links, export, history) share: the cases and agencies of an entity, the
// provenance of a stored version, first/last seen, and JSON output helpers.
import GRDB
import CaseJSON
import CaseModel

/// A case an entity belongs to, with its number and agency (from `cases` and the agency's current version).
public struct CaseRef: Sendable, Hashable, Comparable {
  /// The case entity's id.
  public var caseID: String
  /// Its case number, when the case entity has one.
  public var caseNumber: String?
  /// Its agency's entity id.
  public var agencyID: String?
  /// The agency as people know it: its identifier (e.g. ORI), else its name, else nil.
  public var agency: String?

  public init(caseID: String, caseNumber: String? = nil, agencyID: String? = nil, agency: String? = nil) {
    self.caseID = caseID
    self.caseNumber = caseNumber
    self.agencyID = agencyID
    self.agency = agency
  }

  /// The case number, else the case id.
  public var label: String { caseNumber ?? caseID }

  public static func < (a: CaseRef, b: CaseRef) -> Bool { (a.label, a.caseID) < (b.label, b.caseID) }
}

/// Where a stored version came from: the delivery (input, record index, record key) and the entity's own
/// provenance entries (source name, input SHA-256, record, line).
public struct StoredProvenance: Sendable, Hashable {
  /// The source file's name as the entity's provenance gives it (else the processed input's name).
  public var sourceName: String?
  /// SHA-256 of the input that brought this version.
  public var inputSha256: String
  /// The record index in that input (0-based), when known.
  public var recordIndex: Int?
  /// The line of the record, when the provenance names one.
  public var line: Int?
  /// A JSON pointer or XPath into the record, when the provenance names one.
  public var pointer: String?
  /// The record key (agency's own id), for keyed records.
  public var recordKey: String?
  /// The source system of a keyed record.
  public var sourceSystem: String?

  /// `name:line` (or `name#record`), for tables.
  public var short: String {
    let name = sourceName ?? String(inputSha256.prefix(12))
    if let line { return "\(name):\(line)" }
    if let recordIndex { return "\(name)#\(recordIndex)" }
    return name
  }
}

/// Reads what the query commands show about entities, with small caches (one per command run).
struct StoreReader {
  let db: Database
  private var agencyLabels: [String: String?] = [:]
  private var inputNames: [String: String?] = [:]

  init(_ db: Database) { self.db = db }

  /// The cases of an entity (sorted by label).
  mutating func cases(of entityID: String) throws -> [CaseRef] {
    let rows = try Row.fetchAll(
      db,
      sql: """
        SELECT ec.case_id, c.case_number, c.agency_id FROM entity_cases ec LEFT JOIN cases c ON c.case_id = ec.case_id
        WHERE ec.entity_id = ?
        """, arguments: [entityID])
    var out: [CaseRef] = []
    for r in rows {
      let agencyID: String? = r[2]
      out.append(CaseRef(caseID: r[0], caseNumber: r[1], agencyID: agencyID, agency: try agencyID.flatMap { try agencyLabel($0) }))
    }
    return out.sorted()
  }

  /// The cases of several entities at once (one query; sorted by label).
  mutating func cases(ofAll entityIDs: [String]) throws -> [CaseRef] {
    let rows = try Row.fetchAll(
      db,
      sql: """
        SELECT DISTINCT ec.case_id, c.case_number, c.agency_id FROM entity_cases ec LEFT JOIN cases c ON c.case_id = ec.case_id
        WHERE ec.entity_id IN (SELECT value FROM json_each(?))
        """, arguments: [jsonArray(entityIDs)])
    var out: [CaseRef] = []
    for r in rows {
      let agencyID: String? = r[2]
      out.append(CaseRef(caseID: r[0], caseNumber: r[1], agencyID: agencyID, agency: try agencyID.flatMap { try agencyLabel($0) }))
    }
    return out.sorted()
  }

  /// First and last seen over several entities at once (two queries).
  func seen(ofAll entityIDs: [String]) throws -> (first: String?, last: String?) {
    let ids = jsonArray(entityIDs)
    let v = try Row.fetchOne(
      db, sql: "SELECT MIN(valid_from), MAX(valid_from) FROM entity_versions WHERE id IN (SELECT value FROM json_each(?))",
      arguments: [ids])
    let s = try String.fetchOne(db, sql: "SELECT MAX(seen_at) FROM entity_sightings WHERE id IN (SELECT value FROM json_each(?))", arguments: [ids])
    let first: String? = v?[0]
    let lastVersion: String? = v?[1]
    return (first, [lastVersion, s].compactMap { $0 }.max())
  }

  /// A case by id (number and agency).
  mutating func caseRef(_ caseID: String) throws -> CaseRef {
    let row = try Row.fetchOne(db, sql: "SELECT case_number, agency_id FROM cases WHERE case_id = ?", arguments: [caseID])
    let agencyID: String? = row?[1]
    return CaseRef(caseID: caseID, caseNumber: row?[0], agencyID: agencyID, agency: try agencyID.flatMap { try agencyLabel($0) })
  }

  /// The agency's identifier (ORI), else its name, from its current version; nil when the store lacks it.
  mutating func agencyLabel(_ id: String) throws -> String? {
    if let cached = agencyLabels[id] { return cached }
    var label: String? = nil
    if let json = try String.fetchOne(
      db, sql: "SELECT json FROM entity_versions WHERE id = ? AND valid_to IS NULL ORDER BY version DESC LIMIT 1",
      arguments: [id]), case .object(let o)? = parseJSON(json)
    {
      label = o["identifier"]?.stringValue ?? o["name"]?.stringValue
    }
    agencyLabels[id] = label
    return label
  }

  /// The name a processed input was imported under.
  mutating func inputName(_ sha: String) throws -> String? {
    if let cached = inputNames[sha] { return cached }
    let name = try String.fetchOne(db, sql: "SELECT name FROM processed_inputs WHERE input_sha256 = ? LIMIT 1", arguments: [sha])
    inputNames[sha] = name
    return name
  }

  /// First seen (the first version's `valid_from`) and last seen (the latest `valid_from` or sighting).
  func seen(_ entityID: String) throws -> (first: String?, last: String?) {
    let v = try Row.fetchOne(db, sql: "SELECT MIN(valid_from), MAX(valid_from) FROM entity_versions WHERE id = ?", arguments: [entityID])
    let s = try String.fetchOne(db, sql: "SELECT MAX(seen_at) FROM entity_sightings WHERE id = ?", arguments: [entityID])
    let first: String? = v?[0]
    let lastVersion: String? = v?[1]
    let last = [lastVersion, s].compactMap { $0 }.max()
    return (first, last)
  }

  /// The provenance of one stored version: its delivery and the entity JSON's `provenance` entries.
  mutating func provenance(
    json: String, inputSha256: String, recordIndex: Int?, recordKey: String?, sourceSystem: String?
  ) throws -> [StoredProvenance] {
    var out: [StoredProvenance] = []
    if case .object(let o)? = parseJSON(json), case .array(let items)? = o["provenance"] {
      for case .object(let p) in items {
        let sha = p["sourceSha256"]?.stringValue ?? inputSha256
        var name = p["sourceName"]?.stringValue
        if name == nil { name = try inputName(sha) }
        out.append(
          StoredProvenance(
            sourceName: name, inputSha256: sha,
            recordIndex: p["record"]?.numberValue?.int64Value.map { Int($0) } ?? (sha == inputSha256 ? recordIndex : nil),
            line: p["line"]?.numberValue?.int64Value.map { Int($0) }, pointer: p["pointer"]?.stringValue,
            recordKey: sha == inputSha256 ? recordKey : nil, sourceSystem: sha == inputSha256 ? sourceSystem : nil))
      }
    }
    if !out.contains(where: { $0.inputSha256 == inputSha256 }) {
      out.append(
        StoredProvenance(
          sourceName: try inputName(inputSha256), inputSha256: inputSha256, recordIndex: recordIndex, line: nil, pointer: nil,
          recordKey: recordKey, sourceSystem: sourceSystem))
    }
    return out
  }
}

/// A JSON array of strings (bound as one parameter and read back with `json_each`).
func jsonArray(_ items: [String]) -> String {
  String(decoding: encodeJSON(.array(items.map { .string($0) })).dropLast(), as: UTF8.self)
}

/// Parses stored canonical JSON (nil if it does not parse: the store's own bytes, so never expected).
func parseJSON(_ text: String) -> JSONValue? {
  try? JSONParser(limits: .ownEntityJSON).parse(Array(text.utf8))
}

/// Seconds since 1970 of a stored UTC time (`YYYY-MM-DDTHH:MM:SS[.fff]Z`); nil if it is not one.
func epochSeconds(_ text: String?) -> Int64? {
  guard let text else { return nil }
  if let i = Instant.parseUTC(text) { return i.seconds }
  return nil
}

// JSON output helpers.
extension JSONValue {
  static func str(_ s: String?) -> JSONValue { s.map { .string($0) } ?? .null }
  static func int(_ i: Int?) -> JSONValue { i.map { .number(JSONNumber(Int64($0))) } ?? .null }
  static func obj(_ members: [(String, JSONValue)]) -> JSONValue {
    .object(JSONObject(members.map { JSONMember(key: $0.0, value: $0.1) }))
  }
}

extension CaseRef {
  var json: JSONValue {
    .obj([("caseId", .string(caseID)), ("caseNumber", .str(caseNumber)), ("agencyId", .str(agencyID)), ("agency", .str(agency))])
  }
}

extension StoredProvenance {
  var json: JSONValue {
    .obj([
      ("sourceName", .str(sourceName)), ("inputSha256", .string(inputSha256)), ("record", .int(recordIndex)),
      ("line", .int(line)), ("pointer", .str(pointer)), ("recordKey", .str(recordKey)), ("sourceSystem", .str(sourceSystem)),
    ])
  }
}

/// Serialises a JSON value (canonical member order as built), newline-terminated.
func encodeJSON(_ value: JSONValue) -> [UInt8] {
  var w = JSONWriter()
  w.write(value)
  return w.bytes + [0x0A]
}

extension StoreQueryError {
  /// An SQLite error while querying, as a message (no values) and exit code: 75 busy or locked, 74 I/O or a full
  /// disk, 78 anything else (a damaged store); nil for other errors.
  public static func database(_ error: any Error) -> StoreQueryError? {
    guard let e = error as? DatabaseError else { return nil }
    switch e.resultCode {
    case .SQLITE_BUSY, .SQLITE_LOCKED:
      return StoreQueryError("the store is busy (another run is writing it); try again later [store.busy]", exitCode: 75)
    case .SQLITE_IOERR, .SQLITE_FULL:
      return StoreQueryError("cannot read or write the store (SQLite \(e.resultCode.rawValue)) [store.io-error]", exitCode: 74)
    default:
      return StoreQueryError("cannot use the store (SQLite \(e.resultCode.rawValue)) [store.unreadable]", exitCode: 78)
    }
  }
}
