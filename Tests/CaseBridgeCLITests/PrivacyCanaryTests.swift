import CaseBridge
import CaseTestSupport
import Foundation
import Testing

/// Issue 15 item 4, privacy canaries: every person name, free text, e-mail address, username and subscriber name
/// of the mixed drop `Samples/incoming/` (every readable format: JSON Lines, bundle, CaseBridge XML, NCMEC XML,
/// CyberTip JSON, CSV through a profile, a provider letter, a provider IP log) is replaced by a canary, some of
/// them in records that are quarantined for bad values. Every command then runs at the most verbose log level in
/// both log formats, and no canary may appear in stderr, logs, reports, diagnostic messages or `inspect`'s output.
/// Canaries are allowed only in output data (written files, the store, and the stdout of commands whose stdout is
/// the data asked for: search, links, export, history, match's table), in quarantined raw bytes, and in a
/// diagnostic's `value` when `--include-values` was given.
@Suite(.serialized) struct PrivacyCanaryTests {
  /// Every canary contains this token (checked case-insensitively); nothing else the test writes does.
  static let token = "canary"

  /// Replacements per file (exact strings of the bundled samples), keeping each value's shape so it still reads.
  static let names: [(files: String, from: String, to: String)] = [
    (".jsonl", "\"Testy\"", "\"Canarytesty\""), (".jsonl", "\"Suspectson\"", "\"Canarysuspectson\""),
    (".jsonl", "\"Broken\"", "\"Canarybroken\""), (".jsonl", "\"Record\"", "\"Canaryrecord\""),
    (".jsonl", "Enticement report", "Canary enticement report"),
    ("riverside", "\"Sample\"", "\"Canarysample\""), ("riverside", "\"Subject\"", "\"Canarysubject\""),
    ("riverside", "Sextortion complaint", "Canary sextortion complaint"),
    ("hilltop", ">Demo<", ">Canarydemo<"), ("hilltop", ">Uploader<", ">Canaryuploader<"),
    ("ncmec", ">Tipster<", ">Canarytipster<"), ("ncmec", ">Examplefield<", ">Canaryexamplefield<"),
    ("ncmec", ">uploader_example<", ">canary_uploader_example<"),
    ("metro", ",Tipster,Examplefield,", ",Canarytipster,Canaryexamplefield,"),
    ("metro", ",Phoney,Spellington,", ",Canaryphoney,Canaryspellington,"),
    ("letter", "CASEY PLACEHOLDER", "CANARY PLACEHOLDER"),
    ("iplog", "quiet_gamer", "canary_quiet_gamer"), ("iplog", "other_gamer", "canary_other_gamer"),
  ]

