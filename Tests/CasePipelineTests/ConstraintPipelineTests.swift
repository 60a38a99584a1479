import CaseBridge
import CaseTestSupport
import Foundation
import Testing

/// Issue 14 item 1, field constraints through profiles: each constraint accepts its boundary values and quarantines
/// the first value past them with its rule and the cell's location, in CSV and in a JSON layout.
@Suite struct ConstraintPipelineTests {
  static let csvProfile = """
    {"profileVersion": "1.0", "id": "constraints-csv", "layout": {"kind": "csv"}, "unmapped": "drop",
     "records": [
      {"entity": "case", "fields": {
        "caseNumber": {"column": "report_no", "required": true, "constraints": [
          {"pattern": "^RPT-[0-9]{4}-[0-9]{5}$", "rule": "report-number.format", "message": "report number is not RPT-YYYY-NNNNN"}]},
        "externalIdentifier": {"column": "entry_ref", "constraints": [{"pattern": "[A-Z]{2}[0-9]{8}"}, {"maxBytes": 10}]},
        "externalSystem": {"constant": "Example RMS"},
        "status": {"column": "status", "constraints": [{"enum": ["Open", "Closed"], "caseInsensitive": true}]},
        "title": {"column": "title", "constraints": [{"minLength": 2, "maxLength": 5}]}
      }},
      {"entity": "person", "optional": true, "fields": {
        "family": {"column": "family"},
        "approximateAge": {"column": "age", "constraints": [{"minimum": 0, "maximum": 17.5}]}
      }}
     ]}
    """

  static func run(_ profile: String, _ body: String, ext: String, to: FormatID? = nil) throws -> RunResult {
    let dir = makeTemporaryDirectory("constraints")
    let p = dir.appendingPathComponent("profile.json")
    try Data(profile.utf8).write(to: p)
    let input = dir.appendingPathComponent("input.\(ext)")
    try Data(body.utf8).write(to: input)
    return try runPipeline([input.path], to: to) { $0.profilePath = p.path }
  }

  /// Record index → (rule, line, field) of its first error.
  static func errors(_ r: RunResult) throws -> [Int: (String, Int, String)] {
    var out: [Int: (String, Int, String)] = [:]
    for d in try r.diagnostics() where d.string("severity") == "error" {
      guard case .number(let n)? = d["record"], let k = n.int64Value else { continue }
      if out[Int(k)] == nil { out[Int(k)] = (d.string("rule") ?? "", d.int("line") ?? -1, d.string("field") ?? "") }
    }
    return out
  }

  @Test func csvConstraintsAcceptBoundariesAndQuarantineThePastThem() throws {
    let rows = [
      "RPT-2024-00017,AB12345678,open,ab,Example,0",  // 0: boundaries: min length 2, age 0, enum ignoring case
      "RPT-2024-00018,ZZ00000000,,abcde,Example,17",  // 1: max length 5, age 17 (maximum 17.5), empty status: no check
      "RPT-2024-0019,AB12345678,Open,ab,Example,1",  // 2: report number: agency rule and message
      "RPT-2024-00020,../../x,Open,ab,Example,1",  // 3: path-like key fails the pattern
      "RPT-2024-00021,/etc/passwd,Open,ab,Example,1",  // 4
      "RPT-2024-00022,..\\x,Open,ab,Example,1",  // 5
      "RPT-2024-00023,AB123456789,Open,ab,Example,1",  // 6: pattern (one digit too many)
      "RPT-2024-00024,AB12345678,Pending,ab,Example,1",  // 7: enum
      "RPT-2024-00025,AB12345678,Open,a,Example,1",  // 8: length below
      "RPT-2024-00026,AB12345678,Open,abcdef,Example,1",  // 9: length above
      "RPT-2024-00027,AB12345678,Open,ab,Example,18",  // 10: range above
      "RPT-2024-00028,AB12345678,Open,ab,Example,-1",  // 11: range below
      "RPT-2024-00029,AB12345678,Open,ab,Example,1e1",  // 12: not a plain decimal
      "RPT-2024-00030,AB12345678,Open,ab,Example,17",  // 13
    ]
    let r = try Self.run(Self.csvProfile, "report_no,entry_ref,status,title,family,age\n" + rows.joined(separator: "\n") + "\n", ext: "csv")
    let e = try Self.errors(r)
    let expected: [Int: (String, String)] = [
      2: ("report-number.format", "report_no"), 3: ("field.pattern", "entry_ref"), 4: ("field.pattern", "entry_ref"),
      5: ("field.pattern", "entry_ref"), 6: ("field.pattern", "entry_ref"), 7: ("field.enum", "status"),
      8: ("field.length", "title"), 9: ("field.length", "title"), 10: ("field.range", "age"), 11: ("field.range", "age"),
      12: ("field.range", "age"),
    ]
    #expect(Set(e.keys) == Set(expected.keys), "\(e.sorted { $0.key < $1.key })")
    for (k, (rule, field)) in expected {
      #expect(e[k]?.0 == rule && e[k]?.2 == field, "record \(k): \(String(describing: e[k]))")
      #expect(e[k]?.1 == k + 2, "record \(k) is located at its line")
    }
    // The agency's words, and never the value.
    let messages = try r.diagnostics().compactMap { $0.string("message") }
    #expect(messages.contains { $0.contains("report number is not RPT-YYYY-NNNNN") })
    #expect(!messages.contains { $0.contains("../../x") || $0.contains("/etc/passwd") || $0.contains("Pending") })
    // entry_ref AB123456789 breaks both its pattern and maxBytes 10: both are reported.
    let six = try r.diagnostics().filter { $0.int("record") == 6 }.compactMap { $0.string("rule") }
    #expect(six.sorted() == ["field.length", "field.pattern"])
    #expect(r.report.inputs[0].accepted == 3)
    // No quarantine or output file is named after a key.
    let names = try FileManager.default.contentsOfDirectory(atPath: r.quarantine.path)
    #expect(!names.contains { $0.contains("passwd") || $0.contains("..") })
  }

