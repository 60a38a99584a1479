import CaseBridge
import CaseTestSupport
import Foundation
import Testing

/// The provider-return findings of the CLI fuzzing round (issue 11), each run through the CLI as a child process
/// under time and memory limits where the finding is about either.
enum FuzzCase {
  /// A file kept under FailCases/<finding>/.
  static func path(_ finding: String, _ name: String) -> String {
    Repo.root.appendingPathComponent("Tests/CaseISPTests/FailCases/\(finding)/\(name)").path
  }

  /// Writes bytes to a scratch file and returns its path.
  static func write(_ bytes: [UInt8], name: String) throws -> String {
    let url = makeTemporaryDirectory("fuzz-case").appendingPathComponent(name)
    try Data(bytes).write(to: url)
    return url.path
  }

  /// The header of the shipped Example Cable letter (everything before its first record).
  static var letterHeader: String {
    let sample = (try? String(contentsOf: Repo.samples.appendingPathComponent("isp/valid/example-cable-2024.txt"), encoding: .utf8)) ?? ""
    return String(sample[..<(sample.range(of: "--- RECORD 1 ---")?.lowerBound ?? sample.endIndex)])
  }

  /// `casebridge validate FILE --profile providers/NAME.json --report R` under limits; the report's text.
  static func validate(
    _ file: String, profile: String, seconds: Int = 20, extra: [String] = []
  ) throws -> (run: BoundedRun, report: String) {
    let dir = makeTemporaryDirectory("fuzz-run")
    let report = dir.appendingPathComponent("report.json").path
    let run = try runBounded(
      ["validate", file, "--profile", ISP.profile(profile), "--report", report, "--quarantine", dir.appendingPathComponent("q").path] + extra,
      seconds: seconds)
    return (run, (try? String(contentsOfFile: report, encoding: .utf8)) ?? "")
  }

  /// Whether the bounded-run tools are here (under CI=true their absence fails the test).
  static func toolsPresent() -> Bool {
    if boundedRunToolsPresent { return true }
    if Repo.isCI { Issue.record("timeout, GNU time and prlimit are needed for the bounded runs") }
    return false
  }

  /// A letter of `blocks` two-line record blocks (the memory finding's generator).
  static func tinyBlocksLetter(_ blocks: Int) -> [UInt8] {
    var out = Array(letterHeader.utf8)
    out.reserveCapacity(out.count + blocks * 24)
    for i in 1...blocks { out += Array("--- RECORD \(i) ---\nX\n".utf8) }
    out += Array("--- END OF RECORDS ---\n".utf8)
    return out
  }

  /// The shipped letter's header and one block whose paragraph makes the old sentence pattern backtrack.
  static func redosLetter(_ n: Int) -> [UInt8] {
    let paragraph = "IP 198.51.100.1 was assigned to this account from " + String(repeating: "x to ", count: n) + "x.y"
    return Array((letterHeader + "--- RECORD 1 ---\nSubscriber Name: JANE EXAMPLE\nAccount Number: 0001\n" + paragraph + "\n--- END OF RECORDS ---\n").utf8)
  }
}

@Suite(.serialized) struct FuzzFindingTests {
  @Test("finding html-nested-property-crash: a nested property div with the section's id is read, never a crash")
  func htmlNestedPropertyCrash() throws {
    guard FuzzCase.toolsPresent() else { return }
    for name in ["nested.html", "fuzzed-original.html"] {
      let (run, report) = try FuzzCase.validate(FuzzCase.path("html-nested-property-crash", name), profile: "demo-chat-records")
      #expect(run.status < 128, "\(name): exit \(run.status)")
      #expect([0, 1, 65].contains(run.status), "\(name): exit \(run.status)")
      #expect(!run.stderr.contains("CANARY"), "\(name): input bytes reached stderr")
      #expect(report.contains("\"read\""), "\(name): no report")
    }
    // In process: the page is read normally, its one row an entry of the outer property.
    let r = try runPipeline([FuzzCase.path("html-nested-property-crash", "nested.html")], to: .jsonl) { $0.profilePath = ISP.profile("demo-chat-records") }
    let input = r.report.inputs[0]
    #expect(input.read == 1)
    #expect(input.read == input.accepted + input.quarantined)
  }

