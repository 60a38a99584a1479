public import CaseJSON
public import CaseModel
import CaseInterchange
#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

// MARK: the connection to the store

/// What the parent hands the store for one file whose child finished with a report.
public struct BatchMergeInput: Sendable {
  /// The child's private staging output (`BatchChildCommand.stagingName` in the file's private directory).
  public var stagingPath: String
  /// The input's SHA-256 (checked equal before and after the child, and equal to the child's report).
  public var inputSha256: String
  public var name: String
  public var bytes: Int
  /// Where the file will be archived once the merge committed (for `processed_inputs.archive_path`).
  public var archivePath: String
  /// The batch run id, and the child's run id (`<run-id>-NNN`).
  public var runID: String
  public var childRunID: String
  public var profilePath: String?
  /// The child's report file (JSON, `casebridge-report-1.0`).
  public var childReportPath: String
}

/// What the store did with one file.
public struct BatchMergeResult: Sendable {
  /// The store already held this input (same SHA-256, profile, parser version): nothing added.
  public var duplicate = false
  public var inserted: Int?
  public var updated: Int?
  public var unchanged: Int?
  public init(duplicate: Bool = false, inserted: Int? = nil, updated: Int? = nil, unchanged: Int? = nil) {
    self.duplicate = duplicate
    self.inserted = inserted
    self.updated = updated
    self.unchanged = unchanged
  }
}

/// A store failure during a merge (the run stops; the file stays in the inbox).
public struct BatchStoreFailure: Error, Sendable {
  public var rule: String
  public var message: String
  /// 73 cannot create, 74 I/O, 78 unusable store.
  public var exitCode: Int32
  public init(rule: String, message: String, exitCode: Int32) {
    self.rule = rule
    self.message = message
    self.exitCode = exitCode
  }
}

/// The only writer of the real store in a batch run: merges one child's staging output in one transaction.
/// CasePipeline does not depend on CaseStore; the CLI provides the implementation (`CaseStore.merge(stagingPath:)`).
public protocol BatchStoreWriter {
  func merge(_ input: BatchMergeInput) throws(BatchStoreFailure) -> BatchMergeResult
}

// MARK: the child's command line (the one place it is built)

/// The subcommand each file's child runs.
public enum BatchChildCommand: Sendable {
  /// `casebridge import FILE --store STAGING ...` (the store branch's command; staging is an SQLite store).
  case importToStaging
  /// `casebridge convert FILE --to jsonl -o STAGING ...`: a stand-in until `import` lands; staging is JSON Lines.
  case convertToStaging

  /// What this build runs.
  public static let current: BatchChildCommand = .importToStaging

  var name: String { self == .importToStaging ? "import" : "convert" }

  /// The staging file's name inside the file's private directory.
  public var stagingName: String { self == .importToStaging ? "staging.sqlite" : "staging.jsonl" }

  /// The child's arguments (after the executable): the hidden `--child-limits` first, then the subcommand.
  public func arguments(
    input: String, staging: String, report: String, quarantine: String, runID: String, profile: String?, limits: ChildLimits,
    readArguments: [String] = []
  ) -> [String] {
    var a = ["--child-limits", limits.argument]
    switch self {
    case .importToStaging: a += ["import", input, "--store", staging]
    case .convertToStaging: a += ["convert", input, "--to", "jsonl", "-o", staging]
    }
    a += ["--report", report, "--quarantine", quarantine, "--run-id", runID]
    if let profile { a += ["--profile", profile] }
    return a + readArguments
  }
}

// MARK: the run

/// One batch run: lock, scan, one child per complete file, merge, archive, reports.
public struct BatchRunner {
  public var settings: BatchSettings
  public var executable: String
  public var now: () -> Instant = clockNow
  /// Renders the finished report's JSON as `REPORTS/<run-id>.html` (CaseReport's `HTMLReport`; the CLI sets it).
  /// The arguments are the report's JSON and the page's path.
  public var renderHTML: ((_ report: JSONValue, _ path: String) -> [UInt8])?
  /// Called before each complete file's child starts, with its 0-based position among them, their number and the
  /// file's name (the CLI's progress line).
  public var onFile: ((_ index: Int, _ count: Int, _ name: String) -> Void)? = nil

