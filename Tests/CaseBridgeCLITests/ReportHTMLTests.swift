import CaseBridge
import CaseTestSupport
import Foundation
import Testing

@testable import CaseReport
import Mustache

#if canImport(Glibc)
  import Glibc
#endif

/// Reports for people: `--report-html`, `casebridge report`, batch `REPORTS/<run-id>.html`; escaping, privacy, and the
/// page as a real browser renders it.
@Suite(.serialized) struct ReportHTMLTests {
  // MARK: helpers

  /// The bundled mixed drop (the README's first command) imported with a quarantine, JSON and HTML reports.
  struct MixedRun {
    let dir: URL
    var json: String { dir.appendingPathComponent("r.json").path }
    var html: String { dir.appendingPathComponent("pages/r.html").path }
    var report: JSONObject

    init(_ name: String = "report-mixed") throws {
      dir = makeTemporaryDirectory(name)
      try FileManager.default.createDirectory(at: dir.appendingPathComponent("pages"), withIntermediateDirectories: true)
      let r = try CLITests.run([
        "import", sample("incoming"), "--store", dir.appendingPathComponent("cases.sqlite").path, "--quarantine",
        dir.appendingPathComponent("q").path, "--report", dir.appendingPathComponent("r.json").path, "--report-html",
        dir.appendingPathComponent("pages/r.html").path, "--now", "2026-11-01T00:00:00Z", "--run-id", "mixed-1",
      ])
      guard r.status == 1 else { throw TestFailure("import exited \(r.status): \(r.stderr)") }
      report = try Self.object(readBytes(URL(fileURLWithPath: dir.appendingPathComponent("r.json").path)))
    }

    static func object(_ bytes: [UInt8]) throws -> JSONObject {
      guard case .object(let o) = try JSONParser().parse(bytes) else { throw TestFailure("not an object") }
      return o
    }

    var inputs: [JSONObject] { report["inputs"]?.arrayValue?.compactMap(\.objectValue) ?? [] }
    var totals: JSONObject { report["totals"]?.objectValue ?? JSONObject([]) }
    var rules: [String: Int] {
      var d: [String: Int] = [:]
      for m in totals["rules"]?.objectValue?.members ?? [] { d[m.key] = Int(m.value.numberValue?.int64Value ?? -1) }
      return d
    }
  }

  struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
  }

  /// Text between `<... id="ID">` and the next `<`.
  static func byID(_ html: String, _ id: String) -> String? {
    guard let r = html.range(of: "id=\"\(id)\">") else { return nil }
    return String(html[r.upperBound...].prefix { $0 != "<" })
  }

  /// The cells of every `<tr class="CLASS">` row, tags removed.
  static func rows(_ html: String, _ cls: String) -> [[String]] {
    var out: [[String]] = []
    var rest = html[...]
    while let r = rest.range(of: "<tr class=\"\(cls)\">") {
      let end = rest[r.upperBound...].range(of: "</tr>")?.lowerBound ?? rest.endIndex
      let row = rest[r.upperBound..<end]
      let cells = row.components(separatedBy: "<td").dropFirst().map { cell -> String in
        let inner = cell.drop { $0 != ">" }.dropFirst()
        return String(inner.prefix { $0 != "<" })
      }
      out.append(cells)
      rest = rest[end...]
    }
    return out
  }

  /// Every `href="..."` value.
  static func hrefs(_ html: String) -> [String] {
    html.components(separatedBy: "href=\"").dropFirst().map { String($0.prefix { $0 != "\"" }) }
  }

  /// The tag names of a document (`<name`, `</name`).
  static func tagNames(_ html: String) -> Set<String> {
    var names = Set<String>()
    let chars = Array(html.unicodeScalars)
    var i = 0
    while i < chars.count {
      if chars[i] == "<" {
        var j = i + 1
        if j < chars.count, chars[j] == "/" { j += 1 }
        var name = ""
        while j < chars.count, chars[j].properties.isAlphabetic || ("0"..."9").contains(chars[j]) || chars[j] == "!" {
          name.unicodeScalars.append(chars[j])
          j += 1
        }
        names.insert(name.lowercased())
      }
      i += 1
    }
    return names
  }

  static let allowedTags: Set<String> = [
    "!doctype", "html", "head", "meta", "title", "style", "body", "header", "h1", "h2", "h3", "p", "div", "span", "b",
    "section", "table", "thead", "tbody", "tr", "th", "td", "a", "br", "svg", "text", "rect", "code", "footer",
  ]

  static func htmlEscaped(_ s: String) -> String {
    s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
      .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
      .replacingOccurrences(of: "'", with: "&#39;")
  }

  /// Resolves an href against the page's directory.
  static func target(of href: String, page: String) -> String {
    let dir = URL(fileURLWithPath: page).deletingLastPathComponent()
    return URL(fileURLWithPath: href.removingPercentEncoding ?? href, relativeTo: dir).standardizedFileURL.path
  }

  // MARK: casebridge report (terminal)

  @Test func reportPrintsTheSameCountsAsTheJSON() throws {
    let run = try MixedRun()
    let r = try CLITests.run(["report", run.json])
    #expect(r.status == 0, "\(r.stderr)")
    #expect(!r.stdout.contains("\u{1B}["), "no colour when stdout is not a terminal")
    let t = run.totals
    let expected = "totals: \(t.int("inputs")!) inputs, \(t.int("read")!) read = \(t.int("accepted")!) accepted + \(t.int("quarantined")!) quarantined, \(t.int("ignored")!) ignored"
    #expect(r.stdout.contains(expected), "\(r.stdout)")
    #expect(t.int("read") == t.int("accepted")! + t.int("quarantined")!)
    #expect(r.stdout.contains("exit 1: finished; some records quarantined"))
    // Per input: index, disposition, read, accepted, quarantined, ignored, warnings, format, path.
    let lines = r.stdout.split(separator: "\n").map(String.init)
    for i in run.inputs {
      let want = ["\(i.int("index")!)", i.string("disposition")!, "\(i.int("read")!)", "\(i.int("accepted")!)", "\(i.int("quarantined")!)"]
      let row = lines.first { $0.split(separator: " ").map(String.init).prefix(5).elementsEqual(want) && $0.hasSuffix(i.string("path")!) }
      #expect(row != nil, "no row \(want) for \(i.string("path")!)\n\(r.stdout)")
    }
    // Per rule: id and count, and several rules in this run.
    #expect(run.rules.count >= 3, "\(run.rules)")
    for (rule, count) in run.rules {
      #expect(lines.contains { $0.split(separator: " ").map(String.init).prefix(2).elementsEqual([rule, "\(count)"]) }, "\(rule) \(count)")
    }
    #expect(r.stdout.contains("what to do: "))
    #expect(r.stdout.contains("values are shown only for runs with --include-values"))
  }

  /// `casebridge report` on a real terminal (a pty from util-linux `script`): colour, unless NO_COLOR is set.
  @Test func colourOnlyOnATerminalAndWithoutNoColor() throws {
    guard FileManager.default.isExecutableFile(atPath: "/usr/bin/script") else {
      if Repo.isCI { Issue.record("util-linux script is missing") }
      return
    }
    let run = try MixedRun("report-colour")
    func onTerminal(_ noColor: String?) throws -> String {
      let p = Process()
      p.executableURL = URL(fileURLWithPath: "/usr/bin/script")
      p.arguments = ["-qec", "'\(CLITests.binary.path)' report '\(run.json)'", "/dev/null"]
      var env = ProcessInfo.processInfo.environment
      env["NO_COLOR"] = noColor
      p.environment = env
      let out = Pipe()
      p.standardOutput = out
      p.standardInput = FileHandle.nullDevice
      try p.run()
      let data = out.fileHandleForReading.readToEndRetryingInterrupts()
      p.waitUntilExit()
      #expect(p.terminationStatus == 0)
      return String(decoding: data, as: UTF8.self)
    }
    let coloured = try onTerminal(nil)
    #expect(coloured.contains("\u{1B}[1m") && coloured.contains("totals: "), "\(coloured.prefix(300))")
    #expect(try onTerminal("").contains("\u{1B}[1m"), "an empty NO_COLOR does not turn colour off")
    let plain = try onTerminal("1")
    #expect(!plain.contains("\u{1B}[") && plain.contains("totals: "))
  }

  @Test func reportFiltersByRuleAndInputAndRefusesWhatTheReportLacks() throws {
    let run = try MixedRun()
    // --input N: that input alone, totals of it.
    let five = run.inputs.first { $0.int("index") == 5 }!
    let r5 = try CLITests.run(["report", run.json, "--input", "5"])
    #expect(r5.status == 0, "\(r5.stderr)")
    #expect(r5.stdout.contains("totals: 1 input, \(five.int("read")!) read = \(five.int("accepted")!) accepted + \(five.int("quarantined")!) quarantined"), "\(r5.stdout)")
    #expect(r5.stdout.contains(five.string("path")!))
    for other in run.inputs where other.int("index") != 5 { #expect(!r5.stdout.contains(other.string("path")! + "\n"), "\(other.string("path")!)") }
    // --rule ID: the inputs with findings of it, its row and diagnostics only.
    let (rule, count) = run.rules.filter { $0.key != "input.duplicate" }.max { $0.value < $1.value }!
    let rr = try CLITests.run(["report", run.json, "--rule", rule])
    #expect(rr.status == 0, "\(rr.stderr)")
    let ruleLines = rr.stdout.split(separator: "\n").filter { $0.hasPrefix("  ") && $0.split(separator: " ").count >= 3 }
    for other in run.rules.keys where other != rule {
      #expect(!rr.stdout.contains(other), "\(other) shown under --rule \(rule)")
    }
    #expect(ruleLines.contains { $0.split(separator: " ").map(String.init).prefix(2).elementsEqual([rule, "\(count)"]) })
    let withRule = run.inputs.filter { ($0["rules"]?.objectValue?[rule]?.numberValue?.int64Value ?? 0) > 0 }
    #expect(rr.stdout.contains("totals: \(withRule.count) input"), "\(rr.stdout)")
    // The HTML page takes the same filters.
    let page = run.dir.appendingPathComponent("rule.html").path
    #expect(try CLITests.run(["report", run.json, "--rule", rule, "--html", page]).status == 0)
    let html = try String(contentsOfFile: page, encoding: .utf8)
    #expect(Self.rows(html, "rule-row").map { $0.first ?? "" } == [rule])
    // Refusals: exit codes per the README.
    let noInput = try CLITests.run(["report", run.json, "--input", "99"])
    #expect(noInput.status == 64 && noInput.stderr.contains("--input 99: no such input"), "\(noInput.stderr)")
    let noRule = try CLITests.run(["report", run.json, "--rule", "no.such-rule"])
    #expect(noRule.status == 64 && noRule.stderr.contains("--rule no.such-rule"), "\(noRule.stderr)")
    let catalogued = try CLITests.run(["report", run.json, "--rule", "hash.length"])
    #expect(catalogued.status == 0 && catalogued.stdout.contains("totals: 0 inputs"), "a catalogue rule without findings shows zero")
    let missing = try CLITests.run(["report", run.dir.appendingPathComponent("nope.json").path])
    #expect(missing.status == 66 && missing.stderr.contains("no such file"), "\(missing.stderr)")
    let notJSON = run.dir.appendingPathComponent("bad.json")
    try Data("{\"runId\": \n oops}".utf8).write(to: notJSON)
    let bad = try CLITests.run(["report", notJSON.path])
    #expect(bad.status == 65 && bad.stderr.contains("bad.json:2:"), "located: \(bad.stderr)")
    let other = run.dir.appendingPathComponent("other.json")
    try Data("{\"a\": 1}".utf8).write(to: other)
    let notReport = try CLITests.run(["report", other.path])
    #expect(notReport.status == 65 && notReport.stderr.contains("not a CaseBridge run or batch report"), "\(notReport.stderr)")
    #expect(try CLITests.run(["report", run.dir.path]).status == 66, "a directory is not a report")
    #expect(try CLITests.run(["report", run.json, "--html", run.json]).status == 64, "the page cannot replace the report")
  }

  // MARK: --report-html

  @Test func htmlOfTheMixedRunHoldsCountsRulesAndWorkingRelativeLinks() throws {
    let run = try MixedRun()
    var st = stat()
    #expect(stat(run.html, &st) == 0 && st.st_mode & 0o777 == 0o600, "written 0600 like the JSON report")
    let html = try String(contentsOfFile: run.html, encoding: .utf8)
    let t = run.totals
    for k in ["inputs", "read", "accepted", "quarantined", "ignored", "warnings"] {
      #expect(Self.byID(html, "total-" + k) == "\(t.int(k)!)", "\(k)")
    }
    #expect(Self.byID(html, "exit-code") == "1")
    #expect(html.contains("finished; some records quarantined"))
    // Inputs: read, accepted, quarantined per row.
    let inputRows = Self.rows(html, "input-row")
    #expect(inputRows.count == run.inputs.count)
    for (row, i) in zip(inputRows, run.inputs) {
      #expect(row.count == 11)
      #expect(row[0] == "\(i.int("index")!)" && row[5] == "\(i.int("read")!)" && row[6] == "\(i.int("accepted")!)" && row[7] == "\(i.int("quarantined")!)", "\(row)")
    }
    // Rules: one row per rule with its count and catalogue summary.
    let ruleRows = Self.rows(html, "rule-row")
    #expect(Dictionary(uniqueKeysWithValues: ruleRows.map { ($0[0], Int($0[1]) ?? -1) }) == run.rules)
    for row in ruleRows { #expect(row[4] == Self.htmlEscaped(RuleCatalogue.descriptor(row[0])!.summary)) }
    #expect(html.contains("<svg") && html.components(separatedBy: "class=\"bar ").count - 1 == run.rules.count)
    // Links: relative, percent-encoded, and the files exist.
    let hrefs = Self.hrefs(html)
    #expect(!hrefs.isEmpty)
    let quarantineFiles = Set(run.inputs.flatMap { $0["quarantineFiles"]?.arrayValue?.compactMap(\.stringValue) ?? [] })
    for h in hrefs {
      #expect(!h.hasPrefix("/") && !h.contains(":") && h.hasPrefix("../q/mixed-1/"), "\(h)")
      let target = Self.target(of: h, page: run.html)
      #expect(FileManager.default.fileExists(atPath: target), "\(h) → \(target)")
      #expect(quarantineFiles.contains(target), "\(target) is a quarantine file of the run")
    }
    #expect(hrefs.contains { $0.hasSuffix(".diagnostics.jsonl") } && hrefs.contains { $0.contains(".rejected.") })
    // Diagnostics: one row per finding of the quarantined inputs' rules, with locations.
    #expect(Self.rows(html, "diag-row").count == run.rules.filter { $0.key != "input.duplicate" }.values.reduce(0, +))
    #expect(html.contains("Samples/incoming/metro-rms-2024-12-01.csv:4:81"))
    // Self-contained: the CSP, no script, no external reference.
    #expect(html.contains("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src &#39;none&#39;; style-src &#39;unsafe-inline&#39;\">") || html.contains("content=\"default-src 'none'; style-src 'unsafe-inline'\""))
    #expect(Self.tagNames(html).isSubset(of: Self.allowedTags), "\(Self.tagNames(html).subtracting(Self.allowedTags))")
    #expect(!html.contains("http:") && !html.contains("https:") && !html.contains("src=") && !html.contains("url("))
    // A page written into folders the write creates still links relative to where it lands.
    let deep = run.dir.appendingPathComponent("new/sub/../deeper/p.html").path
    #expect(try CLITests.run(["report", run.json, "--html", deep]).status == 0)
    let deepHTML = try String(contentsOfFile: deep, encoding: .utf8)
    let deepLinks = Self.hrefs(deepHTML)
    #expect(deepLinks.count == hrefs.count && deepLinks.allSatisfy { $0.hasPrefix("../../q/mixed-1/") }, "\(deepLinks)")
    for h in deepLinks { #expect(FileManager.default.fileExists(atPath: Self.target(of: h, page: deep)), "\(h)") }
  }

  @Test func reportHTMLFollowsTheOutputPathRules() throws {
    let dir = makeTemporaryDirectory("report-html-paths")
    let input = sample("jsonl/invalid/mixed.jsonl")
    let same = try CLITests.run(["validate", input, "--report-html", input])
    #expect(same.status == 64 && same.stderr.contains("output.same-file"), "\(same.stderr)")
    let report = dir.appendingPathComponent("r.json").path
    let both = try CLITests.run(["validate", input, "--report", report, "--report-html", report])
    #expect(both.status == 64 && both.stderr.contains("--report-html"), "\(both.stderr)")
    #expect(!FileManager.default.fileExists(atPath: report))
    let aDir = try CLITests.run(["validate", input, "--report-html", dir.path])
    #expect(aDir.status == 73, "\(aDir.stderr)")
    // A page that cannot be created is the run's exit code and in the JSON report's error.
    let r = try CLITests.run(["validate", input, "--report", report, "--report-html", "/proc/casebridge/r.html", "--now", "2026-01-01T00:00:00Z"])
    #expect(r.status == 73, "\(r.stderr)")
    let json = try MixedRun.object(readBytes(URL(fileURLWithPath: report)))
    #expect(json.string("error")?.contains("output.cannot-create") == true && json.int("exitCode") == 73)
    // Without --quarantine the page says where diagnostics are kept.
    let page = dir.appendingPathComponent("noq.html").path
    #expect(try CLITests.run(["validate", input, "--report-html", page, "--now", "2026-01-01T00:00:00Z"]).status == 1)
    let html = try String(contentsOfFile: page, encoding: .utf8)
    #expect(html.contains("diagnostics are kept only with --quarantine DIR"))
    #expect(Self.byID(html, "total-read") == "20" && Self.byID(html, "total-quarantined") == "17")
  }

  @Test func batchWritesTheHTMLReportBesideTheJSON() throws {
    let l = try BatchTests.Layout("report-batch")
    try l.put("case one.jsonl", from: "jsonl/valid/case-0001.jsonl")
    try l.put("mixed.jsonl", from: "jsonl/invalid/mixed.jsonl")
    let r = try BatchTests.batch(l.flags + ["--settle", "0", "--run-id", "html-1"])
    #expect(r.status == 1, "\(r.stderr)")
    let page = l.reports + "/html-1.html"
    var st = stat()
    #expect(stat(page, &st) == 0 && st.st_mode & 0o777 == 0o600)
    let html = try String(contentsOfFile: page, encoding: .utf8)
    let report = try l.report("html-1")
    let totals = report["totals"]!.objectValue!
    for k in ["read", "accepted", "quarantined"] { #expect(Self.byID(html, "total-" + k) == "\(totals.int(k)!)", "\(k)") }
    let hrefs = Self.hrefs(html)
    #expect(hrefs.contains { $0.hasSuffix("000-mixed.diagnostics.jsonl") }, "\(hrefs)")
    for h in hrefs { #expect(FileManager.default.fileExists(atPath: Self.target(of: h, page: page)), "\(h)") }
    #expect(!Self.rows(html, "diag-row").isEmpty)
    // `casebridge report` reads the batch report too.
    let text = try CLITests.run(["report", l.reports + "/html-1.json"])
    #expect(text.status == 0 && text.stdout.contains("batch run html-1") && text.stdout.contains("case one.jsonl"), "\(text.stdout)\(text.stderr)")
  }

  // MARK: escaping

  /// Markup, script/style terminators, bidi controls, C0/C1 controls and line separators.
  static let hostile = "<b>x</b>\"><img src=x onerror=alert(1)></script></style>\u{202E}evil\u{2066}\u{1B}[31m\u{07}\u{85}\u{9B}\u{2028}\u{2029}'\"\u{301}end"
  static let hostileFileName = "<b>\"><img src=x onerror=alert(1)>\u{202E}\u{2066}\u{2028}"

  /// A run report and a diagnostics file in which every string is hostile, built by hand.
  static func hostileReport(in dir: URL, includeValues: Bool) throws -> String {
    let h = hostile
    let qdir = dir.appendingPathComponent("q")
    try FileManager.default.createDirectory(at: qdir, withIntermediateDirectories: true)
    let diagPath = qdir.appendingPathComponent("000-" + hostileFileName + ".diagnostics.jsonl").path
    let rejPath = qdir.appendingPathComponent("000-" + hostileFileName + ".rejected.jsonl").path
    func obj(_ m: [(String, JSONValue)]) -> JSONValue { .object(JSONObject(m.map { JSONMember(key: $0.0, value: $0.1) })) }
    func n(_ i: Int) -> JSONValue { .number(JSONNumber(Int64(i))) }
    var lines: [UInt8] = []
    for rule in ["email.invalid", h] {
      var w = JSONWriter()
      w.write(obj([
        ("input", .string(h)), ("inputSha256", .string(h)), ("record", n(0)), ("recordId", .string(h)), ("recordKey", .string(h)),
        ("line", n(1)), ("column", n(2)), ("byteOffset", n(0)), ("byteLength", n(3)), ("rule", .string(rule)),
        ("severity", .string(h)), ("field", .string(h)), ("message", .string(h)), ("value", .string("VALUE" + h)),
      ]))
      lines += w.bytes + [0x0A]
    }
    try Data(lines).write(to: URL(fileURLWithPath: diagPath))
    try Data("{}\n".utf8).write(to: URL(fileURLWithPath: rejPath))
    let input = obj([
      ("index", n(0)), ("path", .string(h)), ("sha256", .string(h)), ("bytes", n(3)), ("format", .string(h)),
      ("formatInferred", .bool(true)), ("profile", obj([("id", .string(h)), ("sha256", .string(h))])), ("encoding", .string(h)),
      ("disposition", .string(h)), ("read", n(2)), ("accepted", n(0)), ("quarantined", n(2)), ("ignored", n(0)), ("warnings", n(0)),
      ("rules", obj([("email.invalid", n(1)), (h, n(1))])), ("entities", obj([])),
      ("error", obj([("rule", .string(h)), ("message", .string(h)), ("line", n(1)), ("column", n(1)), ("byteOffset", n(0)), ("recordKey", .string(h))])),
      ("quarantineFiles", .array([.string(rejPath), .string(diagPath), .string(qdir.appendingPathComponent(h.replacingOccurrences(of: "/", with: "_")).path)])),
    ])
    let report = obj([
      ("tool", obj([("name", .string("casebridge")), ("version", .string(h)), ("commit", .string(h))])),
      ("reportVersion", .string("1.0")), ("runId", .string(h)), ("command", .string(h)),
      ("startedAt", .string(h)), ("finishedAt", .string(h)), ("configurationSha256", .string(h)),
      ("configuration", obj([("command", .string(h)), ("includeValues", .bool(includeValues))])),
      ("inputs", .array([input])),
      ("outputs", .array([obj([("path", .string(h)), ("format", .string(h)), ("sha256", .string(h)), ("bytes", n(1)), ("entities", n(1)), ("warnings", .array([.string(h)]))])])),
      ("totals", obj([("inputs", n(1))])), ("exitCode", n(1)), ("error", .string(h)),
    ])
    var w = JSONWriter()
    w.write(report)
    let path = dir.appendingPathComponent("hostile.json").path
    try Data(w.bytes).write(to: URL(fileURLWithPath: path))
    return path
  }

  /// Raw characters that must never reach a page or a terminal.
  static func rawControls(_ s: String) -> [String] {
    s.unicodeScalars.filter { u in
      let v = u.value
      return (v < 0x20 && v != 0x0A) || (0x7F...0x9F).contains(v) || v == 0x2028 || v == 0x2029
        || (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v) || v == 0x200E || v == 0x200F || v == 0x061C
    }.map { String($0.value, radix: 16) }
  }

  @Test func hostileStringsAppearNowhereRawInTheHTMLOrTheTerminal() throws {
    let dir = makeTemporaryDirectory("report-hostile")
    let json = try Self.hostileReport(in: dir, includeValues: true)
    let page = dir.appendingPathComponent("h.html").path
    let r = try CLITests.run(["report", json, "--html", page])
    #expect(r.status == 0, "\(r.stderr)")
    let html = try String(contentsOfFile: page, encoding: .utf8)
    #expect(!html.contains("<img") && !html.contains("<b>") && !html.contains("</script>") && !html.lowercased().contains("<script"))
    #expect(html.components(separatedBy: "</style>").count == 2, "only the page's own </style>")
    #expect(Self.tagNames(html).isSubset(of: Self.allowedTags), "\(Self.tagNames(html).subtracting(Self.allowedTags))")
    #expect(Self.rawControls(html).isEmpty, "\(Self.rawControls(html))")
    #expect(html.contains("\\u{202E}evil\\u{2066}") && html.contains("\\u{1B}[31m") && html.contains("\\u{2028}"))
    #expect(html.contains("&lt;img src=x onerror=alert(1)&gt;"), "shown as text")
    // A combining mark fused onto a quote is written as an escape, so the quote is still escaped.
    #expect(!html.contains("\"\u{301}") && html.contains("&quot;\\u{301}end"))
    // Every attribute value is one the template made: hrefs only [A-Za-z0-9._~%/-], classes plain words.
    for h in Self.hrefs(html) {
      #expect(h.unicodeScalars.allSatisfy { CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._~%/-").contains($0) }, "\(h)")
      #expect(FileManager.default.fileExists(atPath: Self.target(of: h, page: page)), "\(h)")
    }
    #expect(Self.hrefs(html).count >= 2)
    #expect(html.contains("(missing)"), "a quarantine file that is not there is named, not linked")
    // The terminal rendering: no raw control, bidi or separator character (escapes instead), no colour in a pipe.
    let t = try CLITests.run(["report", json])
    #expect(t.status == 0, "\(t.stderr)")
    #expect(Self.rawControls(t.stdout).isEmpty, "\(Self.rawControls(t.stdout))")
    #expect(t.stdout.contains("\\u{202E}evil") && t.stdout.contains("VALUE<b>"))
    // The library rendering with colour: only the SGR sequences it adds itself.
    let doc = try ReportDocument.load(path: json)
    let coloured = TerminalReport.render(doc, colour: true)
    let stripped = coloured.replacingOccurrences(of: #"\u{1B}\[[0-9;]*m"#, with: "", options: .regularExpression)
    #expect(Self.rawControls(stripped).isEmpty && coloured != stripped)
    #expect(TerminalReport.wantsColour(isTerminal: true, noColor: nil) && TerminalReport.wantsColour(isTerminal: true, noColor: ""))
    #expect(!TerminalReport.wantsColour(isTerminal: true, noColor: "1") && !TerminalReport.wantsColour(isTerminal: false, noColor: nil))
  }

  @Test func theTemplateOnlyUsesEscapingTagsAndMustacheEscapesQuotes() throws {
    #expect(!HTMLReport.templateSource.contains("{{{") && !HTMLReport.templateSource.contains("{{&"))
    #expect(!HTMLReport.templateSource.lowercased().contains("<script") && !HTMLReport.templateSource.contains("<link"))
    // The escaping itself, in an attribute: quotes and apostrophes too.
    let t = try MustacheTemplate(string: "<a href=\"{{h}}\" title='{{h}}'>{{h}}</a>")
    #expect(t.render(["h": "\"'<>&"]) == "<a href=\"&quot;&#39;&lt;&gt;&amp;\" title='&quot;&#39;&lt;&gt;&amp;'>&quot;&#39;&lt;&gt;&amp;</a>")
    // hrefs: relative, every byte outside the unreserved set percent-encoded (no scheme can form).
    #expect(LinkPaths.percentEncoded("javascript:alert(1)") == "javascript%3Aalert%281%29")
    #expect(LinkPaths.percentEncoded("a b\"<é") == "a%20b%22%3C%C3%A9")
    let dir = makeTemporaryDirectory("report-links")
    try FileManager.default.createDirectory(at: dir.appendingPathComponent("a/b"), withIntermediateDirectories: true)
    try FileManager.default.createDirectory(at: dir.appendingPathComponent("q"), withIntermediateDirectories: true)
    try Data().write(to: dir.appendingPathComponent("q/x y.jsonl"))
    #expect(LinkPaths.href(fromDirectory: LinkPaths.resolved(dir.appendingPathComponent("a/b").path), to: dir.appendingPathComponent("q/x y.jsonl").path) == "../../q/x%20y.jsonl")
    #expect(LinkPaths.href(fromDirectory: LinkPaths.resolved(dir.path), to: dir.appendingPathComponent("q/missing").path) == nil)
  }

  // MARK: privacy

  @Test func valuesAppearOnlyForRunsWithIncludeValues() throws {
    let dir = makeTemporaryDirectory("report-privacy")
    let input = sample("jsonl/invalid/mixed.jsonl")
    func run(_ name: String, _ extra: [String]) throws -> (html: String, text: String) {
      let page = dir.appendingPathComponent(name + ".html").path
      let json = dir.appendingPathComponent(name + ".json").path
      let r = try CLITests.run(["validate", input, "--quarantine", dir.appendingPathComponent(name).path, "--report", json, "--report-html", page, "--now", "2026-01-01T00:00:00Z"] + extra)
      #expect(r.status == 1, "\(r.stderr)")
      return (try String(contentsOfFile: page, encoding: .utf8), try CLITests.run(["report", json]).stdout)
    }
    let with = try run("with", ["--include-values"])
    let without = try run("without", [])
    // The values the run with --include-values kept in its diagnostics.
    let q = dir.appendingPathComponent("with")
    let runDir = try FileManager.default.contentsOfDirectory(atPath: q.path).first!
    let diag = try FileManager.default.contentsOfDirectory(atPath: q.appendingPathComponent(runDir).path).first { $0.hasSuffix(".diagnostics.jsonl") }!
    let values = try parseJSONLines(readBytes(q.appendingPathComponent(runDir + "/" + diag))).compactMap { $0.objectValue?.string("value") }
      .filter { $0.count >= 4 }
    #expect(values.count >= 3, "\(values)")
    var shownWith = 0
    for v in values {
      let escaped = Self.htmlEscaped(v.terminalEscaped)
      if with.html.contains("<td class=\"mono value\">" + escaped + "</td>") { shownWith += 1 }
      #expect(!without.html.contains(escaped) || escaped.count < 6, "value \(v) in the page of a run without --include-values")
      #expect(!without.text.contains(" value: "), "no values in the terminal rendering")
    }
    #expect(shownWith >= 3, "values shown with --include-values")
    #expect(with.text.contains(" value: "))
    #expect(!without.html.contains("class=\"mono value\""))
    // A report whose configuration lacks includeValues never shows a value, even one present in the file.
    let json = try Self.hostileReport(in: dir.appendingPathComponent("h"), includeValues: false)
    let doc = try ReportDocument.load(path: json)
    #expect(!HTMLReport.render(doc, htmlPath: nil).contains("VALUE") && !TerminalReport.render(doc).contains("VALUE"))
    #expect(DiagnosticSamples.collect(doc).byRule.values.joined().allSatisfy { $0.value == nil })
  }

  @Test func corruptAndMissingDiagnosticsFilesAreNotedNotFatal() throws {
    let dir = makeTemporaryDirectory("report-corrupt")
    let json = try Self.hostileReport(in: dir, includeValues: false)
    let diag = try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("q").path).first { $0.hasSuffix(".diagnostics.jsonl") }!
    let path = dir.appendingPathComponent("q/" + diag)
    try Data("not json\n{\"rule\":\"x\"}\n".utf8).write(to: path)
    let doc = try ReportDocument.load(path: json)
    let html = HTMLReport.render(doc, htmlPath: nil)
    #expect(html.contains("2 lines not a diagnostic (corrupt); skipped"))
    try FileManager.default.removeItem(at: path)
    #expect(HTMLReport.render(doc, htmlPath: nil).contains("no such file; its findings are not shown"))
    // Bounded: a budget smaller than the file keeps whole lines only and says so.
    var big: [UInt8] = []
    for k in 0..<1000 { big += Array("{\"rule\":\"email.invalid\",\"message\":\"m\(k)\",\"severity\":\"error\"}\n".utf8) }
    try Data(big).write(to: path)
    let s = DiagnosticSamples.collect(doc, perRule: 5, maxBytesPerFile: 4096)
    #expect(s.byRule["email.invalid"]?.count == 5 && s.bytesRead <= 4096)
    #expect(s.notes.contains { $0.contains("read only the first") })
  }

  // MARK: a real browser

  static func chromium() -> String? {
    for p in ["/usr/bin/chromium", "/usr/bin/chromium-browser"] where FileManager.default.isExecutableFile(atPath: p) { return p }
    return nil
  }

  /// Runs headless Chromium with JavaScript off (a content setting in a private profile), no network (a dead proxy,
  /// every name unresolvable), a private HOME, bounded by `timeout`.
  static func browse(_ browser: String, _ args: [String], profile: URL) throws -> (status: Int32, stdout: String, stderr: String) {
    try FileManager.default.createDirectory(at: profile.appendingPathComponent("Default"), withIntermediateDirectories: true)
    try Data(#"{"profile":{"default_content_setting_values":{"javascript":2}}}"#.utf8).write(to: profile.appendingPathComponent("Default/Preferences"))
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/timeout")
    p.arguments = ["-s", "KILL", "120", browser, "--headless", "--no-sandbox", "--disable-gpu", "--user-data-dir=" + profile.path,
      "--proxy-server=127.0.0.1:9", "--host-resolver-rules=MAP * ~NOTFOUND", "--no-first-run", "--disable-extensions"] + args
    var env = ProcessInfo.processInfo.environment
    env["HOME"] = profile.path
    p.environment = env
    let out = Pipe()
    let err = Pipe()
    p.standardOutput = out
    p.standardError = err
    try p.run()
    final class Box: @unchecked Sendable { var data = Data() }
    let box = Box()
    let group = DispatchGroup()
    group.enter()
    DispatchQueue.global().async {
      box.data = err.fileHandleForReading.readToEndRetryingInterrupts()
      group.leave()
    }
    let o = out.fileHandleForReading.readToEndRetryingInterrupts()
    group.wait()
    p.waitUntilExit()
    return (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: box.data, as: UTF8.self))
  }

  @Test func chromiumRendersTheMixedRunPageWithItsCountsRulesAndLinks() throws {
    guard let browser = Self.chromium() else {
      if Repo.isCI { Issue.record("chromium is missing (.ci/run installs Debian's chromium)") }
      return
    }
    let run = try MixedRun("report-browser")
    let url = URL(fileURLWithPath: run.html).absoluteString
    let dom = try Self.browse(browser, ["--dump-dom", url], profile: run.dir.appendingPathComponent("profile-dom"))
    #expect(dom.status == 0, "\(dom.stderr.suffix(2000))")
    let html = dom.stdout
    #expect(html.contains("id=\"total-read\""), "the DOM: \(html.prefix(500))")
    let t = run.totals
    for k in ["inputs", "read", "accepted", "quarantined", "ignored", "warnings"] {
      #expect(Self.byID(html, "total-" + k) == "\(t.int(k)!)", "\(k)")
    }
    let ruleRows = Self.rows(html, "rule-row")
    #expect(Dictionary(uniqueKeysWithValues: ruleRows.map { ($0[0], Int($0[1]) ?? -1) }) == run.rules)
    #expect(Self.rows(html, "input-row").count == run.inputs.count)
    let hrefs = Self.hrefs(html)
    #expect(hrefs.count >= 10)
    for h in hrefs {
      #expect(!h.contains(":"), "\(h)")
      #expect(FileManager.default.fileExists(atPath: Self.target(of: h, page: run.html)), "\(h)")
    }
    #expect(!html.contains("<script") && !html.contains("<img"))
    // A screenshot: a real PNG of a real size.
    let png = run.dir.appendingPathComponent("page.png")
    let shot = try Self.browse(browser, ["--window-size=1280,2000", "--screenshot=" + png.path, url], profile: run.dir.appendingPathComponent("profile-png"))
    #expect(shot.status == 0, "\(shot.stderr.suffix(2000))")
    let bytes = (try? readBytes(png)) ?? []
    #expect(bytes.count > 20_000, "\(bytes.count) bytes")
    #expect(bytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))

    // The hostile page in the browser: no element the page did not make.
    let hdir = run.dir.appendingPathComponent("hostile")
    try FileManager.default.createDirectory(at: hdir, withIntermediateDirectories: true)
    let hjson = try Self.hostileReport(in: hdir, includeValues: true)
    let hpage = hdir.appendingPathComponent("h.html").path
    #expect(try CLITests.run(["report", hjson, "--html", hpage]).status == 0)
    let hdom = try Self.browse(browser, ["--dump-dom", URL(fileURLWithPath: hpage).absoluteString], profile: run.dir.appendingPathComponent("profile-h"))
    #expect(hdom.stdout.contains("id=\"run-id\""))
    #expect(!hdom.stdout.contains("<img") && !hdom.stdout.contains("<b>x"), "markup from the report became elements")
    #expect(Self.tagNames(hdom.stdout).isSubset(of: Self.allowedTags.union(["tbody"])), "\(Self.tagNames(hdom.stdout).subtracting(Self.allowedTags))")
  }
}