  @Test("finding isp-text-record-number-overflow: record number Int.max followed by another block is a located record-gap")
  func recordNumberOverflow() throws {
    guard FuzzCase.toolsPresent() else { return }
    let (run, report) = try FuzzCase.validate(FuzzCase.path("isp-text-record-number-overflow", "recnum-intmax.txt"), profile: "example-cable-letter")
    #expect([0, 1].contains(run.status), "exit \(run.status): \(run.stderr.prefix(300))")
    #expect(report.contains("isp.record-gap"))
    let r = try runPipeline([FuzzCase.path("isp-text-record-number-overflow", "recnum-intmax.txt")], to: .jsonl) {
      $0.profilePath = ISP.profile("example-cable-letter")
    }
    let gaps = try ISP.findings(r).filter { $0.rule == "isp.record-gap" }
    // Int.max where 1 was expected, then 2 after the largest number there is.
    #expect(gaps.map(\.record) == [0, 1])
    #expect(gaps.map(\.line) == [13, 21])
  }

  @Test("finding isp-text-sentence-regex-redos: the shipped sentence patterns and any profile pattern run in bounded time")
  func sentenceRegexRedos() throws {
    guard FuzzCase.toolsPresent() else { return }
    // The finding's 20 KB letter (7 s in a release build before) and a 100 KB one (over 30 s before).
    let small = FuzzCase.path("isp-text-sentence-regex-redos", "redos-4000.txt")
    let large = try FuzzCase.write(FuzzCase.redosLetter(20_000), name: "redos-20000.txt")
    for file in [small, large] {
      let (run, report) = try FuzzCase.validate(file, profile: "example-cable-letter", seconds: 15)
      #expect(!run.killed, "killed after 15 s")
      #expect((run.cpu ?? 99) < 3, "cpu \(run.cpu ?? -1) s")
      #expect([0, 1].contains(run.status))
      #expect(report.contains("\"read\" : 1") || report.contains("\"read\":1"))
    }
    // A user's pattern with the same flaw, on a paragraph past the bound: not tried, a located warning.
    let profile = try String(contentsOfFile: ISP.profile("example-cable-letter"), encoding: .utf8)
      .replacingOccurrences(of: #"(?<start>[^ ]+(?: (?!to )[^ ]+)*+) to (?<end>[^.]++)\\.?$"#, with: #"(?<start>.+?) to (?<end>[^.]+)\\.?$"#)
    #expect(profile.contains(#"(?<start>.+?) to (?<end>[^.]+)"#), "the shipped pattern changed: update this test")
    let profilePath = try FuzzCase.write(Array(profile.utf8), name: "old-pattern.json")
    let dir = makeTemporaryDirectory("fuzz-run")
    let run = try runBounded(["validate", large, "--profile", profilePath, "--quarantine", dir.path], seconds: 15)
    #expect(!run.killed)
    #expect((run.cpu ?? 99) < 3, "cpu \(run.cpu ?? -1) s")
    let r = try runPipeline([large], to: .jsonl) { $0.profilePath = profilePath }
    let long = try ISP.findings(r).filter { $0.rule == "isp.paragraph-too-long" }
    #expect(long.map(\.line) == [16])
    #expect(long.first?.record == 0)
  }

  @Test("finding isp-text-letter-memory: a letter's peak memory is a small multiple of its size")
  func letterMemory() throws {
    guard FuzzCase.toolsPresent() else { return }
    // The finding's letter had 200,000 two-line blocks (4.7 MB, 407 MB peak RSS before: ~85x); a quarter of it
    // keeps the debug-build run short (before: ~110 MB).
    let letter = FuzzCase.tinyBlocksLetter(50_000)
    let path = try FuzzCase.write(letter, name: "tiny2.txt")
    let (run, report) = try FuzzCase.validate(path, profile: "example-cable-letter", seconds: 120)
    #expect(!run.killed)
    #expect(run.status == 1)
    #expect(report.contains("50000"))
    let rss = try #require(run.maxRSSKiB) * 1024
    // A fixed budget (the process, the profile, the read-ahead queue) plus 8 times the letter.
    let bound = (48 << 20) + 8 * letter.count
    #expect(rss < bound, "peak RSS \(rss >> 20) MiB for a \(letter.count >> 20) MiB letter, bound \(bound >> 20) MiB")
  }

  @Test("finding isp-text-letter-memory: an input over a format's limit is refused, located")
  func overTheLimitIsRefused() throws {
    let page = Array("<html><body><div id=\"property-ip_addresses\"><table>".utf8) + [UInt8](repeating: 0x20, count: 9 << 20)
    let path = try FuzzCase.write(page, name: "big.html")
    let r = try runPipeline([path], to: .jsonl) { $0.profilePath = ISP.profile("demo-chat-records") }
    #expect(r.report.exitCode == 65)
    #expect(r.report.inputs[0].error?.rule == "isp.too-large")
    #expect(r.report.inputs[0].error?.location.byteOffset == 8 << 20)
  }

  @Test("finding isp-sectioned-many-tables-quadratic: many empty tables cost linear time")
  func manyTables() throws {
    guard FuzzCase.toolsPresent() else { return }
    let table = Array("\"legend ip data\"\n=====\nusername,ip,port,event,first_seen_time\n".utf8)
    // 20,000 -> 30,000 tables took 2.9 -> 15.7 s (debug) before: the quarantine context was copied per header.
    let doubling = try doublingRatios(sizes: [4_000, 8_000, 16_000, 32_000], repetitions: 1) { n in
      let path = try FuzzCase.write(Array([[UInt8]](repeating: table, count: n).joined()), name: "sec\(n).csv")
      let (run, report) = try FuzzCase.validate(path, profile: "test-social-sectioned", seconds: 60)
      #expect(run.status == 0)
      #expect(report.contains("\(3 * n)"))
      return run.cpu ?? 60
    }
    #expect(doubling.isLinear, "\(doubling.table)")
  }

  @Test("finding isp-text-field-over-limit-roundtrip: a letter value over --max-field-bytes is refused where it is read")
  func fieldOverLimit() throws {
    let original = try String(contentsOf: Repo.samples.appendingPathComponent("isp/valid/example-cable-2024.txt"), encoding: .utf8)
    let longNote = "Note " + String(repeating: "a", count: 1_100_000)
    // In the second record (the first carries the response's legal process, which the second references).
    let letter = original.replacingOccurrences(of: "IP Assignment: Static", with: longNote + "\r\nIP Assignment: Static")
    let path = try FuzzCase.write(Array(letter.utf8), name: "long-note.txt")
    let first = try runPipeline([path], to: .jsonl) { $0.profilePath = ISP.profile("example-cable-letter") }
    let input = first.report.inputs[0]
    #expect(input.read == 2)
    #expect(input.quarantined == 1)
    let refused = try ISP.findings(first).filter { $0.rule == "isp.field-too-large" }
    #expect(refused.map(\.record) == [1])
    #expect(refused.map(\.line) == [25])
    // What was accepted reads back whole.
    let out = try FuzzCase.write(first.output, name: "o1.jsonl")
    let second = try runPipeline([out], to: .jsonl)
    #expect(second.report.inputs[0].quarantined == 0)
    #expect(second.report.exitCode == 0)

    // A label value, with a small limit.
    let small = try runPipeline([sample("isp/valid/example-cable-2024.txt")], to: .jsonl) {
      $0.profilePath = ISP.profile("example-cable-letter")
      $0.limits.maxFieldBytes = 20
    }
    #expect(small.report.inputs[0].accepted == 0)
    #expect(try ISP.findings(small).contains { $0.rule == "isp.field-too-large" && $0.line == 8 && $0.record == 0 })
    // Records pages: a value over the limit is never accepted.
    let page = try runPipeline([sample("isp/valid/demo-chat-records.html")], to: .jsonl) {
      $0.profilePath = ISP.profile("demo-chat-records")
      $0.limits.maxFieldBytes = 12
    }
    let pageInput = page.report.inputs[0]
    #expect(pageInput.accepted == 0 || page.report.exitCode == 65)
    #expect(pageInput.read == pageInput.accepted + pageInput.quarantined)
  }
}

/// Review of the provider readers: quarantined records of a records page are their own bytes, never the page per record.
@Suite(.serialized) struct ISPRecordsPageSpanTests {
  /// 300 entries with an invalid address, one a line after `blankLines` newlines (0: the whole page on one line).
  static func page(blankLines: Int, oneLine: Bool) -> [UInt8] {
    let sep = oneLine ? "" : "\n"
    var page = "<html><body>\n" + String(repeating: "\n", count: blankLines) + "<div id=\"property-ip_addresses\">" + sep
    for i in 0..<300 {
      page += "<table><tr><th>IP Address</th><td>999.0.0.\(i)</td></tr><tr><th>Time</th><td>2024-02-11 14:03:00 UTC</td></tr></table>" + sep
    }
    return Array((page + "</div></body></html>\n").utf8)
  }

