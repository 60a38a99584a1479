import CaseBridge
import CaseTestSupport
import Foundation
import Logging
import Testing

/// `casebridge match` as a user runs it, on the synthetic samples in Samples/match/ (the README scenario: a
/// CyberTip's capture events against a cable letter and a CGNAT return, plus the cases each status needs).
@Suite struct MatchCLITests {
  static let observations = sample("match/observations.jsonl")
  static let assignments = sample("match/assignments.jsonl")
  static let now = ["--now", "2026-01-01T00:00:00Z"]

  /// Compares with (or, under RECORD_GOLDENS=1, records) a golden file in Samples/match/expected/.
  static func golden(_ name: String, _ bytes: [UInt8]) throws {
    let url = Repo.samples.appendingPathComponent("match/expected/\(name)")
    if Repo.isRecording {
      try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
      try Data(bytes).write(to: url)
      Issue.record("recorded \(name)")
      return
    }
    let expected = try readBytes(url)
    #expect(bytes == expected, "\(name) differs from its golden; RECORD_GOLDENS=1 re-records it")
  }

  /// Runs scripts/validate_schemas.py; nil when python3 or jsonschema is missing (an issue in CI).
  static func validate(_ args: [String]) throws -> (Int32, String)? {
    let (status, output) = try runSchemaValidator(args)
    if status == 3 || status == 127 {
      if Repo.isCI { Issue.record("python3 with jsonschema is required in CI: \(output)") }
      return nil
    }
    return (status, output)
  }

