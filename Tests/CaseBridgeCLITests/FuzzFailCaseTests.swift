import CaseBridge
import CaseTestSupport
import Foundation
import Testing

/// Replays the inputs the fuzzers found (FuzzTesting/FailCases/<target>/), and keeps the target list honest.
@Suite struct FuzzFailCaseTests {
  static let fuzzing = Repo.root.appendingPathComponent("FuzzTesting")

  struct Reader {
    var name: String
    var ext: String
    var from: String?
    var profile: String?
  }

  static func targets() throws -> (readers: [Reader], parsers: [String]) {
    guard case .object(let root) = try JSONParser().parse(Array(try Data(contentsOf: fuzzing.appendingPathComponent("targets.json")))),
      case .array(let readers)? = root["readers"], case .array(let parsers)? = root["parsers"]
    else { throw CocoaError(.fileReadCorruptFile) }
    let r: [Reader] = readers.compactMap {
      guard case .object(let o) = $0, case .string(let name)? = o["name"], case .string(let ext)? = o["ext"] else { return nil }
      var from: String? = nil
      if case .string(let f)? = o["from"] { from = f }
      var profile: String? = nil
      if case .string(let p)? = o["profile"] { profile = p }
      return Reader(name: name, ext: ext, from: from, profile: profile)
    }
    return (r, parsers.compactMap { if case .string(let s) = $0 { return s } else { return nil } })
  }

  @Test func everyTargetIsRunnable() throws {
    let t = try Self.targets()
    #expect(t.readers.count >= 15 && t.parsers.count >= 8)
    for r in t.readers {
      if let f = r.from { #expect(FormatID(rawValue: f).map(FormatRegistry.canRead) == true, "\(r.name): \(f)") }
      if let p = r.profile {
        let bytes = try Array(Data(contentsOf: Repo.root.appendingPathComponent(p)))
        #expect((try? ProfileLoader.load(bytes: bytes, source: p, sha256: "")) != nil, "\(r.name): \(p) does not load")
      }
    }
    // Every fail-case folder names a target.
    let names = Set(t.readers.map(\.name) + t.parsers)
    let folders = (try? FileManager.default.contentsOfDirectory(atPath: Self.fuzzing.appendingPathComponent("FailCases").path)) ?? []
    for f in folders where !f.hasSuffix(".md") { #expect(names.contains(f), "FailCases/\(f) is not a target") }
  }

  @Test func failCasesReplay() throws {
    let t = try Self.targets()
    let base = Self.fuzzing.appendingPathComponent("FailCases")
    for reader in t.readers {
      let dir = base.appendingPathComponent(reader.name)
      for name in (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? [] {
        let work = makeTemporaryDirectory("fuzz-replay")
        let report = work.appendingPathComponent("r.json").path
        var args = ["convert", dir.appendingPathComponent(name).path, "--to", "jsonl", "-o", work.appendingPathComponent("o.jsonl").path,
          "--quarantine", work.appendingPathComponent("q").path, "--report", report, "--now", "2026-12-07T00:00:00Z"]
        if let f = reader.from { args += ["--from", f] }
        if let p = reader.profile { args += ["--profile", Repo.root.appendingPathComponent(p).path] }
        let r = try CLITests.run(args)
        #expect(r.status != 70, "\(reader.name)/\(name): internal error")
        let json = try JSONParser().parse(Array(try Data(contentsOf: URL(fileURLWithPath: report))))
        if case .object(let o) = json, case .object(let totals)? = o["totals"] {
          #expect(totals["read"] == .number(JSONNumber(Int64(Self.int(totals["accepted"]) + Self.int(totals["quarantined"])))), "\(reader.name)/\(name)")
        }
      }
    }
    for parser in t.parsers {
      let dir = base.appendingPathComponent(parser)
      for name in (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? [] {
        let bytes = try Array(Data(contentsOf: dir.appendingPathComponent(name)))
        let text = String(decoding: bytes, as: UTF8.self)
        switch parser {
        case "profile-json", "profile-yaml":
          _ = try? ProfileLoader.load(bytes: bytes, source: parser == "profile-json" ? "f.json" : "f.yaml", sha256: "")
        case "timestamp":
          if case .success(let ts) = Timestamp.parseISO8601(text), case .success(let again) = Timestamp.parseISO8601(ts.utcText) {
            #expect(again.instant == ts.instant)
          }
        case "ip":
          if case .success(let a) = IPAddress.parse(text) { #expect((try? IPAddress.parse(a.normalized).get())?.normalized == a.normalized) }
        case "email":
          if case .success(let e) = EmailAddress.parse(text) { #expect((try? EmailAddress.parse(e.normalized).get())?.normalized == e.normalized) }
        case "constraint-pattern":
          let parts = text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false)
          if parts.count == 2, let p = try? ConstraintPattern(String(parts[0])) { #expect(p.matches(String(parts[1])) == p.matches(String(parts[1]))) }
        default:
          break
        }
      }
    }
  }

  static func int(_ v: JSONValue?) -> Int {
    if case .number(let n)? = v, let i = n.int64Value { return Int(i) }
    return -1
  }
}
