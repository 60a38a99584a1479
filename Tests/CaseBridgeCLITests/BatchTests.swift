import CaseBridge
import CaseTestSupport
import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// `casebridge batch`: the lock, the drop-folder hand-off, per-file children, archive, reports, config.
@Suite(.serialized) struct BatchTests {
  /// A batch layout in a fresh temporary directory.
  struct Layout {
    let root: URL
    var inbox: String { root.appendingPathComponent("in").path }
    var store: String { root.appendingPathComponent("store/cases.sqlite").path }
    var archive: String { root.appendingPathComponent("archive").path }
    var quarantine: String { root.appendingPathComponent("quarantine").path }
    var reports: String { root.appendingPathComponent("reports").path }

    init(_ name: String) throws {
      root = makeTemporaryDirectory(name)
      try FileManager.default.createDirectory(atPath: root.appendingPathComponent("in").path, withIntermediateDirectories: true)
    }

    var flags: [String] {
      ["--inbox", inbox, "--store", store, "--archive", archive, "--quarantine", quarantine, "--reports", reports]
    }

    func put(_ name: String, from relativeSample: String) throws {
      try FileManager.default.copyItem(atPath: sample(relativeSample), toPath: inbox + "/" + name)
    }

    func inboxNames() throws -> [String] { try FileManager.default.contentsOfDirectory(atPath: inbox).sorted() }

    /// Every file under the archive, relative to it.
    func archived() -> [String] {
      (FileManager.default.enumerator(atPath: archive)?.compactMap { $0 as? String } ?? [])
        .filter { !isDirectory(archive + "/" + $0) }.sorted()
    }

    func report(_ runID: String) throws -> JSONObject {
      let bytes = try readBytes(URL(fileURLWithPath: reports + "/" + runID + ".json"))
      guard case .object(let o) = try JSONParser().parse(bytes) else { throw CocoaError(.fileReadCorruptFile) }
      return o
    }
  }

  static func isDirectory(_ path: String) -> Bool {
    var d: ObjCBool = false
    return FileManager.default.fileExists(atPath: path, isDirectory: &d) && d.boolValue
  }

  static func batch(_ args: [String], environment: [String: String] = [:], seconds: Int = 60) throws -> BoundedRun {
    if !boundedRunToolsPresent && !Repo.isCI { Issue.record("timeout, time and prlimit are needed") }
    return try runBounded(["batch"] + args, binary: CaseBridgeBinary.debug, seconds: seconds, environment: environment)
  }

  /// The inputs of a report by file name.
  static func inputs(_ report: JSONObject) -> [String: JSONObject] {
    guard case .array(let items)? = report.member("inputs")?.value else { return [:] }
    var out: [String: JSONObject] = [:]
    for case .object(let o) in items {
      if case .string(let name)? = o.member("name")?.value { out[name] = o }
    }
    return out
  }

  static func skipped(_ report: JSONObject) -> [String: String] {
    guard case .array(let items)? = report.member("skipped")?.value else { return [:] }
    var out: [String: String] = [:]
    for case .object(let o) in items {
      if case .string(let n)? = o.member("name")?.value, case .string(let r)? = o.member("reason")?.value { out[n] = r }
    }
    return out
  }

  static func string(_ o: JSONObject?, _ key: String) -> String? {
    if case .string(let s)? = o?.member(key)?.value { return s }
    return nil
  }

  static func int(_ o: JSONObject?, _ key: String) -> Int? {
    if case .number(let n)? = o?.member(key)?.value, let i = n.int64Value { return Int(i) }
    return nil
  }

  static func object(_ o: JSONObject?, _ key: String) -> JSONObject? {
    if case .object(let x)? = o?.member(key)?.value { return x }
    return nil
  }

  // MARK: the lock

