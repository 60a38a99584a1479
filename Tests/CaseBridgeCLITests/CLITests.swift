import CaseBridge
import CaseTestSupport
import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// The `casebridge` executable as a user runs it: exit codes, stdout/stderr, limits on hostile input.
@Suite struct CLITests {
  /// The debug binary built beside the tests (one lookup, in CaseTestSupport).
  static var binary: URL { CaseBridgeBinary.debug }

  struct Outcome {
    var status: Int32
    var stdout: String
    var stderr: String
  }

  static func run(_ args: [String], stdin: Data? = nil, via wrapper: [String] = []) throws -> Outcome {
    let p = Process()
    if wrapper.isEmpty {
      p.executableURL = binary
      p.arguments = args
    } else {
      p.executableURL = URL(fileURLWithPath: wrapper[0])
      p.arguments = Array(wrapper.dropFirst()) + [binary.path] + args
    }
    let out = Pipe()
    let err = Pipe()
    p.standardOutput = out
    p.standardError = err
    let input = Pipe()
    p.standardInput = input
    try p.run()
    if let stdin { input.fileHandleForWriting.write(stdin) }
    try input.fileHandleForWriting.close()
    let o = out.fileHandleForReading.readToEndRetryingInterrupts()
    let e = err.fileHandleForReading.readToEndRetryingInterrupts()
    p.waitUntilExit()
    return Outcome(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
  }

  @Test func exitCodesFollowTheTable() throws {
    let dir = makeTemporaryDirectory("cli")
    let out = dir.appendingPathComponent("o.jsonl").path
    #expect(try Self.run(["convert", sample("jsonl/valid/case-0001.jsonl"), "--to", "jsonl", "-o", out]).status == 0)
    let mixed = try Self.run(["convert", sample("jsonl/invalid/mixed.jsonl"), "--to", "jsonl", "-o", out, "--now", "2026-01-01T00:00:00Z"])
    #expect(mixed.status == 1)
    #expect(mixed.stderr.contains("20 read, 3 accepted, 17 quarantined"))
    #expect(try Self.run(["convert", sample("jsonl/valid/case-0001.jsonl"), "--to", "bogus"]).status == 64)
    #expect(try Self.run(["convert", sample("jsonl/valid/case-0001.jsonl"), "--to", "vics-json", "-o", out]).status == 64)  // no writer in this build
    #expect(try Self.run(["convert", sample("jsonl/valid/case-0001.jsonl"), "--to", "csv"]).status == 64)  // needs -o DIR
    #expect(try Self.run(["convert", sample("jsonl/valid/case-0001.jsonl")]).status == 64)
    #expect(try Self.run(["validate", "--no-such-flag", "x"]).status == 64)
    #expect(try Self.run(["validate", sample("json/invalid/truncated.json")]).status == 65)
    #expect(try Self.run(["validate", dir.appendingPathComponent("missing.jsonl").path]).status == 66)
    #expect(try Self.run(["convert", sample("jsonl/valid/case-0001.jsonl"), "--to", "jsonl", "-o", "/proc/casebridge/nope.jsonl"]).status == 73)
    #expect(try Self.run(["validate", sample("jsonl/valid/case-0001.jsonl"), "--log-format", "xml"]).status == 64)
    let version = try Self.run(["--version"])
    #expect(version.status == 0)
    #expect(version.stdout.contains(CaseBridgeVersion.version))
  }

  @Test func errorsAreLocatedCompilerStyleLines() throws {
    let r = try Self.run(["validate", sample("json/invalid/truncated.json")])
    let line = r.stderr.split(separator: "\n").first { $0.contains("error:") }.map(String.init) ?? ""
    // path:line:column: error: message [rule]
    #expect(line.range(of: #"truncated\.json:\d+:\d+: error: .+ \[json\.[a-z-]+\]"#, options: .regularExpression) != nil, "\(r.stderr)")
    #expect(!r.stderr.contains("Fatal error"))
    #expect(!r.stderr.contains("Stack"))
  }

  @Test func stdinAndStdoutWork() throws {
    let input = try Data(contentsOf: URL(fileURLWithPath: sample("jsonl/valid/case-0001.jsonl")))
    let r = try Self.run(["convert", "-", "--from", "jsonl", "--to", "jsonl"], stdin: input)
    #expect(r.status == 0)
    #expect(r.stdout.split(separator: "\n").count == 15)
    #expect(r.stdout.contains("\"sourceName\":\"-\""))
    #expect(r.stderr.contains("15 accepted"))
  }

  @Test func formatsAndRulesListings() throws {
    let f = try Self.run(["formats", "--json"])
    #expect(f.status == 0)
    guard case .array(let formats) = try JSONParser().parse(Array(f.stdout.utf8.dropLast())) else {
      Issue.record("formats --json is not an array")
      return
    }
    #expect(formats.count == FormatID.allCases.count)
    let r = try Self.run(["rules", "--json"])
    #expect(r.status == 0)
    for id in ["json.duplicate-key", "jsonl.blank-line", "ip.invalid", "timestamp.missing-zone", "hash.length", "email.invalid", "ref.dangling", "record.duplicate-id", "lease.end-before-start", "data.looks-like-fixture"] {
      #expect(r.stdout.contains("\"\(id)\""), "\(id)")
    }
    let help = try Self.run(["convert", "--help"])
    #expect(help.stdout.contains("EXIT CODES"))
  }

  @Test func jsonLogsAreOneObjectPerLine() throws {
    let r = try Self.run(["validate", sample("jsonl/valid/case-0001.jsonl"), "--log-level", "info", "--log-format", "json"])
    #expect(r.status == 0)
    let logLines = r.stderr.split(separator: "\n").filter { $0.hasPrefix("{") }
    #expect(!logLines.isEmpty)
    for l in logLines { #expect((try? JSONParser().parse(Array(l.utf8))) != nil) }
  }

  /// Hostile JSON ends in a located error or quarantine, never exit 0, within 5 s and 200 MB (run as a child
  /// process under `timeout` and an address-space limit; peak RSS read from the kernel's rusage).
  @Test func hostileJSONIsBoundedInTimeAndMemory() throws {
    let dir = makeTemporaryDirectory("hostile")
    var pending: [(String, [UInt8])] = [
      ("nested.jsonl", Array(repeating: UInt8(ascii: "["), count: 100_000) + Array(repeating: UInt8(ascii: "]"), count: 100_000) + [0x0A]),
      ("nested.json", Array("{\"casebridgeVersion\":\"1.0\",\"entities\":".utf8) + Array(repeating: UInt8(ascii: "["), count: 100_000)),
      ("brackets.jsonl", Array(repeating: UInt8(ascii: "["), count: 50_000_000)),
      ("brackets.json", Array(repeating: UInt8(ascii: "["), count: 50_000_000)),
      ("dupkeys.jsonl", Array("{\"type\":\"person\",\"id\":\"a\",\"id\":\"b\"}\n".utf8)),
      ("surrogate.jsonl", Array("{\"type\":\"person\",\"id\":\"a0000000-0000-4000-8000-000000000001\",\"notes\":\"\\udc00\"}\n".utf8)),
      ("trailingcomma.json", Array("{\"casebridgeVersion\":\"1.0\",\"entities\":[{\"type\":\"person\",\"id\":\"a\"},]}".utf8)),
      ("trailingdata.json", Array("{\"casebridgeVersion\":\"1.0\",\"entities\":[]} {}".utf8)),
      ("trailingdata.jsonl", Array("{\"type\":\"person\",\"id\":\"a0000000-0000-4000-8000-000000000001\"} x\n".utf8)),
    ]
    // One huge line without a newline: a record over the limit is quarantined without being held in memory.
    pending.append(("hugeline.jsonl", Array("{\"type\":\"person\",\"notes\":\"".utf8) + Array(repeating: UInt8(ascii: "a"), count: 60_000_000) + Array("\"}".utf8)))
    while let (name, bytes) = pending.first {
      pending.removeFirst()
      let path = dir.appendingPathComponent(name)
      try Data(bytes).write(to: path)
      let start = Date()
      let r = try Self.run(
        ["convert", path.path, "--to", "jsonl", "-o", dir.appendingPathComponent("out-\(name)").path, "--quarantine", dir.appendingPathComponent("q").path],
        via: ["/usr/bin/timeout", "-s", "KILL", "5", "/usr/bin/time", "-f", "maxrss-kib=%M", "/usr/bin/prlimit", "--as=4294967296", "--"])
      let elapsed = Date().timeIntervalSince(start)
      try? FileManager.default.removeItem(at: path)
      // GNU time prints the peak RSS of the CLI process itself (prlimit execs it in place).
      let rss = r.stderr.split(separator: "\n").last { $0.hasPrefix("maxrss-kib=") }.flatMap { Int($0.dropFirst(11)) }
      #expect(r.status == 1 || r.status == 65, "\(name): exit \(r.status) \(r.stderr)")
      #expect(elapsed < 5, "\(name) took \(elapsed) s")
      #expect(r.stderr.contains("error") || r.stderr.contains("quarantined"), "\(name)")
      #expect(rss != nil && rss! < 200 * 1024, "\(name): peak RSS \(rss ?? -1) KiB")
    }
  }
}
