public import CaseModel
public import CaseInterchange
import CaseJSON
import CaseNCMEC
import CaseMapping
import CaseValidation
import CaseXML
public import Logging
#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// reader → mapping → validation → writer | quarantine, for every input of a run.
///
/// Each input is read twice, streaming: the first pass hashes it (SHA-256 before anything is written), proves the
/// document readable and collects the compact hashes of the entity ids it declares (the universe references
/// resolve against); the second pass maps, validates, writes or quarantines each record, re-hashing the bytes to
/// prove the input did not change underneath. Memory holds one record at a time plus 8 bytes per entity id.
public final class Pipeline {
  /// The options of the run.
  public let options: RunOptions
  private let logger: Logger
  /// Hashes of ids that the run's inputs declare more than once (found in the sorted universe), and those of
  /// them already accepted: only ids that can be duplicates are remembered.
  private var repeatedIDs: [UInt64] = []
  private var acceptedRepeatedIDs = Set<UInt64>()
  private var seenInputs: [String: Int] = [:]
  /// 8-byte hashes of the entity ids every input of the run declares (sorted after phase A).
  private var universe: [UInt64] = []
  /// Keyed entities accepted in this run (profile `key`): id hash → content hash and first occurrence. A keyed
  /// entity seen again with the same content is not written again; with other content the later record is
  /// quarantined (`record.duplicate-key`). The one piece of run state that grows with the number of distinct
  /// keys: 8 bytes of id hash + 8 of content hash + 8 of location (input, line) per key, plus the dictionary's
  /// overhead; measured under 100 bytes of peak RSS per key (README, Record keys).
  private var keyedSeen: [UInt64: KeyedOccurrence] = [:]
  /// Values of profile `unique` constraints accepted in this run: value hash → first occurrence (input, line).
  /// Grows with the number of distinct constrained values: 8 bytes of hash + 8 of location per value.
  private var uniqueSeen: [UInt64: KeyedOccurrence] = [:]

  /// Where and with which content a keyed entity was first accepted.
  struct KeyedOccurrence {
    /// 8-byte hash of the entity's canonical JSON without `provenance`.
    var content: UInt64
    /// Index of the input among the run's inputs.
    var input: Int32
    /// 1-based line where the record starts (saturated at UInt32.max).
    var line: UInt32
  }

  /// An input after phase A.
  enum Prepared {
    /// Nothing more to do: skipped, duplicate, or rejected whole.
    case done(InputReport)
    /// Readable: phase B reads it again.
    case ready(PreparedInput)
  }

  struct PreparedInput {
    var report: InputReport
    var actualPath: String
    var spooled: String?
    var format: FormatID
    var context: FormatRegistry.ReaderContext
    var mappingProfile: MappingProfile?
    var sha: String
    var quarantine: InputQuarantine
  }
  private var outputs: OutputSet?
  private var writer: (any RecordWriter)?
  private var validator: Validator
  private var profile: MappingProfile?
  /// Profiles of single inputs (`RunOptions.inputProfilePaths`), by input index.
  private var inputProfiles: [Int: MappingProfile] = [:]
  private var defaultCSVProfile: MappingProfile?
  /// Where the run is, for a progress display (`RunProgress`); nil (the default) costs one nil check per record.
  public var progress: RunProgress?
  /// The store of an `import` run, and what its inputs tell it about the run.
  private let store: (any StoreSink)?
  private var runID = ""
  private var runStartedAt = Instant(seconds: 0)
  private var configurationSha256 = ""
  /// Renders the finished report as the page `RunOptions.reportHTMLPath` names (CaseReport's `HTMLReport`; the CLI
  /// sets it). Called once, after the last input, before the JSON report is written.
  public var renderHTMLReport: ((_ report: RunReport, _ path: String) -> [UInt8])?

  /// Creates a pipeline. `writer` receives the accepted entities of a run that writes no output file (e.g. an
  /// in-memory collector); `convert` makes its own writer.
  public init(options: RunOptions, logger: Logger, writer: (any RecordWriter)? = nil, store: (any StoreSink)? = nil) {
    self.options = options
    self.logger = logger
    self.writer = writer
    self.store = store
    validator = Validator(options: ValidationOptions(now: options.now ?? clockNow()))
    validator.options.isProduction = options.production
  }

  /// Creates a pipeline that logs nothing (library use and tests).
  public convenience init(options: RunOptions, store: (any StoreSink)? = nil) {
    self.init(options: options, logger: Logger(label: "casebridge", factory: { _ in SwiftLogNoOpLogHandler() }), store: store)
  }