  @Test func aSecondRunWhileTheLockIsHeldExits75AndChangesNothing() throws {
    let l = try Layout("batch-lock")
    try l.put("a.jsonl", from: "jsonl/valid/case-0001.jsonl")
    try FileManager.default.createDirectory(atPath: l.root.appendingPathComponent("store").path, withIntermediateDirectories: true)
    let fd = open(l.store + ".lock", O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
    #expect(fd >= 0)
    defer { close(fd) }
    #expect(flock(fd, LOCK_EX | LOCK_NB) == 0)
    let started = Date()
    let r = try Self.batch(l.flags + ["--settle", "0"])
    #expect(r.status == 75)
    #expect(Date().timeIntervalSince(started) < 10, "a held lock must not be waited for")
    #expect(r.stderr.split(separator: "\n").count == 1, "one stderr line: \(r.stderr)")
    #expect(r.stderr.contains("[batch.lock-held]"))
    #expect(try l.inboxNames() == ["a.jsonl"])
    for path in [l.store, l.archive, l.quarantine, l.reports] {
      #expect(!FileManager.default.fileExists(atPath: path), "\(path) was created under a held lock")
    }
    // Released: the same command now runs.
    flock(fd, LOCK_UN)
    let again = try Self.batch(l.flags + ["--settle", "0"])
    #expect(again.status == 0, "\(again.stderr)")
    #expect(try l.inboxNames().isEmpty)
  }

  // MARK: the hand-off

  @Test func symlinksFIFOsPartialsAndDotFilesAreSkippedWithoutBeingOpened() throws {
    let l = try Layout("batch-skip")
    try l.put("good.jsonl", from: "jsonl/valid/case-0001.jsonl")
    try l.put("upload.jsonl.part", from: "jsonl/valid/case-0001.jsonl")
    try l.put(".hidden.jsonl", from: "jsonl/valid/case-0001.jsonl")
    // A FIFO, and a symlink to a FIFO outside the inbox: opening either for reading would block for ever.
    #expect(mkfifo(l.inbox + "/pipe.jsonl", 0o600) == 0)
    let outsideFIFO = l.root.appendingPathComponent("outside.fifo").path
    #expect(mkfifo(outsideFIFO, 0o600) == 0)
    try FileManager.default.createSymbolicLink(atPath: l.inbox + "/link.jsonl", withDestinationPath: outsideFIFO)
    try FileManager.default.createSymbolicLink(atPath: l.inbox + "/link2.jsonl", withDestinationPath: sample("jsonl/valid/case-0001.jsonl"))
    try FileManager.default.createDirectory(atPath: l.inbox + "/sub", withIntermediateDirectories: false)
    let r = try Self.batch(l.flags + ["--settle", "0", "--run-id", "skip-1"], seconds: 30)
    #expect(!r.killed, "the run blocked on a FIFO")
    #expect(r.status == 66, "symlinks and FIFOs in the inbox are worth a look in the morning: \(r.stderr)")
    let report = try l.report("skip-1")
    let skipped = Self.skipped(report)
    #expect(skipped["pipe.jsonl"] == "fifo")
    #expect(skipped["link.jsonl"] == "symlink")
    #expect(skipped["link2.jsonl"] == "symlink")
    #expect(skipped["upload.jsonl.part"] == "partial")
    #expect(skipped[".hidden.jsonl"] == "hidden")
    #expect(skipped["sub"] == "directory")
    #expect(Set(Self.inputs(report).keys) == ["good.jsonl"])
    // Skipped entries stay where they are; the good file is archived.
    #expect(try l.inboxNames() == [".hidden.jsonl", "link.jsonl", "link2.jsonl", "pipe.jsonl", "sub", "upload.jsonl.part"])
    #expect(l.archived().count == 1)
    #expect(r.stderr.contains("6 skipped"))
  }

  @Test func aFreshFileWaitsForItsSettleTimeOrItsReadyMarker() throws {
    let l = try Layout("batch-settle")
    try l.put("fresh.jsonl", from: "jsonl/valid/case-0001.jsonl")
    try l.put("old.jsonl", from: "jsonl/invalid/mixed.jsonl")
    // old.jsonl was last modified two hours ago.
    var times = [timeval(tv_sec: time(nil) - 7200, tv_usec: 0), timeval(tv_sec: time(nil) - 7200, tv_usec: 0)]
    #expect(utimes(l.inbox + "/old.jsonl", &times) == 0)
    let first = try Self.batch(l.flags + ["--settle", "60", "--run-id", "settle-1"])
    #expect(first.status == 1, "old.jsonl has quarantined records: \(first.stderr)")
    let r1 = try l.report("settle-1")
    #expect(Self.skipped(r1)["fresh.jsonl"] == "waiting")
    #expect(Set(Self.inputs(r1).keys) == ["old.jsonl"])
    #expect(try l.inboxNames() == ["fresh.jsonl"])
    // The sender says it is complete.
    #expect(FileManager.default.createFile(atPath: l.inbox + "/fresh.jsonl.ready", contents: Data()))
    let second = try Self.batch(l.flags + ["--settle", "60", "--run-id", "settle-2"])
    #expect(second.status == 0, "\(second.stderr)")
    let r2 = try l.report("settle-2")
    #expect(Self.string(Self.inputs(r2)["fresh.jsonl"], "disposition") == "processed")
    #expect(try l.inboxNames().isEmpty, "the file and its marker are gone from the inbox")
    #expect(l.archived().count == 2)
  }

  // MARK: isolation

  @Test func aCrashingHangingOrSpinningChildCostsOnlyItsFile() throws {
    let l = try Layout("batch-isolation")
    for name in ["a.jsonl", "crash.jsonl", "hang.jsonl", "spin.jsonl", "z.jsonl"] {
      try l.put(name, from: name == "z.jsonl" ? "jsonl/invalid/mixed.jsonl" : "jsonl/valid/case-0001.jsonl")
    }
    // Identical bytes in a, crash, hang and spin: the archive names differ by file name.
    let config = l.root.appendingPathComponent("batch.json")
    try Data("""
      {"limits": {"cpuSeconds": 1, "cpuSecondsPerMiB": 0, "wallSeconds": 20, "wallSecondsPerMiB": 0}}
      """.utf8).write(to: config)
    let env = [
      "CASEBRIDGE_TEST_CRASH_ON": "crash.jsonl", "CASEBRIDGE_TEST_HANG_ON": "hang.jsonl", "CASEBRIDGE_TEST_SPIN_ON": "spin.jsonl",
    ]
    let r = try Self.batch(l.flags + ["--config", config.path, "--settle", "0", "--run-id", "iso-1"], environment: env, seconds: 120)
    #expect(!r.killed)
    #expect(r.status == 70, "a crash is the most severe outcome: \(r.stderr)")
    let inputs = Self.inputs(try l.report("iso-1"))
    #expect(Self.string(inputs["a.jsonl"], "disposition") == "processed")
    #expect(Self.int(inputs["a.jsonl"], "accepted") == 15)
    #expect(Self.string(inputs["z.jsonl"], "disposition") == "processed")
    #expect(Self.int(inputs["z.jsonl"], "read") == 20)
    #expect(Self.int(inputs["z.jsonl"], "quarantined") == 17)

    let crash = inputs["crash.jsonl"]
    #expect(Self.string(crash, "disposition") == "rejected")
    #expect(Self.string(Self.object(crash, "error"), "rule") == "batch.child-crashed")
    let crashSignal = Self.string(Self.object(crash, "child"), "signal")
    #expect(["SIGILL", "SIGTRAP"].contains(crashSignal ?? ""), "a Swift trap: \(crashSignal ?? "none")")
    #expect(Self.string(Self.object(crash, "error"), "message")?.contains(crashSignal ?? "?") == true)

    let hang = inputs["hang.jsonl"]
    #expect(Self.string(Self.object(hang, "error"), "rule") == "batch.child-timeout")
    #expect(Self.string(Self.object(hang, "child"), "signal") == "SIGKILL")
    let hangWall = Self.int(Self.object(hang, "child"), "wallMilliseconds") ?? 0
    #expect(hangWall >= 20_000 && hangWall < 25_000, "killed at its 20 s wall-clock limit: \(hangWall) ms")

    let spin = inputs["spin.jsonl"]
    #expect(Self.string(Self.object(spin, "error"), "rule") == "batch.child-limit")
    #expect(Self.string(Self.object(spin, "child"), "signal") == "SIGXCPU")

    // Rejected files leave the inbox for the run's rejected-inputs folder, so they do not come back every night.
    #expect(try l.inboxNames().isEmpty)
    let rejected = try FileManager.default.contentsOfDirectory(atPath: l.quarantine + "/iso-1/rejected-inputs").sorted()
    #expect(rejected.map { String($0.dropFirst(65)) } == ["crash.jsonl", "hang.jsonl", "spin.jsonl"])
    #expect(l.archived().map { String(($0 as NSString).lastPathComponent.dropFirst(65)) }.sorted() == ["a.jsonl", "z.jsonl"])
    // No temporary directory of a child is left beside the store.
    #expect(try FileManager.default.contentsOfDirectory(atPath: l.store + ".batch").isEmpty)
  }

  @Test func theTestHooksWorkOnlyInABatchChild() throws {
    let dir = makeTemporaryDirectory("batch-hooks")
    let input = dir.appendingPathComponent("crash.jsonl").path
    try FileManager.default.copyItem(atPath: sample("jsonl/valid/case-0001.jsonl"), toPath: input)
    let r = try runBounded(
      ["validate", input], binary: CaseBridgeBinary.debug, seconds: 20, environment: ["CASEBRIDGE_TEST_CRASH_ON": "crash.jsonl"])
    #expect(r.status == 0, "\(r.stderr)")
  }

  // MARK: archive and reports

  @Test func inputsAreArchivedByDateAndHashAndReportsAreWrittenPrivately() throws {
    let l = try Layout("batch-archive")
    try l.put("case one.jsonl", from: "jsonl/valid/case-0001.jsonl")
    try l.put("mixed.jsonl", from: "jsonl/invalid/mixed.jsonl")
    let bytes = try readBytes(URL(fileURLWithPath: l.inbox + "/case one.jsonl"))
    let r = try Self.batch(l.flags + ["--settle", "0", "--run-id", "arch-1"])
    #expect(r.status == 1, "\(r.stderr)")
    let report = try l.report("arch-1")
    let day = String((Self.string(report, "startedAt") ?? "").prefix(10)).replacingOccurrences(of: "-", with: "/")
    let expected = day + "/" + sha256Hex(bytes) + "-case one.jsonl"
    #expect(l.archived().contains(expected), "\(l.archived())")
    #expect(try readBytes(URL(fileURLWithPath: l.archive + "/" + expected)) == bytes, "archived unmodified")
    var st = stat()
    #expect(stat(l.archive + "/" + day, &st) == 0 && st.st_mode & 0o777 == 0o700)
    for ext in ["json", "txt"] {
      #expect(stat(l.reports + "/arch-1." + ext, &st) == 0 && st.st_mode & 0o777 == 0o600)
    }
    let txt = try String(contentsOfFile: l.reports + "/arch-1.txt", encoding: .utf8)
    #expect(txt.hasSuffix("\n") && txt.dropLast().split(separator: "\n").count == 1)
    #expect(txt.contains("2 files (2 processed") && txt.contains("exit 1"))
    #expect(r.stderr.contains(String(txt.dropLast())))
    // Counts come from each child's report: read = accepted + quarantined.
    let inputs = Self.inputs(report)
    for (_, i) in inputs {
      #expect(Self.int(i, "read") == (Self.int(i, "accepted") ?? -1) + (Self.int(i, "quarantined") ?? -1))
      #expect(Self.string(i, "movedTo")?.hasPrefix(l.archive + "/" + day + "/") == true)
    }
    #expect(Self.string(inputs["case one.jsonl"], "sha256") == sha256Hex(bytes))
    #expect(Self.int(report, "exitCode") == 1)
    // The child's quarantine lands under the batch run's folder.
    let childQuarantine = try FileManager.default.contentsOfDirectory(atPath: l.quarantine + "/arch-1/arch-1-001").sorted()
    #expect(childQuarantine == ["000-mixed.diagnostics.jsonl", "000-mixed.rejected.jsonl"])
    if let (status, output) = try MatchCLITests.validate(["batch-report", l.reports + "/arch-1.json"]) {
      #expect(status == 0, "\(output)")
    }

    // The next night: the inbox is empty; nothing happens.
    let archivedBefore = l.archived()
    let again = try Self.batch(l.flags + ["--settle", "0", "--run-id", "arch-2"])
    #expect(again.status == 0, "\(again.stderr)")
    #expect(Self.inputs(try l.report("arch-2")).isEmpty)
    #expect(l.archived() == archivedBefore)
    // A run id that already has a report is refused before anything is read.
    try l.put("late.jsonl", from: "jsonl/valid/case-0001.jsonl")
    let reused = try Self.batch(l.flags + ["--settle", "0", "--run-id", "arch-2"])
    #expect(reused.status == 73)
    #expect(try l.inboxNames() == ["late.jsonl"])
  }

  // MARK: config

  @Test func theConfigPicksProfilesByGlobAndFlagsOverrideIt() throws {
    let l = try Layout("batch-config")
    try l.put("rms-2009.csv", from: "csv/valid/rms-northfield-2009.csv")
    try l.put("tips.tsv", from: "csv/valid/hotline-tips-2024.tsv")
    let profiles = l.root.appendingPathComponent("profiles")
    try FileManager.default.createDirectory(at: profiles, withIntermediateDirectories: true)
    for p in ["rms-northfield-2009.json", "hotline-tips-2024.json"] {
      try FileManager.default.copyItem(at: Repo.schemas.appendingPathComponent("profiles/" + p), to: profiles.appendingPathComponent(p))
    }
    // If the second rule were used for rms-2009.csv, the run would exit 78.
    try Data("not a profile".utf8).write(to: profiles.appendingPathComponent("broken.json"))
    let config = l.root.appendingPathComponent("batch.yaml")
    try Data("""
      # relative paths resolve against this file's directory
      inbox: in
      store: store/cases.sqlite
      archive: archive
      quarantine: quarantine
      reports: reports
      settle: 3600
      profiles:
        - glob: "rms-*.csv"
          profile: profiles/rms-northfield-2009.json
        - glob: "*.csv"
          profile: profiles/broken.json
        - glob: "*.tsv"
          profile: profiles/hotline-tips-2024.json

      """.utf8).write(to: config)
    // From another directory, with --settle overriding the config's hour.
    let r = try runBounded(
      ["batch", "--config", config.path, "--settle", "0", "--run-id", "cfg-1"], binary: CaseBridgeBinary.debug, seconds: 60,
      currentDirectory: URL(fileURLWithPath: "/"))
    #expect(r.status == 0 || r.status == 1, "\(r.stderr)")
    let inputs = Self.inputs(try l.report("cfg-1"))
    #expect(Self.string(inputs["rms-2009.csv"], "profile") == profiles.path + "/rms-northfield-2009.json")
    #expect(Self.string(inputs["tips.tsv"], "profile") == profiles.path + "/hotline-tips-2024.json")
    #expect((Self.int(inputs["rms-2009.csv"], "accepted") ?? 0) > 0)
    #expect((Self.int(inputs["tips.tsv"], "accepted") ?? 0) > 0)
    #expect(try l.inboxNames().isEmpty)
  }

  @Test func anUnknownConfigKeyOrAYAMLAliasExits78Located() throws {
    let l = try Layout("batch-config-bad")
    try l.put("a.jsonl", from: "jsonl/valid/case-0001.jsonl")
    let cases: [(String, String, String)] = [
      ("unknown.yaml", "inbox: in\nstore: s.sqlite\ninbocks: x\n", "unknown.yaml:3:1"),
      ("unknown.json", "{\"inbox\": \"in\",\n \"limits\": {\"cpu\": 3}}", "unknown.json:2:"),
      ("alias.yaml", "inbox: &d in\narchive: *d\n", "alias.yaml:"),
      ("glob.yaml", "profiles:\n  - glob: \"*.csv\"\n", "glob.yaml:"),
    ]
    for (name, text, location) in cases {
      let config = l.root.appendingPathComponent(name)
      try Data(text.utf8).write(to: config)
      let r = try Self.batch(l.flags + ["--config", config.path, "--settle", "0"])
      #expect(r.status == 78, "\(name): \(r.stderr)")
      #expect(r.stderr.contains(location) && r.stderr.contains("[config.invalid]"), "\(name): \(r.stderr)")
    }
    #expect(try l.inboxNames() == ["a.jsonl"])
    #expect(!FileManager.default.fileExists(atPath: l.store + ".lock"))
  }

  @Test func theSampleConfigIsValid() throws {
    let s = try BatchSettings.load(configPath: Repo.samples.appendingPathComponent("batch.yaml").path)
    #expect(s.inbox?.hasSuffix("/incoming") == true)
    #expect(!s.profiles.isEmpty)
  }
}

/// The seam the store connects to: `BatchStoreWriter.merge` is called once per file whose child finished, while its
/// staging output exists, and only a committed merge lets the file leave the inbox.
@Suite struct BatchStoreSeamTests {
  final class RecordingWriter: BatchStoreWriter {
    var calls: [BatchMergeInput] = []
    var stagingExisted: [Bool] = []
    var result: (Int) throws(BatchStoreFailure) -> BatchMergeResult
    init(_ result: @escaping (Int) throws(BatchStoreFailure) -> BatchMergeResult) { self.result = result }
    func merge(_ input: BatchMergeInput) throws(BatchStoreFailure) -> BatchMergeResult {
      calls.append(input)
      stagingExisted.append(FileManager.default.fileExists(atPath: input.stagingPath))
      return try result(calls.count - 1)
    }
  }

