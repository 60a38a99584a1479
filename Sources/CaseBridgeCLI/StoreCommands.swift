// The read side of the case store: search, links, export, history, verify, purge.
import ArgumentParser
import CaseBridge
#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Opens an existing store for a store command. A missing store is exit 66 and is never created; a store this
/// build cannot use exits with its `StoreError` code (78 unusable, 73 cannot create, 74 I/O).
func openExistingStore(_ path: String) throws -> CaseStore {
  var st = stat()
  guard stat(path, &st) == 0 else {
    printError("\(path): no such store (it is not created by this command) [store.missing]")
    throw ExitCode(66)
  }
  do {
    return try CaseStore(path: path)
  } catch {
    printError("\(path): \(error.description)")
    throw ExitCode(error.exitCode)
  }
}

/// Runs a store query, mapping its failures to exit codes: `StoreQueryError` (its code), output errors (73/74),
/// SQLite errors (75 busy, 74 I/O or full disk, 78 otherwise), anything else 70.
func storeQuery<T>(_ body: () throws -> T) throws -> T {
  do {
    return try body()
  } catch let e as StoreQueryError {
    printError(e.message + " [store.query]")
    throw ExitCode(e.exitCode)
  } catch let e as OutputError {
    printError(e.description)
    throw ExitCode(e.exitCode)
  } catch let e as ExitCode {
    throw e
  } catch {
    if let e = StoreQueryError.database(error) {
      printError(e.message)
      throw ExitCode(e.exitCode)
    }
    printError("internal error (\(String(describing: type(of: error)))) [internal]")
    throw ExitCode(70)
  }
}

/// Aligned text columns; every cell escaped for the terminal (values come from inputs).
func textTable(_ header: [String], _ rows: [[String]]) -> String {
  let cells = ([header] + rows).map { $0.map(\.terminalEscaped) }
  var widths = [Int](repeating: 0, count: header.count)
  for r in cells { for (i, c) in r.enumerated() where i < widths.count { widths[i] = max(widths[i], c.count) } }
  var out = ""
  for r in cells {
    var line = ""
    for (i, c) in r.enumerated() {
      line += i == r.count - 1 ? c : c.padding(widths[i]) + "  "
    }
    while line.hasSuffix(" ") { line.removeLast() }
    out += line + "\n"
  }
  return out
}

func writeOut(_ text: String) throws { try writeOut(Array(text.utf8)) }

func writeOut(_ bytes: [UInt8]) throws {
  do throws(OutputError) {
    try writeStandardOutput(bytes)
  } catch {
    printError(error.description)
    throw ExitCode(error.exitCode)
  }
}

func parseTime(_ text: String, option: String) throws -> Instant {
  guard let t = Instant.parseUTC(text) else { throw UsageError(message: "\(option) must be YYYY-MM-DDTHH:MM:SSZ (UTC)") }
  return t
}

struct StoreOption: ParsableArguments {
  @Option(help: ArgumentHelp("The case store (SQLite). It must exist: read commands never create it.", valueName: "FILE"))
  var store: String
}

