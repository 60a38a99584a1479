import CaseBridge
import CaseTestSupport
import Foundation
import Testing

/// Boundaries where a reader could guess (issue 15, item 1): empty deliveries, and records a profile-driven reader
/// must refuse as the profile-less reader of the same format does.
@Suite struct InputBoundaryTests {
  static func write(_ bytes: [UInt8], _ name: String) throws -> String {
    let url = makeTemporaryDirectory("boundary").appendingPathComponent(name)
    try Data(bytes).write(to: url)
    return url.path
  }

  static let blanks: [(String, [UInt8])] = [
    ("zero.csv", []),
    ("zero.jsonl", []),
    ("zero.json", []),
    ("zero.xml", []),
    ("bom.csv", [0xEF, 0xBB, 0xBF]),
    ("bom-space.jsonl", [0xEF, 0xBB, 0xBF, 0x20, 0x0A, 0x0D, 0x0A, 0x09]),
    ("space.json", Array("  \n\t \r\n".utf8)),
    ("utf16le.csv", [0xFF, 0xFE, 0x20, 0x00, 0x0A, 0x00]),
    ("utf16be.csv", [0xFE, 0xFF, 0x00, 0x0D, 0x00, 0x0A]),
    ("utf16le-bom-only.csv", [0xFF, 0xFE]),
  ]

  @Test(arguments: blanks)
  func anEmptyDeliveryIsRejected(name: String, bytes: [UInt8]) throws {
    let path = try Self.write(bytes, name)
    let r = try runPipeline([path])
    let input = r.report.inputs[0]
    #expect(input.disposition == .rejected, "\(name)")
    #expect(input.error?.rule == "input.empty", "\(name)")
    #expect(input.error?.location.line == 1 && input.error?.location.byteOffset == 0)
    #expect(input.read == 0 && input.accepted == 0 && input.quarantined == 0)
    #expect(input.sha256 != nil && input.bytes == bytes.count)
    #expect(r.report.exitCode == 65)
  }

