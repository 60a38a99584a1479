import CaseBridge
import CaseTestSupport
import Foundation
import Testing

/// The reader findings of the 2026-12-07 CLI fuzzing round (issue 11), each run through the CLI as a child process
/// under `runBounded` (timeout, CPU and peak RSS, address-space limit). The inputs are generated here, except the
/// deep JSON line, copied under FailCases/.
@Suite(.serialized) struct ParseFindingsTests {
  /// Whether the bounded runner can run; under CI=true its absence is a failure.
  static func toolsReady() -> Bool {
    if boundedRunToolsPresent { return true }
    if ProcessInfo.processInfo.environment["CI"] == "true" { Issue.record("missing tools under CI=true: \(boundedRunTools)") }
    return false
  }

  static func write(_ text: String, _ name: String, in dir: URL) throws -> String {
    let url = dir.appendingPathComponent(name)
    try Data(text.utf8).write(to: url)
    return url.path
  }

  static var lakeside: String { Repo.schemas.appendingPathComponent("profiles/lakeside-cad-xml.json").path }
  static var riverside: String { Repo.schemas.appendingPathComponent("profiles/riverside-rms-json.json").path }

  // MARK: xml-many-attributes-quadratic

  static func attributes(_ n: Int) -> String { (0..<n).map { "a\($0)=\"\"" }.joined(separator: " ") }

  /// One element with `n` attributes in CaseBridge XML, NCMEC XML and an agency export; the element starts line 3.
  static func attributeDocuments(_ n: Int) -> [(name: String, text: String, args: [String])] {
    let a = attributes(n)
    return [
      ("casebridge.xml", "<?xml version=\"1.0\"?>\n<CaseBundle xmlns=\"urn:casebridge:xml:case:1.0\" casebridgeVersion=\"1.0\">\n<Person id=\"p1\" \(a)/></CaseBundle>\n", ["--from", "xml"]),
      ("ncmec.xml", "<?xml version=\"1.0\"?>\n<report>\n<incidentSummary \(a)/></report>\n", ["--from", "ncmec-xml"]),
      ("agency.xml", "<?xml version=\"1.0\"?>\n<Export><Incidents>\n<Incident \(a)/></Incidents></Export>\n", ["--from", "xml", "--profile", lakeside]),
    ]
  }

  @Test("finding xml-many-attributes-quadratic: 50,000 attributes on one element are refused at once, located, in all three XML formats")
  func xmlManyAttributes() throws {
    guard Self.toolsReady() else { return }
    let dir = makeTemporaryDirectory("many-attributes")
    for (name, text, args) in Self.attributeDocuments(50_000) {
      let path = try Self.write(text, name, in: dir)
      // Before the fix: 43 s (release) in libxml2's pairwise duplicate-attribute check.
      let r = try runBounded(["validate", path] + args, seconds: 15, addressSpace: 2 << 30)
      #expect(r.status == 65, "\(name): exit \(r.status)\n\(r.stderr)")
      #expect(r.stderr.contains("\(path):3:1: error:") && r.stderr.contains("[xml.too-many-attributes]"), "\(name):\n\(r.stderr)")
      #expect((r.cpu ?? 99) < 3, "\(name): \(r.cpu ?? -1) s CPU")
    }
    // At the limit (256 on the CaseBridge XML element, with its id) the element reaches libxml2 (and is judged as before: no attribute-count refusal).
    for (name, text, args) in Self.attributeDocuments(255) {
      let path = try Self.write(text, "ok-" + name, in: dir)
      let r = try runBounded(["validate", path] + args, seconds: 15)
      #expect(r.status < 128 && !r.stderr.contains("xml.too-many-attributes"), "\(name): exit \(r.status)\n\(r.stderr)")
    }
  }

  // MARK: jsonl-many-members-quadratic

  static func members(_ n: Int) -> String { (0..<n).map { "\"k\($0)\":1" }.joined(separator: ",") }

