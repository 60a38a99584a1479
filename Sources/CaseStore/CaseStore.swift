// The case store: nightly imports that are safe to re-run, stable record identity across deliveries, search and
// cross-agency links. SQLite through GRDB (the system libsqlite3).
public import GRDB
#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The store's schema generations this build writes and reads.
public enum CaseStoreSchema {
  /// The migrations, in order. A store that has applied a migration this list does not name was written by a
  /// newer CaseBridge: it is refused (`store.too-new`), never rewritten.
  public static let migrations = ["v1"]

  /// The migrator: every table of the store.
  public static var migrator: DatabaseMigrator {
    var m = DatabaseMigrator()
    m.registerMigration("v1") { db in
      try db.execute(sql: v1)
    }
    return m
  }

  /// Schema v1. Times are UTC ISO 8601 with `Z` (TEXT, so they sort); SHA-256 values are lower-case hex.
  static let v1 = """
    -- Facts about the store itself: 'createdBy' (tool version), 'createdAt'.
    CREATE TABLE store_meta(key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL) STRICT;

    -- One row per run that wrote the store (import, batch, purge).
    CREATE TABLE runs(
      run_id TEXT PRIMARY KEY NOT NULL, command TEXT NOT NULL, started_at TEXT NOT NULL, finished_at TEXT,
      tool_version TEXT NOT NULL, configuration_sha256 TEXT, exit_code INTEGER) STRICT;

    -- One row per input whose transaction committed: the idempotency key is (input SHA-256, profile SHA-256 or '',
    -- parser version). A rerun finds the row and reports the input `duplicate`, adding nothing.
    CREATE TABLE processed_inputs(
      input_sha256 TEXT NOT NULL, profile_sha256 TEXT NOT NULL, parser_version TEXT NOT NULL,
      name TEXT NOT NULL, size INTEGER NOT NULL, format TEXT, profile_id TEXT,
      received_utc TEXT NOT NULL, run_id TEXT NOT NULL, result TEXT NOT NULL,
      read INTEGER NOT NULL, accepted INTEGER NOT NULL, quarantined INTEGER NOT NULL, ignored INTEGER NOT NULL,
      inserted INTEGER NOT NULL, updated INTEGER NOT NULL, unchanged INTEGER NOT NULL,
      archive_path TEXT,
      PRIMARY KEY(input_sha256, profile_sha256, parser_version)) STRICT;

    -- Every version of every entity; evidence is never overwritten. `json` is the canonical entity JSON (one JSONL
    -- line without its newline, provenance of the delivery that brought this version); `content_sha256` hashes the
    -- canonical JSON without `provenance`, so a re-delivery with identical content is recognised. `valid_to` is the
    -- `valid_from` of the next version (NULL: current).
    CREATE TABLE entity_versions(
      id TEXT NOT NULL, version INTEGER NOT NULL, type TEXT NOT NULL,
      content_sha256 TEXT NOT NULL, json TEXT NOT NULL,
      source_system TEXT, record_key TEXT,
      input_sha256 TEXT NOT NULL, record_index INTEGER, run_id TEXT NOT NULL,
      valid_from TEXT NOT NULL, valid_to TEXT,
      PRIMARY KEY(id, version)) STRICT;
    CREATE INDEX entity_versions_input ON entity_versions(input_sha256);
    CREATE INDEX entity_versions_current ON entity_versions(type, id) WHERE valid_to IS NULL;

    -- Deliveries of an entity that added nothing (identical content again): first/last seen and provenance of
    -- every delivery.
    CREATE TABLE entity_sightings(
      id TEXT NOT NULL, version INTEGER NOT NULL, input_sha256 TEXT NOT NULL, record_index INTEGER,
      run_id TEXT NOT NULL, seen_at TEXT NOT NULL) STRICT;
    CREATE INDEX entity_sightings_id ON entity_sightings(id);
    CREATE INDEX entity_sightings_input ON entity_sightings(input_sha256);

    -- Which case(s) an entity belongs to (derived at import: see README "Case store").
    CREATE TABLE entity_cases(entity_id TEXT NOT NULL, case_id TEXT NOT NULL, PRIMARY KEY(entity_id, case_id)) STRICT, WITHOUT ROWID;
    CREATE INDEX entity_cases_case ON entity_cases(case_id);

    -- Each case's number and agency, from its current version.
    CREATE TABLE cases(case_id TEXT PRIMARY KEY NOT NULL, case_number TEXT, agency_id TEXT) STRICT;

    -- The identifier index: search and links read only this (and entity_cases/cases), never entity JSON.
    -- kind: email | phone | username | account | ip | hash. value: the normalised matching key. qualifier: the
    -- platform (username, account), the algorithm (hash), '' otherwise. IP rows: port (or port..port_last for a
    -- block), at_start/at_end the observation time (equal) or the lease window (at_end NULL: open).
    CREATE TABLE identifiers(
      kind TEXT NOT NULL, qualifier TEXT NOT NULL, value TEXT NOT NULL,
      port INTEGER, port_last INTEGER, at_start TEXT, at_end TEXT,
      entity_id TEXT NOT NULL, entity_version INTEGER NOT NULL, entity_type TEXT NOT NULL,
      input_sha256 TEXT NOT NULL) STRICT;
    CREATE INDEX identifiers_lookup ON identifiers(kind, qualifier, value);
    CREATE INDEX identifiers_value ON identifiers(kind, value);
    CREATE INDEX identifiers_entity ON identifiers(entity_id);

    -- Every finding of a committed input (errors quarantine their record), located, without values; slice_sha256
    -- hashes the quarantined record's original bytes (chain of custody: `verify` re-cuts it from the archive).
    CREATE TABLE quarantine(
      run_id TEXT NOT NULL, input_sha256 TEXT NOT NULL, record_index INTEGER, record_id TEXT, record_key TEXT,
      rule TEXT NOT NULL, severity TEXT NOT NULL, line INTEGER, column INTEGER,
      byte_offset INTEGER, byte_length INTEGER, field TEXT, message TEXT NOT NULL, slice_sha256 TEXT) STRICT;
    CREATE INDEX quarantine_input ON quarantine(input_sha256);

    -- Retention: each purge is recorded (what was removed, not its content).
    CREATE TABLE purges(
      case_id TEXT NOT NULL, purged_at TEXT NOT NULL, run_id TEXT NOT NULL,
      entities INTEGER NOT NULL, versions INTEGER NOT NULL) STRICT;
    """
}

