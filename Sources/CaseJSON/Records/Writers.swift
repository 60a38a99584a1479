public import CaseModel
public import CaseInterchange

/// Writes CaseBridge JSON Lines: one canonical entity object per line, `\n`-terminated.
///
/// Output is deterministic: the same entities give the same bytes.
public struct JSONLinesWriter: RecordWriter {
  private let sink: any ByteSink
  private var writer = JSONWriter(capacity: 1 << 20)
  private let encoder = EntityJSONEncoder()
  /// Entities written so far.
  public private(set) var count = 0

  /// Creates a writer.
  public init(sink: any ByteSink) { self.sink = sink }

  /// Writes the entities of one record, one line each.
  /// - Throws: the sink's I/O error.
  public mutating func write(_ entities: [Entity]) throws {
    for e in entities {
      writer.write(try encoder.encode(e))
      writer.bytes.append(0x0A)
      count += 1
    }
    if writer.bytes.count >= 1 << 20 { try flush() }
  }

  /// Hands buffered bytes to the sink.
  /// - Throws: the sink's I/O error.
  public mutating func flush() throws {
    guard !writer.bytes.isEmpty else { return }
    try writer.bytes.withUnsafeBytes { try sink.write($0) }
    writer.bytes.removeAll(keepingCapacity: true)
  }

  /// Drops buffered bytes and resets the count after the sink was truncated.
  public mutating func rewind(toCount count: Int) {
    writer.bytes.removeAll(keepingCapacity: true)
    self.count = count
  }

  /// Flushes; JSON Lines has no trailer.
  /// - Throws: the sink's I/O error.
  public mutating func finish() throws { try flush() }
}

/// Writes a CaseBridge case bundle: `{"casebridgeVersion":"1.0","entities":[` one entity per line `]}`.
public struct CaseBundleWriter: RecordWriter {
  private let sink: any ByteSink
  private var writer = JSONWriter(capacity: 1 << 20)
  private let encoder = EntityJSONEncoder()
  /// Entities written so far.
  public private(set) var count = 0

  /// Creates a writer; the envelope's opening is written at once.
  public init(sink: any ByteSink) {
    self.sink = sink
    writer.writeRaw("{\"casebridgeVersion\":")
    writer.writeString(CaseBundleFormat.version)
    writer.writeRaw(",\"entities\":[")
  }

  /// Writes the entities of one record.
  /// - Throws: the sink's I/O error.
  public mutating func write(_ entities: [Entity]) throws {
    for e in entities {
      writer.writeRaw(count == 0 ? "\n" : ",\n")
      writer.write(try encoder.encode(e))
      count += 1
    }
    if writer.bytes.count >= 1 << 20 { try flush() }
  }

  /// Hands buffered bytes to the sink.
  /// - Throws: the sink's I/O error.
  public mutating func flush() throws {
    guard !writer.bytes.isEmpty else { return }
    try writer.bytes.withUnsafeBytes { try sink.write($0) }
    writer.bytes.removeAll(keepingCapacity: true)
  }

  /// Restores the entity count after the pipeline truncated the output back to a checkpoint.
  public mutating func rewind(toCount count: Int) {
    writer.bytes.removeAll(keepingCapacity: true)
    self.count = count
  }

  /// Closes the array and the document.
  /// - Throws: the sink's I/O error.
  public mutating func finish() throws {
    writer.writeRaw(count == 0 ? "]}\n" : "\n]}\n")
    try flush()
  }
}
