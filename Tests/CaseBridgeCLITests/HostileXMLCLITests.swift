import CaseBridge
import CaseTestSupport
import Foundation
import Testing

/// Every XML hazard of RELIABILITY.md §9, run through the CLI as a child process with limits (`HostileRun`): each
/// ends with the expected outcome in under 5 s and 200 MB, creates no socket and opens no file outside the input,
/// its outputs and the process's own libraries. The other formats' hazards are in `HostileInputCLITests`.
@Suite(.serialized) struct HostileXMLCLITests {
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

  @Test func everyXMLHazardEndsBoundedWithoutNetworkOrForeignFiles() throws {
    guard HostileRun.ready() else { return }
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
      let out = dir.appendingPathComponent("out-\(name).jsonl")
      let r = try HostileRun.run(
        ["convert", input.path] + formatArguments + ["--to", "jsonl", "-o", out.path,
        "--quarantine", dir.appendingPathComponent("q").path, "--report", dir.appendingPathComponent("\(name).report.json").path,
        "--now", "2026-01-01T00:00:00Z"], in: dir, name: name)
      let e = r.stderr
      #expect(r.status == status, "\(name): exit \(r.status)\n\(e)")
      #expect(r.seconds < 5, "\(name) took \(r.seconds) s")
      // GNU time measures strace and its child; strace itself is small, so this bounds the CLI.
      #expect(r.peakKiB != nil && r.peakKiB! < 200 * 1024, "\(name): peak RSS \(r.peakKiB ?? -1) KiB")
      if let rule { #expect(e.contains("[\(rule)]"), "\(name): expected \(rule) in\n\(e)") }
      #expect(!e.contains("CANARY-SECRET"), "\(name): the canary's content leaked")
      if status != 0 {
        // Nothing of a rejected document is written: the output is empty.
        let written = (try? Data(contentsOf: out)) ?? Data()
        #expect(written.isEmpty, "\(name): output not empty")
      }
      #expect(r.networkCalls.isEmpty, "\(name): network calls: \(r.networkCalls)")
      #expect(r.opened(input.path), "\(name): the trace does not show the input being opened")
      let foreign = r.foreignFiles(dir: dir.path, forbidden: "canary-secret")
      #expect(foreign.isEmpty, "\(name): opened \(foreign.sorted())")
      try? FileManager.default.removeItem(at: input)
    }
  }
}
