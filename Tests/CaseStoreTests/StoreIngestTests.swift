import CaseBridge
import CaseTestSupport
import Foundation
import GRDB
import Testing
@testable import CaseStore

#if canImport(Glibc)
  import Glibc
#endif

// MARK: helpers

/// Imports inputs into the store at `storePath` through the pipeline, as `casebridge import` does.
@discardableResult
func importInputs(_ inputs: [String], store storePath: String, runID: String = "import-run", profile: String? = nil) throws -> RunReport {
  let store = try CaseStore(path: storePath)
  var o = RunOptions(command: "import", inputs: inputs)
  o.runID = runID
  o.now = Instant.parseUTC("2026-01-01T00:00:00Z")
  o.storePath = storePath
  o.profilePath = profile
  return Pipeline(options: o, store: StoreIngest(store: store)).run()
}

func count(_ store: CaseStore, _ table: String, _ condition: String = "1", _ arguments: StatementArguments = []) throws -> Int {
  try store.db.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM \(table) WHERE \(condition)", arguments: arguments) ?? -1 }
}

func write(_ text: String, to path: String) throws {
  try Data(text.utf8).write(to: URL(fileURLWithPath: path))
}

func sha256(_ bytes: [UInt8]) -> String { sha256Hex(bytes) }

/// Three synthetic entities of one case, one line each; `title` changes the case's content.
func caseLines(title: String) -> String {
  """
  {"type":"case","id":"case-store-1","caseNumber":"STORE-2026-0001","title":"\(title)","agencyId":"agency-store-1"}
  {"type":"agency","id":"agency-store-1","name":"Example Store Test Unit"}
  {"type":"person","id":"person-store-1","names":[{"full":"Pat Placeholder"}],"emails":[{"address":"Pat.Placeholder@EXAMPLE.org"}],"phones":[{"number":{"value":"+13125550142","original":"+1 312 555 0142"}}]}

  """
}

// MARK: identifier extraction

@Suite struct IdentifierExtractionTests {
  func ts(_ s: String) -> Timestamp {
    guard case .success(let t) = Timestamp.parseISO8601(s) else { fatalError("bad test timestamp") }
    return t
  }
  func ip(_ s: String) -> IPAddress {
    guard case .success(let a) = IPAddress.parse(s) else { fatalError("bad test ip") }
    return a
  }

  @Test("person: e-mail lower-cased whole (A-label domain), phone E.164")
  func person() throws {
    var p = Person(id: EntityID("p1"))
    guard case .success(let mail) = EmailAddress.parse("Pat.Placeholder@BÜCHER.example"),
      case .success(let phone) = PhoneNumber.parse("(312) 555-0142", defaultRegion: PhoneRegion.named("US"))
    else { Issue.record("parse"); return }
    p.emails = [ContactEmail(address: mail)]
    p.phones = [ContactPhone(number: phone)]
    let rows = StoreIdentifiers.rows(for: .person(p))
    #expect(rows.contains(IdentifierRow(kind: "email", value: "pat.placeholder@xn--bcher-kva.example")))
    #expect(rows.contains(IdentifierRow(kind: "phone", value: "+13125550142")))
    #expect(rows.count == 2)
  }

  @Test("online identifiers: e-mail, phone, username lower-cased, platform user id exact as account")
  func onlineIdentifiers() {
    var e = OnlineIdentifier(id: EntityID("o1"), kind: .email, value: "Pat@Example.NET")
    #expect(StoreIdentifiers.rows(for: .onlineIdentifier(e)) == [IdentifierRow(kind: "email", value: "pat@example.net")])
    e = OnlineIdentifier(id: EntityID("o2"), kind: .phone, value: "+1 312 555 0199")
    #expect(StoreIdentifiers.rows(for: .onlineIdentifier(e)) == [IdentifierRow(kind: "phone", value: "+13125550199")])
    e = OnlineIdentifier(id: EntityID("o3"), kind: .username, value: "Pat_Example")
    #expect(StoreIdentifiers.rows(for: .onlineIdentifier(e)) == [IdentifierRow(kind: "username", value: "pat_example")])
    e = OnlineIdentifier(id: EntityID("o4"), kind: .platformUserId, value: "AbC123")
    #expect(StoreIdentifiers.rows(for: .onlineIdentifier(e)) == [IdentifierRow(kind: "account", value: "AbC123")])
    e = OnlineIdentifier(id: EntityID("o5"), kind: .deviceId, value: "356938035643809")
    #expect(StoreIdentifiers.rows(for: .onlineIdentifier(e)).isEmpty)
  }

