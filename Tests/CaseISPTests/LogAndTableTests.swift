import CaseBridge
import CaseTestSupport
import Foundation
import Testing

/// IP logs (isp-log), sectioned tables (isp-sectioned) and records pages (isp-html): epoch units, IPv6 forms,
/// CGNAT ports, section choice, label-not-position reading, and the values the lease-matching scenario relies on.
@Suite struct LogAndTableTests {
  static let logProfile = """
    {"profileVersion": "1.0", "id": "test-log", "layout": {"kind": "isp-log", "csv": {"delimiter": ","}},
     "records": [{"entity": "ipObservation", "fields": {
       "ip": {"column": "ip", "aliases": ["IP Address"], "required": true},
       "port": {"column": "port"},
       "observedAt": {"column": "t", "required": true, "timestamp": {"epoch": "UNIT"}}}}]}
    """

  static func log(_ rows: [String], unit: String) throws -> RunResult {
    try ISP.run((["ip,port,t"] + rows).joined(separator: "\n") + "\n", name: "ips.log", profile: logProfile.replacingOccurrences(of: "UNIT", with: unit))
  }

  @Test func epochUnitsAreDeclaredAndCheckedByDigitCount() throws {
    // 2024-02-11T15:00:00Z in each unit.
    for (unit, value) in [("seconds", "1707663600"), ("milliseconds", "1707663600000"), ("microseconds", "1707663600000000")] {
      let r = try Self.log(["203.0.113.5,,\(value)"], unit: unit)
      #expect(r.report.exitCode == 0, "\(unit)")
      #expect(ISP.utc(try ISP.entities(r)[0], "observedAt") == "2024-02-11T15:00:00Z", "\(unit)")
    }
    // A millisecond value declared as seconds is not a date in the year 56000: it is quarantined, located.
    let wrong = try Self.log(["203.0.113.5,,1707663600000"], unit: "seconds")
    #expect(try ISP.findings(wrong) == [ISP.Finding(rule: "timestamp.epoch-unit-mismatch", severity: "error", record: 0, line: 2, column: 14, field: "t")])
    let micro = try Self.log(["203.0.113.5,,1707663600000000"], unit: "milliseconds")
    #expect(try ISP.findings(micro).map(\.rule) == ["timestamp.epoch-unit-mismatch"])
  }

  @Test func ipv6FormsAreNormalisedAndZoneIdsAndPrefixesRejected() throws {
    let r = try Self.log([
      "2001:0DB8:0000:0000:0000:0000:0000:0001,443,1707663600",
      "2001:db8::1,443,1707663600",
      "::ffff:192.0.2.10,443,1707663600",
      "fe80::1%eth0,443,1707663600",
      "2001:db8::/64,443,1707663600",
      "[2001:db8::1],443,1707663600",
    ], unit: "seconds")
    let e = try ISP.entities(r)
    #expect(e.count == 3)
    // Full upper-case form: RFC 5952 text, the original kept beside it.
    guard case .object(let ip0)? = e[0]["ip"] else { Issue.record("ip is not an object"); return }
    #expect(ip0.string("value") == "2001:db8::1")
    #expect(ip0.string("original") == "2001:0DB8:0000:0000:0000:0000:0000:0001")
    #expect(e[1].string("ip") == "2001:db8::1")
    let f = try ISP.findings(r)
    #expect(f.contains(ISP.Finding(rule: "ip.zone-id", severity: "error", record: 3, line: 5, column: 1, field: "ip")))
    #expect(f.contains(ISP.Finding(rule: "ip.invalid", severity: "error", record: 4, line: 6, column: 1, field: "ip")))
    #expect(f.contains(ISP.Finding(rule: "ip.invalid", severity: "error", record: 5, line: 7, column: 1, field: "ip")))
  }

  @Test func cgnatWithoutAPortIsWarned() throws {
    let r = try Self.log(["100.64.12.34,,1707663600", "100.64.12.34,40001,1707663600"], unit: "seconds")
    #expect(r.report.inputs[0].accepted == 2)
    #expect(try ISP.findings(r) == [ISP.Finding(rule: "ip.cgnat-without-port", severity: "warning", record: 0, line: 2, column: 1, field: "ip")])
  }

