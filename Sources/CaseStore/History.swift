// `history`: every version of an entity with its validity, content hash, provenance and record key, and every
// re-delivery (sighting) that added nothing.
import GRDB
import CaseJSON

/// One stored version.
public struct EntityVersionInfo: Sendable {
  public var version: Int
  public var validFrom: String
  /// Nil: the current version.
  public var validTo: String?
  public var contentSha256: String
  public var recordKey: String?
  public var sourceSystem: String?
  public var runID: String
  public var provenance: [StoredProvenance]
}

/// A delivery of identical content (it added no version).
public struct EntitySighting: Sendable {
  public var version: Int
  public var inputSha256: String
  public var inputName: String?
  public var recordIndex: Int?
  public var runID: String
  public var seenAt: String
}

/// An entity's history.
public struct EntityHistory: Sendable {
  public var entityID: String
  public var type: String
  public var cases: [CaseRef]
  public var versions: [EntityVersionInfo]
  public var sightings: [EntitySighting]

  var json: JSONValue {
    .obj([
      ("entityId", .string(entityID)), ("type", .string(type)), ("cases", .array(cases.map(\.json))),
      (
        "versions",
        .array(
          versions.map { v in
            .obj([
              ("version", .int(v.version)), ("validFrom", .string(v.validFrom)), ("validTo", .str(v.validTo)),
              ("contentSha256", .string(v.contentSha256)), ("recordKey", .str(v.recordKey)),
              ("sourceSystem", .str(v.sourceSystem)), ("runId", .string(v.runID)),
              ("provenance", .array(v.provenance.map(\.json))),
            ])
          })
      ),
      (
        "sightings",
        .array(
          sightings.map { s in
            .obj([
              ("version", .int(s.version)), ("inputSha256", .string(s.inputSha256)), ("inputName", .str(s.inputName)),
              ("record", .int(s.recordIndex)), ("runId", .string(s.runID)), ("seenAt", .string(s.seenAt)),
            ])
          })
      ),
    ])
  }
}

/// `history --json`: the histories found.
public func historyJSON(_ histories: [EntityHistory]) -> [UInt8] { encodeJSON(.array(histories.map(\.json))) }

extension CaseStore {
  /// The history of an entity id; when no entity has that id, of every entity whose record key is `idOrKey`
  /// (record keys are looked up by scanning the versions: `history` is not on a hot path).
  public func history(_ idOrKey: String) throws -> [EntityHistory] {
    try db.read { db in
      var reader = StoreReader(db)
      var ids = try String.fetchAll(db, sql: "SELECT DISTINCT id FROM entity_versions WHERE id = ?", arguments: [idOrKey])
      if ids.isEmpty {
        ids = try String.fetchAll(db, sql: "SELECT DISTINCT id FROM entity_versions WHERE record_key = ? ORDER BY id", arguments: [idOrKey])
      }
      var out: [EntityHistory] = []
      for id in ids {
        let rows = try Row.fetchAll(
          db,
          sql: """
            SELECT version, type, valid_from, valid_to, content_sha256, record_key, source_system, run_id, json,
              input_sha256, record_index
            FROM entity_versions WHERE id = ? ORDER BY version
            """, arguments: [id])
        var versions: [EntityVersionInfo] = []
        for r in rows {
          versions.append(
            EntityVersionInfo(
              version: r[0], validFrom: r[2], validTo: r[3], contentSha256: r[4], recordKey: r[5], sourceSystem: r[6],
              runID: r[7], provenance: try reader.provenance(json: r[8], inputSha256: r[9], recordIndex: r[10], recordKey: r[5], sourceSystem: r[6])))
        }
        var sightings: [EntitySighting] = []
        for s in try Row.fetchAll(
          db, sql: "SELECT version, input_sha256, record_index, run_id, seen_at FROM entity_sightings WHERE id = ? ORDER BY seen_at, rowid",
          arguments: [id])
        {
          sightings.append(
            EntitySighting(version: s[0], inputSha256: s[1], inputName: try reader.inputName(s[1]), recordIndex: s[2], runID: s[3], seenAt: s[4]))
        }
        out.append(
          EntityHistory(entityID: id, type: rows.first?[1] ?? "", cases: try reader.cases(of: id), versions: versions, sightings: sightings))
      }
      return out
    }
  }
}