  @Test("account: id exact and usernames lower-cased, both qualified by the lower-cased service")
  func account() {
    var a = Account(id: EntityID("a1"))
    a.service = "ExampleChat"
    a.accountIdentifier = "ID-0042x"
    a.usernames = ["Pat_Example", "pat_example"]
    let rows = StoreIdentifiers.rows(for: .account(a))
    #expect(rows == [
      IdentifierRow(kind: "account", qualifier: "examplechat", value: "ID-0042x"),
      IdentifierRow(kind: "username", qualifier: "examplechat", value: "pat_example"),
    ])
  }

  @Test("IP observation: IPv4-mapped IPv6 stored as IPv4, port, observation time as at_start = at_end")
  func ipObservation() {
    var o = IPObservation(id: EntityID("i1"), ip: ip("::ffff:198.51.100.7"))
    o.port = Port(51234)
    o.observedAt = ts("2024-03-01T05:00:00-05:00")
    #expect(StoreIdentifiers.rows(for: .ipObservation(o)) == [
      IdentifierRow(kind: "ip", value: "198.51.100.7", port: 51234, portLast: 51234, atStart: "2024-03-01T10:00:00Z", atEnd: "2024-03-01T10:00:00Z")
    ])
    let v6 = IPObservation(id: EntityID("i2"), ip: ip("2001:DB8:0:0:0:0:0:1"))
    #expect(StoreIdentifiers.rows(for: .ipObservation(v6)) == [IdentifierRow(kind: "ip", value: "2001:db8::1")])
  }

  @Test("IP assignment: port block and lease window (open end stays nil)")
  func ipAssignment() {
    var a = IPAssignment(id: EntityID("l1"), ip: ip("203.0.113.9"))
    a.portRange = PortRange(first: Port(1024)!, last: Port(2047)!)
    a.leaseStart = ts("2024-02-10T14:03:11Z")
    a.leaseEnd = ts("2024-02-12T14:03:11Z")
    #expect(StoreIdentifiers.rows(for: .ipAssignment(a)) == [
      IdentifierRow(kind: "ip", value: "203.0.113.9", port: 1024, portLast: 2047, atStart: "2024-02-10T14:03:11Z", atEnd: "2024-02-12T14:03:11Z")
    ])
    a.portRange = nil
    a.leaseEnd = nil
    #expect(StoreIdentifiers.rows(for: .ipAssignment(a)) == [IdentifierRow(kind: "ip", value: "203.0.113.9", atStart: "2024-02-10T14:03:11Z")])
  }

  @Test("evidence file: each hash lower-case hex qualified by its algorithm; other entities have none")
  func evidenceFile() throws {
    var f = EvidenceFile(id: EntityID("f1"))
    guard case .success(let md5) = HashDigest.parse(algorithm: .md5, hex: "0123456789ABCDEF0123456789ABCDEF") else {
      Issue.record("parse"); return
    }
    f.hashes = [md5]
    #expect(StoreIdentifiers.rows(for: .evidenceFile(f)) == [IdentifierRow(kind: "hash", qualifier: "md5", value: "0123456789abcdef0123456789abcdef")])
    #expect(StoreIdentifiers.rows(for: .caseRecord(Case(id: EntityID("c")))).isEmpty)
    #expect(StoreIdentifiers.rows(for: .agency(Agency(id: EntityID("g"), name: "Example Unit"))).isEmpty)
  }

  @Test("normalisers search uses agree with the index")
  func normalisers() {
    #expect(StoreIdentifiers.email("Pat@EXAMPLE.com") == "pat@example.com")
    #expect(StoreIdentifiers.email("not an address") == nil)
    #expect(StoreIdentifiers.phone("+1 (312) 555-0142") == "+13125550142")
    #expect(StoreIdentifiers.ip("::ffff:c000:201") == "192.0.2.1")
    #expect(StoreIdentifiers.hash("ABCDEF") == "abcdef")
  }
}

// MARK: ingest

