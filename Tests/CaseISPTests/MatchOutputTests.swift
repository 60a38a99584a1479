import CaseCSV
import CaseJSON
import CaseModel
import CaseTestSupport
import Foundation
import Testing

@testable import CaseISP

@Suite struct MatchOutputTests {
  /// A small report: an exact match with a subscriber, a conflict, an observation of an unknown address and one
  /// whose address is CGNAT without a port.
  static func report(tolerance: Int64 = 0, provider: String = "Example Cable", name: String = "Jane Example", reversed: Bool = false) -> MatchReport {
    var person = Person(id: EntityID("p1"))
    person.names = [PersonName(given: name.split(separator: " ").first.map(String.init), family: "Example")]
    person.names[0].full = name
    var legal = LegalProcess(id: EntityID("lp"), kind: .subpoena)
    legal.identifier = "GJ-2024-0042"
    var a = lease("a1", "198.51.100.23", stamp("2024-02-10T09:03:11-05:00"), stamp("2024-02-12T04:00:00-05:00"), subscriber: "p1", account: "0008497101")
    a.provider = provider
    a.legalProcessId = EntityID("lp")
    a.provenance = [Provenance(sourceFormat: "jsonl", sourceName: "letter.jsonl", record: 3, line: 4)]
    let b = lease("b1", "203.0.113.7", stamp("2024-02-11T10:00:00Z"), stamp("2024-02-11T14:00:00Z"), subscriber: "p1")
    let c = lease("b2", "203.0.113.7", stamp("2024-02-11T12:00:00Z"), nil, subscriber: "p2")
    let d = lease("c1", "100.64.12.34", stamp("2024-02-11T14:00:00Z"), stamp("2024-02-11T16:00:00Z"), subscriber: "p1", ports: 40000...40999)
    var o1 = observation("o1", "198.51.100.23", port: 51234, at: stamp("2024-02-11T09:03:00-05:00"))
    o1.provenance = [Provenance(sourceFormat: "cybertip-json", sourceName: "tip.json", record: 0, pointer: "/x")]
    let obs = [
      o1, observation("o2", "203.0.113.7", port: 50000, at: stamp("2024-02-11T12:30:00Z")),
      observation("o3", "2001:db8::1", at: stamp("2024-02-11T20:15:09Z")), observation("o4", "100.64.12.34", at: nil),
    ]
    let leases = [a, b, c, d]
    return LeaseMatcher.match(
      observations: reversed ? obs.reversed() : obs, assignments: reversed ? leases.reversed() : leases, persons: [person.id: person], legalProcesses: [legal.id: legal],
      toleranceSeconds: tolerance)
  }

