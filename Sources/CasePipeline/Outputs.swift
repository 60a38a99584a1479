import CaseModel
import CaseInterchange
#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The outputs of a run: one file (or stdout), or a directory of files created on first use (CSV writes one file
/// per entity type). Every file is a temporary until `commit`; a checkpoint can be rolled back, so an input
/// rejected part-way leaves nothing behind in any of them.
final class OutputSet: ByteSinkDirectory {
  /// The file, `-`, or the directory.
  let target: String
  let isDirectory: Bool
  private(set) var files: [(name: String, file: OutputFile)] = []

  init(target: String, isDirectory: Bool) throws(OutputError) {
    self.target = target
    self.isDirectory = isDirectory
    if isDirectory {
      guard target != "-" else { throw OutputError(rule: "output.cannot-create", message: "this format writes a directory; give -o DIR") }
      try makeDirectories(target)
    }
  }

  /// The sink for a name (`<entity>.csv` in a directory; the single output otherwise).
  func outputFile(named name: String) throws(OutputError) -> OutputFile {
    let key = isDirectory ? name : ""
    if let f = files.first(where: { $0.name == key }) { return f.file }
    let path = isDirectory ? "\(target)/\(name)" : target
    if isDirectory {
      var st = stat()
      if lstat(path, &st) == 0 { throw OutputError(rule: "output.cannot-create", message: "\(path): exists; outputs are never overwritten in a directory run") }
    }
    // `-o` naming a character device (a private /dev/null) is written through; every other non-regular target is
    // refused by OutputFile.
    let f = try OutputFile(target: path, allowsCharacterDevice: !isDirectory)
    files.append((key, f))
    return f
  }

  /// The sink for a name, as a `ByteSinkDirectory` (writers of directory formats in other modules).
  func sink(named name: String) throws -> any ByteSink {
    let f: OutputFile = try outputFile(named: name)
    return f
  }

  /// Sizes of the files that exist now.
  func checkpoint() -> [String: Int] {
    Dictionary(uniqueKeysWithValues: files.map { ($0.name, $0.file.size) })
  }

  /// Truncates files back to a checkpoint; files created since are dropped (their temporaries removed).
  func rollback(to sizes: [String: Int]) throws(OutputError) {
    var kept: [(String, OutputFile)] = []
    for (name, file) in files {
      if let s = sizes[name] {
        try file.truncate(to: s)
        kept.append((name, file))
      }
    }
    files = kept
  }

  /// Commits every file, in creation order, and describes them.
  func commit(format: FormatID, counts: [String: Int], warnings: [String]) throws(OutputError) -> [OutputReport] {
    var out: [OutputReport] = []
    for (name, file) in files {
      let sha = try file.sha256()
      try file.commit()
      out.append(OutputReport(path: file.target, format: format, sha256: sha, bytes: file.size, entities: counts[name] ?? 0, warnings: warnings))
    }
    return out
  }
}