  /// Runs every input and returns the report (also written to `reportPath`). Never throws: every failure is
  /// mapped into the report and its exit code.
  public func run() -> RunReport {
    let started = clockNow()
    let runID = options.runID ?? makeRunID(started)
    let configJSON = options.configuration
    var jw = JSONWriter()
    jw.write(configJSON)
    var report = RunReport(
      runID: runID, command: options.command, startedAt: started, finishedAt: started,
      configurationSha256: sha256Hex(jw.bytes), configuration: configJSON)
    self.runID = runID
    runStartedAt = started
    configurationSha256 = report.configurationSha256

    // Outputs that would replace an input, each other or a non-regular file: refused before anything is read or
    // written (no report file either: its path may be the problem).
    if let e = checkOutputPaths(options) {
      report.error = e.description
      report.exitCode = e.exitCode
      report.finishedAt = clockNow()
      return report
    }

    // The run's profile (index -1), then the profiles of single inputs.
    let profilePaths: [(Int, String)] =
      (options.profilePath.map { [(-1, $0)] } ?? []) + options.inputProfilePaths.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    for (index, path) in profilePaths {
      let loaded: MappingProfile
      do {
        loaded = try loadProfile(path)
      } catch {
        report.error = error.description
        report.exitCode = 78
        return finish(report)
      }
      if let from = options.from, !loaded.layout.formats.contains(from) {
        report.error = "\(path): profile layout '\(loaded.layout.rawValue)' does not read format '\(from.rawValue)' [profile.layout-mismatch]"
        report.exitCode = 78
        return finish(report)
      }
      if index < 0 { profile = loaded } else { inputProfiles[index] = loaded }
    }

    if options.command == "convert", let to = options.to {
      do {
        guard
          let made = try EntityOutput.make(
            format: to, target: options.output ?? "-", entityFilter: options.entityFilter, neutralise: options.neutralise)
        else {
          report.error = "format '\(to.rawValue)' has no writer in this build [format.unsupported]"
          report.exitCode = 64
          return finish(report)
        }
        writer = made.writer
        outputs = made.set
      } catch {
        report.error = error.description
        report.exitCode = 73
        return finish(report)
      }
    }

    let runDirectory = options.quarantineDirectory.map { "\($0)/\(runID)" }
    if let runDirectory {
      var st = stat()
      if stat(runDirectory, &st) == 0 {
        report.error = "\(runDirectory): quarantine run directory already exists; nothing is ever overwritten [output.cannot-create]"
        report.exitCode = 73
        return finish(report)
      }
    }
    // Phase A: hash every input, prove it readable and collect the ids it declares; phase B: map, validate,
    // write or quarantine. References resolve against the ids of all inputs of the run.
    var prepared: [Prepared] = []
    for (i, path) in options.inputs.enumerated() {
      prepared.append(prepare(index: i, path: path, runDirectory: runDirectory))
    }
    universe.sort()
    var previous: UInt64? = nil
    for h in universe {
      if h == previous, repeatedIDs.last != h { repeatedIDs.append(h) }
      previous = h
    }
    for p in prepared {
      let r: InputReport
      switch p {
      case .done(let done): r = done
      case .ready(let input):
        var processed = process(input)
        processed.incomplete = processed.rules.keys.contains { RuleCatalogue.incompleteInput.contains($0) }
        r = processed
      }
      logger.info("input done", metadata: [
        "input": "\(r.index)", "sha256": "\(r.sha256 ?? "-")", "disposition": "\(r.disposition.rawValue)",
        "read": "\(r.read)", "accepted": "\(r.accepted)", "quarantined": "\(r.quarantined)",
      ])
      report.inputs.append(r)
    }
    progress?.idle()
    for p in prepared { if case .ready(let input) = p, let s = input.spooled { removeSpool(s) } }

    if let set = outputs, var w = writer {
      do {
        try w.finish()
        writer = w
        var warnings: [String] = []
        if let csv = w as? CSVEntityWriter, csv.skipped > 0, let only = options.entityFilter {
          warnings.append("\(csv.skipped) entities of types other than \(only.rawValue) were not written (--entity)")
        }
        if let r = w as? any WarningReportingWriter { warnings += r.writerWarnings }
        report.outputs += try set.commit(format: options.to!, counts: w.counts, warnings: warnings)
      } catch let e as OutputError {
        report.error = e.description
      } catch {
        report.error = "output write failed [output.io-error]"
      }
    }
    report.exitCode = exitCode(for: report)
    return finish(report)
  }

  private func loadProfile(_ path: String) throws(ProfileError) -> MappingProfile {
    let bytes: [UInt8]
    do {
      guard let all = try readSmallFile(path, limit: 4 << 20) else {
        throw ProfileError(source: path, line: 1, column: 1, message: "profile is larger than 4 MiB", rule: "profile.invalid")
      }
      bytes = all
    } catch let e as ProfileError {
      throw e
    } catch let e as FormatError where e.rule == "input.not-regular-file" {
      // Opened without blocking and checked on the descriptor: a FIFO never hangs the run.
      throw ProfileError(source: path, line: 1, column: 1, message: "the profile is not a regular file", rule: "profile.unreadable")
    } catch {
      throw ProfileError(source: path, line: 1, column: 1, message: "cannot read the profile", rule: "profile.unreadable")
    }
    var profile = try ProfileLoader.load(bytes: bytes, source: path, sha256: sha256Hex(bytes))
    profile.now = runNow
    return profile
  }

  /// "Now" for the run's rules and profile constraints: `--now`, else the clock when the pipeline was made.
  private var runNow: Instant { validator.options.now }

  /// The profile for a mapped input: the input's own or the run's, or the built-in default for the format.
  private func profile(for format: FormatID, given: MappingProfile?) -> MappingProfile? {
    if let given { return given }
    guard format == .csv else { return nil }
    if defaultCSVProfile == nil {
      let bytes = Array(DefaultProfiles.csvJSON.utf8)
      defaultCSVProfile = try? ProfileLoader.load(bytes: bytes, source: "default-csv.json", sha256: sha256Hex(bytes))
      defaultCSVProfile?.now = runNow
    }
    return defaultCSVProfile
  }

  private func finish(_ report: RunReport) -> RunReport {
    var report = report
    report.finishedAt = clockNow()
    store?.finishRun(report)
    if let path = options.reportHTMLPath, let render = renderHTMLReport {
      do throws(OutputError) {
        try writeFileAtomically(path, render(report, path))
      } catch {
        report.error = (report.error.map { $0 + "; " } ?? "") + error.description
        report.exitCode = mostSevere([report.exitCode, error.exitCode])
      }
    }
    if let path = options.reportPath {
      do throws(OutputError) {
        try writeReport(report, to: path)
      } catch {
        report.error = (report.error.map { $0 + "; " } ?? "") + error.description
        report.exitCode = mostSevere([report.exitCode, error.exitCode])  // 73 cannot create, 74 I/O
      }
    }
    return report
  }

