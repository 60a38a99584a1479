import CaseBridge
import CaseTestSupport
import Foundation
import Testing

/// Every XML hazard of RELIABILITY.md §9, run through the CLI as a child process under `strace`, `timeout`, GNU
/// `time` and `prlimit`: each ends with the expected outcome in under 5 s and 200 MB, creates no socket and opens no
/// file outside the input, its outputs and the process's own libraries. Uses the release binary when it is built
/// (`.ci/run` builds it; under CI=true it must exist), else the debug one.
@Suite(.serialized) struct HostileXMLCLITests {
  static var binary: URL {
    let release = Repo.root.appendingPathComponent(".build/release/casebridge")
    if FileManager.default.isExecutableFile(atPath: release.path) { return release }
    return CLITests.binary
  }

  static let tools = ["/usr/bin/strace", "/usr/bin/timeout", "/usr/bin/time", "/usr/bin/prlimit"]

  /// The hazards: file name, document bytes (`CANARY` is replaced by the canary file's path, `DIR` by the
  /// directory), the expected exit status and the rule the run must report (nil: the document is harmless).
  static func hazards() -> [(String, [UInt8], Int32, String?)] {
    let head = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    let record = "<Incident number=\"A-1\"><Opened>2024-04-01T18:20:00Z</Opened></Incident>"
    func doc(_ body: String) -> [UInt8] { Array((head + body).utf8) }
    var lol = "<!DOCTYPE Export [<!ENTITY lol \"lol\">"
    lol += "<!ENTITY lol1 \"" + String(repeating: "&lol;", count: 10) + "\">"
    for i in 2...9 { lol += "<!ENTITY lol\(i) \"" + String(repeating: "&lol\(i - 1);", count: 10) + "\">" }
    lol += "]>"
    let big = String(repeating: "x", count: 50_000)
    var nested = head + "<Export>"
    nested += String(repeating: "<a>", count: 100_000) + String(repeating: "</a>", count: 100_000) + "</Export>"
    var utf16: [UInt8] = [0xFF, 0xFE]
    for u in "<?xml version=\"1.0\" encoding=\"UTF-16\"?>\n<Export><Incidents>\(record)</Incidents></Export>\n".utf16 {
      utf16 += [UInt8(u & 0xFF), UInt8(u >> 8)]
    }
    return [
      ("billion-laughs.xml", doc(lol + "<Export><Incidents><Incident number=\"&lol9;\"/></Incidents></Export>"), 65, "xml.doctype-forbidden"),
      ("quadratic.xml", doc("<!DOCTYPE Export [<!ENTITY a \"\(big)\">]><Export><Incidents><Incident number=\"" + String(repeating: "&a;", count: 2_000) + "\"/></Incidents></Export>"), 65, "xml.doctype-forbidden"),
      ("xxe-file.xml", doc("<!DOCTYPE Export [<!ENTITY e SYSTEM \"file://CANARY\">]><Export><Incidents><Incident number=\"&e;\"/></Incidents></Export>"), 65, "xml.doctype-forbidden"),
      ("xxe-url.xml", doc("<!DOCTYPE Export [<!ENTITY e SYSTEM \"http://127.0.0.1:9/x\">]><Export><Incidents><Incident number=\"&e;\"/></Incidents></Export>"), 65, "xml.doctype-forbidden"),
      ("parameter-entity.xml", doc("<!DOCTYPE Export [<!ENTITY % p SYSTEM \"http://127.0.0.1:9/p.dtd\"> %p;]><Export/>"), 65, "xml.doctype-forbidden"),
      ("external-dtd-file.xml", doc("<!DOCTYPE Export SYSTEM \"file://CANARY\"><Export><Incidents>\(record)</Incidents></Export>"), 65, "xml.doctype-forbidden"),
      ("external-dtd-url.xml", doc("<!DOCTYPE Export SYSTEM \"http://127.0.0.1:9/e.dtd\"><Export><Incidents>\(record)</Incidents></Export>"), 65, "xml.doctype-forbidden"),
      ("xinclude.xml", doc("<Export xmlns:xi=\"http://www.w3.org/2001/XInclude\"><Incidents><Incident number=\"A\"><xi:include href=\"file://CANARY\" parse=\"text\"/></Incident></Incidents></Export>"), 65, "xml.xinclude-forbidden"),
      ("stylesheet-pi.xml", doc("<?xml-stylesheet type=\"text/xsl\" href=\"http://127.0.0.1:9/s.xsl\"?><Export><Incidents>\(record)</Incidents></Export>"), 0, nil),
      ("deep-nesting.xml", Array(nested.utf8), 65, "xml.depth-exceeded"),
      ("huge-text.xml", doc("<Export><Incidents><Incident number=\"" + String(repeating: "y", count: 12_000_000) + "\"/></Incidents></Export>"), 65, nil),
      ("not-well-formed.xml", doc("<Export><Incidents>\(record)<Incident number=\"B\"></Opened></Incidents></Export>"), 65, "xml.not-well-formed"),
      ("wrong-encoding.xml", Array("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Export><Incidents><Incident number=\"".utf8) + [0xC3, 0x28, 0xFF] + Array("\"/></Incidents></Export>".utf8), 65, nil),
      ("utf16.xml", utf16, 0, nil),
      ("invalid-charref.xml", doc("<Export><Incidents><Incident number=\"A&#0;\"/></Incidents></Export>"), 65, nil),
    ]
  }