  /// Dates of birth between 1900-01-01 and today, opening times no later than a day before --now (2026-01-01T00:00Z),
  /// and a unique entry reference across the run's inputs.
  @Test func timeBoundsAndUniqueValues() throws {
    let profile = """
      {"profileVersion": "1.0", "id": "bounds", "layout": {"kind": "csv"}, "unmapped": "drop",
       "records": [
        {"entity": "person", "fields": {
          "family": {"column": "family", "required": true},
          "dateOfBirth": {"column": "dob", "constraints": [{"notBefore": "1900-01-01", "notAfter": "now"}]}
        }},
        {"entity": "case", "optional": true, "fields": {
          "caseNumber": {"column": "entry_ref", "constraints": [{"unique": true, "rule": "entry-ref.duplicate", "message": "entry reference used twice"}]},
          "openedAt": {"column": "opened", "constraints": [{"notAfter": "now-1d"}, {"notBefore": "2000-01-01T00:00:00-05:00"}]}
        }}
       ]}
      """
    let dir = makeTemporaryDirectory("bounds")
    let p = dir.appendingPathComponent("profile.json")
    try Data(profile.utf8).write(to: p)
    let a = dir.appendingPathComponent("a.csv")
    let b = dir.appendingPathComponent("b.csv")
    try Data("""
      family,dob,entry_ref,opened
      Example,1900-01-01,AB00000001,2025-12-31T00:00:00Z
      Example,2026-01-01,AB00000002,2000-01-01T05:00:00Z
      Example,1899-12-31,AB00000003,2024-01-01T00:00:00Z
      Example,2026-01-02,AB00000004,2024-01-01T00:00:00Z
      Example,1980-01-01,AB00000005,2025-12-31T00:00:01Z
      Example,1980-01-01,AB00000006,2000-01-01T04:59:59Z
      Example,1980-01-01,AB00000001,2024-01-01T00:00:00Z

      """.utf8).write(to: a)
    try Data("family,dob,entry_ref,opened\nExample,1980-01-01,AB00000002,2024-01-01T00:00:00Z\nExample,1980-01-01,AB00000003,2024-01-01T00:00:00Z\n".utf8).write(to: b)
    let r = try runPipeline([a.path, b.path]) { $0.profilePath = p.path }
    let e = try Self.errors(r)
    #expect(e.mapValues(\.0) == [2: "field.range", 3: "field.range", 4: "field.range", 5: "field.range", 6: "entry-ref.duplicate"], "\(e)")
    #expect(e[6]?.1 == 8 && e[6]?.2 == "entry_ref")
    let six = try r.diagnostics().first { $0.int("record") == 6 }?.string("message") ?? ""
    #expect(six.contains("entry reference used twice") && six.contains("first accepted at a.csv:2"), "\(six)")
    // Across inputs: AB00000002 was accepted in a.csv; AB00000003 was quarantined there, so b.csv's is the first.
    let other = try r.diagnostics(1)
    #expect(other.filter { $0.string("severity") == "error" }.map { $0.int("record") } == [0], "\(other)")
    #expect(r.report.inputs.map(\.accepted) == [2, 1])
  }