  // MARK: one input

  private func prepare(index: Int, path: String, runDirectory: String?) -> Prepared {
    let prepared = prepareInput(index: index, path: path, runDirectory: runDirectory)
    if case .done = prepared, let s = spooledPath { removeSpool(s) }
    spooledPath = nil
    return prepared
  }

  private var spooledPath: String?

  private func prepareInput(index: Int, path: String, runDirectory: String?) -> Prepared {
    var r = InputReport(index: index, path: path)
    let profile = inputProfiles[index] ?? self.profile
    var spooled: String? = nil
    let actual: String
    if path == "-" {
      do {
        spooled = try spoolStandardInput()
      } catch {
        return .done(skipped(r, "input.unreadable", "cannot read standard input"))
      }
      actual = spooled!
      spooledPath = spooled
    } else {
      var st = stat()
      guard stat(path, &st) == 0 else { return .done(skipped(r, "input.unreadable", "input does not exist or cannot be read (errno \(errno))")) }
      guard (st.st_mode & S_IFMT) == S_IFREG else { return .done(skipped(r, "input.not-regular-file", "input is not a regular file")) }
      actual = path
    }
    var st = stat()
    if options.limits.maxInputBytes > 0, stat(actual, &st) == 0, Int(st.st_size) > options.limits.maxInputBytes {
      r.disposition = .rejected
      r.bytes = Int(st.st_size)
      r.error = Diagnostic(rule: "input.too-large", severity: .error, message: "input is larger than the \(options.limits.maxInputBytes)-byte limit; not read", location: SourceLocation(source: path))
      r.rules["input.too-large"] = 1
      return .done(r)
    }
    let file: ChunkedFile
    do { file = try ChunkedFile(path: actual) } catch { return .done(skipped(r, error.rule, error.message)) }

    // Format.
    let format: FormatID
    if let f = options.from {
      format = f
    } else if let p = profile, let f = p.layout.formats.first, p.layout.formats.count == 1 {
      format = f  // the profile's layout decides
      r.formatInferred = true
    } else {
      do {
        switch try FormatRegistry.infer(path: path, file: file) {
        case .format(let f, _): format = f
        case .unknown:
          r.formatInferred = true
          return .done(hashOnly(rejectedUnknown(r), file, profile: profile))
        }
      } catch {
        return .done(skipped(r, error.rule, error.message))
      }
      r.formatInferred = true
    }
    r.format = format
    // Mapped formats always go through a profile (the default one when none is given); tree formats (json, jsonl,
    // xml) only when the input's or the run's profile has a layout for them, else they are read as CaseBridge's own
    // format.
    let mappingProfile = FormatRegistry.mapped.contains(format)
      ? self.profile(for: format, given: profile) : profile.flatMap { $0.layout.formats.contains(format) ? $0 : nil }
    if let p = mappingProfile {
      r.profileID = p.id
      r.profileSha256 = p.sha256
    }
    var context = FormatRegistry.ReaderContext(sourceName: path, limits: options.limits)
    context.profile = mappingProfile
    context.encoding = options.encoding
    context.isDefaultProfile = profile == nil
    context.unneutralises = options.neutralise
    guard FormatRegistry.canRead(format) else {
      var s = skipped(r, "format.unsupported", "this build has no reader for format '\(format.rawValue)'")
      s.format = format
      return .done(hashOnly(s, file, profile: mappingProfile))
    }

    // Pass 1: hash, prove readable, collect the id universe.
    let hasher = HasherBox()
    file.rewind()
    if let progress {
      var size = stat()
      progress.begin(.scanning, input: index, size: stat(actual, &size) == 0 ? Int(size.st_size) : nil)
      file.onChunk = {
        hasher.update($0)
        progress.scanned(hasher.bytes)
      }
    } else {
      file.onChunk = { hasher.update($0) }
    }
    var declared: [UInt64] = []
    var recordsBeforeFailure = 0
    var fatal: FormatError? = nil
    var reader: any RecordReader
    do throws(FormatError) {
      var prescanContext = context
      prescanContext.prescan = true
      reader = try FormatRegistry.reader(for: format, file: file, context: prescanContext)!
      while let o = try reader.next() {
        switch o {
        case .record(let rec):
          recordsBeforeFailure += 1
          for id in rec.declaredIDs { declared.append(DeterministicID.compactHash(id)) }
          for e in rec.entities where !e.id.rawValue.isEmpty { declared.append(DeterministicID.compactHash(e.id)) }
        case .rejected: recordsBeforeFailure += 1
        case .ignored: break
        }
        if options.limits.maxInputBytes > 0 && hasher.bytes > options.limits.maxInputBytes {
          throw FormatError(rule: "input.too-large", message: "input is larger than the \(options.limits.maxInputBytes)-byte limit", location: SourceLocation(source: path))
        }
      }
    } catch {
      fatal = error
      if error.rule != "input.too-large" {
        do throws(FormatError) { while !(try file.nextChunk()).isEmpty {} } catch { return .done(skipped(r, error.rule, error.message)) }
      }
    }
    let sha = hasher.hex()
    // An input over the size limit is not read to its end, so its hash would describe a prefix: none is reported.
    let complete = fatal?.rule != "input.too-large"
    r.sha256 = complete ? sha : nil
    r.bytes = complete ? hasher.bytes : nil
    if complete, let empty = emptyDelivery(r, hasher, allowed: mappingProfile?.allowEmpty == true) {
      seenInputs[sha] = seenInputs[sha] ?? index
      return .done(empty)
    }
    if complete, let first = seenInputs[sha] {
      r.disposition = .duplicate
      r.rules["input.duplicate"] = 1
      r.error = Diagnostic(rule: "input.duplicate", severity: .info, message: "same SHA-256 as input \(first); not processed again", location: SourceLocation(source: path))
      return .done(r)
    }
    seenInputs[sha] = index
    if complete, fatal == nil, let store {
      do {
        if try store.alreadyProcessed(inputSha256: sha, profileSha256: mappingProfile?.sha256 ?? "", parserVersion: ParserVersion.current) {
          // Its ids still resolve references of the run's other inputs, as if it had been read again.
          universe += declared
          r.disposition = .duplicate
          r.rules["input.duplicate"] = 1
          r.error = Diagnostic(
            rule: "input.duplicate", severity: .info,
            message: "already in the store (same SHA-256, profile and parser version); nothing added",
            location: SourceLocation(source: path))
          return .done(r)
        }
      } catch {
        return .done(storeFailed(r, error))
      }
    }
    let quarantine = InputQuarantine(
      runDirectory: runDirectory, index: index, inputPath: path, format: format,
      framing: FormatRegistry.framing(for: format), inputSha256: sha, includeValues: options.includeValues,
      // Standard input is always copied: its spool, removed at the end of the run, is the only other copy.
      copyLimit: path == "-" ? .max : options.quarantineCopyLimit)

    if let fatal {
      return .done(rejectWhole(r, fatal, recordsBeforeFailure, quarantine, file, copy: fatal.rule != "input.too-large"))
    }
    universe += declared
    return .ready(PreparedInput(
      report: r, actualPath: actual, spooled: spooled, format: format, context: context,
      mappingProfile: mappingProfile, sha: sha, quarantine: quarantine))
  }

