import CaseBridge
import GRDB
#if canImport(Glibc)
  import Glibc
#endif

/// A store filled directly with SQL (the shape the import writes: versions, cases, identifier rows), so the query
/// side is tested without the ingest code.
final class StoreFixture {
  let dir: String
  let path: String
  let store: CaseStore

  init(_ name: String) throws {
    dir = "/tmp/casebridge-query-\(name)-\(getpid())"
    _ = system("rm -rf '\(dir)'")
    _ = mkdir(dir, 0o700)
    path = dir + "/s/cases.sqlite"
    store = try CaseStore(path: path)
  }

  deinit { _ = system("rm -rf '\(dir)'") }

  /// Canonical JSON of an entity (one JSONL line without its newline), through the canonical writer.
  static func canonical(_ e: Entity) -> String {
    let sink = MemoryByteSink()
    var w = JSONLinesWriter(sink: sink)
    try! w.write([e])
    try! w.finish()
    return String(decoding: sink.bytes.dropLast(), as: UTF8.self)
  }

  /// An input row (processed_inputs).
  func input(_ sha: String, name: String, archivePath: String? = nil, received: String = "2024-01-01T00:00:00Z") throws {
    try store.db.write {
      try $0.execute(
        sql: """
          INSERT INTO processed_inputs(input_sha256, profile_sha256, parser_version, name, size, format, received_utc, run_id,
            result, read, accepted, quarantined, ignored, inserted, updated, unchanged, archive_path)
          VALUES (?, '', 'p1', ?, 0, 'jsonl', ?, 'run-1', 'accepted', 0, 0, 0, 0, 0, 0, 0, ?)
          """, arguments: [sha, name, received, archivePath])
    }
  }

  /// A version of an entity, attributed to cases.
  func put(
    _ e: Entity, version: Int = 1, from: String = "2024-01-01T00:00:00Z", to: String? = nil, cases: [String] = [],
    input: String = String(repeating: "a", count: 64), record: Int? = 0, key: String? = nil
  ) throws {
    let json = Self.canonical(e)
    try store.db.write { db in
      try db.execute(
        sql: """
          INSERT INTO entity_versions(id, version, type, content_sha256, json, source_system, record_key, input_sha256,
            record_index, run_id, valid_from, valid_to)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'run-1', ?, ?)
          """,
        arguments: [
          e.id.rawValue, version, e.type.rawValue, sha256Hex(Array(json.utf8)), json, key == nil ? nil : "rms", key, input,
          record, from, to,
        ])
      for c in cases {
        try db.execute(sql: "INSERT OR IGNORE INTO entity_cases(entity_id, case_id) VALUES (?, ?)", arguments: [e.id.rawValue, c])
      }
      if case .caseRecord(let c) = e {
        try db.execute(
          sql: "INSERT OR REPLACE INTO cases(case_id, case_number, agency_id) VALUES (?, ?, ?)",
          arguments: [c.id.rawValue, c.caseNumber, c.agencyId?.rawValue])
      }
    }
  }

  /// An identifier row.
  func ident(
    _ kind: String, _ value: String, qualifier: String = "", of e: Entity, version: Int = 1, port: Int? = nil,
    portLast: Int? = nil, start: String? = nil, end: String? = nil
  ) throws {
    try store.db.write {
      try $0.execute(
        sql: """
          INSERT INTO identifiers(kind, qualifier, value, port, port_last, at_start, at_end, entity_id, entity_version,
            entity_type, input_sha256)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
          """,
        arguments: [kind, qualifier, value, port, portLast, start, end, e.id.rawValue, version, e.type.rawValue, String(repeating: "a", count: 64)])
    }
  }

  func sighting(_ e: Entity, version: Int, input: String, seenAt: String) throws {
    try store.db.write {
      try $0.execute(
        sql: "INSERT INTO entity_sightings(id, version, input_sha256, record_index, run_id, seen_at) VALUES (?, ?, ?, 3, 'run-2', ?)",
        arguments: [e.id.rawValue, version, input, seenAt])
    }
  }

