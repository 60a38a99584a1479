public import CaseModel

/// A byte range of the original input, with the line and column where it starts.
public struct SourceSpan: Sendable, Hashable {
  /// 0-based byte offset.
  public var byteOffset: Int
  /// Length in bytes (for line formats: the terminator included).
  public var byteLength: Int
  /// 1-based line of the first byte.
  public var line: Int
  /// 1-based column of the first byte.
  public var column: Int
  /// Creates a span.
  public init(byteOffset: Int, byteLength: Int, line: Int, column: Int = 1) {
    self.byteOffset = byteOffset
    self.byteLength = byteLength
    self.line = line
    self.column = column
  }
}

/// Where a model field of a mapped record came from in the source (a CSV column, an element, a label).
public struct FieldOrigin: Sendable, Hashable {
  /// Position of the entity among the record's entities.
  public var entity: Int
  /// JSON Pointer of the field inside the entity (`/names/0/family`).
  public var pointer: String
  /// The source field's name (the column's header).
  public var field: String
  /// Line where the source value starts.
  public var line: Int
  /// Column where the source value starts.
  public var column: Int
  /// Creates an origin.
  public init(entity: Int, pointer: String, field: String, line: Int, column: Int) {
    self.entity = entity
    self.pointer = pointer
    self.field = field
    self.line = line
    self.column = column
  }
}

/// One source record read successfully: the unit of every count.
public struct SourceRecord: Sendable {
  /// 0-based record index in the input.
  public var index: Int
  /// The record's bytes in the input.
  public var span: SourceSpan
  /// Where the record sits in a document (a JSON Pointer such as `/entities/3`), if it is part of one.
  public var pointer: String?
  /// The entities the record yields. An entity whose id is empty gets a derived id from the pipeline.
  public var entities: [Entity]
  /// Non-fatal reader findings (warnings).
  public var diagnostics: [Diagnostic]
  /// For mapped records: where each model field came from, so later findings name the source field.
  public var origins: [FieldOrigin] = []
  /// In a reader's prescan mode (no entities decoded): the entity ids the record declares.
  public var declaredIDs: [EntityID] = []
  /// The record's keyed entities (profile `key`), in entity order; empty for unkeyed records. The record's key
  /// (`recordKey` in diagnostics) is the `text` of the first.
  public var entityKeys: [EntityKeyInfo] = []
  /// The key the record is known by in its source system: the first keyed entity's key text, if any.
  public var recordKey: String? { entityKeys.first?.text }
  /// Values of the record that a profile's `unique` constraint says no other accepted record of the run may share.
  public var uniqueClaims: [UniqueClaim] = []
  /// Creates a record.
  public init(index: Int, span: SourceSpan, pointer: String? = nil, entities: [Entity], diagnostics: [Diagnostic] = []) {
    self.index = index
    self.span = span
    self.pointer = pointer
    self.entities = entities
    self.diagnostics = diagnostics
  }
}

/// The key of one keyed entity of a record: what identifies it in its source system.
public struct EntityKeyInfo: Sendable, Hashable {
  /// Position of the entity among the record's entities.
  public var ordinal: Int
  /// The profile's `sourceSystem`.
  public var sourceSystem: String
  /// The key values joined with `|`; a `|` or `\` inside a value is written `\|` or `\\`.
  public var text: String
  /// Creates a key.
  public init(ordinal: Int, sourceSystem: String, text: String) {
    self.ordinal = ordinal
    self.sourceSystem = sourceSystem
    self.text = text
  }

  /// The key text of a list of key values: joined with `|`, with `|` and `\` in a value escaped.
  public static func text(of values: [String]) -> String {
    values.map { v in
      guard v.contains("|") || v.contains("\\") else { return v }
      var out = ""
      for c in v {
        if c == "|" || c == "\\" { out.append("\\") }
        out.append(c)
      }
      return out
    }.joined(separator: "|")
  }
}

/// A source record that cannot be read into the model: it goes to quarantine.
public struct RecordIssue: Sendable {
  /// 0-based record index in the input.
  public var index: Int
  /// The record's bytes in the input (the quarantine copies exactly these).
  public var span: SourceSpan
  /// Why; at least one error.
  public var diagnostics: [Diagnostic]
  /// Creates an issue.
  public init(index: Int, span: SourceSpan, diagnostics: [Diagnostic]) {
    self.index = index
    self.span = span
    self.diagnostics = diagnostics
  }
}

