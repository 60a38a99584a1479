import CaseBridge
import CaseTestSupport
import Foundation
import Testing

@Suite struct PipelineTests {
  @Test func truncatedBundleIsRejectedWholeAndCopiedVerbatim() throws {
    let path = sample("json/invalid/truncated.json")
    let result = try runPipeline([path], to: .jsonl)
    let r = result.report.inputs[0]
    #expect(r.disposition == .rejected)
    #expect(r.accepted == 0)
    #expect(r.read == r.quarantined)
    #expect(r.read == 1)  // one complete element was read before the document broke off
    #expect(r.error?.rule == "json.syntax" || r.error?.rule == "json.unterminated-string")
    #expect(r.error?.location.line != nil)
    #expect(result.report.exitCode == 65)
    #expect(result.output.isEmpty)
    #expect(result.rejected() == (try readBytes(URL(fileURLWithPath: path))))
  }

  @Test func unsupportedVersionIsRejectedWhole() throws {
    let result = try runPipeline([sample("json/invalid/unsupported-version.json")], to: .json)
    #expect(result.report.inputs[0].disposition == .rejected)
    #expect(result.report.inputs[0].error?.rule == "bundle.unsupported-version")
    #expect(result.report.exitCode == 65)
    // The bundle written has no entities, and is still a valid bundle.
    #expect(String(decoding: result.output, as: UTF8.self) == "{\"casebridgeVersion\":\"1.0\",\"entities\":[]}\n")
  }

  @Test func aRejectedInputTakesBackNothingFromOthers() throws {
    let result = try runPipeline(
      [sample("jsonl/valid/case-0001.jsonl"), sample("json/invalid/truncated.json")], to: .jsonl)
    #expect(result.report.inputs[0].accepted == 15)
    #expect(result.report.inputs[1].disposition == .rejected)
    #expect(try parseJSONLines(result.output).count == 15)
    #expect(result.report.exitCode == 65)
  }

  @Test func byteIdenticalInputIsSkippedAsDuplicate() throws {
    let dir = makeTemporaryDirectory("dup")
    let copy = dir.appendingPathComponent("copy.jsonl")
    try FileManager.default.copyItem(atPath: sample("jsonl/valid/case-0001.jsonl"), toPath: copy.path)
    let result = try runPipeline([sample("jsonl/valid/case-0001.jsonl"), copy.path], to: .jsonl)
    #expect(result.report.inputs[1].disposition == .duplicate)
    #expect(result.report.inputs[1].read == 0)
    #expect(result.report.exitCode == 0)
    #expect(try parseJSONLines(result.output).count == 15)
  }

  @Test func missingInputAndUnknownFormat() throws {
    let dir = makeTemporaryDirectory("missing")
    let odd = dir.appendingPathComponent("mystery.json")
    try Data("{\"hello\": 1}".utf8).write(to: odd)
    let result = try runPipeline([dir.appendingPathComponent("nope.jsonl").path, odd.path, dir.path], to: .jsonl)
    #expect(result.report.inputs[0].disposition == .skipped)
    #expect(result.report.inputs[0].error?.rule == "input.unreadable")
    #expect(result.report.inputs[1].disposition == .rejected)
    #expect(result.report.inputs[1].error?.rule == "format.unknown")
    #expect(result.report.inputs[2].error?.rule == "input.not-regular-file")
    #expect(result.report.exitCode == 66)  // 66 outranks 65
  }

  @Test func inputOverTheSizeLimitIsRejectedUnread() throws {
    let result = try runPipeline([sample("jsonl/valid/case-0001.jsonl")], to: .jsonl) { $0.limits.maxInputBytes = 100 }
    let r = result.report.inputs[0]
    #expect(r.disposition == .rejected)
    #expect(r.error?.rule == "input.too-large")
    #expect(r.read == 0 && r.accepted == 0 && r.quarantined == 0)
    #expect(r.sha256 == nil)
    #expect(result.report.exitCode == 65)
  }