  public init(settings: BatchSettings, executable: String = currentExecutablePath()) {
    self.settings = settings
    self.executable = executable
  }

  /// The paths a run needs, checked (exit 64 when one is missing).
  public static func missingPaths(_ s: BatchSettings) -> [String] {
    [("inbox", s.inbox), ("store", s.store), ("archive", s.archive), ("quarantine", s.quarantine), ("reports", s.reports)]
      .filter { $0.1 == nil || $0.1!.isEmpty }.map { "--" + $0.0 }
  }

  /// Runs the batch. `openStore` is called once the lock is held (it opens or creates the store; a failure ends the
  /// run with its exit code). The report files are written unless the lock was held.
  public func run(openStore: () throws(BatchStoreFailure) -> any BatchStoreWriter) -> BatchReport {
    let store = settings.store!
    let started = now()
    let runID = settings.runID ?? makeRunID(started)
    let configuration = settings.configuration
    var w = JSONWriter()
    w.write(configuration)
    var report = BatchReport(runID: runID, startedAt: started, configuration: configuration, configurationSha256: sha256Hex(w.bytes))

    let lock: StoreLock
    do {
      lock = try StoreLock(storePath: store)
    } catch {
      switch error {
      case .held:
        report.error = "\(store).lock: another batch run holds the lock; nothing was changed [batch.lock-held]"
        report.exitCode = 75
      case .cannotCreate(let e):
        report.error = "\(store).lock: cannot create the lock file (errno \(e)) [output.cannot-create]"
        report.exitCode = 73
      }
      report.finishedAt = now()
      return report
    }
    defer { withExtendedLifetime(lock) {} }

    let reportsDir = settings.reports!
    var st = stat()
    if lstat(reportsDir + "/" + runID + ".json", &st) == 0 {
      report.error = "\(reportsDir)/\(runID).json: a report of this run id exists; nothing is ever overwritten [output.cannot-create]"
      report.exitCode = 73
      report.finishedAt = now()
      return report
    }
    do throws(OutputError) {
      try makeDirectories(reportsDir)
      try makeDirectories(settings.archive!)
      try makeDirectories(settings.quarantine!)
    } catch {
      report.error = error.description
      report.exitCode = error.exitCode
      return finish(report)
    }

    let writer: any BatchStoreWriter
    do {
      writer = try openStore()
    } catch {
      report.error = "\(store): \(error.message) [\(error.rule)]"
      report.exitCode = error.exitCode
      return finish(report)
    }
    // The children's private directories live in `<store>.batch/` (0700), beside the store: a staging store is then
    // on the store's file system, and a run empties what a killed run of the same store left there.
    let privateParent = store + ".batch"
    do throws(OutputError) {
      try makeDirectories(privateParent)
    } catch {
      report.error = error.description
      report.exitCode = error.exitCode
      return finish(report)
    }
    removeStalePrivateDirectories(in: privateParent)

    let scan: (candidates: [InboxEntry], skipped: [(String, SkipReason)], markers: Set<String>)
    do {
      scan = try scanInbox(settings.inbox!)
    } catch {
      report.error = error.description
      report.exitCode = 66
      return finish(report)
    }
    var codes: [Int32] = [0]
    for (name, reason) in scan.skipped {
      report.skipped.append((name, reason.rawValue))
      if reason.isSuspicious { codes.append(66) }
    }

    // The archive's date folder is the run's UTC start date.
    let day = String(started.iso8601.prefix(10)).split(separator: "-").joined(separator: "/")
    var stopped = false
    for (position, entry) in scan.candidates.enumerated() {
      if stopped { break }
      onFile?(position, scan.candidates.count, entry.name)
      let hasMarker = scan.markers.contains(entry.name)
      let outcome = processFile(
        entry, index: report.inputs.count, hasMarker: hasMarker, runID: runID, day: day, privateParent: privateParent,
        writer: writer)
      switch outcome {
      case .skip(let reason):
        report.skipped.append((entry.name, reason.rawValue))
        if reason.isSuspicious { codes.append(66) }
      case .done(let r, let stop):
        report.inputs.append(r)
        codes.append(r.exitCode)
        stopped = stop
      }
    }
    report.exitCode = mostSevere(codes)
    return finish(report)
  }

