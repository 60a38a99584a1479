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
  /// Creates a record.
  public init(index: Int, span: SourceSpan, pointer: String? = nil, entities: [Entity], diagnostics: [Diagnostic] = []) {
    self.index = index
    self.span = span
    self.pointer = pointer
    self.entities = entities
    self.diagnostics = diagnostics
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

/// A writer of entities in one output format, one source record at a time.
///
/// Writers buffer and hand bytes to a `ByteSink`. The pipeline may truncate the sink back to a checkpoint (an
/// input rejected part-way) and then calls `rewind(toCount:)` so the writer's own state matches.
public protocol RecordWriter {
  /// Entities written so far.
  var count: Int { get }
  /// Writes the entities of one accepted source record.
  /// - Throws: the sink's I/O error.
  mutating func write(_ entities: [Entity]) throws
  /// Hands buffered bytes to the sink.
  /// - Throws: the sink's I/O error.
  mutating func flush() throws
  /// Drops buffered bytes and resets the entity count after the sink was truncated to a checkpoint.
  mutating func rewind(toCount count: Int)
  /// Completes the output (closing brackets, trailers) and flushes. Called once.
  /// - Throws: the sink's I/O error.
  mutating func finish() throws
}
