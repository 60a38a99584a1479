import CaseBridge
import CaseTestSupport
import Foundation
import Testing

/// NCMEC's own schema and xmllint, the oracle for NCMEC XML in and out. The schema is NCMEC's document and is not in
/// the repository: it is found in `shared/external/ncmec/` beside the checkout or one of its parents. Tests that
/// need it are skipped when it or xmllint is missing, and fail instead when `CI=true`.
enum NCMECOracle {
  static let xsd: URL? = {
    var dir = Repo.root
    while dir.path != "/" {
      let candidate = dir.appendingPathComponent("shared/external/ncmec/cybertipline-report.xsd")
      if FileManager.default.fileExists(atPath: candidate.path) { return candidate }
      dir = dir.deletingLastPathComponent()
    }
    return nil
  }()

  static let xmllint: String? = {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
    return path.split(separator: ":").map { "\($0)/xmllint" }.first { FileManager.default.isExecutableFile(atPath: $0) }
  }()

  /// Whether the oracle can run; when CI=true the tests run anyway and fail on a missing tool.
  static var enabled: Bool { (xsd != nil && xmllint != nil) || Repo.isCI }

  /// `xmllint --noout --schema <NCMEC XSD> file`: nil when valid, else xmllint's messages.
  static func violations(_ file: URL) throws -> String? {
    guard let xsd, let xmllint else {
      Issue.record("CI=true but \(xsd == nil ? "NCMEC's XSD (shared/external/ncmec/cybertipline-report.xsd)" : "xmllint") was not found")
      return "oracle missing"
    }
    let p = Process()
    p.executableURL = URL(fileURLWithPath: xmllint)
    p.arguments = ["--noout", "--schema", xsd.path, file.path]
    let pipe = Pipe()
    p.standardError = pipe
    p.standardOutput = pipe
    try p.run()
    let out = pipe.fileHandleForReading.readToEndRetryingInterrupts()
    p.waitUntilExit()
    return p.terminationStatus == 0 ? nil : String(decoding: out, as: UTF8.self)
  }
}

/// NCMEC CyberTipline XML through the pipeline: imports to golden JSON Lines, located diagnostics of invalid
/// documents, exports to golden directories, and NCMEC's XSD as the oracle for samples and exports.
/// `RECORD_GOLDENS=1` re-records.
@Suite struct NCMECGoldenTests {
  /// Each valid import: its golden's name and the documents read together (a report and its fileDetails).
  static let imports: [(String, [String])] = [
    ("full-report", ["full-report.xml", "full-report-file-1.xml", "full-report-file-2.xml"]),
    ("minimal-report", ["minimal-report.xml"]),
    ("batched-meme-report", ["batched-meme-report.xml", "batched-meme-file.xml"]),
  ]
  static let invalid = ["zoneless-incident.xml", "bad-ip.xml", "unknown-root.xml", "bad-fields.xml", "file-without-report.xml"]
  /// Each export: its golden directory under Samples/ncmec/export/ and the inputs converted.
  static let exports: [(String, [String])] = [
    ("case-0001", ["jsonl/valid/case-0001.jsonl"]),
    ("full-report", ["ncmec/valid/full-report.xml", "ncmec/valid/full-report-file-1.xml", "ncmec/valid/full-report-file-2.xml"]),
    ("batched-meme-report", ["ncmec/valid/batched-meme-report.xml", "ncmec/valid/batched-meme-file.xml"]),
  ]

  static func check(_ actual: [UInt8], golden: URL) throws {
    if Repo.isRecording {
      try FileManager.default.createDirectory(at: golden.deletingLastPathComponent(), withIntermediateDirectories: true)
      try Data(actual).write(to: golden)
      Issue.record("recorded \(golden.lastPathComponent)")
      return
    }
    let expected = try readBytes(golden)
    // Compared as text so a failure shows a readable difference.
    #expect(String(decoding: actual, as: UTF8.self) == String(decoding: expected, as: UTF8.self), "\(golden.path) differs")
    #expect(actual == expected)
  }

  @Test(arguments: 0..<imports.count)
  func validDocumentsImportToGoldenJSONLines(_ i: Int) throws {
    let (name, inputs) = Self.imports[i]
    let result = try runPipeline(inputs.map { sample("ncmec/valid/" + $0) }, to: .jsonl)
    #expect(result.report.exitCode == 0, "\(result.report.inputs.map { $0.error?.rendered ?? "" })")
    #expect(result.report.inputs.allSatisfy { $0.format == .ncmecXML && $0.formatInferred && $0.read == 1 && $0.accepted == 1 })
    #expect(!result.output.isEmpty)
    try Self.check(result.output, golden: Repo.samples.appendingPathComponent("ncmec/valid/\(name).expected.jsonl"))
  }

