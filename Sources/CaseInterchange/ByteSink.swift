/// Where a writer's bytes go. The pipeline's sink writes to a temporary file it can truncate, so the output of an
/// input that is later rejected whole can be taken back.
public protocol ByteSink: AnyObject {
  /// Appends bytes.
  /// - Throws: an I/O error.
  func write(_ bytes: UnsafeRawBufferPointer) throws
}

/// A sink that keeps everything in memory (tests, small library uses).
public final class MemoryByteSink: ByteSink {
  /// The bytes written so far.
  public private(set) var bytes: [UInt8] = []
  /// Creates an empty sink.
  public init() {}
  /// Appends bytes.
  public func write(_ bytes: UnsafeRawBufferPointer) throws { self.bytes.append(contentsOf: bytes) }
}

/// Named outputs in a directory (`-o DIR`), created on first use; the pipeline commits or removes them together.
public protocol ByteSinkDirectory: AnyObject {
  /// The sink for a file name inside the directory (created on first use; the same sink for the same name).
  /// - Throws: an output error when the file cannot be created or already exists.
  func sink(named name: String) throws -> any ByteSink
}

/// Named in-memory sinks (tests, library uses).
public final class MemoryByteSinkDirectory: ByteSinkDirectory {
  /// The sinks by name, in creation order.
  public private(set) var files: [(name: String, sink: MemoryByteSink)] = []
  /// Creates an empty directory.
  public init() {}
  /// The sink for a name.
  public func sink(named name: String) throws -> any ByteSink {
    if let f = files.first(where: { $0.name == name }) { return f.sink }
    let s = MemoryByteSink()
    files.append((name, s))
    return s
  }
}