@Suite(.serialized) struct StoreIngestTests {
  @Test("importing samples twice: the second run adds no row, every input duplicate, exit 0")
  func secondRunAddsNothing() throws {
    let dir = makeTemporaryDirectory("store-twice").path
    let path = dir + "/store/cases.sqlite"
    let inputs = [sample("jsonl/valid/case-0001.jsonl"), sample("csv/valid/isp-subscribers-2024.csv"), sample("xml/valid/case-0001.xml")]
    let first = try importInputs(inputs, store: path, runID: "first")
    #expect(first.inputs.allSatisfy { $0.disposition == .processed })
    #expect((first.totals.inserted ?? 0) > 0)
    let store = try CaseStore(path: path)
    let tables = ["entity_versions", "entity_sightings", "identifiers", "entity_cases", "quarantine", "processed_inputs", "cases"]
    let before = try tables.map { try count(store, $0) }
    #expect(before[5] == 3)  // one processed_inputs row per input
    let second = try importInputs(inputs, store: path, runID: "second")
    #expect(second.exitCode == 0)
    #expect(second.inputs.allSatisfy { $0.disposition == .duplicate && $0.read == 0 })
    #expect(second.inputs.allSatisfy { $0.error?.rule == "input.duplicate" })
    #expect(try tables.map { try count(store, $0) } == before)
    #expect(second.summary.contains("0 inserted, 0 updated, 0 unchanged, 3 duplicate"))
    // Modes: 0600 store in a 0700 directory.
    var st = stat()
    #expect(stat(path, &st) == 0 && st.st_mode & 0o777 == 0o600)
    #expect(stat(dir + "/store", &st) == 0 && st.st_mode & 0o777 == 0o700)
  }

  @Test("a re-export with one changed entity: 1 updated, the rest unchanged, both versions kept with their provenance")
  func changedReExport() throws {
    let dir = makeTemporaryDirectory("store-reexport").path
    let path = dir + "/cases.sqlite"
    try write(caseLines(title: "First title"), to: dir + "/monday.jsonl")
    try write(caseLines(title: "Second title"), to: dir + "/tuesday.jsonl")
    let monday = try importInputs([dir + "/monday.jsonl"], store: path, runID: "monday")
    #expect(monday.inputs[0].inserted == 3 && monday.inputs[0].updated == 0 && monday.inputs[0].unchanged == 0)
    let tuesday = try importInputs([dir + "/tuesday.jsonl"], store: path, runID: "tuesday")
    let r = tuesday.inputs[0]
    #expect(r.disposition == .processed)
    #expect(r.inserted == 0 && r.updated == 1 && r.unchanged == 2)
    let store = try CaseStore(path: path)
    let versions = try store.db.read {
      try Row.fetchAll($0, sql: "SELECT version, json, input_sha256, valid_from, valid_to, run_id FROM entity_versions WHERE id = 'case-store-1' ORDER BY version")
    }
    #expect(versions.count == 2)
    let mondaySha = sha256(try readBytes(URL(fileURLWithPath: dir + "/monday.jsonl")))
    let tuesdaySha = sha256(try readBytes(URL(fileURLWithPath: dir + "/tuesday.jsonl")))
    if versions.count == 2 {
      let v1json: String = versions[0]["json"]
      let v2json: String = versions[1]["json"]
      #expect(v1json.contains("First title") && v1json.contains(mondaySha))
      #expect(v2json.contains("Second title") && v2json.contains(tuesdaySha))
      #expect((versions[0]["valid_to"] as String?) == (versions[1]["valid_from"] as String?))
      #expect((versions[1]["valid_to"] as String?) == nil)
    }
    // The unchanged entities: one version, and a sighting of the second delivery.
    #expect(try count(store, "entity_versions", "id = 'person-store-1'") == 1)
    #expect(try count(store, "entity_sightings", "id = 'person-store-1' AND input_sha256 = ?", [tuesdaySha]) == 1)
    // The case row follows the current version; identifier rows are indexed once (the person did not change).
    #expect(try count(store, "cases", "case_id = 'case-store-1' AND case_number = 'STORE-2026-0001' AND agency_id = 'agency-store-1'") == 1)
    #expect(try count(store, "identifiers", "kind = 'email' AND value = 'pat.placeholder@example.org'") == 1)
    #expect(try count(store, "identifiers", "kind = 'phone' AND value = '+13125550142'") == 1)
  }

  @Test("case attribution: case entities, caseId fields, and the single case of an input for the rest")
  func caseAttribution() throws {
    let dir = makeTemporaryDirectory("store-cases").path
    let path = dir + "/cases.sqlite"
    try write(caseLines(title: "T"), to: dir + "/a.jsonl")
    // A second input with two cases: a role naming case-store-1 by caseId; a person referenced by it; an unrelated
    // person that gets no case (the input has two cases).
    try write("""
      {"type":"case","id":"case-store-2","caseNumber":"STORE-2026-0002"}
      {"type":"roleAssignment","id":"role-store-1","personId":"person-store-1","role":"victim","caseId":"case-store-1"}
      {"type":"person","id":"person-store-2","names":[{"full":"Alex Example"}]}

      """, to: dir + "/b.jsonl")
    let report = try importInputs([dir + "/a.jsonl", dir + "/b.jsonl"], store: path)
    #expect(report.inputs.map(\.disposition) == [.processed, .processed])
    let store = try CaseStore(path: path)
    func cases(_ id: String) throws -> [String] {
      try store.db.read { try String.fetchAll($0, sql: "SELECT case_id FROM entity_cases WHERE entity_id = ? ORDER BY case_id", arguments: [id]) }
    }
    #expect(try cases("case-store-1") == ["case-store-1"])
    #expect(try cases("person-store-1") == ["case-store-1"])  // the single case of input a
    #expect(try cases("agency-store-1") == ["case-store-1"])
    #expect(try cases("role-store-1") == ["case-store-1"])
    #expect(try cases("case-store-2") == ["case-store-2"])
    #expect(try cases("person-store-2") == [])
  }

