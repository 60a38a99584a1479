public import CaseModel
public import CaseInterchange

/// The version of what readers, mappers, default profiles and id derivation make of an input: the third part of the
/// case store's idempotency key (input SHA-256, profile SHA-256, parser version). Bump it whenever a change makes any
/// input yield different entities (another id, another field, another canonical JSON), so that an input imported by
/// an older build is processed again instead of being reported `duplicate`.
public enum ParserVersion {
  /// The current parser version.
  public static let current = "1"
}

/// The record key of one keyed entity of an accepted record (the store's `source_system`, `record_key`): the
/// reader's `EntityKeyInfo`, with the ordinal of the entity among those handed to the store.
public typealias StoreEntityKey = EntityKeyInfo

/// What a store needs to know about an input before its first record.
public struct StoreInput: Sendable {
  /// The run id.
  public var runID: String
  /// The run's command (`import`).
  public var command: String
  /// SHA-256 of the run's configuration.
  public var configurationSha256: String
  /// When the run started.
  public var runStartedAt: Instant
  /// The input's index in the run.
  public var index: Int
  /// The input's file name (no directories).
  public var name: String
  /// SHA-256 of the input's bytes.
  public var sha256: String
  /// Size in bytes.
  public var bytes: Int
  /// Format id.
  public var format: FormatID
  /// The mapping profile's id, if any.
  public var profileID: String?
  /// The mapping profile's SHA-256, '' when none.
  public var profileSha256: String
  /// The parser version (`ParserVersion.current`).
  public var parserVersion: String
  /// Creates an input description.
  public init(
    runID: String, command: String, configurationSha256: String, runStartedAt: Instant, index: Int, name: String,
    sha256: String, bytes: Int, format: FormatID, profileID: String?, profileSha256: String, parserVersion: String
  ) {
    self.runID = runID
    self.command = command
    self.configurationSha256 = configurationSha256
    self.runStartedAt = runStartedAt
    self.index = index
    self.name = name
    self.sha256 = sha256
    self.bytes = bytes
    self.format = format
    self.profileID = profileID
    self.profileSha256 = profileSha256
    self.parserVersion = parserVersion
  }
}

/// What an input's transaction changed: entities by version outcome.
public struct StoreCounts: Sendable, Hashable {
  /// Entities new to the store (version 1).
  public var inserted = 0
  /// Entities whose content changed (a new version; the old one kept).
  public var updated = 0
  /// Entities delivered again with identical content (a sighting only).
  public var unchanged = 0
  /// Creates counts.
  public init(inserted: Int = 0, updated: Int = 0, unchanged: Int = 0) {
    self.inserted = inserted
    self.updated = updated
    self.unchanged = unchanged
  }
}

/// An error of a store, as the pipeline reports it: a rule id, a message without personal values, an exit code.
public protocol StoreFailure: Error {
  /// Rule id (`store.io-error`, ...).
  var rule: String { get }
  /// What happened.
  var message: String { get }
  /// The exit code it maps to (78, 73, 74).
  var exitCode: Int32 { get }
}

/// Where a store run puts what it reads: the pipeline calls it around every input (one transaction per input in
/// the case store). Every method but `contains(entityID:)` runs on the pipeline's thread, in this order per input:
/// `alreadyProcessed` (after phase A), then for an input read again `beginInput`, `accept`/`finding` as records
/// come, and `commitInput` or, on a whole-input failure, `rollbackInput`. `finishRun` once at the end.
public protocol StoreSink: AnyObject {
  /// Whether the store holds an entity with this id: a reference the run's own inputs do not resolve resolves
  /// against the store (yesterday's delivery). Called from the read-ahead thread, only for ids the run does not
  /// declare; it must be safe to call while the pipeline's thread writes.
  func contains(entityID: EntityID) -> Bool
  /// Whether an input with this idempotency key is already in the store (then nothing is read again and the input
  /// is reported `duplicate`).
  func alreadyProcessed(inputSha256: String, profileSha256: String, parserVersion: String) throws -> Bool
  /// Opens the input's transaction.
  func beginInput(_ input: StoreInput) throws
  /// One accepted record's entities (ids and provenance final).
  func accept(_ entities: [Entity], recordIndex: Int, span: SourceSpan, entityKeys: [StoreEntityKey]) throws
  /// One finding of the input; `sliceSha256` is the SHA-256 of the quarantined record's original bytes when the
  /// record was quarantined.
  func finding(_ diagnostic: Diagnostic, recordID: EntityID?, recordKey: String?, sliceSha256: String?) throws
  /// Commits the input's transaction (with its processed-inputs row) and returns what it changed.
  func commitInput(_ report: InputReport) throws -> StoreCounts
  /// Takes back everything of the input since `beginInput` (never throws; nothing of the input stays).
  func rollbackInput()
  /// The run is over (its report final except for the report file).
  func finishRun(_ report: RunReport)
}
