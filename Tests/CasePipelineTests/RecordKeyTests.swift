import CaseBridge
import CaseTestSupport
import Foundation
import Testing

/// Record keys (profile `key` + `sourceSystem`): keyed ids from (source system, type, key values), one entity per key
/// in a run, `record.duplicate-key` for a key seen again with other content, `record.key-missing`, `recordKey` in
/// diagnostics, for CSV, tree and provider layouts.
@Suite struct RecordKeyTests {
  static let profile = Repo.schemas.appendingPathComponent("profiles/rms-keyed-cases.json").path
  static let input = "csv/valid/rms-keyed-cases.csv"

  /// The entities of a JSON Lines output.
  static func entities(_ bytes: [UInt8]) throws -> [JSONObject] {
    try bytes.split(separator: 0x0A).map { line in
      guard case .object(let o) = try JSONParser().parse(Array(line)) else { throw CocoaError(.coderInvalidValue) }
      return o
    }
  }

  static func keyedID(_ system: String, _ type: String, _ values: [String]) -> String {
    DeterministicID.keyedID("key:\(system):\(type):" + values.map { "\($0.utf8.count):\($0)" }.joined()).rawValue
  }

  static func write(_ text: String, _ name: String, in dir: URL) throws -> String {
    let url = dir.appendingPathComponent(name)
    try Data(text.utf8).write(to: url)
    return url.path
  }

  @Test func rowsRepeatingOneKeyedCaseYieldOneCaseEntityEveryPersonReferences() throws {
    let result = try runPipeline([sample(Self.input)], to: .jsonl) { $0.profilePath = Self.profile }
    let input = result.report.inputs[0]
    #expect(input.read == 6 && input.accepted == 4 && input.quarantined == 2)
    let out = try Self.entities(result.output)
    let cases = out.filter { $0.string("type") == "case" }
    // Two cases over four accepted rows; NF-2025-0042 (three accepted rows) is one entity with its keyed id.
    #expect(cases.count == 2)
    let c42 = Self.keyedID("northfield-rms", "case", ["NF-2025-0042"])
    #expect(cases.filter { $0.string("caseNumber") == "NF-2025-0042" }.map { $0.string("id") } == [c42])
    #expect(out.filter { $0.string("type") == "agency" }.count == 1)
    // P-1001 is in both cases with the same content: one person.
    let persons = out.filter { $0.string("type") == "person" }
    #expect(persons.count == 3)
    #expect(Set(persons.compactMap { $0.string("id") }).count == 3)
    // Every accepted row's role assignment names its row's person and case by their keyed ids.
    let roles = out.filter { $0.string("type") == "roleAssignment" }
    #expect(roles.count == 4)
    #expect(roles.filter { $0.string("caseId") == c42 }.count == 3)
    let personIDs = Set(persons.compactMap { $0.string("id") })
    #expect(roles.allSatisfy { personIDs.contains($0.string("personId") ?? "") })
    #expect(roles.contains { $0.string("personId") == Self.keyedID("northfield-rms", "person", ["P-1001"]) && $0.string("caseId") == Self.keyedID("northfield-rms", "case", ["NF-2025-0043"]) })
    // The report counts what was written.
    #expect(input.entities[.case] == 2 && input.entities[.person] == 3 && input.entities[.agency] == 1 && input.entities[.roleAssignment] == 4)
    #expect(out.count == 10)
  }

  @Test func repeatedKeyWithOtherContentIsQuarantinedNamingTheFirstOccurrence() throws {
    let result = try runPipeline([sample(Self.input)], to: .jsonl) { $0.profilePath = Self.profile }
    let d = try result.diagnostics()
    let dup = try #require(d.first { $0.string("rule") == "record.duplicate-key" })
    #expect(dup.int("line") == 7)
    #expect(dup.string("recordKey") == "P-1002")
    let message = dup.string("message") ?? ""
    #expect(message.contains("rms-keyed-cases.csv:3"))
    #expect(!message.contains("Sampleton") && !message.contains("P-1002"))
    // The members keep their order: recordKey right after recordId.
    let keys = dup.members.map(\.key)
    #expect(keys.firstIndex(of: "recordKey") == keys.firstIndex(of: "recordId").map { $0 + 1 })
    // The quarantine holds the later row, not the first.
    let rejected = String(decoding: result.rejected() ?? [], as: UTF8.self)
    #expect(rejected.contains("Sampletonne") && !rejected.contains("Sampleton,"))
    // Identity is no semantic rule: --no-validate keeps the check.
    let unvalidated = try runPipeline([sample(Self.input)], to: .jsonl, validate: false) { $0.profilePath = Self.profile }
    #expect(unvalidated.report.inputs[0].rules["record.duplicate-key"] == 1)
  }

