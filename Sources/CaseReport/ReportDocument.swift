public import CaseJSON
import CaseInterchange
#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A run report (`casebridge-report-1.0`: convert, validate, import, match) or a batch report
/// (`casebridge-batch-report-1.0`) as the people-facing renderings need it, read from its canonical JSON. The same
/// code serves a run that just finished (its `RunReport.json`) and a report file read back later.
public struct ReportDocument: Sendable {
  public enum Kind: String, Sendable { case run, batch }

  /// One input of a run, or one file of a batch.
  public struct Input: Sendable {
    public var index: Int
    /// The path as given (run) or the file name in the inbox (batch).
    public var path: String
    public var format: String?
    public var profile: String?
    public var disposition: String
    public var read = 0
    public var accepted = 0
    public var quarantined = 0
    public var ignored = 0
    public var warnings = 0
    public var inserted: Int?
    public var updated: Int?
    public var unchanged: Int?
    /// Findings by rule id.
    public var rules: [String: Int] = [:]
    public var errorRule: String?
    public var errorMessage: String?
    public var errorLine: Int?
    public var errorColumn: Int?
    /// Quarantine files as the report names them (run reports), or as found in the child's quarantine directory
    /// (batch reports).
    public var quarantineFiles: [String] = []
    /// Batch: where the file went.
    public var movedTo: String?
    public var exitCode: Int?
  }

  public var kind: Kind
  public var runID: String
  public var command: String
  public var toolVersion: String
  public var startedAt: String
  public var finishedAt: String
  public var exitCode: Int
  public var error: String?
  /// The run's `configuration.includeValues`: values from diagnostics are shown only when it is true.
  public var includeValues: Bool
  /// Whether the run kept a quarantine (run: `quarantineFiles` can be non-empty; batch: always).
  public var hasQuarantine: Bool
  public var inputs: [Input]
  /// Batch: inbox entries not taken, with the reason.
  public var skipped: [(name: String, reason: String)] = []
  /// Run: outputs written.
  public var outputs: [(path: String, format: String, entities: Int)] = []
  /// Batch: the configured quarantine directory.
  var batchQuarantine: String? = nil

  /// Findings by rule over the given inputs (all by default).
  public func ruleTotals(_ inputs: [Input]? = nil) -> [String: Int] {
    var t: [String: Int] = [:]
    for i in inputs ?? self.inputs { for (k, v) in i.rules { t[k, default: 0] += v } }
    return t
  }
}

/// Why a file is not a report that can be shown; `exitCode` follows the README's table (66 unreadable, 65 not a
/// report).
public struct ReportLoadError: Error, Sendable, CustomStringConvertible {
  public var message: String
  public var exitCode: Int32
  public var description: String { message }
}

extension ReportDocument {
  /// Largest report file read (a batch of thousands of files stays far below it).
  public static let maxReportBytes = 256 << 20

  /// Reads a report file: 66 when it cannot be read (missing, not a regular file, too large), 65 when it is not
  /// JSON (located by line and column) or not a CaseBridge run or batch report.
  public static func load(path: String) throws(ReportLoadError) -> ReportDocument {
    let bytes: [UInt8]
    switch readBounded(path, limit: maxReportBytes) {
    case .failure(let why): throw ReportLoadError(message: "\(path): \(why) [input.unreadable]", exitCode: 66)
    case .success(let r):
      if r.truncated {
        throw ReportLoadError(message: "\(path): larger than \(maxReportBytes >> 20) MiB; not read [input.too-large]", exitCode: 66)
      }
      bytes = r.bytes
    }
    let value: JSONValue
    do {
      value = try JSONParser().parse(bytes)
    } catch {
      throw ReportLoadError(message: "\(path):\(error.line):\(error.column): not JSON: \(error.message) [\(error.rule)]", exitCode: 65)
    }
    var doc = try parse(value, source: path)
    if doc.kind == .batch { doc.attachBatchQuarantine() }
    return doc
  }

