import ArgumentParser
import CaseBridge
import Logging
#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

struct Import: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "import",
    abstract: "Import inputs (files or folders) into a case store: one transaction per input; identical inputs add nothing.",
    usage: "casebridge import INPUT... --store FILE [--report FILE] [--report-html FILE] [--quarantine DIR] [--profile FILE] [--profile-for INPUT=PROFILE]... [--config FILE] [--progress auto|always|never]",
    discussion: exitCodeTable)

  @OptionGroup var args: RunArguments

  @Option(help: ArgumentHelp("The case store (SQLite; created 0600 in a 0700 directory when missing).", valueName: "FILE"))
  var store: String

  @Option(
    name: .customLong("profile-for"),
    help: ArgumentHelp("A mapping profile for one input (repeatable); it wins over --profile.", valueName: "INPUT=PROFILE"))
  var profileFor: [String] = []

  @Option(
    help: ArgumentHelp(
      "A configuration file (JSON or YAML, the batch format): its `profiles` (glob on the file name → profile) choose each input's profile.",
      valueName: "FILE"))
  var config: String?

  @OptionGroup var global: GlobalOptions
  @Option(help: progressHelp)
  var progress: String = "auto"

  func run() throws {
    let logger = try global.bootstrap()
    let showProgress = try progressEnabled(progress, logFormat: global.logFormat)
    var o = try args.options(command: "import")
    // --profile-for names inputs as given; a folder's files are named by their paths inside it.
    let given = o.inputs
    let profiles = try MatchCommand.inputProfiles(profileFor, inputs: given)
    // Profiles by file name: --profile-for first, then --config's globs, then the globs of a folder's own
    // `.casebridge.yaml`/`.casebridge.json`, then --profile.
    let configured = try config.map { try loadProfileRules($0) }
    var inputs: [String] = []
    var inputProfiles: [Int: String] = [:]
    for (i, path) in given.enumerated() {
      let folderRules = try folderProfileRules(path)
      for file in filesOf(path) {
        let name = String(file.split(separator: "/").last ?? Substring(file))
        if let p = profiles[i] ?? configured?.profile(forName: name) ?? folderRules?.profile(forName: name) {
          inputProfiles[inputs.count] = p
        }
        inputs.append(file)
      }
    }
    o.inputs = inputs
    o.inputProfilePaths = inputProfiles
    o.storePath = store
    // --store must not be an input, a profile, the report or the quarantine: checked before anything is opened.
    if let e = checkOutputPaths(o) {
      printError(e.description)
      throw ExitCode(e.exitCode)
    }
    let caseStore: CaseStore
    do {
      caseStore = try CaseStore(path: store)
    } catch {
      printError("\(store): \(error.description)")
      throw ExitCode(error.exitCode)
    }
    let pipeline = Pipeline(options: o, logger: logger, store: StoreIngest(store: caseStore))
    pipeline.renderHTMLReport = HTMLReport.page(run:path:)
    let report = runPipeline(pipeline, progress: showProgress)
    printOutcome(report)
    if report.exitCode != 0 { throw ExitCode(report.exitCode) }
  }
}

/// The profile rules of a configuration file; a bad one is a located error, exit 78.
func loadProfileRules(_ path: String) throws -> BatchSettings {
  do {
    return try BatchSettings.load(configPath: path)
  } catch {
    printError(error.description)
    throw ExitCode(78)
  }
}

/// A folder's own profile map: `.casebridge.yaml` or `.casebridge.json` directly in it (a dot-file, so never an
/// input itself). Nil for a file or a folder without one.
func folderProfileRules(_ path: String) throws -> BatchSettings? {
  var st = stat()
  guard path != "-", stat(path, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR else { return nil }
  for name in [".casebridge.yaml", ".casebridge.json"] {
    let candidate = path.hasSuffix("/") ? path + name : path + "/" + name
    if lstat(candidate, &st) == 0 { return try loadProfileRules(candidate) }
  }
  return nil
}

/// An input argument as input files: a folder is every regular file directly in it whose name does not start with
/// `.`, in byte order of the names (not recursive); anything else is itself (the pipeline reports what it is).
func filesOf(_ path: String) -> [String] {
  var st = stat()
  guard path != "-", stat(path, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR, let dir = opendir(path) else { return [path] }
  defer { closedir(dir) }
  var names: [String] = []
  while let e = readdir(dir) {
    let name = withUnsafeBytes(of: e.pointee.d_name) { raw in
      String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
    }
    if name.hasPrefix(".") { continue }
    let full = path.hasSuffix("/") ? path + name : path + "/" + name
    var fst = stat()
    if stat(full, &fst) == 0, (fst.st_mode & S_IFMT) == S_IFREG { names.append(full) }
  }
  return names.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
}