  static func settings(_ l: BatchTests.Layout, runID: String) -> BatchSettings {
    var s = BatchSettings()
    s.inbox = l.inbox
    s.store = l.store
    s.archive = l.archive
    s.quarantine = l.quarantine
    s.reports = l.reports
    s.settle = 0
    s.runID = runID
    return s
  }

  @Test func aMergeResultDecidesDuplicateAndCountsAndTheFileIsArchivedAfterIt() throws {
    let l = try BatchTests.Layout("batch-seam")
    try l.put("a.jsonl", from: "jsonl/valid/case-0001.jsonl")
    try l.put("b.jsonl", from: "jsonl/valid/case-0001.jsonl")
    let writer = RecordingWriter { i in
      i == 0 ? BatchMergeResult(inserted: 15, updated: 0, unchanged: 0) : BatchMergeResult(duplicate: true, inserted: 0, updated: 0, unchanged: 0)
    }
    let runner = BatchRunner(settings: Self.settings(l, runID: "seam-1"), executable: CaseBridgeBinary.debug.path)
    let report = runner.run { () throws(BatchStoreFailure) -> any BatchStoreWriter in writer }
    #expect(report.exitCode == 0)
    #expect(writer.calls.map(\.name) == ["a.jsonl", "b.jsonl"])
    #expect(writer.stagingExisted == [true, true], "the staging output is there when merge runs")
    #expect(writer.calls.map(\.childRunID) == ["seam-1-000", "seam-1-001"])
    #expect(report.inputs.map(\.disposition) == ["processed", "duplicate"])
    #expect(report.inputs[0].inserted == 15)
    #expect(report.inputs.map(\.movedTo) == writer.calls.map(\.archivePath))
    #expect(writer.calls.allSatisfy { $0.archivePath.hasSuffix($0.inputSha256 + "-" + $0.name) })
    #expect(try l.inboxNames().isEmpty)
    #expect(report.summary.contains("15 inserted"))
  }