  @Test func formatInference() throws {
    let dir = makeTemporaryDirectory("infer")
    func infer(_ name: String, _ text: String) throws -> FormatRegistry.Inference {
      let u = dir.appendingPathComponent(name)
      try Data(text.utf8).write(to: u)
      return try FormatRegistry.infer(path: u.path, file: ChunkedFile(path: u.path))
    }
    #expect(try infer("a.json", "{\"odata.metadata\":\"x\",\"value\":[]}") == .format(.vicsJSON, evidence: "content"))
    #expect(try infer("a.json", "{\"@odata.context\":\"x\",\"value\":[]}") == .format(.vicsJSON, evidence: "content"))
    #expect(try infer("a.json", "{\"@context\":{},\"@graph\":[]}") == .format(.caseJSONLD, evidence: "content"))
    #expect(try infer("a.json", "{\"reportId\":1,\"reportedInformation\":{}}") == .format(.cybertipJSON, evidence: "content"))
    #expect(try infer("a.json", "\u{FEFF}{\"entities\":[{\"a\":\"}\"}],\"casebridgeVersion\":\"1.0\"}") == .format(.json, evidence: "content"))
    #expect(try infer("a.json", "{\"x\":1}") == .unknown)
    #expect(try infer("noext", "{\"type\":\"person\"}\n{\"type\":\"person\"}\n") == .format(.jsonl, evidence: "content"))
    #expect(try infer("a.ndjson", "") == .format(.jsonl, evidence: "extension"))
    #expect(try infer("r.xml", "<?xml version=\"1.0\"?>\n<report xmlns:xsi=\"x\"/>") == .format(.ncmecXML, evidence: "content"))
    #expect(try infer("c.xml", "<case/>") == .format(.xml, evidence: "content"))
    #expect(try infer("l.csv", "a,b\n") == .format(.csv, evidence: "extension"))
  }

  @Test func quarantineFilesArePrivateAndNeverOverwritten() throws {
    let result = try runPipeline([sample("jsonl/invalid/mixed.jsonl")], to: .jsonl)
    let fm = FileManager.default
    let dirMode = try fm.attributesOfItem(atPath: result.quarantine.path)[.posixPermissions] as? Int
    #expect(dirMode == 0o700)
    for f in try fm.contentsOfDirectory(atPath: result.quarantine.path) {
      let mode = try fm.attributesOfItem(atPath: result.quarantine.appendingPathComponent(f).path)[.posixPermissions] as? Int
      #expect(mode == 0o600, "\(f)")
    }
    let outMode = try fm.attributesOfItem(atPath: result.directory.appendingPathComponent("out").path)[.posixPermissions] as? Int
    #expect(outMode == 0o600)
    // The same run id again: the run directory exists, nothing is overwritten, exit 73.
    let again = Pipeline(options: {
      var o = RunOptions(command: "validate", inputs: [sample("jsonl/invalid/mixed.jsonl")])
      o.quarantineDirectory = result.directory.appendingPathComponent("q").path
      o.runID = "test-run"
      return o
    }()).run()
    #expect(again.exitCode == 73)
  }

  @Test func noValidateKeepsSyntaxAndFieldRules() throws {
    let on = try runPipeline([sample("jsonl/invalid/mixed.jsonl")])
    let off = try runPipeline([sample("jsonl/invalid/mixed.jsonl")], validate: false)
    let rulesOff = Set(off.report.inputs[0].rules.keys)
    #expect(rulesOff.contains("json.duplicate-key"))
    #expect(rulesOff.contains("ip.invalid"))
    #expect(!rulesOff.contains("ref.dangling"))
    #expect(!rulesOff.contains("record.duplicate-id"))
    #expect(off.report.inputs[0].accepted > on.report.inputs[0].accepted)
    #expect(off.report.inputs[0].read == on.report.inputs[0].read)
  }

