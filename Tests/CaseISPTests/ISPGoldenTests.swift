import CaseBridge
import CaseTestSupport
import Foundation
import Testing

/// Every shipped provider profile reads its valid sample into its golden (entities, then the findings), and every
/// invalid sample yields exactly its golden findings. `RECORD_GOLDENS=1 swift test --filter ISPGoldenTests`
/// re-records them and fails, so each change shows in review.
@Suite struct ISPGoldenTests {
  static let valid: [(sample: String, profile: String)] = [
    ("isp/valid/example-cable-2024.txt", "example-cable-letter"),
    ("isp/valid/sample-mobile-2024.csv", "sample-mobile-cgnat"),
    ("isp/valid/placeholder-games-2024.log", "placeholder-games-iplog"),
    ("isp/valid/test-social-2024.csv", "test-social-sectioned"),
    ("isp/valid/demo-chat-records.html", "demo-chat-records"),
  ]

  static let invalid: [(sample: String, profile: String)] = [
    ("isp/invalid/example-cable-pitfalls.txt", "example-cable-letter"),
    ("isp/invalid/sample-mobile-pitfalls.csv", "sample-mobile-cgnat"),
    ("isp/invalid/placeholder-games-pitfalls.log", "placeholder-games-iplog"),
    ("isp/invalid/test-social-pitfalls.csv", "test-social-sectioned"),
    ("isp/invalid/demo-chat-pitfalls.html", "demo-chat-records"),
  ]

  static func golden(_ relative: String, _ suffix: String) -> URL {
    Repo.samples.appendingPathComponent(relative).deletingPathExtension().appendingPathExtension(suffix)
  }

  static func check(_ bytes: [UInt8], against golden: URL) throws {
    if Repo.isRecording {
      try Data(bytes).write(to: golden)
      Issue.record("recorded \(golden.lastPathComponent)")
      return
    }
    let expected = try readBytes(golden)
    #expect(bytes == expected, "\(golden.lastPathComponent) differs")
  }

  @Test(arguments: 0..<valid.count)
  func validSampleConvertsToGolden(_ i: Int) throws {
    let (relative, profile) = Self.valid[i]
    let r = try ISP.runSample(relative, profile: profile)
    let input = r.report.inputs[0]
    #expect(r.report.error == nil)
    #expect(input.disposition == .processed)
    #expect(input.profileID == profile)
    #expect(input.read == input.accepted + input.quarantined)
    #expect(input.quarantined == 0, "\(input.rules)")
    #expect(r.report.exitCode == 0)
    let bytes = r.output + Array("--- diagnostics\n".utf8) + (try ISP.diagnostics(r, as: "Samples/" + relative))
    try Self.check(bytes, against: Self.golden(relative, "expected.jsonl"))
  }

  @Test(arguments: 0..<invalid.count)
  func invalidSampleFindingsMatchGolden(_ i: Int) throws {
    let (relative, profile) = Self.invalid[i]
    let r = try ISP.runSample(relative, profile: profile)
    let input = r.report.inputs[0]
    #expect(input.disposition == .processed)
    #expect(input.read == input.accepted + input.quarantined)
    #expect(input.quarantined > 0)
    #expect(r.report.exitCode == 1)
    try Self.check(try ISP.diagnostics(r, as: "Samples/" + relative), against: Self.golden(relative, "diagnostics.jsonl"))
  }

  @Test func convertingTwiceIsByteIdentical() throws {
    for (relative, profile) in Self.valid + Self.invalid {
      let a = try ISP.runSample(relative, profile: profile)
      let b = try ISP.runSample(relative, profile: profile)
      #expect(!a.output.isEmpty, "\(relative)")
      #expect(a.output == b.output, "\(relative)")
      #expect(a.rejected() == b.rejected(), "\(relative)")
    }
  }

  /// The quarantine holds each rejected record's original bytes, exactly as they are in the input, after the
  /// input's own header context.
  @Test(arguments: 0..<invalid.count)
  func quarantineKeepsOriginalBytes(_ i: Int) throws {
    let (relative, profile) = Self.invalid[i]
    let r = try ISP.runSample(relative, profile: profile)
    let input = try readBytes(Repo.samples.appendingPathComponent(relative))
    let rejected = try #require(r.rejected())
    var expectedRecords: [UInt8] = []
    var seen = Set<Int>()
    for d in try r.diagnostics() where d.string("severity") == "error" {
      guard let record = d.int("record"), let offset = d.int("byteOffset"), let length = d.int("byteLength"),
        seen.insert(record).inserted
      else { continue }
      expectedRecords += input[offset..<(offset + length)]
    }
    #expect(!expectedRecords.isEmpty)
    #expect(rejected.count >= expectedRecords.count)
    #expect(Array(rejected.suffix(expectedRecords.count)) == expectedRecords, "\(relative)")
  }
}