  @Test func jsonIsDeterministicStrictJSONWithOneResultPerLine() throws {
    let r = Self.report()
    let bytes = r.jsonBytes
    let text = String(decoding: bytes, as: UTF8.self)
    #expect(text.hasPrefix(#"{"matchVersion":"1.1","toleranceSeconds":0,"summary":{"observations":4,"assignments":4,"exact":1,"#))
    #expect(text.split(separator: "\n").count == 1 + 4 + 1 + 1 + 1, "head, 4 results, head of overlaps, 1 overlap set, tail")
    guard case .object(let doc) = try JSONParser().parse(bytes), case .array(let results)? = doc["results"],
      case .object(let first)? = results.first(where: { $0.objectValue?.string("observationId") == "o1" })
    else {
      Issue.record("not the expected shape")
      return
    }
    #expect(first.string("status") == "exact")
    #expect(first["observedAt"] == .object(JSONObject([
      JSONMember(key: "utc", value: .string("2024-02-11T14:03:00Z")), JSONMember(key: "original", value: .string("2024-02-11T09:03:00-05:00")),
    ])))
    guard case .array(let assigned)? = first["assignments"], case .object(let a)? = assigned.first,
      case .object(let legal)? = a["legalProcess"], case .object(let prov)? = a["provenance"]
    else {
      Issue.record("assignment shape")
      return
    }
    #expect(a["subscriberNames"] == .array([.string("Jane Example")]))
    #expect(legal.string("identifier") == "GJ-2024-0042")
    #expect(prov.string("source") == "letter.jsonl" && prov.int("line") == 4)
    // Same facts in another order: the same bytes.
    #expect(Self.report(reversed: true).jsonBytes == bytes)
  }

  @Test func csvHasOneRowPerListedAssignmentAndNeutralisesFormulas() throws {
    let r = Self.report(provider: "=HYPERLINK(\"http://example.com\")")
    let text = String(decoding: r.csvBytes(), as: UTF8.self)
    let lines = text.components(separatedBy: "\r\n").dropLast()
    // header + exact (1) + conflict (2) + no-assignment (1) + not-attributable with no time (1) + overlap (2)
    #expect(lines.count == 1 + 1 + 2 + 1 + 1 + 2)
    #expect(lines[0] == MatchReport.csvHeader.joined(separator: ","))
    #expect(text.contains(#""'=HYPERLINK(""http://example.com"")""#))
    #expect(!String(decoding: r.csvBytes(neutralise: false), as: UTF8.self).contains("'="))
    #expect(lines.last!.hasPrefix("overlap,1,,203.0.113.7,,,,conflict,match.overlap,"))
    // The set's span: the earliest start, no end (a member is open-ended), and its size.
    #expect(lines.last!.hasSuffix(",2024-02-11T10:00:00Z,,2"))
  }

  /// An overlap set lists its first members only, with the count of the rest, in all three outputs.
  @Test func anOverlapSetListsAtMostTheCapAndCountsTheRest() throws {
    let n = LeaseMatcher.maxListedOverlapMembers + 5
    let leases = (0..<n).map { k in
      lease("a\(k)", "203.0.113.9", stamp("2024-02-11T10:00:00Z"), stamp("2024-02-11T11:00:00Z"), subscriber: "p\(k)")
    }
    let r = LeaseMatcher.match(observations: [], assignments: leases, toleranceSeconds: 0)
    #expect(r.overlaps.count == 1)
    #expect(r.overlaps.first?.memberCount == n)
    #expect(r.overlaps.first?.assignments.count == LeaseMatcher.maxListedOverlapMembers)
    guard case .object(let doc) = try JSONParser().parse(r.jsonBytes), case .object(let set)? = doc["overlaps"]?.arrayValue?.first else {
      Issue.record("overlaps shape")
      return
    }
    #expect(set.int("members") == n)
    #expect(set.int("unlisted") == 5)
    #expect(set["assignments"]?.arrayValue?.count == LeaseMatcher.maxListedOverlapMembers)
    let csv = String(decoding: r.csvBytes(), as: UTF8.self).components(separatedBy: "\r\n").dropLast()
    #expect(csv.count == 1 + LeaseMatcher.maxListedOverlapMembers)
    #expect(csv.dropFirst().allSatisfy { $0.hasSuffix(",\(n)") })
    #expect(r.table.contains("(5 more of \(n) not listed)"))
    #expect(r.table.hasSuffix("; 1 overlap\n"))
  }

  @Test func tableAlwaysPrintsTheToleranceAndEscapesControls() {
    let zero = Self.report().table
    #expect(zero.hasPrefix("tolerance: 0 s   observations: 4   assignments: 4\n"))
    #expect(Self.report(tolerance: 90).table.hasPrefix("tolerance: 90 s"))
    #expect(zero.contains("Jane Example"))
    #expect(zero.contains("tip.json#0"), "a source without line numbers is located by record")
    let hostile = Self.report(name: "Jane\u{1B}[2J\u{202E}Example").table
    #expect(!hostile.contains("\u{1B}") && !hostile.contains("\u{202E}"))
    #expect(hostile.contains("Jane\\u{1B}[2J\\u{202E}Example"))
    let lines = zero.split(separator: "\n", omittingEmptySubsequences: false)
    #expect(lines.allSatisfy { !$0.hasSuffix(" ") })
    #expect(zero.hasSuffix("summary: 1 exact, 0 within-tolerance, 0 outside, 1 no-assignment, 1 not-attributable, 0 no-time, 1 conflict; 1 overlap\n"))
  }
}