  private func process(_ input: PreparedInput) -> InputReport {
    // Into a store, each input is one delivery: a key seen in an earlier input of the run is the store's to
    // version (a later file's changed row is a new version), so the in-run key check spans one input only.
    if store != nil { keyedSeen.removeAll(keepingCapacity: true) }
    var r = input.report
    let path = r.path
    let index = r.index
    let format = input.format
    var context = input.context
    let mappingProfile = input.mappingProfile
    let sha = input.sha
    let quarantine = input.quarantine
    let file: ChunkedFile
    do { file = try ChunkedFile(path: input.actualPath) } catch { return skipped(r, error.rule, error.message) }
    var reader: any RecordReader

    // Pass 2: map, validate, write or quarantine.
    let writerCheckpoint: WriterCheckpoint?
    let outputCheckpoint: [String: Int]
    do {
      try writer?.flush()
      writerCheckpoint = writer?.checkpoint
      outputCheckpoint = outputs?.checkpoint() ?? [:]
    } catch {
      return skipped(r, "output.io-error", "cannot write output")
    }
    if let store {
      do {
        try store.beginInput(StoreInput(
          runID: runID, command: options.command, configurationSha256: configurationSha256, runStartedAt: runStartedAt,
          index: index, name: path == "-" ? "-" : baseName(path), sha256: sha, bytes: r.bytes ?? 0, format: format,
          profileID: mappingProfile?.id, profileSha256: mappingProfile?.sha256 ?? "", parserVersion: ParserVersion.current))
      } catch {
        return storeFailed(r, error)
      }
    }
    let hasher2 = HasherBox()
    file.onChunk = { hasher2.update($0) }
    let deriver = DeterministicID.Deriver(inputSha256: sha)
    context.idFor = { record, ordinal in deriver.id(record: record, ordinal: ordinal) }
    do {
      reader = try FormatRegistry.reader(for: format, file: file, context: context)!
    } catch {
      return rejectWhole(r, error, 0, quarantine, file, copy: true)
    }
    let sourceName = path == "-" ? "-" : baseName(path)
    let progress = self.progress
    progress?.begin(.processing, input: index, size: r.bytes)
    var pending: [UInt64] = []
    let universe = self.universe
    let validator = self.validator
    let validates = options.validate
    let store = self.store
    let provenanceFormat = format.rawValue
    var lastRecordEnd = 0  // XML framing: where the last record ends
    // Reading, mapping, decoding, ids, provenance and the semantic rules (which depend on the record and on the
    // id universe of phase A only) run on a second thread, ahead of the run-wide checks, writing and quarantine on
    // this one.
    let ahead = ReadAhead(reader) { outcome -> (ReadOutcome, [Finding]) in
      guard case .record(var rec) = outcome else { return (outcome, []) }
      for k in rec.entities.indices {
        if rec.entities[k].id.rawValue.isEmpty {
          rec.entities[k].id = deriver.id(record: rec.index, ordinal: k)
        }
        if rec.entities[k].provenance.isEmpty {
          rec.entities[k].provenance = [Provenance(
            sourceFormat: provenanceFormat, sourceName: sourceName, sourceSha256: sha, record: rec.index,
            line: rec.span.line, byteOffset: rec.span.byteOffset, byteLength: rec.span.byteLength, pointer: rec.pointer,
            profileId: mappingProfile?.id, profileSha256: mappingProfile?.sha256)]
        }
      }
      guard validates else { return (.record(rec), []) }
      let own = Set(rec.entities.map(\.id))
      let findings = validator.validate(rec.entities, resolves: { id in
        own.contains(id) || binarySearch(universe, DeterministicID.compactHash(id)) || (store?.contains(entityID: id) ?? false)
      })
      return (.record(rec), findings)
    }
    do {
      while let (o, findings) = try ahead.next() {
        if case .xmlDocument = quarantine.framing {
          let span: SourceSpan? = switch o { case .record(let rec): rec.span; case .rejected(let i): i.span; case .ignored: nil }
          if let span {
            if lastRecordEnd == 0 { try quarantine.setXMLPrefix(before: span, from: file) }
            lastRecordEnd = span.byteOffset + span.byteLength
          }
        }
        switch o {
        case .ignored(let s):
          r.ignored += 1
          if s.kind == "header" || s.kind == "bom" { try quarantine.addContext(s.span, from: file) }
          if let d = s.diagnostic { try emit(d, nil, &r, quarantine) }
          if let progress { progress.processed(upTo: s.span, r) }
        case .rejected(let issue):
          r.read += 1
          r.quarantined += 1
          try quarantine.reject(issue.span, from: file)
          // A keyed record's key, when the reader knew it, goes with every finding of the record.
          let recordKey = issue.diagnostics.lazy.compactMap(\.location.recordKey).first
          let slice = store == nil ? nil : try sliceSha256(issue.span, file)
          for var d in issue.diagnostics {
            if d.location.recordKey == nil { d.location.recordKey = recordKey }
            try emit(spanned(d, issue.span, issue.index), nil, &r, quarantine, slice: slice)
          }
          if let progress { progress.processed(upTo: issue.span, r) }
        case .record(var rec):
          r.read += 1
          let recordKey = rec.recordKey
          let entities = rec.entities
          var diagnostics = rec.diagnostics
          pending.removeAll(keepingCapacity: true)
          // Keyed entities: one id per key for the whole run. Seen before with the same content → not written again;
          // with other content → the record is quarantined, naming where the key was first seen.
          let keyed = keyCheck(rec, index: index, path: path)
          diagnostics += keyed.findings
          // Profile `unique` constraints: a value an earlier accepted record of the run holds quarantines this one.
          for claim in rec.uniqueClaims {
            guard let seen = uniqueSeen[claim.hash] else { continue }
            let i = Int(seen.input)
            let name = i < options.inputs.count ? (options.inputs[i] == "-" ? "-" : baseName(options.inputs[i])) : "?"
            let first = "first accepted at \(name):\(seen.line) (input \(i) of this run); the first occurrence is kept"
            diagnostics.append(Diagnostic(
              rule: claim.rule, severity: .error,
              message: claim.message.map { "\(claim.field): \($0) (\(first))" } ?? "\(claim.field): value is not unique: \(first)",
              location: SourceLocation(source: path, record: rec.index, line: claim.line, column: claim.column, field: claim.field)))
          }
          if validates {
            // Run-wide: an id seen in an earlier record of this run (keyed entities repeat by design: checked above).
            for (k, e) in entities.enumerated() where !rec.entityKeys.contains(where: { $0.ordinal == k }) {
              let h = DeterministicID.compactHash(e.id)
              if pending.contains(h) || (binarySearch(repeatedIDs, h) && acceptedRepeatedIDs.contains(h)) {
                diagnostics.append(located(rec, k, entities.count, Finding(
                  rule: "record.duplicate-id", severity: .error, message: "entity id was already seen in this run",
                  entity: k, field: "/id", value: e.id.rawValue), path))
              }
              pending.append(h)
            }
            for f in findings { diagnostics.append(located(rec, f.entity, entities.count, f, path)) }
          }
          let recordID = entities.first?.id
          var slice: String? = nil
          if diagnostics.contains(where: { $0.severity == .error }) {
            r.quarantined += 1
            try quarantine.reject(rec.span, from: file)
            if store != nil { slice = try sliceSha256(rec.span, file) }
          } else {
            r.accepted += 1
            for h in pending where binarySearch(repeatedIDs, h) { acceptedRepeatedIDs.insert(h) }
            for (h, seen) in keyed.new { keyedSeen[h] = seen }
            for claim in rec.uniqueClaims where uniqueSeen[claim.hash] == nil {
              uniqueSeen[claim.hash] = KeyedOccurrence(content: 0, input: Int32(clamping: index), line: UInt32(clamping: rec.span.line))
            }
            // From here on the record is what is written (and what a store receives).
            if !keyed.repeated.isEmpty { rec.dropEntities(keyed.repeated) }
            for e in rec.entities { r.entities[e.type, default: 0] += 1 }
            try writer?.write(rec.entities)
            try store?.accept(rec.entities, recordIndex: rec.index, span: rec.span, entityKeys: rec.entityKeys)
          }
          for var d in diagnostics {
            d.location.recordKey = recordKey
            try emit(spanned(d, rec.span, rec.index), recordID, &r, quarantine, slice: slice)
          }
          if let progress { progress.processed(upTo: rec.span, r) }
        }
      }
      reader = ahead.reader
      r.encoding = (reader as? any EncodingReporting)?.encodingName
      if hasher2.hex() != sha {
        throw FormatError(rule: "input.changed", message: "the input's SHA-256 changed while it was processed", location: SourceLocation(source: path))
      }
      if case .xmlDocument = quarantine.framing { try quarantine.finishXML(after: lastRecordEnd, inputSize: hasher2.bytes, from: file) }
      try quarantine.finish()
      if let store {
        let counts = try store.commitInput(r)
        r.inserted = counts.inserted
        r.updated = counts.updated
        r.unchanged = counts.unchanged
      }
    } catch {
      ahead.stop()  // the file and the reader are this thread's again
      // Take back everything this input wrote, then reject it whole.
      store?.rollbackInput()
      quarantine.discard()
      do {
        try outputs?.rollback(to: outputCheckpoint)
        if let c = writerCheckpoint { writer?.rollback(to: c) }
      } catch {}
      let f: FormatError
      switch error {
      case let e as FormatError: f = e
      case let e as OutputError: f = FormatError(rule: e.rule, message: e.message, location: SourceLocation(source: path))
      case let e as any StoreFailure: f = FormatError(rule: e.rule, message: e.message, location: SourceLocation(source: path))
      default: f = FormatError(rule: "output.io-error", message: "writing failed", location: SourceLocation(source: path))
      }
      for (k, _) in r.entities { r.entities[k] = 0 }
      let count = r.read
      var fresh = InputReport(index: index, path: path)
      fresh.sha256 = r.sha256
      fresh.bytes = r.bytes
      fresh.format = r.format
      fresh.formatInferred = r.formatInferred
      return rejectWhole(fresh, f, count, quarantine, file, copy: f.rule != "input.changed")
    }
    r.quarantineFiles = quarantine.files
    return r
  }

