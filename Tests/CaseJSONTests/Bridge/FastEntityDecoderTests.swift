import CaseBridge
@testable import CaseJSON
import CaseTestSupport
import Foundation
import Testing

/// The direct entity decoder must accept exactly what the `Decodable` bridge accepts, with the same result, and
/// leave everything else to the bridge (which reports the located diagnostic).
@Suite struct FastEntityDecoderTests {
  static func sampleObjects() throws -> [JSONValue] {
    var out: [JSONValue] = []
    for name in ["jsonl/valid/case-0001.jsonl", "jsonl/valid/case-0001.expected.jsonl"] {
      out += try parseJSONLines(readBytes(Repo.samples.appendingPathComponent(name)))
    }
    return out
  }

  @Test func everySampleEntityTakesTheFastPathWithTheBridgesResult() throws {
    let values = try Self.sampleObjects()
    var types = Set<EntityType>()
    for v in values {
      guard case .object(let o) = v else { Issue.record("not an object"); continue }
      let slow = try JSONValueDecoder().decode(Entity.self, from: v)
      let fast = try #require(FastEntityDecoder.entity(o), "\(o["type"].map { "\($0)" } ?? "?")")
      #expect(fast == slow.0)
      types.insert(fast.type)
    }
    #expect(types == Set(EntityType.allCases))
  }

  /// Every canonical value form (plain and {value, original}; timestamp objects with offset and zone) round-trips
  /// through the fast path.
  @Test func canonicalValueFormsTakeTheFastPath() throws {
    let lines = [
      #"{"type":"ipObservation","id":"a","ip":{"value":"2001:db8::1","original":"2001:DB8:0:0:0:0:0:1"},"port":443,"observedAt":{"utc":"2024-01-01T11:00:00Z","original":"2024-01-01T12:00:00+01:00","offset":"+01:00"}}"#,
      #"{"type":"ipObservation","id":"a","ip":"192.0.2.1","observedAt":{"utc":"2024-07-01T10:00:00Z","original":"2024-07-01 12:00","offset":"+02:00","zone":"Europe/Berlin"},"personId":null}"#,
      #"{"type":"person","id":"p","names":[{"given":"Testy","family":"McTestface"}],"emails":[{"address":{"value":"testy@example.com","original":"testy@EXAMPLE.com"}}],"phones":[{"number":"+12025550123"},{"number":{"value":"+12025550142","original":"(202) 555-0142"}}],"approximateAge":40,"notes":null}"#,
      #"{"type":"evidenceFile","id":"f","sizeBytes":12,"hashes":[{"algorithm":"md5","hex":"b64400469945cbcfffb5bbf2b8853089","original":"B64400469945CBCFFFB5BBF2B8853089"}]}"#,
    ]
    for line in lines {
      let v = try JSONParser().parse(Array(line.utf8))
      guard case .object(let o) = v else { Issue.record("not an object"); continue }
      let slow = try JSONValueDecoder().decode(Entity.self, from: v)
      #expect(slow.1.isEmpty, "\(line)")
      let fast = FastEntityDecoder.entity(o)
      #expect(fast != nil, "\(line)")
      #expect(fast == slow.0, "\(line)")
    }
  }

  /// Anything the bridge would refuse (or must judge) is left to it, and `decodeEntity` reports the bridge's error.
  @Test func refusedInputsFallBackToTheBridgesDiagnostic() throws {
    let cases: [(String, String)] = [
      (#"{"type":"person","id":"p","nickname":"x"}"#, "unknown:/nickname"),
      (#"{"type":"ipObservation","id":"a"}"#, "field.missing"),
      (#"{"type":"ipObservation","id":"a","ip":null}"#, "field.type-mismatch"),
      (#"{"type":"ipObservation","id":"a","ip":"192.0.2.300"}"#, "ip.invalid"),
      (#"{"type":"ipObservation","id":"a","ip":{"value":"192.0.2.2","original":"192.0.2.1"}}"#, "field.normalization-mismatch"),
      (#"{"type":"ipObservation","id":"a","ip":"192.0.2.1","port":0}"#, "port.invalid"),
      (#"{"type":"ipObservation","id":"a","ip":"192.0.2.1","port":1.5}"#, "field.type-mismatch"),
      (#"{"type":"ipObservation","id":"a","ip":"192.0.2.1","observedAt":"2024-01-01T00:00:00"}"#, "timestamp.missing-zone"),
      (#"{"type":"ipObservation","id":"a","ip":"192.0.2.1","observedAt":{"utc":"2024-01-01T00:00:00Z","original":"2024-01-01T02:00:00+01:00"}}"#, "timestamp.inconsistent"),
      (#"{"type":"person","id":"p","names":null}"#, "field.type-mismatch"),
      (#"{"type":"person","id":"p","names":[null]}"#, "field.type-mismatch"),
      (#"{"type":"roleAssignment","id":"r","personId":"p","role":"boss"}"#, "field.invalid-value"),
      (#"{"type":"evidenceFile","id":"f","hashes":[{"algorithm":"crc","hex":"00"}]}"#, "hash.unknown-algorithm"),
      (#"{"type":"spaceship","id":"s"}"#, "field.invalid-value"),
    ]
    for (line, expected) in cases {
      let v = try JSONParser().parse(Array(line.utf8))
      guard case .object(let o) = v else { Issue.record("not an object"); continue }
      #expect(FastEntityDecoder.entity(o) == nil, "\(line)")
      do {
        let (_, unknown) = try JSONValueDecoder().decodeEntity(v)
        #expect(expected.hasPrefix("unknown:") && unknown == [String(expected.dropFirst(8))], "\(line)")
      } catch {
        #expect(error.rule == expected, "\(line): \(error.rule)")
      }
    }
  }

  @Test func canonicalValuesAreTheEncodersValues() throws {
    let timestamps = [
      try Timestamp.parseISO8601("2024-01-01T00:00:00Z").get(),
      try Timestamp.parseISO8601("2024-01-01T02:00:00+02:00").get(),
      try Timestamp.parseISO8601("2024-01-01T00:00:00.250-05:30").get(),
      Timestamp(instant: try Timestamp.parseISO8601("2024-07-01T10:00:00Z").get().instant, originalText: "2024-07-01 12:00",
                originalOffsetSeconds: 7200, zoneIdentifier: "Europe/Berlin"),
    ]
    for t in timestamps { #expect(JSONValue(canonical: t) == (try JSONValueEncoder().encode(t)), "\(t.originalText)") }
    for text in ["+12025550123", "(202) 555-0123"] {
      let p = try PhoneNumber.parse(text, defaultRegion: PhoneRegion.supported.first { $0.callingCode == "1" }).get()
      #expect(JSONValue(canonical: p) == (try JSONValueEncoder().encode(p)), "\(text)")
    }
  }
}
