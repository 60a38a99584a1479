import CaseBridge
import CaseTestSupport
import Foundation
import Testing

/// CyberTip JSON through the whole pipeline: the invalid samples give exactly their expected located findings,
/// the valid ones convert to their goldens byte for byte, counts reconcile, and ids join across inputs.
@Suite struct CyberTipGoldenTests {
  static let invalidSamples = [
    "cybertip/invalid/bad-tips.json", "cybertip/invalid/bad-lines.json", "cybertip/invalid/truncated-array.json",
  ]
  static let validSamples = [
    "cybertip/valid/tip-full.json", "cybertip/valid/tips-array.json", "cybertip/valid/tips-lines.json",
  ]

  @Test(arguments: invalidSamples)
  func invalidSampleDiagnostics(_ relative: String) throws {
    // The same comparison as the canonical formats' goldens.
    try GoldenTests().invalidSampleDiagnostics(relative)
  }

  @Test(arguments: validSamples)
  func validSampleConvertsToGolden(_ relative: String) throws {
    let result = try runPipeline([sample(relative)], to: .jsonl)
    let input = result.report.inputs[0]
    #expect(input.format == .cybertipJSON)
    #expect(input.formatInferred == true)
    #expect(result.report.exitCode == 0)
    #expect(input.quarantined == 0)
    #expect(input.read > 0)
    let golden = GoldenTests.goldenPath(relative, suffix: "expected.jsonl")
    if Repo.isRecording {
      try Data(result.output).write(to: golden)
      Issue.record("recorded \(golden.lastPathComponent)")
      return
    }
    #expect(result.output == (try readBytes(golden)), "\(relative) differs from \(golden.lastPathComponent)")
    let again = try runPipeline([sample(relative)], to: .jsonl)
    #expect(again.output == result.output, "converting twice is byte-identical")
  }

  @Test(arguments: validSamples + invalidSamples)
  func countsReconcile(_ relative: String) throws {
    let result = try runPipeline([sample(relative)], to: .jsonl)
    let input = result.report.inputs[0]
    #expect(input.read == input.accepted + input.quarantined)
  }

