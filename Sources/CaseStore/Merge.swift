// Merging a staging store (written by a child `casebridge import` into a private new store) into this store: the
// parent of `batch` is the only process that writes the real store.
public import CaseModel
public import CaseInterchange
public import CasePipeline
import CaseJSON
import GRDB
#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// What merging one processed input of a staging store did.
public struct MergedInput: Sendable, Hashable {
  /// The input's SHA-256.
  public var inputSha256: String
  /// The profile's SHA-256 ('' when none).
  public var profileSha256: String
  /// The parser version.
  public var parserVersion: String
  /// The input's file name.
  public var name: String
  /// `processed`, or `duplicate` when this store already had the input's key (nothing was added).
  public var disposition: Disposition
  /// Entities new, changed, unchanged in this store (all 0 for a duplicate).
  public var counts: StoreCounts
}

extension CaseStore {
  /// Applies every processed input of a staging store to this store, in the order the staging store committed
  /// them, one transaction per input, with the same version logic, identifier rows and case attribution as a
  /// direct import (entities are replayed record by record from their canonical JSON). An input whose key
  /// (input SHA-256, profile SHA-256, parser version) this store already has is `duplicate`: nothing is added, so
  /// merging the same staging store twice changes nothing the second time.
  /// - Throws: `StoreError` (a missing or unusable staging store 78, a write failure 74); inputs merged before the
  ///   failure stay committed.
  public func merge(stagingPath: String) throws(StoreError) -> [MergedInput] {
    var st = stat()
    guard stat(stagingPath, &st) == 0 else {
      throw StoreError(rule: "store.unreadable", message: "the staging store does not exist", exitCode: 78)
    }
    let staging = try CaseStore(path: stagingPath)
    let ingest = StoreIngest(store: self)
    var out: [MergedInput] = []
    do {
      let inputs = try staging.db.read { db in
        try Row.fetchAll(db, sql: """
          SELECT p.input_sha256, p.profile_sha256, p.parser_version, p.name, p.size, p.format, p.profile_id,
            p.received_utc, p.run_id, p.result, p.read, p.accepted, p.quarantined, p.ignored, p.archive_path,
            r.command, r.started_at, r.configuration_sha256, r.finished_at, r.exit_code
          FROM processed_inputs p LEFT JOIN runs r ON r.run_id = p.run_id ORDER BY p.rowid
          """)
      }
      for p in inputs {
        let sha: String = p["input_sha256"]
        let profileSha: String = p["profile_sha256"]
        let parser: String = p["parser_version"]
        let name: String = p["name"]
        var merged = MergedInput(
          inputSha256: sha, profileSha256: profileSha, parserVersion: parser, name: name, disposition: .processed,
          counts: StoreCounts())
        if try ingest.alreadyProcessed(inputSha256: sha, profileSha256: profileSha, parserVersion: parser) {
          merged.disposition = .duplicate
          out.append(merged)
          continue
        }
        let runID: String = p["run_id"]
        let formatText: String? = p["format"]
        let input = StoreInput(
          runID: runID, command: p["command"] ?? "import", configurationSha256: p["configuration_sha256"] ?? "",
          runStartedAt: (p["started_at"] as String?).flatMap(Instant.parseUTC) ?? clockNow(), index: 0, name: name,
          sha256: sha, bytes: p["size"], format: formatText.flatMap(FormatID.init(rawValue:)) ?? .jsonl,
          profileID: p["profile_id"], profileSha256: profileSha, parserVersion: parser)
        do {
          try ingest.begin(input, receivedAt: p["received_utc"])
          try replayEntities(of: input, from: staging, into: ingest)
          try staging.db.read { db in
            let rows = try Row.fetchCursor(db, sql: """
              SELECT run_id, input_sha256, record_index, record_id, record_key, rule, severity, line, column,
                byte_offset, byte_length, field, message, slice_sha256
              FROM quarantine WHERE input_sha256 = ? AND run_id = ? ORDER BY rowid
              """, arguments: [sha, runID])
            while let r = try rows.next() {
              try ingest.insertQuarantine((0..<14).map { r[$0] as DatabaseValue })
            }
          }
          merged.counts = try ingest.commit(
            result: p["result"], read: p["read"], accepted: p["accepted"], quarantined: p["quarantined"],
            ignored: p["ignored"], archivePath: p["archive_path"])
          let finished: String? = p["finished_at"]
          let exit: Int? = p["exit_code"]
          if finished != nil {
            try db.write { db in
              try db.execute(
                sql: "UPDATE runs SET finished_at = ?, exit_code = ? WHERE run_id = ? AND finished_at IS NULL",
                arguments: [finished, exit, runID])
            }
          }
        } catch {
          ingest.rollbackInput()
          throw error
        }
        out.append(merged)
      }
    } catch {
      throw StoreError.from(error)
    }
    return out
  }

  /// Replays the entities a staging store holds for one input, record by record, through `ingest`.
  private func replayEntities(of input: StoreInput, from staging: CaseStore, into ingest: StoreIngest) throws {
    let parser = JSONParser()
    let decoder = EntityJSONDecoder()
    try staging.db.read { db in
      // Versions the input added and versions it only sighted, each with its canonical JSON, in record order.
      let rows = try Row.fetchCursor(db, sql: """
        SELECT record_index, json, source_system, record_key, rowid AS o FROM entity_versions
          WHERE input_sha256 = ? AND run_id = ?
        UNION ALL
        SELECT s.record_index, v.json, v.source_system, v.record_key, s.rowid + 9007199254740000 AS o
          FROM entity_sightings s JOIN entity_versions v ON v.id = s.id AND v.version = s.version
          WHERE s.input_sha256 = ? AND s.run_id = ?
        ORDER BY 1, 5
        """, arguments: [input.sha256, input.runID, input.sha256, input.runID])
      var record: [Entity] = []
      var keys: [StoreEntityKey] = []
      var current: Int?? = nil
      func flush() throws {
        if let index = current, !record.isEmpty {
          try ingest.acceptRecord(record, recordIndex: index, entityKeys: keys)
        }
        record.removeAll(keepingCapacity: true)
        keys.removeAll(keepingCapacity: true)
      }
      while let r = try rows.next() {
        let index: Int? = r[0]
        if current == nil || current! != index {
          try flush()
          current = .some(index)
        }
        let json: String = r[1]
        let bytes = Array(json.utf8)
        let value = try parser.parse(bytes)
        let decoded = bytes.withUnsafeBytes { raw in
          decoder.decode(value, bytes: raw, base: .start, baseOffset: 0) { _, _, _ in SourceLocation(source: "staging store") }
        }
        guard case .success(let entity) = decoded else {
          throw StoreError(rule: "store.unreadable", message: "the staging store holds an entity this build cannot read", exitCode: 78)
        }
        if let system: String = r[2], let text: String = r[3] {
          keys.append(StoreEntityKey(ordinal: record.count, sourceSystem: system, text: text))
        }
        record.append(entity)
      }
      try flush()
    }
  }
}
