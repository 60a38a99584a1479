public import CaseModel
public import CaseInterchange

/// The buffer both canonical writers share: entities encoded into one byte buffer, handed to the sink in 1 MiB
/// pieces.
struct EntityOutputBuffer {
  let sink: any ByteSink
  var writer = JSONWriter(capacity: 1 << 20)
  var count = 0

  init(sink: any ByteSink) { self.sink = sink }

  mutating func append(_ entity: Entity) throws {
    entity.writeCanonicalJSON(to: &writer)
    count += 1
  }

  mutating func flushIfLarge() throws {
    if writer.bytes.count >= 1 << 20 { try flush() }
  }

  mutating func flush() throws {
    guard !writer.bytes.isEmpty else { return }
    try writer.bytes.withUnsafeBytes { try sink.write($0) }
    writer.bytes.removeAll(keepingCapacity: true)
  }

  mutating func rollback(to checkpoint: WriterCheckpoint) {
    writer.bytes.removeAll(keepingCapacity: true)
    count = checkpoint.count
  }
}

/// Writes CaseBridge JSON Lines: one canonical entity object per line, `\n`-terminated.
///
/// Output is deterministic: the same entities give the same bytes.
public struct JSONLinesWriter: RecordWriter {
  private var out: EntityOutputBuffer
  /// Entities written so far.
  public var count: Int { out.count }

  /// Creates a writer.
  public init(sink: any ByteSink) { out = EntityOutputBuffer(sink: sink) }

  /// Writes the entities of one record, one line each.
  /// - Throws: the sink's I/O error.
  public mutating func write(_ entities: [Entity]) throws {
    for e in entities {
      try out.append(e)
      out.writer.bytes.append(0x0A)
    }
    try out.flushIfLarge()
  }

  /// Hands buffered bytes to the sink.
  /// - Throws: the sink's I/O error.
  public mutating func flush() throws { try out.flush() }

  /// Entities per output (one output).
  public var counts: [String: Int] { ["": out.count] }

  /// Drops buffered bytes and restores the count after the sink was truncated.
  public mutating func rollback(to checkpoint: WriterCheckpoint) { out.rollback(to: checkpoint) }

  /// Flushes; JSON Lines has no trailer.
  /// - Throws: the sink's I/O error.
  public mutating func finish() throws { try out.flush() }
}

/// Writes a CaseBridge case bundle: `{"casebridgeVersion":"1.0","entities":[` one entity per line `]}`.
public struct CaseBundleWriter: RecordWriter {
  private var out: EntityOutputBuffer
  /// Entities written so far.
  public var count: Int { out.count }

  /// Creates a writer; the envelope's opening is written at once.
  public init(sink: any ByteSink) {
    out = EntityOutputBuffer(sink: sink)
    out.writer.writeRaw("{\"casebridgeVersion\":")
    out.writer.writeString(CaseBundleFormat.version)
    out.writer.writeRaw(",\"entities\":[")
  }

  /// Writes the entities of one record.
  /// - Throws: the sink's I/O error.
  public mutating func write(_ entities: [Entity]) throws {
    for e in entities {
      out.writer.writeRaw(out.count == 0 ? "\n" : ",\n")
      try out.append(e)
    }
    try out.flushIfLarge()
  }

  /// Hands buffered bytes to the sink.
  /// - Throws: the sink's I/O error.
  public mutating func flush() throws { try out.flush() }

  /// Entities per output (one output).
  public var counts: [String: Int] { ["": out.count] }

  /// Drops buffered bytes and restores the count after the sink was truncated to a checkpoint.
  public mutating func rollback(to checkpoint: WriterCheckpoint) { out.rollback(to: checkpoint) }

  /// Closes the array and the document.
  /// - Throws: the sink's I/O error.
  public mutating func finish() throws {
    out.writer.writeRaw(out.count == 0 ? "]}\n" : "\n]}\n")
    try out.flush()
  }
}
