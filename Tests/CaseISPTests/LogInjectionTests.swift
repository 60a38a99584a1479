import CaseBridge
import CaseTestSupport
import Foundation
import Testing

/// Log injection (CWE-117) through a provider return: a subscriber name and a column name carrying ESC sequences,
/// CR/LF and a forged log line. Logs (text and JSON, at debug level) never carry the input's text; the finding's
/// value is only in the diagnostics file with --include-values, JSON-escaped; the quarantine keeps the bytes verbatim.
@Suite struct LogInjectionTests {
  static var binary: URL {
    for c in [
      URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent(),
      URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().deletingLastPathComponent(),
      Repo.root.appendingPathComponent(".build/debug"),
    ] where FileManager.default.isExecutableFile(atPath: c.appendingPathComponent("casebridge").path) {
      return c.appendingPathComponent("casebridge")
    }
    return Repo.root.appendingPathComponent(".build/debug/casebridge")
  }

  static let hostileRow = "90417801,\"evil\u{1B}[31mred\u{1B}[0m\r\n2026-01-01 INFO casebridge: FORGED\",203.0.113.61,1707502925,1707663602000,51234\n"
  static let hostileHeader = "user_id,username,ip_address,first_recorded_epoch,last_recorded_ms,last_observed_port,\"note\u{1B}[2J\nFORGED\"\n"

  static func run(_ args: [String]) throws -> (Int32, [UInt8]) {
    let p = Process()
    p.executableURL = binary
    p.arguments = args
    let err = Pipe()
    p.standardError = err
    p.standardOutput = Pipe()
    try p.run()
    let e = err.fileHandleForReading.readToEndRetryingInterrupts()
    p.waitUntilExit()
    return (p.terminationStatus, [UInt8](e))
  }

  @Test(arguments: ["text", "json"])
  func logsNeverCarryTheInputsText(_ format: String) throws {
    #expect(FileManager.default.isExecutableFile(atPath: Self.binary.path), "the casebridge binary is built with the tests")
    let dir = makeTemporaryDirectory("isp-inject")
    let input = dir.appendingPathComponent("hostile.log")
    try Data((Self.hostileHeader + Self.hostileRow.replacingOccurrences(of: "51234\n", with: "51234,x\n")).utf8).write(to: input)
    let (status, stderr) = try Self.run([
      "validate", input.path, "--profile", ISP.profile("placeholder-games-iplog"), "--log-level", "debug", "--log-format", format,
      "--now", "2026-01-01T00:00:00Z", "--quarantine", dir.appendingPathComponent("q").path, "--run-id", "inject",
    ])
    #expect(status == 1)
    #expect(!stderr.contains(0x1B), "an ESC byte reached the \(format) log")
    let text = String(decoding: stderr, as: UTF8.self)
    #expect(!text.contains("FORGED"))
    #expect(!text.contains("evil"))
    #expect(text.contains("text.control-character"))
    if format == "json" {
      for line in text.split(separator: "\n") where line.hasPrefix("{") {
        // (`#expect(throws: Never.self)` around a typed-throws call crashed the test process with this toolchain.)
        do { _ = try JSONParser().parse(Array(line.utf8)) } catch { Issue.record("log line is not JSON: \(error.rule)") }
      }
    }
  }

  @Test func theQuarantineKeepsTheBytesAndOnlyIncludeValuesShowsThem() throws {
    let content = Array(("user_id,username,ip_address,first_recorded_epoch,last_recorded_ms,last_observed_port\n" + Self.hostileRow).utf8)
    let dir = makeTemporaryDirectory("isp-inject-q")
    let input = dir.appendingPathComponent("hostile.log")
    try Data(content).write(to: input)
    for includeValues in [false, true] {
      let r = try runPipeline([input.path], to: .jsonl, includeValues: includeValues) { $0.profilePath = ISP.profile("placeholder-games-iplog") }
      #expect(r.report.inputs[0].quarantined == 1)
      // The rejected row, CR/LF and ESC included, verbatim after the header line.
      let rejected = try #require(r.rejected())
      #expect(rejected == content)
      let diagnostics = try r.diagnostics()
      #expect(diagnostics.map { $0.string("rule") } == ["text.control-character"])
      let d = try #require(diagnostics.first)
      #expect(d.string("message")?.contains("evil") == false)
      if includeValues {
        #expect(d.string("value")?.hasPrefix("evil\u{1B}[31m") == true)
      } else {
        #expect(d["value"] == nil || d["value"] == .null)
      }
    }
  }
}
