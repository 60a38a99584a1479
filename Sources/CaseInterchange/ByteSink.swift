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