  /// Writes `REPORTS/<run-id>.json` and `.txt` atomically (0600); a failure there is the run's exit code.
  private func finish(_ report: BatchReport) -> BatchReport {
    var report = report
    report.finishedAt = now()
    let dir = settings.reports!
    do throws(OutputError) {
      try makeDirectories(dir)
      var jw = JSONWriter()
      jw.write(report.json)
      if let renderHTML {
        let path = dir + "/" + report.runID + ".html"
        try writeFileAtomically(path, renderHTML(report.json, path))
      }
      try writeFileAtomically(dir + "/" + report.runID + ".json", jw.bytes + [0x0A])
      try writeFileAtomically(dir + "/" + report.runID + ".txt", Array((report.summary.terminalEscaped + "\n").utf8))
    } catch {
      report.error = (report.error.map { $0 + "; " } ?? "") + error.description
      report.exitCode = mostSevere([report.exitCode, error.exitCode])
    }
    return report
  }

  enum FileOutcome {
    case skip(SkipReason)
    case done(BatchInputReport, stop: Bool)
  }

  /// One file: open without following, check settled, hash, child, check hash, merge, archive.
  private func processFile(
    _ entry: InboxEntry, index: Int, hasMarker: Bool, runID: String, day: String, privateParent: String,
    writer: any BatchStoreWriter
  ) -> FileOutcome {
    let fd = open(entry.path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY)
    guard fd >= 0 else { return .skip(errno == ELOOP ? .symlink : .vanished) }
    defer { close(fd) }
    var st = stat()
    guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG, st.st_ino == entry.st.st_ino, st.st_dev == entry.st.st_dev else {
      return .skip(.vanished)
    }
    if !hasMarker {
      // Settled: mtime at least `settle` seconds in the past, and size and mtime the same at the scan's lstat and
      // this fstat.
      let age = now().seconds - Int64(st.st_mtim.tv_sec)
      if age < Int64(settings.settle) { return .skip(.waiting) }
      if st.st_size != entry.st.st_size || st.st_mtim.tv_sec != entry.st.st_mtim.tv_sec || st.st_mtim.tv_nsec != entry.st.st_mtim.tv_nsec {
        return .skip(.changing)
      }
    }
    var r = BatchInputReport(index: index, name: entry.name)
    r.profile = settings.profile(forName: entry.name)
    guard let before = hashDescriptor(fd) else {
      r.disposition = "failed"
      r.errorRule = "input.io-error"
      r.errorMessage = "reading the file to hash it failed"
      r.exitCode = 74
      return .done(r, stop: false)
    }
    r.sha256 = before.sha256
    r.bytes = before.bytes
    let limits = settings.limits.forInput(bytes: before.bytes)
    r.limits = limits
    let archivePath = settings.archive! + "/" + day + "/" + archiveName(sha256: before.sha256, name: entry.name)
    let rejectedPath = settings.quarantine! + "/" + runID + "/rejected-inputs/" + archiveName(sha256: before.sha256, name: entry.name)

    guard let dir = makePrivateDirectory(in: privateParent) else {
      r.disposition = "failed"
      r.errorRule = "output.cannot-create"
      r.errorMessage = "\(privateParent): cannot create the child's private directory"
      r.exitCode = 73
      return .done(r, stop: true)
    }
    defer { removeTree(dir) }
    let command = BatchChildCommand.current
    let childRunID = runID + "-" + String(format3(index))
    let staging = dir + "/" + command.stagingName
    let childReport = dir + "/report.json"
    let args = command.arguments(
      input: entry.path, staging: staging, report: childReport, quarantine: settings.quarantine! + "/" + runID,
      runID: childRunID, profile: r.profile, limits: limits, readArguments: settings.limits.readArguments)
    let child = runChild(executable: executable, arguments: args, directory: dir, wallSeconds: limits.wallSeconds)
    r.childCPUSeconds = child.cpuSeconds
    r.childWallSeconds = child.wallSeconds

    /// The file is rejected whole and moved out of the inbox, so it does not come back every night.
    func rejectAndMove(_ rule: String, _ message: String, code: Int32) -> FileOutcome {
      r.disposition = "rejected"
      r.errorRule = rule
      r.errorMessage = message
      r.exitCode = code
      do throws(OutputError) {
        try moveDurably(entry.path, to: rejectedPath)
        r.movedTo = rejectedPath
        if hasMarker { unlink(entry.path + ".ready") }
      } catch {
        r.errorMessage = message + "; " + error.description
        r.exitCode = mostSevere([code, error.exitCode])
      }
      return .done(r, stop: false)
    }
    /// The file stays in the inbox (a later run retries it).
    func fail(_ rule: String, _ message: String, code: Int32, disposition: String = "failed") -> FileOutcome {
      r.disposition = disposition
      r.errorRule = rule
      r.errorMessage = message
      r.exitCode = code
      return .done(r, stop: false)
    }

    switch child.termination {
    case .notStarted(let e):
      return fail("batch.child-failed", "the child process could not be started (errno \(e))", code: 70)
    case .timedOut:
      r.childSignal = "SIGKILL"
      return rejectAndMove("batch.child-timeout", "the child ran past its wall-clock limit of \(limits.wallSeconds) s and was killed (SIGKILL)", code: 65)
    case .signaled(let sig):
      r.childSignal = signalName(sig)
      if sig == SIGALRM {  // the child's own backstop alarm, a moment after the parent's deadline
        return rejectAndMove("batch.child-timeout", "the child ran past its wall-clock limit of \(limits.wallSeconds) s (SIGALRM)", code: 65)
      }
      if sig == SIGXCPU || (sig == SIGKILL && child.cpuSeconds >= Double(limits.cpuSeconds)) {
        return rejectAndMove("batch.child-limit", "the child ran past its CPU-time limit of \(limits.cpuSeconds) s (\(signalName(sig)))", code: 65)
      }
      return rejectAndMove(
        "batch.child-crashed",
        "the child died on \(signalName(sig)) (a crash or trap; an allocation over its address-space limit of \(limits.addressSpace) bytes ends the same way)",
        code: 70)
    case .exited(let status):
      r.childExitCode = status
      if status == 70 {
        return rejectAndMove("batch.child-crashed", "the child ended with an internal error (exit 70)", code: 70)
      }
      guard let parsed = readChildReport(childReport) else {
        return fail("batch.child-failed", "the child exited \(status) without a usable report", code: status == 0 ? 70 : mostSevere([status, 70]))
      }
      if let i = parsed.input {
        r.format = i.format
        r.read = i.read
        r.accepted = i.accepted
        r.quarantined = i.quarantined
        r.ignored = i.ignored
        r.warnings = i.warnings
        r.rules = i.rules
        if let rule = i.errorRule {
          r.errorRule = rule
          r.errorMessage = i.errorMessage
        }
      }
      // The bytes the child read are the bytes hashed before it started, and still the file's bytes now.
      let after = hashDescriptor(fd)
      if let childSha = parsed.input?.sha256, childSha != before.sha256 {
        return fail("input.changed", "the file's SHA-256 differs between the parent's hash and the child's read; left in the inbox", code: 74, disposition: "rejected")
      }
      if after?.sha256 != before.sha256 {
        return fail("input.changed", "the file's SHA-256 changed while it was processed; left in the inbox", code: 74, disposition: "rejected")
      }
      switch status {
      case 0, 1, 65:
        break
      case 78:
        return fail(parsed.errorRule ?? "profile.invalid", parsed.error ?? "the profile cannot be used", code: 78)
      case 64:
        return fail("batch.child-failed", "the child refused its command line (exit 64)", code: 70)
      default:  // 66, 73, 74: a problem of this host (disk, permissions), not of the file
        return fail(parsed.errorRule ?? r.errorRule ?? "batch.child-failed", parsed.error ?? r.errorMessage ?? "the child exited \(status)", code: status)
      }
      guard parsed.input?.sha256 != nil else {
        return fail("batch.child-failed", "the child's report names no input SHA-256", code: 70)
      }
      let merge = BatchMergeInput(
        stagingPath: staging, inputSha256: before.sha256, name: entry.name, bytes: before.bytes, archivePath: archivePath,
        runID: runID, childRunID: childRunID, profilePath: r.profile, childReportPath: childReport)
      let merged: BatchMergeResult
      do {
        merged = try writer.merge(merge)
      } catch {
        r.disposition = "failed"
        r.errorRule = error.rule
        r.errorMessage = error.message + "; the file is left in the inbox and the run stops"
        r.exitCode = error.exitCode
        return .done(r, stop: true)
      }
      r.inserted = merged.inserted
      r.updated = merged.updated
      r.unchanged = merged.unchanged
      r.disposition = merged.duplicate ? "duplicate" : (status == 65 ? "rejected" : "processed")
      r.exitCode = merged.duplicate ? 0 : status
      do throws(OutputError) {
        try moveDurably(entry.path, to: archivePath)
        r.movedTo = archivePath
        if hasMarker { unlink(entry.path + ".ready") }
      } catch {
        // Committed but not archived: a rerun finds it in the store (`duplicate`) and archives it then.
        r.errorRule = r.errorRule ?? error.rule
        r.errorMessage = (r.errorMessage.map { $0 + "; " } ?? "") + error.description
        r.exitCode = mostSevere([r.exitCode, error.exitCode])
      }
      return .done(r, stop: false)
    }
  }
}

