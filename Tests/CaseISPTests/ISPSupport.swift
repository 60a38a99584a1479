import CaseBridge
import CaseTestSupport
import Foundation
import Testing

/// Paths and helpers shared by the ISP tests.
enum ISP {
  /// A shipped provider profile.
  static func profile(_ name: String) -> String { Repo.schemas.appendingPathComponent("profiles/providers/\(name).json").path }

  /// Runs an inline input through an inline profile (both written to a scratch directory).
  static func run(
    _ input: String, name: String = "input.txt", profile: String, to: FormatID? = .jsonl,
    configure: (inout RunOptions) -> Void = { _ in }
  ) throws -> RunResult {
    let dir = makeTemporaryDirectory("isp-inline")
    let inputURL = dir.appendingPathComponent(name)
    try Data(input.utf8).write(to: inputURL)
    let profileURL = dir.appendingPathComponent("profile.json")
    try Data(profile.utf8).write(to: profileURL)
    return try runPipeline([inputURL.path], to: to) {
      $0.profilePath = profileURL.path
      configure(&$0)
    }
  }

  /// Runs a sample through a shipped profile.
  static func runSample(_ relative: String, profile: String, to: FormatID? = .jsonl) throws -> RunResult {
    try runPipeline([sample(relative)], to: to) { $0.profilePath = Self.profile(profile) }
  }

  /// The entities written, parsed.
  static func entities(_ r: RunResult) throws -> [JSONObject] {
    try parseJSONLines(r.output).compactMap {
      guard case .object(let o) = $0 else { return nil }
      return o
    }
  }

  /// The entities of one type.
  static func entities(_ r: RunResult, type: String) throws -> [JSONObject] {
    try entities(r).filter { $0.string("type") == type }
  }

  /// The diagnostics of the first input, as JSON Lines, with the input path normalised.
  static func diagnostics(_ r: RunResult, as relative: String) throws -> [UInt8] {
    var w = JSONWriter()
    for var d in try r.diagnostics() {
      if let k = d.members.firstIndex(where: { $0.key == "input" }) { d.members[k].value = .string(relative) }
      w.write(.object(d))
      w.bytes.append(0x0A)
    }
    return w.bytes
  }

  /// One finding, reduced to what the tests compare.
  struct Finding: Equatable, CustomStringConvertible {
    var rule: String
    var severity: String?
    var record: Int?
    var line: Int?
    var column: Int?
    var field: String?
    var description: String { "\(rule)@\(line ?? 0):\(column ?? 0)[\(field ?? "-")]" }
  }

  /// Every finding of the first input.
  static func findings(_ r: RunResult) throws -> [Finding] {
    try r.diagnostics().map {
      Finding(rule: $0.string("rule") ?? "", severity: $0.string("severity"), record: $0.int("record"), line: $0.int("line"), column: $0.int("column"), field: $0.string("field"))
    }
  }

  /// The UTC text of a timestamp member (`{"utc": ...}` or a plain string).
  static func utc(_ o: JSONObject, _ key: String) -> String? {
    switch o[key] {
    case .string(let s)?: return s
    case .object(let t)?: return t.string("utc")
    default: return nil
    }
  }
}
