import CaseBridge
import CaseTestSupport
import Foundation
import GRDB
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// Helpers shared by the store's end-to-end and crash tests: the CLI, the store's row counts, report parsing.
enum StoreE2E {
  static var incoming: String { Repo.samples.appendingPathComponent("incoming").path }

  /// The bundled drop's files (not its dot-files), in byte order of the names.
  static func incomingFiles() throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: incoming).filter { !$0.hasPrefix(".") }.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
  }

  static func cli(_ args: [String], binary: URL = CaseBridgeBinary.debug, seconds: Int = 120) throws -> BoundedRun {
    if !boundedRunToolsPresent && Repo.isCI { Issue.record("timeout, time and prlimit are needed") }
    return try runBounded(args, binary: binary, seconds: seconds)
  }

  /// One integer from the store, opened as the CLI opens it.
  static func count(_ store: String, _ sql: String, _ arguments: StatementArguments = []) throws -> Int {
    let s = try CaseStore(path: store)
    return try s.db.read { try Int.fetchOne($0, sql: sql, arguments: arguments) ?? -1 }
  }

  static func rows(_ store: String, _ sql: String, _ arguments: StatementArguments = []) throws -> [[String]] {
    let s = try CaseStore(path: store)
    return try s.db.read { db in
      try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
        (0..<row.count).map { i in
          let v: DatabaseValue = row[i]
          switch v.storage {
          case .null: return "NULL"
          case .int64(let n): return String(n)
          case .double(let d): return String(d)
          case .string(let s): return s
          case .blob(let b): return sha256Hex([UInt8](b))
          }
        }
      }
    }
  }

  /// The row counts a re-run must leave unchanged.
  static func tableCounts(_ store: String) throws -> [String: Int] {
    var out: [String: Int] = [:]
    for t in ["entity_versions", "entity_sightings", "identifiers", "quarantine", "processed_inputs", "entity_cases", "cases"] {
      out[t] = try count(store, "SELECT COUNT(*) FROM \(t)")
    }
    return out
  }

  static func json(_ path: String) throws -> Any { try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) }
  static func json(_ bytes: [UInt8]) throws -> Any { try JSONSerialization.jsonObject(with: Data(bytes)) }

  /// A run report's inputs by file name.
  static func reportInputs(_ path: String) throws -> [String: [String: Any]] {
    let inputs = ((try json(path) as? [String: Any])?["inputs"] as? [[String: Any]]) ?? []
    var out: [String: [String: Any]] = [:]
    for i in inputs { out[URL(fileURLWithPath: i["path"] as? String ?? i["name"] as? String ?? "").lastPathComponent] = i }
    return out
  }

  static func sha(_ path: String) throws -> String { sha256Hex(try readBytes(URL(fileURLWithPath: path))) }

  /// `export --store S --to jsonl` into a file, returned as bytes.
  static func export(_ store: String, to path: String, binary: URL = CaseBridgeBinary.debug) throws -> [UInt8] {
    let r = try cli(["export", "--store", store, "--to", "jsonl", "-o", path], binary: binary)
    #expect(r.status == 0, "export: \(r.stderr)")
    return try readBytes(URL(fileURLWithPath: path))
  }
}

/// The issue's "Done when" checks on the bundled drop Samples/incoming, through the binary.
@Suite(.serialized) struct StoreEndToEndTests {
  /// One store with Samples/incoming imported once (built once per test that needs it).
  struct Imported {
    let dir: URL
    let store: String
    let first: BoundedRun
    let report: String
    init(_ name: String) throws {
      dir = makeTemporaryDirectory(name)
      store = dir.appendingPathComponent("cases.sqlite").path
      report = dir.appendingPathComponent("r1.json").path
      first = try StoreE2E.cli(["import", StoreE2E.incoming, "--store", store, "--report", report, "--now", "2026-01-01T00:00:00Z"])
    }

    /// The case id of the one case an input's entities belong to (the NCMEC cases have no case number).
    func caseOf(_ file: String) throws -> String {
      let sha = try StoreE2E.sha(StoreE2E.incoming + "/" + file)
      let ids = try StoreE2E.rows(
        store, "SELECT DISTINCT ec.case_id FROM entity_versions v JOIN entity_cases ec ON ec.entity_id = v.id WHERE v.input_sha256 = ?",
        [sha]
      ).map { $0[0] }
      #expect(ids.count == 1, "\(file): cases \(ids)")
      return ids.first ?? "?"
    }
  }