  /// The run-wide key check of one record: its keyed entities already accepted with the same content (ordinals, not
  /// written again), those new to the run (remembered once the record is accepted), and a `record.duplicate-key`
  /// finding per keyed entity whose key was accepted before with other content.
  private func keyCheck(_ rec: SourceRecord, index: Int, path: String) -> (repeated: Set<Int>, new: [(UInt64, KeyedOccurrence)], findings: [Diagnostic]) {
    guard !rec.entityKeys.isEmpty else { return ([], [], []) }
    var repeated = Set<Int>()
    var new: [(UInt64, KeyedOccurrence)] = []
    var findings: [Diagnostic] = []
    let here = KeyedOccurrence(content: 0, input: Int32(clamping: index), line: UInt32(clamping: rec.span.line))
    for key in rec.entityKeys where key.ordinal < rec.entities.count {
      let e = rec.entities[key.ordinal]
      let h = DeterministicID.compactHash(e.id)
      let content = contentHash(e)
      if let seen = keyedSeen[h] ?? new.first(where: { $0.0 == h })?.1 {
        if seen.content == content {
          repeated.insert(key.ordinal)
        } else {
          // The file by its name (as provenance names it) and its position in the run, so messages do not depend on
          // where the run was started.
          let i = Int(seen.input)
          let name = i < options.inputs.count ? (options.inputs[i] == "-" ? "-" : baseName(options.inputs[i])) : "?"
          findings.append(located(rec, key.ordinal, rec.entities.count, Finding(
            rule: "record.duplicate-key", severity: .error,
            message: "\(e.type.rawValue) key was first seen at \(name):\(seen.line) (input \(i) of this run) with different content; the first occurrence is kept",
            entity: key.ordinal, field: "/id", value: nil), path))
        }
      } else {
        var occurrence = here
        occurrence.content = content
        new.append((h, occurrence))
      }
    }
    return (repeated, new, findings)
  }

