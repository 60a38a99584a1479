import CaseInterchange
#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// One entry of the inbox as `lstat` saw it during the scan (nothing is opened).
struct InboxEntry {
  var name: String
  var path: String
  var st: stat
}

/// Why an inbox entry is not taken.
enum SkipReason: String {
  case symlink, fifo, device, socket, directory, other
  /// `*.part`: still being uploaded.
  case partial
  /// `*.ready`: a marker, not an input.
  case marker
  /// A dot-file (hidden; also the temporary names of uploaders and of CaseBridge itself).
  case hidden
  /// A name that is not UTF-8 (CaseBridge cannot name it faithfully in reports).
  case nameNotUTF8 = "name-not-utf8"
  /// Not settled yet: modified less than `settle` seconds ago and no `.ready` marker.
  case waiting
  /// Its size or mtime changed between the scan and the open: still being written.
  case changing
  /// Vanished or replaced between the scan and the open.
  case vanished

  /// Entries that should not be in an inbox at all (exit 66, `batch.entry-not-regular`); the rest are expected.
  var isSuspicious: Bool { [.symlink, .fifo, .device, .socket, .other].contains(self) }
}

/// The inbox's entries in name order (byte order of the UTF-8 names), not recursive. Regular files come back as
/// candidates; everything else, `*.part`, `*.ready` and dot-files as skipped, each decided from `lstat` alone.
func scanInbox(_ inbox: String) throws(OutputError) -> (candidates: [InboxEntry], skipped: [(String, SkipReason)], markers: Set<String>) {
  guard let dir = opendir(inbox) else {
    throw OutputError(rule: "input.unreadable", message: "\(inbox): cannot read the inbox (errno \(errno))")
  }
  defer { closedir(dir) }
  var names: [String] = []
  var skipped: [(String, SkipReason)] = []
  while let ent = readdir(dir) {
    let raw = withUnsafeBytes(of: ent.pointee.d_name) { b in Array(b.prefix { $0 != 0 }) }
    guard let name = String(validating: raw, as: UTF8.self) else {
      skipped.append((String(decoding: raw, as: UTF8.self), .nameNotUTF8))
      continue
    }
    if name == "." || name == ".." { continue }
    names.append(name)
  }
  names.sort { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
  var candidates: [InboxEntry] = []
  var markers = Set<String>()
  for name in names {
    let path = inbox + "/" + name
    var st = stat()
    guard lstat(path, &st) == 0 else { continue }  // gone meanwhile
    let type = st.st_mode & S_IFMT
    let reason: SkipReason?
    switch type {
    case S_IFREG:
      if name.hasPrefix(".") {
        reason = .hidden
      } else if name.hasSuffix(".part") {
        reason = .partial
      } else if name.hasSuffix(".ready") {
        reason = .marker
        markers.insert(String(name.dropLast(6)))
      } else {
        reason = nil
      }
    case S_IFLNK: reason = .symlink
    case S_IFIFO: reason = .fifo
    case S_IFCHR, S_IFBLK: reason = .device
    case S_IFSOCK: reason = .socket
    case S_IFDIR: reason = name.hasPrefix(".") ? .hidden : .directory
    default: reason = .other
    }
    if let reason {
      // A marker is reported only when it has no file beside it (an orphan marker is worth a look).
      if reason != .marker { skipped.append((name, reason)) }
      continue
    }
    candidates.append(InboxEntry(name: name, path: path, st: st))
  }
  let candidateNames = Set(candidates.map(\.name))
  for m in markers.sorted() where !candidateNames.contains(m) { skipped.append((m + ".ready", .marker)) }
  return (candidates, skipped, markers)
}

/// A whole small file (a profile, a config), opened without blocking and checked regular by `ChunkedFile`; nil when
/// it is larger than `limit` bytes.
/// - Throws: `FormatError` (`input.unreadable`, `input.not-regular-file`, `input.io-error`).
func readSmallFile(_ path: String, limit: Int) throws(FormatError) -> [UInt8]? {
  let f = try ChunkedFile(path: path)
  var all: [UInt8] = []
  while true {
    let c = try f.nextChunk()
    if c.isEmpty { return all }
    all.append(contentsOf: c)
    if all.count > limit { return nil }
  }
}

/// Hashes an open descriptor from its start with `pread` (SHA-256, lower-case hex) and counts its bytes.
func hashDescriptor(_ fd: Int32) -> (sha256: String, bytes: Int)? {
  var h = SHA256Hasher()
  let buf = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
  defer { buf.deallocate() }
  var off = 0
  while true {
    let n = pread(fd, buf.baseAddress, buf.count, off_t(off))
    if n < 0 {
      if errno == EINTR { continue }
      return nil
    }
    if n == 0 { break }
    h.update(UnsafeRawBufferPointer(rebasing: buf[0..<n]))
    off += n
  }
  return (h.hex(), off)
}

/// The store's lock: `<store>.lock`, created 0600, held with `flock(LOCK_EX|LOCK_NB)` for the whole run and released
/// when the process ends (a `kill -9` leaves no stale lock). The descriptor is close-on-exec, so children never hold
/// it.
final class StoreLock {
  let fd: Int32
  enum Failure: Error {
    case held
    case cannotCreate(Int32)
  }

  init(storePath: String) throws(Failure) {
    let dir = dirName(storePath)
    var st = stat()
    if stat(dir, &st) != 0 { try? makeDirectories(dir) }
    let fd = open(storePath + ".lock", O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY, 0o600)
    guard fd >= 0 else { throw .cannotCreate(errno) }
    if flock(fd, LOCK_EX | LOCK_NB) != 0 {
      let e = errno
      close(fd)
      if e == EWOULDBLOCK || e == EAGAIN { throw .held }
      throw .cannotCreate(e)
    }
    self.fd = fd
  }

  deinit { close(fd) }
}

/// Removes a directory tree without following symlinks (the private temporary directory of a child).
func removeTree(_ path: String) {
  var st = stat()
  guard lstat(path, &st) == 0 else { return }
  if (st.st_mode & S_IFMT) == S_IFDIR {
    if let dir = opendir(path) {
      var names: [String] = []
      while let ent = readdir(dir) {
        let name = withUnsafeBytes(of: ent.pointee.d_name) { b in String(decoding: b.prefix { $0 != 0 }, as: UTF8.self) }
        if name != "." && name != ".." { names.append(name) }
      }
      closedir(dir)
      for n in names { removeTree(path + "/" + n) }
    }
    rmdir(path)
  } else {
    unlink(path)
  }
}

/// Creates a private (0700) temporary directory `<parent>/child-XXXXXX`.
func makePrivateDirectory(in parent: String) -> String? {
  var template = Array("\(parent)/child-XXXXXX".utf8CString)
  guard let p = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else { return nil }
  let path = String(cString: p)
  chmod(path, 0o700)
  return path
}

/// Empties `parent` (the store's `<store>.batch/` folder of child directories): what an earlier, killed batch run
/// left there. Called under the store's lock, so no other run of this store uses it.
func removeStalePrivateDirectories(in parent: String) {
  guard let dir = opendir(parent) else { return }
  var names: [String] = []
  while let ent = readdir(dir) {
    let name = withUnsafeBytes(of: ent.pointee.d_name) { b in String(decoding: b.prefix { $0 != 0 }, as: UTF8.self) }
    if name != "." && name != ".." { names.append(name) }
  }
  closedir(dir)
  for n in names { removeTree(parent + "/" + n) }
}

/// Moves `source` to `target` durably: `rename(2)`; across file systems (EXDEV) a copy to a temporary file beside
/// the target, `fsync`, `rename`, then `unlink` of the source. The target's directory (created 0700) and the
/// source's directory are `fsync`ed. An existing target is never replaced: archive names carry the SHA-256, so an
/// existing one holds the same bytes, and the source is then only removed.
func moveDurably(_ source: String, to target: String) throws(OutputError) {
  let dir = dirName(target)
  try makeDirectories(dir)
  var st = stat()
  if lstat(target, &st) == 0 {
    guard unlink(source) == 0 else { throw OutputError(rule: "output.io-error", message: "\(source): cannot remove (errno \(errno))") }
    syncDirectory(dirName(source))
    return
  }
  if rename(source, target) == 0 {
    syncDirectory(dir)
    syncDirectory(dirName(source))
    return
  }
  guard errno == EXDEV else {
    throw OutputError(rule: "output.cannot-create", message: "\(target): cannot move the input there (errno \(errno))")
  }
  let src = open(source, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK)
  guard src >= 0 else { throw OutputError(rule: "output.io-error", message: "\(source): cannot open to copy (errno \(errno))") }
  defer { close(src) }
  let out = try OutputFile(target: target)
  let buf = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
  defer { buf.deallocate() }
  while true {
    let n = read(src, buf.baseAddress, buf.count)
    if n < 0 {
      if errno == EINTR { continue }
      throw OutputError(rule: "output.io-error", message: "\(source): read failed while copying (errno \(errno))")
    }
    if n == 0 { break }
    do {
      try out.write(UnsafeRawBufferPointer(rebasing: buf[0..<n]))
    } catch {
      throw OutputError.io(target)
    }
  }
  try out.commit()  // fsync, rename, fsync directory
  guard unlink(source) == 0 else { throw OutputError(rule: "output.io-error", message: "\(source): cannot remove after copying (errno \(errno))") }
  syncDirectory(dirName(source))
}

/// A file name for the archive: `<sha256>-<name>`, the name cut (at a character boundary) so the whole stays within
/// 255 bytes.
func archiveName(sha256: String, name: String) -> String {
  var kept = ""
  var bytes = 0
  for ch in name {
    let n = String(ch).utf8.count
    if bytes + n > 255 - 65 { break }
    kept.append(ch)
    bytes += n
  }
  return sha256 + "-" + kept
}
