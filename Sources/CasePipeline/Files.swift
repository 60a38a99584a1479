public import CaseInterchange
#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// An error creating or writing an output (exit 73 or 74).
public struct OutputError: Error, Sendable, CustomStringConvertible {
  /// `output.cannot-create` (exit 73) or `output.io-error` (exit 74).
  public var rule: String
  /// What failed (paths, errno; no record values).
  public var message: String
  /// Compiler-style rendering.
  public var description: String { "\(message) [\(rule)]" }
  static func create(_ path: String) -> OutputError {
    OutputError(rule: "output.cannot-create", message: "\(path): cannot create (errno \(errno))")
  }
  static func io(_ path: String) -> OutputError {
    OutputError(rule: "output.io-error", message: "\(path): write failed (errno \(errno))")
  }
  static func notRegular(_ path: String) -> OutputError {
    OutputError(
      rule: "output.not-regular",
      message: "\(path): exists and is not a regular file; an output never replaces a directory, FIFO, device or socket")
  }
  /// The exit code of the error: 64 for `output.same-file` (a usage error), 74 for `output.io-error`, else 73.
  public var exitCode: Int32 {
    switch rule {
    case "output.same-file": 64
    case "output.io-error": 74
    default: 73
    }
  }
}

/// Writes bytes to standard output; a closed or broken stdout (EBADF, EPIPE: SIGPIPE is ignored by the CLI) is an
/// `output.io-error` (exit 74).
public func writeStandardOutput(_ bytes: [UInt8]) throws(OutputError) {
  try writeAll(1, bytes, path: "<stdout>")
}

/// Writes all of an array's bytes to a descriptor.
func writeAll(_ fd: Int32, _ bytes: [UInt8], path: String) throws(OutputError) {
  var failure: OutputError? = nil
  bytes.withUnsafeBytes { b in
    do throws(OutputError) { try writeAll(fd, b, path: path) } catch { failure = error }
  }
  if let failure { throw failure }
}

/// Writes all bytes to a descriptor.
func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, path: String) throws(OutputError) {
  var done = 0
  while done < bytes.count {
    let n = Glibc.write(fd, bytes.baseAddress! + done, bytes.count - done)
    if n < 0 {
      if errno == EINTR { continue }
      throw OutputError.io(path)
    }
    done += n
  }
}

/// Creates a directory (and its parents) with mode 0700 when missing.
func makeDirectories(_ path: String) throws(OutputError) {
  var st = stat()
  if stat(path, &st) == 0 { return }
  let parent = dirName(path)
  if parent != path && !parent.isEmpty { try makeDirectories(parent) }
  if mkdir(path, 0o700) != 0 && errno != EEXIST { throw OutputError.create(path) }
}

func dirName(_ path: String) -> String {
  guard let slash = path.lastIndex(of: "/") else { return "." }
  if slash == path.startIndex { return "/" }
  return String(path[..<slash])
}

func baseName(_ path: String) -> String {
  guard let slash = path.lastIndex(of: "/") else { return path }
  return String(path[path.index(after: slash)...])
}

/// The output file of a run: written to a temporary file (0600) beside the target (beside the file a symlink target
/// points to), made durable and renamed into place on commit (`fsync` file, `rename`, `fsync` directory). For `-` the bytes are copied to stdout on commit, and
/// for a character device target (`-o` only, e.g. a private `/dev/null`) written through the device; the temporary
/// file of these two lives in `$TMPDIR` and is unlinked as soon as it is created, so nothing is ever left behind.
/// An existing target that is not a regular file is refused (`output.not-regular`, exit 73): nothing is ever renamed
/// over a directory, FIFO, device or socket.
/// Until commit it can be truncated back to a checkpoint, so an input rejected part-way leaves nothing behind.
public final class OutputFile: ByteSink {
  /// How commit makes the output visible.
  enum Mode {
    case rename
    case standardOutput
    case characterDevice
  }
  /// The target path, or `-` for stdout.
  public let target: String
  /// Where the rename puts the file: the target, or where it points when it is a symlink (the link is kept; a
  /// rename over it would replace the link itself, e.g. /dev/stdout).
  let destination: String
  let tempPath: String
  let mode: Mode
  private let fd: Int32
  /// Bytes written so far.
  public private(set) var size = 0
  private var committed = false
  /// The temporary file's slot in `TemporaryFiles`, so a crash removes it.
  private var crashSlot: Int?

