import CaseBridge
import CaseTestSupport
import CaseXML
import Foundation
import Testing

/// CaseBridge XML through the pipeline: writer goldens, reader goldens (valid and invalid samples), lossless round
/// trips with JSON Lines, and every document the writer produces validating against the XSD with xmllint.
/// `RECORD_GOLDENS=1 swift test --filter XMLGoldenTests` re-records the goldens.
@Suite struct XMLGoldenTests {
  static let xsd = Repo.schemas.appendingPathComponent("xml/casebridge-case-1.0.xsd")

  /// Validates files against the XSD with xmllint; nil when xmllint is missing outside CI (a failure in CI).
  static func xmllint(_ paths: [String]) throws -> (Int32, String)? {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = ["xmllint", "--noout", "--nonet", "--schema", xsd.path] + paths
    let pipe = Pipe()
    p.standardOutput = pipe
    p.standardError = pipe
    try p.run()
    let data = pipe.fileHandleForReading.readToEndRetryingInterrupts()
    p.waitUntilExit()
    let out = String(decoding: data, as: UTF8.self)
    if p.terminationStatus == 127 {
      if Repo.isCI { Issue.record("xmllint is required in CI: \(out)") }
      return nil
    }
    return (p.terminationStatus, out)
  }

  static func compareOrRecord(_ actual: [UInt8], _ golden: URL) throws {
    if Repo.isRecording {
      try Data(actual).write(to: golden)
      Issue.record("recorded \(golden.lastPathComponent)")
      return
    }
    #expect(actual == (try readBytes(golden)), "differs from \(golden.lastPathComponent)")
  }

  @Test func jsonLinesConvertToTheGoldenXML() throws {
    let input = "xml/roundtrip/all-fields.jsonl"
    let r = try runPipeline([sample(input)], to: .xml)
    #expect(r.report.exitCode == 0, "\(r.report.inputs.map(\.rules))")
    #expect(r.report.inputs[0].accepted == 13)
    try Self.compareOrRecord(r.output, Repo.samples.appendingPathComponent("xml/roundtrip/all-fields.expected.xml"))
    let again = try runPipeline([sample(input)], to: .xml)
    #expect(again.output == r.output)
    guard let (status, output) = try Self.xmllint([r.directory.appendingPathComponent("out").path]) else { return }
    #expect(status == 0, "\(output)")
  }

  @Test func theValidSampleIsTheWriterOutputOfTheJSONLinesSample() throws {
    // Samples/xml/valid/case-0001.xml is exactly what the writer makes of Samples/jsonl/valid/case-0001.jsonl (ids
    // kept, no provenance): an input as another system would send it.
    let lines = try parseJSONLines(readBytes(Repo.samples.appendingPathComponent("jsonl/valid/case-0001.jsonl")))
    let sink = MemoryByteSink()
    var w = CaseBridgeXMLWriter(sink: sink)
    for v in lines { try w.write([try JSONValueDecoder().decode(Entity.self, from: v).0]) }
    try w.finish()
    let golden = Repo.samples.appendingPathComponent("xml/valid/case-0001.xml")
    try Self.compareOrRecord(sink.bytes, golden)
    guard let (status, output) = try Self.xmllint([golden.path, Repo.samples.appendingPathComponent("xml/roundtrip/all-fields.expected.xml").path]) else { return }
    #expect(status == 0, "\(output)")
  }

  @Test func anEntityXMLCannotCarryRejectsTheInputWithAReason() throws {
    // extras are not checked for control characters by the validator; XML 1.0 cannot hold U+0001 at all.
    let dir = makeTemporaryDirectory("xml-unwritable")
    let input = dir.appendingPathComponent("bell.jsonl")
    try Data("{\"type\":\"agency\",\"id\":\"a\",\"name\":\"A\"}\n{\"type\":\"agency\",\"id\":\"b\",\"name\":\"B\",\"extras\":[{\"name\":\"x\",\"value\":\"\\u0001\"}]}\n".utf8).write(to: input)
    let r = try runPipeline([input.path], to: .xml)
    #expect(r.report.exitCode == 65)
    #expect(r.report.inputs[0].disposition == .rejected)
    #expect(r.report.inputs[0].error?.rule == "xml.unwritable-character")
    #expect(r.report.inputs[0].error?.location.field == "Agency/Extra/ExtraValueText")
    // Whatever was written for the input is taken back: the output is an empty, valid bundle.
    #expect(String(decoding: r.output, as: UTF8.self) == "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<CaseBundle xmlns=\"urn:casebridge:xml:case:1.0\" casebridgeVersion=\"1.0\"></CaseBundle>\n")
  }

