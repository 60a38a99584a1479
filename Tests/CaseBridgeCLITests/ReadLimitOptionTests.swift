import CaseBridge
import CaseTestSupport
import Foundation
import Testing

/// Every reader limit can be set for a run: on the command line (`--max-…`) and, for the nightly job, in the batch
/// config's `limits` (passed to each file's child). Exceeding one is a located finding, never a crash; a value
/// outside its range is a usage error.
@Suite(.serialized) struct ReadLimitOptionTests {
  static func write(_ text: String, _ name: String, in dir: URL) throws -> String {
    let url = dir.appendingPathComponent(name)
    try Data(text.utf8).write(to: url)
    return url.path
  }

  @Test func xmlCountingLimitsAreOptionsAndLocatedWhenExceeded() throws {
    let dir = makeTemporaryDirectory("xml-count-limits")
    // 10 attributes: under the default (256), over --max-attributes 8.
    for (name, text, args) in ParseFindingsTests.attributeDocuments(10) {
      let path = try Self.write(text, name, in: dir)
      let fine = try CLITests.run(["validate", path] + args)
      #expect(!fine.stderr.contains("xml.too-many-attributes"), "\(name): \(fine.stderr)")
      let over = try CLITests.run(["validate", path, "--max-attributes", "8"] + args)
      #expect(over.status == 65, "\(name): exit \(over.status)\n\(over.stderr)")
      #expect(over.stderr.contains("\(path):3:1: error:") && over.stderr.contains("[xml.too-many-attributes]"), "\(name): \(over.stderr)")
    }
    let sample = sample("xml/valid/case-0001.xml")
    let elements = try CLITests.run(["validate", sample, "--max-elements", "5"])
    #expect(elements.status == 65, "\(elements.stderr)")
    #expect(elements.stderr.contains("[xml.too-many-elements]"), "\(elements.stderr)")
    let record = try CLITests.run(["validate", sample, "--max-record-elements", "2"])
    #expect(record.status == 1 || record.status == 65, "\(record.stderr)")
    #expect(record.stderr.contains("[xml.record-too-large]"), "\(record.stderr)")
    #expect(try CLITests.run(["validate", sample]).status == 0)
  }

  @Test func limitOptionsOutsideTheirRangeAreUsageErrors() throws {
    for (option, value, message) in [
      ("--max-attributes", "0", "--max-attributes must be between 1 and 65536"),
      ("--max-attributes", "65537", "--max-attributes must be between 1 and 65536"),
      ("--max-elements", "0", "--max-elements must be between 1 and 1099511627776"),
      ("--max-record-elements", "1073741825", "--max-record-elements must be between 1 and 1073741824"),
    ] {
      let r = try CLITests.run(["validate", sample("xml/valid/case-0001.xml"), option, value])
      #expect(r.status == 64, "\(option) \(value): \(r.stderr)")
      #expect(r.stderr.contains(message), "\(option) \(value): \(r.stderr)")
    }
  }

  /// The report's configuration names the XML counting limits only when one is set, so the configuration hash of a
  /// run that never sets them is what it was before they existed.
  @Test func theReportNamesXMLCountingLimitsOnlyWhenSet() throws {
    let dir = makeTemporaryDirectory("limit-report")
    let plain = dir.appendingPathComponent("plain.json").path
    let set = dir.appendingPathComponent("set.json").path
    let input = sample("xml/valid/case-0001.xml")
    _ = try CLITests.run(["validate", input, "--report", plain])
    _ = try CLITests.run(["validate", input, "--report", set, "--max-attributes", "100"])
    let a = try String(contentsOfFile: plain, encoding: .utf8)
    let b = try String(contentsOfFile: set, encoding: .utf8)
    #expect(!a.contains("maxAttributes") && !a.contains("maxElements"))
    #expect(b.contains("\"maxAttributes\":100") && b.contains("\"maxElements\":50000000") && b.contains("\"maxRecordElements\":100000"))
  }

  @Test func theBatchConfigSetsEveryChildsReaderLimits() throws {
    let dir = makeTemporaryDirectory("batch-read-limits")
    let config = try Self.write(
      """
      inbox: in
      limits:
        cpuSeconds: 20
        maxRecordBytes: 4096
        maxFieldBytes: 1024
        maxDepth: 16
        maxInputBytes: 1048576
        maxElements: 1000
        maxRecordElements: 100
        maxAttributes: 32
      """, "batch.yaml", in: dir)
    let s = try BatchSettings.load(configPath: config)
    #expect(s.limits.cpuSeconds == 20)
    #expect(s.limits.read.maxRecordBytes == 4096 && s.limits.read.maxAttributes == 32)
    let expected = [
      "--max-input-bytes", "1048576", "--max-record-bytes", "4096", "--max-field-bytes", "1024", "--max-depth", "16",
      "--max-elements", "1000", "--max-record-elements", "100", "--max-attributes", "32",
    ]
    #expect(s.limits.readArguments == expected)
    let args = BatchChildCommand.current.arguments(
      input: "f.csv", staging: "s", report: "r", quarantine: "q", runID: "x", profile: nil,
      limits: s.limits.forInput(bytes: 10), readArguments: s.limits.readArguments)
    #expect(Array(args.suffix(expected.count)) == expected)
    // Defaults add nothing to a child's command line.
    #expect(BatchLimits().readArguments.isEmpty)
    // Out of range: a located config error.
    let bad = try Self.write("limits:\n  maxDepth: 5000\n", "bad.yaml", in: dir)
    #expect(throws: BatchConfigError.self) { try BatchSettings.load(configPath: bad) }
    do {
      _ = try BatchSettings.load(configPath: bad)
    } catch {
      #expect(error.message.contains("bad.yaml:2:3:") && error.message.contains("'maxDepth' must be an integer from 1 to 1024"), "\(error.message)")
    }
  }

  /// End to end: a nightly run whose config lowers `maxRecordBytes` quarantines the long record of a file, which
  /// the default limit would accept.
  @Test func aBatchChildHonoursTheConfiguredRecordLimit() throws {
    let l = try BatchTests.Layout("batch-record-limit")
    let row = "C-2,\(String(repeating: "x", count: 3000)),Long,192.0.2.2,443,2024-03-01T10:00:00Z,l@example.com,\n"
    try Data(("case_number,first_name,last_name,ip,port,observed_at,email,md5\nC-1,Testy,McTestface,192.0.2.1,443,2024-03-01T10:00:00Z,t@example.com,\n" + row).utf8)
      .write(to: URL(fileURLWithPath: l.inbox + "/long.csv"))
    let config = l.root.appendingPathComponent("batch.yaml")
    try Data("limits:\n  maxRecordBytes: 2048\n".utf8).write(to: config)
    let r = try BatchTests.batch(l.flags + ["--config", config.path, "--settle", "0", "--run-id", "limits-1"])
    #expect(r.status == 1, "\(r.stderr)")
    let report = try l.report("limits-1")
    let input = try #require(BatchTests.inputs(report)["long.csv"])
    if case .object(let rules)? = input.member("rules")?.value {
      #expect(rules.member("csv.record-too-large") != nil, "\(rules)")
    } else {
      Issue.record("no rules in \(input)")
    }
    let text = String(decoding: try readBytes(URL(fileURLWithPath: l.reports + "/limits-1.json")), as: UTF8.self)
    #expect(text.contains("\"maxRecordBytes\":2048"), "the batch report's limits name the configured reader limit")
  }
}