  @Test("a reference to an entity of an earlier delivery resolves against the store (no ref.dangling) and carries its case")
  func referencesResolveAgainstTheStore() throws {
    let dir = makeTemporaryDirectory("store-refs").path
    let path = dir + "/cases.sqlite"
    try write(caseLines(title: "T"), to: dir + "/a.jsonl")
    try write("""
      {"type":"roleAssignment","id":"role-store-9","personId":"person-store-1","role":"victim"}
      {"type":"roleAssignment","id":"role-store-10","personId":"person-store-missing","role":"victim"}

      """, to: dir + "/b.jsonl")
    try importInputs([dir + "/a.jsonl"], store: path, runID: "a")
    let b = try importInputs([dir + "/b.jsonl"], store: path, runID: "b")
    #expect(b.inputs[0].accepted == 1 && b.inputs[0].quarantined == 1)
    #expect(b.inputs[0].rules["ref.dangling"] == 1)
    let store = try CaseStore(path: path)
    #expect(try store.db.read { try String.fetchAll($0, sql: "SELECT case_id FROM entity_cases WHERE entity_id = 'role-store-9'") } == ["case-store-1"])
  }

  @Test("quarantine rows are located and slice_sha256 is the SHA-256 of the quarantined bytes")
  func quarantineSlices() throws {
    let dir = makeTemporaryDirectory("store-quarantine").path
    let path = dir + "/cases.sqlite"
    let input = sample("jsonl/invalid/mixed.jsonl")
    let report = try importInputs([input], store: path)
    let r = report.inputs[0]
    #expect(r.quarantined > 0)
    let bytes = try readBytes(URL(fileURLWithPath: input))
    let store = try CaseStore(path: path)
    let rows = try store.db.read {
      try Row.fetchAll($0, sql: "SELECT rule, line, byte_offset, byte_length, slice_sha256, input_sha256, run_id FROM quarantine WHERE severity = 'error'")
    }
    #expect(rows.count >= r.quarantined)
    var records = Set<Int>()
    for row in rows {
      let off: Int = row["byte_offset"]
      let len: Int = row["byte_length"]
      let slice: String? = row["slice_sha256"]
      #expect((row["line"] as Int?) != nil)
      #expect(slice == sha256(Array(bytes[off..<(off + len)])))
      #expect((row["input_sha256"] as String) == sha256(bytes))
      records.insert(off)
    }
    #expect(records.count == r.quarantined)
    let processed = try store.db.read { try Row.fetchOne($0, sql: "SELECT * FROM processed_inputs") }
    #expect((processed?["read"] as Int?) == r.read)
    #expect((processed?["quarantined"] as Int?) == r.quarantined)
    #expect((processed?["parser_version"] as String?) == CaseStoreParserVersion)
    #expect((processed?["profile_sha256"] as String?) == "")
  }

  @Test("a whole-input failure leaves no row of that input while the other inputs commit")
  func wholeInputFailureRollsBack() throws {
    let dir = makeTemporaryDirectory("store-rollback").path
    let path = dir + "/cases.sqlite"
    let bad = sample("json/invalid/truncated.json")
    let good = sample("jsonl/valid/case-0001.jsonl")
    let report = try importInputs([bad, good], store: path)
    #expect(report.inputs[0].disposition == .rejected)
    #expect(report.inputs[1].disposition == .processed)
    #expect(report.exitCode == 65)
    let store = try CaseStore(path: path)
    let badSha = sha256(try readBytes(URL(fileURLWithPath: bad)))
    for table in ["entity_versions", "entity_sightings", "identifiers", "quarantine", "processed_inputs"] {
      #expect(try count(store, table, "input_sha256 = ?", [badSha]) == 0, "\(table)")
    }
    #expect(try count(store, "processed_inputs") == 1)
    #expect(try count(store, "entity_versions") == 15)

    // A failure in the middle of an input (phase B): everything since beginInput is taken back.
    let ingest = StoreIngest(store: store)
    try ingest.beginInput(StoreInput(
      runID: "mid", command: "import", configurationSha256: "", runStartedAt: Instant(seconds: 0), index: 0,
      name: "x.jsonl", sha256: String(repeating: "a", count: 64), bytes: 1, format: .jsonl, profileID: nil,
      profileSha256: "", parserVersion: CaseStoreParserVersion))
    try ingest.accept([.person(Person(id: EntityID("person-mid")))], recordIndex: 0, span: SourceSpan(byteOffset: 0, byteLength: 1, line: 1, column: 1), entityKeys: [])
    #expect(try count(store, "entity_versions", "id = 'person-mid'") == 1)  // inside the open transaction
    ingest.rollbackInput()
    #expect(try count(store, "entity_versions", "id = 'person-mid'") == 0)
    #expect(try count(store, "runs", "run_id = 'mid'") == 0)
  }

