import CaseBridge
import CaseTestSupport
import Foundation
import Testing

/// Writer output, quarantine diagnostics and run reports validate against the JSON Schemas in Schemas/json/,
/// checked with Python's `jsonschema` (an independent implementation). In CI a missing validator fails.
@Suite struct SchemaTests {
  static func runValidator(_ args: [String]) throws -> (Int32, String) { try runSchemaValidator(args) }

  @Test func artifactsValidateAgainstTheSchemas() throws {
    let bundle = try runPipeline([sample("jsonl/valid/case-0001.jsonl"), sample("jsonl/invalid/mixed.jsonl")], to: .json)
    let lines = try runPipeline([sample("json/valid/case-0001.json"), sample("json/invalid/bad-entities.json")], to: .jsonl)
    let rejected = try runPipeline([sample("json/invalid/truncated.json")], to: .jsonl)
    var args: [String] = [
      "bundle", bundle.directory.appendingPathComponent("out").path,
      "jsonl", lines.directory.appendingPathComponent("out").path,
      "report", bundle.directory.appendingPathComponent("report.json").path,
      "report", lines.directory.appendingPathComponent("report.json").path,
      "report", rejected.directory.appendingPathComponent("report.json").path,
    ]
    for r in [bundle, lines, rejected] {
      for f in try FileManager.default.contentsOfDirectory(atPath: r.quarantine.path) where f.hasSuffix(".diagnostics.jsonl") {
        args += ["diagnostics", r.quarantine.appendingPathComponent(f).path]
      }
    }
    let (status, output) = try Self.runValidator(args)
    if status == 3 || status == 127 {
      if Repo.isCI { Issue.record("python3 with jsonschema is required in CI: \(output)") }
      return
    }
    #expect(status == 0, "\(output)")
    #expect(output.contains("schema violations"))
  }

  @Test func schemasRejectWhatTheReaderRejects() throws {
    // The schema is not a toy: an entity with an unknown member or a bad enum fails it too.
    let dir = makeTemporaryDirectory("schema-neg")
    let bad = dir.appendingPathComponent("bad.jsonl")
    try Data("{\"type\":\"person\",\"id\":\"x\",\"favouriteColour\":\"blue\"}\n{\"type\":\"roleAssignment\",\"id\":\"y\",\"personId\":\"x\",\"role\":\"villain\"}\n".utf8).write(to: bad)
    let (status, output) = try Self.runValidator(["jsonl", bad.path])
    if status == 3 || status == 127 {
      if Repo.isCI { Issue.record("python3 with jsonschema is required in CI: \(output)") }
      return
    }
    #expect(status == 1)
    #expect(output.contains("2 documents checked"))
  }
}
