import CaseBridge
import CaseTestSupport
import Foundation
import Testing

/// `casebridge inspect` on provider returns: each layout is recognised from its evidence, and the draft profile
/// loads (and, where the evidence suffices, converts the sample).
@Suite struct InspectProviderTests {
  static func draft(_ r: InspectionReport) throws -> MappingProfile {
    let bytes = Inspector.prettyJSON(r.draftProfile)
    return try ProfileLoader.load(bytes: bytes, source: "draft.json", sha256: sha256Hex(bytes))
  }

  @Test func aLetterIsRecognisedByItsDelimitersLabelsAndStatements() throws {
    let r = try Inspector.inspectProviderReturn(path: sample("isp/valid/example-cable-2024.txt"), encoding: nil)
    #expect(r.layout == .ispText)
    #expect(r.rows == 2)
    let p = try Self.draft(r)
    let text = try #require(p.ispText)
    #expect(text.recordStart.pattern == "^--- RECORD (?<number>[0-9]+) ---$")
    #expect(text.end?.pattern == "^--- END OF RECORDS ---$")
    #expect(text.count != nil)
    #expect(text.zoneStatements.map(\.zoneIdentifier) == ["America/New_York"])
    #expect(r.columns.map(\.name).contains("Account Number"))
    // The lease is in a sentence, which inspect cannot map: it says so, citing the line.
    #expect(r.notes.contains { $0.contains("not label pairs (first: line 18)") })
  }

  @Test func aRecordsPageIsRecognisedByItsPropertyDivs() throws {
    let path = sample("isp/valid/demo-chat-records.html")
    let r = try Inspector.inspectProviderReturn(path: path, encoding: nil)
    #expect(r.layout == .ispHTML)
    let p = try Self.draft(r)
    #expect(p.ispHTML?.sections.map(\.id) == ["ip_addresses"])
    #expect(p.ispHTML?.sections.first?.entryStart == "IP Address")
    // The draft reads the three logins.
    let dir = makeTemporaryDirectory("isp-draft")
    let profile = dir.appendingPathComponent("draft.json")
    try Data(Inspector.prettyJSON(r.draftProfile)).write(to: profile)
    let run = try runPipeline([path], to: .jsonl) { $0.profilePath = profile.path }
    #expect(run.report.inputs[0].read == 3)
    #expect(run.report.inputs[0].accepted == 3)
  }

  @Test func tablesAndLogsAreRecognised() throws {
    let tables = try Inspector.inspectProviderReturn(path: sample("isp/valid/test-social-2024.csv"), encoding: nil)
    #expect(tables.layout == .ispSectioned)
    #expect(try Self.draft(tables).ispSectioned?.sections.count == 2)
    #expect(tables.notes.contains { $0.contains("times carry no zone") })
    let log = try Inspector.inspectProviderReturn(path: sample("isp/valid/placeholder-games-2024.log"), encoding: nil)
    #expect(log.layout == .ispLog)
    #expect(try Self.draft(log).layout == .ispLog)
  }
}
