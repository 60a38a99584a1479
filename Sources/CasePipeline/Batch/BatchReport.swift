public import CaseModel
public import CaseJSON

/// What happened to one file of a batch run.
public struct BatchInputReport: Sendable {
  /// 0-based index among the files the run took (the child's run id is `<run-id>-NNN`).
  public var index: Int
  /// The file name in the inbox.
  public var name: String
  public var sha256: String?
  public var bytes: Int?
  /// The profile chosen by the config's `profiles` globs.
  public var profile: String?
  /// `processed`, `duplicate` (the store already had it), `rejected` (whole) or `failed` (left in the inbox to be
  /// retried: a store, profile or child start-up problem).
  public var disposition = "processed"
  public var format: String?
  public var read = 0
  public var accepted = 0
  public var quarantined = 0
  public var ignored = 0
  public var warnings = 0
  /// From the store merge (nil until a store writer reports them).
  public var inserted: Int?
  public var updated: Int?
  public var unchanged: Int?
  /// Findings by rule id (from the child's report).
  public var rules: [String: Int] = [:]
  /// The child's exit status, or the signal that ended it.
  public var childExitCode: Int32?
  public var childSignal: String?
  public var childCPUSeconds: Double?
  public var childWallSeconds: Double?
  public var limits: ChildLimits?
  /// The file-level error: rule and message (no values).
  public var errorRule: String?
  public var errorMessage: String?
  /// Where the file went: the archive path, the rejected-inputs path, or nil (left in the inbox).
  public var movedTo: String?
  /// The exit code this file contributes.
  public var exitCode: Int32 = 0

  public init(index: Int, name: String) {
    self.index = index
    self.name = name
  }
}

/// The account of a batch run: `REPORTS/<run-id>.json` (schema `Schemas/json/casebridge-batch-report-1.0.schema.json`)
/// and the one-line `REPORTS/<run-id>.txt`.
public struct BatchReport: Sendable {
  public var runID: String
  public var startedAt: Instant
  public var finishedAt: Instant
  public var configuration: JSONValue
  public var configurationSha256: String
  public var inputs: [BatchInputReport] = []
  /// Entries not taken, with the reason (`symlink`, `fifo`, `device`, `socket`, `directory`, `partial`, `marker`,
  /// `hidden`, `name-not-utf8`, `waiting`, `changing`, `vanished`).
  public var skipped: [(name: String, reason: String)] = []
  public var exitCode: Int32 = 0
  /// A run-level failure (lock held, config, store, reports).
  public var error: String?

  public init(runID: String, startedAt: Instant, configuration: JSONValue, configurationSha256: String) {
    self.runID = runID
    self.startedAt = startedAt
    self.finishedAt = startedAt
    self.configuration = configuration
    self.configurationSha256 = configurationSha256
  }

  func count(_ d: String) -> Int { inputs.filter { $0.disposition == d }.count }

  /// The one-line summary (stderr and `REPORTS/<run-id>.txt`).
  public var summary: String {
    let waiting = skipped.filter { $0.reason == "waiting" || $0.reason == "changing" }.count
    func sum(_ k: KeyPath<BatchInputReport, Int>) -> Int { inputs.reduce(0) { $0 + $1[keyPath: k] } }
    func sumOpt(_ k: KeyPath<BatchInputReport, Int?>) -> Int { inputs.reduce(0) { $0 + ($1[keyPath: k] ?? 0) } }
    var s = "casebridge batch \(runID): \(inputs.count) file\(inputs.count == 1 ? "" : "s")"
    s += " (\(count("processed")) processed, \(count("duplicate")) duplicate, \(count("rejected")) rejected, \(count("failed")) failed)"
    s += ", \(waiting) waiting, \(skipped.count - waiting) skipped"
    s += "; \(sum(\.read)) read, \(sum(\.accepted)) accepted, \(sum(\.quarantined)) quarantined"
    s += ", \(sumOpt(\.inserted)) inserted, \(sumOpt(\.updated)) updated, \(sumOpt(\.unchanged)) unchanged"
    if let error { s += "; " + error }
    return s + "; exit \(exitCode)"
  }