  /// A column no field reads (kept as an extra) is held to the profile's `columns` constraints.
  @Test func columnsKeptAsExtrasAreConstrained() throws {
    let profile = """
      {"profileVersion": "1.0", "id": "extras", "layout": {"kind": "csv"}, "unmapped": "keep",
       "columns": {"entry_ref": [{"pattern": "[A-Z]{2}[0-9]{8}", "rule": "entry-ref.format"}, {"unique": true}]},
       "records": [{"entity": "person", "fields": {"family": {"column": "family", "required": true}}}]}
      """
    let body = "family,entry_ref,note\nExample,AB00000001,x\nExample,../../x,y\nExample,AB00000001,z\nExample,,w\n"
    let r = try Self.run(profile, body, ext: "csv", to: .jsonl)
    let e = try Self.errors(r)
    #expect(e.mapValues(\.0) == [1: "entry-ref.format", 2: "field.not-unique"], "\(e)")
    #expect(e[1]?.2 == "entry_ref" && e[1]?.1 == 3)
    #expect(r.report.inputs[0].accepted == 2)
    // The accepted value is still kept as an extra.
    #expect(String(decoding: r.output, as: UTF8.self).contains(#"{"name":"entry_ref","value":"AB00000001"}"#))
  }

  /// The conformance sample: an agency contact export with a kind/value pair and the agency's conventions. Each
  /// kind reaches its own entity with that entity's full validation; an unknown kind, a bad key, a bad report
  /// number, an unknown relationship, impossible births and a repeated entry reference are quarantined with the
  /// agency's rule ids.
  @Test func theContactSampleRoutesEachKindAndQuarantinesNonConformingRows() throws {
    let r = try runPipeline([sample("csv/conformance/agency-contacts.csv")], to: .jsonl) {
      $0.profilePath = Repo.schemas.appendingPathComponent("profiles/agency-contacts.json").path
    }
    let e = try Self.errors(r)
    #expect(e.mapValues(\.0) == [
      5: "entry-ref.format", 6: "report-number.format", 7: "relationship.unknown", 8: "dob.range", 9: "dob.range",
      10: "ip.invalid", 11: "email.invalid", 12: "profile.no-mapping", 13: "entry-ref.duplicate",
    ], "\(e.sorted { $0.key < $1.key })")
    // One finding per broken rule: the relationship is not also judged by its value map.
    #expect(try r.diagnostics().filter { $0.int("record") == 7 }.count == 1)
    #expect(e[12]?.2 == "contact_kind" && e[12]?.1 == 14)
    let input = r.report.inputs[0]
    #expect(input.read == 14 && input.accepted == 5 && input.quarantined == 9)
    // email, phone, ipv4, ipv6, handle: each to its entity type.
    #expect(input.entities[.onlineIdentifier] == 2 && input.entities[.ipObservation] == 2 && input.entities[.account] == 1)
    #expect(input.entities[.person] == 5 && input.entities[.roleAssignment] == 5 && input.entities[.case] == 3)
    let out = String(decoding: r.output, as: UTF8.self)
    #expect(out.contains(#""kind":"phone","value":"+1 202-555-0110","normalized":"+12025550110""#))
    #expect(!out.contains("contact_kind"), "the kind column is read by the conditions, not kept as an extra")
  }

  @Test func whenRoutesTreeRecordsAndOtherwiseTakesTheRest() throws {
    let profile = """
      {"profileVersion": "1.0", "id": "when-json", "layout": {"kind": "json", "json": {"records": "/contacts"}},
       "unmapped": "drop",
       "records": [
        {"entity": "onlineIdentifier", "when": {"any": [{"column": "/kind", "equals": "mail"}, {"column": "/kind", "equals": "e-mail"}]},
         "fields": {"kind": {"constant": "email"}, "value": {"column": "/value", "required": true}}},
        {"entity": "onlineIdentifier", "when": {"all": [{"column": "/kind", "matches": "ph.*"}, {"column": "/value", "notEmpty": true}]},
         "fields": {"kind": {"constant": "phone"}, "value": {"column": "/value"}}},
        {"entity": "onlineIdentifier", "otherwise": true,
         "fields": {"kind": {"constant": "other"}, "value": {"column": "/value", "required": true}}}
       ]}
      """
    let body = """
      {"contacts": [
        {"kind": "mail", "value": "a@example.com"},
        {"kind": "e-mail", "value": "broken"},
        {"kind": "phone", "value": "+1 202-555-0123"},
        {"kind": "pager", "value": "12345"},
        {"kind": "phone"}
      ]}
      """
    let r = try Self.run(profile, body, ext: "json", to: .jsonl)
    let e = try Self.errors(r)
    // Record 4: a phone without a value is not a phone (all), so `otherwise` takes it, and it requires a value.
    #expect(e.mapValues(\.0) == [1: "email.invalid", 4: "field.missing"], "\(e)")
    let out = String(decoding: r.output, as: UTF8.self)
    #expect(out.contains(#""kind":"email","value":"a@example.com""#) && out.contains(#""kind":"phone""#) && out.contains(#""kind":"other","value":"12345""#))
  }

  @Test(arguments: [
    (#""when": {"column": "k", "like": "x"}"#, "profile.invalid"), (#""when": {"column": "k"}"#, "profile.invalid"),
    (#""when": {"any": []}"#, "profile.invalid"), (#""when": {"column": "k", "matches": "(a"}"#, "profile.invalid-pattern"),
    (#""otherwise": true"#, "profile.invalid"), (#""when": {"column": "k", "in": ["a"]}, "otherwise": true"#, "profile.invalid"),
    (#""when": {"column": "k", "empty": false}"#, "profile.invalid"),
  ])
  func aBadConditionIsALocatedProfileError(member: String, rule: String) throws {
    let text = """
      {"profileVersion": "1.0", "id": "bad", "layout": {"kind": "csv"},
       "records": [
        {"entity": "case", \(member), "fields": {"caseNumber": {"column": "no"}}}]}
      """
    #expect {
      _ = try ProfileLoader.load(bytes: Array(text.utf8), source: "bad.json", sha256: "")
    } throws: { error in
      guard let e = error as? ProfileError else { return false }
      return e.rule == rule && e.description.hasPrefix("bad.json:")
    }
  }

  @Test func jsonLayoutConstraintsAreLocatedAtTheirMember() throws {
    let profile = """
      {"profileVersion": "1.0", "id": "constraints-json", "layout": {"kind": "json", "json": {"records": "/incidents"}},
       "unmapped": "drop",
       "records": [{"entity": "case", "fields": {
         "caseNumber": {"column": "/no", "required": true, "constraints": [{"pattern": "CASE-\\\\d{4}-\\\\d{6}", "rule": "case-number.format", "message": "case number is not CASE-YYYY-NNNNNN"}]},
         "status": {"column": "/status", "constraints": [{"enum": ["open", "closed"]}]}
       }}]}
      """
    let body = """
      {"incidents": [
        {"no": "CASE-2024-000017", "status": "open"},
        {"no": "CASE-2024-17", "status": "open"},
        {"no": "CASE-2024-000018", "status": "Open"}
      ]}
      """
    let r = try Self.run(profile, body, ext: "json")
    let e = try Self.errors(r)
    #expect(e[1]?.0 == "case-number.format" && e[1]?.1 == 3, "\(e)")
    #expect(e[2]?.0 == "field.enum" && e[2]?.1 == 4, "\(e)")
    #expect(e[0] == nil)
    #expect(r.report.inputs[0].accepted == 1)
  }

  @Test(arguments: [
    (#"{"pattern": "(a"}"#, "profile.invalid-pattern"), (#"{"pattern": "\\1"}"#, "profile.invalid-pattern"),
    (#"{"enum": []}"#, "profile.invalid"), (#"{"pattern": "a", "enum": ["a"]}"#, "profile.invalid"),
    (#"{"minLength": 3, "maxLength": 2}"#, "profile.invalid"), (#"{"pattern": "a", "rule": "csv.mine"}"#, "profile.invalid"),
    (#"{"pattern": "a", "rule": "Mine"}"#, "profile.invalid"), (#"{"maxBytes": 0}"#, "profile.invalid"),
    (#"{"caseInsensitive": true, "maxBytes": 3}"#, "profile.invalid"), (#"{"minimum": "1"}"#, "profile.invalid"),
    (#"{"notBefore": "1900-01-01"}"#, "profile.invalid"), (#"{"unique": false}"#, "profile.invalid"),
    (#"{"pattern": "(?<name>a)"}"#, "profile.invalid-pattern"),
  ])
  func aBadConstraintIsALocatedProfileError(constraint: String, rule: String) throws {
    let text = """
      {"profileVersion": "1.0", "id": "bad", "layout": {"kind": "csv"},
       "records": [{"entity": "case", "fields": {
         "caseNumber": {"column": "no", "constraints": [
           \(constraint)]}}}]}
      """
    #expect {
      _ = try ProfileLoader.load(bytes: Array(text.utf8), source: "bad.json", sha256: "")
    } throws: { error in
      guard let e = error as? ProfileError else { return false }
      return e.rule == rule && e.line == 4 && e.description.hasPrefix("bad.json:4:")
    }
  }
}
