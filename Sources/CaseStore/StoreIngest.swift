// The store's write side: one transaction per input holding its entity versions, identifier rows, case
// attribution, sightings, quarantine rows and its processed_inputs row.
public import CaseModel
public import CaseInterchange
public import CasePipeline
import CaseJSON
import GRDB

/// The parser version of the store's idempotency key (`ParserVersion.current`; bump it there).
public let CaseStoreParserVersion = ParserVersion.current

extension StoreError: StoreFailure {}

extension StoreError {
  /// A database error as a store error: a full disk or an I/O failure 74, a file that is not a database or is
  /// corrupt 78, a read-only store 78; the SQLite code names the cause, never a value.
  static func from(_ error: any Error) -> StoreError {
    if let e = error as? StoreError { return e }
    guard let d = error as? DatabaseError else {
      return StoreError(rule: "store.io-error", message: "the store failed", exitCode: 74)
    }
    switch d.resultCode {
    case .SQLITE_NOTADB, .SQLITE_CORRUPT:
      return StoreError(rule: "store.unreadable", message: "the store is not a readable SQLite database (SQLite code \(d.resultCode.rawValue))", exitCode: 78)
    case .SQLITE_READONLY, .SQLITE_PERM, .SQLITE_AUTH, .SQLITE_CANTOPEN:
      return StoreError(rule: "store.permissions", message: "the store cannot be written (SQLite code \(d.resultCode.rawValue))", exitCode: 78)
    default:
      return StoreError(rule: "store.io-error", message: "writing the store failed (SQLite code \(d.resultCode.rawValue))", exitCode: 74)
    }
  }
}

/// Writes what a pipeline run reads into a case store (`casebridge import`): the `StoreSink` of the pipeline.
///
/// Per input one transaction (`BEGIN IMMEDIATE` … `COMMIT`), so a kill at any moment leaves the store as if the input
/// had never been started. Per entity: no current version → version 1 (`inserted`); a current version with the
/// same content (canonical JSON without `provenance`, SHA-256) → a sighting only (`unchanged`); different content →
/// the current version is closed (`valid_to`) and version n+1 added (`updated`): evidence is never overwritten.
/// Memory: one record at a time, plus the input's first case id.
public final class StoreIngest: StoreSink {
  /// The store written.
  public let store: CaseStore
  private var input: StoreInput?
  private var receivedAt = ""
  private var counts = StoreCounts()
  /// The input's cases so far: the first, and whether another one was seen.
  private var firstCase: String?
  private var severalCases = false
  private let encoder = EntityJSONEncoder()
  /// The secondary indexes this input's transaction dropped (name, CREATE statement as stored in sqlite_master), to
  /// be rebuilt before its COMMIT; empty when the input writes into the indexes as it goes.
  private var deferredIndexes: [(name: String, sql: String)] = []

  /// The secondary indexes that no statement of an input's transaction reads (search, links, export and purge
  /// do): into a store without entities they are built once, sorted, at the input's end instead of taking one
  /// random B-tree insert per row (entity ids and identifier values are random text). Identity, version and case
  /// lookups during ingest use the primary keys and the by-input indexes, which stay.
  static let deferrableIndexes = [
    "entity_versions_current", "entity_sightings_id", "entity_cases_case", "identifiers_lookup", "identifiers_value",
    "identifiers_entity",
  ]

  /// Creates a writer for a store.
  public init(store: CaseStore) {
    self.store = store
    // A larger page cache (32 MiB, within the 128 MiB budget of an import) keeps the id and identifier indexes of a
    // large input's transaction in memory instead of re-reading their pages from the WAL.
    try? store.db.inDatabase { try $0.execute(sql: "PRAGMA cache_size = -32768") }
  }

