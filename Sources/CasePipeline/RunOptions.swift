public import CaseModel
public import CaseInterchange
public import CaseJSON

/// Everything a run needs to know. Its canonical JSON is hashed into the report (`configurationSha256`).
public struct RunOptions: Sendable {
  /// `convert` or `validate`.
  public var command: String
  /// Input paths; `-` is stdin.
  public var inputs: [String]
  /// The input format, or nil to infer it per input.
  public var from: FormatID?
  /// The output format (`convert` only).
  public var to: FormatID?
  /// The output path, `-` for stdout (`convert` only).
  public var output: String?
  /// Quarantine directory; nil keeps no quarantine files (the report still locates every rejected record).
  public var quarantineDirectory: String?
  /// Where to write the run report.
  public var reportPath: String?
  /// Where to write the run report as an HTML page (`--report-html`; rendered by `Pipeline.renderHTMLReport`). Not
  /// part of `configuration`: it names where results go, not what they are.
  public var reportHTMLPath: String?
  /// Run the semantic rules (`--no-validate` turns them off; syntax and field rules always run).
  public var validate = true
  /// Put offending values in diagnostics (`--include-values`).
  public var includeValues = false
  /// A production import: report documentation/test values.
  public var production = false
  /// Empty deliveries are expected (`--allow-empty`): an input of 0 bytes, or only a byte order mark and whitespace,
  /// is processed with 0 records instead of rejected as `input.empty` (exit 65). A profile can say so too.
  public var allowEmpty = false
  /// "Now" for must-be-in-the-past rules; nil uses the clock.
  public var now: Instant?
  /// Reader limits.
  public var limits = ReadLimits()
  /// The run id; nil makes one from the start time and random bits.
  public var runID: String?
  /// A mapping profile file (`--profile`).
  public var profilePath: String?
  /// Mapping profile files of single inputs, by input index (`match --profile-for INPUT=PROFILE`); an input's own
  /// profile wins over `profilePath`.
  public var inputProfilePaths: [Int: String] = [:]
  /// A declared text encoding (`--encoding`).
  public var encoding: String?
  /// CSV output: neutralise cells that a spreadsheet would run as formulas (`--no-neutralise` turns it off);
  /// CaseBridge CSV input: undo that neutralisation.
  public var neutralise = true
  /// CSV output: write only this entity type, to `-o FILE` (otherwise one file per type in `-o DIR`).
  public var entityFilter: EntityType?
  /// A rejected record or an input rejected whole larger than this many bytes is referenced in the quarantine
  /// (path, SHA-256, offset and length in `NNN-<basename>.rejected.ref.jsonl`) instead of copied; standard input is
  /// always copied. Not part of `configuration`: it changes where rejected bytes are kept, not any result.
  public var quarantineCopyLimit = 64 << 20
  /// The case store an `import` writes (`--store`); checked like an output path (never an input, a profile or
  /// another output). Not part of `configuration`: it names where results go, not what they are.
  public var storePath: String?

  /// Creates options for a command.
  public init(command: String, inputs: [String]) {
    self.command = command
    self.inputs = inputs
  }

  /// The options that change results, as canonical JSON (paths of inputs are in the report's inputs).
  public var configuration: JSONValue {
    func m(_ k: String, _ v: JSONValue) -> JSONMember { JSONMember(key: k, value: v) }
    func int(_ i: Int) -> JSONValue { .number(JSONNumber(Int64(i))) }
    // Members added after reports were first published appear only when set, so earlier configurations (and
    // their hashes) stay what they were.
    var later: [JSONMember] = []
    if allowEmpty { later.append(m("allowEmpty", .bool(true))) }
    return .object(JSONObject([
      m("command", .string(command)),
      m("from", from.map { .string($0.rawValue) } ?? .null),
      m("to", to.map { .string($0.rawValue) } ?? .null),
      m("validate", .bool(validate)),
      m("includeValues", .bool(includeValues)),
      m("production", .bool(production)),
      m("now", now.map { .string($0.iso8601) } ?? .null),
      m("encoding", encoding.map { .string($0) } ?? .null),
      m("neutralise", .bool(neutralise)),
      m("entity", entityFilter.map { .string($0.rawValue) } ?? .null),
      m("limits", .object(JSONObject([
        m("maxRecordBytes", int(limits.maxRecordBytes)), m("maxDepth", int(limits.maxDepth)),
        m("maxFieldBytes", int(limits.maxFieldBytes)), m("maxInputBytes", int(limits.maxInputBytes)),
      ] + (limits.xmlCountsAreDefault ? [] : [
        m("maxElements", int(limits.maxElements)), m("maxRecordElements", int(limits.maxRecordElements)),
        m("maxAttributes", int(limits.maxAttributes)),
      ])))),
    ] + later))
  }
}