  @Test func aStoreFailureLeavesTheFileInTheInboxAndStopsTheRun() throws {
    let l = try BatchTests.Layout("batch-seam-fail")
    try l.put("a.jsonl", from: "jsonl/valid/case-0001.jsonl")
    try l.put("b.jsonl", from: "jsonl/valid/case-0001.jsonl")
    let writer = RecordingWriter { _ throws(BatchStoreFailure) in
      throw BatchStoreFailure(rule: "store.io-error", message: "disk full", exitCode: 74)
    }
    let runner = BatchRunner(settings: Self.settings(l, runID: "seam-2"), executable: CaseBridgeBinary.debug.path)
    let report = runner.run { () throws(BatchStoreFailure) -> any BatchStoreWriter in writer }
    #expect(report.exitCode == 74)
    #expect(writer.calls.count == 1, "the run stops at the first store failure")
    #expect(report.inputs.map(\.disposition) == ["failed"])
    #expect(report.inputs.first?.errorRule == "store.io-error")
    #expect(try l.inboxNames() == ["a.jsonl", "b.jsonl"], "nothing committed, nothing moved")
    #expect(FileManager.default.fileExists(atPath: l.reports + "/seam-2.json"))
  }

  @Test func aStoreThatCannotBeOpenedEndsTheRunBeforeAnyFile() throws {
    let l = try BatchTests.Layout("batch-seam-open")
    try l.put("a.jsonl", from: "jsonl/valid/case-0001.jsonl")
    let runner = BatchRunner(settings: Self.settings(l, runID: "seam-3"), executable: CaseBridgeBinary.debug.path)
    let report = runner.run { () throws(BatchStoreFailure) -> any BatchStoreWriter in
      throw BatchStoreFailure(rule: "store.too-new", message: "written by a newer CaseBridge", exitCode: 78)
    }
    #expect(report.exitCode == 78)
    #expect(report.inputs.isEmpty)
    #expect(report.error?.contains("[store.too-new]") == true)
    #expect(try l.inboxNames() == ["a.jsonl"])
  }
}