  @Test func missingKeyValueIsQuarantinedAtTheKeyColumn() throws {
    let result = try runPipeline([sample(Self.input)], to: .jsonl) { $0.profilePath = Self.profile }
    let d = try result.diagnostics()
    let missing = try #require(d.first { $0.string("rule") == "record.key-missing" })
    #expect(missing.string("field") == "record_id")
    #expect(missing.int("line") == 6)
    #expect(missing.int("column") == 83)  // the empty record_id cell
    // The record's first keyed entity is the one without a key: no recordKey.
    #expect(missing.string("recordKey") == nil)
    #expect(result.report.inputs[0].rules["record.key-missing"] == 1)
  }

  @Test func everyFindingOfAKeyedRecordCarriesItsRecordKey() throws {
    let dir = makeTemporaryDirectory("keys")
    let csv = try Self.write(
      "agency_id,agency_name,case_number,case_title,opened,record_id,first_name,last_name,email,role\n"
        + "NF-PD,Northfield Police (fictional),NF-2025-0050,Bad mail,2025-11-04 09:00,P-2001,Testy,McTestface,not-an-email,victim\n",
      "bad.csv", in: dir)
    let result = try runPipeline([csv], to: .jsonl) { $0.profilePath = Self.profile }
    let d = try result.diagnostics()
    #expect(!d.isEmpty)
    #expect(d.allSatisfy { $0.string("recordKey") == "P-2001" })
  }

  @Test func theSameRecordInTwoFilesGetsTheSameID() throws {
    let dir = makeTemporaryDirectory("keys")
    let header = "agency_id,agency_name,case_number,case_title,opened,record_id,first_name,last_name,email,role\n"
    let row = "NF-PD,Northfield Police (fictional),NF-2025-0042,Account takeover,2025-11-02 08:15,P-1001,Testy,McTestface,testy@example.com,reportedUser\n"
    let other = "NF-PD,Northfield Police (fictional),NF-2025-0044,Other case,2025-11-05 10:00,P-3001,Fakey,Sampleton,,victim\n"
    let a = try Self.write(header + row, "monday.csv", in: dir)
    let b = try Self.write(header + other + row, "tuesday.csv", in: dir)
    let runA = try runPipeline([a], to: .jsonl) { $0.profilePath = Self.profile }
    let runB = try runPipeline([b], to: .jsonl) { $0.profilePath = Self.profile }
    func ids(_ r: RunResult, _ type: String) throws -> Set<String> {
      Set(try Self.entities(r.output).filter { $0.string("type") == type }.compactMap { $0.string("id") })
    }
    let person = Self.keyedID("northfield-rms", "person", ["P-1001"])
    #expect(try ids(runA, "person") == [person])
    #expect(try ids(runB, "person").contains(person))
    #expect(try ids(runA, "case").isSubset(of: try ids(runB, "case")))
    // Unkeyed entities keep content-derived ids: the role assignments of the two files differ.
    #expect(try ids(runA, "roleAssignment").isDisjoint(with: try ids(runB, "roleAssignment")))
    // Both files in one run: the repeated keyed entities are written once, nothing is quarantined.
    let both = try runPipeline([a, b], to: .jsonl) { $0.profilePath = Self.profile }
    #expect(both.report.exitCode == 0)
    #expect(both.report.inputs.allSatisfy { $0.quarantined == 0 })
    let out = try Self.entities(both.output)
    #expect(out.filter { $0.string("id") == person }.count == 1)
    #expect(both.report.inputs[1].entities[.person] == 1 && both.report.inputs[1].entities[.agency] == nil)
  }

  @Test func keyWithoutSourceSystemIsALocatedProfileError() throws {
    let dir = makeTemporaryDirectory("keys")
    let profile = try Self.write("""
      {
        "profileVersion": "1.0",
        "id": "no-system",
        "layout": {"kind": "csv"},
        "records": [
          {"entity": "case", "key": ["case_number"], "fields": {"caseNumber": {"column": "case_number"}}}
        ]
      }
      """, "p.json", in: dir)
    let result = try runPipeline([sample(Self.input)]) { $0.profilePath = profile }
    #expect(result.report.exitCode == 78)
    let error = result.report.error ?? ""
    #expect(error.contains("p.json:6:"), "\(error)")
    #expect(error.contains("sourceSystem") && error.contains("profile.invalid"))
  }