  /// Validates with a quarantine; the quarantined bytes' total and the spans of the diagnostics.
  private func quarantine(_ bytes: [UInt8], name: String) throws -> (status: Int32, quarantined: Int, spans: [(Int, Int)]) {
    let path = try FuzzCase.write(bytes, name: name)
    let dir = makeTemporaryDirectory("page-span")
    let q = dir.appendingPathComponent("q")
    let run = try runBounded(
      ["validate", path, "--profile", ISP.profile("demo-chat-records"), "--report", dir.appendingPathComponent("r.json").path, "--quarantine", q.path],
      seconds: 60)
    var total = 0
    var spans: [(Int, Int)] = []
    let files = FileManager.default.enumerator(at: q, includingPropertiesForKeys: nil)?.allObjects.compactMap { $0 as? URL } ?? []
    for url in files {
      if url.lastPathComponent.hasSuffix(".rejected.txt") { total += (try? Data(contentsOf: url).count) ?? 0 }
      if url.lastPathComponent.hasSuffix(".diagnostics.jsonl"), let text = try? String(contentsOf: url, encoding: .utf8) {
        for line in text.split(separator: "\n") {
          guard let o = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], o["rule"] as? String == "ip.invalid" else { continue }
          spans.append(((o["byteOffset"] as? Int) ?? -1, (o["byteLength"] as? Int) ?? -1))
        }
      }
    }
    return (run.status, total, spans)
  }