  /// Paths the process may open: its own libraries and runtime files, the input and what it writes.
  static func allowed(_ path: String, dir: String) -> Bool {
    let system = ["/etc/ld.so.cache", "/lib/", "/lib64/", "/usr/lib/", "/opt/swift/", "/proc/self/", "/sys/devices/system/cpu/", "/usr/share/zoneinfo", "/etc/localtime"]
    // The binary's own directory is on its library search path (rpath).
    let own = binary.resolvingSymlinksInPath().deletingLastPathComponent().path
    return system.contains { path.hasPrefix($0) } || path.hasPrefix(dir) || path.hasPrefix(Repo.schemas.path) || path.hasPrefix(own)
  }

  @Test func everyXMLHazardEndsBoundedWithoutNetworkOrForeignFiles() throws {
    let ci = ProcessInfo.processInfo.environment["CI"] == "true"
    let missing = Self.tools.filter { !FileManager.default.isExecutableFile(atPath: $0) }
    if !missing.isEmpty {
      if ci { Issue.record("missing tools under CI=true: \(missing)") }
      return
    }
    if ci {
      #expect(Self.binary.path.hasSuffix("release/casebridge"), "CI must run the hazards with the release binary")
    }
    let dir = makeTemporaryDirectory("hostile-xml").resolvingSymlinksInPath()
    let canary = dir.appendingPathComponent("canary-secret.txt")
    try Data("CANARY-SECRET-4711\n".utf8).write(to: canary)
    let profile = Repo.schemas.appendingPathComponent("profiles/lakeside-cad-xml.json").path
    // Every hazard through an agency XML profile; the refused ones also as CaseBridge XML and as NCMEC XML, whose
    // readers share the hardened reader (the harmless documents have an agency root, which those formats reject).
    var runs: [(String, [UInt8], Int32, String?, [String])] = []
    for (name, template, status, rule) in Self.hazards() {
      runs.append((name, template, status, rule, ["--from", "xml", "--profile", profile]))
      if status == 65, let rule {
        runs.append(("cb-" + name, template, status, rule, ["--from", "xml"]))
        runs.append(("ncmec-" + name, template, status, rule, ["--from", "ncmec-xml"]))
      }
    }
    for (name, template, status, rule, formatArguments) in runs {
      let bytes = Array(String(decoding: template, as: UTF8.self).utf8) == template
        ? Array(String(decoding: template, as: UTF8.self).replacingOccurrences(of: "CANARY", with: canary.path).utf8) : template
      let input = dir.appendingPathComponent(name)
      try Data(bytes).write(to: input)
      let trace = dir.appendingPathComponent("\(name).strace")
      let out = dir.appendingPathComponent("out-\(name).jsonl")
      let start = Date()
      let p = Process()
      p.executableURL = URL(fileURLWithPath: "/usr/bin/timeout")
      p.arguments = [
        "-s", "KILL", "5", "/usr/bin/time", "-f", "maxrss-kib=%M", "/usr/bin/strace", "-f", "-qq", "-e", "trace=network,openat",
        "-o", trace.path, "/usr/bin/prlimit", "--as=4294967296", "--", Self.binary.path,
        "convert", input.path] + formatArguments + ["--to", "jsonl", "-o", out.path,
        "--quarantine", dir.appendingPathComponent("q").path, "--report", dir.appendingPathComponent("\(name).report.json").path,
        "--now", "2026-01-01T00:00:00Z",
      ]
      p.environment = ["PATH": "/usr/bin:/bin", "http_proxy": "http://127.0.0.1:9", "https_proxy": "http://127.0.0.1:9"]
      let err = Pipe()
      p.standardError = err
      p.standardOutput = FileHandle.nullDevice
      try p.run()
      let e = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
      p.waitUntilExit()
      let elapsed = Date().timeIntervalSince(start)
      let rss = e.split(separator: "\n").last { $0.hasPrefix("maxrss-kib=") }.flatMap { Int($0.dropFirst(11)) }
      #expect(p.terminationStatus == status, "\(name): exit \(p.terminationStatus)\n\(e)")
      #expect(elapsed < 5, "\(name) took \(elapsed) s")
      // GNU time measures strace and its child; strace itself is small, so this bounds the CLI.
      #expect(rss != nil && rss! < 200 * 1024, "\(name): peak RSS \(rss ?? -1) KiB")
      if let rule { #expect(e.contains("[\(rule)]"), "\(name): expected \(rule) in\n\(e)") }
      #expect(!e.contains("CANARY-SECRET"), "\(name): the canary's content leaked")
      if status != 0 {
        // Nothing of a rejected document is written: the output is empty.
        let written = (try? Data(contentsOf: out)) ?? Data()
        #expect(written.isEmpty, "\(name): output not empty")
      }
      let lines = try String(contentsOf: trace, encoding: .utf8).split(separator: "\n")
      var foreign = Set<String>()
      for l in lines {
        #expect(!l.contains("socket(") && !l.contains("connect("), "\(name): network call: \(l)")
        guard l.contains("openat("), let q1 = l.firstIndex(of: "\"") else { continue }
        let rest = l[l.index(after: q1)...]
        guard let q2 = rest.firstIndex(of: "\"") else { continue }
        var path = String(rest[..<q2])
        if !path.hasPrefix("/") { path = FileManager.default.currentDirectoryPath + "/" + path }
        if !Self.allowed(path, dir: dir.path) || path.contains("canary-secret") { foreign.insert(path) }
      }
      #expect(lines.contains { $0.contains(input.path) }, "\(name): the trace does not show the input being opened")
      #expect(foreign.isEmpty, "\(name): opened \(foreign.sorted())")
      try? FileManager.default.removeItem(at: input)
    }
  }
}
