import CaseBridge
import CaseTestSupport
import Foundation
import Testing

/// CSV through profiles, end to end: legacy layouts onboarded by their shipped profiles, hazards located, the
/// default profile, CaseBridge's own CSV round trip, and inspect's drafts.
@Suite struct CSVPipelineTests {
  static let legacy: [(sample: String, profile: String)] = [
    ("csv/valid/rms-northfield-2009.csv", "rms-northfield-2009.json"),
    ("csv/valid/hotline-tips-2024.tsv", "hotline-tips-2024.json"),
    ("csv/valid/isp-subscribers-2024.csv", "isp-subscribers-2024.json"),
    ("csv/valid/rms-keyed-cases.csv", "rms-keyed-cases.json"),
  ]

  static func profilePath(_ name: String) -> String { Repo.schemas.appendingPathComponent("profiles/\(name)").path }

  @Test(arguments: 0..<legacy.count)
  func legacyLayoutConvertsToGolden(_ i: Int) throws {
    let (relative, profile) = Self.legacy[i]
    let result = try runPipeline([sample(relative)], to: .jsonl) { $0.profilePath = Self.profilePath(profile) }
    let input = result.report.inputs[0]
    #expect(result.report.error == nil, "\(result.report.error ?? "")")
    #expect(input.format == .csv)
    #expect(input.profileID == profile.replacingOccurrences(of: ".json", with: ""))
    #expect(input.read == input.accepted + input.quarantined)
    let golden = Repo.samples.appendingPathComponent(relative).deletingPathExtension().appendingPathExtension("expected.jsonl")
    var record = result.output
    // The diagnostics of a legacy sample are part of its golden: quarantined rows must be the expected ones.
    var w = JSONWriter()
    for var d in try result.diagnostics() {
      if let k = d.members.firstIndex(where: { $0.key == "input" }) { d.members[k].value = .string("Samples/" + relative) }
      w.write(.object(d))
      w.bytes.append(0x0A)
    }
    record += Array("--- diagnostics\n".utf8) + w.bytes
    if Repo.isRecording {
      try Data(record).write(to: golden)
      Issue.record("recorded \(golden.lastPathComponent)")
      return
    }
    #expect(record == (try readBytes(golden)), "\(relative) differs from \(golden.lastPathComponent)")
  }

  @Test func legacyEncodingsAreRecordedInTheReport() throws {
    let rms = try runPipeline([sample("csv/valid/rms-northfield-2009.csv")]) { $0.profilePath = Self.profilePath("rms-northfield-2009.json") }
    #expect(rms.report.inputs[0].encoding == "windows-1252")
    let hotline = try runPipeline([sample("csv/valid/hotline-tips-2024.tsv")]) { $0.profilePath = Self.profilePath("hotline-tips-2024.json") }
    #expect(hotline.report.inputs[0].encoding == "utf-16le")
    // Names decoded from Windows-1252 without replacement characters.
    let out = try runPipeline([sample("csv/valid/rms-northfield-2009.csv")], to: .jsonl) { $0.profilePath = Self.profilePath("rms-northfield-2009.json") }
    let text = String(decoding: out.output, as: UTF8.self)
    #expect(text.contains("Müller-Testfall"))
    #expect(text.contains("Zoë"))
    #expect(!text.contains("\u{FFFD}"))
  }

