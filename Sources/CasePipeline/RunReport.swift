public import CaseModel
public import CaseInterchange
public import CaseJSON

/// What happened to one input.
public enum Disposition: String, Sendable, Hashable, Codable {
  /// Read record by record (some records may have been quarantined).
  case processed
  /// Rejected whole: not readable as its format, hostile, or changed during the run.
  case rejected
  /// Not processed: missing, unreadable, not a regular file, or no reader for its format.
  case skipped
  /// Byte-identical (same SHA-256) to an earlier input of the run; not processed again.
  case duplicate
}

/// The per-input section of a run report. For every processed or rejected input
/// `read == accepted + quarantined`.
public struct InputReport: Sendable {
  /// Index in the run (0-based; the quarantine's NNN).
  public var index: Int
  /// The path as given (`-` for stdin).
  public var path: String
  /// SHA-256 of the input's bytes, computed before parsing.
  public var sha256: String?
  /// Size in bytes.
  public var bytes: Int?
  /// Format id.
  public var format: FormatID?
  /// Whether the format was inferred (no `--from`).
  public var formatInferred = false
  /// Profile id, when a profile was used.
  public var profileID: String?
  /// Profile SHA-256.
  public var profileSha256: String?
  /// The text encoding the reader used (text formats read through a profile).
  public var encoding: String?
  /// Disposition.
  public var disposition: Disposition = .processed
  /// Source records read.
  public var read = 0
  /// Records accepted (written, or would be written by `validate`).
  public var accepted = 0
  /// Records quarantined.
  public var quarantined = 0
  /// Non-record items (blank lines, headers, byte order marks).
  public var ignored = 0
  /// Warning findings.
  public var warnings = 0
  /// The input is known, from its own content, to be incomplete (a provider production that holds fewer records
  /// than it declares, a missing end marker, a gap in record numbers): its records stand on their own merits, but
  /// the run's exit is at least 1. Encoded only when true.
  public var incomplete = false
  /// Store runs (`import`): entities new to the store, changed (a new version), and delivered again unchanged. Nil
  /// in runs without a store, and for inputs that committed nothing (encoded only when set).
  public var inserted: Int?
  /// Entities whose content changed (store runs).
  public var updated: Int?
  /// Entities delivered again with identical content (store runs).
  public var unchanged: Int?
  /// Findings by rule id (errors, warnings and infos).
  public var rules: [String: Int] = [:]
  /// Accepted entities by type.
  public var entities: [EntityType: Int] = [:]
  /// The file-level error that rejected or skipped the input.
  public var error: Diagnostic?
  /// Quarantine files written for this input.
  public var quarantineFiles: [String] = []

  /// Creates an input report.
  public init(index: Int, path: String) {
    self.index = index
    self.path = path
  }
}

/// One output of a run.
public struct OutputReport: Sendable {
  /// The path (`-` for stdout).
  public var path: String
  /// The format written.
  public var format: FormatID
  /// SHA-256 of the bytes written.
  public var sha256: String
  /// Size in bytes.
  public var bytes: Int
  /// Entities written.
  public var entities: Int
  /// Facts the output format could not hold (they never change input counts).
  public var warnings: [String] = []
}

/// The machine-readable account of a run.
public struct RunReport: Sendable {
  /// Tool name.
  public var toolName = "casebridge"
  /// Tool version.
  public var toolVersion = CaseBridgeVersion.version
  /// Tool commit, when known.
  public var toolCommit = CaseBridgeVersion.commit
  /// The run id (also the quarantine directory name).
  public var runID: String
  /// `convert` or `validate`.
  public var command: String
  /// UTC start.
  public var startedAt: Instant
  /// UTC finish.
  public var finishedAt: Instant
  /// SHA-256 of the effective configuration's canonical JSON.
  public var configurationSha256: String
  /// The effective configuration.
  public var configuration: JSONValue
  /// Inputs in order.
  public var inputs: [InputReport] = []
  /// Outputs.
  public var outputs: [OutputReport] = []
  /// The process exit code this run maps to.
  public var exitCode: Int32 = 0
  /// A run-level failure (output cannot be created, lock held...).
  public var error: String?

  /// Totals over all inputs.
  public var totals: InputReport {
    var t = InputReport(index: -1, path: "")
    for i in inputs {
      t.read += i.read
      t.accepted += i.accepted
      t.quarantined += i.quarantined
      t.ignored += i.ignored
      t.warnings += i.warnings
      if let n = i.inserted { t.inserted = (t.inserted ?? 0) + n }
      if let n = i.updated { t.updated = (t.updated ?? 0) + n }
      if let n = i.unchanged { t.unchanged = (t.unchanged ?? 0) + n }
      for (k, v) in i.rules { t.rules[k, default: 0] += v }
      for (k, v) in i.entities { t.entities[k, default: 0] += v }
    }
    return t
  }

  /// The one-line human summary written to stderr.
  public var summary: String {
    let t = totals
    let n = inputs.count
    var s = "casebridge \(command): \(n) input\(n == 1 ? "" : "s"), \(t.read) read, \(t.accepted) accepted, \(t.quarantined) quarantined, \(t.ignored) ignored, \(t.warnings) warnings"
    let rejected = inputs.filter { $0.disposition == .rejected }.count
    let skipped = inputs.filter { $0.disposition == .skipped }.count
    let dup = inputs.filter { $0.disposition == .duplicate }.count
    if rejected > 0 { s += ", \(rejected) rejected whole" }
    let incomplete = inputs.filter(\.incomplete).count
    if incomplete > 0 { s += ", \(incomplete) incomplete" }
    if skipped > 0 { s += ", \(skipped) skipped" }
    if command == "import" {
      // The store's view: entities new, changed, seen again; inputs already in the store.
      s += "; store: \(t.inserted ?? 0) inserted, \(t.updated ?? 0) updated, \(t.unchanged ?? 0) unchanged, \(dup) duplicate"
    } else if dup > 0 {
      s += ", \(dup) duplicate"
    }
    return s + "; exit \(exitCode)"
  }

