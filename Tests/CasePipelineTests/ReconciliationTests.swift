import CaseBridge
import CaseTestSupport
import Foundation
import Testing

/// Property tests: for random inputs, recount from the artifacts (output, quarantine slices, diagnostics) rather
/// than trusting the counters, and check that accepted, quarantined and ignored byte spans tile the input.
@Suite struct ReconciliationTests {
  /// A random JSON Lines file of good lines, lines with field or semantic errors, syntax errors and blank lines.
  static func randomJSONLines(_ rng: inout SplitMix64, lines: Int) -> [UInt8] {
    var out = ""
    var people: [String] = []
    for i in 0..<lines {
      let id = String(format: "%08x-0000-4000-8000-%012x", Int(rng.next() % 0xFFFF_FFFF), i)
      let nl = rng.next() % 5 == 0 ? "\r\n" : "\n"
      switch rng.next() % 12 {
      case 0: out += nl  // blank
      case 1: out += "{\"type\":\"person\",\"id\":\"\(id)\",\"notes\":\"x\",}" + nl  // trailing comma
      case 2: out += "{\"type\":\"ipObservation\",\"id\":\"\(id)\",\"ip\":\"192.0.2.0\(i % 10)\"}" + nl  // leading zero
      case 3: out += "{\"type\":\"ipObservation\",\"id\":\"\(id)\",\"ip\":\"192.0.2.1\",\"observedAt\":\"2024-01-01T00:00:00\"}" + nl
      case 4: out += "[1,2" + nl  // unterminated
      case 5: out += "{\"type\":\"roleAssignment\",\"id\":\"\(id)\",\"personId\":\"ffffffff-0000-4000-8000-000000000000\",\"role\":\"victim\"}" + nl
      case 6 where !people.isEmpty:
        let p = people[Int(rng.next() % UInt64(people.count))]
        out += "{\"type\":\"ipObservation\",\"id\":\"\(id)\",\"ip\":\"198.51.100.\(i % 250)\",\"personId\":\"\(p)\",\"observedAt\":\"2024-02-0\(1 + i % 9)T10:00:00+02:00\"}" + nl
      case 7: out += "{\"type\":\"person\",\"names\":[{\"given\":\"Näme \\\"\(i)\\\"\"}]}" + nl  // no id: derived
      default:
        people.append(id)
        out += "{\"type\":\"person\",\"id\":\"\(id)\",\"names\":[{\"family\":\"Example\(i)\"}]}" + nl
      }
    }
    var bytes = Array(out.utf8)
    if rng.next() % 2 == 0, bytes.last == 0x0A { bytes.removeLast() }  // missing final newline
    if rng.next() % 4 == 0 { bytes = [0xEF, 0xBB, 0xBF] + bytes }  // BOM
    return bytes
  }

  struct Span: Comparable, Hashable {
    var offset: Int
    var length: Int
    static func < (a: Span, b: Span) -> Bool { a.offset < b.offset }
  }