  @Test func valuesStayOutOfDiagnosticsUnlessAskedFor() throws {
    let dir = makeTemporaryDirectory("canary")
    let path = dir.appendingPathComponent("canary.jsonl")
    let lines = [
      "{\"type\":\"person\",\"id\":\"a0000000-0000-4000-8000-000000000001\",\"emails\":[{\"address\":\"CANARY-1 x@example.com\"}]}",
      "{\"type\":\"person\",\"id\":\"a0000000-0000-4000-8000-000000000002\",\"names\":[{\"given\":\"CANARY-2\\u0007\"}]}",
      "{\"type\":\"ipObservation\",\"id\":\"a0000000-0000-4000-8000-000000000003\",\"ip\":\"CANARY-3\"}",
      "{\"type\":\"roleAssignment\",\"id\":\"a0000000-0000-4000-8000-000000000004\",\"personId\":\"CANARY-4\",\"role\":\"victim\"}",
    ]
    try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: path)
    let plain = try runPipeline([path.path])
    let text = String(decoding: try readBytes(plain.quarantine.appendingPathComponent("000-canary.diagnostics.jsonl")), as: UTF8.self)
    #expect(plain.report.inputs[0].quarantined == 4)
    #expect(!text.contains("CANARY"))
    #expect(!plain.report.summary.contains("CANARY"))
    let reportText = String(decoding: try readBytes(plain.directory.appendingPathComponent("report.json")), as: UTF8.self)
    #expect(!reportText.contains("CANARY"))
    let opted = try runPipeline([path.path], includeValues: true)
    let optedText = String(decoding: try readBytes(opted.quarantine.appendingPathComponent("000-canary.diagnostics.jsonl")), as: UTF8.self)
    #expect(optedText.contains("CANARY-3"))
    #expect(optedText.contains("CANARY-4"))
  }

  @Test func productionRunFlagsFixtureData() throws {
    let normal = try runPipeline([sample("jsonl/valid/case-0001.jsonl")])
    #expect(normal.report.inputs[0].rules["data.looks-like-fixture"] == nil)
    let prod = try runPipeline([sample("jsonl/valid/case-0001.jsonl")]) { $0.production = true }
    #expect((prod.report.inputs[0].rules["data.looks-like-fixture"] ?? 0) > 0)
    #expect(prod.report.inputs[0].accepted == 15)  // a warning, not a rejection
  }

  /// The Deriver's own SHA-1 gives the same UUIDs as swift-crypto's, for prefixes and tails of every length
  /// class (one and two final blocks, digits from 1 to 19).
  @Test func deriverMatchesTheReferenceUUIDv5() {
    var rng = SplitMix64(seed: 0x5EED_1D5)
    let hex = Array("0123456789abcdef")
    for round in 0..<300 {
      let shaLength = round == 0 ? 64 : Int.random(in: 0...130, using: &rng)
      let sha = String((0..<shaLength).map { _ in hex[Int.random(in: 0..<16, using: &rng)] })
      let record = [0, 9, 10, 999_999, Int.max][round % 5] &+ (round % 2 == 0 ? 0 : Int.random(in: 0...1000, using: &rng))
      let ordinal = Int.random(in: 0...(round % 3 == 0 ? 9 : 1_000_000), using: &rng)
      let reference = DeterministicID.format(
        DeterministicID.uuidV5(namespace: DeterministicID.namespace, name: Array("\(sha):\(max(record, 0)):\(ordinal)".utf8)))
      #expect(
        DeterministicID.Deriver(inputSha256: sha).id(record: record, ordinal: ordinal).rawValue == reference,
        "seed 0x5EED1D5 round \(round)")
    }
  }

  @Test func derivedIDsAreDeterministicUUIDv5() {
    let a = DeterministicID.entityID(inputSha256: String(repeating: "0", count: 64), record: 3, ordinal: 1)
    let b = DeterministicID.entityID(inputSha256: String(repeating: "0", count: 64), record: 3, ordinal: 1)
    let c = DeterministicID.entityID(inputSha256: String(repeating: "0", count: 64), record: 3, ordinal: 2)
    #expect(a == b)
    #expect(a != c)
    #expect(a.isCanonicalUUID)
    let chars = Array(a.rawValue)
    #expect(chars[14] == "5")  // version 5
    #expect("89ab".contains(chars[19]))  // RFC variant
    // RFC 9562 appendix: UUIDv5(NAMESPACE_DNS, "www.example.com") = 2ed6657d-e927-568b-95e1-2665a8aea6a2
    let dns: [UInt8] = [0x6b, 0xa7, 0xb8, 0x10, 0x9d, 0xad, 0x11, 0xd1, 0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8]
    #expect(DeterministicID.format(DeterministicID.uuidV5(namespace: dns, name: Array("www.example.com".utf8))) == "2ed6657d-e927-568b-95e1-2665a8aea6a2")
  }

  @Test func exitCodeOrder() {
    #expect(mostSevere([0, 1, 65]) == 65)
    #expect(mostSevere([65, 66]) == 66)
    #expect(mostSevere([73, 74]) == 74)
    #expect(mostSevere([70, 75]) == 75)
    #expect(mostSevere([78, 64]) == 64)
    #expect(mostSevere([1, 0]) == 1)
  }
}

@Suite struct CatalogueTests {
  /// Every rule id any source file can report is in the catalogue `casebridge rules` prints, once.
  @Test func everyReportedRuleIsCatalogued() throws {
    let ids = RuleCatalogue.all.map(\.id)
    #expect(Set(ids).count == ids.count, "duplicate catalogue ids")
    let known = Set(ids)
    let sources = Repo.root.appendingPathComponent("Sources")
    let files = FileManager.default.enumerator(atPath: sources.path)?.compactMap { $0 as? String }.filter { $0.hasSuffix(".swift") } ?? []
    let pattern = try Regex(#""((?:json|jsonl|bundle|csv|profile|ip|port|email|phone|hash|timestamp|date|country|state|field|record|ref|id|age|lease|interval|port-range|text|url|data|input|format|output|xml|html|ncmec|cybertip|isp|match|batch|config)\.[a-z0-9-]+)""#)
    var missing: Set<String> = []
    for f in files {
      let text = try String(contentsOf: sources.appendingPathComponent(f), encoding: .utf8)
      for m in text.matches(of: pattern) {
        let id = String(m.output[1].substring ?? "")
        // File names (`match.csv`, `report.xml`) share the shape; no rule id ends in a file extension.
        let fileName = [".swift", ".json", ".jsonl", ".csv", ".xml", ".xsd", ".html", ".txt"].contains { id.hasSuffix($0) }
        if !known.contains(id) && !fileName { missing.insert(id) }
      }
    }
    #expect(missing.isEmpty, "not in RuleCatalogue: \(missing.sorted())")
  }
}
