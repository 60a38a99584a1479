import Testing
import CaseBridge
import GRDB
@testable import CaseStore
#if canImport(Glibc)
  import Glibc
#endif

@Suite("store queries over a planted fixture")
struct QueryTests {
  @Test("search normalises every kind: e-mail case, phone spellings, IPv4-mapped, hash, account, service:name")
  func searchKinds() throws {
    let p = try Planted("search-kinds")
    let us = PhoneRegion.named("US")
    let r = try p.f.store.search(
      ["JANE.DOE@example.com", "+1 312 555 0142", "0013125550142", "(312) 555-0142", "::ffff:198.51.100.7",
       "0123456789ABCDEF0123456789ABCDEF", "md5:0123456789abcdef0123456789abcdef", "1234567", "chatapp:1234567",
       "ChatApp:Testy_Example", "nobody@example.net"],
      options: SearchOptions(region: us))
    func ids(_ i: Int) -> Set<String> { Set(r.values[i].matches.map(\.entityID)) }
    let person1 = Planted.id(1).rawValue
    let person2 = Planted.id(2).rawValue
    #expect(ids(0) == [person1, person2])
    #expect(ids(1) == [person1, person2] && ids(2) == ids(1) && ids(3) == ids(1))
    #expect(ids(4) == [Planted.id(10).rawValue, Planted.id(11).rawValue, Planted.id(12).rawValue])
    #expect(ids(5) == [Planted.id(40).rawValue, Planted.id(41).rawValue] && ids(6) == ids(5))
    // A bare account id matches every service; service:name only that one.
    #expect(ids(7) == [Planted.id(30).rawValue, Planted.id(31).rawValue, Planted.id(32).rawValue])
    #expect(ids(8) == [Planted.id(30).rawValue, Planted.id(31).rawValue])
    #expect(ids(9) == [Planted.id(30).rawValue])
    #expect(r.values[10].matches.isEmpty)
    // Cases, agencies, first/last seen and provenance of a match.
    let m = try #require(r.values[0].matches.first { $0.entityID == person1 })
    #expect(m.cases.map(\.label) == ["C-1"] && m.cases.first?.agency == "XX0000001")
    #expect(m.version == 2 && m.isCurrent)
    #expect(m.firstSeen == "2024-01-01T00:00:00Z" && m.lastSeen == "2024-03-05T00:00:00Z")
    #expect(m.provenance.first?.inputSha256 == String(repeating: "b", count: 64) && m.provenance.first?.recordIndex == 7)
    #expect(m.provenance.first?.recordKey == "P-1")
  }

  @Test("a national number without --region is a usage error; an unparsable +number too")
  func phoneNeedsRegion() {
    #expect(throws: SearchUsageError.self) { _ = try CaseStore.searchKeys("(312) 555-0142", region: nil) }
    #expect(throws: SearchUsageError.self) { _ = try CaseStore.searchKeys("+1 999", region: nil) }
    // Plain digits without a region are an account id or username, never a guessed phone.
    #expect((try? CaseStore.searchKeys("3125550142", region: nil))?.contains { $0.kind == "phone" } == false)
    #expect((try? CaseStore.searchKeys("3125550142", region: PhoneRegion.named("US")))?.contains { $0.kind == "phone" } == true)
  }

