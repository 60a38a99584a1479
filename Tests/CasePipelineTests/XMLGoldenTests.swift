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
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
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
    #expect(r.report.inputs[0].error?.rule == "xml.unwritable")
    #expect(r.report.inputs[0].error?.location.field == "Extra[1]/ExtraValueText")
    // Whatever was written for the input is taken back: the output is an empty, valid bundle.
    #expect(String(decoding: r.output, as: UTF8.self) == "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<CaseBundle xmlns=\"urn:casebridge:xml:case:1.0\" casebridgeVersion=\"1.0\">\n</CaseBundle>\n")
  }
}
