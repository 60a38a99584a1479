import CaseBridge
import CaseTestSupport
import Foundation
import Testing

/// Record keys as a user meets them: `convert --to jsonl` of a keyed export writes each case once, a repeated key
/// with other content is quarantined with `recordKey` in diagnostics.jsonl, and a key without `sourceSystem` stops
/// the run with a located profile error (exit 78).
@Suite struct RecordKeyCLITests {
  static let profile = Repo.schemas.appendingPathComponent("profiles/rms-keyed-cases.json").path

  @Test func keyedExportConvertsWithOneCasePerKeyAndRecordKeysInDiagnostics() throws {
    let dir = makeTemporaryDirectory("keys-cli")
    let out = dir.appendingPathComponent("out.jsonl")
    let q = dir.appendingPathComponent("q")
    let r = try CLITests.run([
      "convert", sample("csv/valid/rms-keyed-cases.csv"), "--profile", Self.profile, "--to", "jsonl", "-o", out.path,
      "--quarantine", q.path, "--now", "2026-01-01T00:00:00Z",
    ])
    #expect(r.status == 1, "\(r.stderr)")
    #expect(r.stderr.contains("6 read, 4 accepted, 2 quarantined"), "\(r.stderr)")
    let lines = try String(contentsOf: out, encoding: .utf8).split(separator: "\n")
    #expect(lines.filter { $0.contains(#""caseNumber":"NF-2025-0042""#) }.count == 1)
    let runs = try FileManager.default.contentsOfDirectory(atPath: q.path)
    let runDir = q.appendingPathComponent(try #require(runs.first))
    let diag = try #require(try FileManager.default.contentsOfDirectory(atPath: runDir.path).first { $0.hasSuffix(".diagnostics.jsonl") })
    let text = try String(contentsOf: runDir.appendingPathComponent(diag), encoding: .utf8)
    let dup = try #require(text.split(separator: "\n").first { $0.contains("record.duplicate-key") })
    #expect(dup.contains(#""recordId":"#) && dup.contains(#","recordKey":"P-1002","line":7,"#))
    #expect(!text.contains("Sampleton"))
  }

  @Test func keyWithoutSourceSystemExits78Located() throws {
    let dir = makeTemporaryDirectory("keys-cli")
    let profile = dir.appendingPathComponent("p.json")
    let text = try String(contentsOfFile: Self.profile, encoding: .utf8).replacingOccurrences(of: #""sourceSystem": "northfield-rms","#, with: "")
    try Data(text.utf8).write(to: profile)
    let r = try CLITests.run(["validate", sample("csv/valid/rms-keyed-cases.csv"), "--profile", profile.path])
    #expect(r.status == 78)
    #expect(r.stderr.contains("p.json:10:"), "\(r.stderr)")
    #expect(r.stderr.contains("sourceSystem"))
  }
}