  @Test(arguments: [UInt64(1), 2, 3, 42, 1234, 99_999])
  func jsonLinesCountsReconcileWithArtifacts(seed: UInt64) throws {
    var rng = SplitMix64(seed: seed)
    let input = Self.randomJSONLines(&rng, lines: 40 + Int(rng.next() % 200))
    let dir = makeTemporaryDirectory("recon")
    let path = dir.appendingPathComponent("in.jsonl")
    try Data(input).write(to: path)
    let result = try runPipeline([path.path], to: .jsonl)
    let report = result.report.inputs[0]
    #expect(report.read == report.accepted + report.quarantined, "seed \(seed)")

    // Accepted: the provenance spans of the entities in the output.
    var accepted = Set<Span>()
    for line in try parseJSONLines(result.output) {
      guard case .object(let e) = line, case .array(let prov)? = e["provenance"], case .object(let p)? = prov.first,
        let off = p.int("byteOffset"), let len = p.int("byteLength")
      else {
        Issue.record("output entity without provenance span, seed \(seed)")
        continue
      }
      accepted.insert(Span(offset: off, length: len))
    }
    // Quarantined: the record spans of error findings. Ignored: spans of blank-line and BOM warnings.
    var quarantined = Set<Span>()
    var ignored = Set<Span>()
    for d in try result.diagnostics() {
      guard let off = d.int("byteOffset"), let len = d.int("byteLength") else { continue }
      let rule = d.string("rule") ?? ""
      if rule == "jsonl.blank-line" || rule == "json.bom" {
        ignored.insert(Span(offset: off, length: len))
      } else if d.string("severity") == "error" {
        quarantined.insert(Span(offset: off, length: len))
      }
    }
    #expect(accepted.count == report.accepted, "seed \(seed)")
    #expect(quarantined.count == report.quarantined, "seed \(seed)")
    #expect(ignored.count == report.ignored + (input.starts(with: [0xEF, 0xBB, 0xBF]) ? 0 : 0), "seed \(seed)")
    #expect(accepted.isDisjoint(with: quarantined))

    // The spans tile the input exactly.
    let all = (accepted.union(quarantined).union(ignored)).sorted()
    var cursor = 0
    for s in all {
      #expect(s.offset == cursor, "gap or overlap at byte \(cursor), seed \(seed)")
      cursor = s.offset + s.length
    }
    #expect(cursor == input.count, "spans end at \(cursor) of \(input.count), seed \(seed)")

    // The quarantine file holds exactly the quarantined records' original bytes, in input order.
    let expectedRejected = quarantined.sorted().flatMap { input[$0.offset..<($0.offset + $0.length)] }
    #expect((result.rejected() ?? []) == expectedRejected, "seed \(seed)")
  }

  @Test(arguments: [UInt64(7), 8, 9])
  func bundleCountsReconcileWithArtifacts(seed: UInt64) throws {
    var rng = SplitMix64(seed: seed)
    // Reuse the line generator's objects, keeping only lines that are JSON objects.
    let lines = Self.randomJSONLines(&rng, lines: 120)
    var elements: [String] = []
    for raw in String(decoding: lines, as: UTF8.self).split(whereSeparator: { $0 == "\n" || $0 == "\r" }) {
      let s = raw.hasPrefix("\u{FEFF}") ? String(raw.dropFirst()) : String(raw)
      if s.hasPrefix("{") && (try? JSONParser().parse(Array(s.utf8))) != nil { elements.append(s) }
    }
    let doc = "{\"casebridgeVersion\": \"1.0\",\n \"entities\": [\n  " + elements.joined(separator: ",\n  ") + "\n]}\n"
    let input = Array(doc.utf8)
    let dir = makeTemporaryDirectory("recon-bundle")
    let path = dir.appendingPathComponent("in.json")
    try Data(input).write(to: path)
    let result = try runPipeline([path.path], to: .json)
    let report = result.report.inputs[0]
    #expect(report.disposition == .processed)
    #expect(report.read == elements.count)
    #expect(report.read == report.accepted + report.quarantined)
    var covered = [Bool](repeating: false, count: input.count)
    var acceptedCount = 0
    guard case .object(let bundle) = try JSONParser(limits: { var l = JSONLimits(); l.maxDocumentBytes = 1 << 30; return l }()).parse(result.output),
      case .array(let entities)? = bundle["entities"]
    else {
      Issue.record("output is not a bundle")
      return
    }
    for e in entities {
      guard case .object(let o) = e, case .array(let prov)? = o["provenance"], case .object(let p)? = prov.first,
        let off = p.int("byteOffset"), let len = p.int("byteLength")
      else { continue }
      acceptedCount += 1
      for i in off..<(off + len) { covered[i] = true }
    }
    var quarantinedSpans = Set<Span>()
    for d in try result.diagnostics() where d.string("severity") == "error" {
      if let off = d.int("byteOffset"), let len = d.int("byteLength") { quarantinedSpans.insert(Span(offset: off, length: len)) }
    }
    for s in quarantinedSpans { for i in s.offset..<(s.offset + s.length) { covered[i] = true } }
    #expect(acceptedCount == report.accepted)
    #expect(quarantinedSpans.count == report.quarantined)
    // What no record covers is the document's envelope: whitespace, commas, brackets and the version member.
    let uncovered = String(decoding: input.indices.filter { !covered[$0] }.map { input[$0] }, as: UTF8.self)
    let envelope = uncovered.filter { !" \n\r\t,".contains($0) }
    #expect(envelope == "{\"casebridgeVersion\":\"1.0\"\"entities\":[]}", "seed \(seed)")
  }
}