  private func located(_ rec: SourceRecord, _ entity: Int, _ count: Int, _ f: Finding, _ path: String) -> Diagnostic {
    var field = f.field
    if count > 1 { field = "/\(entity)" + (f.field ?? "") }  // several entities from one record: entity ordinal first
    // A mapped record names the source field (the CSV column) and points at its line and column.
    if let p = f.field, let o = rec.origins.filter({ $0.entity == entity && (p == $0.pointer || p.hasPrefix($0.pointer + "/") || $0.pointer.hasPrefix(p + "/")) })
      .max(by: { $0.pointer.count < $1.pointer.count })
    {
      return Diagnostic(
        rule: f.rule, severity: f.severity, message: f.message,
        location: SourceLocation(source: path, record: rec.index, line: o.line, column: o.column,
          byteOffset: rec.span.byteOffset, byteLength: rec.span.byteLength, field: o.field),
        value: f.value)
    }
    return Diagnostic(
      rule: f.rule, severity: f.severity, message: f.message,
      location: SourceLocation(source: path, record: rec.index, line: rec.span.line, column: rec.span.column,
        byteOffset: rec.span.byteOffset, byteLength: rec.span.byteLength, field: field),
      value: f.value)
  }

  /// Record-scoped findings carry the record's byte span (what quarantine holds); line and column keep pointing at
  /// the field when the reader located one.
  private func spanned(_ d: Diagnostic, _ span: SourceSpan, _ index: Int) -> Diagnostic {
    var d = d
    d.location.record = index
    d.location.byteOffset = span.byteOffset
    d.location.byteLength = span.byteLength
    if d.location.line == nil {
      d.location.line = span.line
      d.location.column = span.column
    }
    return d
  }

  private func emit(_ d: Diagnostic, _ recordID: EntityID?, _ r: inout InputReport, _ q: InputQuarantine, slice: String? = nil) throws {
    r.rules[d.rule, default: 0] += 1
    if d.severity == .warning { r.warnings += 1 }
    try q.record(d, recordID: recordID)
    try store?.finding(d, recordID: recordID, recordKey: d.location.recordKey, sliceSha256: slice)
    logger.debug("finding", metadata: ["rule": "\(d.rule)", "at": "\(d.rendered)"])
  }

