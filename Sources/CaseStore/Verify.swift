// `verify`: chain of custody. Re-hashes every archived input named in processed_inputs, and cuts every quarantine
// row's slice (byte_offset, byte_length) from the archived input and re-hashes it against slice_sha256.
import Crypto
import GRDB
import CaseJSON
#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The check of one processed input.
public struct InputVerification: Sendable {
  public enum Status: String, Sendable {
    /// The archived file hashes to the recorded SHA-256 and every slice matches.
    case ok
    /// The archived file, or a quarantine slice cut from it, hashes differently: the evidence changed.
    case mismatch
    /// No archived file for this input (archive_path unset and nothing named `<sha256>-*` under the archive).
    case missing
  }
  public var inputSha256: String
  /// The name the input was imported under.
  public var name: String
  /// The archived file checked (nil when missing).
  public var archivePath: String?
  public var status: Status
  /// Whether the whole file re-hashed to `inputSha256` (nil when missing).
  public var fileMatches: Bool?
  /// Quarantine slices checked, and those that did not re-hash (by record index and line; no content).
  public var slicesChecked: Int
  public var slicesMismatched: [(recordIndex: Int?, line: Int?, rule: String)]
}

/// The result of `verify`.
public struct VerifyResult: Sendable {
  public var inputs: [InputVerification]
  /// 0 every input ok; 65 an archived file or a slice does not match (evidence changed); 66 an archived input is
  /// missing. Both present: the more severe in the README order (66 before 65).
  public var exitCode: Int32 {
    if inputs.contains(where: { $0.status == .missing }) { return 66 }
    if inputs.contains(where: { $0.status == .mismatch }) { return 65 }
    return 0
  }

  /// `verify --json`.
  public var jsonBytes: [UInt8] {
    encodeJSON(
      .array(
        inputs.map { i in
          .obj([
            ("inputSha256", .string(i.inputSha256)), ("name", .string(i.name)), ("archivePath", .str(i.archivePath)),
            ("status", .string(i.status.rawValue)), ("fileMatches", i.fileMatches.map { .bool($0) } ?? .null),
            ("slicesChecked", .int(i.slicesChecked)),
            (
              "slicesMismatched",
              .array(
                i.slicesMismatched.map { m in
                  .obj([("record", .int(m.recordIndex)), ("line", .int(m.line)), ("rule", .string(m.rule))])
                })
            ),
          ])
        }))
  }
}

extension CaseStore {
  /// Verifies every processed input against the archive directory `archive`.
  /// - Throws: GRDB errors (the archive's own problems are per-input results).
  public func verify(archive: String) throws -> VerifyResult {
    let inputs = try db.read { db in
      try Row.fetchAll(
        db, sql: "SELECT input_sha256, MIN(name), MAX(archive_path) FROM processed_inputs GROUP BY input_sha256 ORDER BY MIN(received_utc), input_sha256")
    }
    var index: [String: String]? = nil  // sha256 -> archived path, built on first need
    var out: [InputVerification] = []
    for r in inputs {
      let sha: String = r[0]
      let name: String = r[1]
      let recorded: String? = r[2]
      var path: String? = nil
      if let recorded {
        let p = recorded.hasPrefix("/") ? recorded : archive + "/" + recorded
        if isRegularFile(p) { path = p }
      } else {
        if index == nil { index = archivedFiles(under: archive) }
        path = index?[sha]
      }
      guard let path else {
        out.append(
          InputVerification(
            inputSha256: sha, name: name, archivePath: nil, status: .missing, fileMatches: nil, slicesChecked: 0, slicesMismatched: []))
        continue
      }
      let fileOK = fileSHA256(path) == sha
      let slices = try db.read { db in
        try Row.fetchAll(
          db,
          sql: """
            SELECT record_index, line, rule, byte_offset, byte_length, slice_sha256 FROM quarantine
            WHERE input_sha256 = ? AND slice_sha256 IS NOT NULL AND byte_offset IS NOT NULL AND byte_length IS NOT NULL
            ORDER BY byte_offset, rowid
            """, arguments: [sha])
      }
      var bad: [(Int?, Int?, String)] = []
      for s in slices where sliceSHA256(path, offset: s[3], length: s[4]) != s[5] as String { bad.append((s[0], s[1], s[2])) }
      out.append(
        InputVerification(
          inputSha256: sha, name: name, archivePath: path, status: fileOK && bad.isEmpty ? .ok : .mismatch, fileMatches: fileOK,
          slicesChecked: slices.count, slicesMismatched: bad))
    }
    return VerifyResult(inputs: out)
  }
}

/// Regular files named `<64 hex>-<name>` anywhere under `root` (symlinks are not followed), by SHA-256.
func archivedFiles(under root: String) -> [String: String] {
  var out: [String: String] = [:]
  var stack = [root]
  while let dir = stack.popLast() {
    guard let d = opendir(dir) else { continue }
    defer { closedir(d) }
    while let e = readdir(d) {
      let name = withUnsafePointer(to: e.pointee.d_name) { p in
        p.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
      }
      if name == "." || name == ".." { continue }
      let path = dir + "/" + name
      var st = stat()
      guard lstat(path, &st) == 0 else { continue }
      if (st.st_mode & S_IFMT) == S_IFDIR {
        stack.append(path)
      } else if (st.st_mode & S_IFMT) == S_IFREG, name.utf8.count > 65, name.utf8.dropFirst(64).first == UInt8(ascii: "-") {
        let sha = String(name.utf8.prefix(64))!
        if sha.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) }), out[sha] == nil || path < out[sha]! {
          out[sha] = path
        }
      }
    }
  }
  return out
}

func isRegularFile(_ path: String) -> Bool {
  var st = stat()
  return lstat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFREG
}

/// SHA-256 of a whole file (nil when it cannot be read).
func fileSHA256(_ path: String) -> String? { sliceSHA256(path, offset: 0, length: nil) }

/// SHA-256 of `length` bytes at `offset` (to the end when nil); nil when the file cannot be read or is shorter.
func sliceSHA256(_ path: String, offset: Int, length: Int?) -> String? {
  let fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
  guard fd >= 0 else { return nil }
  defer { close(fd) }
  var h = SHA256()
  var buf = [UInt8](repeating: 0, count: 1 << 20)
  var pos = offset
  var left = length ?? Int.max
  while left > 0 {
    let want = min(left, buf.count)
    let n = buf.withUnsafeMutableBytes { pread(fd, $0.baseAddress, want, off_t(pos)) }
    if n < 0 { return nil }
    if n == 0 { break }
    buf.withUnsafeBytes { h.update(bufferPointer: UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
    pos += n
    left -= n
  }
  if length != nil && left > 0 { return nil }  // the file is shorter than the slice
  return h.finalize().map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
}