  @Test func badTipsQuarantineOnlyTheBadOnes() throws {
    let result = try runPipeline([sample("cybertip/invalid/bad-tips.json")], to: .jsonl)
    let input = result.report.inputs[0]
    #expect(input.read == 7)
    #expect(input.accepted == 2)
    #expect(input.quarantined == 5)
    #expect(input.disposition == .processed)
    let rules = try result.diagnostics().compactMap { $0.string("rule") }
    #expect(rules == ["ip.invalid", "timestamp.missing-zone", "cybertip.missing-report-id", "json.duplicate-key", "email.invalid", "field.type-mismatch"])
    // The quarantine holds the five rejected elements, verbatim, inside [ ] (one of them keeps its duplicate key).
    let rejected = String(decoding: try #require(result.rejected()), as: UTF8.self)
    #expect(rejected.hasPrefix("[\n{") && rejected.hasSuffix("}\n]\n"))
    for id in ["90000011", "90000012", "90000014", "90000016"] { #expect(rejected.contains(id)) }
    for id in ["90000010", "90000017"] { #expect(!rejected.contains(id)) }
    // The accepted tips are the first and the last.
    let cases = try parseJSONLines(result.output).compactMap { v -> String? in
      guard case .object(let o) = v, o.string("type") == "case", case .array(let refs)? = o["externalReferences"],
        case .object(let r)? = refs.first
      else { return nil }
      return r.string("identifier")
    }
    #expect(cases == ["90000010", "90000017"])
  }

  @Test func structuralErrorRejectsTheArrayWhole() throws {
    let result = try runPipeline([sample("cybertip/invalid/truncated-array.json")], to: .jsonl)
    let input = result.report.inputs[0]
    #expect(input.disposition == .rejected)
    #expect(input.accepted == 0)
    #expect(result.report.exitCode == 65)
    #expect(result.output.isEmpty || !String(decoding: result.output, as: UTF8.self).contains("90000030"))
  }

  /// The Case id is value-derived from reportId: the same report read from two inputs gets the same id, which is
  /// the id NCMEC XML gives it.
  @Test func caseIDIsKeyedByReportID() throws {
    let result = try runPipeline([sample("cybertip/valid/tip-full.json")], to: .jsonl)
    let first = try #require(try parseJSONLines(result.output).first)
    guard case .object(let c) = first else { return }
    #expect(c.string("type") == "case")
    #expect(c.string("id") == DeterministicID.keyedID("ncmec:report:90000001").rawValue)
    // Other entities' ids derive from the input, the record and their position.
    let dir = makeTemporaryDirectory("ct-copy")
    let copy = dir.appendingPathComponent("copy.json")
    var bytes = try readBytes(URL(fileURLWithPath: sample("cybertip/valid/tip-full.json")))
    bytes.append(0x0A)
    try Data(bytes).write(to: copy)
    let other = try runPipeline([copy.path], to: .jsonl)
    let lines = try parseJSONLines(other.output)
    guard case .object(let c2) = lines[0], case .object(let e1) = try parseJSONLines(result.output)[1], case .object(let e2) = lines[1]
    else { return }
    #expect(c2.string("id") == c.string("id"))
    #expect(e1.string("id") != e2.string("id"))
  }

  /// A report read twice in one run is a duplicate id: the second copy is quarantined, not silently doubled.
  @Test func sameReportTwiceInOneRunIsADuplicate() throws {
    let dir = makeTemporaryDirectory("ct-dup")
    let copy = dir.appendingPathComponent("again.json")
    var bytes = try readBytes(URL(fileURLWithPath: sample("cybertip/valid/tip-full.json")))
    bytes.append(0x0A)
    try Data(bytes).write(to: copy)
    let result = try runPipeline([sample("cybertip/valid/tip-full.json"), copy.path], to: .jsonl)
    #expect(result.report.inputs[0].accepted == 1)
    #expect(result.report.inputs[1].quarantined == 1)
    #expect(result.report.inputs[1].rules["record.duplicate-id"] == 1)
  }

  /// The lease-matching scenario uses these captures of the full sample.
  @Test func fullSampleHasTheIPCapturesForLeaseMatching() throws {
    let result = try runPipeline([sample("cybertip/valid/tip-full.json")], to: .jsonl)
    let observations = try parseJSONLines(result.output).compactMap { v -> JSONObject? in
      guard case .object(let o) = v, o.string("type") == "ipObservation" else { return nil }
      return o
    }
    func ip(_ o: JSONObject) -> String? {
      if let s = o.string("ip") { return s }
      if case .object(let n)? = o["ip"] { return n.string("value") }
      return nil
    }
    func utc(_ o: JSONObject) -> String? {
      if let s = o.string("observedAt") { return s }
      if case .object(let n)? = o["observedAt"] { return n.string("utc") }
      return nil
    }
    let seen = observations.map { "\(ip($0) ?? "")|\($0.int("port") ?? 0)|\(utc($0) ?? "")|\($0.string("event") ?? "")" }
    #expect(seen.contains("198.51.100.23|51234|2024-02-11T14:03:00Z|login"))
    #expect(seen.contains("100.64.12.34|40001|2024-02-11T14:15:30Z|registration"))
    #expect(seen.contains("2001:db8::1|50123|2024-02-11T14:20:00Z|purchase"))
    #expect(seen.contains("198.51.100.23|51234|2024-02-11T14:03:05Z|upload"))
  }

  /// Semantic findings about mapped fields name the tip's JSON Pointer and point at its line.
  @Test func semanticFindingsPointIntoTheTip() throws {
    let dir = makeTemporaryDirectory("ct-sem")
    let file = dir.appendingPathComponent("tip.json")
    let text = """
      {
        "reportId": 90000040,
        "dateReceived": "2027-01-01T00:00:00Z",
        "reportedInformation": {
          "reportedPeople": {"reportedPersons": [{
            "sourceInformation": {"sourceCaptures": [
              {"captureType": "IP Address", "value": "100.64.1.2", "dateTime": "2024-01-01T00:00:00Z"}
            ]}
          }]}
        }
      }

      """
    try Data(text.utf8).write(to: file)
    let result = try runPipeline([file.path], to: .jsonl)
    let ds = try result.diagnostics()
    let future = try #require(ds.first { $0.string("rule") == "timestamp.future" })
    #expect(future.string("field") == "/dateReceived")
    #expect(future.int("line") == 3)
    let cgnat = try #require(ds.first { $0.string("rule") == "ip.cgnat-without-port" })
    #expect(cgnat.string("field") == "/reportedInformation/reportedPeople/reportedPersons/0/sourceInformation/sourceCaptures/0/value")
    #expect(cgnat.int("line") == 7)
    #expect(cgnat.int("column") == 39)
    #expect(result.report.inputs[0].quarantined == 1)
  }

  @Test func arrayOfOtherObjectsIsNotInferredAsCyberTip() throws {
    let dir = makeTemporaryDirectory("ct-infer")
    let file = dir.appendingPathComponent("things.json")
    try Data(#"[{"type":"person","names":[]}]"#.utf8).write(to: file)
    let result = try runPipeline([file.path], to: .jsonl)
    #expect(result.report.inputs[0].rules["format.unknown"] == 1)
  }
}
