import ArgumentParser
import CaseBridge
import CaseISP
import Logging
#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

struct MatchCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "match",
    abstract: "Match IP observations to provider IP assignments (lease windows) by address, port and time.",
    usage: "casebridge match INPUT... [--store FILE] [--tolerance SECONDS] [-o DIR] [--profile FILE] [--profile-for INPUT=PROFILE]...",
    discussion: """
      Inputs are read as validate reads them (formats inferred or --from, profiles, quarantine, report). Every \
      IP observation gets one status: exact, within-tolerance, outside, no-assignment, not-attributable (ports \
      matter and it has no port), no-time or conflict (leases of different subscribers cover it; none is \
      chosen). Overlapping leases of one address and port held by different subscribers are listed as overlaps. \
      The table goes to standard output; -o DIR writes match.json and match.csv (never overwriting). \
      Exit 1 when any observation is not exact or within tolerance, or any leases overlap.
      """ + "\n\n" + exitCodeTable)

  @OptionGroup var args: RunArguments

  @Option(help: "A CaseBridge JSON Lines or JSON bundle file of converted entities (the case store), read as one more input.")
  var store: String?

  @Option(
    name: .customLong("profile-for"),
    help: ArgumentHelp("A mapping profile for one input (repeatable); it wins over --profile.", valueName: "INPUT=PROFILE"))
  var profileFor: [String] = []

  @Option(help: ArgumentHelp("Seconds a lease window is widened on each side (clocks that differ); always printed.", valueName: "SECONDS"))
  var tolerance: Int = 0

  @Option(name: [.short, .customLong("output")], help: ArgumentHelp("Write match.json and match.csv into this directory (never overwritten).", valueName: "DIR"))
  var output: String?

  @Flag(help: "match.csv: do not neutralise cells starting with = + - @ TAB CR.")
  var noNeutralise = false

  @OptionGroup var global: GlobalOptions

  func run() throws {
    let logger = try global.bootstrap()
    var o = try args.options(command: "match")
    if let store { o.inputs.append(store) }
    guard !o.inputs.isEmpty else { throw UsageError(message: "give INPUT... or --store FILE") }
    // Bounded so lease windows widened by it never overflow (Int.max trapped); a day is far beyond clock skew.
    guard (0...86_400).contains(tolerance) else { throw UsageError(message: "--tolerance must be between 0 and 86400 seconds") }
    o.inputProfilePaths = try Self.inputProfiles(profileFor, inputs: o.inputs)
    // -o DIR and --report must not be an input, a profile or each other (checked with the run's own paths).
    if let e = checkOutputPaths(o, more: output.map { [OutputPath(option: "-o", path: $0, kind: .directory)] } ?? []) {
      printError(e.description)
      throw ExitCode(e.exitCode)
    }
    let reportPath = o.reportPath
    let reportHTMLPath = o.reportHTMLPath
    o.reportPath = nil  // written below, with the exit code of the match
    o.reportHTMLPath = nil
    if isatty(2) == 1 && o.inputs.count > 1 { printStderr("casebridge: reading \(o.inputs.count) inputs...") }

    let collected = Pipeline.collect(options: o, logger: logger, types: [.ipObservation, .ipAssignment, .person, .legalProcess])
    var report = collected.report
    var codes = [report.exitCode]
    if report.error == nil || !report.inputs.isEmpty {
      let m = Self.match(collected.entities, tolerance: Int64(tolerance))
      logger.info("match done", metadata: [
        "observations": "\(m.results.count)", "assignments": "\(m.assignmentCount)", "overlaps": "\(m.overlaps.count)",
        "attributed": "\(m.results.filter { $0.status.isAttributed }.count)",
      ])
      do throws(OutputError) {
        try writeStandardOutput(Array(m.table.utf8))
      } catch {
        report.error = (report.error.map { $0 + "; " } ?? "") + error.description
        codes.append(74)
      }
      codes.append(m.isClean ? 0 : 1)
      if let output {
        do throws(OutputError) {
          _ = try writeNewFiles(in: output, [("match.json", m.jsonBytes), ("match.csv", m.csvBytes(neutralise: !noNeutralise))])
        } catch {
          report.error = (report.error.map { $0 + "; " } ?? "") + error.description
          codes.append(error.rule == "output.io-error" ? 74 : 73)
        }
      }
    }
    report.exitCode = mostSevere(codes)
    report.finishedAt = clockNow()
    if let reportHTMLPath {
      do throws(OutputError) {
        try writeFileAtomically(reportHTMLPath, HTMLReport.page(run: report, path: reportHTMLPath))
      } catch {
        report.error = (report.error.map { $0 + "; " } ?? "") + error.description
        report.exitCode = mostSevere([report.exitCode, error.exitCode])
      }
    }
    if let reportPath {
      do throws(OutputError) {
        try writeReport(report, to: reportPath)
      } catch {
        report.error = (report.error.map { $0 + "; " } ?? "") + error.description
        report.exitCode = mostSevere([report.exitCode, error.exitCode])  // 73 cannot create, 74 I/O
      }
    }
    printOutcome(report)
    if report.exitCode != 0 { throw ExitCode(report.exitCode) }
  }

  /// Matches the accepted entities of the run.
  static func match(_ entities: [Entity], tolerance: Int64) -> MatchReport {
    var observations: [IPObservation] = []
    var assignments: [IPAssignment] = []
    var persons: [EntityID: Person] = [:]
    var legal: [EntityID: LegalProcess] = [:]
    for e in entities {
      switch e {
      case .ipObservation(let x): observations.append(x)
      case .ipAssignment(let x): assignments.append(x)
      case .person(let x): persons[x.id] = x
      case .legalProcess(let x): legal[x.id] = x
      default: break
      }
    }
    return LeaseMatcher.match(
      observations: observations, assignments: assignments, persons: persons, legalProcesses: legal,
      toleranceSeconds: tolerance)
  }

  /// `--profile-for INPUT=PROFILE` values as input index → profile path. INPUT is compared with the inputs exactly
  /// as given (the `=` that splits is the one after a given input, so paths may contain `=`).
  static func inputProfiles(_ values: [String], inputs: [String]) throws -> [Int: String] {
    var out: [Int: String] = [:]
    for v in values {
      guard let input = inputs.filter({ v.hasPrefix($0 + "=") }).max(by: { $0.count < $1.count }) else {
        throw UsageError(message: "--profile-for takes INPUT=PROFILE, where INPUT is one of the inputs as given")
      }
      let profile = String(v.dropFirst(input.count + 1))
      guard !profile.isEmpty else { throw UsageError(message: "--profile-for \(input)= names no profile") }
      for (i, x) in inputs.enumerated() where x == input {
        if out[i] != nil { throw UsageError(message: "--profile-for gives input \(input) two profiles") }
        out[i] = profile
      }
    }
    return out
  }
}