  // MARK: reading

  static let invalidSamples = [
    "xml/invalid/bad-records.xml", "xml/invalid/unsupported-version.xml", "xml/invalid/not-casebridge.xml", "xml/invalid/truncated.xml",
  ]

  @Test(arguments: invalidSamples)
  func invalidSampleDiagnostics(_ relative: String) throws {
    try GoldenTests().invalidSampleDiagnostics(relative)
  }

  @Test func exactlyTheBadRecordsAreQuarantined() throws {
    let r = try runPipeline([sample("xml/invalid/bad-records.xml")], to: .jsonl)
    let input = r.report.inputs[0]
    #expect(input.format == .xml && input.formatInferred)
    #expect(input.read == 12 && input.accepted == 4 && input.quarantined == 8)
    #expect(input.rules["xml.schema-violation"] == 5)
    #expect(input.rules["ip.invalid"] == 1 && input.rules["email.invalid"] == 1 && input.rules["ref.dangling"] == 1)
    #expect(input.rules["ip.non-public"] == 1)
    #expect(r.report.exitCode == 1)
    let ids = try parseJSONLines(r.output).compactMap { v -> String? in if case .object(let o) = v { return o.string("id") }; return nil }
    #expect(ids == ["7a1d5a0c-0000-5000-8000-000000000001", "7a1d5a0c-0000-5000-8000-000000000006", "7a1d5a0c-0000-5000-8000-000000000011", "7a1d5a0c-0000-5000-8000-000000000012"])
    // The quarantine file is the document's own prolog and root around the rejected records, verbatim: it feeds back.
    let rejected = try #require(r.rejected())
    let text = String(decoding: rejected, as: UTF8.self)
    #expect(text.hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!-- Records 1-4"))
    #expect(text.hasSuffix("</CaseBundle>\n"))
    #expect(text.contains("<IPAddress>203.0.113.300</IPAddress>") && !text.contains("Jane Example"))
    let dir = makeTemporaryDirectory("xml-feedback")
    let again = dir.appendingPathComponent("again.xml")
    try Data(rejected).write(to: again)
    let back = try runPipeline([again.path], to: .jsonl)
    #expect(back.report.inputs[0].read == 8 && back.report.inputs[0].quarantined == 8 && back.report.inputs[0].accepted == 0)
  }

  @Test func aDocumentThatBreaksOffIsRejectedWhole() throws {
    // Records read before the failure count as quarantined, none is accepted, nothing is written for the input.
    let r = try runPipeline([sample("xml/invalid/truncated.xml"), sample("xml/valid/case-0001.xml")], to: .jsonl)
    let bad = r.report.inputs[0]
    #expect(bad.disposition == .rejected && bad.error?.rule == "xml.not-well-formed")
    #expect(bad.read == bad.quarantined && bad.accepted == 0)
    #expect(r.rejected() == (try readBytes(Repo.samples.appendingPathComponent("xml/invalid/truncated.xml"))))
    #expect(r.report.inputs[1].accepted == 15)
    #expect(try parseJSONLines(r.output).count == 15)
    #expect(r.report.exitCode == 65)
  }

  @Test func semanticFindingsNameElements() throws {
    // Validator findings come as JSON Pointers; for XML they are reported at the element, absent ones included.
    let dir = makeTemporaryDirectory("xml-semantic")
    let input = dir.appendingPathComponent("lease.xml")
    let xml = """
      <?xml version="1.0" encoding="UTF-8"?>
      <CaseBundle xmlns="urn:casebridge:xml:case:1.0" casebridgeVersion="1.0">
        <IPAssignment id="7a1d5a0c-0000-5000-8000-000000000301">
          <IPAddress>198.51.100.9</IPAddress>
          <LeaseStartDateTime>2030-01-01T00:00:00Z</LeaseStartDateTime>
        </IPAssignment>
      </CaseBundle>

      """
    try Data(xml.utf8).write(to: input)
    let r = try runPipeline([input.path], to: .jsonl)
    let d = try r.diagnostics()
    let future = try #require(d.first { $0.string("rule") == "timestamp.future" })
    #expect(future.string("field") == "IPAssignment/LeaseStartDateTime" && future.int("line") == 5 && future.int("column") == 5)
    let open = try #require(d.first { $0.string("rule") == "lease.open-end" })
    #expect(open.string("field") == "IPAssignment/LeaseEndDateTime" && open.int("line") == 3 && open.int("column") == 3)
  }

