import CaseModel
import CaseInterchange
import CaseJSON
#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// How rejected records are framed in a quarantine file so it can be fixed and fed back.
public enum QuarantineFraming: Sendable {
  /// Records concatenated verbatim. `header` nil: no context (JSON Lines); non-nil: the input's byte order mark
  /// and header line are collected into it as they are read, and written first (CSV).
  case lines(header: [UInt8]?)
  /// Rejected elements of a JSON document inside `[` `]`, separated by `,`.
  case jsonArray
  /// Rejected record elements of an XML document inside the document's own context: its bytes before the first
  /// record (XML declaration, root and ancestor start tags with their namespace declarations), the records one per
  /// line, then its bytes after the last record (the closing tags). The file is a well-formed document the same
  /// reader and profile accept once fixed.
  case xmlDocument(prefix: [UInt8]?)
}

/// The quarantine of one input in one run: `DIR/<run-id>/<NNN>-<basename>.rejected.<ext>` with the original bytes
/// of every rejected record, and `DIR/<run-id>/<NNN>-<basename>.diagnostics.jsonl` with one object per finding.
///
/// Files are created on first use with `O_EXCL` (nothing is ever overwritten), mode 0600, in directories 0700.
final class InputQuarantine {
  let runDirectory: String?
  let stem: String
  let ext: String
  var framing: QuarantineFraming
  let input: String
  let inputSha256: String
  let includeValues: Bool
  /// Records and inputs rejected whole longer than this are referenced, not copied.
  let copyLimit: Int
  private var rejectedFD: Int32 = -1
  private var referenceFD: Int32 = -1
  private var diagnosticsFD: Int32 = -1
  private var rejectedCount = 0
  private(set) var files: [String] = []
  private var diagBuffer = JSONWriter(capacity: 1 << 16)

  init(
    runDirectory: String?, index: Int, inputPath: String, format: FormatID, framing: QuarantineFraming,
    inputSha256: String, includeValues: Bool, copyLimit: Int = .max
  ) {
    self.copyLimit = copyLimit
    self.runDirectory = runDirectory
    var base = inputPath == "-" ? "stdin" : baseName(inputPath)
    if base.isEmpty { base = "input" }
    let dot = base.lastIndex(of: ".")
    let stemBase = dot.map { String(base[..<$0]) } ?? base
    stem = (index < 10 ? "00" : index < 100 ? "0" : "") + "\(index)-" + (stemBase.isEmpty ? base : stemBase)
    ext = format.quarantineExtension
    self.framing = framing
    self.input = inputPath
    self.inputSha256 = inputSha256
    self.includeValues = includeValues
  }

  deinit {
    if rejectedFD >= 0 { close(rejectedFD) }
    if diagnosticsFD >= 0 { close(diagnosticsFD) }
    if referenceFD >= 0 { close(referenceFD) }
  }

  var rejectedPath: String? { runDirectory.map { "\($0)/\(stem).rejected.\(ext)" } }
  var diagnosticsPath: String? { runDirectory.map { "\($0)/\(stem).diagnostics.jsonl" } }

  private func create(_ path: String) throws(OutputError) -> Int32 {
    try makeDirectories(dirName(path))
    let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
    guard fd >= 0 else { throw OutputError.create(path) }
    files.append(path)
    return fd
  }

  /// Adds bytes of the input's own context (byte order mark, header line) to the framing of line formats, so
  /// the quarantine file can be fed back as it is. Only before the first rejected record.
  func addContext(_ span: SourceSpan, from file: ChunkedFile) throws(FormatError) {
    guard rejectedFD < 0, case .lines(var header?) = framing else { return }
    // Appended in place (the framing lets go of its copy first): a file of many tables adds many headers, and
    // copying the whole context on each would be quadratic.
    framing = .lines(header: nil)
    defer { framing = .lines(header: header) }
    header.append(contentsOf: try file.bytes(at: span.byteOffset, length: span.byteLength))
  }