  @Test("records page past line 65,535: each quarantined entry is its own line, not the page")
  func entriesPastTheLineCounter() throws {
    guard FuzzCase.toolsPresent() else { return }
    let bytes = Self.page(blankLines: 70_000, oneLine: false)
    let r = try quarantine(bytes, name: "late.html")
    #expect(r.status == 1)
    #expect(r.spans.count == 300)
    #expect(r.quarantined <= bytes.count, "\(r.quarantined) bytes quarantined from a \(bytes.count)-byte page")
    // Each entry's span is its own line: distinct offsets, none the whole page.
    #expect(Set(r.spans.map(\.0)).count == 300)
    #expect(r.spans.allSatisfy { $0.0 > 70_000 && $0.1 > 0 && $0.1 < 200 }, "\(r.spans.prefix(3))")
  }

  @Test("one-line records page: the quarantine holds at most the page, not the page per entry")
  func entriesOfAOneLinePage() throws {
    guard FuzzCase.toolsPresent() else { return }
    let bytes = Self.page(blankLines: 0, oneLine: true)
    let r = try quarantine(bytes, name: "one-line.html")
    #expect(r.status == 1)
    #expect(r.spans.count == 300)
    // The first entry holds the line; the others, on the same line, get no bytes of their own.
    #expect(r.spans.filter { $0.1 > 0 }.count == 1, "\(r.spans.prefix(3))")
    #expect(r.quarantined <= bytes.count, "\(r.quarantined) bytes quarantined from a \(bytes.count)-byte page")
  }
}

/// Issue 11 item 2: each provider reader, through the CLI and the shipped profiles, on inputs doubled three times;
/// the child's CPU time may grow at most 2.2x per doubling.
@Suite(.serialized) struct ISPDoublingTests {
  /// With `instructions`, the cost is the instructions callgrind counts (for an input whose CPU time is erratic).
  private func check(
    _ sizes: [Int], maxScale: Int = 64, instructions: Bool = false, profile: String, name: String,
    input: (Int) -> [UInt8]
  ) throws {
    guard FuzzCase.toolsPresent() else { return }
    if instructions, try instructionCount(["--version"]) == nil {
      if Repo.isCI { Issue.record("valgrind and strip are required in CI") }
      return
    }
    let doubling = try doublingRatios(
      sizes: sizes, repetitions: instructions ? 1 : 2, minimumCost: instructions ? 0 : 0.15, maxScale: maxScale
    ) { n in
      let path = try FuzzCase.write(input(n), name: "\(name)-\(n)")
      if instructions {
        return try instructionCount(["validate", path, "--profile", ISP.profile(profile)]) ?? .infinity
      }
      let (run, _) = try FuzzCase.validate(path, profile: profile, seconds: 60)
      #expect(!run.killed && run.status < 64, "n=\(n): exit \(run.status)")
      return run.cpu ?? 60
    }
    #expect(doubling.isLinear, "\(doubling.table)")
  }

  @Test func lettersWithManyBlocksAreLinear() throws {
    try check([2_000, 4_000, 8_000, 16_000], profile: "example-cable-letter", name: "letter.txt", input: FuzzCase.tinyBlocksLetter)
  }