  @Test("merge(stagingPath:) applies a staging store with the same version logic, and a second merge adds nothing")
  func mergeStaging() throws {
    let dir = makeTemporaryDirectory("store-merge").path
    try write(caseLines(title: "First title"), to: dir + "/monday.jsonl")
    try write(caseLines(title: "Second title"), to: dir + "/tuesday.jsonl")
    let inputs = [sample("jsonl/invalid/mixed.jsonl"), sample("csv/valid/isp-subscribers-2024.csv")]
    // Reference: a direct import. Staging: the same inputs into a private store, merged into a fresh target.
    try importInputs(inputs + [dir + "/monday.jsonl"], store: dir + "/direct.sqlite", runID: "r")
    try importInputs(inputs + [dir + "/monday.jsonl"], store: dir + "/staging.sqlite", runID: "r")
    let target = try CaseStore(path: dir + "/target.sqlite")
    let merged = try target.merge(stagingPath: dir + "/staging.sqlite")
    #expect(merged.map(\.disposition) == [.processed, .processed, .processed])
    let direct = try CaseStore(path: dir + "/direct.sqlite")
    func dump(_ s: CaseStore) throws -> [[String]] {
      try s.db.read { db in
        [
          try String.fetchAll(db, sql: "SELECT id || ' ' || version || ' ' || content_sha256 || ' ' || json FROM entity_versions ORDER BY id, version"),
          try String.fetchAll(db, sql: "SELECT kind || qualifier || value || entity_id FROM identifiers ORDER BY 1"),
          try String.fetchAll(db, sql: "SELECT entity_id || case_id FROM entity_cases ORDER BY 1"),
          try String.fetchAll(db, sql: "SELECT rule || ifnull(byte_offset, '') || ifnull(slice_sha256, '') FROM quarantine ORDER BY 1"),
          try String.fetchAll(db, sql: "SELECT input_sha256 || read || accepted || quarantined || inserted || updated || unchanged FROM processed_inputs ORDER BY 1"),
        ]
      }
    }
    #expect(try dump(target) == dump(direct))
    #expect(merged.map(\.counts.inserted) == (try direct.db.read { try Int.fetchAll($0, sql: "SELECT inserted FROM processed_inputs ORDER BY rowid") }))
    // Idempotent.
    let again = try target.merge(stagingPath: dir + "/staging.sqlite")
    #expect(again.allSatisfy { $0.disposition == .duplicate && $0.counts == StoreCounts() })
    #expect(try dump(target) == dump(direct))
    // A later staging store with a changed delivery: the version logic applies against the target.
    try importInputs([dir + "/tuesday.jsonl"], store: dir + "/staging2.sqlite", runID: "r2")
    let next = try target.merge(stagingPath: dir + "/staging2.sqlite")
    #expect(next.count == 1 && next[0].counts == StoreCounts(inserted: 0, updated: 1, unchanged: 2))
    #expect(try count(target, "entity_versions", "id = 'case-store-1'") == 2)
    #expect(throws: StoreError.self) { _ = try target.merge(stagingPath: dir + "/missing.sqlite") }
  }

  @Test("a store file that is not SQLite is refused (78, store.unreadable) and left unchanged")
  func notSQLite() throws {
    let dir = makeTemporaryDirectory("store-notsqlite").path
    let path = dir + "/cases.sqlite"
    try write("this is not a database, just text that is long enough to have a header\n", to: path)
    do {
      _ = try CaseStore(path: path)
      Issue.record("opened a text file as a store")
    } catch {
      #expect(error.exitCode == 78)
      #expect(error.rule == "store.unreadable")
    }
    #expect(String(decoding: try readBytes(URL(fileURLWithPath: path)), as: UTF8.self).hasPrefix("this is not a database"))
  }
}