  func count(_ sql: String) throws -> Int { try store.db.read { try Int.fetchOne($0, sql: sql) ?? -1 } }
}

/// The planted fixture: two agencies, three cases, overlaps and decoys of every identifier kind.
struct Planted {
  let f: StoreFixture
  static let agencyA = "00000000-0000-4000-8000-00000000000a"
  static let agencyB = "00000000-0000-4000-8000-00000000000b"
  static let c1 = "00000000-0000-4000-8000-0000000000c1"
  static let c2 = "00000000-0000-4000-8000-0000000000c2"
  static let c3 = "00000000-0000-4000-8000-0000000000c3"

  static func id(_ n: Int) -> EntityID {
    let s = String(n)
    return EntityID("00000000-0000-4000-8000-" + String(repeating: "0", count: 12 - s.count) + s)
  }

  var person1v1: Entity
  var person1v2: Entity
  var person2: Entity
  var lease: Entity
  var upload: Entity
  var decoyObservation: Entity
  var cgnatLease: Entity
  var portMatch: Entity
  var portDecoy: Entity
  var account1: Entity
  var account2: Entity
  var accountDecoy: Entity
  var file1: Entity
  var file3: Entity

  init(_ name: String) throws {
    f = try StoreFixture(name)
    var a = Agency(id: EntityID(Self.agencyA), name: "Fictional Police One")
    a.identifier = "XX0000001"
    var b = Agency(id: EntityID(Self.agencyB), name: "Fictional Sheriff Two")
    b.identifier = "XX0000002"
    try f.put(.agency(a), cases: [Self.c1, Self.c3])
    try f.put(.agency(b), cases: [Self.c2])
    for (cid, number, agency) in [(Self.c1, "C-1", Self.agencyA), (Self.c2, "C-2", Self.agencyB), (Self.c3, "C-3", Self.agencyA)] {
      var c = Case(id: EntityID(cid))
      c.caseNumber = number
      c.agencyId = EntityID(agency)
      try f.put(.caseRecord(c), cases: [cid])
    }
    // A keyed person in case 1 with two versions (e-mail changed), re-delivered unchanged once.
    var p = Person(id: Self.id(1))
    p.names = [PersonName(given: "Testy", family: "Example")]
    p.emails = [ContactEmail(address: try EmailAddress.parse("old.address@example.com").get())]
    person1v1 = .person(p)
    p.emails = [ContactEmail(address: try EmailAddress.parse("Jane.Doe@Example.COM").get())]
    p.phones = [ContactPhone(number: try PhoneNumber.parse("+1 312 555 0142", defaultRegion: nil).get())]
    person1v2 = .person(p)
    try f.put(person1v1, version: 1, from: "2024-01-01T00:00:00Z", to: "2024-02-01T00:00:00Z", cases: [Self.c1], key: "P-1")
    try f.put(person1v2, version: 2, from: "2024-02-01T00:00:00Z", cases: [Self.c1], input: String(repeating: "b", count: 64), record: 7, key: "P-1")
    try f.sighting(person1v2, version: 2, input: String(repeating: "c", count: 64), seenAt: "2024-03-05T00:00:00Z")
    try f.ident("email", "old.address@example.com", of: person1v1, version: 1)
    try f.ident("email", "jane.doe@example.com", of: person1v2, version: 2)
    try f.ident("phone", "+13125550142", of: person1v2, version: 2)
    // The same e-mail and phone in case 2 (another agency).
    var p2 = Person(id: Self.id(2))
    p2.names = [PersonName(given: "Dummy", family: "Person")]
    person2 = .person(p2)
    try f.put(person2, cases: [Self.c2])
    try f.ident("email", "jane.doe@example.com", of: person2)
    try f.ident("phone", "+13125550142", of: person2)
    // Case 1's person's old e-mail is also in case 2, but case 1's row is of an old version: no link.
    try f.ident("email", "old.address@example.com", of: person2)
    // IPs: a lease in case 1, an upload inside it in case 2, a decoy the next day in case 3.
    lease = .ipAssignment(IPAssignment(id: Self.id(10), ip: try IPAddress.parse("198.51.100.7").get()))
    upload = .ipObservation(IPObservation(id: Self.id(11), ip: try IPAddress.parse("::ffff:198.51.100.7").get()))
    decoyObservation = .ipObservation(IPObservation(id: Self.id(12), ip: try IPAddress.parse("198.51.100.7").get()))
    try f.put(lease, cases: [Self.c1])
    try f.put(upload, cases: [Self.c2])
    try f.put(decoyObservation, cases: [Self.c3])
    try f.ident("ip", "198.51.100.7", of: lease, start: "2024-03-01T10:00:00Z", end: "2024-03-01T12:00:00Z")
    try f.ident("ip", "198.51.100.7", of: upload, start: "2024-03-01T11:00:00Z", end: "2024-03-01T11:00:00Z")
    try f.ident("ip", "198.51.100.7", of: decoyObservation, start: "2024-03-02T11:00:00Z", end: "2024-03-02T11:00:00Z")
    // CGNAT: a lease with a port block in case 1; an observation with a port inside it (case 2), one outside (case 3).
    cgnatLease = .ipAssignment(IPAssignment(id: Self.id(20), ip: try IPAddress.parse("203.0.113.9").get()))
    portMatch = .ipObservation(IPObservation(id: Self.id(21), ip: try IPAddress.parse("203.0.113.9").get()))
    portDecoy = .ipObservation(IPObservation(id: Self.id(22), ip: try IPAddress.parse("203.0.113.9").get()))
    try f.put(cgnatLease, cases: [Self.c1])
    try f.put(portMatch, cases: [Self.c2])
    try f.put(portDecoy, cases: [Self.c3])
    try f.ident("ip", "203.0.113.9", of: cgnatLease, port: 1024, portLast: 2047, start: "2024-04-01T00:00:00Z", end: nil)
    try f.ident("ip", "203.0.113.9", of: portMatch, port: 1500, start: "2024-04-02T08:00:00Z", end: "2024-04-02T08:00:00Z")
    try f.ident("ip", "203.0.113.9", of: portDecoy, port: 5000, start: "2024-04-02T08:30:00Z", end: "2024-04-02T08:30:00Z")
    // Accounts: the same chatapp id in cases 1 and 2; the same id on another service in case 3 (decoy).
    var acc = Account(id: Self.id(30))
    acc.service = "ChatApp"
    acc.accountIdentifier = "1234567"
    account1 = .account(acc)
    acc.id = Self.id(31)
    account2 = .account(acc)
    acc.id = Self.id(32)
    acc.service = "OtherApp"
    accountDecoy = .account(acc)
    try f.put(account1, cases: [Self.c1])
    try f.put(account2, cases: [Self.c2])
    try f.put(accountDecoy, cases: [Self.c3])
    try f.ident("account", "1234567", qualifier: "chatapp", of: account1)
    try f.ident("account", "1234567", qualifier: "chatapp", of: account2)
    try f.ident("account", "1234567", qualifier: "otherapp", of: accountDecoy)
    try f.ident("username", "testy_example", qualifier: "chatapp", of: account1)
    // The same md5 in cases 1 and 3 (one agency, two cases).
    var file = EvidenceFile(id: Self.id(40))
    file.hashes = [try HashDigest.parse(algorithm: .md5, hex: "0123456789abcdef0123456789abcdef").get()]
    file1 = .evidenceFile(file)
    file.id = Self.id(41)
    file3 = .evidenceFile(file)
    try f.put(file1, cases: [Self.c1])
    try f.put(file3, cases: [Self.c3])
    try f.ident("hash", "0123456789abcdef0123456789abcdef", qualifier: "md5", of: file1)
    try f.ident("hash", "0123456789abcdef0123456789abcdef", qualifier: "md5", of: file3)
  }
}