  @Test func lettersWithBacktrackingSentencesAreLinear() throws {
    // Blocks whose paragraph (within the pattern bound) is the sentence finding's worst case.
    try check([40, 80, 160, 320], profile: "example-cable-letter", name: "redos.txt") { n in
      let paragraph = "IP 198.51.100.1 was assigned to this account from " + String(repeating: "x to ", count: 700) + "x.y"
      var text = FuzzCase.letterHeader
      for i in 1...n { text += "--- RECORD \(i) ---\nAccount Number: \(i)\n\(paragraph)\n\n" }
      return Array((text + "--- END OF RECORDS ---\n").utf8)
    }
  }

  @Test func ipLogsAreLinear() throws {
    try check([1_000, 2_000, 4_000, 8_000], profile: "placeholder-games-iplog", name: "log.log") { n in
      let log = (try? String(contentsOf: Repo.samples.appendingPathComponent("isp/valid/placeholder-games-2024.log"), encoding: .utf8)) ?? ""
      let lines = log.split(separator: "\n", omittingEmptySubsequences: true)
      var text = String(lines[0]) + "\n"
      let body = lines.dropFirst().map { String($0) + "\n" }
      for i in 0..<n { text += body[i % body.count] }
      return Array(text.utf8)
    }
  }

  @Test func sectionedTablesAreLinear() throws {
    try check([300, 600, 1_200, 2_400], profile: "test-social-sectioned", name: "tables.csv") { n in
      let tables = (try? String(contentsOf: Repo.samples.appendingPathComponent("isp/valid/test-social-2024.csv"), encoding: .utf8)) ?? ""
      return Array(String(repeating: tables.hasSuffix("\n") ? tables : tables + "\n", count: n).utf8)
    }
  }

  @Test func lettersWithManyPairsOnALineAreLinear() throws {
    // Review: every label pair's column was counted from the line's start (pairs × line length).
    // Instructions: this one's CPU time jumped between 1.6x and 3.1x a doubling from run to run.
    try check([1_000, 2_000, 4_000, 8_000], instructions: true, profile: "example-cable-letter", name: "pairs.txt") { n in
      Array((FuzzCase.letterHeader + String(repeating: "Your Reference: x  ", count: n) + "\n\n--- RECORD 1 ---\nAccount Number: 1\n--- END OF RECORDS ---\n").utf8)
    }
  }

  @Test func lettersWithManyPairsInARecordAreLinear() throws {
    try check([2_500, 5_000, 10_000, 20_000], profile: "example-cable-letter", name: "record-pairs.txt") { n in
      Array((FuzzCase.letterHeader + "--- RECORD 1 ---\n" + String(repeating: "Account Number: 1  ", count: n) + "\n--- END OF RECORDS ---\n").utf8)
    }
  }

  @Test func recordsPagesWithLongEntriesAreLinear() throws {
    // Review: each row appended to an entry copied the entry's rows, and the start check scanned them.
    // At most 160,000 rows (5.3 MB): the release binary scales the sizes up, and a page over 8 MiB is refused whole.
    try check([2_500, 5_000, 10_000, 20_000], maxScale: 8, profile: "demo-chat-records", name: "long-entry.html") { n in
      var page = "<html><body>\n<div id=\"property-ip_addresses\">\n<table><tr><th>IP Address</th><td>198.51.100.1</td></tr>\n"
      for i in 0..<n { page += i % 2 == 0 ? "<tr><th>Port</th><td>1</td></tr>\n" : "<tr><th>X</th><td>1</td></tr>\n" }
      return Array((page + "</table></div>\n</body></html>\n").utf8)
    }
  }

  @Test func recordsPagesAreLinear() throws {
    try check([1_500, 3_000, 6_000, 12_000], profile: "demo-chat-records", name: "page.html") { n in
      var page = "<html><body>\n<div id=\"property-ip_addresses\">\n"
      for i in 0..<n {
        // Entries, some inside nested divs with the section's id.
        let row = "<table><tr><th>IP Address</th><td>198.51.100.\(i % 250 + 1)</td></tr><tr><th>Time</th><td>2024-02-11 14:03:00 UTC</td></tr></table>\n"
        page += i % 10 == 0 ? "<div id=\"property-ip_addresses\">\(row)</div>\n" : row
      }
      return Array((page + "</div>\n</body></html>\n").utf8)
    }
  }
}
