import CaseBridge
import CaseTestSupport
import Foundation
import Testing

/// Model ↔ canonical JSON: every entity type survives encode → decode unchanged, member order is fixed, and the
/// decoder is strict about what it accepts.
@Suite struct EntityCodableTests {
  static func sampleEntities() throws -> [Entity] {
    let bytes = try readBytes(Repo.samples.appendingPathComponent("jsonl/valid/case-0001.jsonl"))
    return try parseJSONLines(bytes).map { v in
      let (e, unknown) = try JSONValueDecoder().decode(Entity.self, from: v)
      #expect(unknown.isEmpty)
      return e
    }
  }

  @Test func everyEntityTypeRoundTrips() throws {
    let entities = try Self.sampleEntities()
    #expect(Set(entities.map(\.type)) == Set(EntityType.allCases))
    for e in entities {
      let json = try EntityJSONEncoder().encode(e)
      let (back, unknown) = try JSONValueDecoder().decode(Entity.self, from: json)
      #expect(unknown.isEmpty)
      #expect(back == e, "\(e.type)")
      // Writing the decoded value again gives the same bytes.
      var a = JSONWriter()
      var b = JSONWriter()
      a.write(json)
      b.write(try EntityJSONEncoder().encode(back))
      #expect(a.bytes == b.bytes)
    }
  }

  /// The hand-written writer gives exactly the bytes of the Codable route, for every sample entity and for
  /// seeded random subsets of their members.
  @Test(arguments: [UInt64(1), 2, 3, 4, 5])
  func directWriterMatchesCodable(seed: UInt64) throws {
    var rng = SplitMix64(seed: seed)
    let lines = try parseJSONLines(readBytes(Repo.samples.appendingPathComponent("jsonl/valid/case-0001.jsonl")))
    var checked = 0
    for line in lines {
      guard case .object(let full) = line else { continue }
      for _ in 0..<20 {
        var o = full
        o.members = o.members.filter { m in ["type", "id"].contains(m.key) || rng.next() % 3 != 0 }
        guard let (entity, _) = try? JSONValueDecoder().decode(Entity.self, from: .object(o)) else { continue }
        var w = JSONWriter()
        w.write(try EntityJSONEncoder().encode(entity))
        #expect(EntityJSONEncoder().bytes(entity) == w.bytes, "seed \(seed): \(entity.type)")
        checked += 1
      }
    }
    #expect(checked > 100)
  }

  @Test func memberOrderIsTypeThenIdThenDeclarationOrder() throws {
    var p = Person(id: EntityID("p"))
    p.notes = "n"
    p.names = [PersonName(given: "G", family: "F")]
    p.provenance = [Provenance(sourceFormat: "jsonl")]
    guard case .object(let o) = try EntityJSONEncoder().encode(.person(p)) else {
      Issue.record("not an object")
      return
    }
    #expect(o.keys == ["type", "id", "names", "notes", "provenance"])  // empty arrays and nils left out
  }

  @Test func originalsAreKeptBesideNormalisedValues() throws {
    let ip = try IPAddress.parse("2001:DB8:0:0:0:0:0:1").get()
    var obs = IPObservation(id: EntityID("o"), ip: ip)
    obs.observedAt = try Timestamp.parseISO8601("2024-02-11T09:03:00-05:00").get()
    let json = try EntityJSONEncoder().encode(.ipObservation(obs))
    var w = JSONWriter()
    w.write(json)
    let text = String(decoding: w.bytes, as: UTF8.self)
    #expect(text.contains("\"ip\":{\"value\":\"2001:db8::1\",\"original\":\"2001:DB8:0:0:0:0:0:1\"}"))
    #expect(text.contains("\"observedAt\":{\"utc\":\"2024-02-11T14:03:00Z\",\"original\":\"2024-02-11T09:03:00-05:00\",\"offset\":\"-05:00\"}"))
    let (back, _) = try JSONValueDecoder().decode(Entity.self, from: json)
    guard case .ipObservation(let o) = back else {
      Issue.record("wrong type")
      return
    }
    #expect(o.ip.original == "2001:DB8:0:0:0:0:0:1")
    #expect(o.observedAt?.originalOffsetSeconds == -5 * 3600)
  }

  static let strictCases: [(String, String, String)] = [
    ("{\"type\":\"person\",\"id\":\"a\",\"approximateAge\":1.5}", "field.type-mismatch", "/approximateAge"),
    ("{\"type\":\"person\",\"id\":\"a\",\"approximateAge\":1e2}", "field.type-mismatch", "/approximateAge"),
    ("{\"type\":\"roleAssignment\",\"id\":\"a\",\"personId\":\"b\",\"role\":\"villain\"}", "field.invalid-value", "/role"),
    ("{\"type\":\"roleAssignment\",\"id\":\"a\",\"role\":\"victim\"}", "field.missing", "/personId"),
    ("{\"type\":\"martian\",\"id\":\"a\"}", "field.invalid-value", "/type"),
    ("{\"type\":\"ipObservation\",\"id\":\"a\",\"ip\":{\"value\":\"192.0.2.1\",\"original\":\"192.0.2.2\"}}", "field.normalization-mismatch", "/ip"),
    ("{\"type\":\"ipObservation\",\"id\":\"a\",\"ip\":\"192.0.2.1\",\"port\":0}", "port.invalid", "/port"),
    ("{\"type\":\"ipObservation\",\"id\":\"a\",\"ip\":\"192.0.2.1\",\"observedAt\":{\"utc\":\"2024-01-01T00:00:00Z\",\"original\":\"2024-01-01T01:00:00+02:00\"}}", "timestamp.inconsistent", "/observedAt"),
    ("{\"type\":\"evidenceFile\",\"id\":\"a\",\"hashes\":[{\"algorithm\":\"md4\",\"hex\":\"00\"}]}", "hash.unknown-algorithm", "/hashes/0"),
    ("{\"type\":\"evidenceFile\",\"id\":\"a\",\"hashes\":[{\"algorithm\":\"md5\",\"hex\":\"zz\"}]}", "hash.not-hex", "/hashes/0"),
    ("{\"type\":\"person\",\"id\":\"a\",\"addresses\":[{\"country\":\"XX\"}]}", "country.invalid", "/addresses/0/country"),
    ("{\"type\":\"person\",\"id\":\"a\",\"names\":null}", "field.type-mismatch", "/names"),
  ]

  @Test(arguments: 0..<strictCases.count)
  func decoderIsStrict(_ i: Int) throws {
    let (text, rule, pointer) = Self.strictCases[i]
    let value = try JSONParser().parse(Array(text.utf8))
    do {
      _ = try JSONValueDecoder().decode(Entity.self, from: value)
      Issue.record("accepted \(text)")
    } catch {
      #expect(error.rule == rule, "\(text)")
      #expect(error.pointer == pointer, "\(text)")
      #expect(!error.message.contains("192.0.2"), "messages carry no values")
    }
  }

  @Test func unknownMembersAreListedWithPointers() throws {
    let value = try JSONParser().parse(Array("{\"type\":\"person\",\"id\":\"a\",\"x\":1,\"names\":[{\"given\":\"g\",\"nick\":\"n\"}]}".utf8))
    let (_, unknown) = try JSONValueDecoder().decode(Entity.self, from: value)
    #expect(Set(unknown) == ["/x", "/names/0/nick"])
  }
}
