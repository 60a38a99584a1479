import CaseBridge
import CaseTestSupport
import Foundation
import Testing

/// The findings of the CLI fuzzing round (issue 11) about `inspect` and `match`, run through the CLI as a child
/// process under `runBounded` where they are about time or memory. Inputs are small copies under
/// `FailCases/<finding>/` or generated from the shipped samples.
@Suite(.serialized) struct InspectMatchFindingTests {
  static let failCases = Repo.root.appendingPathComponent("Tests/CaseBridgeCLITests/FailCases")

  /// Whether the bounded runner can run; under CI=true a missing tool is a failure.
  static func toolsPresent() -> Bool {
    if boundedRunToolsPresent { return true }
    if Repo.isCI { Issue.record("timeout, GNU time and prlimit are required in CI: \(boundedRunTools)") }
    return false
  }

  /// The header and first row of the shipped CGNAT sample, the row repeated `n` times: `n` identical leases of one
  /// address and port range, each read as a different subscriber (the reader never merges Person entities).
  static func identicalCGNATRows(_ n: Int) throws -> String {
    let sample = try String(contentsOf: Repo.samples.appendingPathComponent("isp/valid/sample-mobile-2024.csv"), encoding: .utf8)
    let lines = sample.split(separator: "\n", omittingEmptySubsequences: true)
    return lines[0] + "\n" + String(repeating: lines[1] + "\n", count: n)
  }

  /// `n` leases that overlap nothing: each its own address and hour.
  static func distinctCGNATRows(_ n: Int) throws -> String {
    var out = "Account,Subscriber,MSISDN,Allocation,Public IP,Port Start,Port End,Session Start,Session End\n"
    for i in 0..<n {
      let day = 1 + (i / 24) % 28
      let hour = i % 24
      let stamp = String(format: "%02d/02/2024 %02d:00:00", day, hour)
      let end = String(format: "%02d/02/2024 %02d:30:00", day, hour)
      out += "SM-\(String(format: "%06d", i)),Alex Testperson,+1 202-555-0134,CGNAT,100.64.\(i / 250 % 250).\(1 + i % 250),40000,40999,\(stamp),\(end)\n"
    }
    return out
  }

  static let cgnatProfile = Repo.schemas.appendingPathComponent("profiles/providers/sample-mobile-cgnat.json").path

  static func write(_ text: String, _ name: String, in dir: URL) throws -> URL {
    let url = dir.appendingPathComponent(name)
    try Data(text.utf8).write(to: url)
    return url
  }

  // MARK: match-overlap-quadratic

  @Test("finding match-overlap-quadratic: 1000 identical CGNAT leases give one overlap set, bounded output")
  func matchOverlapQuadratic() throws {
    guard Self.toolsPresent() else { return }
    let dir = makeTemporaryDirectory("match-overlap")
    defer { try? FileManager.default.removeItem(at: dir) }
    let input = try Self.write(try Self.identicalCGNATRows(1000), "dup-1000.csv", in: dir)
    let out = dir.appendingPathComponent("out")
    let r = try runBounded(
      ["match", input.path, "--profile-for", "\(input.path)=\(Self.cgnatProfile)", "-o", out.path, "--now", "2026-01-01T00:00:00Z"],
      seconds: 30, addressSpace: 2 << 30)
    #expect(!r.killed, "killed after \(r.wall) s")
    #expect(r.status == 1, "an overlap: exit 1; stderr: \(r.stderr)")
    // Before the fix: 30 s and 4.4 GB in a release build, 1 GB of output.
    #expect((r.cpu ?? 99) < 8, "cpu \(r.cpu ?? -1) s")
    #expect((r.maxRSSKiB ?? .max) < 400 << 10, "peak RSS \(r.maxRSSKiB ?? -1) KiB")
    #expect(r.stdout.count < 64 << 10, "table of \(r.stdout.count) bytes")
    let cap = 20
    #expect(r.stdoutText.contains("overlaps: 1 "))
    #expect(r.stdoutText.contains("(\(1000 - cap) more of 1000 not listed)"))
    #expect(r.stdoutText.hasSuffix("; 1 overlap\n"))
    let json = try readBytes(out.appendingPathComponent("match.json"))
    #expect(json.count < 256 << 10, "match.json of \(json.count) bytes")
    let doc = try JSONParser().parse(json).objectValue
    let overlaps = doc?["overlaps"]?.arrayValue ?? []
    #expect(overlaps.count == 1)
    let set = overlaps.first?.objectValue
    #expect(set?.int("members") == 1000)
    #expect(set?.int("unlisted") == 1000 - cap)
    #expect(set?["assignments"]?.arrayValue?.count == cap)
    #expect(doc?["summary"]?.objectValue?.int("overlaps") == 1)
    let csv = String(decoding: try readBytes(out.appendingPathComponent("match.csv")), as: UTF8.self)
    let rows = csv.split(separator: "\r\n")
    #expect(rows.count == 1 + cap, "header + one row per listed member")
    #expect(rows.dropFirst().allSatisfy { $0.hasPrefix("overlap,1,") && $0.hasSuffix(",1000") })
  }