  /// XML: the document's bytes before its first record become the quarantine file's opening context.
  func setXMLPrefix(before firstRecord: SourceSpan, from file: ChunkedFile) throws(FormatError) {
    guard rejectedFD < 0, case .xmlDocument(nil) = framing else { return }
    framing = .xmlDocument(prefix: try file.bytes(at: 0, length: firstRecord.byteOffset))
  }

  /// XML: closes the quarantine file with the document's bytes after its last record.
  func finishXML(after lastRecordEnd: Int, inputSize: Int, from file: ChunkedFile) throws {
    guard rejectedFD >= 0, rejectedCount > 0, case .xmlDocument = framing, let path = rejectedPath, inputSize > lastRecordEnd else { return }
    try put([0x0A], path)
    let fd = rejectedFD
    try file.forEachPiece(at: lastRecordEnd, length: inputSize - lastRecordEnd) { piece in try writeAll(fd, piece, path: path) }
  }

  /// Appends one rejected record's original bytes, copied from the input in pieces.
  func reject(_ span: SourceSpan, from file: ChunkedFile) throws {
    if span.byteLength > copyLimit { return try reference(offset: span.byteOffset, length: span.byteLength) }
    try begin()
    guard let path = rejectedPath else { return }
    let fd = rejectedFD
    try file.forEachPiece(at: span.byteOffset, length: span.byteLength) { piece in try writeAll(fd, piece, path: path) }
    rejectedCount += 1
  }

  private func begin() throws(OutputError) {
    guard let path = rejectedPath else { return }
    if rejectedFD < 0 {
      rejectedFD = try create(path)
      switch framing {
      case .lines(let header?): try put(header, path)
      case .lines(nil): break
      case .jsonArray: try put(Array("[\n".utf8), path)
      case .xmlDocument(let prefix): try put(prefix ?? [], path)
      }
    }
    if case .jsonArray = framing, rejectedCount > 0 { try put(Array(",\n".utf8), path) }
    if case .xmlDocument = framing, rejectedCount > 0 { try put([0x0A], path) }
  }

  /// Appends one rejected record's original bytes.
  func reject(_ bytes: [UInt8]) throws(OutputError) {
    try begin()
    guard let path = rejectedPath else { return }
    try put(bytes, path)
    rejectedCount += 1
  }

  /// Copies the whole input (an input rejected whole), or references it when it is larger than `copyLimit`.
  func rejectWhole(from file: ChunkedFile, bytes: Int?) throws(OutputError) {
    guard let path = rejectedPath else { return }
    if let bytes, bytes > copyLimit { return try reference(offset: 0, length: bytes) }
    rejectedFD = try create(path)
    file.rewind()
    file.onChunk = nil
    while true {
      let chunk: UnsafeRawBufferPointer
      do { chunk = try file.nextChunk() } catch { throw OutputError(rule: "output.io-error", message: "\(input): read failed while copying to quarantine") }
      if chunk.isEmpty { break }
      try writeAll(rejectedFD, chunk, path: path)
    }
    rejectedCount = -1  // whole copy: no framing
  }

  var referencePath: String? { runDirectory.map { "\($0)/\(stem).rejected.ref.jsonl" } }

  /// Bytes of the input too large to copy — a record or an input rejected whole longer than `copyLimit` — are named
  /// in `NNN-<basename>.rejected.ref.jsonl` instead, one object per line: `input` (path as given), `path` (resolved,
  /// absolute), `inputSha256`, `byteOffset`, `byteLength`, `copyLimit`; enough to find the original bytes and prove
  /// them unchanged. A sparse or huge input never turns into as much real disk use.
  private func reference(offset: Int, length: Int) throws(OutputError) {
    guard let path = referencePath else { return }
    if referenceFD < 0 { referenceFD = try create(path) }
    var w = JSONWriter()
    w.write(.object(JSONObject([
      JSONMember(key: "input", value: .string(input)),
      JSONMember(key: "path", value: .string(canonicalPath(input))),
      JSONMember(key: "inputSha256", value: .string(inputSha256)),
      JSONMember(key: "byteOffset", value: .number(JSONNumber(Int64(offset)))),
      JSONMember(key: "byteLength", value: .number(JSONNumber(Int64(length)))),
      JSONMember(key: "copyLimit", value: .number(JSONNumber(Int64(copyLimit)))),
    ])))
    w.bytes.append(0x0A)
    try writeAll(referenceFD, w.bytes, path: path)
  }