  /// The report as canonical JSON (member order fixed; maps sorted by key).
  public var json: JSONValue {
    func obj(_ m: [(String, JSONValue)]) -> JSONValue { .object(JSONObject(m.map { JSONMember(key: $0.0, value: $0.1) })) }
    func str(_ s: String?) -> JSONValue { s.map { .string($0) } ?? .null }
    func int(_ i: Int?) -> JSONValue { i.map { .number(JSONNumber(Int64($0))) } ?? .null }
    func counts(_ d: [String: Int]) -> JSONValue { obj(d.sorted { $0.key < $1.key }.map { ($0.key, int($0.value)) }) }
    func entityCounts(_ d: [EntityType: Int]) -> JSONValue { obj(d.sorted { $0.key < $1.key }.map { ($0.key.rawValue, int($0.value)) }) }
    func diag(_ d: Diagnostic?) -> JSONValue {
      guard let d else { return .null }
      return obj([
        ("rule", .string(d.rule)), ("message", .string(d.message)), ("line", int(d.location.line)),
        ("column", int(d.location.column)), ("byteOffset", int(d.location.byteOffset)),
      ] + (d.location.recordKey.map { [("recordKey", JSONValue.string($0))] } ?? []))
    }
    func input(_ i: InputReport) -> JSONValue {
      let profile: JSONValue = i.profileID == nil ? .null : obj([("id", str(i.profileID)), ("sha256", str(i.profileSha256))])
      let head: [(String, JSONValue)] = [
        ("index", int(i.index)), ("path", .string(i.path)), ("sha256", str(i.sha256)), ("bytes", int(i.bytes)),
        ("format", str(i.format?.rawValue)), ("formatInferred", .bool(i.formatInferred)), ("profile", profile),
        ("encoding", str(i.encoding)),
      ]
      let counters: [(String, JSONValue)] = [
        ("disposition", .string(i.disposition.rawValue)), ("read", int(i.read)), ("accepted", int(i.accepted)),
        ("quarantined", int(i.quarantined)), ("ignored", int(i.ignored)), ("warnings", int(i.warnings)),
      ] + (i.incomplete ? [("incomplete", JSONValue.bool(true))] : []) + storeCounts(i)
      let tail: [(String, JSONValue)] = [
        ("rules", counts(i.rules)), ("entities", entityCounts(i.entities)), ("error", diag(i.error)),
        ("quarantineFiles", .array(i.quarantineFiles.map { .string($0) })),
      ]
      return obj(head + counters + tail)
    }
    // Only in store runs, so the reports of other commands stay byte-identical.
    func storeCounts(_ i: InputReport) -> [(String, JSONValue)] {
      var m: [(String, JSONValue)] = []
      if let n = i.inserted { m.append(("inserted", int(n))) }
      if let n = i.updated { m.append(("updated", int(n))) }
      if let n = i.unchanged { m.append(("unchanged", int(n))) }
      return m
    }
    func output(_ o: OutputReport) -> JSONValue {
      let m: [(String, JSONValue)] = [
        ("path", .string(o.path)), ("format", .string(o.format.rawValue)), ("sha256", .string(o.sha256)),
        ("bytes", int(o.bytes)), ("entities", int(o.entities)), ("warnings", .array(o.warnings.map { .string($0) })),
      ]
      return obj(m)
    }
    let t = totals
    let totalsJSON: JSONValue = obj([
      ("inputs", int(inputs.count)), ("read", int(t.read)), ("accepted", int(t.accepted)),
      ("quarantined", int(t.quarantined)), ("ignored", int(t.ignored)), ("warnings", int(t.warnings)),
    ] + storeCounts(t) + [
      ("rules", counts(t.rules)), ("entities", entityCounts(t.entities)),
    ])
    let tool: JSONValue = obj([("name", .string(toolName)), ("version", .string(toolVersion)), ("commit", str(toolCommit))])
    return obj([
      ("tool", tool),
      ("reportVersion", .string("1.0")),
      ("runId", .string(runID)), ("command", .string(command)),
      ("startedAt", .string(startedAt.iso8601)), ("finishedAt", .string(finishedAt.iso8601)),
      ("configurationSha256", .string(configurationSha256)), ("configuration", configuration),
      ("inputs", .array(inputs.map(input))),
      ("outputs", .array(outputs.map(output))),
      ("totals", totalsJSON),
      ("exitCode", int(Int(exitCode))), ("error", str(error)),
    ])
  }
}

/// The tool's version.
public enum CaseBridgeVersion {
  /// Semantic version of this build.
  public static let version = "0.1.0"
  /// The commit, from `CASEBRIDGE_COMMIT` in the environment of the run (set by release builds), else nil.
  public static var commit: String? {
    guard let p = getenv("CASEBRIDGE_COMMIT") else { return nil }
    let s = String(cString: p)
    return s.isEmpty ? nil : s
  }
}

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