  /// Opens a temporary file for `target`.
  /// - Parameter allowsCharacterDevice: An existing character device target is written through on commit (`-o`);
  ///   otherwise it is refused like every other non-regular file.
  /// - Throws: `OutputError` (`output.cannot-create`, `output.not-regular`).
  public init(target: String, allowsCharacterDevice: Bool = false) throws(OutputError) {
    self.target = target
    var mode = Mode.rename
    if target == "-" {
      mode = .standardOutput
    } else {
      var st = stat()
      if stat(target, &st) == 0 && (st.st_mode & S_IFMT) != S_IFREG {
        guard allowsCharacterDevice && (st.st_mode & S_IFMT) == S_IFCHR else { throw OutputError.notRegular(target) }
        mode = .characterDevice
      }
    }
    self.mode = mode
    var link = stat()
    destination = mode == .rename && lstat(target, &link) == 0 && (link.st_mode & S_IFMT) == S_IFLNK ? canonicalPath(target) : target
    let dir: String
    if mode == .rename {
      dir = dirName(destination)
      try makeDirectories(dir)
    } else {
      dir = getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp"
    }
    var template = Array("\(dir)/.casebridge-XXXXXX".utf8CString)
    let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
    guard fd >= 0 else { throw OutputError.create(target) }
    fchmod(fd, 0o600)
    self.fd = fd
    tempPath = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    // Copied on commit: the file needs no name, and an interrupted run (SIGPIPE, a kill) leaves none.
    if mode != .rename { unlink(tempPath) } else { crashSlot = TemporaryFiles.remember(tempPath) }
  }

  deinit {
    close(fd)
    if !committed && mode == .rename { unlink(tempPath) }
    TemporaryFiles.forget(crashSlot)
  }

  /// Appends bytes.
  public func write(_ bytes: UnsafeRawBufferPointer) throws {
    try writeAll(fd, bytes, path: target)
    size += bytes.count
  }

  /// Drops everything written after `size` bytes.
  /// - Throws: `OutputError` (`output.io-error`).
  public func truncate(to size: Int) throws(OutputError) {
    guard ftruncate(fd, off_t(size)) == 0, lseek(fd, off_t(size), SEEK_SET) >= 0 else { throw OutputError.io(target) }
    self.size = size
  }

  /// Hands what was written to `body` in 1 MiB pieces, from the start.
  private func forEachPiece(_ body: (UnsafeRawBufferPointer) throws(OutputError) -> Void) throws(OutputError) {
    let buf = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
    defer { buf.deallocate() }
    var off = 0
    while off < size {
      let n = pread(fd, buf.baseAddress, min(buf.count, size - off), off_t(off))
      if n < 0 {
        if errno == EINTR { continue }
        throw OutputError.io(target)
      }
      if n == 0 { return }
      try body(UnsafeRawBufferPointer(rebasing: buf[0..<n]))
      off += n
    }
  }

  /// SHA-256 of what was written.
  public func sha256() throws(OutputError) -> String {
    var h = SHA256Hasher()
    try forEachPiece { h.update($0) }
    return h.hex()
  }

  /// Makes the output visible: renames it into place durably, or copies it to stdout or through the device.
  /// - Throws: `OutputError`.
  public func commit() throws(OutputError) {
    switch mode {
    case .standardOutput:
      // Never copy the file into itself (stdout that is the temporary file: it would grow until the disk is full).
      var a = stat()
      var b = stat()
      if fstat(1, &a) == 0, fstat(fd, &b) == 0, a.st_dev == b.st_dev, a.st_ino == b.st_ino {
        throw OutputError(rule: "output.io-error", message: "<stdout>: standard output is the output's own temporary file")
      }
      try forEachPiece { piece throws(OutputError) in try writeAll(1, piece, path: "<stdout>") }
    case .characterDevice:
      let d = open(target, O_WRONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC)
      guard d >= 0 else { throw OutputError.create(target) }
      defer { close(d) }
      var st = stat()
      guard fstat(d, &st) == 0, (st.st_mode & S_IFMT) == S_IFCHR else { throw OutputError.notRegular(target) }
      _ = fcntl(d, F_SETFL, fcntl(d, F_GETFL) & ~O_NONBLOCK)
      try forEachPiece { piece throws(OutputError) in try writeAll(d, piece, path: target) }
    case .rename:
      guard fsync(fd) == 0 else { throw OutputError.io(target) }
      // Checked again just before the rename: a target made a FIFO or device meanwhile is not replaced.
      var st = stat()
      if stat(destination, &st) == 0 && (st.st_mode & S_IFMT) != S_IFREG { throw OutputError.notRegular(target) }
      guard rename(tempPath, destination) == 0 else { throw OutputError.create(target) }
      TemporaryFiles.forget(crashSlot)
      crashSlot = nil
      syncDirectory(dirName(destination))
    }
    committed = true
  }
}

/// fsync a directory so a rename in it survives a crash.
func syncDirectory(_ path: String) {
  let d = open(path, O_RDONLY | O_DIRECTORY)
  if d >= 0 {
    fsync(d)
    close(d)
  }
}

/// Writes a small file atomically (temp, fsync, rename, fsync dir), mode 0600.
public func writeFileAtomically(_ path: String, _ bytes: [UInt8]) throws(OutputError) {
  let out = try OutputFile(target: path)
  do {
    try bytes.withUnsafeBytes { try out.write($0) }
  } catch let e as OutputError {
    throw e
  } catch {
    throw OutputError.io(path)
  }
  try out.commit()
}