/// Bytes that are not a record: a header, a legend, a section marker, a blank line.
public struct IgnoredSpan: Sendable {
  /// What they are (`blank-line`, `header`, `legend`, `marker`).
  public var kind: String
  /// Where.
  public var span: SourceSpan
  /// A finding to report with it (a blank row gets a warning).
  public var diagnostic: Diagnostic?
  /// Creates an ignored span.
  public init(kind: String, span: SourceSpan, diagnostic: Diagnostic? = nil) {
    self.kind = kind
    self.span = span
    self.diagnostic = diagnostic
  }
}

/// What a reader yields for each step: a record, a located rejection, or ignored bytes.
public enum ReadOutcome: Sendable {
  /// A record read successfully.
  case record(SourceRecord)
  /// A record that goes to quarantine.
  case rejected(RecordIssue)
  /// Bytes that are not a record (counted as `ignored`).
  case ignored(IgnoredSpan)
}

/// A single-pass reader of source records, like GRDB's cursor.
///
/// Per-record problems come back as `.rejected`; `next()` throws only when reading cannot go on, and then the
/// input is rejected whole.
public protocol RecordReader {
  /// The next outcome, or nil at the end of the input.
  /// - Throws: `FormatError` when reading cannot continue.
  mutating func next() throws(FormatError) -> ReadOutcome?
}

/// What a writer has written at a checkpoint: restored when the pipeline takes back an input's output.
public struct WriterCheckpoint: Sendable, Hashable {
  /// Entities written in all.
  public var count: Int
  /// Entities written per output name (`""` for a single output; file names for directory outputs).
  public var counts: [String: Int]
  /// Creates a checkpoint.
  public init(count: Int, counts: [String: Int]) {
    self.count = count
    self.counts = counts
  }
}

/// A writer of entities in one output format, one source record at a time.
///
/// Writers buffer and hand bytes to their sinks. To take back an input, the pipeline flushes and takes a
/// `checkpoint()`, truncates the sinks to their sizes at that moment, and calls `rollback(to:)`.
public protocol RecordWriter {
  /// Entities written so far.
  var count: Int { get }
  /// Entities written per output name (`""` for a single output).
  var counts: [String: Int] { get }
  /// Writes the entities of one accepted source record.
  /// - Throws: the sink's I/O error.
  mutating func write(_ entities: [Entity]) throws
  /// Hands buffered bytes to the sinks.
  /// - Throws: the sink's I/O error.
  mutating func flush() throws
  /// Drops buffered bytes and restores the state of a checkpoint (after the sinks were truncated to it).
  mutating func rollback(to checkpoint: WriterCheckpoint)
  /// Completes the output (closing brackets, trailers) and flushes. Called once.
  /// - Throws: the sink's I/O error.
  mutating func finish() throws
}

extension RecordWriter {
  /// The current state, to roll back to.
  public var checkpoint: WriterCheckpoint { WriterCheckpoint(count: count, counts: counts) }
}

/// A writer whose format cannot hold every model fact: what it left out, said in the report's `outputs[]`.
public protocol WarningReportingWriter: RecordWriter {
  /// One line per kind of fact not written (no personal values), e.g. "3 lease windows of IP assignments: NCMEC
  /// report XML has no element for them".
  var writerWarnings: [String] { get }
}

/// A value a `unique` constraint claims for its record: the pipeline quarantines a later record of the run whose
/// claim has the same hash (`field.not-unique`, or the constraint's own rule), naming the first occurrence.
public struct UniqueClaim: Sendable, Hashable {
  /// 8-byte hash of the constraint's identity and the value (a collision can only cause a false report).
  public var hash: UInt64
  /// The source field (column, path or label) holding the value.
  public var field: String
  /// The finding's rule.
  public var rule: String
  /// The agency's own message, if the constraint gives one.
  public var message: String?
  /// Where the value is.
  public var line: Int
  public var column: Int
  public init(hash: UInt64, field: String, rule: String, message: String?, line: Int, column: Int) {
    self.hash = hash
    self.field = field
    self.rule = rule
    self.message = message
    self.line = line
    self.column = column
  }
}