  @Test("IP search with --at inside and outside a lease, and --port against a port block")
  func searchIPAtAndPort() throws {
    let p = try Planted("search-ip")
    func hits(_ v: String, _ o: SearchOptions) throws -> Set<String> {
      Set(try p.f.store.search([v], options: o).values[0].matches.map(\.entityID))
    }
    let inside = try hits("198.51.100.7", SearchOptions(at: Instant.parseUTC("2024-03-01T10:30:00Z")))
    #expect(inside == [Planted.id(10).rawValue])  // the lease only (the upload is at 11:00)
    let atUpload = try hits("198.51.100.7", SearchOptions(at: Instant.parseUTC("2024-03-01T11:00:00Z")))
    #expect(atUpload == [Planted.id(10).rawValue, Planted.id(11).rawValue])
    let outside = try hits("198.51.100.7", SearchOptions(at: Instant.parseUTC("2024-03-01T12:00:01Z")))
    #expect(outside.isEmpty)
    let widened = try hits("198.51.100.7", SearchOptions(at: Instant.parseUTC("2024-03-01T12:00:30Z"), windowSeconds: 60))
    #expect(widened == [Planted.id(10).rawValue])
    let openLease = try hits("203.0.113.9", SearchOptions(at: Instant.parseUTC("2030-01-01T00:00:00Z")))
    #expect(openLease == [Planted.id(20).rawValue])
    let port = try hits("203.0.113.9", SearchOptions(port: 1500))
    #expect(port == [Planted.id(20).rawValue, Planted.id(21).rawValue])
    #expect(try hits("203.0.113.9", SearchOptions(port: 5000)) == [Planted.id(22).rawValue])
  }

