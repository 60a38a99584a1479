import CaseBridge
import CaseTestSupport
import Foundation
import Testing

/// The provider part of the profile language: shipped profiles load and validate against the profile schema, and
/// every mistake in an isp layout is a located profile error (exit 78).
@Suite struct ProviderProfileTests {
  static var providerProfiles: [URL] {
    let dir = Repo.schemas.appendingPathComponent("profiles/providers")
    let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
    return names.filter { $0.hasSuffix(".json") }.sorted().map { dir.appendingPathComponent($0) }
  }

  @Test func atLeastFiveProvidersCoverEveryLayout() throws {
    var kinds = Set<LayoutKind>()
    for url in Self.providerProfiles {
      let bytes = try readBytes(url)
      let p = try ProfileLoader.load(bytes: bytes, source: url.lastPathComponent, sha256: sha256Hex(bytes))
      kinds.insert(p.layout)
    }
    #expect(Self.providerProfiles.count >= 5)
    #expect(kinds == [.ispText, .ispLog, .ispSectioned, .ispHTML])
  }

  @Test func shippedProviderProfilesValidateAgainstTheSchema() throws {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = ["python3", Repo.root.appendingPathComponent("scripts/validate_schemas.py").path, Repo.schemas.appendingPathComponent("json").path]
      + Self.providerProfiles.flatMap { ["profile", $0.path] }
    let pipe = Pipe()
    p.standardOutput = pipe
    p.standardError = pipe
    try p.run()
    let out = String(decoding: pipe.fileHandleForReading.readToEndRetryingInterrupts(), as: UTF8.self)
    p.waitUntilExit()
    if p.terminationStatus == 3 || p.terminationStatus == 127 {
      if Repo.isCI { Issue.record("python3 with jsonschema is required in CI: \(out)") }
      return
    }
    #expect(p.terminationStatus == 0, "\(out)")
    #expect(out.contains("\(Self.providerProfiles.count) documents checked, 0 schema violations"))
  }

  static func loadError(_ json: String) -> ProfileError? {
    let bytes = Array(json.utf8)
    do {
      _ = try ProfileLoader.load(bytes: bytes, source: "p.json", sha256: sha256Hex(bytes))
      return nil
    } catch {
      return error
    }
  }

  static func text(_ layout: String, _ records: String) -> String {
    """
    {"profileVersion": "1.0", "id": "t",
     "layout": {"kind": "isp-text", "text": \(layout)},
     "records": [\(records)]}
    """
  }