struct SearchCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "search",
    abstract: "What the store knows about identifier values: entities, cases, agencies, first/last seen, provenance.",
    discussion: """
      Each VALUE is normalised to the identifier index's kinds: an e-mail address (lower-cased, domain in A-label \
      form); a phone number (+1 312 555 0142, 0044 20 7946 0018, or national with --region: (312) 555-0142); an \
      IP address (an IPv4-mapped IPv6 address is its IPv4), filtered by --at/--window and --port; a hash (hex of a \
      digest's length, or ALGORITHM:HEX); otherwise a username or account id on any service, or SERVICE:NAME on \
      one. A national number without --region is a usage error (never guessed). Exit 0 when every value matched, \
      1 when a value matched nothing.
      """ + "\n\n" + exitCodeTable)

  @OptionGroup var storeOption: StoreOption

  @Argument(help: "Values to search for.")
  var values: [String]

  @Option(help: ArgumentHelp("IP values: only observations at this time and leases whose window contains it (UTC).", valueName: "TIME"))
  var at: String?

  @Option(help: ArgumentHelp("IP values: seconds --at may be off on either side (default 0).", valueName: "SECONDS"))
  var window: Int = 0

  @Option(help: ArgumentHelp("IP values: only rows with this port, or a port block containing it.", valueName: "N"))
  var port: Int?

  @Option(help: ArgumentHelp("The region of national phone numbers (ISO 3166 code, e.g. US).", valueName: "CC"))
  var region: String?

  @Flag(help: "Print JSON.")
  var json = false

  func run() throws {
    guard !values.isEmpty else { throw UsageError(message: "give at least one value") }
    guard (0...31_536_000).contains(window) else { throw UsageError(message: "--window must be between 0 and 31536000 seconds") }
    if let port, !(0...65535).contains(port) { throw UsageError(message: "--port must be between 0 and 65535") }
    var o = SearchOptions(windowSeconds: Int64(window))
    o.port = port
    if let at { o.at = try parseTime(at, option: "--at") }
    if let region {
      guard let r = PhoneRegion.named(region.uppercased()) else { throw UsageError(message: "--region: '\(region)' is not a supported region") }
      o.region = r
    }
    // Values are interpreted before the store is opened: a usage error never touches the store.
    for v in values {
      do { _ = try CaseStore.searchKeys(v, region: o.region) } catch { throw UsageError(message: error.message) }
    }
    let store = try openExistingStore(storeOption.store)
    let result = try storeQuery { try store.search(values, options: o) }
    if json {
      try writeOut(result.jsonBytes)
    } else {
      var rows: [[String]] = []
      for v in result.values {
        if v.matches.isEmpty { rows.append([v.query, v.keys.map(\.kind).uniqued.joined(separator: "|"), "(no match)"] + Array(repeating: "", count: 8)) }
        for m in v.matches {
          var matched = (m.qualifier.isEmpty ? "" : m.qualifier + ":") + m.value
          if let p = m.port { matched += " port " + (m.portLast.map { $0 != p ? "\(p)-\($0)" : "\(p)" } ?? "\(p)") }
          if let s = m.atStart { matched += " " + (m.atEnd == s ? "at \(s)" : "\(s)..\(m.atEnd ?? "open")") }
          rows.append([
            m.query, m.kind, matched, m.entityID, m.entityType, "\(m.version)" + (m.isCurrent ? "" : " (old)"),
            m.cases.map(\.label).joined(separator: " "), m.cases.compactMap { $0.agency ?? $0.agencyID }.uniqued.joined(separator: " "),
            m.firstSeen ?? "", m.lastSeen ?? "", m.provenance.map(\.short).joined(separator: " "),
          ])
        }
      }
      try writeOut(
        textTable(["VALUE", "KIND", "MATCHED", "ENTITY", "TYPE", "VERSION", "CASES", "AGENCIES", "FIRST SEEN", "LAST SEEN", "SOURCE"], rows))
    }
    if result.values.contains(where: { $0.matches.isEmpty }) { throw ExitCode(1) }
  }
}

struct LinksCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "links",
    abstract: "Every normalised identifier shared by several cases or by more than one agency.",
    discussion: """
      E-mail, phone, username, account and hash identifiers of current versions link when their normalised value \
      (and service or algorithm) is equal (match 'exact'). IP addresses link only when their times overlap \
      (observation instants, lease windows; an open lease runs on), each widened by --window seconds, and their \
      ports agree: both without a port, or ports and port blocks that overlap (match 'ip-time-overlap'). A link \
      needs at least --min-cases distinct cases, or cases of more than one agency. Table on standard output (--json: \
      JSON); -o DIR writes links.json and links.csv (formula-like cells neutralised; never overwritten).
      """ + "\n\n" + exitCodeTable)

  @OptionGroup var storeOption: StoreOption

  @Option(name: .customLong("min-cases"), help: "Distinct cases an identifier must be shared by (default 2).")
  var minCases: Int = 2

  @Option(help: ArgumentHelp("Seconds IP times are widened on each side (default 0).", valueName: "SECONDS"))
  var window: Int = 0

  @Option(name: [.short, .customLong("output")], help: ArgumentHelp("Write links.json and links.csv into this directory.", valueName: "DIR"))
  var output: String?

  @Flag(help: "links.csv: do not neutralise cells starting with = + - @ TAB CR.")
  var noNeutralise = false

  @Flag(help: "Print JSON instead of the table.")
  var json = false

  func run() throws {
    guard minCases >= 2 && minCases <= 1_000_000 else { throw UsageError(message: "--min-cases must be between 2 and 1000000") }
    guard (0...31_536_000).contains(window) else { throw UsageError(message: "--window must be between 0 and 31536000 seconds") }
    if let output,
      let e = checkOutputPaths(
        reading: [("--store", storeOption.store)], writing: [OutputPath(option: "-o", path: output, kind: .directory)])
    {
      printError(e.description)
      throw ExitCode(e.exitCode)
    }
    let store = try openExistingStore(storeOption.store)
    let result = try storeQuery { try store.links(minCases: minCases, windowSeconds: Int64(window)) }
    if json {
      try writeOut(result.jsonBytes)
    } else {
      let rows = result.links.map { l -> [String] in
        let activity = l.activityFrom.map { "\($0)..\(l.activityTo ?? "open")" } ?? ""
        return [
          l.kind, (l.qualifier.isEmpty ? "" : l.qualifier + ":") + l.value, l.matchKind, l.cases.map(\.label).joined(separator: " "),
          l.agencies.joined(separator: " "), l.firstSeen ?? "", l.lastSeen ?? "",
          activity + (l.ports.isEmpty ? "" : " port " + l.ports.joined(separator: ",")),
        ]
      }
      try writeOut(textTable(["KIND", "VALUE", "MATCH", "CASES", "AGENCIES", "FIRST SEEN", "LAST SEEN", "IP ACTIVITY"], rows))
    }
    printStderr("casebridge links: \(result.links.count) links (min cases \(minCases), window \(window) s)")
    if let output {
      var options = CSVWriter.Options()
      options.neutraliseFormulas = !noNeutralise
      var w = CSVWriter(options: options)
      w.writeRow(LinksResult.csvHeader)
      for r in result.csvRows { w.writeRow(r) }
      try storeQuery { _ = try writeNewFiles(in: output, [("links.json", result.jsonBytes), ("links.csv", w.bytes)]) }
    }
  }
}