func format3(_ i: Int) -> String {
  let s = String(i)
  return s.count >= 3 ? s : String(repeating: "0", count: 3 - s.count) + s
}

/// The parts of a child's run report (`casebridge-report-1.0`) the parent uses.
struct ChildReport {
  struct Input {
    var sha256: String?
    var format: String?
    var read = 0, accepted = 0, quarantined = 0, ignored = 0, warnings = 0
    var rules: [String: Int] = [:]
    var errorRule: String?
    var errorMessage: String?
  }
  var input: Input?
  var exitCode: Int?
  var error: String?
  /// The rule id at the end of `error` (`... [profile.invalid]`).
  var errorRule: String? {
    guard let e = error, e.hasSuffix("]"), let open = e.lastIndex(of: "[") else { return nil }
    return String(e[e.index(after: open)..<e.index(before: e.endIndex)])
  }
}

func readChildReport(_ path: String) -> ChildReport? {
  guard let f = try? ChunkedFile(path: path) else { return nil }
  var bytes: [UInt8] = []
  while let c = try? f.nextChunk(), !c.isEmpty {
    bytes.append(contentsOf: c)
    if bytes.count > 64 << 20 { return nil }
  }
  guard let root = try? JSONParser().parse(bytes), case .object(let o) = root else { return nil }
  func int(_ v: JSONValue?) -> Int? {
    if case .number(let n)? = v, let i = n.int64Value { return Int(i) }
    return nil
  }
  func str(_ v: JSONValue?) -> String? {
    if case .string(let s)? = v { return s }
    return nil
  }
  var r = ChildReport()
  r.exitCode = int(o.member("exitCode")?.value)
  r.error = str(o.member("error")?.value)
  if case .array(let inputs)? = o.member("inputs")?.value, let first = inputs.first, case .object(let i) = first {
    var x = ChildReport.Input()
    x.sha256 = str(i.member("sha256")?.value)
    x.format = str(i.member("format")?.value)
    x.read = int(i.member("read")?.value) ?? 0
    x.accepted = int(i.member("accepted")?.value) ?? 0
    x.quarantined = int(i.member("quarantined")?.value) ?? 0
    x.ignored = int(i.member("ignored")?.value) ?? 0
    x.warnings = int(i.member("warnings")?.value) ?? 0
    if case .object(let rules)? = i.member("rules")?.value {
      for m in rules.members { x.rules[m.key] = int(m.value) ?? 0 }
    }
    if case .object(let e)? = i.member("error")?.value {
      x.errorRule = str(e.member("rule")?.value)
      x.errorMessage = str(e.member("message")?.value)
    }
    r.input = x
  }
  return r
}