  @Test func mistakesAreLocatedProfileErrors() throws {
    let cases: [(String, String, Int)] = [
      // A sentence capture no sentence has.
      (Self.text(#"{"record": "^R$", "sentences": ["^IP (?<ip>\\S+)$"]}"#, """
        {"entity": "ipAssignment", "fields": {
          "ip": {"sentence": "address"}}}
        """), "no sentence of layout.text has a capture named 'address'", 4),
      // A regular expression that does not compile.
      (Self.text(#"{"record": "^(R$"}"#, #"{"entity": "person", "fields": {"fullName": {"label": "Name"}}}"#), "'record' is not a valid regular expression", 2),
      // A count pattern without its capture.
      (Self.text(#"{"record": "^R$", "count": "Records: [0-9]+"}"#, #"{"entity": "person", "fields": {"fullName": {"label": "Name"}}}"#), "'count' needs a capture named count", 2),
      // One spelling in two label groups.
      (Self.text(#"{"record": "^R$"}"#, """
        {"entity": "person", "fields": {
          "fullName": {"label": "Name"},
          "notes": {"label": "Remarks", "aliases": ["name"]}}}
        """), "label 'name' belongs to label 'Name' and to label 'Remarks'", 5),
      // A column in a letter.
      (Self.text(#"{"record": "^R$"}"#, #"{"entity": "person", "fields": {"fullName": {"column": "Name"}}}"#), "a field of layout isp-text reads one of", 3),
      // A section a letter does not have.
      (Self.text(#"{"record": "^R$"}"#, #"{"entity": "person", "section": "ips", "fields": {"fullName": {"label": "Name"}}}"#), "an isp-text mapping's section is \"response\"", 3),
      // The response referencing a record entity.
      (Self.text(#"{"record": "^R$"}"#, """
        {"entity": "person", "fields": {"fullName": {"label": "Name"}}},
        {"entity": "ipAssignment", "section": "response", "fields": {"ip": {"label": "IP"}, "subscriberPersonId": {"entity": 0}}}
        """), "reference subscriberPersonId names entity 0 of another section", 4),
      // An isp-text layout without its options.
      (#"{"profileVersion": "1.0", "id": "t", "layout": {"kind": "isp-text"}, "records": [{"entity": "person", "fields": {"fullName": {"label": "N"}}}]}"#, "layout isp-text needs 'layout.text'", 1),
      // Options of another layout.
      (#"{"profileVersion": "1.0", "id": "t", "layout": {"kind": "isp-log", "text": {"record": "x"}}, "records": [{"entity": "person", "fields": {"fullName": {"column": "N"}}}]}"#, "'text' options are not for layout isp-log", 1),
      // A label in a CSV profile, a section in a CSV profile.
      (#"{"profileVersion": "1.0", "id": "t", "layout": {"kind": "csv"}, "records": [{"entity": "person", "fields": {"fullName": {"label": "N"}}}]}"#, "a field of layout csv reads one of", 1),
      (#"{"profileVersion": "1.0", "id": "t", "layout": {"kind": "csv"}, "records": [{"entity": "person", "section": "x", "fields": {"fullName": {"column": "N"}}}]}"#, "'section' is for isp-text, isp-sectioned and isp-html layouts", 1),
      // A sectioned mapping without its section, and one naming an undeclared section.
      (#"{"profileVersion": "1.0", "id": "t", "layout": {"kind": "isp-sectioned", "sectioned": {"sections": [{"id": "ips"}]}}, "records": [{"entity": "person", "fields": {"fullName": {"column": "N"}}}]}"#, "needs 'section' (one of: ips)", 1),
      (#"{"profileVersion": "1.0", "id": "t", "layout": {"kind": "isp-sectioned", "sectioned": {"sections": [{"id": "ips"}]}}, "records": [{"entity": "person", "section": "people", "fields": {"fullName": {"column": "N"}}}]}"#, "section 'people' is not declared", 1),
      // A zone statement naming an abbreviation, not an IANA zone.
      (Self.text(#"{"record": "^R$", "zoneStatements": [{"pattern": "Eastern", "zone": "EST"}]}"#, #"{"entity": "person", "fields": {"fullName": {"label": "N"}}}"#), "zone must be an IANA time zone", 2),
      // Value maps are not for references.
      (Self.text(#"{"record": "^R$"}"#, """
        {"entity": "person", "fields": {"fullName": {"label": "Name"}}},
        {"entity": "roleAssignment", "fields": {"personId": {"entity": 0, "values": {"a": "b"}}, "role": {"constant": "subscriber"}}}
        """), "'values' is not for reference targets", 4),
    ]
    for (json, message, line) in cases {
      let e = Self.loadError(json)
      #expect(e != nil, "accepted: \(message)")
      guard let e else { continue }
      #expect(e.message.contains(message), "\(e.message)")
      #expect(e.line == line, "\(message): line \(e.line)")
      #expect(e.rule == "profile.invalid")
    }
  }

  /// Every `isp.` rule id the readers can report is in the catalogue `casebridge rules` prints.
  @Test func everyISPRuleIsCatalogued() throws {
    let known = Set(RuleCatalogue.all.map(\.id))
    let pattern = try Regex(#""(isp\.[a-z0-9-]+)""#)
    var missing: Set<String> = []
    var found = 0
    for dir in ["Sources/CaseISP", "Sources/CasePipeline", "Sources/CaseMapping"] {
      let root = Repo.root.appendingPathComponent(dir)
      let files = FileManager.default.enumerator(atPath: root.path)?.compactMap { $0 as? String }.filter { $0.hasSuffix(".swift") } ?? []
      for f in files {
        let text = try String(contentsOf: root.appendingPathComponent(f), encoding: .utf8)
        for m in text.matches(of: pattern) {
          found += 1
          let id = String(m.output[1].substring ?? "")
          if !known.contains(id) { missing.insert(id) }
        }
      }
    }
    #expect(found > 10)
    #expect(missing.isEmpty, "not in RuleCatalogue: \(missing.sorted())")
    #expect(RuleCatalogue.isp.allSatisfy { $0.id.hasPrefix("isp.") })
  }

  /// Output, diagnostics and reports of every provider sample validate against the JSON Schemas.
  @Test func providerOutputsValidateAgainstTheSchemas() throws {
    var args: [String] = []
    for (relative, profile) in ISPGoldenTests.valid + ISPGoldenTests.invalid {
      let r = try ISP.runSample(relative, profile: profile)
      args += ["jsonl", r.directory.appendingPathComponent("out").path, "report", r.directory.appendingPathComponent("report.json").path]
      // Valid samples without findings have no quarantine directory.
      for f in (try? FileManager.default.contentsOfDirectory(atPath: r.quarantine.path)) ?? [] where f.hasSuffix(".diagnostics.jsonl") {
        args += ["diagnostics", r.quarantine.appendingPathComponent(f).path]
      }
    }
    #expect(args.filter { $0 == "diagnostics" }.count >= ISPGoldenTests.invalid.count)
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = ["python3", Repo.root.appendingPathComponent("scripts/validate_schemas.py").path, Repo.schemas.appendingPathComponent("json").path] + args
    let pipe = Pipe()
    p.standardOutput = pipe
    p.standardError = pipe
    try p.run()
    let out = String(decoding: pipe.fileHandleForReading.readToEndRetryingInterrupts(), as: UTF8.self)
    p.waitUntilExit()
    if p.terminationStatus == 3 || p.terminationStatus == 127 {
      if Repo.isCI { Issue.record("python3 with jsonschema is required in CI: \(out)") }
      return
    }
    #expect(p.terminationStatus == 0, "\(out)")
    #expect(out.contains(" 0 schema violations"))
  }

  @Test func aBadProviderProfileExits78() throws {
    let r = try ISP.run("x\n", profile: Self.text(#"{"record": "^R$", "sentences": ["^(?<ip>x)$"]}"#, #"{"entity": "ipAssignment", "fields": {"ip": {"sentence": "nope"}}}"#))
    #expect(r.report.exitCode == 78)
    #expect(r.report.error?.contains("[profile.invalid]") == true)
  }
}