/// Why a store cannot be opened or written.
public struct StoreError: Error, Sendable, CustomStringConvertible {
  /// Rule id: `store.too-new`, `store.unreadable`, `store.permissions`, `store.io-error`.
  public var rule: String
  /// What happened, without personal values.
  public var message: String
  /// The CLI exit code (78 a store this build cannot use, 73 cannot create, 74 I/O).
  public var exitCode: Int32
  public init(rule: String, message: String, exitCode: Int32) {
    self.rule = rule
    self.message = message
    self.exitCode = exitCode
  }
  public var description: String { "\(message) [\(rule)]" }
}

/// An open case store.
public final class CaseStore: @unchecked Sendable {
  /// The database path.
  public let path: String
  /// The connection (one writer; WAL, synchronous=FULL, foreign keys on).
  public let db: DatabaseQueue

  /// Opens (creating 0600 in a 0700 directory if missing) and migrates a store. A store with migrations this build
  /// does not know is refused, never rewritten.
  public init(path: String) throws(StoreError) {
    self.path = path
    var st = stat()
    if stat(path, &st) != 0 {
      let dir = path.contains("/") ? String(path[..<path.lastIndex(of: "/")!]) : "."
      if !dir.isEmpty, stat(dir, &st) != 0 {
        if mkdir(dir, 0o700) != 0 {
          throw StoreError(rule: "store.cannot-create", message: "cannot create the store's directory", exitCode: 73)
        }
      }
      let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
      if fd < 0 && errno != EEXIST {
        throw StoreError(rule: "store.cannot-create", message: "cannot create the store", exitCode: 73)
      }
      if fd >= 0 { close(fd) }
    } else if (st.st_mode & S_IFMT) != S_IFREG {
      throw StoreError(rule: "store.unreadable", message: "the store is not a regular file", exitCode: 66)
    }
    var config = Configuration()
    config.foreignKeysEnabled = true
    config.busyMode = .timeout(10)
    // An input's transaction stays open across the pipeline's calls (StoreIngest: BEGIN IMMEDIATE at the input's
    // start, COMMIT with its processed_inputs row), so records stream into it instead of being held in memory.
    config.allowsUnsafeTransactions = true
    config.prepareDatabase { db in
      try db.execute(sql: "PRAGMA journal_mode=WAL")
      try db.execute(sql: "PRAGMA synchronous=FULL")
    }
    do {
      db = try DatabaseQueue(path: path, configuration: config)
    } catch {
      throw StoreError(rule: "store.unreadable", message: "cannot open the store as an SQLite database", exitCode: 78)
    }
    let migrator = CaseStoreSchema.migrator
    do {
      let superseded = try db.read { try migrator.hasBeenSuperseded($0) }
      if superseded {
        throw StoreError(
          rule: "store.too-new", message: "the store was written by a newer CaseBridge (unknown schema migrations); it is left unchanged",
          exitCode: 78)
      }
      try migrator.migrate(db)
    } catch let e as StoreError {
      throw e
    } catch {
      throw StoreError(rule: "store.unreadable", message: "cannot read or migrate the store", exitCode: 78)
    }
  }
}