  @Test(arguments: invalid)
  func invalidDocumentsGiveLocatedDiagnostics(_ file: String) throws {
    let relative = "ncmec/invalid/" + file
    // --from ncmec-xml: a document whose root is not NCMEC's is inferred as plain XML otherwise.
    let result = try runPipeline([sample(relative)], from: .ncmecXML)
    let input = result.report.inputs[0]
    #expect(input.read == input.accepted + input.quarantined)
    #expect(input.accepted == 0)
    var w = JSONWriter()
    for var d in try result.diagnostics() {
      if let k = d.members.firstIndex(where: { $0.key == "input" }) { d.members[k].value = .string("Samples/" + relative) }
      w.write(.object(d))
      w.bytes.append(0x0A)
    }
    #expect(!w.bytes.isEmpty)
    try Self.check(w.bytes, golden: Repo.samples.appendingPathComponent(relative).deletingPathExtension().appendingPathExtension("diagnostics.jsonl"))
  }

  @Test func unknownRootRejectsTheInputWhole() throws {
    let result = try runPipeline([sample("ncmec/invalid/unknown-root.xml")], from: .ncmecXML)
    #expect(result.report.exitCode == 65)
    #expect(result.report.inputs[0].error?.rule == "ncmec.unknown-root")
  }

  @Test func aQuarantinedReportKeepsItsPrologAndBytes() throws {
    let path = sample("ncmec/invalid/bad-ip.xml")
    let result = try runPipeline([path])
    #expect(result.report.exitCode == 1)
    let original = try readBytes(URL(fileURLWithPath: path))
    let rejected = try #require(result.rejected())
    // The prolog (declaration, comment), the root element and what follows it: the document as given (the
    // pipeline's XML framing puts a line break between the record and its trailing bytes).
    let text = String(decoding: rejected, as: UTF8.self)
    #expect(text.trimmingCharacters(in: .whitespacesAndNewlines) == String(decoding: original, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
    #expect(text.hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!--"))
  }

  @Test(arguments: 0..<exports.count)
  func exportsToGoldenDirectories(_ i: Int) throws {
    let (name, inputs) = Self.exports[i]
    let result = try runPipeline(inputs.map(sample), to: .ncmecXML)
    #expect(result.report.exitCode == 0)
    let out = result.directory.appendingPathComponent("out")
    let files = try FileManager.default.contentsOfDirectory(atPath: out.path).sorted()
    #expect(files.contains("report.xml") && files.contains("manifest.json"))
    #expect(result.report.outputs.map { URL(fileURLWithPath: $0.path).lastPathComponent }.sorted() == files)
    let golden = Repo.samples.appendingPathComponent("ncmec/export/\(name)")
    if !Repo.isRecording {
      let expected = try FileManager.default.contentsOfDirectory(atPath: golden.path).filter { $0 != "warnings.txt" }.sorted()
      #expect(files == expected)
    }
    for f in files { try Self.check(try readBytes(out.appendingPathComponent(f)), golden: golden.appendingPathComponent(f)) }
    let warnings = result.report.outputs.first?.warnings ?? []
    try Self.check(Array(warnings.map { $0 + "\n" }.joined().utf8), golden: golden.appendingPathComponent("warnings.txt"))
  }

  @Test(.enabled(if: NCMECOracle.enabled, "xmllint or NCMEC's XSD not found (CI=true makes this a failure)"))
  func validSamplesValidateAgainstNCMECsSchema() throws {
    let dir = Repo.samples.appendingPathComponent("ncmec/valid")
    let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".xml") }
    #expect(files.count >= 6)
    for f in files {
      let v = try NCMECOracle.violations(dir.appendingPathComponent(f))
      #expect(v == nil, "\(f): \(v ?? "")")
    }
  }

  @Test(.enabled(if: NCMECOracle.enabled, "xmllint or NCMEC's XSD not found (CI=true makes this a failure)"), arguments: 0..<exports.count)
  func exportsValidateAgainstNCMECsSchema(_ i: Int) throws {
    let (_, inputs) = Self.exports[i]
    let result = try runPipeline(inputs.map(sample), to: .ncmecXML)
    let out = result.directory.appendingPathComponent("out")
    let files = try FileManager.default.contentsOfDirectory(atPath: out.path).filter { $0.hasSuffix(".xml") }
    #expect(files.contains("report.xml"))
    for f in files {
      let v = try NCMECOracle.violations(out.appendingPathComponent(f))
      #expect(v == nil, "\(f): \(v ?? "")")
    }
  }

  @Test func exportIsAFixedPoint() throws {
    // NCMEC → NCMEC gives documents that convert to themselves again, byte for byte.
    let inputs = Self.imports[0].1.map { sample("ncmec/valid/" + $0) }
    let once = try runPipeline(inputs, to: .ncmecXML)
    let names = ["report.xml", "fileDetails-1.xml", "fileDetails-2.xml"]
    let first = once.directory.appendingPathComponent("out")
    let twice = try runPipeline(names.map { first.appendingPathComponent($0).path }, to: .ncmecXML)
    #expect(twice.report.exitCode == 0)
    let second = twice.directory.appendingPathComponent("out")
    for n in names {  // the manifest names entity ids, which derive from the bytes read
      #expect(try readBytes(second.appendingPathComponent(n)) == readBytes(first.appendingPathComponent(n)), "\(n)")
    }
  }
}
