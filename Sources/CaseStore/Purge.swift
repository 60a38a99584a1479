// `purge`: retention. Removes a case's entities in one transaction: entities that belong only to that case lose
// every version, identifier, sighting and case row; entities shared with other cases lose only that case. The purge
// itself is recorded (case id, time, run id, counts); nothing of what was removed is kept: the connection
// overwrites freed pages (secure_delete) and the WAL is checkpointed and truncated afterwards.
import GRDB
import CasePipeline

/// What a purge removed (counts only).
public struct PurgeResult: Sendable {
  public var caseID: String
  public var runID: String
  public var purgedAt: String
  /// Entities removed entirely (belonging only to that case, including the case entity).
  public var entities: Int
  /// Their versions removed.
  public var versions: Int
  /// Entities shared with other cases, which kept everything but this case.
  public var detached: Int
  /// Identifier rows removed.
  public var identifiers: Int
}

extension CaseStore {
  /// Purges a case (its id: resolve a case number with `resolveCase` first).
  /// - Throws: `StoreQueryError` (64) when the store has no such case; GRDB errors (nothing is changed then).
  public func purge(caseID: String, runID: String, now: String) throws -> PurgeResult {
    let result: PurgeResult = try db.write { db in
      try db.execute(sql: "PRAGMA secure_delete = ON")
      let members = try String.fetchAll(db, sql: "SELECT entity_id FROM entity_cases WHERE case_id = ?", arguments: [caseID])
      let isCase = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM cases WHERE case_id = ?", arguments: [caseID]) ?? 0
      if members.isEmpty && isCase == 0 {
        throw StoreQueryError("the store has no case '\(caseID)'")
      }
      var only: [String] = []
      var shared = 0
      for e in Set(members + [caseID]).sorted() {
        let others = try Int.fetchOne(
          db, sql: "SELECT COUNT(*) FROM entity_cases WHERE entity_id = ? AND case_id <> ?", arguments: [e, caseID]) ?? 0
        if others == 0 { only.append(e) } else { shared += 1 }
      }
      var entities = 0
      var versions = 0
      var identifiers = 0
      for e in only {
        try db.execute(sql: "DELETE FROM entity_versions WHERE id = ?", arguments: [e])
        let v = db.changesCount
        versions += v
        if v > 0 { entities += 1 }
        try db.execute(sql: "DELETE FROM identifiers WHERE entity_id = ?", arguments: [e])
        identifiers += db.changesCount
        try db.execute(sql: "DELETE FROM entity_sightings WHERE id = ?", arguments: [e])
        try db.execute(sql: "DELETE FROM entity_cases WHERE entity_id = ?", arguments: [e])
      }
      try db.execute(sql: "DELETE FROM entity_cases WHERE case_id = ?", arguments: [caseID])
      try db.execute(sql: "DELETE FROM cases WHERE case_id = ?", arguments: [caseID])
      try db.execute(
        sql: "INSERT INTO runs(run_id, command, started_at, finished_at, tool_version, exit_code) VALUES (?, 'purge', ?, ?, ?, 0)",
        arguments: [runID, now, now, CaseBridgeVersion.version])
      try db.execute(
        sql: "INSERT INTO purges(case_id, purged_at, run_id, entities, versions) VALUES (?, ?, ?, ?, ?)",
        arguments: [caseID, now, runID, entities, versions])
      return PurgeResult(
        caseID: caseID, runID: runID, purgedAt: now, entities: entities, versions: versions, detached: shared, identifiers: identifiers)
    }
    // The removed rows' old pages may still sit in the WAL: copy the (zeroed) pages back and truncate it.
    try db.writeWithoutTransaction { db in _ = try Row.fetchOne(db, sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
    return result
  }
}