  @Test("finding jsonl-many-members-quadratic: a record with 40,000 unknown members costs one pass in JSON Lines, bundle, CyberTip and agency JSON")
  func manyMembers() throws {
    guard Self.toolsReady() else { return }
    let dir = makeTemporaryDirectory("many-members")
    let m = Self.members(40_000)
    let inputs: [(String, String, [String], Int32)] = [
      ("m.jsonl", "{\"type\":\"person\",\"id\":\"p1\",\(m)}\n", ["--from", "jsonl"], 1),
      ("m.json", "{\"casebridgeVersion\":\"1.0\",\"entities\":[{\"type\":\"person\",\"id\":\"p1\",\(m)}]}\n", ["--from", "json"], 1),
      ("tip.json", "{\"reportId\":90000001,\"dateReceived\":\"2024-02-12T09:30:00Z\",\(m)}\n", ["--from", "cybertip-json"], -1),
      ("agency.json", "{\"incidents\":[{\"incidentNo\":\"RS-1\",\(m)}]}\n", ["--from", "json", "--profile", Self.riverside], -1),
    ]
    for (name, text, args, status) in inputs {
      let path = try Self.write(text, name, in: dir)
      let report = dir.appendingPathComponent(name + ".report.json")
      // Before the fix: 7.7 s (release) for JSON Lines, one located finding per member each from the line's start.
      let r = try runBounded(["validate", path, "--report", report.path] + args, seconds: 15, addressSpace: 2 << 30)
      #expect(r.status < 128 && (status < 0 || r.status == status), "\(name): exit \(r.status)\n\(r.stderr)")
      #expect((r.cpu ?? 99) < 3, "\(name): \(r.cpu ?? -1) s CPU")
      #expect(r.stderr.contains("1 read"), "\(name):\n\(r.stderr)")
    }
    // The canonical formats list 100 unknown members, then one finding counts the other 39,900.
    let r = try runBounded(["validate", dir.appendingPathComponent("m.jsonl").path, "--quarantine", dir.appendingPathComponent("q").path, "--run-id", "r1"], seconds: 15)
    let diag = try FileManager.default.subpathsOfDirectory(atPath: dir.appendingPathComponent("q/r1").path)
      .filter { $0.contains("diagnostics") }
      .map { try String(contentsOfFile: dir.appendingPathComponent("q/r1").appendingPathComponent($0).path, encoding: .utf8) }
      .joined()
    #expect(r.status == 1)
    #expect(diag.contains("39900 more members"), "no summary finding in\n\(diag.prefix(2000))")
    #expect(diag.components(separatedBy: "\"json.unknown-member\"").count - 1 == 101, "\(diag.components(separatedBy: "\"json.unknown-member\"").count - 1) findings")
  }

  // MARK: json-deep-nesting-stack-overflow

