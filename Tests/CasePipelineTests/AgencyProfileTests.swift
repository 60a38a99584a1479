import CaseBridge
import CaseTestSupport
import Foundation
import Testing

/// An agency's own JSON and JSON Lines through a profile: fields name JSON Pointers relative to each record; a
/// record missing a required value, or holding a bad one, is quarantined alone with the pointer as its field.
@Suite struct AgencyProfileTests {
  static let samples: [(String, String)] = [
    ("agency/riverside-rms-export.json", "riverside-rms-json.json"),
    ("agency/referrals.jsonl", "hotline-referrals-jsonl.json"),
    ("agency/lakeside-cad-export.xml", "lakeside-cad-xml.json"),
  ]

  static func profilePath(_ name: String) -> String { Repo.schemas.appendingPathComponent("profiles/\(name)").path }

  @Test(arguments: 0..<samples.count)
  func agencyExportConvertsToGolden(_ i: Int) throws {
    let (relative, profile) = Self.samples[i]
    let result = try runPipeline([sample(relative)], to: .jsonl) { $0.profilePath = Self.profilePath(profile) }
    let input = result.report.inputs[0]
    #expect(result.report.error == nil, "\(result.report.error ?? "")")
    #expect(input.profileID == profile.replacingOccurrences(of: ".json", with: ""))
    #expect(input.read == input.accepted + input.quarantined)
    #expect(input.accepted >= 1 && input.quarantined >= 1)
    var record = result.output
    var w = JSONWriter()
    for var d in try result.diagnostics() {
      if let k = d.members.firstIndex(where: { $0.key == "input" }) { d.members[k].value = .string("Samples/" + relative) }
      w.write(.object(d))
      w.bytes.append(0x0A)
    }
    record += Array("--- diagnostics\n".utf8) + w.bytes
    let golden = Repo.samples.appendingPathComponent(relative).deletingPathExtension().appendingPathExtension("expected.jsonl")
    if Repo.isRecording {
      try Data(record).write(to: golden)
      Issue.record("recorded \(golden.lastPathComponent)")
      return
    }
    #expect(record == (try readBytes(golden)), "\(relative) differs from \(golden.lastPathComponent)")
  }

  @Test func missingRequiredPathQuarantinesTheRecordNotTheInput() throws {
    let result = try runPipeline([sample("agency/riverside-rms-export.json")], to: .jsonl) {
      $0.profilePath = Self.profilePath("riverside-rms-json.json")
    }
    let d = try result.diagnostics()
    let missing = d.first { $0.string("rule") == "field.missing" }
    #expect(missing?.string("field") == "/incidentNo")
    #expect(missing?.int("record") == 3)
    // The quarantine holds the rejected elements' original bytes, framed as a JSON array.
    let rejected = String(decoding: result.rejected() ?? [], as: UTF8.self)
    #expect(rejected.hasPrefix("["))
    #expect(rejected.contains("\"incidentNo\": \"RS-2024-0009\""))
    #expect(!rejected.contains("RS-2024-0007"))
  }