  @Test("import Samples/incoming: exit 1, each input's disposition and counts as documented; a second run adds nothing")
  func importIncomingTwice() throws {
    let s = try Imported("e2e-import")
    #expect(s.first.status == 1, "\(s.first.stderr)")
    let inputs = try StoreE2E.reportInputs(s.report)
    #expect(inputs.count == 10, "\(inputs.keys.sorted())")
    // (read, accepted, quarantined) per Samples/incoming-README.md; the byte-identical copy that comes second in name
    // order ("-resent" sorts before ".jsonl": '-' < '.') is the duplicate.
    let expected: [String: (Int, Int, Int)] = [
      "cybertip-2024-11.json": (2, 1, 1), "example-cable-letter-2024-11.txt": (1, 1, 0), "hilltop-pd-case-0303.xml": (6, 6, 0),
      "lakeside-pd-case-0101-resent.jsonl": (9, 8, 1), "metro-rms-2024-12-01.csv": (4, 3, 1), "metro-rms-2024-12-02.csv": (4, 3, 1),
      "ncmec-report-90000101.xml": (1, 1, 0), "placeholder-games-iplog-2024-11.log": (2, 1, 1), "riverside-so-bundle.json": (7, 7, 0),
    ]
    for (name, counts) in expected {
      let i = inputs[name] ?? [:]
      #expect(i["disposition"] as? String == "processed", "\(name): \(i)")
      #expect(i["read"] as? Int == counts.0 && i["accepted"] as? Int == counts.1 && i["quarantined"] as? Int == counts.2, "\(name): \(i)")
      if name != "metro-rms-2024-12-02.csv" {
        #expect((i["inserted"] as? Int ?? 0) > 0 && i["updated"] as? Int == 0, "\(name): \(i)")
      }
    }
    let dup = inputs["lakeside-pd-case-0101.jsonl"] ?? [:]
    #expect(dup["disposition"] as? String == "duplicate" && dup["inserted"] == nil, "\(dup)")
    // The re-export: MR-1004 changed (one new version), everything else re-delivered unchanged, nothing new.
    let metro = inputs["metro-rms-2024-12-02.csv"] ?? [:]
    #expect(metro["inserted"] as? Int == 0 && metro["updated"] as? Int == 1 && (metro["unchanged"] as? Int ?? 0) > 0, "\(metro)")
    #expect(s.first.stderr.contains("1 duplicate; exit 1") || s.first.stderr.contains("1 duplicate"), "\(s.first.stderr)")
    if let (status, output) = try MatchCLITests.validate(["report", s.report]) { #expect(status == 0, "\(output)") }
    // Five bad records, each quarantined once with its location.
    #expect(try StoreE2E.count(s.store, "SELECT COUNT(DISTINCT input_sha256 || ':' || record_index) FROM quarantine WHERE severity = 'error'") == 5)
    #expect(try StoreE2E.count(s.store, "SELECT COUNT(*) FROM processed_inputs") == 9)

    let before = try StoreE2E.tableCounts(s.store)
    let r2 = s.dir.appendingPathComponent("r2.json").path
    let second = try StoreE2E.cli(["import", StoreE2E.incoming, "--store", s.store, "--report", r2, "--now", "2026-01-01T00:00:00Z"])
    #expect(second.status == 0, "\(second.stderr)")
    #expect(second.stderr.contains("store: 0 inserted, 0 updated, 0 unchanged, 10 duplicate"), "\(second.stderr)")
    let again = try StoreE2E.reportInputs(r2)
    #expect(again.count == 10 && again.values.allSatisfy { $0["disposition"] as? String == "duplicate" && $0["inserted"] == nil })
    if let (status, output) = try MatchCLITests.validate(["report", r2]) { #expect(status == 0, "\(output)") }
    #expect(try StoreE2E.tableCounts(s.store) == before)
  }

  /// The planted links of Samples/incoming-README.md, as "kind|qualifier|value|match|case,case" (cases sorted).
  static func plantedLinks(ncmec: String, tip: String) -> Set<String> {
    func l(_ k: String, _ q: String, _ v: String, _ m: String, _ cases: [String]) -> String { "\(k)|\(q)|\(v)|\(m)|\(cases.sorted().joined(separator: ","))" }
    return [
      l("email", "", "shared.suspect@example.com", "exact", ["LPD-2024-0101", "RSO-2024-0202"]),
      l("email", "", "tip.contact@example.net", "exact", ["MPD-2024-0404", ncmec]),
      l("phone", "", "+13125550142", "exact", ["LPD-2024-0101", "RSO-2024-0202", "MPD-2024-0404"]),
      l("username", "chatapp", "planted_user", "exact", ["LPD-2024-0101", "RSO-2024-0202"]),
      l("account", "chatapp", "700000000000000001", "exact", ["LPD-2024-0101", "RSO-2024-0202"]),
      l("ip", "", "198.51.100.200", "ip-time-overlap", ["RSO-2024-0202", tip]),
      l("ip", "", "203.0.113.50", "ip-time-overlap", ["SUBPOENA-2024-1120", ncmec]),
      l("hash", "md5", "a1b2c3d4e5f60718293a4b5c6d7e8f90", "exact", ["LPD-2024-0101", "HPD-2024-0303"]),
      l("hash", "sha256", "c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee01", "exact", ["LPD-2024-0101", "HPD-2024-0303"]),
    ]
  }

  static func caseLabels(_ any: Any?) -> [String] {
    ((any as? [[String: Any]]) ?? []).map { ($0["caseNumber"] as? String) ?? ($0["caseId"] as? String ?? "?") }
  }

  @Test("links: exactly the planted overlaps (value, kind, cases), no decoy; -o DIR writes the same JSON")
  func linksAreExactlyThePlantedOnes() throws {
    let s = try Imported("e2e-links")
    #expect(s.first.status == 1, "\(s.first.stderr)")
    let ncmec = try s.caseOf("ncmec-report-90000101.xml")
    let tip = try s.caseOf("cybertip-2024-11.json")
    let r = try StoreE2E.cli(["links", "--store", s.store, "--json"])
    #expect(r.status == 0, "\(r.stderr)")
    let links = ((try StoreE2E.json(r.stdout) as? [String: Any])?["links"] as? [[String: Any]]) ?? []
    let got = links.map { l in
      "\(l["kind"] as? String ?? "")|\(l["qualifier"] as? String ?? "")|\(l["value"] as? String ?? "")|\(l["match"] as? String ?? "")|"
        + Self.caseLabels(l["cases"]).sorted().joined(separator: ",")
    }
    #expect(got.count == 9, "\(got)")
    #expect(Set(got) == Self.plantedLinks(ncmec: ncmec, tip: tip), "got \(got.sorted())")
    // The decoys: none of their values links.
    for decoy in ["only.lakeside@example.org", "hilltop.only@example.org", "metro.only@example.net", "+13125550188", "+13125550177", "192.0.2.61", "a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4"] {
      #expect(!got.contains { $0.contains("|\(decoy)|") }, "\(decoy) links")
    }
    #expect(!got.contains { $0.hasPrefix("account|otherapp|") })
    #expect(r.stderr.contains("9 links"), "\(r.stderr)")

    let out = s.dir.appendingPathComponent("links").path
    let o = try StoreE2E.cli(["links", "--store", s.store, "-o", out])
    #expect(o.status == 0, "\(o.stderr)")
    #expect(try readBytes(URL(fileURLWithPath: out + "/links.json")) == r.stdout)
    let csv = try String(contentsOfFile: out + "/links.csv", encoding: .utf8)
    #expect(csv.utf8.split(separator: 0x0A).count == 10 && csv.hasPrefix("kind,qualifier,value,match,cases"), "\(csv)")
    // With a wide enough window the other-time decoy joins the 203.0.113.50 link (the README's 56 hours).
    let wide = try StoreE2E.cli(["links", "--store", s.store, "--json", "--window", "201600"])
    let wideLinks = ((try StoreE2E.json(wide.stdout) as? [String: Any])?["links"] as? [[String: Any]]) ?? []
    let ip50 = wideLinks.first { $0["value"] as? String == "203.0.113.50" }
    #expect(Set(Self.caseLabels(ip50?["cases"])) == ["SUBPOENA-2024-1120", ncmec, tip], "\(String(describing: ip50))")
  }

  @Test("search finds each planted value in its spellings; an IP at another time finds only its own observation")
  func searchFindsThePlantedValues() throws {
    let s = try Imported("e2e-search")
    let ncmec = try s.caseOf("ncmec-report-90000101.xml")
    let tip = try s.caseOf("cybertip-2024-11.json")
    func search(_ args: [String]) throws -> [[String: Any]] {
      let r = try StoreE2E.cli(["search", "--store", s.store, "--json"] + args)
      #expect(r.status == 0, "\(args): \(r.stderr)")
      let values = (try StoreE2E.json(r.stdout) as? [[String: Any]]) ?? []
      #expect(values.count == 1)
      return (values.first?["matches"] as? [[String: Any]]) ?? []
    }
    func cases(_ matches: [[String: Any]]) -> Set<String> { Set(matches.flatMap { Self.caseLabels($0["cases"]) }) }
    #expect(cases(try search(["SHARED.SUSPECT@example.com"])) == ["LPD-2024-0101", "RSO-2024-0202"])
    #expect(cases(try search(["Tip.Contact@EXAMPLE.net"])) == ["MPD-2024-0404", ncmec])
    for phone in [["(312) 555-0142", "--region", "US"], ["312.555.0142", "--region", "US"], ["+1 312 555 0142"], ["+13125550142"], ["0013125550142"]] {
      let m = try search(phone)
      #expect(cases(m) == ["LPD-2024-0101", "RSO-2024-0202", "MPD-2024-0404"], "\(phone)")
      #expect(m.allSatisfy { $0["kind"] as? String == "phone" && $0["value"] as? String == "+13125550142" }, "\(phone)")
    }
    #expect(cases(try search(["chatapp:planted_user"])) == ["LPD-2024-0101", "RSO-2024-0202"])
    let account = try search(["ChatApp:700000000000000001"])
    #expect(cases(account) == ["LPD-2024-0101", "RSO-2024-0202"] && account.allSatisfy { $0["qualifier"] as? String == "chatapp" })
    #expect(cases(try search(["A1B2C3D4E5F60718293A4B5C6D7E8F90"])) == ["LPD-2024-0101", "HPD-2024-0303"])
    #expect(cases(try search(["sha256:C0FFEE00C0FFEE00C0FFEE00C0FFEE00C0FFEE00C0FFEE00C0FFEE00C0FFEE01"])) == ["LPD-2024-0101", "HPD-2024-0303"])
    // The IPv4-mapped spelling inside the lease: the letter's lease and the NCMEC upload.
    let mapped = try search(["::ffff:203.0.113.50", "--at", "2024-11-20T15:30:00Z"])
    #expect(mapped.count == 2 && cases(mapped) == ["SUBPOENA-2024-1120", ncmec], "\(mapped)")
    #expect(Set(mapped.compactMap { $0["entityType"] as? String }) == ["ipAssignment", "ipObservation"])
    // The decoy upload at another time: found alone, outside the lease, so it links to nothing.
    let decoy = try search(["203.0.113.50", "--at", "2024-11-25T10:00:00Z"])
    #expect(decoy.count == 1 && cases(decoy) == [tip] && decoy.first?["entityType"] as? String == "ipObservation", "\(decoy)")
    // The CGNAT port: the lease and the port-20500 upload, not the port-40000 login.
    let cgnat = try search(["198.51.100.200", "--port", "20500"])
    #expect(cgnat.count == 2 && cases(cgnat) == ["RSO-2024-0202", tip], "\(cgnat)")
    // Without --at the address finds every row (lease, upload, decoy login).
    #expect(try search(["198.51.100.200"]).count == 3)
  }

  @Test("history of MR-1004's person: two versions, each with its own delivery's input SHA-256")
  func historyOfTheChangedRow() throws {
    let s = try Imported("e2e-history")
    let r = try StoreE2E.cli(["search", "--store", s.store, "--json", "metro.only@example.net"])
    #expect(r.status == 0, "\(r.stderr)")
    let matches = ((try StoreE2E.json(r.stdout) as? [[String: Any]])?.first?["matches"] as? [[String: Any]]) ?? []
    let person = matches.first { $0["entityType"] as? String == "person" && $0["current"] as? Bool == true }
    let id = person?["entityId"] as? String ?? "?"
    let h = try StoreE2E.cli(["history", "--store", s.store, id, "--json"])
    #expect(h.status == 0, "\(h.stderr)")
    let versions = ((try StoreE2E.json(h.stdout) as? [[String: Any]])?.first?["versions"] as? [[String: Any]]) ?? []
    #expect(versions.map { $0["version"] as? Int } == [1, 2], "\(versions)")
    let shas = versions.map { (($0["provenance"] as? [[String: Any]])?.first?["inputSha256"] as? String) ?? "?" }
    let day1 = try StoreE2E.sha(StoreE2E.incoming + "/metro-rms-2024-12-01.csv")
    let day2 = try StoreE2E.sha(StoreE2E.incoming + "/metro-rms-2024-12-02.csv")
    #expect(shas == [day1, day2])
    #expect(versions.first?["contentSha256"] as? String != versions.last?["contentSha256"] as? String)
    // The table form names both deliveries, the latest as current.
    let text = try StoreE2E.cli(["history", "--store", s.store, id])
    // (The table shows each input SHA-256 by its first 12 hex digits.)
    let out = text.stdoutText
    #expect(text.status == 0 && out.contains("(current)"), "\(out)")
    #expect(out.contains("metro-rms-2024-12-01.csv:5 sha256:\(day1.prefix(12))") && out.contains("metro-rms-2024-12-02.csv:5 sha256:\(day2.prefix(12))"), "\(out)")
    // The record key finds it too.
    let byKey = try StoreE2E.cli(["history", "--store", s.store, "MR-1004", "--json"])
    #expect(byKey.status == 0 && String(decoding: byKey.stdout, as: UTF8.self).contains(id), "\(byKey.stderr)")
  }

  @Test("import: one file with a key twice and different content quarantines the second (record.duplicate-key), one version stored")
  func duplicateKeyInOneFile() throws {
    let dir = makeTemporaryDirectory("e2e-dupkey")
    let store = dir.appendingPathComponent("cases.sqlite").path
    let csv = dir.appendingPathComponent("metro-rms-dup.csv").path
    try Data(
      """
      record_id,case_number,agency_ori,agency_name,given_name,family_name,email,phone
      MR-2001,MPD-2024-0404,XX0000404,Metro Police Department (fictional),Twice,Examplefield,twice@example.net,
      MR-2001,MPD-2024-0404,XX0000404,Metro Police Department (fictional),Twice,Otherfield,twice@example.net,

      """.utf8
    ).write(to: URL(fileURLWithPath: csv))
    let report = dir.appendingPathComponent("r.json").path
    let r = try StoreE2E.cli([
      "import", csv, "--store", store, "--report", report, "--profile", Repo.schemas.appendingPathComponent("profiles/metro-rms.json").path,
    ])
    #expect(r.status == 1, "\(r.stderr)")
    let i = try StoreE2E.reportInputs(report)["metro-rms-dup.csv"] ?? [:]
    #expect(i["read"] as? Int == 2 && i["accepted"] as? Int == 1 && i["quarantined"] as? Int == 1, "\(i)")
    #expect(try StoreE2E.count(store, "SELECT COUNT(*) FROM quarantine WHERE rule = 'record.duplicate-key'") == 1)
    #expect(try StoreE2E.count(store, "SELECT COUNT(*) FROM entity_versions WHERE type = 'person'") == 1)
    #expect(try StoreE2E.count(store, "SELECT MAX(version) FROM entity_versions") == 1)
    #expect(try StoreE2E.count(store, "SELECT COUNT(*) FROM entity_versions WHERE json LIKE '%Otherfield%'") == 0)
  }

  @Test("batch of Samples/incoming with the real store: archived, same store as a direct import, a rerun adds nothing, verify")
  func batchEqualsImport() throws {
    let root = makeTemporaryDirectory("e2e-batch")
    let inbox = root.appendingPathComponent("in").path
    let direct = root.appendingPathComponent("direct").path
    let fm = FileManager.default
    try fm.createDirectory(atPath: inbox, withIntermediateDirectories: true)
    try fm.createDirectory(atPath: direct, withIntermediateDirectories: true)
    let files = try StoreE2E.incomingFiles()
    for f in files {
      try fm.copyItem(atPath: StoreE2E.incoming + "/" + f, toPath: inbox + "/" + f)
      try fm.copyItem(atPath: StoreE2E.incoming + "/" + f, toPath: direct + "/" + f)
    }
    let profiles = Repo.schemas.appendingPathComponent("profiles").path
    let config = root.appendingPathComponent("batch.yaml").path
    try Data(
      """
      profiles:
        - {glob: "metro-rms-*.csv", profile: "\(profiles)/metro-rms.json"}
        - {glob: "example-cable-letter-*.txt", profile: "\(profiles)/providers/example-cable-letter-case.json"}
        - {glob: "placeholder-games-iplog-*.log", profile: "\(profiles)/providers/placeholder-games-iplog.json"}

      """.utf8
    ).write(to: URL(fileURLWithPath: config))
    let store = root.appendingPathComponent("store/cases.sqlite").path
    let archive = root.appendingPathComponent("archive").path
    let flags = [
      "batch", "--inbox", inbox, "--store", store, "--archive", archive, "--quarantine", root.appendingPathComponent("q").path,
      "--reports", root.appendingPathComponent("reports").path, "--settle", "0", "--config", config,
    ]
    let b1 = try StoreE2E.cli(flags + ["--run-id", "run-1"], seconds: 300)
    #expect(b1.status == 1, "\(b1.stderr)")  // records quarantined
    #expect(try fm.contentsOfDirectory(atPath: inbox).isEmpty)
    // Every file under archive/YYYY/MM/DD/<sha>-<name>.
    let archived = (fm.enumerator(atPath: archive)?.compactMap { $0 as? String } ?? []).filter { $0.split(separator: "/").count == 4 }
    for f in files {
      let sha = try StoreE2E.sha(StoreE2E.incoming + "/" + f)
      let hit = archived.filter { $0.hasSuffix("/\(sha)-\(f)") }
      #expect(hit.count == 1 && hit.first?.range(of: #"^\d{4}/\d{2}/\d{2}/"#, options: .regularExpression) != nil, "\(f): \(archived)")
    }

    // The same files imported directly into another store: the same entities, byte for byte.
    let directStore = root.appendingPathComponent("direct.sqlite").path
    let d = try StoreE2E.cli(["import", direct, "--store", directStore, "--config", config])
    #expect(d.status == 1, "\(d.stderr)")
    let e1 = try StoreE2E.export(store, to: root.appendingPathComponent("batch.jsonl").path)
    let e2 = try StoreE2E.export(directStore, to: root.appendingPathComponent("direct.jsonl").path)
    #expect(!e1.isEmpty && e1 == e2, "batch and direct import stores export differently")
    let batchCounts = try StoreE2E.tableCounts(store)
    #expect(batchCounts == (try StoreE2E.tableCounts(directStore)))
    let pi = "SELECT input_sha256, read, accepted, quarantined, inserted, updated, unchanged FROM processed_inputs ORDER BY input_sha256"
    #expect(try StoreE2E.rows(store, pi) == (try StoreE2E.rows(directStore, pi)))

    // The same files again: every one duplicate, nothing added, exit 0.
    for f in files { try fm.copyItem(atPath: StoreE2E.incoming + "/" + f, toPath: inbox + "/" + f) }
    let b2 = try StoreE2E.cli(flags + ["--run-id", "run-2"], seconds: 300)
    #expect(b2.status == 0, "\(b2.stderr)")
    let report = (try StoreE2E.json(root.appendingPathComponent("reports/run-2.json").path) as? [String: Any]) ?? [:]
    let inputs = (report["inputs"] as? [[String: Any]]) ?? []
    #expect(inputs.count == files.count && inputs.allSatisfy { $0["disposition"] as? String == "duplicate" }, "\(inputs)")
    #expect(inputs.allSatisfy { ($0["inserted"] as? Int ?? 0) == 0 && ($0["updated"] as? Int ?? 0) == 0 })
    #expect(try StoreE2E.tableCounts(store) == batchCounts)
    for run in ["run-1", "run-2"] {
      if let (status, output) = try MatchCLITests.validate(["batch-report", root.appendingPathComponent("reports/\(run).json").path]) {
        #expect(status == 0, "\(run): \(output)")
      }
    }

    var v = try StoreE2E.cli(["verify", "--store", store, "--archive", archive])
    #expect(v.status == 0, "\(v.stdoutText) \(v.stderr)")
    // One archived file changed: verify fails and names it.
    let victimName = "riverside-so-bundle.json"
    let victim = try #require(archived.first { $0.hasSuffix("-" + victimName) })
    let path = archive + "/" + victim
    chmod(path, 0o600)
    var bytes = try readBytes(URL(fileURLWithPath: path))
    bytes[bytes.count / 2] ^= 0x20
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    v = try StoreE2E.cli(["verify", "--store", store, "--archive", archive])
    #expect(v.status != 0 && v.status == 65, "\(v.stdoutText) \(v.stderr)")
    let line = v.stdoutText.split(separator: "\n").first { $0.contains(victimName) }.map(String.init) ?? ""
    #expect(line.contains("mismatch"), "\(v.stdoutText)")
    #expect(v.stdoutText.split(separator: "\n").filter { $0.contains("mismatch") }.count == 1, "\(v.stdoutText)")
  }
}