  private func rejectWhole(_ r: InputReport, _ f: FormatError, _ count: Int, _ q: InputQuarantine, _ file: ChunkedFile, copy: Bool) -> InputReport {
    var r = r
    r.disposition = .rejected
    r.read = count
    r.accepted = 0
    r.quarantined = count
    let d = Diagnostic(rule: f.rule, severity: .error, message: f.message, location: f.location)
    r.error = d
    r.rules[f.rule, default: 0] += 1
    do {
      // Above the quarantine's copy limit the input is referenced, not copied.
      if copy { try q.rejectWhole(from: file, bytes: r.bytes) }
      try q.record(d, recordID: nil)
      try q.finish()
    } catch {
      // One rule: cannot-create (exit 73) or io-error (exit 74), as the quarantine failed.
      r.error = Diagnostic(rule: error.rule, severity: .error, message: "cannot write quarantine: \(error.message)", location: f.location)
    }
    r.quarantineFiles = q.files
    return r
  }

  /// SHA-256 of a quarantined record's original bytes, re-read from the input (the store's `slice_sha256`).
  private func sliceSha256(_ span: SourceSpan, _ file: ChunkedFile) throws -> String {
    var h = SHA256Hasher()
    try file.forEachPiece(at: span.byteOffset, length: span.byteLength) { h.update($0) }
    return h.hex()
  }

  /// An input the store could not take: rejected whole with the store's rule (its exit code follows the rule).
  private func storeFailed(_ r: InputReport, _ error: any Error) -> InputReport {
    var r = r
    let rule = (error as? any StoreFailure)?.rule ?? "store.io-error"
    let message = (error as? any StoreFailure)?.message ?? "the store failed"
    r.disposition = .rejected
    r.read = 0
    r.accepted = 0
    r.quarantined = 0
    r.error = Diagnostic(rule: rule, severity: .error, message: message, location: SourceLocation(source: r.path))
    r.rules[rule, default: 0] += 1
    return r
  }

  private func skipped(_ r: InputReport, _ rule: String, _ message: String) -> InputReport {
    var r = r
    r.disposition = .skipped
    r.error = Diagnostic(rule: rule, severity: .error, message: message, location: SourceLocation(source: r.path))
    r.rules[rule, default: 0] += 1
    return r
  }

  private func rejectedUnknown(_ r: InputReport) -> InputReport {
    var r = r
    r.disposition = .rejected
    let m = "the input's format cannot be inferred from its name or content; give --from"
    r.error = Diagnostic(rule: "format.unknown", severity: .error, message: m, location: SourceLocation(source: r.path))
    r.rules["format.unknown", default: 0] += 1
    return r
  }

  /// Fills in SHA-256 and size for an input that is not read record by record. An empty delivery is that rather
  /// than a format problem: a blank `.json` has no content to infer a format from.
  private func hashOnly(_ r: InputReport, _ file: ChunkedFile, profile: MappingProfile? = nil) -> InputReport {
    var r = r
    let h = HasherBox()
    file.rewind()
    file.onChunk = { h.update($0) }
    do { while !(try file.nextChunk()).isEmpty {} } catch { return r }
    r.sha256 = h.hex()
    r.bytes = h.bytes
    if let empty = emptyDelivery(r, h, allowed: profile?.allowEmpty == true) { return empty }
    return r
  }

  /// An empty delivery (0 bytes, or only a byte order mark and whitespace) is not a clean success: a nightly job
  /// must not report it as fine. It is rejected whole (`input.empty`, exit 65) unless the run (`--allow-empty`) or
  /// the input's profile (`allowEmpty`) expects it, and then it is a processed input with 0 records, whatever its
  /// format's reader would say about no content. Nil when the input has content.
  private func emptyDelivery(_ r: InputReport, _ hasher: HasherBox, allowed: Bool) -> InputReport? {
    guard hasher.blank else { return nil }
    var r = r
    r.rules = [:]
    r.error = nil
    r.read = 0
    r.accepted = 0
    r.quarantined = 0
    r.ignored = 0
    r.warnings = 0
    if options.allowEmpty || allowed {
      r.disposition = .processed
      return r
    }
    r.disposition = .rejected
    r.rules["input.empty"] = 1
    r.error = Diagnostic(
      rule: "input.empty", severity: .error,
      message: hasher.bytes == 0
        ? "the input is empty (0 bytes); an empty delivery is expected only with --allow-empty or a profile's allowEmpty"
        : "the input holds only a byte order mark or whitespace; an empty delivery is expected only with --allow-empty or a profile's allowEmpty",
      location: SourceLocation(source: r.path, line: 1, column: 1, byteOffset: 0))
    return r
  }

  // MARK: exit codes

  private func exitCode(for report: RunReport) -> Int32 {
    var codes: [Int32] = [0]
    if let e = report.error { codes.append(e.contains("output.io-error") ? 74 : 73) }
    for i in report.inputs {
      switch i.disposition {
      case .processed: codes.append(i.quarantined > 0 || i.incomplete ? 1 : 0)
      case .duplicate: codes.append(0)
      case .rejected, .skipped:
        switch i.error?.rule ?? "" {
        case "input.unreadable", "input.not-regular-file": codes.append(66)
        case "input.io-error", "input.changed", "output.io-error": codes.append(74)
        case "output.cannot-create", "output.not-regular", "store.cannot-create": codes.append(73)
        case "store.io-error": codes.append(74)
        case "store.unreadable", "store.too-new", "store.permissions": codes.append(78)
        default: codes.append(65)
        }
      }
    }
    return mostSevere(codes)
  }
}