  @Test func jsonLayoutWithoutItsRecordsArrayIsRejectedWhole() throws {
    let dir = makeTemporaryDirectory("agency")
    let input = dir.appendingPathComponent("export.json")
    try Data(#"{"exportedBy":"x","cases":[{"incidentNo":"A"}]}"#.utf8).write(to: input)
    let result = try runPipeline([input.path], to: .jsonl) { $0.profilePath = Self.profilePath("riverside-rms-json.json") }
    #expect(result.report.inputs[0].error?.rule == "profile.records-missing")
    #expect(result.report.exitCode == 65)
  }

  @Test func withoutAProfileJSONIsStillReadAsCaseBridgeJSON() throws {
    let result = try runPipeline([sample("json/valid/case-0001.json")], to: .jsonl)
    #expect(result.report.exitCode == 0)
  }

  @Test func inspectFindsTheRecordsAndDraftsAJSONProfile() throws {
    let report = try Inspector.inspectJSON(path: sample("agency/riverside-rms-export.json"), lines: false)
    #expect(report.layout == .json)
    #expect(report.records == "/incidents")
    #expect(report.rows == 4)
    let kinds = Dictionary(uniqueKeysWithValues: report.columns.map { ($0.name, $0.kind) })
    #expect(kinds["/reported"] == .timestampWithoutZone)
    #expect(kinds["/subject/phone"] == .phone)
    #expect(kinds["/network/port"] == .integer)
    // No value of the file in the report.
    var w = JSONWriter()
    w.write(report.draftProfile)
    let text = String(decoding: w.bytes, as: UTF8.self) + report.notes.joined()
    for value in ["Jane", "203.0.113.9", "RS-2024-0007", "example.com"] { #expect(!text.contains(value), "\(value)") }
    // The draft loads and convert runs with it as it is; zone-less times are quarantined, never guessed.
    let dir = makeTemporaryDirectory("draft")
    let draft = dir.appendingPathComponent("draft.json")
    try Inspector.writeProfile(report.draftProfile, to: draft.path)
    let result = try runPipeline([sample("agency/riverside-rms-export.json")], to: .jsonl) { $0.profilePath = draft.path }
    #expect(result.report.error == nil, "\(result.report.error ?? "")")
    #expect(result.report.inputs[0].read == 4)
    #expect(result.report.inputs[0].rules["timestamp.missing-zone"] != nil)
  }

  @Test func inspectReadsJSONLinesRecordByRecord() throws {
    let report = try Inspector.inspectJSON(path: sample("agency/referrals.jsonl"), lines: true)
    #expect(report.layout == .jsonl)
    #expect(report.rows == 3)
    #expect(report.rejectedRows["json.duplicate-key"] == 1)
    #expect(report.columns.contains { $0.name == "/account/handle" })
    #expect(report.columns.first { $0.name == "/received" }?.kind == .timestampWithZone)
    // One digest of three is malformed: below the 95 % threshold the path is not called a hash.
    #expect(report.columns.first { $0.name == "/sha256" }?.kind == .text)
  }

  @Test func xmlQuarantineIsAWellFormedDocumentThatFeedsBack() throws {
    let result = try runPipeline([sample("agency/lakeside-cad-export.xml")]) { $0.profilePath = Self.profilePath("lakeside-cad-xml.json") }
    let input = result.report.inputs[0]
    #expect(input.read == 4 && input.accepted == 2 && input.quarantined == 2)
    var text = String(decoding: result.rejected() ?? [], as: UTF8.self)
    // The document's own context around exactly the rejected records.
    #expect(text.hasPrefix("<?xml version=\"1.0\""))
    #expect(text.contains("xmlns:cad=\"urn:example:lakeside-cad:2\""))
    #expect(text.contains("LK-24-0303") && !text.contains("LK-24-0301") && !text.contains("LK-24-0302"))
    #expect(text.hasSuffix("</cad:Export>\n"))
    // Fixed by hand, it is accepted whole by the same profile.
    text = text.replacingOccurrences(of: "2024-04-01 20:00", with: "2024-04-01T20:00:00Z")
      .replacingOccurrences(of: "testy@@example.com", with: "testy@example.com")
      .replacingOccurrences(of: "<cad:Incident>", with: "<cad:Incident number=\"LK-24-0304\">")
    let dir = makeTemporaryDirectory("feedback")
    let fixed = dir.appendingPathComponent("fixed.xml")
    try Data(text.utf8).write(to: fixed)
    let again = try runPipeline([fixed.path]) { $0.profilePath = Self.profilePath("lakeside-cad-xml.json") }
    #expect(again.report.inputs[0].read == 2 && again.report.inputs[0].accepted == 2)
  }

  @Test func inspectFindsTheXMLRecordElementsAndDraftsAProfile() throws {
    let report = try Inspector.inspectXML(path: sample("agency/lakeside-cad-export.xml"))
    #expect(report.layout == .xml)
    #expect(report.records == "/Export/Incidents/Incident")
    #expect(report.rows == 4)
    let kinds = Dictionary(uniqueKeysWithValues: report.columns.map { ($0.name, $0.kind) })
    #expect(kinds["Login"] == .timestampWithZone)
    #expect(kinds["Login/@port"] == .integer)
    #expect(kinds["Subject/Email[2]"] == .email)
    let dir = makeTemporaryDirectory("draft")
    let draft = dir.appendingPathComponent("draft.json")
    try Inspector.writeProfile(report.draftProfile, to: draft.path)
    let result = try runPipeline([sample("agency/lakeside-cad-export.xml")], to: .jsonl) { $0.profilePath = draft.path }
    #expect(result.report.error == nil, "\(result.report.error ?? "")")
    #expect(result.report.inputs[0].read == 4)
  }

  @Test func xmlLayoutWithoutItsRecordsIsRejectedWhole() throws {
    let dir = makeTemporaryDirectory("agency")
    let input = dir.appendingPathComponent("export.xml")
    try Data("<Export><Cases><Case number=\"A\"/></Cases></Export>".utf8).write(to: input)
    let result = try runPipeline([input.path], to: .jsonl) { $0.profilePath = Self.profilePath("lakeside-cad-xml.json") }
    #expect(result.report.inputs[0].error?.rule == "profile.records-missing")
  }
}