  // MARK: inspect-letter-whitespace-slow

  /// The shipped cable letter with its first account number replaced by an invalid byte and `n` spaces before it.
  static func letterWithSpaces(_ n: Int) throws -> [UInt8] {
    let letter = try String(contentsOf: Repo.samples.appendingPathComponent("isp/valid/example-cable-2024.txt"), encoding: .utf8)
    let parts = letter.components(separatedBy: "Account Number: 8497")
    var out = Array(parts[0].utf8) + Array("Account Number: ".utf8) + [0x80] + Array(repeating: 0x20, count: n)
    out += Array(("8497" + parts.dropFirst().joined(separator: "Account Number: 8497")).utf8)
    return out
  }

  @Test("finding inspect-letter-whitespace-slow: an invalid byte and 16,000 spaces in a letter line inspect in linear time")
  func inspectLetterWhitespaceSlow() throws {
    guard Self.toolsPresent() else { return }
    let input = Self.failCases.appendingPathComponent("inspect-letter-whitespace-slow/bad-utf8-spaces-16000.txt")
    // Before the fix: 6.5 s in a release build (32,000 spaces: 32 s).
    let r = try runBounded(["inspect", input.path], seconds: 30, addressSpace: 1 << 30)
    #expect(!r.killed, "killed after \(r.wall) s")
    #expect(r.status == 0, "\(r.stderr)")
    #expect((r.cpu ?? 99) < 2, "cpu \(r.cpu ?? -1) s")
    #expect(r.stdoutText.contains("Account Number"), "the label is still recognised")
    // The generator gives the same file as the copied fail case.
    #expect(try Self.letterWithSpaces(16_000) == readBytes(input))
  }

  // MARK: inspect-legend-value-leak

  static let socialSample = Repo.samples.appendingPathComponent("isp/valid/test-social-2024.csv")

  @Test("finding inspect-legend-value-leak: inspect prints and drafts no legend text, and the draft reads another account's return")
  func inspectLegendValueLeak() throws {
    let dir = makeTemporaryDirectory("inspect-legend")
    defer { try? FileManager.default.removeItem(at: dir) }
    let sample = try String(contentsOf: Self.socialSample, encoding: .utf8)
    // Read as CSV (the default for .csv): the multi-line legend is no header, and nothing of it is printed.
    for json in [false, true] {
      let r = try CLITests.run(["inspect", Self.socialSample.path] + (json ? ["--json"] : []))
      #expect(r.status == 0, "\(r.stderr)")
      #expect(!r.stdout.contains("testy"), "the target username is printed:\n\(r.stdout)")
      #expect(!r.stdout.contains("Anytown"), "legend text is printed")
      #expect(!r.stdout.contains("\r"))
    }
    // The fuzzer's canary, planted in a legend.
    let canary = Self.failCases.appendingPathComponent("inspect-legend-value-leak/fuzzed-canary-legend.csv")
    for args in [["--json"], [], ["--from", "isp-log"], ["--from", "isp-log", "--json"]] {
      let r = try CLITests.run(["inspect", canary.path] + args)
      #expect(r.status == 0, "\(args): \(r.stderr)")
      #expect(!r.stdout.contains("CANARY"), "\(args): the canary is printed:\n\(r.stdout)")
      #expect(!r.stdout.contains("testy"), "\(args)")
    }
    // Column names are printed with their control characters escaped.
    let hostile = try Self.write("Na\u{1B}[2Jme\u{202E},Login IP\nJane,198.51.100.7\n", "hostile-header.csv", in: dir)
    let h = try CLITests.run(["inspect", hostile.path])
    #expect(h.status == 0, "\(h.stderr)")
    #expect(!h.stdout.contains("\u{1B}") && !h.stdout.contains("\u{202E}"), "\(h.stdout)")
    #expect(h.stdout.contains("Na\\u{1B}[2Jme\\u{202E}"), "\(h.stdout)")
    // As a sectioned return: the draft's legends hold keywords only, and pick the sample's sections.
    let draft = dir.appendingPathComponent("draft.json")
    let r = try CLITests.run(["inspect", Self.socialSample.path, "--from", "isp-log", "--write-profile", draft.path])
    #expect(r.status == 0, "\(r.stderr)")
    #expect(!r.stdout.contains("testy"))
    let draftText = String(decoding: try readBytes(draft), as: UTF8.self)
    #expect(!draftText.contains("testy"), "the draft holds the target username:\n\(draftText)")
    #expect(!draftText.contains("Anytown"))
    #expect(!draftText.contains("Test Social"), "the provider's name is not a keyword either")
    #expect(draftText.contains("\"legend\": \"subscriber\\\\s+information\""), "\(draftText)")
    #expect(draftText.contains("\"legend\": \"ip\\\\s+data\""), "\(draftText)")
    // The same provider's return for another account: the draft reads it exactly as it reads the sample.
    let other = try Self.write(
      sample.replacingOccurrences(of: "testy.mctestface", with: "other.account")
        .replacingOccurrences(of: "Anytown Police Department", with: "Example County Sheriff"),
      "other-account.csv", in: dir)
    var summaries: [String] = []
    for input in [Self.socialSample, other] {
      let v = try CLITests.run(["validate", input.path, "--from", "isp-log", "--profile", draft.path])
      #expect(v.status != 78 && v.status != 64, "\(input.lastPathComponent): \(v.stderr)")
      let summary = v.stderr.split(separator: "\n").first { $0.contains(" read, ") }.map(String.init) ?? v.stderr
      summaries.append(summary.replacingOccurrences(of: input.path, with: "INPUT"))
    }
    #expect(summaries[0] == summaries[1], "\(summaries)")
    #expect(summaries[0].contains(" read, "), "\(summaries)")
  }