  /// Reads a report's canonical JSON. `source` names it in messages.
  public static func parse(_ value: JSONValue, source: String = "report") throws(ReportLoadError) -> ReportDocument {
    func bad(_ why: String) -> ReportLoadError {
      ReportLoadError(message: "\(source): not a CaseBridge run or batch report: \(why) [report.invalid]", exitCode: 65)
    }
    guard case .object(let root) = value else { throw bad("the top level is not an object") }
    guard case .object(let tool)? = root["tool"], tool["name"]?.stringValue == "casebridge" else {
      throw bad("no tool.name \"casebridge\"")
    }
    guard root["reportVersion"]?.stringValue == "1.0" else { throw bad("reportVersion is not \"1.0\"") }
    guard let runID = root["runId"]?.stringValue else { throw bad("no runId") }
    guard let command = root["command"]?.stringValue else { throw bad("no command") }
    guard let exit = int(root["exitCode"]) else { throw bad("no exitCode") }
    guard case .array(let inputs)? = root["inputs"] else { throw bad("no inputs array") }
    let kind: Kind = command == "batch" ? .batch : .run
    let configuration = root["configuration"]?.objectValue
    var doc = ReportDocument(
      kind: kind, runID: runID, command: command, toolVersion: tool["version"]?.stringValue ?? "?",
      startedAt: root["startedAt"]?.stringValue ?? "", finishedAt: root["finishedAt"]?.stringValue ?? "",
      exitCode: exit, error: root["error"]?.stringValue,
      includeValues: configuration?["includeValues"]?.boolValue == true,
      hasQuarantine: kind == .batch, inputs: [])
    for (n, v) in inputs.enumerated() {
      guard case .object(let o) = v else { throw bad("inputs[\(n)] is not an object") }
      guard let index = int(o["index"]), let disposition = o["disposition"]?.stringValue else {
        throw bad("inputs[\(n)] has no index or disposition")
      }
      let path = (kind == .batch ? o["name"] : o["path"])?.stringValue ?? ""
      var i = Input(index: index, path: path, disposition: disposition)
      i.format = o["format"]?.stringValue
      if case .object(let p)? = o["profile"] { i.profile = p["id"]?.stringValue } else { i.profile = o["profile"]?.stringValue }
      i.read = int(o["read"]) ?? 0
      i.accepted = int(o["accepted"]) ?? 0
      i.quarantined = int(o["quarantined"]) ?? 0
      i.ignored = int(o["ignored"]) ?? 0
      i.warnings = int(o["warnings"]) ?? 0
      i.inserted = int(o["inserted"])
      i.updated = int(o["updated"])
      i.unchanged = int(o["unchanged"])
      if case .object(let rules)? = o["rules"] {
        for m in rules.members { i.rules[m.key] = int(m.value) ?? 0 }
      }
      if case .object(let e)? = o["error"] {
        i.errorRule = e["rule"]?.stringValue
        i.errorMessage = e["message"]?.stringValue
        i.errorLine = int(e["line"])
        i.errorColumn = int(e["column"])
      }
      if case .array(let files)? = o["quarantineFiles"] {
        i.quarantineFiles = files.compactMap(\.stringValue)
        if !i.quarantineFiles.isEmpty { doc.hasQuarantine = true }
      }
      i.movedTo = o["movedTo"]?.stringValue
      i.exitCode = int(o["exitCode"])
      doc.inputs.append(i)
    }
    if kind == .run, configuration != nil {
      // A run with --quarantine names its files; a run without one has none (the report does not say which).
      doc.hasQuarantine = doc.hasQuarantine || doc.inputs.allSatisfy { $0.quarantined == 0 }
    }
    if case .array(let skipped)? = root["skipped"] {
      for s in skipped {
        if case .object(let o) = s { doc.skipped.append((o["name"]?.stringValue ?? "", o["reason"]?.stringValue ?? "")) }
      }
    }
    if case .array(let outputs)? = root["outputs"] {
      for s in outputs {
        if case .object(let o) = s {
          doc.outputs.append((o["path"]?.stringValue ?? "", o["format"]?.stringValue ?? "", int(o["entities"]) ?? 0))
        }
      }
    }
    doc.batchQuarantine = configuration?["quarantine"]?.stringValue
    return doc
  }

  /// Batch: the children's quarantine files, `QUARANTINE/<run-id>/<run-id>-NNN/`, as they are on disk now.
  mutating func attachBatchQuarantine() {
    guard kind == .batch, let q = batchQuarantine else { return }
    for n in inputs.indices {
      let dir = q + "/" + runID + "/" + runID + "-" + threeDigits(inputs[n].index)
      inputs[n].quarantineFiles = listFiles(dir).map { dir + "/" + $0 }
    }
  }

  static func int(_ v: JSONValue?) -> Int? {
    if case .number(let n)? = v, let i = n.int64Value { return Int(i) }
    return nil
  }
}

func threeDigits(_ i: Int) -> String { i < 10 ? "00\(i)" : i < 100 ? "0\(i)" : "\(i)" }

/// Regular files directly in a directory, sorted by name; empty when it cannot be read.
func listFiles(_ dir: String) -> [String] {
  guard let d = opendir(dir) else { return [] }
  defer { closedir(d) }
  var names: [String] = []
  while let e = readdir(d) {
    let name = withUnsafeBytes(of: e.pointee.d_name) { String(decoding: $0.prefix(while: { $0 != 0 }), as: UTF8.self) }
    if name == "." || name == ".." { continue }
    var st = stat()
    if lstat(dir + "/" + name, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG { names.append(name) }
  }
  return names.sorted()
}

/// The first `limit` bytes of a regular file (opened without blocking or becoming the controlling terminal), and
/// whether there was more.
func readBounded(_ path: String, limit: Int) -> Result<(bytes: [UInt8], truncated: Bool), ReadProblem> {
  let fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC)
  guard fd >= 0 else { return .failure(ReadProblem(errno == ENOENT ? "no such file" : "cannot be opened")) }
  defer { close(fd) }
  var st = stat()
  guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { return .failure(ReadProblem("not a regular file")) }
  var out: [UInt8] = []
  var buf = [UInt8](repeating: 0, count: 1 << 16)
  while out.count <= limit {
    let n = buf.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
    if n < 0 {
      if errno == EINTR { continue }
      return .failure(ReadProblem("read failed"))
    }
    if n == 0 { break }
    out.append(contentsOf: buf[0..<n])
  }
  if out.count > limit {
    out.removeSubrange(limit...)
    return .success((out, true))
  }
  return .success((out, false))
}

struct ReadProblem: Error, CustomStringConvertible {
  var description: String
  init(_ d: String) { description = d }
}