  @Test("finding json-deep-nesting-stack-overflow: --max-depth is capped at 1024, deep JSON at the cap never overflows the stack, and the option sizes no allocation")
  func deepNesting() throws {
    guard Self.toolsReady() else { return }
    let deep = Repo.root.appendingPathComponent("Tests/CaseBridgeCLITests/FailCases/json-deep-nesting-stack-overflow/deep70k.jsonl").path
    // Before the fix: exit 139 (stack overflow destroying the nested value).
    let over = try runBounded(["validate", deep, "--max-depth", "70010"], seconds: 30)
    #expect(over.status == 64, "exit \(over.status)")
    #expect(over.stderr.contains("--max-depth must be between 1 and 1024"), "\(over.stderr)")
    let refused = try runBounded(["validate", deep, "--max-depth", "1024"], seconds: 30)
    #expect(refused.status == 1 && refused.stderr.contains("1 quarantined"), "exit \(refused.status)\n\(refused.stderr)")

    // At the cap: values nested 1,020 deep through every JSON reader (parsed, decoded, quarantined or kept, and
    // destroyed), converted to every JSON-family and XML writer.
    let dir = makeTemporaryDirectory("deep-json")
    let n = 1_020
    let nest = String(repeating: "[", count: n) + String(repeating: "]", count: n)
    let inputs: [(String, String, [String])] = [
      ("d.jsonl", "{\"type\":\"person\",\"id\":\"p1\",\"extras\":[{\"name\":\"a\",\"value\":\(nest)}]}\n", ["--from", "jsonl"]),
      ("d.json", "{\"casebridgeVersion\":\"1.0\",\"entities\":[{\"type\":\"person\",\"id\":\"p1\",\"extras\":[{\"name\":\"a\",\"value\":\(nest)}]}]}\n", ["--from", "json"]),
      ("tip.json", "{\"reportId\":90000001,\"dateReceived\":\"2024-02-12T09:30:00Z\",\"x\":\(nest)}\n", ["--from", "cybertip-json"]),
      ("agency.json", "{\"incidents\":[{\"incidentNo\":\"RS-1\",\"reported\":\"03/02/2024 14:05\",\"offense\":\"Online Enticement of Children for Sexual Acts\",\"subject\":{\"first\":\"Jane\",\"last\":\"Example\"},\"x\":\(nest)}]}\n", ["--from", "json", "--profile", Self.riverside]),
    ]
    for (name, text, args) in inputs {
      let path = try Self.write(text, name, in: dir)
      for to in ["jsonl", "xml", "json"] {
        let r = try runBounded(
          ["convert", path, "--to", to, "-o", dir.appendingPathComponent("\(name).out.\(to)").path, "--max-depth", "1024"] + args,
          seconds: 30)
        #expect(r.status == 0 || r.status == 1, "\(name) -> \(to): exit \(r.status)\n\(r.stderr.prefix(500))")
        #expect(r.stderr.contains("1 read"), "\(name) -> \(to):\n\(r.stderr.prefix(500))")
        #expect(!r.stderr.contains("crashed"), "\(name) -> \(to)")
      }
    }
    // --max-depth never sizes an allocation (1e9 allocated 7.8 GB for a 5 KB document): refused, and at the cap small.
    let xml = sample("xml/valid/case-0001.xml")
    #expect(try runBounded(["validate", xml, "--max-depth", "1000000000"]).status == 64)
    let capped = try runBounded(["validate", xml, "--max-depth", "1024"], addressSpace: 1 << 30)
    #expect(capped.status == 0, "\(capped.stderr)")
    #expect((capped.maxRSSKiB ?? .max) < 150 * 1024, "\(capped.maxRSSKiB ?? -1) KiB")
  }

  // MARK: limit-option-overflow

  @Test("finding limit-option-overflow: limit options outside their documented ranges are usage errors (exit 64), never a trap")
  func limitOptions() throws {
    guard Self.toolsReady() else { return }
    let max = String(Int.max)
    let jsonl = sample("jsonl/valid/case-0001.jsonl")
    let csv = sample("csv/valid/isp-subscribers-2024.csv")
    let json = sample("json/valid/case-0001.json")
    let xml = sample("xml/valid/case-0001.xml")
    // Before the fix: exit 132 (arithmetic overflow) for the first four.
    let refused: [[String]] = [
      ["validate", jsonl, "--max-record-bytes", max],
      ["validate", csv, "--max-record-bytes", max],
      ["validate", json, "--max-depth", max],
      ["validate", xml, "--max-depth", max],
      ["validate", jsonl, "--max-field-bytes", max],
      ["validate", jsonl, "--max-input-bytes", max],
      ["validate", jsonl, "--max-record-bytes", "1073741825"],
      ["validate", jsonl, "--max-field-bytes", "0"],
      ["validate", jsonl, "--max-depth", "1025"],
      ["validate", jsonl, "--max-depth", "0"],
      ["validate", jsonl, "--max-input-bytes=-1"],
      ["validate", jsonl, "--max-input-bytes", "1125899906842625"],
      ["convert", jsonl, "--to", "jsonl", "--max-record-bytes", max],
      ["match", sample("match/observations.jsonl"), "--tolerance", max],
    ]
    for args in refused {
      let r = try runBounded(args)
      #expect(r.status == 64, "\(args): exit \(r.status)\n\(r.stderr.prefix(300))")
      #expect(!r.stderr.contains("crashed") && r.stderr.contains("must be between"), "\(args):\n\(r.stderr.prefix(300))")
    }
    // The top of every range works.
    let top = ["--max-record-bytes", "1073741824", "--max-field-bytes", "1073741824", "--max-depth", "1024", "--max-input-bytes", "1125899906842624"]
    for input in [jsonl, csv, json, xml] {
      let r = try runBounded(["validate", input] + top)
      #expect(r.status == 0, "\(input): exit \(r.status)\n\(r.stderr)")
    }
  }
}
