#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A read-only regular file read in large chunks with `read(2)`, never loaded whole.
///
/// Owns its descriptor; not Sendable (single pass, single owner).
public final class ChunkedFile {
  /// The path as opened.
  public let path: String
  private let fd: Int32
  /// The chunk size in bytes.
  public let chunkSize: Int
  private let buffer: UnsafeMutableRawBufferPointer
  /// Called with every chunk read, in order (used to re-hash inputs while they are processed).
  public var onChunk: ((UnsafeRawBufferPointer) -> Void)?

  /// Opens a file for reading. The open never blocks (`O_NONBLOCK`, `O_NOCTTY`) and the opened descriptor must be a
  /// regular file, so a path that is — or was swapped for — a FIFO, device or directory is refused, never waited on.
  /// - Throws: `FormatError` with rule `input.unreadable` when it cannot be opened, `input.not-regular-file` when
  ///   it is not a regular file.
  public init(path: String, chunkSize: Int = 1 << 20) throws(FormatError) {
    self.path = path
    self.chunkSize = chunkSize
    let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY)
    guard fd >= 0 else {
      throw FormatError(rule: "input.unreadable", message: "cannot open input (errno \(errno))", location: SourceLocation(source: path))
    }
    var st = stat()
    guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else {
      close(fd)
      throw FormatError(rule: "input.not-regular-file", message: "input is not a regular file", location: SourceLocation(source: path))
    }
    _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
    self.fd = fd
    buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 64)
  }

  deinit {
    close(fd)
    buffer.deallocate()
  }

  /// Reads the next chunk; an empty buffer means end of file. The buffer is valid until the next call.
  /// - Throws: `FormatError` with rule `input.io-error`.
  public func nextChunk() throws(FormatError) -> UnsafeRawBufferPointer {
    while true {
      let n = read(fd, buffer.baseAddress, chunkSize)
      if n < 0 {
        if errno == EINTR { continue }
        throw FormatError(rule: "input.io-error", message: "read failed (errno \(errno))", location: SourceLocation(source: path))
      }
      let chunk = UnsafeRawBufferPointer(rebasing: buffer[0..<n])
      if n > 0 { onChunk?(chunk) }
      return chunk
    }
  }

  /// Reads `length` bytes at `offset` without moving the sequential position.
  /// - Throws: `FormatError` with rule `input.io-error` on failure or a short read.
  public func bytes(at offset: Int, length: Int) throws(FormatError) -> [UInt8] {
    var out = [UInt8](repeating: 0, count: length)
    var done = 0
    while done < length {
      let n = out.withUnsafeMutableBytes { p in pread(fd, p.baseAddress! + done, length - done, off_t(offset + done)) }
      if n < 0 && errno == EINTR { continue }
      guard n > 0 else {
        throw FormatError(rule: "input.io-error", message: "short read at byte \(offset + done)", location: SourceLocation(source: path, byteOffset: offset + done))
      }
      done += n
    }
    return out
  }

  /// Hands the `length` bytes at `offset` to `body` in pieces of at most one chunk, without moving the
  /// sequential position (copies of large records never hold the whole record in memory).
  /// - Throws: `FormatError` with rule `input.io-error`, or what `body` throws.
  public func forEachPiece(at offset: Int, length: Int, _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
    let piece = UnsafeMutableRawBufferPointer.allocate(byteCount: min(max(length, 1), chunkSize), alignment: 16)
    defer { piece.deallocate() }
    var done = 0
    while done < length {
      let want = min(piece.count, length - done)
      let n = pread(fd, piece.baseAddress, want, off_t(offset + done))
      if n < 0 && errno == EINTR { continue }
      guard n > 0 else {
        throw FormatError(rule: "input.io-error", message: "short read at byte \(offset + done)", location: SourceLocation(source: path, byteOffset: offset + done))
      }
      try body(UnsafeRawBufferPointer(rebasing: piece[0..<n]))
      done += n
    }
  }

  /// Rewinds to the start for another pass.
  public func rewind() {
    lseek(fd, 0, SEEK_SET)
  }
}
