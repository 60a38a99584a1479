import CaseBridge
import CaseTestSupport
import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// What reaches stderr: input-derived text escaped, and a crash that prints nothing of the input.
@Suite struct StderrPrivacyCLITests {
  static let failCases = Repo.root.appendingPathComponent("Tests/CaseBridgeCLITests/FailCases")

  /// Finding stderr-injection-header-name: a header cell with a newline, a forged compiler-style line and ESC
  /// sequences was echoed raw in the `profile.unmapped-column` line.
  @Test("finding stderr-injection-header-name: header text, paths and run ids reach stderr escaped")
  func headerCellsAndPathsAreEscapedOnStderr() throws {
    let input = Self.failCases.appendingPathComponent("stderr-injection-header-name/header-injection.csv").path
    let profile = Repo.schemas.appendingPathComponent("profiles/providers/sample-mobile-cgnat.json").path
    let r = try CLITests.run(["validate", input, "--profile", profile])
    #expect(r.status == 65, "\(r.stderr)")
    #expect(r.stderr.contains("[profile.unmapped-column]"))
    #expect(!r.stderr.contains("\u{1B}"), "an ESC byte reached stderr")
    let lines = r.stderr.split(separator: "\n", omittingEmptySubsequences: false)
    #expect(!lines.contains { $0.hasPrefix("in/x.csv") }, "a forged line reached stderr:\n\(r.stderr)")
    #expect(r.stderr.contains("Port\\u{A}in/x.csv:9:9: error: forged line [fake.rule]\\u{A}\\u{1B}[2J\\u{1B}[31mEnd"))
    // Every line of stderr is one of ours: the located error and the summary.
    #expect(lines.filter { !$0.isEmpty }.count == 2, "\(r.stderr)")

    // A path with a newline and ESC: the located line names it escaped.
    let dir = makeTemporaryDirectory("stderr-escape")
    let evil = dir.appendingPathComponent("evil\nfake.jsonl:1:1: error: injected [x]\n\u{1B}[31m.json")
    try Data("{\"casebridgeVersion\":\"1.0\",\"entities\":[".utf8).write(to: evil)
    let p = try CLITests.run(["validate", evil.path, "--log-level", "debug"])
    #expect(p.status == 65, "\(p.stderr)")
    #expect(!p.stderr.contains("\u{1B}"))
    #expect(!p.stderr.split(separator: "\n").contains { $0.hasPrefix("fake.jsonl") }, "\(p.stderr)")
    #expect(p.stderr.contains("evil\\u{A}fake.jsonl:1:1: error: injected [x]\\u{A}\\u{1B}[31m.json"))

    // A run id names a directory and is printed: control characters, slashes and a leading dot are usage errors.
    for bad in ["a\nb\u{1B}[31m", "../x", ".hidden", "", String(repeating: "r", count: 129)] {
      let u = try CLITests.run(["validate", sample("jsonl/valid/case-0001.jsonl"), "--run-id", bad])
      #expect(u.status == 64, "run id \(bad.debugDescription): exit \(u.status)")
      #expect(!u.stderr.contains("\u{1B}"))
    }
    #expect(try CLITests.run(["validate", sample("jsonl/valid/case-0001.jsonl"), "--run-id", "nightly_2026-12-07.1"]).status == 0)

    // Text logs escape their metadata too (the debug log names each finding's location).
    let logged = try CLITests.run([
      "validate", input, "--profile", profile, "--log-level", "debug", "--run-id", "r1",
    ])
    #expect(!logged.stderr.contains("\u{1B}"))
    #expect(!logged.stderr.split(separator: "\n").contains { $0.hasPrefix("in/x.csv") })
  }

  /// Issue 11 item 5: no crash dump ever prints input bytes. Swift's crash report dumps registers and memory; the
  /// CLI replaces it with one fixed line and exit 70. A fatal signal delivered while the process reads standard
  /// input stands in for a crash.
  @Test("no crash dump prints input bytes (the dump of limit-option-overflow): one fixed line, exit 70; crashes and interrupts leave no temporary file")
  func crashPrintsNoInputBytes() throws {
    for sig in [SIGSEGV, SIGILL, SIGABRT, SIGTERM, SIGINT] {
      let tmp = makeTemporaryDirectory("crash-tmp")
      let outDir = makeTemporaryDirectory("crash-out")
      let p = Process()
      p.executableURL = CLITests.binary
      p.arguments = ["convert", "-", "--from", "jsonl", "--to", "jsonl", "-o", outDir.appendingPathComponent("o.jsonl").path]
      var env = ProcessInfo.processInfo.environment
      env["TMPDIR"] = tmp.path
      env["CASEBRIDGE_BACKTRACE"] = nil
      p.environment = env
      let input = Pipe()
      let err = Pipe()
      p.standardInput = input
      p.standardError = err
      p.standardOutput = FileHandle.nullDevice
      try p.run()
      // The marker is in the process's memory (read from stdin) when the signal arrives.
      input.fileHandleForWriting.write(Data("{\"type\":\"person\",\"id\":\"CANARY-SECRET-4711\"".utf8))
      usleep(300_000)
      kill(p.processIdentifier, sig)
      let e = String(decoding: err.fileHandleForReading.readToEndRetryingInterrupts(), as: UTF8.self)
      p.waitUntilExit()
      try? input.fileHandleForWriting.close()
      if sig == SIGTERM || sig == SIGINT {
        // An interrupt ends the process as the signal would (after removing the temporary files below).
        #expect(p.terminationReason == .uncaughtSignal && p.terminationStatus == sig, "signal \(sig): \(p.terminationStatus)")
      } else {
        #expect(p.terminationStatus == 70, "signal \(sig): exit \(p.terminationStatus)\n\(e)")
        #expect(e.contains("casebridge: error: internal error: the process crashed; no input data is printed"), "\(e)")
      }
      #expect(!e.contains("CANARY"), "signal \(sig): the crash report printed input bytes")
      #expect(!e.contains("Registers") && !e.contains("rax"), "signal \(sig): a register dump reached stderr\n\(e)")
      // The spool of standard input (a copy of the evidence) is removed by the crash handler; nothing is written.
      #expect(try FileManager.default.contentsOfDirectory(atPath: tmp.path).isEmpty, "signal \(sig): temporary files left")
      #expect(try FileManager.default.contentsOfDirectory(atPath: outDir.path).isEmpty, "signal \(sig): output files left")
    }
  }
}