  static let conversions: [(String, FormatID, String)] = [
    ("xml/valid/case-0001.xml", .jsonl, "expected.jsonl"),
    ("xml/valid/case-0001.xml", .xml, "expected.xml"),
  ]

  @Test(arguments: 0..<conversions.count)
  func validSampleConvertsToGolden(_ i: Int) throws {
    let (relative, to, suffix) = Self.conversions[i]
    let r = try runPipeline([sample(relative)], to: to)
    #expect(r.report.exitCode == 0, "\(r.report.inputs.map(\.rules))")
    #expect(r.report.inputs[0].format == .xml)
    #expect(r.report.inputs[0].accepted == 15 && r.report.inputs[0].quarantined == 0)
    try Self.compareOrRecord(r.output, GoldenTests.goldenPath(relative, suffix: suffix))
    #expect(try runPipeline([sample(relative)], to: to).output == r.output, "converting twice gives the same bytes")
  }

  @Test(arguments: ["jsonl/valid/case-0001.jsonl", "xml/roundtrip/all-fields.jsonl"])
  func jsonLinesRoundTripThroughXMLIsLossless(_ relative: String) throws {
    // JSON Lines → XML → JSON Lines gives the bytes of JSON Lines → JSON Lines (ids, originals and provenance
    // included), and the XML read back validates in-process against the XSD (nothing is quarantined).
    let direct = try runPipeline([sample(relative)], to: .jsonl)
    let xml = try runPipeline([sample(relative)], to: .xml)
    let xmlPath = xml.directory.appendingPathComponent("out").path
    let back = try runPipeline([xmlPath], to: .jsonl, from: .xml)
    #expect(back.report.exitCode == 0, "\(back.report.inputs.map(\.rules))")
    #expect(back.report.inputs[0].quarantined == 0)
    #expect(back.output == direct.output)
    // XML → JSON Lines → XML gives the same XML.
    let linesPath = back.directory.appendingPathComponent("out").path
    let again = try runPipeline([linesPath], to: .xml, from: .jsonl)
    #expect(again.output == xml.output)
    guard let (status, output) = try Self.xmllint([xmlPath, again.directory.appendingPathComponent("out").path]) else { return }
    #expect(status == 0, "\(output)")
  }

  @Test func generatedRecordsRoundTripThroughXML() throws {
    // 500 records of the benchmark generator (quotes, backslashes, escapes, non-ASCII, originals, a few bad
    // lines): JSON Lines → XML → JSON Lines equals JSON Lines → JSON Lines, and the XML validates with xmllint.
    let dir = makeTemporaryDirectory("xml-generated")
    let input = dir.appendingPathComponent("generated.jsonl")
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = ["python3", Repo.root.appendingPathComponent("scripts/gen_jsonl.py").path, "--records", "500", "--seed", "7", "-o", input.path]
    p.standardOutput = FileHandle.nullDevice
    p.standardError = FileHandle.nullDevice
    try p.run()
    p.waitUntilExit()
    if p.terminationStatus == 127 {
      if Repo.isCI { Issue.record("python3 is required in CI") }
      return
    }
    #expect(p.terminationStatus == 0)
    let direct = try runPipeline([input.path], to: .jsonl)
    let xml = try runPipeline([input.path], to: .xml)
    #expect(xml.report.inputs[0].accepted == direct.report.inputs[0].accepted)
    #expect(direct.report.inputs[0].accepted > 480)
    let xmlPath = xml.directory.appendingPathComponent("out").path
    let back = try runPipeline([xmlPath], to: .jsonl, from: .xml)
    #expect(back.report.inputs[0].quarantined == 0)
    #expect(back.output == direct.output)
    guard let (status, output) = try Self.xmllint([xmlPath]) else { return }
    #expect(status == 0, "\(output)")
  }

  @Test func xmlRoundTripThroughJSONLinesIsLossless() throws {
    // The XML sample (no provenance) → JSON Lines → XML equals XML → XML; the bundle route gives the same.
    let direct = try runPipeline([sample("xml/valid/case-0001.xml")], to: .xml)
    for via in [FormatID.jsonl, .json] {
      let mid = try runPipeline([sample("xml/valid/case-0001.xml")], to: via)
      let back = try runPipeline([mid.directory.appendingPathComponent("out").path], to: .xml, from: via)
      #expect(back.report.exitCode == 0)
      #expect(back.output == direct.output, "via \(via.rawValue)")
    }
  }
}