  private func write<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
    do {
      return try store.db.inDatabase(body)
    } catch {
      throw StoreError.from(error)
    }
  }

  // MARK: StoreSink

  public func alreadyProcessed(inputSha256: String, profileSha256: String, parserVersion: String) throws -> Bool {
    try write { db in
      try Bool.fetchOne(
        db.cachedStatement(sql: "SELECT 1 FROM processed_inputs WHERE input_sha256 = ? AND profile_sha256 = ? AND parser_version = ?"),
        arguments: [inputSha256, profileSha256, parserVersion]) ?? false
    }
  }

  public func contains(entityID: EntityID) -> Bool {
    // DatabaseQueue serialises this with the pipeline thread's writes; it sees the open transaction too.
    (try? store.db.inDatabase { db in
      try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM entity_versions WHERE id = ? LIMIT 1"), arguments: [entityID.rawValue])
    }) ?? false
  }

  public func beginInput(_ input: StoreInput) throws { try begin(input, receivedAt: clockNow().iso8601) }

  public func accept(_ entities: [Entity], recordIndex: Int, span: SourceSpan, entityKeys: [StoreEntityKey]) throws {
    try acceptRecord(entities, recordIndex: recordIndex, entityKeys: entityKeys)
  }

  public func finding(_ diagnostic: Diagnostic, recordID: EntityID?, recordKey: String?, sliceSha256: String?) throws {
    guard let input else { return }
    let l = diagnostic.location
    try insertQuarantine([
      input.runID, input.sha256, l.record, recordID?.rawValue, recordKey, diagnostic.rule, diagnostic.severity.rawValue,
      l.line, l.column, l.byteOffset, l.byteLength, l.field, diagnostic.message, sliceSha256,
    ])
  }

  public func commitInput(_ report: InputReport) throws -> StoreCounts {
    try commit(
      result: report.disposition.rawValue, read: report.read, accepted: report.accepted,
      quarantined: report.quarantined, ignored: report.ignored)
  }

  static let deferrableIndexesJSON = "[" + deferrableIndexes.map { "\"\($0)\"" }.joined(separator: ",") + "]"

  public func rollbackInput() {
    try? write { db in
      if db.isInsideTransaction { try db.execute(sql: "ROLLBACK") }
    }
    input = nil
    deferredIndexes = []
  }

  public func finishRun(_ report: RunReport) {
    try? write { db in
      try db.cachedStatement(sql: "UPDATE runs SET finished_at = ?, exit_code = ? WHERE run_id = ?")
        .execute(arguments: [report.finishedAt.iso8601, Int(report.exitCode), report.runID])
    }
  }

  // MARK: the transaction of one input (also used by merge)

  func begin(_ input: StoreInput, receivedAt: String) throws(StoreError) {
    self.input = input
    self.receivedAt = receivedAt
    counts = StoreCounts()
    firstCase = nil
    severalCases = false
    deferredIndexes = []
    try write { db in
      if db.isInsideTransaction { try db.execute(sql: "ROLLBACK") }
      try db.execute(sql: "BEGIN IMMEDIATE")
      // A store without entities (a new store, a batch child's staging store): its secondary indexes are dropped
      // inside this transaction and rebuilt before COMMIT, so a kill or a rollback leaves them as they were.
      if try Bool.fetchOne(db, sql: "SELECT NOT EXISTS (SELECT 1 FROM entity_versions)") ?? false {
        let rows = try Row.fetchAll(
          db, sql: "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND name IN (SELECT value FROM json_each(?))",
          arguments: [Self.deferrableIndexesJSON])
        for r in rows {
          let name: String = r[0]
          let sql: String = r[1]
          // Names come from the list above (constants), not from input.
          try db.execute(sql: "DROP INDEX \(name)")
          deferredIndexes.append((name, sql))
        }
      }
      try db.cachedStatement(sql: """
        INSERT OR IGNORE INTO runs(run_id, command, started_at, finished_at, tool_version, configuration_sha256, exit_code)
        VALUES (?, ?, ?, NULL, ?, ?, NULL)
        """).execute(arguments: [
          input.runID, input.command, input.runStartedAt.iso8601, CaseBridgeVersion.version, input.configurationSha256,
        ])
    }
  }

  /// One accepted record: case attribution, then each entity's version logic and identifier rows.
  func acceptRecord(_ entities: [Entity], recordIndex: Int?, entityKeys: [StoreEntityKey]) throws(StoreError) {
    guard let input else { return }
    try write { db in
      // The record's cases: its case entities, the caseId fields of its entities, and the cases the store already
      // attributes to the entities it references.
      var cases: [String] = []
      func add(_ c: String) { if !c.isEmpty, !cases.contains(c) { cases.append(c) } }
      for e in entities {
        if case .caseRecord = e { add(e.id.rawValue) }
        if let c = caseID(of: e) { add(c.rawValue) }
      }
      let own = entities.map(\.id)
      let casesOf = try db.cachedStatement(sql: "SELECT case_id FROM entity_cases WHERE entity_id = ?")
      for e in entities {
        // An agency spans cases: its references, and references to it, carry none.
        if case .agency = e { continue }
        for (field, id) in e.references where field != "agencyId" && !own.contains(id) {
          for c in try String.fetchAll(casesOf, arguments: [id.rawValue]) { add(c) }
        }
      }
      for c in cases {
        if firstCase == nil { firstCase = c } else if firstCase != c { severalCases = true }
      }
      for (k, e) in entities.enumerated() {
        let key = entityKeys.first { $0.ordinal == k }
        try ingest(e, db: db, input: input, recordIndex: recordIndex, key: key, cases: cases)
      }
    }
  }

  private func ingest(
    _ entity: Entity, db: Database, input: StoreInput, recordIndex: Int?, key: StoreEntityKey?, cases: [String]
  ) throws {
    var bare = entity
    bare.provenance = []
    let content = sha256Hex(encoder.bytes(bare))
    let id = entity.id.rawValue
    let current = try Row.fetchOne(
      db.cachedStatement(sql: "SELECT version, content_sha256 FROM entity_versions WHERE id = ? AND valid_to IS NULL"),
      arguments: [id])
    var version = 1
    if let current {
      let v: Int = current[0]
      let sha: String = current[1]
      if sha == content {
        counts.unchanged += 1
        try db.cachedStatement(sql: """
          INSERT INTO entity_sightings(id, version, input_sha256, record_index, run_id, seen_at) VALUES (?, ?, ?, ?, ?, ?)
          """).execute(arguments: [id, v, input.sha256, recordIndex, input.runID, receivedAt])
        try attribute(id, cases, db)
        return
      }
      try db.cachedStatement(sql: "UPDATE entity_versions SET valid_to = ? WHERE id = ? AND version = ?")
        .execute(arguments: [receivedAt, id, v])
      version = v + 1
      counts.updated += 1
    } else {
      counts.inserted += 1
    }
    let json = String(decoding: encoder.bytes(entity), as: UTF8.self)
    try db.cachedStatement(sql: """
      INSERT INTO entity_versions(id, version, type, content_sha256, json, source_system, record_key, input_sha256,
        record_index, run_id, valid_from, valid_to)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)
      """).execute(arguments: [
        id, version, entity.type.rawValue, content, json, key?.sourceSystem, key?.text, input.sha256, recordIndex,
        input.runID, receivedAt,
      ])
    let rows = StoreIdentifiers.rows(for: entity)
    if !rows.isEmpty {
      let insert = try db.cachedStatement(sql: """
        INSERT INTO identifiers(kind, qualifier, value, port, port_last, at_start, at_end, entity_id, entity_version,
          entity_type, input_sha256)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """)
      for r in rows {
        try insert.execute(arguments: [
          r.kind, r.qualifier, r.value, r.port, r.portLast, r.atStart, r.atEnd, id, version, entity.type.rawValue,
          input.sha256,
        ])
      }
    }
    if case .caseRecord(let c) = entity {
      try db.cachedStatement(sql: """
        INSERT INTO cases(case_id, case_number, agency_id) VALUES (?, ?, ?)
        ON CONFLICT(case_id) DO UPDATE SET case_number = excluded.case_number, agency_id = excluded.agency_id
        """).execute(arguments: [id, c.caseNumber, c.agencyId?.rawValue])
    }
    try attribute(id, cases, db)
  }

  private func attribute(_ id: String, _ cases: [String], _ db: Database) throws {
    guard !cases.isEmpty else { return }
    let insert = try db.cachedStatement(sql: "INSERT OR IGNORE INTO entity_cases(entity_id, case_id) VALUES (?, ?)")
    for c in cases { try insert.execute(arguments: [id, c]) }
  }

  /// A quarantine row: run_id, input_sha256, record_index, record_id, record_key, rule, severity, line, column,
  /// byte_offset, byte_length, field, message, slice_sha256.
  func insertQuarantine(_ values: [(any DatabaseValueConvertible)?]) throws(StoreError) {
    try write { db in
      try db.cachedStatement(sql: """
        INSERT INTO quarantine(run_id, input_sha256, record_index, record_id, record_key, rule, severity, line, column,
          byte_offset, byte_length, field, message, slice_sha256)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """).execute(arguments: StatementArguments(values))
    }
  }

  /// Ends the input: entities of the input still without a case get its case when it has exactly one; the
  /// processed_inputs row; COMMIT.
  func commit(
    result: String, read: Int, accepted: Int, quarantined: Int, ignored: Int, archivePath: String? = nil
  ) throws(StoreError) -> StoreCounts {
    guard let input else { throw StoreError(rule: "store.io-error", message: "no input is open in the store", exitCode: 70) }
    let counts = self.counts
    try write { db in
      if let c = firstCase, !severalCases {
        for table in ["entity_versions", "entity_sightings"] {
          // Table names are constants of this file, never input.
          try db.cachedStatement(sql: """
            INSERT OR IGNORE INTO entity_cases(entity_id, case_id)
            SELECT DISTINCT t.id, ? FROM \(table) t
            WHERE t.input_sha256 = ? AND t.run_id = ? AND NOT EXISTS (SELECT 1 FROM entity_cases c WHERE c.entity_id = t.id)
            """).execute(arguments: [c, input.sha256, input.runID])
        }
      }
      // The indexes dropped at the input's start, each built in one sorted pass.
      for index in deferredIndexes { try db.execute(sql: index.sql) }
      try db.cachedStatement(sql: """
        INSERT INTO processed_inputs(input_sha256, profile_sha256, parser_version, name, size, format, profile_id,
          received_utc, run_id, result, read, accepted, quarantined, ignored, inserted, updated, unchanged, archive_path)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """).execute(arguments: [
          input.sha256, input.profileSha256, input.parserVersion, input.name, input.bytes, input.format.rawValue,
          input.profileID, receivedAt, input.runID, result, read, accepted, quarantined, ignored, counts.inserted,
          counts.updated, counts.unchanged, archivePath,
        ])
      try db.execute(sql: "COMMIT")
    }
    self.input = nil
    deferredIndexes = []
    return counts
  }
}

/// The case an entity names in its own `caseId` field.
func caseID(of e: Entity) -> EntityID? {
  switch e {
  case .roleAssignment(let x): x.caseId
  case .legalProcess(let x): x.caseId
  case .evidenceFile(let x): x.caseId
  case .event(let x): x.caseId
  default: nil
  }
}
