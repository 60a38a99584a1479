import ArgumentParser
import CaseBridge
import Logging
#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

struct RunArguments: ParsableArguments {
  @Argument(help: "Input files; '-' reads standard input.")
  var inputs: [String] = []

  @Option(help: "Input format (inferred from extension and content when absent).")
  var from: FormatID?

  @Option(help: "Mapping profile (JSON, Schemas/json/profile-1.0.schema.json). CSV inputs without one use the default profile.")
  var profile: String?

  @Option(help: "Declared text encoding of text inputs: utf-8, utf-16le, utf-16be, windows-1252, iso-8859-1.")
  var encoding: String?

  @Option(help: "Quarantine directory: rejected records and diagnostics go to DIR/<run-id>/.")
  var quarantine: String?

  @Option(help: "Write the run report (JSON) to this file.")
  var report: String?

  @Option(name: .customLong("report-html"), help: ArgumentHelp("Write the run report as a self-contained HTML page (no scripts; relative links to the quarantine).", valueName: "FILE"))
  var reportHTML: String?

  @Flag(help: "Turn the semantic rules off (syntax and field rules still quarantine), to measure their cost.")
  var noValidate = false

  @Flag(help: "Put offending values into diagnostics files (off by default: values are personal data).")
  var includeValues = false

  @Flag(help: "A production import: report documentation and test values (data.looks-like-fixture).")
  var production = false

  @Flag(help: "Empty deliveries are expected: an input of 0 bytes, or only a byte order mark and whitespace, is processed with 0 records instead of rejected (input.empty, exit 65).")
  var allowEmpty = false

  @Option(help: "\"Now\" for must-be-in-the-past rules, as YYYY-MM-DDTHH:MM:SSZ (default: SOURCE_DATE_EPOCH, else the clock).")
  var now: String?

  @Option(help: "Run id (default: UTC start time plus random bits). The quarantine directory is named after it.")
  var runId: String?

  @Option(help: "Largest record in bytes (1 to 1073741824).")
  var maxRecordBytes: Int = 16 << 20

  @Option(help: "Largest field (CSV cell, JSON string) in bytes (1 to 1073741824).")
  var maxFieldBytes: Int = 1 << 20

  @Option(help: "Deepest nesting of arrays and objects in a record (1 to 1024).")
  var maxDepth: Int = 64

  @Option(help: "Largest input in bytes (0: no limit; at most 1125899906842624).")
  var maxInputBytes: Int = 0

  @Option(help: "Most elements in one XML document (1 to 1099511627776).")
  var maxElements: Int = ReadLimits.defaultMaxElements

  @Option(help: "Most elements in one XML record (1 to 1073741824).")
  var maxRecordElements: Int = ReadLimits.defaultMaxRecordElements

  @Option(help: "Most attributes on one XML element (1 to 65536).")
  var maxAttributes: Int = ReadLimits.defaultMaxAttributes

  func options(command: String) throws -> RunOptions {
    // Optional for ArgumentParser only because `match` may read just its --store.
    if inputs.isEmpty && command != "match" { throw UsageError(message: "give at least one input") }
    var o = RunOptions(command: command, inputs: inputs)
    o.from = from
    o.quarantineDirectory = quarantine
    o.reportPath = report
    o.reportHTMLPath = reportHTML
    o.validate = !noValidate
    o.includeValues = includeValues
    o.production = production
    o.allowEmpty = allowEmpty
    o.runID = runId
    o.profilePath = profile
    o.encoding = encoding
    o.limits.maxRecordBytes = maxRecordBytes
    o.limits.maxDepth = maxDepth
    o.limits.maxFieldBytes = maxFieldBytes
    o.limits.maxInputBytes = maxInputBytes
    o.limits.maxElements = maxElements
    o.limits.maxRecordElements = maxRecordElements
    o.limits.maxAttributes = maxAttributes
    if let problem = o.limits.rangeProblem { throw UsageError(message: problem) }
    // A directory name that is also printed: letters, digits, `.`, `_`, `-` only, so it can neither climb out of
    // the quarantine directory nor carry a control character into a path or a terminal.
    if let runId, !isPlainRunID(runId) {
      throw UsageError(message: "--run-id must be 1 to 128 of A-Z a-z 0-9 . _ - and not start with a dot")
    }
    if let now {
      guard let t = Instant.parseUTC(now) else { throw UsageError(message: "--now must be YYYY-MM-DDTHH:MM:SSZ") }
      o.now = t
    } else if let e = getenv("SOURCE_DATE_EPOCH") {
      guard let s = Int64(String(cString: e)) else { throw UsageError(message: "SOURCE_DATE_EPOCH must be an integer") }
      o.now = Instant(seconds: s)
    }
    if inputs.filter({ $0 == "-" }).count > 1 { throw UsageError(message: "standard input can be given once") }
    return o
  }
}

/// Runs `convert` or `validate`; with `progress`, a progress line on stderr while it runs (cleared before the
/// summary; it names the input of how many when there are several).
func execute(_ options: RunOptions, _ logger: Logger, progress: Bool) throws {
  let pipeline = Pipeline(options: options, logger: logger)
  pipeline.renderHTMLReport = HTMLReport.page(run:path:)
  let report = runPipeline(pipeline, progress: progress)
  printOutcome(report)
  if report.exitCode != 0 { throw ExitCode(report.exitCode) }
}