  @Test func theLeaseMatchingScenarioValuesAreWhatTheSamplesSay() throws {
    // Example Cable: 198.51.100.23 over 2024-02-10T14:03:11Z..2024-02-12T09:00:00Z (EST in the letter).
    let letter = try ISP.entities(ISP.runSample("isp/valid/example-cable-2024.txt", profile: "example-cable-letter"), type: "ipAssignment")
    let cable = try #require(letter.first { $0.string("ip") == "198.51.100.23" })
    #expect(ISP.utc(cable, "leaseStart") == "2024-02-10T14:03:11Z")
    #expect(ISP.utc(cable, "leaseEnd") == "2024-02-12T09:00:00Z")
    // Sample Mobile: 100.64.12.34 ports 40000-40999, a window containing 2024-02-11T15:00:00Z; IPv6 2001:db8::1.
    let mobile = try ISP.entities(ISP.runSample("isp/valid/sample-mobile-2024.csv", profile: "sample-mobile-cgnat"), type: "ipAssignment")
    let cgnat = try #require(mobile.first { a in
      guard case .object(let p)? = a["portRange"] else { return false }
      return a.string("ip") == "100.64.12.34" && p.int("first") == 40000 && p.int("last") == 40999
    })
    #expect(ISP.utc(cgnat, "leaseStart") == "2024-02-11T14:00:00Z")
    #expect(ISP.utc(cgnat, "leaseEnd") == "2024-02-11T16:45:00Z")
    #expect(cgnat.string("assignmentType") == "cgnat")
    let v6 = try #require(mobile.first { a in
      if case .object(let ip)? = a["ip"] { return ip.string("value") == "2001:db8::1" }
      return false
    })
    #expect(ISP.utc(v6, "leaseStart") == "2024-02-11T14:00:00Z")
    #expect(ISP.utc(v6, "leaseEnd") == "2024-02-13T08:00:00Z")
  }

  // MARK: sectioned tables

  static let tablesProfile = """
    {"profileVersion": "1.0", "id": "test-tables", "layout": {"kind": "isp-sectioned", "csv": {"delimiter": ","},
       "sectioned": {"sections": [{"id": "ips", "columns": ["ip"]}, {"id": "people", "legend": "subscribers", "columns": ["name"]}],
         "zoneStatements": [{"pattern": "times are pacific", "zone": "America/Los_Angeles"}]}},
     "records": [
       {"entity": "ipObservation", "section": "ips", "fields": {
         "ip": {"column": "ip", "required": true}, "observedAt": {"column": "seen", "timestamp": {"pattern": "yyyy-MM-dd HH:mm:ss"}}}},
       {"entity": "person", "section": "people", "fields": {"fullName": {"column": "name", "required": true}}}]}
    """

  @Test func tablesAreChosenByLegendAndColumnsAndTheirLegendStatesTheZone() throws {
    let text = """
      ip,seen
      203.0.113.1,2024-02-11 15:00:00
      ===
      name
      Jane Example
      "Subscribers
      As of today"
      =====
      name
      John Sample
      "IP history
      Times are Pacific."
      =====
      ip,seen
      203.0.113.2,2024-02-11 07:00:00

      """
    let r = try ISP.run(text, name: "tables.csv", profile: Self.tablesProfile)
    let input = r.report.inputs[0]
    // Row 0: a table without legend or zone: quarantined (no zone). Row 1: a legend-less table of names matches no
    // section (the people section wants the legend). Row 2: a person. Row 3: Pacific time from the legend.
    #expect(input.read == 4)
    #expect(input.accepted == 2)
    let f = try ISP.findings(r)
    #expect(f == [
      ISP.Finding(rule: "timestamp.missing-zone", severity: "error", record: 0, line: 2, column: 13, field: "seen"),
      ISP.Finding(rule: "isp.unknown-section", severity: "error", record: 1, line: 5, column: 1, field: nil),
    ])
    let obs = try ISP.entities(r, type: "ipObservation")
    #expect(ISP.utc(obs[0], "observedAt") == "2024-02-11T15:00:00Z")
    #expect(try ISP.entities(r, type: "person").count == 1)
    // Legends, markers, headers and the blank line are ignored, not records.
    #expect(input.ignored == 2 + 3 + 4)
  }

  @Test func rowsOfTheWrongWidthAreLocated() throws {
    let r = try ISP.run("ip,seen\n203.0.113.1\n203.0.113.2,2024-02-11 15:00:00,x\n", name: "t.csv", profile: Self.tablesProfile)
    let f = try ISP.findings(r)
    #expect(f.map(\.rule) == ["csv.missing-cell", "csv.extra-cell"])
    #expect(f[1].line == 3 && f[1].column == 33)
  }

  @Test func anUnusableTableHeaderRejectsTheInputWhole() throws {
    // A repeated column name, and a header that is not a clean row (a stray quote), as the first row and after a marker.
    for text in ["ip,ip\n203.0.113.1,x\n", "ip,se\"en\n203.0.113.1,x\n", "ip,seen\n203.0.113.1,2024-02-11 15:00:00\n===\nip,se\"en\n"] {
      let r = try ISP.run(text, name: "t.csv", profile: Self.tablesProfile)
      #expect(r.report.inputs[0].disposition == .rejected, "\(text)")
      #expect(["csv.duplicate-header", "csv.stray-quote"].contains(r.report.inputs[0].error?.rule ?? ""), "\(text)")
      #expect(r.report.exitCode == 65)
    }
  }

  // MARK: records pages

  static let pageProfile = """
    {"profileVersion": "1.0", "id": "test-page", "layout": {"kind": "isp-html", "html": {"sections": [{"id": "ip_addresses"}]}},
     "records": [
       {"entity": "account", "section": "response", "fields": {"accountIdentifier": {"label": "Target", "required": true}}},
       {"entity": "ipObservation", "section": "ip_addresses", "fields": {
         "ip": {"label": "IP Address", "required": true},
         "observedAt": {"label": "Time", "timestamp": {"pattern": "yyyy-MM-dd HH:mm:ss zzz"}},
         "accountId": {"entity": 0}}}]}
    """

  @Test func pagesAreReadByLabelNeverByPositionEvenWithoutLineBreaks() throws {
    // One line, the second entry's rows in another order, an unknown label, entries split where a label repeats.
    let page = #"<html><body><div id="property-target"><table><tr><th>Target</th><td>4100078123</td></tr></table></div><div id="property-ip_addresses"><table><tr><th>IP Address</th><td>198.51.100.23</td></tr><tr><th>Time</th><td>2024-02-11 14:03:00 UTC</td></tr><tr><th>Time:</th><td>2024-02-11 15:00:00 UTC</td></tr><tr><th>Browser</th><td>Example</td></tr><tr><th>IP Address</th><td>100.64.12.34</td></tr></table></div></body></html>"#
    let r = try ISP.run(page, name: "records.html", profile: Self.pageProfile)
    #expect(r.report.exitCode == 0, "\(r.report.inputs[0].rules)")
    #expect(r.report.inputs[0].read == 2)
    let obs = try ISP.entities(r, type: "ipObservation")
    #expect(obs.map { $0.string("ip") } == ["198.51.100.23", "100.64.12.34"])
    #expect(ISP.utc(obs[1], "observedAt") == "2024-02-11T15:00:00Z")
    let account = try ISP.entities(r, type: "account")
    #expect(account.count == 1)
    #expect(obs.allSatisfy { $0.string("accountId") == account[0].string("id") })
    // A page on one line: each record's span is that line, inside the page.
    guard case .array(let prov)? = obs[0]["provenance"], case .object(let p)? = prov.first else { Issue.record("no provenance"); return }
    #expect(p.int("byteOffset") == 0)
    #expect(p.int("byteLength") == page.utf8.count)
    // The unknown label is kept, not lost.
    #expect(String(decoding: r.output, as: UTF8.self).contains(#""value":"Browser: Example""#))
  }

  @Test func aPageThatIsNotUTF8IsRejectedWhole() throws {
    let dir = makeTemporaryDirectory("isp-page")
    let profile = dir.appendingPathComponent("p.json")
    try Data(Self.pageProfile.utf8).write(to: profile)
    let input = dir.appendingPathComponent("records.html")
    try Data([0x3C, 0x68, 0x74, 0x6D, 0x6C, 0x3E, 0x0A, 0x41, 0xE9, 0x42]).write(to: input)
    let r = try runPipeline([input.path], to: .jsonl) { $0.profilePath = profile.path }
    #expect(r.report.inputs[0].error?.rule == "isp.invalid-utf8")
    #expect(r.report.inputs[0].error?.location.line == 2)
    #expect(r.report.inputs[0].error?.location.column == 2)
    #expect(r.report.exitCode == 65)
  }
}
