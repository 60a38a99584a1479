import CaseInterchange
#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// How an output path of a run is written.
public enum OutputPathKind: Sendable {
  /// A file, renamed into place (`--report`, `--write-profile`).
  case file
  /// A file, or an existing character device written through (`-o`); `-` is standard output.
  case fileOrCharacterDevice
  /// A directory files are created in (`--quarantine`, CSV and NCMEC `-o DIR`, `match -o DIR`).
  case directory
}

/// A path a run writes, with the option that named it (for the message).
public struct OutputPath: Sendable {
  /// The option, e.g. `-o` or `--report`.
  public var option: String
  /// The path as given.
  public var path: String
  /// How it is written.
  public var kind: OutputPathKind
  /// Creates an output path.
  public init(option: String, path: String, kind: OutputPathKind) {
    self.option = option
    self.path = path
    self.kind = kind
  }
}

extension RunOptions {
  /// The paths the run reads: inputs (`-` is standard input), `--profile`, `--profile-for` profiles.
  public var readPaths: [(option: String, path: String)] {
    inputs.map { ("input", $0) } + (profilePath.map { [("--profile", $0)] } ?? [])
      + inputProfilePaths.sorted { $0.key < $1.key }.map { ("--profile-for", $0.value) }
  }

  /// The paths the run writes: `-o` (convert), `--report`, `--quarantine`. Every new output option belongs here, so
  /// `checkOutputPaths` covers it.
  public var writePaths: [OutputPath] {
    var out: [OutputPath] = []
    if command == "convert", let to {
      let directory = (to == .csv && entityFilter == nil) || to == .ncmecXML
      out.append(OutputPath(option: "-o", path: output ?? "-", kind: directory ? .directory : .fileOrCharacterDevice))
    }
    if let reportPath { out.append(OutputPath(option: "--report", path: reportPath, kind: .file)) }
    if let reportHTMLPath { out.append(OutputPath(option: "--report-html", path: reportHTMLPath, kind: .file)) }
    if let quarantineDirectory { out.append(OutputPath(option: "--quarantine", path: quarantineDirectory, kind: .directory)) }
    if let storePath { out.append(OutputPath(option: "--store", path: storePath, kind: .file)) }
    return out
  }
}

/// Refuses, before anything is read or written, output paths that resolve — after symlinks, `.` and `..`, or as
/// the same file through a hard link or a redirected stdin/stdout — to an input, a profile or another output
/// (`output.same-file`, exit 64), and output paths that name an existing file of the wrong kind: a directory, FIFO,
/// socket or device where a file is written (`-o` may name a character device; `output.not-regular`, exit 73), or
/// a non-directory where a directory is (`output.cannot-create`, exit 73).
/// - Parameters:
///   - options: The run's options (`readPaths`, `writePaths`).
///   - more: Outputs the command writes beyond the run's (`match -o DIR`, a report the command writes itself).
/// - Returns: The first problem, or nil.
public func checkOutputPaths(_ options: RunOptions, more: [OutputPath] = []) -> OutputError? {
  checkOutputPaths(reading: options.readPaths, writing: options.writePaths + more)
}

/// `checkOutputPaths(_:more:)` for explicit lists.
public func checkOutputPaths(reading: [(option: String, path: String)], writing: [OutputPath]) -> OutputError? {
  var seen: [(option: String, path: String, keys: Set<PathKey>)] = []
  for r in reading {
    let keys = pathKeys(r.path, standardStream: r.option == "input" ? 0 : nil)
    if !keys.isEmpty { seen.append((r.option, r.path, keys)) }
  }
  for w in writing {
    let stdout = w.kind != .directory && w.path == "-"
    let keys = pathKeys(w.path, standardStream: w.kind == .directory ? nil : 1)
    if let other = seen.first(where: { !$0.keys.isDisjoint(with: keys) }) {
      let what = other.option == "input" ? "input \(other.path)" : "\(other.option) \(other.path)"
      return OutputError(
        rule: "output.same-file",
        message: "\(w.option) \(w.path) is the same file as \(what); nothing was read or written")
    }
    seen.append((w.option, w.path, keys))
    if stdout {
      // A closed stdout was reopened read-only on /dev/null at start: fail now, not after reading every input.
      let flags = fcntl(1, F_GETFL)
      if flags == -1 || flags & O_ACCMODE == O_RDONLY {
        return OutputError(rule: "output.io-error", message: "<stdout>: standard output is closed or not writable")
      }
      continue
    }
    var st = stat()
    guard stat(w.path, &st) == 0 else { continue }
    let type = st.st_mode & S_IFMT
    switch w.kind {
    case .file where type != S_IFREG, .fileOrCharacterDevice where type != S_IFREG && type != S_IFCHR:
      return OutputError.notRegular(w.path)
    case .directory where type != S_IFDIR:
      return OutputError(rule: "output.cannot-create", message: "\(w.path): exists and is not a directory")
    default: break
    }
  }
  return nil
}

/// What identifies a file: its device and inode when it exists, and its canonical path.
enum PathKey: Hashable {
  case inode(UInt64, UInt64)
  case path(String)
}

/// The keys of a path. With `standardStream` (0 or 1), `-` is that stream: the inode of the regular file it is
/// redirected from or to, else no key.
func pathKeys(_ path: String, standardStream: Int32?) -> Set<PathKey> {
  var st = stat()
  if path == "-", let fd = standardStream {
    guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { return [] }
    return [.inode(UInt64(st.st_dev), UInt64(st.st_ino))]
  }
  var keys: Set<PathKey> = [.path(canonicalPath(path))]
  if stat(path, &st) == 0 { keys.insert(.inode(UInt64(st.st_dev), UInt64(st.st_ino))) }
  return keys
}

/// The absolute path with symlinks resolved as far as the path exists (a dangling symlink to where it points), and
/// `.` and `..` of the rest removed as the kernel will once the missing directories are created.
func canonicalPath(_ path: String, depth: Int = 0) -> String {
  if let r = realpath(path, nil) {
    defer { free(r) }
    return String(cString: r)
  }
  var st = stat()
  if depth < 40, lstat(path, &st) == 0, (st.st_mode & S_IFMT) == S_IFLNK {
    var buf = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
    let n = readlink(path, &buf, buf.count - 1)
    if n > 0 {
      let to = String(decoding: buf[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
      return canonicalPath(to.hasPrefix("/") ? to : dirName(path) + "/" + to, depth: depth + 1)
    }
  }
  let parent = dirName(path)
  let base = baseName(path)
  if parent == path { return path }
  let p = canonicalPath(parent, depth: depth + 1)
  switch base {
  case "", ".": return p
  case "..": return dirName(p)
  default: return p == "/" ? "/" + base : p + "/" + base
  }
}