  private func put(_ bytes: [UInt8], _ path: String) throws(OutputError) {
    let fd = rejectedFD
    var failure: OutputError? = nil
    bytes.withUnsafeBytes { b in
      do throws(OutputError) { try writeAll(fd, b, path: path) } catch { failure = error }
    }
    if let failure { throw failure }
  }

  /// Appends one finding to the diagnostics file.
  func record(_ d: Diagnostic, recordID: EntityID?) throws(OutputError) {
    guard let path = diagnosticsPath else { return }
    if diagnosticsFD < 0 { diagnosticsFD = try create(path) }
    let l = d.location
    func int(_ i: Int?) -> JSONValue { i.map { .number(JSONNumber(Int64($0))) } ?? .null }
    var members: [JSONMember] = [
      JSONMember(key: "input", value: .string(input)),
      JSONMember(key: "inputSha256", value: .string(inputSha256)),
      JSONMember(key: "record", value: int(l.record)),
      JSONMember(key: "recordId", value: recordID.map { .string($0.rawValue) } ?? .null),
    ]
    // A keyed record's key in its source system, only when there is one (unkeyed lines stay as they were).
    if let k = l.recordKey { members.append(JSONMember(key: "recordKey", value: .string(k))) }
    members += [
      JSONMember(key: "line", value: int(l.line)),
      JSONMember(key: "column", value: int(l.column)),
      JSONMember(key: "byteOffset", value: int(l.byteOffset)),
      JSONMember(key: "byteLength", value: int(l.byteLength)),
      JSONMember(key: "rule", value: .string(d.rule)),
      JSONMember(key: "severity", value: .string(d.severity.rawValue)),
      JSONMember(key: "field", value: l.field.map { .string($0) } ?? .null),
      JSONMember(key: "message", value: .string(d.message)),
    ]
    if includeValues, let v = d.value { members.append(JSONMember(key: "value", value: .string(v))) }
    diagBuffer.write(.object(JSONObject(members)))
    diagBuffer.bytes.append(0x0A)
    if diagBuffer.bytes.count > 1 << 16 { try flush() }
  }

  func flush() throws(OutputError) {
    guard let path = diagnosticsPath, diagnosticsFD >= 0, !diagBuffer.bytes.isEmpty else { return }
    let fd = diagnosticsFD
    var failure: OutputError? = nil
    diagBuffer.bytes.withUnsafeBytes { b in
      do throws(OutputError) { try writeAll(fd, b, path: path) } catch { failure = error }
    }
    if let failure { throw failure }
    diagBuffer.bytes.removeAll(keepingCapacity: true)
  }

  /// Closes the framing and makes both files durable.
  func finish() throws(OutputError) {
    if rejectedFD >= 0, let path = rejectedPath {
      if case .jsonArray = framing, rejectedCount > 0 { try put(Array("\n]\n".utf8), path) }
      fsync(rejectedFD)
    }
    try flush()
    if diagnosticsFD >= 0 { fsync(diagnosticsFD) }
    if referenceFD >= 0 { fsync(referenceFD) }
    if let runDirectory, !files.isEmpty { syncDirectory(runDirectory) }
  }

  /// Removes everything written for this input (before it is re-quarantined whole).
  func discard() {
    if rejectedFD >= 0 { close(rejectedFD); rejectedFD = -1 }
    if diagnosticsFD >= 0 { close(diagnosticsFD); diagnosticsFD = -1 }
    if referenceFD >= 0 { close(referenceFD); referenceFD = -1 }
    for f in files { unlink(f) }
    files.removeAll()
    rejectedCount = 0
    diagBuffer.bytes.removeAll()
  }
}