  @Test func keysThatNameNoReadableSourceAreLocatedProfileErrors() throws {
    let dir = makeTemporaryDirectory("keys")
    // A JSON key is a pointer; an XML key a relative path; a letter's key a label a field reads.
    let cases: [(String, String, String)] = [
      (#"{"kind": "json", "json": {"records": "/incidents"}}"#, #"["incidentNo"]"#, "not a JSON pointer"),
      (#"{"kind": "xml", "xml": {"records": "/Export/Incident"}}"#, #"["/Incident/@id"]"#, "not an element path"),
      (#"{"kind": "csv"}"#, #"[]"#, "non-empty array"),
      (#"{"kind": "csv"}"#, #"["case_number", "case_number"]"#, "distinct"),
      (#"{"kind": "csv", "csv": {"header": false}}"#, #"["case_number"]"#, "no header"),
    ]
    for (i, (layout, key, words)) in cases.enumerated() {
      let profile = try Self.write("""
        {
          "profileVersion": "1.0",
          "id": "bad-key",
          "sourceSystem": "northfield-rms",
          "layout": \(layout),
          "records": [
            {"entity": "case",
             "key": \(key), "fields": {"caseNumber": {"column": "case_number"}}}
          ]
        }
        """, "p\(i).json", in: dir)
      let bytes = try readBytes(URL(fileURLWithPath: profile))
      do {
        _ = try ProfileLoader.load(bytes: bytes, source: profile, sha256: sha256Hex(bytes))
        Issue.record("profile \(i) loaded")
      } catch {
        #expect(error.line == 8, "\(error.description)")
        #expect(error.message.contains(words), "\(error.description)")
      }
    }
    // Through the pipeline: exit 78.
    let result = try runPipeline([sample(Self.input)]) { $0.profilePath = dir.appendingPathComponent("p0.json").path }
    #expect(result.report.exitCode == 78)
  }

  @Test func aKeyColumnMissingFromTheHeaderRejectsTheInput() throws {
    let dir = makeTemporaryDirectory("keys")
    let text = try String(contentsOfFile: Self.profile, encoding: .utf8).replacingOccurrences(of: #""key": ["record_id"]"#, with: #""key": ["person_ref"]"#)
    let profile = try Self.write(text, "renamed.json", in: dir)
    let result = try runPipeline([sample(Self.input)], to: .jsonl) { $0.profilePath = profile }
    #expect(result.report.inputs[0].error?.rule == "profile.column-missing")
    #expect(result.report.inputs[0].error?.location.field == "person_ref")
    #expect(result.report.exitCode == 65)
  }

  @Test func unkeyedProfilesKeepContentDerivedIDs() throws {
    let text = try String(contentsOfFile: Self.profile, encoding: .utf8)
      .replacingOccurrences(of: #""key": ["record_id"], "#, with: "")
      .replacingOccurrences(of: #""key": ["case_number"], "#, with: "")
      .replacingOccurrences(of: #""key": ["agency_id"], "#, with: "")
      .replacingOccurrences(of: #""unmapped": "error""#, with: #""unmapped": "keep""#)
    let dir = makeTemporaryDirectory("keys")
    let profile = try Self.write(text, "unkeyed.json", in: dir)
    let result = try runPipeline([sample(Self.input)], to: .jsonl) { $0.profilePath = profile }
    let out = try Self.entities(result.output)
    // Every accepted row writes its own case (6 rows, none quarantined), ids from the input's hash and position.
    #expect(out.filter { $0.string("type") == "case" }.count == 6)
    let sha = result.report.inputs[0].sha256 ?? ""
    #expect(out.first?.string("id") == DeterministicID.entityID(inputSha256: sha, record: 0, ordinal: 0).rawValue)
    #expect(try result.diagnostics().allSatisfy { $0["recordKey"] == nil })
  }

  @Test func keyedJSONLinesProfile() throws {
    let dir = makeTemporaryDirectory("keys")
    let profile = try Self.write("""
      {
        "profileVersion": "1.0",
        "id": "referrals-keyed",
        "sourceSystem": "hotline",
        "layout": {"kind": "jsonl"},
        "records": [
          {"entity": "case", "key": ["/ref"], "fields": {"caseNumber": {"column": "/ref"}, "title": {"column": "/title"}}},
          {"entity": "onlineIdentifier", "fields": {"kind": {"constant": "email"}, "value": {"column": "/email"}}}
        ]
      }
      """, "p.json", in: dir)
    let input = try Self.write("""
      {"ref": "H-1", "title": "Tip", "email": "a@example.com"}
      {"ref": "H-1", "title": "Tip", "email": "b@example.com"}
      {"ref": "H-1", "title": "Changed", "email": "c@example.com"}
      {"title": "No ref", "email": "d@example.com"}

      """, "tips.jsonl", in: dir)
    let result = try runPipeline([input], to: .jsonl) { $0.profilePath = profile }
    let out = try Self.entities(result.output)
    #expect(out.filter { $0.string("type") == "case" }.map { $0.string("id") } == [Self.keyedID("hotline", "case", ["H-1"])])
    #expect(out.filter { $0.string("type") == "onlineIdentifier" }.count == 2)
    let rules = try result.diagnostics().compactMap { $0.string("rule") }
    #expect(rules.sorted() == ["record.duplicate-key", "record.key-missing"])
    let dup = try #require(try result.diagnostics().first { $0.string("rule") == "record.duplicate-key" })
    #expect(dup.string("recordKey") == "H-1")
    #expect(dup.string("message")?.contains("tips.jsonl:1") == true)
  }

  @Test func keyedXMLProfile() throws {
    let dir = makeTemporaryDirectory("keys")
    let profile = try Self.write("""
      {
        "profileVersion": "1.0",
        "id": "cad-keyed",
        "sourceSystem": "lakeside-cad",
        "layout": {"kind": "xml", "xml": {"records": "/Export/Incident"}},
        "records": [
          {"entity": "case", "key": ["@number", "Unit"], "fields": {"caseNumber": {"column": "@number"}, "title": {"column": "Unit"}}},
          {"entity": "event", "fields": {"kind": {"constant": "dispatch"}, "description": {"column": "Note"}, "caseId": {"entity": 0}}}
        ]
      }
      """, "p.json", in: dir)
    let input = try Self.write("""
      <?xml version="1.0"?>
      <Export>
        <Incident number="L-7"><Unit>K|9</Unit><Note>first</Note></Incident>
        <Incident number="L-7"><Unit>K|9</Unit><Note>second</Note></Incident>
      </Export>

      """, "cad.xml", in: dir)
    let result = try runPipeline([input], to: .jsonl) { $0.profilePath = profile }
    #expect(result.report.exitCode == 0)
    let out = try Self.entities(result.output)
    let caseID = Self.keyedID("lakeside-cad", "case", ["L-7", "K|9"])
    #expect(out.filter { $0.string("type") == "case" }.map { $0.string("id") } == [caseID])
    #expect(out.filter { $0.string("type") == "event" }.allSatisfy { $0.string("caseId") == caseID })
    #expect(out.filter { $0.string("type") == "event" }.count == 2)
  }

  @Test func keyedProviderLogProfile() throws {
    let dir = makeTemporaryDirectory("keys")
    let shipped = Repo.schemas.appendingPathComponent("profiles/providers/placeholder-games-iplog.json")
    let text = try String(contentsOf: shipped, encoding: .utf8)
      .replacingOccurrences(of: #""unmapped": "keep","#, with: #""unmapped": "keep", "sourceSystem": "placeholder-games","#)
      .replacingOccurrences(of: #"{"entity": "account", "fields""#, with: #"{"entity": "account", "key": ["user_id"], "fields""#)
    #expect(text.contains(#""key": ["user_id"]"#))
    let profile = try Self.write(text, "games-keyed.json", in: dir)
    let result = try runPipeline([sample("isp/valid/placeholder-games-2024.log")], to: .jsonl) { $0.profilePath = profile }
    let out = try Self.entities(result.output)
    let accounts = out.filter { $0.string("type") == "account" }
    // One account per user id, however many log lines it has; every observation references its keyed id.
    #expect(Set(accounts.compactMap { $0.string("accountIdentifier") }).count == accounts.count)
    let hero = Self.keyedID("placeholder-games", "account", ["90417733"])
    #expect(accounts.filter { $0.string("id") == hero }.count == 1)
    #expect(out.filter { $0.string("type") == "ipObservation" && $0.string("accountId") == hero }.count >= 2)
    #expect(result.report.inputs[0].rules["record.duplicate-key"] == nil)
  }

  @Test func keyedProviderLetterProfile() throws {
    let dir = makeTemporaryDirectory("keys")
    let shipped = Repo.schemas.appendingPathComponent("profiles/providers/example-cable-letter.json")
    let text = try String(contentsOf: shipped, encoding: .utf8)
      .replacingOccurrences(of: #""unmapped": "keep","#, with: #""unmapped": "keep", "sourceSystem": "example-cable","#)
      .replacingOccurrences(of: #"{"entity": "person", "role": "subscriber", "fields""#, with: #"{"entity": "person", "role": "subscriber", "key": ["Account Number"], "fields""#)
    #expect(text.contains(#""key": ["Account Number"]"#))
    let profile = try Self.write(text, "letter-keyed.json", in: dir)
    let unkeyed = try runPipeline([sample("isp/valid/example-cable-2024.txt")], to: .jsonl) { $0.profilePath = shipped.path }
    let result = try runPipeline([sample("isp/valid/example-cable-2024.txt")], to: .jsonl) { $0.profilePath = profile }
    #expect(result.report.inputs[0].accepted == unkeyed.report.inputs[0].accepted)
    let out = try Self.entities(result.output)
    let assignments = out.filter { $0.string("type") == "ipAssignment" }
    #expect(!assignments.isEmpty)
    // Each assignment's subscriber is the person keyed by the record's account number.
    for a in assignments {
      let account = try #require(a.string("accountNumber"))
      #expect(a.string("subscriberPersonId") == Self.keyedID("example-cable", "person", [account]))
    }
    // A label no field reads cannot be a key.
    let bad = try Self.write(text.replacingOccurrences(of: #""key": ["Account Number"]"#, with: #""key": ["Acct No"]"#), "bad.json", in: dir)
    let rejected = try runPipeline([sample("isp/valid/example-cable-2024.txt")]) { $0.profilePath = bad }
    #expect(rejected.report.exitCode == 78)
    #expect(rejected.report.error?.contains("Acct No") == true)
  }

  @Test func aYAMLProfileDeclaresKeysAsJSONDoes() throws {
    let dir = makeTemporaryDirectory("keys")
    let yaml = try Self.write("""
      profileVersion: "1.0"
      id: rms-keyed-cases
      sourceSystem: northfield-rms
      layout: {kind: csv}
      unmapped: keep
      records:
        - entity: case
          key: [case_number]
          fields:
            caseNumber: {column: case_number}
      """, "p.yaml", in: dir)
    let bytes = try readBytes(URL(fileURLWithPath: yaml))
    let p = try ProfileLoader.load(bytes: bytes, source: yaml, sha256: sha256Hex(bytes))
    #expect(p.sourceSystem == "northfield-rms")
    #expect(p.records[0].key?.map(\.name) == ["case_number"])
    let result = try runPipeline([sample(Self.input)], to: .jsonl) { $0.profilePath = yaml }
    #expect(try Self.entities(result.output).filter { $0.string("type") == "case" }.count == 2)
  }

  @Test func keyTextEscapesTheSeparator() {
    #expect(EntityKeyInfo.text(of: ["a|b", #"c\d"#, "e"]) == #"a\|b|c\\d|e"#)
    #expect(EntityKeyInfo.text(of: ["x"]) == "x")
  }

  @Test func inspectProposesAKeyForAUniqueFilledColumn() throws {
    let dir = makeTemporaryDirectory("keys")
    let csv = try Self.write("""
      report_id,md5,observed_at,ip
      R-1,d41d8cd98f00b204e9800998ecf8427e,2025-10-01T10:00:00Z,203.0.113.5
      R-2,0cc175b9c0f1b6a831c399e269772661,2025-10-01T11:00:00Z,203.0.113.5
      R-3,92eb5ffee6ae2fec3ad71c777531578f,2025-10-01T12:00:00Z,203.0.113.6

      """, "tips.csv", in: dir)
    let report = try Inspector.inspectCSV(path: csv, encoding: nil)
    guard case .object(let draft) = report.draftProfile, case .array(let records)? = draft["records"] else {
      Issue.record("no draft")
      return
    }
    #expect(draft.string("sourceSystem") == Inspector.draftSourceSystem)
    // The hash column is read by the draft's evidence file: it is proposed as that entity's key.
    let file = records.compactMap { v -> JSONObject? in if case .object(let o) = v, o.string("entity") == "evidenceFile" { o } else { nil } }.first
    #expect(file?["key"] == .array([.string("md5")]))
    // The unique report id is no draft field's source: a note names it as a candidate, with no value.
    #expect(report.notes.contains { $0.hasPrefix("report_id:") && $0.contains("candidate record key") })
    #expect(report.notes.contains { $0.hasPrefix("md5:") && $0.contains("confirm") })
    #expect(!report.notes.contains { $0.contains("R-1") || $0.contains("d41d8") })
    // Times and IPs are never proposed.
    #expect(!report.notes.contains { $0.hasPrefix("observed_at:") && $0.contains("key") })
    // The draft loads and converts as it is.
    let path = dir.appendingPathComponent("draft.json").path
    try Inspector.writeProfile(report.draftProfile, to: path)
    let result = try runPipeline([csv], to: .jsonl) { $0.profilePath = path }
    #expect(result.report.inputs[0].accepted == 3, "\(result.report.error ?? "")")
  }
}