  /// Copies the drop with canaries in it; returns the folder. Every e-mail address gets a canary local part.
  static func canaryDrop() throws -> URL {
    let source = Repo.samples.appendingPathComponent("incoming")
    let dir = makeTemporaryDirectory("privacy").appendingPathComponent("drop")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let email = try Regex(#"([A-Za-z0-9._-]+)@(example\.(?:com|net|org))"#)
    var hit = Set<Int>()
    for name in try FileManager.default.contentsOfDirectory(atPath: source.path) where !name.hasPrefix(".") {
      var text = try String(contentsOf: source.appendingPathComponent(name), encoding: .utf8)
      for (k, r) in names.enumerated() where name.contains(r.files) && text.contains(r.from) {
        text = text.replacingOccurrences(of: r.from, with: r.to)
        hit.insert(k)
      }
      text = text.replacing(email) { m in "canary.\(m.output[1].substring ?? "")@\(m.output[2].substring ?? "")" }
      // A quarantined record whose bad values are canaries: the diagnostics must name the field, not the value.
      if name.hasPrefix("metro-rms-2024-12-01") {
        text += "MR-1099,MPD-2024-0404,XX0000404,Metro Police Department (fictional),Canarybadrow,Canarybadrow,canary-not-an-email@@example.com,canary-phone\n"
      }
      try Data(text.utf8).write(to: dir.appendingPathComponent(name))
    }
    #expect(hit.count == names.count, "every replacement must hit a sample (the samples changed?)")
    // The drop's profile map, with absolute profile paths.
    let profiles = Repo.schemas.appendingPathComponent("profiles").path
    try Data("""
      profiles:
        - glob: "metro-rms-*.csv"
          profile: \(profiles)/metro-rms.json
        - glob: "example-cable-letter-*.txt"
          profile: \(profiles)/providers/example-cable-letter-case.json
        - glob: "placeholder-games-iplog-*.log"
          profile: \(profiles)/providers/placeholder-games-iplog.json
      """.utf8).write(to: dir.appendingPathComponent(".casebridge.yaml"))
    return dir
  }

  static func profile(for name: String) -> String? {
    let p = Repo.schemas.appendingPathComponent("profiles").path
    if name.hasPrefix("metro-rms") { return "\(p)/metro-rms.json" }
    if name.hasPrefix("example-cable-letter") { return "\(p)/providers/example-cable-letter-case.json" }
    if name.hasPrefix("placeholder-games-iplog") { return "\(p)/providers/placeholder-games-iplog.json" }
    return nil
  }

  static func leaks(_ text: String) -> Bool { text.range(of: token, options: .caseInsensitive) != nil }

  static func expectClean(_ text: String, _ what: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
    if let r = text.range(of: token, options: .caseInsensitive) {
      let start = text.index(r.lowerBound, offsetBy: -60, limitedBy: text.startIndex) ?? text.startIndex
      let end = text.index(r.upperBound, offsetBy: 60, limitedBy: text.endIndex) ?? text.endIndex
      Issue.record("a canary reached \(what): …\(text[start..<end])…", sourceLocation: sourceLocation)
    }
  }

  /// Every diagnostics file of a quarantine folder: each finding's members except `value` are canary-free, and
  /// `value` appears only when values were asked for.
  static func checkDiagnostics(_ quarantine: URL, includeValues: Bool, _ what: String) throws -> Int {
    var findings = 0
    guard let e = FileManager.default.enumerator(atPath: quarantine.path) else { return 0 }
    for case let rel as String in e where rel.hasSuffix(".diagnostics.jsonl") {
      let text = try String(contentsOf: quarantine.appendingPathComponent(rel), encoding: .utf8)
      for line in text.split(separator: "\n") {
        findings += 1
        guard case .object(var o) = try JSONParser().parse(Array(line.utf8)) else { continue }
        let value = o["value"]
        if !includeValues { #expect(value == nil, "\(what): a value without --include-values") }
        o.members.removeAll { $0.key == "value" }
        var w = JSONWriter()
        w.write(.object(o))
        expectClean(String(decoding: w.bytes, as: UTF8.self), "\(what): \(rel)")
      }
    }
    return findings
  }

  @Test(arguments: ["text", "json"])
  func convertValidateAndInspectLeakNoCanary(logFormat: String) throws {
    let drop = try Self.canaryDrop()
    let work = makeTemporaryDirectory("privacy-run")
    var quarantinedSomewhere = 0
    var findingsSeen = 0
    for name in try FileManager.default.contentsOfDirectory(atPath: drop.path).sorted() where !name.hasPrefix(".") {
      let input = drop.appendingPathComponent(name).path
      let profile = Self.profile(for: name).map { ["--profile", $0] } ?? []
      for command in ["convert", "validate"] {
        for includeValues in [false, true] {
          let tag = "\(command)-\(includeValues ? "values" : "plain")-\(name)"
          let q = work.appendingPathComponent("q-\(tag)")
          let report = work.appendingPathComponent("r-\(tag).json")
          var args = [command, input] + profile + [
            "--quarantine", q.path, "--report", report.path, "--log-level", "trace", "--log-format", logFormat,
            "--now", "2026-12-07T00:00:00Z",
          ]
          if command == "convert" { args += ["--to", "jsonl", "-o", work.appendingPathComponent("o-\(tag).jsonl").path] }
          if includeValues { args.append("--include-values") }
          let r = try CLITests.run(args)
          #expect(r.status == 0 || r.status == 1, "\(tag): exit \(r.status)\n\(r.stderr)")
          Self.expectClean(r.stdout, "\(tag) stdout")
          Self.expectClean(r.stderr, "\(tag) stderr/logs")
          Self.expectClean(try String(contentsOf: report, encoding: .utf8), "\(tag) report")
          findingsSeen += try Self.checkDiagnostics(q, includeValues: includeValues, tag)
          if case .object(let o) = try JSONParser().parse(Array(try Data(contentsOf: report))),
            case .object(let t)? = o["totals"], let n = t["quarantined"], n != .number(JSONNumber(Int64(0)))
          {
            quarantinedSomewhere += 1
          }
        }
      }
      let inspect = try CLITests.run(["inspect", input, "--log-level", "trace", "--log-format", logFormat])
      Self.expectClean(inspect.stdout, "inspect \(name) stdout")
      Self.expectClean(inspect.stderr, "inspect \(name) stderr")
    }
    // The test means something only if canary-bearing records were quarantined and findings were written.
    #expect(quarantinedSomewhere >= 4)
    #expect(findingsSeen > 10)
    // And the canaries did reach the output data (so they were read, not dropped).
    let outputs = try FileManager.default.contentsOfDirectory(atPath: work.path).filter { $0.hasPrefix("o-") }
    let data = try outputs.map { try String(contentsOf: work.appendingPathComponent($0), encoding: .utf8) }.joined()
    #expect(Self.leaks(data))
  }

  /// The provider pages the drop does not hold — sectioned exports and HTML records pages, clean and with pitfalls —
  /// with canary usernames, display names and e-mail addresses (and a canary inside a bad IP address, so a
  /// quarantined value is one): nothing of them reaches stderr, logs, reports, diagnostics or `inspect`.
  @Test(arguments: ["text", "json"])
  func providerPagesLeakNoCanary(logFormat: String) throws {
    let work = makeTemporaryDirectory("privacy-pages")
    let profiles = Repo.schemas.appendingPathComponent("profiles/providers").path
    let pages: [(String, String)] = [
      ("valid/test-social-2024.csv", "test-social-sectioned.json"), ("invalid/test-social-pitfalls.csv", "test-social-sectioned.json"),
      ("valid/demo-chat-records.html", "demo-chat-records.json"), ("invalid/demo-chat-pitfalls.html", "demo-chat-records.json"),
    ]
    var findings = 0
    var data = ""
    for (sample, profile) in pages {
      var text = try String(contentsOf: Repo.samples.appendingPathComponent("isp/\(sample)"), encoding: .utf8)
      for (from, to) in [("testy.mctestface", "canary.testy"), ("Testy McTestface", "Canary McTestface"), ("demo.user", "canary.demo.user"), ("fe80::1%eth0", "fe80::1%canary0")] {
        text = text.replacingOccurrences(of: from, with: to)
      }
      #expect(Self.leaks(text), "\(sample): no canary planted")
      let name = URL(fileURLWithPath: sample).lastPathComponent
      let input = work.appendingPathComponent(name)
      try Data(text.utf8).write(to: input)
      let log = ["--log-level", "trace", "--log-format", logFormat, "--now", "2026-12-07T00:00:00Z"]
      let q = work.appendingPathComponent("q-\(name)")
      let report = work.appendingPathComponent("r-\(name).json")
      let out = work.appendingPathComponent("o-\(name).jsonl")
      let r = try CLITests.run(
        ["convert", input.path, "--profile", "\(profiles)/\(profile)", "--to", "jsonl", "-o", out.path, "--quarantine", q.path, "--report", report.path] + log)
      #expect(r.status == 0 || r.status == 1, "\(name): exit \(r.status)\n\(r.stderr)")
      Self.expectClean(r.stdout + r.stderr, "\(name) stdout/stderr")
      Self.expectClean(try String(contentsOf: report, encoding: .utf8), "\(name) report")
      findings += try Self.checkDiagnostics(q, includeValues: false, name)
      data += (try? String(contentsOf: out, encoding: .utf8)) ?? ""
      let inspect = try CLITests.run(["inspect", input.path, "--log-level", "trace", "--log-format", logFormat])
      Self.expectClean(inspect.stdout + inspect.stderr, "inspect \(name)")
    }
    #expect(findings >= 8, "the pitfall pages' findings were written")
    #expect(Self.leaks(data), "the canaries reached the output data")
  }

  @Test func withIncludeValuesTheValueIsThereAndOnlyInValue() throws {
    let drop = try Self.canaryDrop()
    let work = makeTemporaryDirectory("privacy-values")
    let input = drop.appendingPathComponent("metro-rms-2024-12-01.csv").path
    let q = work.appendingPathComponent("q")
    _ = try CLITests.run(["validate", input, "--profile", Self.profile(for: "metro-rms")!, "--quarantine", q.path, "--include-values"])
    var values: [String] = []
    let e = FileManager.default.enumerator(atPath: q.path)
    while let rel = e?.nextObject() as? String {
      guard rel.hasSuffix(".diagnostics.jsonl") else { continue }
      for line in try String(contentsOf: q.appendingPathComponent(rel), encoding: .utf8).split(separator: "\n") {
        if case .object(let o) = try JSONParser().parse(Array(line.utf8)), case .string(let v)? = o["value"] { values.append(v) }
      }
    }
    #expect(values.contains { Self.leaks($0) }, "the bad e-mail's value is kept when asked for")
  }

  @Test(arguments: ["text", "json"])
  func storeCommandsLeakNoCanaryOnStderr(logFormat: String) throws {
    let drop = try Self.canaryDrop()
    let work = makeTemporaryDirectory("privacy-store")
    let store = work.appendingPathComponent("cases.sqlite").path
    let report = work.appendingPathComponent("import.json").path
    let log = ["--log-level", "trace", "--log-format", logFormat]
    let imported = try CLITests.run(["import", drop.path, "--store", store, "--report", report, "--quarantine", work.appendingPathComponent("q").path] + log)
    #expect(imported.status == 1, "\(imported.stderr)")
    Self.expectClean(imported.stdout + imported.stderr, "import stdout/stderr")
    Self.expectClean(try String(contentsOf: URL(fileURLWithPath: report), encoding: .utf8), "import report")
    #expect(try Self.checkDiagnostics(work.appendingPathComponent("q"), includeValues: false, "import") > 0)

    // Search and export answer with data (that is what they are asked for); their stderr stays clean. (The query
    // commands have no log options: they log nothing.)
    let search = try CLITests.run(["search", "--store", store, "canary.shared.suspect@example.com"])
    #expect(search.status == 0, "\(search.stderr)")
    #expect(Self.leaks(search.stdout))
    Self.expectClean(search.stderr, "search stderr")
    for args in [["links", "--store", store], ["export", "--store", store, "--to", "jsonl", "-o", work.appendingPathComponent("export.jsonl").path]] {
      let r = try CLITests.run(args)
      #expect(r.status == 0 || r.status == 1, "\(args[0]): \(r.stderr)")
      Self.expectClean(r.stderr, "\(args[0]) stderr")
    }

    // The nightly batch over the same drop: stderr, both reports and the quarantine's findings stay clean, and
    // so does `verify` over its archive.
    let inbox = work.appendingPathComponent("inbox")
    try FileManager.default.copyItem(at: drop, to: inbox)
    try? FileManager.default.removeItem(at: inbox.appendingPathComponent(".casebridge.yaml"))
    let profiles = Repo.schemas.appendingPathComponent("profiles").path
    let config = work.appendingPathComponent("batch.yaml")
    try Data("""
      inbox: \(inbox.path)
      store: \(work.path)/batch.sqlite
      archive: \(work.path)/archive
      quarantine: \(work.path)/bq
      reports: \(work.path)/reports
      settle: 0
      profiles:
        - glob: "metro-rms-*.csv"
          profile: \(profiles)/metro-rms.json
        - glob: "example-cable-letter-*.txt"
          profile: \(profiles)/providers/example-cable-letter-case.json
        - glob: "placeholder-games-iplog-*.log"
          profile: \(profiles)/providers/placeholder-games-iplog.json
      """.utf8).write(to: config)
    let batch = try CLITests.run(["batch", "--config", config.path, "--run-id", "privacy-1"])
    #expect(batch.status == 1, "\(batch.stderr)")
    Self.expectClean(batch.stdout + batch.stderr, "batch stdout/stderr")
    let reports = work.appendingPathComponent("reports")
    for name in try FileManager.default.contentsOfDirectory(atPath: reports.path) {
      Self.expectClean(try String(contentsOf: reports.appendingPathComponent(name), encoding: .utf8), "batch \(name)")
    }
    #expect(try Self.checkDiagnostics(work.appendingPathComponent("bq"), includeValues: false, "batch") > 0)
    let verify = try CLITests.run(["verify", "--store", "\(work.path)/batch.sqlite", "--archive", "\(work.path)/archive"])
    #expect(verify.status == 0, "\(verify.stderr)")
    Self.expectClean(verify.stdout + verify.stderr, "verify")
    let history = try CLITests.run(["history", "--store", store, "1a000000-0000-4000-8000-000000000003"])
    #expect(history.status == 0, "\(history.stderr)")
    Self.expectClean(history.stderr, "history stderr")
    // A run that fails on the store says where, not what.
    let busy = try CLITests.run(["import", drop.path, "--store", store] + log)
    Self.expectClean(busy.stderr, "second import stderr")

    // match: its table is the data asked for; stderr and the report stay clean.
    let letter = drop.appendingPathComponent("example-cable-letter-2024-11.txt").path
    let cybertip = drop.appendingPathComponent("cybertip-2024-11.json").path
    let matchReport = work.appendingPathComponent("match.json").path
    let m = try CLITests.run([
      "match", letter, cybertip, "--profile-for", "\(letter)=\(Self.profile(for: "example-cable-letter")!)", "--report", matchReport,
    ] + log)
    #expect(m.status <= 1, "\(m.stderr)")
    Self.expectClean(m.stderr, "match stderr")
    Self.expectClean(try String(contentsOf: URL(fileURLWithPath: matchReport), encoding: .utf8), "match report")
  }
}