extension SourceRecord {
  /// Leaves out the entities at `ordinals` (keyed entities already written in this run), renumbering the keys and
  /// field origins of the others.
  mutating func dropEntities(_ ordinals: Set<Int>) {
    var renumbered = [Int?](repeating: nil, count: entities.count)
    var n = 0
    for k in entities.indices where !ordinals.contains(k) {
      renumbered[k] = n
      n += 1
    }
    entities = entities.indices.filter { !ordinals.contains($0) }.map { entities[$0] }
    entityKeys = entityKeys.compactMap { key in
      renumbered.indices.contains(key.ordinal) ? renumbered[key.ordinal].map { var k = key; k.ordinal = $0; return k } : nil
    }
    origins = origins.compactMap { o in
      renumbered.indices.contains(o.entity) ? renumbered[o.entity].map { var x = o; x.entity = $0; return x } : nil
    }
  }
}

/// The most severe exit code, in the order 64 > 78 > 75 > 70 > 74 > 73 > 66 > 65 > 1 > 0.
public func mostSevere(_ codes: [Int32]) -> Int32 {
  let order: [Int32] = [64, 78, 75, 70, 74, 73, 66, 65, 1, 0]
  for c in order where codes.contains(c) { return c }
  return codes.max() ?? 0
}

final class HasherBox {
  private var h = SHA256Hasher()
  private(set) var bytes = 0
  // Empty-delivery detection: the first three bytes (a byte order mark or not), and after them whether every byte
  // is whitespace or NUL, and where (even or odd offset) NULs and whitespace bytes were seen, so a UTF-16 input is
  // judged by whole code units. The scan stops at the first other byte, so it costs nothing on real inputs.
  private var head: [UInt8] = []
  private var tailBlank = true
  private var nul: (even: Bool, odd: Bool) = (false, false)
  private var space: (even: Bool, odd: Bool) = (false, false)
  func update(_ b: UnsafeRawBufferPointer) {
    h.update(b)
    if tailBlank {
      for k in 0..<b.count {
        let c = b[k]
        let at = bytes + k
        if at < 3 {
          head.append(c)
        } else if c == 0 {
          if at % 2 == 0 { nul.even = true } else { nul.odd = true }
        } else if c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D {
          if at % 2 == 0 { space.even = true } else { space.odd = true }
        } else {
          tailBlank = false
          break
        }
      }
    }
    bytes += b.count
  }
  /// Whether the input is an empty delivery: 0 bytes, or only a byte order mark and whitespace (space, tab, CR,
  /// LF; in whole UTF-16 code units when a UTF-16 byte order mark says so).
  var blank: Bool {
    guard tailBlank else { return false }
    func ws(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D }
    if head.count == 3 && head[0] == 0xEF && head[1] == 0xBB && head[2] == 0xBF {
      return !nul.even && !nul.odd
    }
    if head.count >= 2 && (head[0] == 0xFF && head[1] == 0xFE || head[0] == 0xFE && head[1] == 0xFF) {
      guard bytes % 2 == 0 else { return false }
      let littleEndian = head[0] == 0xFF
      // Code units from offset 2: LE has the whitespace byte at even offsets and NUL at odd ones; BE the reverse.
      let third = head.count == 3 ? head[2] : nil
      if littleEndian {
        return !space.odd && !nul.even && (third.map(ws) ?? true)
      }
      return !space.even && !nul.odd && (third.map { $0 == 0 } ?? true)
    }
    return !nul.even && !nul.odd && head.allSatisfy(ws)
  }
  func hex() -> String { h.hex() }
}

func binarySearch(_ a: [UInt64], _ x: UInt64) -> Bool {
  var lo = 0
  var hi = a.count
  while lo < hi {
    let mid = (lo + hi) / 2
    if a[mid] < x { lo = mid + 1 } else { hi = mid }
  }
  return lo < a.count && a[lo] == x
}

/// The current time from the system clock.
public func clockNow() -> Instant {
  var ts = timespec()
  clock_gettime(CLOCK_REALTIME, &ts)
  return Instant(seconds: Int64(ts.tv_sec), nanoseconds: Int32(ts.tv_nsec))
}

/// A run id: UTC start time plus 32 random bits, e.g. `20261129T054530Z-9f2c1a7e`.
func makeRunID(_ t: Instant) -> String {
  let iso = t.iso8601  // 2026-11-29T05:45:30Z or with fraction
  let compact = iso.prefix(19).filter { $0 != "-" && $0 != ":" } + "Z"
  var g = SystemRandomNumberGenerator()
  let r = UInt32.random(in: .min ... .max, using: &g)
  let hex = String(r, radix: 16)
  return compact + "-" + String(repeating: "0", count: 8 - hex.count) + hex
}

/// Copies standard input to a private temporary file (0600) and returns its path.
func spoolStandardInput() throws(OutputError) -> String {
  let dir = getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp"
  var template = Array("\(dir)/.casebridge-stdin-XXXXXX".utf8CString)
  let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
  guard fd >= 0 else { throw OutputError.create(dir) }
  defer { close(fd) }
  let path = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
  // Removed on every failure path (a full disk, a file size limit, a read error): no prefix of the evidence stays.
  var done = false
  defer { if !done { removeSpool(path) } }
  // A crash or an interrupt before the run removes it removes it too.
  _ = TemporaryFiles.remember(path)
  fchmod(fd, 0o600)
  let buf = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
  defer { buf.deallocate() }
  while true {
    let n = read(0, buf.baseAddress, buf.count)
    if n < 0 {
      if errno == EINTR { continue }
      throw OutputError.io("<stdin>")
    }
    if n == 0 { break }
    try writeAll(fd, UnsafeRawBufferPointer(rebasing: buf[0..<n]), path: path)
  }
  done = true
  return path
}

/// Removes the spool of standard input, and forgets it for the crash handler.
func removeSpool(_ path: String) {
  unlink(path)
  TemporaryFiles.forget(path: path)
}