  @Test func hazardsAreLocatedAndTheRestIsAccepted() throws {
    let relative = "csv/invalid/hazards.csv"
    let result = try runPipeline([sample(relative)], to: .jsonl)
    let input = result.report.inputs[0]
    #expect(input.read == input.accepted + input.quarantined)
    var w = JSONWriter()
    for var d in try result.diagnostics() {
      if let k = d.members.firstIndex(where: { $0.key == "input" }) { d.members[k].value = .string("Samples/" + relative) }
      w.write(.object(d))
      w.bytes.append(0x0A)
    }
    let golden = Repo.samples.appendingPathComponent("csv/invalid/hazards.diagnostics.jsonl")
    if Repo.isRecording {
      try Data(w.bytes).write(to: golden)
      Issue.record("recorded \(golden.lastPathComponent)")
      return
    }
    #expect(w.bytes == (try readBytes(golden)))
    let rules = Set(input.rules.keys)
    for rule in ["csv.extra-cell", "csv.missing-cell", "csv.stray-quote", "csv.nul", "csv.invalid-utf8", "ip.invalid", "timestamp.missing-zone", "hash.length", "port.invalid", "csv.unterminated-quote", "csv.blank-row"] {
      #expect(rules.contains(rule), "\(rule)")
    }
    // After the unterminated quote nothing is guessed: the row after it is not read as a record but is part of
    // the one quarantined span, kept as original bytes behind the header.
    #expect(!String(decoding: result.output, as: UTF8.self).contains("C-014"))
    #expect(String(decoding: result.output, as: UTF8.self).contains("C-012"))
    let rejected = result.rejected() ?? []
    #expect(rejected.starts(with: Array("case_number,first_name".utf8)))
    let tail = Array("C-013,Unterminated,\"open quote".utf8)
    let at = (0...(rejected.count - tail.count)).first { Array(rejected[$0..<$0 + tail.count]) == tail }
    #expect(at != nil)
    if let at { #expect(Array(rejected[at...]) == Array(try readBytes(Repo.samples.appendingPathComponent(relative)).suffix(rejected.count - at))) }
  }

  @Test func profileErrorsAreLocatedAndExit78() throws {
    let dir = makeTemporaryDirectory("profile")
    let bad = dir.appendingPathComponent("bad.json")
    try Data("""
      {
        "profileVersion": "1.0",
        "id": "bad",
        "layout": {"kind": "csv"},
        "records": [
          {"entity": "ipObservation", "fields": {
            "ipp": {"column": "IP"}
          }}
        ]
      }
      """.utf8).write(to: bad)
    let result = try runPipeline([sample("csv/invalid/hazards.csv")], to: .jsonl) { $0.profilePath = bad.path }
    #expect(result.report.exitCode == 78)
    #expect(result.report.error?.contains("bad.json:7:") == true, "\(result.report.error ?? "")")
    #expect(result.report.inputs.isEmpty)
    let zone = dir.appendingPathComponent("zone.json")
    try Data("{\"profileVersion\":\"1.0\",\"id\":\"z\",\"layout\":{\"kind\":\"csv\"},\"defaults\":{\"zone\":\"EST\"},\"records\":[{\"entity\":\"event\",\"fields\":{\"kind\":{\"constant\":\"x\"}}}]}".utf8).write(to: zone)
    #expect(try runPipeline([sample("csv/invalid/hazards.csv")]) { $0.profilePath = zone.path }.report.exitCode == 78)
    let mismatch = try runPipeline([sample("csv/invalid/hazards.csv")], from: .jsonl) { $0.profilePath = Self.profilePath("rms-northfield-2009.json") }
    #expect(mismatch.report.exitCode == 78)
  }

  @Test func yamlProfilesReadLikeJSONOnes() throws {
    let dir = makeTemporaryDirectory("yaml")
    let yaml = dir.appendingPathComponent("isp.yaml")
    try Data("""
      # The ISP subscriber profile, written in YAML.
      profileVersion: "1.0"
      id: isp-subscribers-2024
      layout: {kind: csv, csv: {delimiter: ",", header: true}}
      defaults: {zone: America/New_York}
      unmapped: error
      records:
        - entity: person
          role: subscriber
          fields:
            fullName: {column: Subscriber, required: true, split: familyFirstComma}
            street: {column: Service Address}
            city: {column: City}
            state: {column: State}
            postalCode: {column: ZIP}
            country: {constant: US}
        - entity: ipAssignment
          fields:
            provider: {constant: Example Cable}
            ip: {column: IP Address, required: true}
            portFirst: {column: Port From}
            portLast: {column: Port To}
            leaseStart: {column: Lease Start (Eastern), required: true, timestamp: {pattern: "yyyy-MM-dd HH:mm:ss"}}
            leaseEnd: {column: Lease End (Eastern), timestamp: {pattern: "yyyy-MM-dd HH:mm:ss"}}
            accountNumber: {column: Account No, required: true}
            providerStatedTimeZone: {constant: America/New_York}
            subscriberPersonId: {entity: 0}

      """.utf8).write(to: yaml)
    let fromYAML = try runPipeline([sample("csv/valid/isp-subscribers-2024.csv")], to: .jsonl) { $0.profilePath = yaml.path }
    let fromJSON = try runPipeline([sample("csv/valid/isp-subscribers-2024.csv")], to: .jsonl) { $0.profilePath = Self.profilePath("isp-subscribers-2024.json") }
    #expect(fromYAML.report.error == nil, "\(fromYAML.report.error ?? "")")
    #expect(fromYAML.report.inputs[0].accepted == fromJSON.report.inputs[0].accepted)
    // Same entities; only the profile hash in provenance differs.
    func strip(_ b: [UInt8]) -> String {
      String(decoding: b, as: UTF8.self).replacingOccurrences(of: #""profileSha256":"[0-9a-f]+""#, with: "", options: .regularExpression)
    }
    #expect(strip(fromYAML.output) == strip(fromJSON.output))
    // Errors name the YAML line; aliases are refused.
    let bad = dir.appendingPathComponent("bad.yml")
    try Data("profileVersion: \"1.0\"\nid: x\nlayout: {kind: csv}\nrecords:\n  - entity: person\n    fields:\n      nickname: {column: n}\n".utf8).write(to: bad)
    let r = try runPipeline([sample("csv/valid/isp-subscribers-2024.csv")]) { $0.profilePath = bad.path }
    #expect(r.report.exitCode == 78)
    #expect(r.report.error?.contains("bad.yml:7:7") == true, "\(r.report.error ?? "")")
    let alias = dir.appendingPathComponent("alias.yaml")
    try Data("profileVersion: &v \"1.0\"\nid: *v\nlayout: {kind: csv}\nrecords: []\n".utf8).write(to: alias)
    let a = try runPipeline([sample("csv/valid/isp-subscribers-2024.csv")]) { $0.profilePath = alias.path }
    #expect(a.report.exitCode == 78)
    #expect(a.report.error?.contains("aliases are not allowed") == true)
    // A "billion laughs" of aliases is refused at once, never expanded.
    var bomb = "a0: &a0 [x,x,x,x,x,x,x,x,x,x]\n"
    for i in 1..<30 { bomb += "a\(i): &a\(i) [" + Array(repeating: "*a\(i - 1)", count: 10).joined(separator: ",") + "]\n" }
    let bombURL = dir.appendingPathComponent("bomb.yaml")
    try Data(bomb.utf8).write(to: bombURL)
    let b = try runPipeline([sample("csv/valid/isp-subscribers-2024.csv")]) { $0.profilePath = bombURL.path }
    #expect(b.report.exitCode == 78)
  }

  @Test func joinBuildsAFullNameFromColumns() throws {
    let dir = makeTemporaryDirectory("join")
    let profile = dir.appendingPathComponent("join.json")
    try Data("""
      {"profileVersion": "1.0", "id": "join", "layout": {"kind": "csv"}, "unmapped": "drop",
       "records": [{"entity": "person", "fields": {
         "fullName": {"join": ["first_name", "last_name"]},
         "given": {"column": "first_name"}, "family": {"column": "last_name"}}}]}
      """.utf8).write(to: profile)
    let r = try runPipeline([sample("csv/invalid/hazards.csv")], to: .jsonl) { $0.profilePath = profile.path }
    let text = String(decoding: r.output, as: UTF8.self)
    #expect(text.contains("\"names\":[{\"given\":\"Testy\",\"family\":\"McTestface\",\"full\":\"Testy McTestface\"}]"))
  }

  @Test func shippedProfilesLoadAndTheDefaultMatchesItsFile() throws {
    let dir = Repo.schemas.appendingPathComponent("profiles")
    for f in try FileManager.default.contentsOfDirectory(atPath: dir.path) where f.hasSuffix(".json") {
      let bytes = try readBytes(dir.appendingPathComponent(f))
      // Not `#expect(throws: Never.self) { ... }`: around a typed-throws call it jumped to a null pointer in the test
      // process with Swift 6.3.1 (reproduced, deterministic).
      do {
        _ = try ProfileLoader.load(bytes: bytes, source: f, sha256: sha256Hex(bytes))
      } catch {
        Issue.record("\(f): \(error.description)")
      }
    }
    #expect(try readBytes(dir.appendingPathComponent("default-csv.json")) == Array((DefaultProfiles.csvJSON + "\n").utf8))
  }

  @Test func caseBridgeCSVRoundTripsLosslessly() throws {
    // JSON Lines → CSV directory → each CSV back to JSON Lines: the same entities.
    let direct = try runPipeline([sample("jsonl/valid/case-0001.jsonl")], to: .jsonl)
    let csv = try runPipeline([sample("jsonl/valid/case-0001.jsonl")], to: .csv)
    #expect(csv.report.exitCode == 0)
    let outDir = csv.directory.appendingPathComponent("out")
    let files = try FileManager.default.contentsOfDirectory(atPath: outDir.path).sorted()
    #expect(files.count == 11)
    // All files in one run: references resolve across the inputs of a run.
    let r = try runPipeline(files.map { outDir.appendingPathComponent($0).path }, to: .jsonl, from: .csv)
    #expect(r.report.exitCode == 0, "\(r.report.inputs.map(\.rules))")
    let back = try parseJSONLines(r.output)
    let expected = try parseJSONLines(direct.output)
    #expect(back.count == expected.count)
    func id(_ v: JSONValue) -> String { if case .object(let o) = v { return o.string("id") ?? "" }; return "" }
    let byID = Dictionary(uniqueKeysWithValues: expected.map { (id($0), $0) })
    for v in back { #expect(byID[id(v)] == v, "entity \(id(v)) changed in the CSV round trip") }
  }

  @Test func csvWriterOutputMatchesGoldens() throws {
    let csv = try runPipeline([sample("jsonl/valid/case-0001.jsonl")], to: .csv)
    let outDir = csv.directory.appendingPathComponent("out")
    let goldenDir = Repo.samples.appendingPathComponent("csv/roundtrip/case-0001")
    let files = try FileManager.default.contentsOfDirectory(atPath: outDir.path).sorted()
    if Repo.isRecording {
      try FileManager.default.createDirectory(at: goldenDir, withIntermediateDirectories: true)
      for f in files { try Data(readBytes(outDir.appendingPathComponent(f))).write(to: goldenDir.appendingPathComponent(f)) }
      Issue.record("recorded \(files.count) CSV goldens")
      return
    }
    #expect(files == (try FileManager.default.contentsOfDirectory(atPath: goldenDir.path).sorted()))
    for f in files {
      #expect(try readBytes(outDir.appendingPathComponent(f)) == readBytes(goldenDir.appendingPathComponent(f)), "\(f)")
    }
  }

  @Test func csvOutputIsNeutralisedAndGolden() throws {
    let dir = makeTemporaryDirectory("neutral")
    let input = dir.appendingPathComponent("formula.jsonl")
    try Data("{\"type\":\"person\",\"id\":\"b0000000-0000-4000-8000-000000000001\",\"notes\":\"=HYPERLINK(\\\"http://example.com\\\")\",\"phones\":[{\"number\":\"+12025550101\"}]}\n".utf8).write(to: input)
    let out = try runPipeline([input.path], to: .csv) { $0.entityFilter = .person }
    let text = String(decoding: out.output, as: UTF8.self)
    #expect(text.contains("\"'=HYPERLINK(\"\"http://example.com\"\")\""))
    let raw = try runPipeline([input.path], to: .csv) {
      $0.entityFilter = .person
      $0.neutralise = false
    }
    #expect(String(decoding: raw.output, as: UTF8.self).contains(",\"=HYPERLINK("))
    // Reading the neutralised file back restores the value.
    let back = try runPipeline([out.directory.appendingPathComponent("out").path], to: .jsonl, from: .csv)
    #expect(String(decoding: back.output, as: UTF8.self).contains("\"notes\":\"=HYPERLINK("))
  }

  @Test func reviewedOnboardingProfileConvertsEveryRow() throws {
    let result = try runPipeline([sample("csv/onboarding/legacy-intake.psv")], to: .jsonl) {
      $0.profilePath = Repo.samples.appendingPathComponent("csv/onboarding/legacy-intake.profile.json").path
    }
    let r = result.report.inputs[0]
    #expect(r.read == 4)
    #expect(r.accepted == 4)
    #expect(result.report.exitCode == 0)
    let text = String(decoding: result.output, as: UTF8.self)
    // 2024-05-06 14:22:10 Pacific daylight time is 21:22:10 UTC; the epoch column is milliseconds.
    #expect(text.contains("\"utc\":\"2024-05-06T21:22:10Z\",\"original\":\"2024-05-06 14:22:10\",\"offset\":\"-07:00\",\"zone\":\"America/Los_Angeles\""))
    #expect(text.contains("\"createdAt\":{\"utc\":\"2024-05-06T21:22:10Z\",\"original\":\"1715030530000\""))
    #expect(text.contains("\"normalized\":\"+12025550110\""))
  }

  @Test func inspectDraftsAProfileThatConvertAccepts() throws {
    let report = try Inspector.inspectCSV(path: sample("csv/onboarding/legacy-intake.psv"), encoding: nil)
    #expect(report.delimiter == "|")
    #expect(report.hasHeader)
    #expect(report.encoding == "utf-8")
    #expect(report.rows == 4)
    let kinds = Dictionary(uniqueKeysWithValues: report.columns.map { ($0.name, $0.kind) })
    #expect(kinds["Login IP"] == .ipv4 || kinds["Login IP"] == .ipv6 || kinds["Login IP"] != nil)
    #expect(kinds["Contact Email"] == .email)
    #expect(kinds["Last Seen (epoch ms)"] == .epoch)
    if case .monthFirst(let line)? = report.columns.first(where: { $0.name == "DOB" })?.dayMonth {
      #expect(line == 3)
    } else {
      Issue.record("DOB day/month evidence missing")
    }
    // No value of the file appears anywhere in the report.
    var w = JSONWriter()
    w.write(report.draftProfile)
    let draftText = String(decoding: w.bytes, as: UTF8.self) + report.notes.joined() + report.columns.map { "\($0)" }.joined()
    for value in ["avery.example", "198.51.100.61", "1715030530000", "Avery"] { #expect(!draftText.contains(value), "\(value)") }
    // The draft is a valid profile, and convert runs with it as it is.
    let dir = makeTemporaryDirectory("draft")
    let draft = dir.appendingPathComponent("draft.json")
    try Inspector.writeProfile(report.draftProfile, to: draft.path)
    let result = try runPipeline([sample("csv/onboarding/legacy-intake.psv")], to: .jsonl) { $0.profilePath = draft.path }
    #expect(result.report.error == nil, "\(result.report.error ?? "")")
    #expect(result.report.inputs[0].read == 4)
    // Login times state no zone: the draft does not guess one, so they are quarantined.
    #expect(result.report.inputs[0].rules["timestamp.missing-zone"] != nil)
  }
}