  @Test func samplesGiveTheGoldenTableJSONAndCSV() throws {
    let dir = makeTemporaryDirectory("match")
    let out = dir.appendingPathComponent("out")
    let report = dir.appendingPathComponent("report.json")
    let r = try CLITests.run(["match", Self.observations, Self.assignments, "-o", out.path, "--report", report.path] + Self.now)
    #expect(r.status == 1, "outside, no-assignment, not-attributable, no-time and conflict results: exit 1")
    #expect(r.stdout.hasPrefix("tolerance: 0 s   observations: 9   assignments: 6\n"))
    #expect(r.stderr.contains("casebridge match: 2 inputs, 21 read, 21 accepted, 0 quarantined"))
    try Self.golden("table.txt", Array(r.stdout.utf8))
    let json = try readBytes(out.appendingPathComponent("match.json"))
    try Self.golden("match.json", json)
    try Self.golden("match.csv", try readBytes(out.appendingPathComponent("match.csv")))
    // One line per status the samples are built to show.
    for (status, count) in [("exact", 4), ("outside", 1), ("no-assignment", 1), ("not-attributable", 1), ("no-time", 1), ("conflict", 1)] {
      #expect(r.stdout.contains("\(count) \(status)"), "\(status)")
    }
    #expect(r.stdout.contains("1 overlap\n"))
    let rep = try JSONParser().parse(try readBytes(report)).objectValue
    #expect(rep?.string("command") == "match")
    #expect(rep?.int("exitCode") == 1, "the report carries the command's exit code")
    if let (status, output) = try Self.validate(["match", out.appendingPathComponent("match.json").path, "report", report.path]) {
      #expect(status == 0, "\(output)")
      #expect(output.contains("2 documents checked, 0 schema violations"))
    }
    // The schema is not a toy: a result whose status and rule disagree fails it.
    let broken = dir.appendingPathComponent("broken.json")
    let text = String(decoding: json, as: UTF8.self).replacingOccurrences(of: #""rule":"match.exact""#, with: #""rule":"match.outside""#)
    try Data(text.utf8).write(to: broken)
    if let (status, _) = try Self.validate(["match", broken.path]) { #expect(status == 1) }
  }

  @Test func toleranceWidensLeasesAndIsAlwaysPrinted() throws {
    let r = try CLITests.run(["match", Self.observations, Self.assignments, "--tolerance", "60"] + Self.now)
    #expect(r.stdout.hasPrefix("tolerance: 60 s"))
    let late = r.stdout.split(separator: "\n").first { $0.hasPrefix("2024-02-12T09:00:30Z") }.map(String.init) ?? ""
    #expect(late.contains("within-tolerance") && late.contains("+30 s") && late.contains("Jane Example"), "\(late)")
    #expect(r.status == 1)
    let tight = try CLITests.run(["match", Self.observations, Self.assignments, "--tolerance", "29"] + Self.now)
    #expect(tight.stdout.contains("0 within-tolerance, 1 outside"))
  }

  @Test func theStoreIsOneMoreInput() throws {
    let plain = try CLITests.run(["match", Self.observations, Self.assignments] + Self.now)
    let stored = try CLITests.run(["match", Self.observations, "--store", Self.assignments] + Self.now)
    #expect(stored.status == 1)
    #expect(stored.stdout == plain.stdout)
    let storeOnly = try CLITests.run(["match", "--store", Self.assignments] + Self.now)
    #expect(storeOnly.stdout.hasPrefix("tolerance: 0 s   observations: 0   assignments: 6\n"))
    #expect(storeOnly.status == 1, "the store's own overlap")
  }

  @Test func everyObservationAttributedExitsZero() throws {
    let dir = makeTemporaryDirectory("match-clean")
    let lines = try String(contentsOfFile: Self.assignments, encoding: .utf8).split(separator: "\n")
    let assignments = dir.appendingPathComponent("a.jsonl")
    try Data(lines.filter { !$0.contains("203.0.113.7") }.map { $0 + "\n" }.joined().utf8).write(to: assignments)
    let obs = try String(contentsOfFile: Self.observations, encoding: .utf8).split(separator: "\n")
    let observations = dir.appendingPathComponent("o.jsonl")
    try Data((obs[0] + "\n" + obs[1] + "\n").utf8).write(to: observations)
    let r = try CLITests.run(["match", observations.path, assignments.path] + Self.now)
    #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
    #expect(r.stdout.contains("summary: 2 exact,"))
  }

  @Test func outputsAreNeverOverwritten() throws {
    let dir = makeTemporaryDirectory("match-twice")
    let out = dir.appendingPathComponent("out")
    #expect(try CLITests.run(["match", Self.observations, Self.assignments, "-o", out.path] + Self.now).status == 1)
    let before = try readBytes(out.appendingPathComponent("match.json"))
    let again = try CLITests.run(["match", Self.observations, "-o", out.path] + Self.now)
    #expect(again.status == 73)
    #expect(again.stderr.contains("never overwritten"))
    #expect(try readBytes(out.appendingPathComponent("match.json")) == before)
  }

  @Test func perInputProfilesReadAProviderSheet() throws {
    let csv = sample("csv/valid/isp-subscribers-2024.csv")
    let profile = Repo.schemas.appendingPathComponent("profiles/isp-subscribers-2024.json").path
    let dir = makeTemporaryDirectory("match-profile")
    let report = dir.appendingPathComponent("report.json")
    let r = try CLITests.run(["match", Self.observations, csv, "--profile-for", "\(csv)=\(profile)", "--report", report.path] + Self.now)
    let first = r.stdout.split(separator: "\n").first { $0.hasPrefix("2024-02-11T14:03:00Z") }.map(String.init) ?? ""
    #expect(first.contains("exact") && first.contains("Example, Jane Q") && first.contains("isp-subscribers-2024.csv:2"), "\(r.stdout)\(r.stderr)")
    let text = try String(contentsOf: report, encoding: .utf8)
    #expect(text.contains(#""profile":{"id":"isp-subscribers-2024""#))
    #expect(try CLITests.run(["match", Self.observations, "--profile-for", "nope.csv=\(profile)"]).status == 64)
  }

  @Test func usageErrorsAndMissingInputs() throws {
    #expect(try CLITests.run(["match"]).status == 64)
    #expect(try CLITests.run(["match", Self.observations, "--tolerance=-5"]).status == 64)
    #expect(try CLITests.run(["convert", "--to", "jsonl"]).status == 64, "convert still needs an input")
    let missing = try CLITests.run(["match", "/nonexistent/obs.jsonl", "--store", Self.assignments] + Self.now)
    #expect(missing.status == 66)
    #expect(missing.stdout.contains("assignments: 6"), "the readable inputs are still matched")
  }

  @Test func badRecordsAreQuarantinedAsValidateDoes() throws {
    let dir = makeTemporaryDirectory("match-q")
    let q = dir.appendingPathComponent("q")
    let r = try CLITests.run(
      ["match", sample("jsonl/invalid/mixed.jsonl"), Self.assignments, "--quarantine", q.path, "--run-id", "r1"] + Self.now)
    #expect(r.status == 1)
    #expect(r.stderr.contains("17 quarantined"))
    let files = try FileManager.default.contentsOfDirectory(atPath: q.appendingPathComponent("r1").path)
    #expect(files.contains { $0.hasPrefix("000-") && $0.hasSuffix(".diagnostics.jsonl") }, "\(files)")
  }

  @Test func namesAreInTheTableButNeverInLogs() throws {
    let r = try CLITests.run(["match", Self.observations, Self.assignments, "--log-level", "trace", "--log-format", "json"] + Self.now)
    #expect(r.stdout.contains("Jane Example"))
    #expect(r.stderr.contains("match done"))
    for name in ["Jane", "McTestface", "John Sample", "Placeholder"] { #expect(!r.stderr.contains(name)) }
  }
}

/// The library entry point `match` stands on: the pipeline's readers and validation, entities kept in memory.
@Suite struct EntityCollectorTests {
  @Test func collectKeepsAcceptedEntitiesOfTheAskedTypes() throws {
    var o = RunOptions(command: "match", inputs: [sample("jsonl/invalid/mixed.jsonl"), MatchCLITests.assignments, sample("json/invalid/truncated.json")])
    o.now = Instant.parseUTC("2026-01-01T00:00:00Z")
    let c = Pipeline.collect(options: o, logger: .init(label: "t", factory: { _ in SwiftLogNoOpLogHandler() }), types: [.ipAssignment, .person])
    #expect(c.report.exitCode == 65, "the truncated bundle is rejected whole")
    #expect(c.report.inputs[2].disposition == .rejected)
    let accepted = c.report.inputs.reduce(0) { $0 + ($1.entities[.ipAssignment] ?? 0) + ($1.entities[.person] ?? 0) }
    #expect(c.entities.count == accepted)
    #expect(c.entities.filter { $0.type == .ipAssignment }.count == 6)
    #expect(c.entities.allSatisfy { $0.type == .ipAssignment || $0.type == .person })
    #expect(c.report.outputs.isEmpty)
  }

  @Test func rollbackDropsWhatARejectedInputContributed() {
    let c = EntityCollector()
    c.write([.person(Person(id: EntityID("a")))])
    let mark = c.checkpoint
    c.write([.person(Person(id: EntityID("b"))), .person(Person(id: EntityID("c")))])
    #expect(c.count == 3)
    c.rollback(to: mark)
    #expect(c.entities.map(\.id.rawValue) == ["a"])
  }
}