/// The run-level error, one located line per rejected or skipped input, and the summary line, on stderr.
func printOutcome(_ report: RunReport) {
  if let e = report.error { printStderr("casebridge: " + e) }
  for i in report.inputs {
    if let d = i.error, i.disposition != .duplicate { printStderr(d.rendered) }
  }
  printStderr(report.summary)
}

struct Convert: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Convert inputs to one output, quarantining records that do not conform.",
    discussion: exitCodeTable)

  @OptionGroup var args: RunArguments

  @Option(help: "Output format.")
  var to: FormatID

  @Option(name: [.short, .customLong("output")], help: "Output file; '-' is standard output. CSV: a directory (one <type>.csv per entity type), or a file with --entity.")
  var output: String = "-"

  @Option(help: "CSV output: write only this entity type, to -o FILE.")
  var entity: EntityType?

  @Flag(help: "CSV output: do not neutralise cells starting with = + - @ TAB CR; CaseBridge CSV input: do not undo it.")
  var noNeutralise = false

  @OptionGroup var global: GlobalOptions
  @Option(help: progressHelp)
  var progress: String = "auto"

  func run() throws {
    let logger = try global.bootstrap()
    var o = try args.options(command: "convert")
    guard FormatRegistry.writable.contains(to) else {
      throw UsageError(message: "format '\(to.rawValue)' has no writer in this build (writable: \(FormatRegistry.writable.map(\.rawValue).joined(separator: ", ")))")
    }
    o.to = to
    o.output = output
    o.entityFilter = entity
    o.neutralise = !noNeutralise
    if to == .csv && entity == nil && output == "-" {
      throw UsageError(message: "--to csv writes one file per entity type: give -o DIR, or --entity TYPE for one file")
    }
    try execute(o, logger, progress: try progressEnabled(progress, logFormat: global.logFormat))
  }
}

struct Validate: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Everything convert does except writing output: counts, quarantine and report.",
    discussion: exitCodeTable)

  @OptionGroup var args: RunArguments
  @OptionGroup var global: GlobalOptions
  @Option(help: progressHelp)
  var progress: String = "auto"

  func run() throws {
    let logger = try global.bootstrap()
    try execute(try args.options(command: "validate"), logger, progress: try progressEnabled(progress, logFormat: global.logFormat))
  }
}

struct Formats: ParsableCommand {
  static let configuration = CommandConfiguration(abstract: "List format ids and what this build can do with each.")

  @Flag(help: "Print JSON.")
  var json = false

  func run() throws {
    if json {
      let items: [JSONValue] = FormatID.allCases.map { f in
        .object(JSONObject([
          JSONMember(key: "id", value: .string(f.rawValue)),
          JSONMember(key: "summary", value: .string(f.summary)),
          JSONMember(key: "read", value: .bool(FormatRegistry.readable.contains(f))),
          JSONMember(key: "write", value: .bool(FormatRegistry.writable.contains(f))),
          JSONMember(key: "extensions", value: .array(f.extensions.map { .string($0) })),
        ]))
      }
      var w = JSONWriter()
      w.write(.array(items))
      print(String(decoding: w.bytes, as: UTF8.self))
    } else {
      for f in FormatID.allCases {
        let rw = (FormatRegistry.readable.contains(f) ? "r" : "-") + (FormatRegistry.writable.contains(f) ? "w" : "-")
        print("\(f.rawValue.padding(16)) \(rw)  \(f.summary)")
      }
    }
  }
}

struct Rules: ParsableCommand {
  static let configuration = CommandConfiguration(abstract: "List the rule catalogue: ids, severities, stages.")

  @Flag(help: "Print JSON.")
  var json = false

  func run() throws {
    if json {
      let items: [JSONValue] = RuleCatalogue.all.map { r in
        .object(JSONObject([
          JSONMember(key: "id", value: .string(r.id)),
          JSONMember(key: "severity", value: .string(r.severity.rawValue)),
          JSONMember(key: "stage", value: .string(r.stage.rawValue)),
          JSONMember(key: "summary", value: .string(r.summary)),
        ]))
      }
      var w = JSONWriter()
      w.write(.array(items))
      print(String(decoding: w.bytes, as: UTF8.self))
    } else {
      for r in RuleCatalogue.all {
        print("\(r.id.padding(30)) \(r.severity.rawValue.padding(8)) \(r.stage.rawValue.padding(9)) \(r.summary)")
      }
    }
  }
}

extension String {
  func padding(_ n: Int) -> String { count >= n ? self : self + String(repeating: " ", count: n - count) }
}

/// Whether a run id is a plain directory name: 1 to 128 ASCII letters, digits, `.`, `_`, `-`, not starting with `.`.
func isPlainRunID(_ id: String) -> Bool {
  guard (1...128).contains(id.utf8.count), id.utf8.first != UInt8(ascii: ".") else { return false }
  return id.utf8.allSatisfy { c in
    (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x2E || c == 0x5F || c == 0x2D
  }
}