struct ExportCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "export",
    abstract: "Write the store's current entities (or those valid at --as-of), of all cases or one, in any writable format.",
    discussion: """
      Order: entity type (case, agency, person, roleAssignment, account, onlineIdentifier, ipObservation, \
      ipAssignment, legalProcess, evidenceFile, event), then id. --case takes a case id or a case number naming one \
      case; its entities are those attributed to it (shared entities included). --as-of T picks the version valid \
      at T (valid_from <= T < valid_to). Outputs as convert writes them.
      """ + "\n\n" + exitCodeTable)

  @OptionGroup var storeOption: StoreOption

  @Option(help: "Output format.")
  var to: FormatID

  @Option(name: .customLong("case"), help: ArgumentHelp("Only this case (case id or case number).", valueName: "ID"))
  var caseID: String?

  @Option(name: .customLong("as-of"), help: ArgumentHelp("The versions valid at this time (UTC).", valueName: "TIME"))
  var asOf: String?

  @Option(name: [.short, .customLong("output")], help: "Output file; '-' is standard output. CSV and ncmec-xml: a directory.")
  var output: String = "-"

  @Option(help: "CSV output: write only this entity type, to -o FILE.")
  var entity: EntityType?

  @Flag(help: "CSV output: do not neutralise formula-like cells.")
  var noNeutralise = false

  func run() throws {
    guard FormatRegistry.writable.contains(to) else {
      throw UsageError(message: "format '\(to.rawValue)' has no writer in this build (writable: \(FormatRegistry.writable.map(\.rawValue).joined(separator: ", ")))")
    }
    if to == .csv && entity == nil && output == "-" {
      throw UsageError(message: "--to csv writes one file per entity type: give -o DIR, or --entity TYPE for one file")
    }
    let asOfTime = try asOf.map { try parseTime($0, option: "--as-of") }
    let kind: OutputPathKind = (to == .csv && entity == nil) || to == .ncmecXML ? .directory : .fileOrCharacterDevice
    if let e = checkOutputPaths(reading: [("--store", storeOption.store)], writing: [OutputPath(option: "-o", path: output, kind: kind)]) {
      printError(e.description)
      throw ExitCode(e.exitCode)
    }
    let store = try openExistingStore(storeOption.store)
    let result = try storeQuery {
      let c = try caseID.map { try store.resolveCase($0) }
      return try store.export(to: to, target: output, caseID: c, asOf: asOfTime, entityFilter: entity, neutralise: !noNeutralise)
    }
    for o in result.outputs { for w in o.warnings { printStderr("casebridge: warning: \(o.path): \(w)") } }
    printStderr("casebridge export: \(result.entities) entities written (\(to.rawValue))")
  }
}

struct HistoryCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "history",
    abstract: "An entity's versions (validity, content hash, record key, provenance) and re-deliveries.",
    discussion: "ID is an entity id, or a record key (every entity with that key). Exit 1 when the store has neither.\n\n" + exitCodeTable)

  @OptionGroup var storeOption: StoreOption

  @Argument(help: "Entity id or record key.")
  var id: String

  @Flag(help: "Print JSON.")
  var json = false

  func run() throws {
    let store = try openExistingStore(storeOption.store)
    let histories = try storeQuery { try store.history(id) }
    if json {
      try writeOut(historyJSON(histories))
    } else {
      var text = ""
      for h in histories {
        text += "\(h.type) \(h.entityID)".terminalEscaped + "  cases: " + h.cases.map { $0.label.terminalEscaped }.joined(separator: " ") + "\n"
        text += textTable(
          ["VERSION", "VALID FROM", "VALID TO", "CONTENT SHA-256", "RECORD KEY", "RUN", "PROVENANCE"],
          h.versions.map {
            ["\($0.version)", $0.validFrom, $0.validTo ?? "(current)", $0.contentSha256, $0.recordKey ?? "", $0.runID,
             $0.provenance.map { $0.short + " sha256:" + $0.inputSha256.prefix(12) }.joined(separator: " ")]
          })
        if !h.sightings.isEmpty {
          text += "re-delivered unchanged:\n"
          text += textTable(
            ["VERSION", "SEEN AT", "INPUT", "RECORD", "RUN"],
            h.sightings.map { ["\($0.version)", $0.seenAt, $0.inputName ?? String($0.inputSha256.prefix(12)), $0.recordIndex.map { "\($0)" } ?? "", $0.runID] })
        }
      }
      try writeOut(text)
    }
    if histories.isEmpty {
      printError("the store has no entity with id or record key '\(id)' [store.not-found]")
      throw ExitCode(1)
    }
  }
}