  @Test(arguments: blanks)
  func anExpectedEmptyDeliveryIsAProcessedInputWithNoRecords(name: String, bytes: [UInt8]) throws {
    let path = try Self.write(bytes, name)
    let r = try runPipeline([path]) { $0.allowEmpty = true }
    let input = r.report.inputs[0]
    #expect(input.disposition == .processed, "\(name)")
    #expect(input.error == nil && input.read == 0)
    #expect(r.report.exitCode == 0)
    // The flag is part of the configuration (and its hash); without it the configuration has no such member.
    if case .object(let c) = r.report.configuration { #expect(c["allowEmpty"] == .bool(true)) }
    let plain = try runPipeline([path])
    if case .object(let c) = plain.report.configuration { #expect(c["allowEmpty"] == nil) }
    #expect(plain.report.configurationSha256 != r.report.configurationSha256)
  }

  @Test func aProfileCanExpectEmptyDeliveries() throws {
    let dir = makeTemporaryDirectory("boundary-profile")
    let profile = dir.appendingPathComponent("p.json")
    try Data("""
      {"profileVersion": "1.0", "id": "empty-ok", "allowEmpty": true, "layout": {"kind": "csv"},
       "records": [{"entity": "case", "fields": {"caseNumber": {"column": "case_number"}}}]}
      """.utf8).write(to: profile)
    let path = try Self.write([], "nightly.csv")
    let r = try runPipeline([path]) { $0.profilePath = profile.path }
    #expect(r.report.inputs[0].disposition == .processed && r.report.exitCode == 0)
    // A profile that says nothing: rejected.
    let strict = dir.appendingPathComponent("s.json")
    try Data("""
      {"profileVersion": "1.0", "id": "strict", "layout": {"kind": "csv"},
       "records": [{"entity": "case", "fields": {"caseNumber": {"column": "case_number"}}}]}
      """.utf8).write(to: strict)
    #expect(try runPipeline([path]) { $0.profilePath = strict.path }.report.exitCode == 65)
    // allowEmpty must be a boolean: a located profile error.
    let bad = dir.appendingPathComponent("b.json")
    try Data("""
      {"profileVersion": "1.0", "id": "bad", "allowEmpty": "yes", "layout": {"kind": "csv"},
       "records": [{"entity": "case", "fields": {"caseNumber": {"column": "case_number"}}}]}
      """.utf8).write(to: bad)
    let b = try runPipeline([path]) { $0.profilePath = bad.path }
    #expect(b.report.exitCode == 78)
    #expect(b.report.error?.contains("allowEmpty") == true)
  }

  @Test func notEmptyIsNotBlank() throws {
    // A header-only CSV is a processed input with 0 records; one visible byte, a NUL or a UTF-16 code unit other
    // than whitespace is content (whatever its reader then says).
    let header = try runPipeline([try Self.write(Array("case_number,first_name\n".utf8), "header.csv")])
    #expect(header.report.inputs[0].disposition == .processed && header.report.inputs[0].read == 0)
    #expect(header.report.exitCode == 0)
    for (name, bytes) in [
      ("nul.jsonl", [0x20, 0x00, 0x0A] as [UInt8]), ("x.jsonl", Array(" x".utf8)),
      ("utf16-u0a0d.csv", [0xFF, 0xFE, 0x0A, 0x0D]), ("utf16-odd.csv", [0xFF, 0xFE, 0x20]),
      ("bom-then-x.csv", [0xEF, 0xBB, 0xBF, 0x78]),
    ] {
      let r = try runPipeline([try Self.write(bytes, name)])
      #expect(r.report.inputs[0].error?.rule != "input.empty", "\(name)")
    }
  }

  @Test func aJSONLinesProfileRefusesLinesThatAreNotObjects() throws {
    let lines = [
      #"{"ref":"HL-24-9001","received":"2024-05-06T10:15:00+01:00","account":{"service":"ExampleChat","handle":"sample_user_9"}}"#,
      #"["HL-24-9002"]"#, #""HL-24-9003""#, "42", "true", "null",
    ]
    let path = try Self.write(Array((lines.joined(separator: "\n") + "\n").utf8), "feed.jsonl")
    let r = try runPipeline([path], to: .jsonl) { $0.profilePath = Repo.root.appendingPathComponent("Schemas/profiles/hotline-referrals-jsonl.json").path }
    let input = r.report.inputs[0]
    #expect(input.read == 6 && input.accepted == 1 && input.quarantined == 5)
    #expect(input.rules["json.not-an-object"] == 5)
    let diagnostics = try r.diagnostics()
    #expect(diagnostics.map { $0.string("rule") } == Array(repeating: "json.not-an-object", count: 5))
    #expect(diagnostics.map { $0.int("line") } == [2, 3, 4, 5, 6])
    // The message names the JSON type, never the value.
    #expect(diagnostics.allSatisfy { !($0.string("message") ?? "").contains("HL-24") })
    #expect(r.report.exitCode == 1)
  }

  @Test func aJSONProfileRefusesRecordsThatAreNotObjects() throws {
    let doc = #"{"incidents": [{"incident_no": "I-1"}, 7, "x", [1]]}"#
    let path = try Self.write(Array(doc.utf8), "incidents.json")
    let dir = makeTemporaryDirectory("json-profile")
    let profile = dir.appendingPathComponent("p.json")
    try Data("""
      {"profileVersion": "1.0", "id": "incidents", "layout": {"kind": "json", "json": {"records": "/incidents"}},
       "records": [{"entity": "case", "fields": {"caseNumber": {"column": "/incident_no"}}}]}
      """.utf8).write(to: profile)
    let r = try runPipeline([path]) { $0.profilePath = profile.path }
    let input = r.report.inputs[0]
    #expect(input.read == 4 && input.accepted == 1 && input.quarantined == 3)
    #expect(input.rules["json.not-an-object"] == 3)
  }
}