  @Test("links: planted overlaps found, decoys (other service, old version, other day, other port) not")
  func linksPlanted() throws {
    let p = try Planted("links")
    let r = try p.f.store.links()
    let got = Set(r.links.map { "\($0.kind)|\($0.qualifier)|\($0.value)|\($0.cases.map(\.label).joined(separator: ","))" })
    #expect(
      got == [
        "email||jane.doe@example.com|C-1,C-2", "phone||+13125550142|C-1,C-2", "account|chatapp|1234567|C-1,C-2",
        "hash|md5|0123456789abcdef0123456789abcdef|C-1,C-3", "ip||198.51.100.7|C-1,C-2", "ip||203.0.113.9|C-1,C-2",
      ])
    let email = try #require(r.links.first { $0.kind == "email" })
    #expect(email.agencies == ["XX0000001", "XX0000002"] && email.matchKind == "exact")
    let ip = try #require(r.links.first { $0.value == "198.51.100.7" })
    #expect(ip.matchKind == "ip-time-overlap" && ip.activityFrom == "2024-03-01T10:00:00Z" && ip.activityTo == "2024-03-01T12:00:00Z")
    #expect(Set(ip.entityIDs) == [Planted.id(10).rawValue, Planted.id(11).rawValue])
    let cgnat = try #require(r.links.first { $0.value == "203.0.113.9" })
    #expect(cgnat.ports == ["1500", "1024-2047"] && cgnat.activityTo == nil)
    // --min-cases 3: the md5 (one agency, two cases) drops; cross-agency links stay.
    let three = try p.f.store.links(minCases: 3)
    #expect(!three.links.contains { $0.kind == "hash" } && three.links.contains { $0.kind == "email" })
    // A window of a day links the decoy observation (next day) to the upload and the lease.
    let wide = try p.f.store.links(windowSeconds: 86_400)
    let widened = try #require(wide.links.first { $0.value == "198.51.100.7" })
    #expect(widened.cases.map(\.label) == ["C-1", "C-2", "C-3"])
  }

  @Test("IP port rules: no port on either side links, a port on one side only does not, blocks overlap")
  func ipPortRules() throws {
    let f = try StoreFixture("ports")
    var entities: [Entity] = []
    for (n, c) in [(1, "k1"), (2, "k2"), (3, "k3"), (4, "k4"), (5, "k5"), (6, "k6")] {
      let e = Entity.ipObservation(IPObservation(id: Planted.id(100 + n), ip: try IPAddress.parse("192.0.2.5").get()))
      entities.append(e)
      try f.put(e, cases: [c])
    }
    let t = "2024-05-01T00:00:00Z"
    try f.ident("ip", "192.0.2.5", of: entities[0], start: t, end: t)  // k1 no port
    try f.ident("ip", "192.0.2.5", of: entities[1], start: t, end: t)  // k2 no port: links k1
    try f.ident("ip", "192.0.2.5", of: entities[2], port: 80, start: t, end: t)  // k3 port 80: links none of k1/k2
    try f.ident("ip", "192.0.2.5", of: entities[3], port: 70, portLast: 90, start: t, end: t)  // k4 block: links k3
    try f.ident("ip", "192.0.2.5", of: entities[4], port: 85, portLast: 100, start: t, end: t)  // k5 block overlaps k4, k3
    try f.ident("ip", "192.0.2.5", of: entities[5], port: 443, start: t, end: t)  // k6: alone
    let r = try f.store.links()
    let groups = Set(r.links.map { $0.cases.map(\.caseID).joined(separator: ",") })
    #expect(groups == ["k1,k2", "k3,k4,k5"])
  }

  @Test("an observation row without at_end is an instant, never an open lease; a lease without one is open")
  func observationWithoutEnd() throws {
    let f = try StoreFixture("obs-no-end")
    let ip = try IPAddress.parse("192.0.2.9").get()
    let obs1 = Entity.ipObservation(IPObservation(id: Planted.id(201), ip: ip))
    let obs2 = Entity.ipObservation(IPObservation(id: Planted.id(202), ip: ip))
    let lease = Entity.ipAssignment(IPAssignment(id: Planted.id(203), ip: ip))
    try f.put(obs1, cases: ["q1"])
    try f.put(obs2, cases: ["q2"])
    try f.ident("ip", "192.0.2.9", of: obs1, start: "2024-06-01T00:00:00Z", end: nil)
    try f.ident("ip", "192.0.2.9", of: obs2, start: "2024-06-02T00:00:00Z", end: "2024-06-02T00:00:00Z")
    #expect(try f.store.links().links.isEmpty)
    #expect(try f.store.search(["192.0.2.9"], options: SearchOptions(at: Instant.parseUTC("2024-06-03T00:00:00Z"))).values[0].matches.isEmpty)
    try f.put(lease, cases: ["q3"])
    try f.ident("ip", "192.0.2.9", of: lease, start: "2024-05-01T00:00:00Z", end: nil)
    let links = try f.store.links().links
    #expect(links.count == 1 && links.first?.cases.map(\.caseID) == ["q1", "q2", "q3"] && links.first?.activityTo == nil)
  }

  @Test("export --as-of picks the version valid then; the current export has the latest; order is type then id")
  func exportAsOf() throws {
    let p = try Planted("export")
    func people(_ asOf: String?) throws -> [Entity] {
      var out: [Entity] = []
      try p.f.store.forEachExported(caseID: nil, asOf: asOf.flatMap { Instant.parseUTC($0) }) { out.append($0) }
      return out
    }
    let now = try people(nil)
    #expect(now.contains(p.person1v2) && !now.contains(p.person1v1))
    let then = try people("2024-01-15T00:00:00Z")
    #expect(then.contains(p.person1v1) && !then.contains(p.person1v2))
    let atBoundary = try people("2024-02-01T00:00:00Z")
    #expect(atBoundary.contains(p.person1v2) && !atBoundary.contains(p.person1v1))
    let order = now.map { "\(EntityType.allCases.firstIndex(of: $0.type)!)|\($0.id.rawValue)" }
    #expect(order == order.sorted())
    #expect(now.first?.type == .case)
    // One case: its own entities and shared ones (the agency), nothing of the others.
    var c2: [Entity] = []
    try p.f.store.forEachExported(caseID: Planted.c2, asOf: nil) { c2.append($0) }
    #expect(Set(c2.map(\.id.rawValue)) == [
      Planted.c2, Planted.agencyB, Planted.id(2).rawValue, Planted.id(11).rawValue, Planted.id(21).rawValue, Planted.id(31).rawValue,
    ])
    // Through the jsonl writer: the canonical lines as stored.
    let out = p.f.dir + "/export.jsonl"
    let result = try p.f.store.export(to: .jsonl, target: out, caseID: Planted.c2)
    #expect(result.entities == 6)
    let text = try String(contentsOfFileLite: out)
    #expect(text.split(separator: "\n").first.map(String.init) == StoreFixture.canonical(c2[0]))
    #expect(try p.f.store.resolveCase("C-2") == Planted.c2)
    #expect(throws: StoreQueryError.self) { _ = try p.f.store.resolveCase("C-404") }
  }

  @Test("history lists every version with validity, content hash, key and provenance, and the sightings")
  func historyVersions() throws {
    let p = try Planted("history")
    let h = try p.f.store.history(Planted.id(1).rawValue)
    #expect(h.count == 1)
    let versions = try #require(h.first?.versions)
    #expect(versions.map(\.version) == [1, 2])
    #expect(versions[0].validTo == "2024-02-01T00:00:00Z" && versions[1].validTo == nil)
    #expect(versions[0].contentSha256 != versions[1].contentSha256 && versions[1].recordKey == "P-1")
    #expect(versions[1].provenance.first?.inputSha256 == String(repeating: "b", count: 64))
    #expect(h.first?.sightings.map(\.seenAt) == ["2024-03-05T00:00:00Z"])
    #expect(try p.f.store.history("P-1").first?.entityID == Planted.id(1).rawValue)
    #expect(try p.f.store.history("no-such-id").isEmpty)
  }

  @Test("verify: ok, a modified archived file and a modified quarantine slice are mismatches, a lost one missing")
  func verifyArchive() throws {
    let f = try StoreFixture("verify")
    let archive = f.dir + "/archive"
    _ = mkdir(archive, 0o700)
    _ = mkdir(archive + "/2024", 0o700)
    let good = Array("line one\nline two bad\nline three\n".utf8)
    let goodSHA = sha256Hex(good)
    let other = Array("another input\n".utf8)
    let otherSHA = sha256Hex(other)
    try writeFileLite(archive + "/2024/\(goodSHA)-a.jsonl", good)  // found by name (archive_path NULL)
    try writeFileLite(archive + "/b.jsonl", other)
    try f.input(goodSHA, name: "a.jsonl")
    try f.input(otherSHA, name: "b.jsonl", archivePath: "b.jsonl")
    try f.input(String(repeating: "e", count: 64), name: "lost.jsonl")
    let slice = Array(good[9..<23])
    try f.store.db.write {
      try $0.execute(
        sql: """
          INSERT INTO quarantine(run_id, input_sha256, record_index, rule, severity, line, byte_offset, byte_length, message, slice_sha256)
          VALUES ('run-1', ?, 1, 'json.syntax', 'error', 2, 9, 14, 'bad', ?)
          """, arguments: [goodSHA, sha256Hex(slice)])
    }
    var r = try f.store.verify(archive: archive)
    #expect(r.inputs.map(\.status) == [.ok, .ok, .missing] && r.inputs[0].slicesChecked == 1)
    #expect(r.exitCode == 66)
    try f.store.db.write { try $0.execute(sql: "DELETE FROM processed_inputs WHERE name = 'lost.jsonl'") }
    #expect(try f.store.verify(archive: archive).exitCode == 0)
    // The archived b.jsonl modified: mismatch, exit 65.
    try writeFileLite(archive + "/b.jsonl", Array("another inpuT\n".utf8))
    r = try f.store.verify(archive: archive)
    #expect(r.inputs[1].status == .mismatch && r.inputs[1].fileMatches == false && r.exitCode == 65)
    // The slice's recorded hash no longer matching the archived bytes (a tampered quarantine row or file region).
    try writeFileLite(archive + "/b.jsonl", other)
    try f.store.db.write { try $0.execute(sql: "UPDATE quarantine SET byte_offset = 10") }
    r = try f.store.verify(archive: archive)
    #expect(r.inputs[0].status == .mismatch && r.inputs[0].fileMatches == true && r.inputs[0].slicesMismatched.count == 1)
    #expect(r.exitCode == 65)
  }

  @Test("purge removes only the case's own entities, detaches shared ones, records the purge")
  func purgeCase() throws {
    let p = try Planted("purge")
    let f = p.f
    let before = try f.count("SELECT COUNT(*) FROM entity_versions")
    let r = try f.store.purge(caseID: Planted.c3, runID: "purge-test", now: "2024-06-01T00:00:00Z")
    // Case 3 owned: the case entity, the decoy observation, the port decoy, the decoy account, file3.
    #expect(r.entities == 5 && r.versions == 5 && r.detached == 1)
    #expect(try f.count("SELECT COUNT(*) FROM entity_versions") == before - 5)
    for id in [Planted.c3, Planted.id(12).rawValue, Planted.id(22).rawValue, Planted.id(32).rawValue, Planted.id(41).rawValue] {
      #expect(try f.store.db.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM identifiers WHERE entity_id = ?", arguments: [id]) } == 0)
      #expect(try f.store.history(id).isEmpty)
    }
    #expect(try f.count("SELECT COUNT(*) FROM entity_cases WHERE case_id = '\(Planted.c3)'") == 0)
    #expect(try f.count("SELECT COUNT(*) FROM cases") == 2)
    // The shared agency stays, with case 1 only.
    #expect(try f.store.history(Planted.agencyA).first?.cases.map(\.label) == ["C-1"])
    #expect(try f.count("SELECT COUNT(*) FROM purges WHERE case_id = '\(Planted.c3)' AND entities = 5 AND versions = 5 AND run_id = 'purge-test'") == 1)
    #expect(try f.count("SELECT COUNT(*) FROM runs WHERE run_id = 'purge-test' AND command = 'purge'") == 1)
    // The md5 link (cases 1 and 3) is gone; the others stay.
    #expect(!(try f.store.links().links.contains { $0.kind == "hash" }))
    #expect(throws: StoreQueryError.self) { _ = try f.store.purge(caseID: Planted.c3, runID: "again", now: "2024-06-02T00:00:00Z") }
  }

  @Test("search and links read the identifier index (EXPLAIN QUERY PLAN), never scan identifiers")
  func queryPlans() throws {
    let p = try Planted("plans")
    func plan(_ sql: String, _ args: StatementArguments) throws -> String {
      try p.f.store.db.read { db in
        try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql, arguments: args).map { $0["detail"] as String }
          .joined(separator: "\n")
      }
    }
    let lookup = try plan(CaseStore.lookupSQL, ["email", "", "x"])
    #expect(lookup.contains("USING INDEX identifiers_lookup") || lookup.contains("USING COVERING INDEX identifiers_lookup"))
    let any = try plan(CaseStore.lookupAnyQualifierSQL, ["username", "x"])
    #expect(any.contains("INDEX identifiers_value") || any.contains("INDEX identifiers_lookup"))
    #expect(!lookup.contains("SCAN identifiers") && !any.contains("SCAN identifiers"))
    let links = try plan(CaseStore.exactLinksSQL, [2])
    // The candidate pass reads only the covering lookup index; the candidates are joined through the indexes.
    #expect(links.contains("COVERING INDEX identifiers_lookup"), "\(links)")
    #expect(links.contains("SEARCH i USING INDEX identifiers_lookup (kind=? AND qualifier=? AND value=?)"), "\(links)")
    #expect(!links.contains("SCAN identifiers") && !links.contains("SCAN i\n"), "\(links)")
    #expect(throws: StoreQueryError.self) { _ = try p.f.store.links(minCases: 1) }
  }
}

func writeFileLite(_ path: String, _ bytes: [UInt8]) throws {
  let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
  guard fd >= 0 else { throw StoreQueryError("cannot write \(path)") }
  defer { close(fd) }
  _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
}

extension String {
  init(contentsOfFileLite path: String) throws {
    let fd = open(path, O_RDONLY)
    guard fd >= 0 else { throw StoreQueryError("cannot read \(path)") }
    defer { close(fd) }
    var out: [UInt8] = []
    var buf = [UInt8](repeating: 0, count: 65536)
    while true {
      let n = buf.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
      if n <= 0 { break }
      out += buf[0..<n]
    }
    self = String(decoding: out, as: UTF8.self)
  }
}