struct VerifyCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "verify",
    abstract: "Chain of custody: re-hash every archived input and every quarantine slice against the store.",
    discussion: """
      Every input in processed_inputs is looked up in the archive (its archive_path, else a file named \
      <sha256>-* anywhere under DIR), re-hashed and compared; every quarantine row's slice is cut from it and \
      re-hashed. Exit 0 all ok; 65 an archived file or slice does not match (the evidence changed); 66 an archived \
      input is missing (66 wins when both).
      """ + "\n\n" + exitCodeTable)

  @OptionGroup var storeOption: StoreOption

  @Option(help: ArgumentHelp("The archive directory (batch --archive).", valueName: "DIR"))
  var archive: String

  @Flag(help: "Print JSON.")
  var json = false

  func run() throws {
    var st = stat()
    guard stat(archive, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR else {
      printError("\(archive): not a directory [input.unreadable]")
      throw ExitCode(66)
    }
    let store = try openExistingStore(storeOption.store)
    let result = try storeQuery { try store.verify(archive: archive) }
    if json {
      try writeOut(result.jsonBytes)
    } else {
      try writeOut(
        textTable(
          ["STATUS", "INPUT", "SHA-256", "FILE", "SLICES", "MISMATCHED SLICES"],
          result.inputs.map { i in
            [i.status.rawValue, i.name, String(i.inputSha256.prefix(16)), i.fileMatches.map { $0 ? "ok" : "mismatch" } ?? "missing",
             "\(i.slicesChecked)",
             i.slicesMismatched.map { "record \($0.recordIndex.map(String.init) ?? "?") line \($0.line.map(String.init) ?? "?") \($0.rule)" }.joined(separator: "; ")]
          }))
    }
    let bad = result.inputs.filter { $0.status != .ok }.count
    printStderr("casebridge verify: \(result.inputs.count) inputs, \(result.inputs.count - bad) ok, \(bad) not ok; exit \(result.exitCode)")
    if result.exitCode != 0 { throw ExitCode(result.exitCode) }
  }
}

struct PurgeCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "purge",
    abstract: "Retention: remove a case's entities from the store, recording the purge (counts, not content).",
    discussion: """
      Entities that belong only to the case lose every version, identifier, sighting and case row; entities shared \
      with other cases lose only this case. One transaction; a purges row records case id, time, run id and counts. \
      Freed pages are overwritten and the WAL truncated. Takes the batch lock (<store>.lock): exit 75 while a batch \
      runs. Inputs stay in processed_inputs, so re-importing a purged file is a duplicate and adds nothing.
      """ + "\n\n" + exitCodeTable)

  @OptionGroup var storeOption: StoreOption

  @Option(name: .customLong("case"), help: ArgumentHelp("The case (case id or case number).", valueName: "ID"))
  var caseID: String

  func run() throws {
    let store = try openExistingStore(storeOption.store)
    let lockPath = storeOption.store + ".lock"
    let fd = open(lockPath, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o600)
    guard fd >= 0 else {
      printError("\(lockPath): cannot open the lock file [store.lock]")
      throw ExitCode(73)
    }
    defer { close(fd) }
    guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
      printError("\(lockPath): another run holds the store's lock; try again later [store.locked]")
      throw ExitCode(75)
    }
    let now = clockNow()
    let runID = "purge-" + now.iso8601.prefix(19).filter { $0 != "-" && $0 != ":" } + "Z-" + String(UInt32.random(in: .min ... .max), radix: 16)
    let r = try storeQuery {
      let c = try store.resolveCase(caseID)
      return try store.purge(caseID: c, runID: runID, now: Instant(seconds: now.seconds).iso8601)
    }
    printStderr(
      "casebridge purge: case \(r.caseID): \(r.entities) entities (\(r.versions) versions, \(r.identifiers) identifiers) removed, "
        + "\(r.detached) shared entities kept without this case; recorded as run \(r.runID)")
  }
}

extension Array where Element: Hashable {
  var uniqued: [Element] {
    var seen = Set<Element>()
    return filter { seen.insert($0).inserted }
  }
}
