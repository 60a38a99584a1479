public import CaseBridge
public import Foundation

/// The result of running the pipeline in a scratch directory.
public struct RunResult {
  /// The report.
  public var report: RunReport
  /// Output bytes (empty for validate).
  public var output: [UInt8]
  /// The quarantine run directory.
  public var quarantine: URL
  /// The scratch directory.
  public var directory: URL

  /// The diagnostics lines of input `index`, parsed.
  public func diagnostics(_ index: Int = 0) throws -> [JSONObject] {
    let files = (try? FileManager.default.contentsOfDirectory(atPath: quarantine.path)) ?? []
    let prefix = String(format: "%03d-", index)
    guard let f = files.first(where: { $0.hasPrefix(prefix) && $0.hasSuffix(".diagnostics.jsonl") }) else { return [] }
    return try parseJSONLines(readBytes(quarantine.appendingPathComponent(f))).map {
      guard case .object(let o) = $0 else { fatalError("diagnostic line is not an object") }
      return o
    }
  }

  /// The rejected bytes of input `index`.
  public func rejected(_ index: Int = 0) -> [UInt8]? {
    let files = (try? FileManager.default.contentsOfDirectory(atPath: quarantine.path)) ?? []
    let prefix = String(format: "%03d-", index)
    guard let f = files.first(where: { $0.hasPrefix(prefix) && $0.contains(".rejected.") }) else { return nil }
    return try? readBytes(quarantine.appendingPathComponent(f))
  }
}

/// Runs `convert` (when `to` is given) or `validate` over inputs with a fixed run id and "now".
public func runPipeline(
  _ inputs: [String], to: FormatID? = nil, from: FormatID? = nil, validate: Bool = true,
  includeValues: Bool = false, configure: (inout RunOptions) -> Void = { _ in }
) throws -> RunResult {
  let dir = makeTemporaryDirectory("run")
  var o = RunOptions(command: to == nil ? "validate" : "convert", inputs: inputs)
  o.to = to
  o.from = from
  o.validate = validate
  o.includeValues = includeValues
  o.output = dir.appendingPathComponent("out").path
  o.quarantineDirectory = dir.appendingPathComponent("q").path
  o.reportPath = dir.appendingPathComponent("report.json").path
  o.runID = "test-run"
  o.now = Instant.parseUTC("2026-01-01T00:00:00Z")
  configure(&o)
  let report = Pipeline(options: o).run()
  let out = (try? readBytes(dir.appendingPathComponent("out"))) ?? []
  return RunResult(report: report, output: out, quarantine: dir.appendingPathComponent("q/test-run"), directory: dir)
}

/// A sample file's path.
public func sample(_ relative: String) -> String { Repo.samples.appendingPathComponent(relative).path }

extension JSONObject {
  /// A string member.
  public func string(_ key: String) -> String? {
    if case .string(let s)? = self[key] { return s }
    return nil
  }
  /// An integer member.
  public func int(_ key: String) -> Int? {
    if case .number(let n)? = self[key], let i = n.int64Value { return Int(i) }
    return nil
  }
}