  @Test func legendPatternsKeepKeywordsOnly() {
    #expect(Inspector.legendPattern("Test Social - Subscriber Information\r\nTarget username: x.y\r\n") == "subscriber\\s+information")
    #expect(Inspector.legendPattern("Test Social - IP Data\r\nTarget username: x") == "ip\\s+data")
    #expect(Inspector.legendPattern("Login History: jane.example") == "login\\s+history")
    #expect(Inspector.legendPattern("Target username: ip data") == nil, "words after a colon are values")
    #expect(Inspector.legendPattern("Quarterly totals") == nil)
    #expect(Inspector.legendPattern("IP - Data") == "ip", "keywords separated by more than spaces are not one run")
  }

  // MARK: inspect-draft-duplicate-key

  @Test("finding inspect-draft-duplicate-key: two record counts give one count statement and a note")
  func inspectDraftDuplicateKey() throws {
    let dir = makeTemporaryDirectory("inspect-draft")
    defer { try? FileManager.default.removeItem(at: dir) }
    let input = Self.failCases.appendingPathComponent("inspect-draft-duplicate-key/two-counts.txt")
    let draft = dir.appendingPathComponent("draft.json")
    let r = try CLITests.run(["inspect", input.path, "--write-profile", draft.path])
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stdout.contains("another record count on line"), "\(r.stdout)")
    let text = String(decoding: try readBytes(draft), as: UTF8.self)
    #expect(text.components(separatedBy: "\"count\"").count == 2, "one count statement:\n\(text)")
    let v = try CLITests.run(["validate", input.path, "--profile", draft.path])
    #expect(v.status != 78, "\(v.stderr)")
    #expect(!v.stderr.contains("[profile."), "\(v.stderr)")
  }

  /// Every input `inspect` reads among the samples, plus the fail cases above.
  static func inspectableInputs() throws -> [URL] {
    let kinds: Set<String> = ["csv", "tsv", "psv", "json", "jsonl", "xml", "txt", "html", "log"]
    var out: [URL] = []
    for root in [Repo.samples, failCases] {
      let e = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)
      while let u = e?.nextObject() as? URL {
        let name = u.lastPathComponent
        guard kinds.contains(u.pathExtension.lowercased()), !name.contains(".expected."), !name.contains(".diagnostics."),
          !u.path.contains("/hostile/"), !u.path.contains("/expected/"), !u.path.contains("/export/")
        else { continue }
        out.append(u)
      }
    }
    return out.sorted { $0.path < $1.path }
  }

  @Test("finding inspect-draft-duplicate-key: every draft of every sample and fail case is accepted by validate --profile")
  func everyDraftIsAValidProfile() throws {
    let dir = makeTemporaryDirectory("inspect-drafts")
    defer { try? FileManager.default.removeItem(at: dir) }
    let inputs = try Self.inspectableInputs()
    #expect(inputs.count > 40, "\(inputs.count) inputs")
    var drafted = 0
    for (k, input) in inputs.enumerated() {
      let draft = dir.appendingPathComponent("draft-\(k).json")
      let r = try CLITests.run(["inspect", input.path, "--write-profile", draft.path])
      // Some inputs are refused whole (65: not a layout inspect can read); they draft nothing.
      guard r.status == 0 else {
        #expect(r.status == 65 || r.status == 66, "\(input.path): inspect exit \(r.status): \(r.stderr)")
        continue
      }
      drafted += 1
      let text = try readBytes(draft)
      #expect((try? JSONParser().parse(text)) != nil, "\(input.path): the draft is no valid JSON")
      let v = try CLITests.run(["validate", input.path, "--profile", draft.path])
      #expect(v.status != 78 && v.status != 64 && v.status < 70, "\(input.path): validate exit \(v.status): \(v.stderr)")
      #expect(!v.stderr.contains("[profile."), "\(input.path): \(v.stderr)")
    }
    #expect(drafted > 30, "\(drafted) drafts")
  }
}
