import CaseBridge
import CaseTestSupport
import Foundation
import Testing

/// Every invalid sample yields exactly its expected located diagnostics; every valid sample converts to its
/// golden output byte for byte. `RECORD_GOLDENS=1 swift test` rewrites the goldens and fails, so each change is
/// reviewed in the diff.
@Suite struct GoldenTests {
  static let invalidSamples = [
    "jsonl/invalid/mixed.jsonl", "json/invalid/bad-entities.json", "json/invalid/truncated.json",
    "json/invalid/unsupported-version.json",
  ]

  /// The golden's path beside a sample: `name.diagnostics.jsonl`.
  static func goldenPath(_ sampleRelative: String, suffix: String) -> URL {
    let u = Repo.samples.appendingPathComponent(sampleRelative)
    return u.deletingPathExtension().appendingPathExtension(suffix)
  }

  @Test(arguments: invalidSamples)
  func invalidSampleDiagnostics(_ relative: String) throws {
    let result = try runPipeline([sample(relative)])
    let actual = try result.diagnostics()
    #expect(!actual.isEmpty)
    // Normalise the input path to its repository-relative form, as the README's commands print it.
    var w = JSONWriter()
    for var d in actual {
      if let i = d.members.firstIndex(where: { $0.key == "input" }) {
        d.members[i].value = .string("Samples/" + relative)
      }
      w.write(.object(d))
      w.bytes.append(0x0A)
    }
    let golden = Self.goldenPath(relative, suffix: "diagnostics.jsonl")
    if Repo.isRecording {
      try Data(w.bytes).write(to: golden)
      Issue.record("recorded \(golden.lastPathComponent)")
      return
    }
    let expected = try parseJSONLines(readBytes(golden))
    let got = try parseJSONLines(w.bytes)
    #expect(got.count == expected.count, "number of findings")
    for (g, e) in zip(got, expected) {
      guard case .object(let go) = g, case .object(let eo) = e else { continue }
      for key in eo.keys {
        #expect(go[key] == eo[key], "\(relative): field \(key) of finding \(eo.string("rule") ?? "?") at line \(eo.int("line") ?? 0)")
      }
      #expect(go.keys == eo.keys)
    }
  }

  static let conversions: [(String, FormatID, String)] = [
    ("jsonl/valid/case-0001.jsonl", .jsonl, "expected.jsonl"),
    ("jsonl/valid/case-0001.jsonl", .json, "expected.json"),
    ("json/valid/case-0001.json", .jsonl, "expected.jsonl"),
    ("json/valid/case-0001.json", .json, "expected.json"),
  ]

  @Test(arguments: 0..<conversions.count)
  func validSampleConvertsToGolden(_ i: Int) throws {
    let (relative, to, suffix) = Self.conversions[i]
    let result = try runPipeline([sample(relative)], to: to)
    #expect(result.report.exitCode == 0)
    #expect(result.report.inputs[0].quarantined == 0)
    let golden = Self.goldenPath(relative, suffix: suffix)
    if Repo.isRecording {
      try Data(result.output).write(to: golden)
      Issue.record("recorded \(golden.lastPathComponent)")
      return
    }
    let expected = try readBytes(golden)
    #expect(result.output == expected, "\(relative) → \(to.rawValue) differs from \(golden.lastPathComponent)")
  }

  @Test func convertingTwiceIsByteIdentical() throws {
    for (relative, to, _) in Self.conversions {
      let a = try runPipeline([sample(relative)], to: to)
      let b = try runPipeline([sample(relative)], to: to)
      #expect(!a.output.isEmpty)
      #expect(a.output == b.output)
    }
    let a = try runPipeline([sample("jsonl/invalid/mixed.jsonl")], to: .jsonl)
    let b = try runPipeline([sample("jsonl/invalid/mixed.jsonl")], to: .jsonl)
    #expect(a.output == b.output)
    #expect(a.rejected() == b.rejected())
  }

  @Test func roundTripJSONLThroughBundleIsLossless() throws {
    let direct = try runPipeline([sample("jsonl/valid/case-0001.jsonl")], to: .jsonl)
    let toBundle = try runPipeline([sample("jsonl/valid/case-0001.jsonl")], to: .json)
    let bundlePath = toBundle.directory.appendingPathComponent("out").path
    let back = try runPipeline([bundlePath], to: .jsonl, from: .json)
    #expect(back.report.exitCode == 0)
    #expect(back.output == direct.output)
    // And the bundle written from that JSON Lines output is the same bundle.
    let linesPath = back.directory.appendingPathComponent("out").path
    let again = try runPipeline([linesPath], to: .json, from: .jsonl)
    #expect(again.output == toBundle.output)
  }
}
