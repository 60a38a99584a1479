import CaseBridge
import CaseTestSupport
import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// `casebridge import` as a user runs it: summary counts, reports, exit codes, store path safety.
@Suite struct ImportCLITests {
  func reportJSON(_ path: String) throws -> [String: Any] {
    try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any] ?? [:]
  }

  @Test("import of a folder twice: the second run is all duplicate, adds nothing, exits 0")
  func importTwice() throws {
    let dir = makeTemporaryDirectory("import-twice")
    let store = dir.appendingPathComponent("db/cases.sqlite").path
    let inbox = dir.appendingPathComponent("inbox")
    try FileManager.default.createDirectory(at: inbox, withIntermediateDirectories: true)
    for s in ["jsonl/valid/case-0001.jsonl", "csv/valid/isp-subscribers-2024.csv", "jsonl/invalid/mixed.jsonl"] {
      try FileManager.default.copyItem(atPath: sample(s), toPath: inbox.appendingPathComponent(URL(fileURLWithPath: s).lastPathComponent).path)
    }
    try Data("hidden".utf8).write(to: inbox.appendingPathComponent(".hidden.jsonl"))
    let r1 = dir.appendingPathComponent("r1.json").path
    let first = try CLITests.run(["import", inbox.path, "--store", store, "--report", r1, "--now", "2026-01-01T00:00:00Z"])
    #expect(first.status == 1, "\(first.stderr)")  // mixed.jsonl quarantines records
    #expect(first.stderr.contains("casebridge import: 3 inputs"), "\(first.stderr)")
    let report = try reportJSON(r1)
    let inputs = report["inputs"] as? [[String: Any]] ?? []
    #expect(inputs.count == 3)
    // Name order: case-0001.jsonl, isp-subscribers-2024.csv, mixed.jsonl.
    #expect(inputs.map { URL(fileURLWithPath: $0["path"] as? String ?? "").lastPathComponent } == ["case-0001.jsonl", "isp-subscribers-2024.csv", "mixed.jsonl"])
    #expect(inputs.allSatisfy { $0["inserted"] is Int && $0["updated"] is Int && $0["unchanged"] is Int })
    let inserted = inputs.compactMap { $0["inserted"] as? Int }.reduce(0, +)
    #expect(inserted > 0)
    #expect(first.stderr.contains("store: \(inserted) inserted, 0 updated, 0 unchanged, 0 duplicate"), "\(first.stderr)")
    #expect(report["command"] as? String == "import")
    if let (status, output) = try MatchCLITests.validate(["report", r1]) { #expect(status == 0, "\(output)") }

    let r2 = dir.appendingPathComponent("r2.json").path
    let second = try CLITests.run(["import", inbox.path, "--store", store, "--report", r2, "--now", "2026-01-01T00:00:00Z"])
    #expect(second.status == 0, "\(second.stderr)")
    #expect(second.stderr.contains("store: 0 inserted, 0 updated, 0 unchanged, 3 duplicate"), "\(second.stderr)")
    let again = (try reportJSON(r2)["inputs"] as? [[String: Any]]) ?? []
    #expect(again.allSatisfy { $0["disposition"] as? String == "duplicate" && $0["inserted"] == nil })
    var st = stat()
    #expect(stat(store, &st) == 0 && st.st_mode & 0o777 == 0o600)
    #expect(stat(dir.appendingPathComponent("db").path, &st) == 0 && st.st_mode & 0o777 == 0o700)
  }

  @Test("convert and validate reports carry no store counts")
  func otherCommandsUnchanged() throws {
    let dir = makeTemporaryDirectory("import-nocounts")
    let r = dir.appendingPathComponent("r.json").path
    #expect(try CLITests.run(["validate", sample("jsonl/valid/case-0001.jsonl"), "--report", r]).status == 0)
    let text = String(decoding: try Data(contentsOf: URL(fileURLWithPath: r)), as: UTF8.self)
    #expect(!text.contains("\"inserted\"") && !text.contains("\"unchanged\""))
  }

  @Test("--store that is an input is refused (64), one that is not SQLite is 78 located, a directory is refused")
  func storePathSafety() throws {
    let dir = makeTemporaryDirectory("import-paths")
    let input = dir.appendingPathComponent("in.jsonl").path
    try FileManager.default.copyItem(atPath: sample("jsonl/valid/case-0001.jsonl"), toPath: input)
    let same = try CLITests.run(["import", input, "--store", input])
    #expect(same.status == 64, "\(same.stderr)")
    #expect(same.stderr.contains("output.same-file"))
    #expect(try Data(contentsOf: URL(fileURLWithPath: input)) == Data(contentsOf: URL(fileURLWithPath: sample("jsonl/valid/case-0001.jsonl"))))
    let report = dir.appendingPathComponent("r.json").path
    let asReport = try CLITests.run(["import", input, "--store", report, "--report", report])
    #expect(asReport.status == 64)

    let text = dir.appendingPathComponent("notes.txt").path
    try Data(String(repeating: "not a database\n", count: 20).utf8).write(to: URL(fileURLWithPath: text))
    let bad = try CLITests.run(["import", input, "--store", text])
    #expect(bad.status == 78, "\(bad.stderr)")
    #expect(bad.stderr.contains("notes.txt") && bad.stderr.contains("[store.unreadable]"), "\(bad.stderr)")
    #expect(try String(contentsOfFile: text, encoding: .utf8).hasPrefix("not a database"))

    let folder = try CLITests.run(["import", input, "--store", dir.path])
    #expect(folder.status == 73, "\(folder.stderr)")
  }

  @Test("a truncated bundle is rejected whole (65) while the other inputs commit")
  func rejectedInputAndOthers() throws {
    let dir = makeTemporaryDirectory("import-rejected")
    let store = dir.appendingPathComponent("cases.sqlite").path
    let r = try CLITests.run(["import", sample("json/invalid/truncated.json"), sample("jsonl/valid/case-0001.jsonl"), "--store", store])
    #expect(r.status == 65, "\(r.stderr)")
    #expect(r.stderr.contains("truncated.json:"))
    #expect(r.stderr.contains("store: 15 inserted, 0 updated, 0 unchanged, 0 duplicate"), "\(r.stderr)")
    // The rejected input is not in the store: importing it again rejects it again, the good one is duplicate.
    let again = try CLITests.run(["import", sample("json/invalid/truncated.json"), sample("jsonl/valid/case-0001.jsonl"), "--store", store])
    #expect(again.status == 65)
    #expect(again.stderr.contains("1 rejected whole; store: 0 inserted, 0 updated, 0 unchanged, 1 duplicate"), "\(again.stderr)")
  }
}