  /// The report as canonical JSON.
  public var json: JSONValue {
    func obj(_ m: [(String, JSONValue)]) -> JSONValue { .object(JSONObject(m.map { JSONMember(key: $0.0, value: $0.1) })) }
    func str(_ s: String?) -> JSONValue { s.map { .string($0) } ?? .null }
    func int(_ i: Int?) -> JSONValue { i.map { .number(JSONNumber(Int64($0))) } ?? .null }
    func secs(_ d: Double?) -> JSONValue { d.map { .number(JSONNumber(Int64(($0 * 1000).rounded())) ) } ?? .null }
    func input(_ i: BatchInputReport) -> JSONValue {
      let limits: JSONValue = i.limits.map {
        obj([("addressSpace", int($0.addressSpace)), ("cpuSeconds", int($0.cpuSeconds)), ("wallSeconds", int($0.wallSeconds)), ("openFiles", int($0.openFiles))])
      } ?? .null
      let error: JSONValue = i.errorRule == nil ? .null : obj([("rule", str(i.errorRule)), ("message", str(i.errorMessage))])
      return obj([
        ("index", int(i.index)), ("name", .string(i.name)), ("sha256", str(i.sha256)), ("bytes", int(i.bytes)),
        ("profile", str(i.profile)), ("format", str(i.format)), ("disposition", .string(i.disposition)),
        ("read", int(i.read)), ("accepted", int(i.accepted)), ("quarantined", int(i.quarantined)),
        ("ignored", int(i.ignored)), ("warnings", int(i.warnings)),
        ("inserted", int(i.inserted)), ("updated", int(i.updated)), ("unchanged", int(i.unchanged)),
        ("rules", obj(i.rules.sorted { $0.key < $1.key }.map { ($0.key, int($0.value)) })),
        ("child", obj([
          ("exitCode", i.childExitCode.map { int(Int($0)) } ?? .null), ("signal", str(i.childSignal)),
          ("cpuMilliseconds", secs(i.childCPUSeconds)), ("wallMilliseconds", secs(i.childWallSeconds)), ("limits", limits),
        ])),
        ("error", error), ("movedTo", str(i.movedTo)), ("exitCode", int(Int(i.exitCode))),
      ])
    }
    func sum(_ k: KeyPath<BatchInputReport, Int>) -> JSONValue { int(inputs.reduce(0) { $0 + $1[keyPath: k] }) }
    func sumOpt(_ k: KeyPath<BatchInputReport, Int?>) -> JSONValue { int(inputs.reduce(0) { $0 + ($1[keyPath: k] ?? 0) }) }
    let totals = obj([
      ("inputs", int(inputs.count)), ("processed", int(count("processed"))), ("duplicate", int(count("duplicate"))),
      ("rejected", int(count("rejected"))), ("failed", int(count("failed"))), ("skipped", int(skipped.count)),
      ("read", sum(\.read)), ("accepted", sum(\.accepted)), ("quarantined", sum(\.quarantined)), ("ignored", sum(\.ignored)),
      ("warnings", sum(\.warnings)), ("inserted", sumOpt(\.inserted)), ("updated", sumOpt(\.updated)), ("unchanged", sumOpt(\.unchanged)),
    ])
    let tool = obj([("name", .string("casebridge")), ("version", .string(CaseBridgeVersion.version)), ("commit", str(CaseBridgeVersion.commit))])
    return obj([
      ("tool", tool), ("reportVersion", .string("1.0")), ("runId", .string(runID)), ("command", .string("batch")),
      ("startedAt", .string(startedAt.iso8601)), ("finishedAt", .string(finishedAt.iso8601)),
      ("configurationSha256", .string(configurationSha256)), ("configuration", configuration),
      ("inputs", .array(inputs.map(input))),
      ("skipped", .array(skipped.map { obj([("name", .string($0.name)), ("reason", .string($0.reason))]) })),
      ("totals", totals), ("exitCode", int(Int(exitCode))), ("error", str(error)),
    ])
  }
}
