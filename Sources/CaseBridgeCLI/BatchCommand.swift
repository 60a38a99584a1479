import ArgumentParser
import CaseBridge
#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

struct BatchCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "batch",
    abstract: "Import every complete file of a drop folder into the store (for cron): lock, settle, one child per file, archive, reports.",
    discussion: """
      Takes the regular files of --inbox (not its subfolders) in name order. A file is complete when <name>.ready \
      exists beside it, or when its mtime is at least --settle seconds old and its size and mtime are unchanged \
      between the scan and the open. Symlinks, FIFOs, devices, sockets, directories, *.part, *.ready and dot-files \
      are skipped without being opened. Each file is parsed by a child process of this binary with address-space, \
      CPU and wall-clock limits; after its store transaction commits it moves to \
      ARCHIVE/YYYY/MM/DD/<sha256>-<name>. A file whose child crashed, hung or hit a limit moves to \
      QUARANTINE/<run-id>/rejected-inputs/. Reports: REPORTS/<run-id>.json and REPORTS/<run-id>.txt.

      A second run while one holds <store>.lock exits 75 at once and changes nothing.

      """ + "\n" + exitCodeTable)

  @Option(help: "The drop folder.")
  var inbox: String?
  @Option(help: "The case store (SQLite); its lock is <store>.lock.")
  var store: String?
  @Option(help: "Where committed inputs are moved (ARCHIVE/YYYY/MM/DD/<sha256>-<name>).")
  var archive: String?
  @Option(help: "Quarantine directory: QUARANTINE/<run-id>/ holds rejected records and rejected-inputs/.")
  var quarantine: String?
  @Option(help: "Where REPORTS/<run-id>.json and .txt are written.")
  var reports: String?
  @Option(help: "Config file (JSON, or YAML by extension) holding any of these settings and profiles by glob; flags override it.")
  var config: String?
  @Option(help: "Seconds a file without a .ready marker must be unmodified (default 60).")
  var settle: Int?
  @Option(help: "Run id (default: UTC start time plus random bits).")
  var runId: String?
  @Option(help: progressHelp)
  var progress: String = "auto"

  func run() throws {
    let showProgress = try progressEnabled(progress, logFormat: "text")
    var s = BatchSettings()
    if let config {
      do {
        s = try BatchSettings.load(configPath: config)
      } catch {
        printError(error.description)
        throw ExitCode(78)
      }
    }
    if let inbox { s.inbox = inbox }
    if let store { s.store = store }
    if let archive { s.archive = archive }
    if let quarantine { s.quarantine = quarantine }
    if let reports { s.reports = reports }
    if let settle {
      guard settle >= 0 else { throw UsageError(message: "--settle must be 0 or more seconds") }
      s.settle = settle
    }
    if let runId { s.runID = runId }
    let missing = BatchRunner.missingPaths(s)
    if !missing.isEmpty {
      throw UsageError(message: "give \(missing.joined(separator: ", ")) (on the command line or in --config)")
    }
    if let id = s.runID, !isPlainRunID(id) {
      throw UsageError(message: "--run-id must be 1 to 128 of A-Z a-z 0-9 . _ - and not start with a dot")
    }
    var runner = BatchRunner(settings: s)
    runner.renderHTML = HTMLReport.page(json:path:)
    // Each file is parsed by a child: the progress line names the file of how many (no counts from the child).
    if showProgress {
      runner.onFile = { index, count, name in
        StandardError.drawProgress(ProgressRenderer.fit("[\(index + 1)/\(count)] \(name.terminalEscaped): importing", terminalWidth()))
      }
    }
    let report = runner.run { () throws(BatchStoreFailure) -> any BatchStoreWriter in
      try StoreCheckingWriter(path: s.store!)
    }
    StandardError.clearProgress()
    if report.exitCode == 75 {
      printError(report.error ?? "another batch run holds the lock [batch.lock-held]")
      throw ExitCode(75)
    }
    for e in report.skipped where ["symlink", "fifo", "device", "socket", "other"].contains(e.reason) {
      printStderr("\(s.inbox!)/\(e.name): skipped without being opened: \(e.reason) (not a regular file)")
    }
    for i in report.inputs where i.errorRule != nil && i.disposition != "processed" && i.disposition != "duplicate" {
      printStderr("\(s.inbox!)/\(i.name): error: \(i.errorMessage ?? "") [\(i.errorRule!)]")
    }
    printStderr(report.summary)
    if report.exitCode != 0 { throw ExitCode(report.exitCode) }
  }
}

/// The store side of a batch run: opens (creating) the store, so a store this build cannot use stops the run before
/// any file is touched (exit 78/73); merges each child's staging store into it (the parent is its only writer) and
/// records where the input is archived.
struct StoreCheckingWriter: BatchStoreWriter {
  let store: CaseStore

  init(path: String) throws(BatchStoreFailure) {
    do {
      store = try CaseStore(path: path)
    } catch {
      throw BatchStoreFailure(rule: error.rule, message: error.message, exitCode: error.exitCode)
    }
  }

  func merge(_ input: BatchMergeInput) throws(BatchStoreFailure) -> BatchMergeResult {
    var st = stat()
    // A child that rejected its input whole committed nothing: no staging store, nothing to merge.
    guard stat(input.stagingPath, &st) == 0 else { return BatchMergeResult() }
    do {
      let merged = try store.merge(stagingPath: input.stagingPath)
      guard !merged.isEmpty else { return BatchMergeResult() }
      if merged.allSatisfy({ $0.disposition == .duplicate }) { return BatchMergeResult(duplicate: true) }
      // Where the input will be archived once this commit returns (`verify` re-hashes it there).
      try store.recordArchivePath(input.archivePath, for: merged)
      return BatchMergeResult(
        duplicate: false, inserted: merged.reduce(0) { $0 + $1.counts.inserted },
        updated: merged.reduce(0) { $0 + $1.counts.updated }, unchanged: merged.reduce(0) { $0 + $1.counts.unchanged })
    } catch {
      throw BatchStoreFailure(rule: error.rule, message: error.message, exitCode: error.exitCode)
    }
  }
}
