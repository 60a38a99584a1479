import CaseBridge
import CaseTestSupport
import Foundation
import Testing

/// The lease-matching scenario end to end, with provider returns as they arrive: the CyberTip's captures
/// (198.51.100.23:51234, 100.64.12.34:40001, 2001:db8::1) against the Example Cable letter and the Sample Mobile
/// CGNAT log, each read through its provider profile by `casebridge match`.
@Suite struct LeaseScenarioTests {
  @Test func theCyberTipCapturesMatchTheProviderReturnsExactly() throws {
    let binary = LogInjectionTests.binary
    #expect(FileManager.default.isExecutableFile(atPath: binary.path), "the casebridge binary is built with the tests")
    let dir = makeTemporaryDirectory("isp-scenario")
    let letter = sample("isp/valid/example-cable-2024.txt")
    let mobile = sample("isp/valid/sample-mobile-2024.csv")
    let p = Process()
    p.executableURL = binary
    p.arguments = [
      "match", sample("cybertip/valid/tip-full.json"), letter, mobile,
      "--profile-for", "\(letter)=\(ISP.profile("example-cable-letter"))",
      "--profile-for", "\(mobile)=\(ISP.profile("sample-mobile-cgnat"))",
      "--now", "2026-01-01T00:00:00Z", "-o", dir.appendingPathComponent("m").path,
    ]
    p.standardOutput = Pipe()
    p.standardError = Pipe()
    try p.run()
    p.waitUntilExit()
    #expect(p.terminationStatus == 0)
    let json = try JSONParser().parse(readBytes(dir.appendingPathComponent("m/match.json")))
    guard case .object(let root) = json, case .array(let results)? = root["results"] else {
      Issue.record("match.json has no results")
      return
    }
    var bySubscriber: [String: [String]] = [:]
    for case .object(let r) in results {
      #expect(r.string("status") == "exact", "\(r.string("ip") ?? "?")")
      guard case .array(let a)? = r["assignments"], case .object(let first)? = a.first,
        case .array(let names)? = first["subscriberNames"], case .string(let name)? = names.first
      else { continue }
      bySubscriber[name, default: []].append(r.string("ip") ?? "")
    }
    #expect(bySubscriber["JANE EXAMPLE"] == ["198.51.100.23", "198.51.100.23"])
    #expect(Set(bySubscriber["Alex Testperson"] ?? []) == ["100.64.12.34", "2001:db8::1"])
  }
}
