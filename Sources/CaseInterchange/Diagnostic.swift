public import CaseModel

/// How serious a finding is.
public enum Severity: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
  /// The record is quarantined.
  case error
  /// The record is accepted and the finding reported.
  case warning
  /// Reported only.
  case info

  private var rank: Int {
    switch self {
    case .error: 2
    case .warning: 1
    case .info: 0
    }
  }
  /// Orders by seriousness (info < warning < error).
  public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }
}

/// Where something is in an input: all positions refer to the original input bytes, before any transcoding.
public struct SourceLocation: Sendable, Hashable {
  /// Display name of the input (the path as given, or `-`).
  public var source: String?
  /// 0-based index of the source record (headers and blank lines are not records).
  public var record: Int?
  /// 1-based line.
  public var line: Int?
  /// 1-based column, counted in Unicode scalars from the start of the line.
  public var column: Int?
  /// 0-based byte offset.
  public var byteOffset: Int?
  /// Length in bytes of the thing located (the record, for record-level findings).
  public var byteLength: Int?
  /// The field: a JSON Pointer relative to the record, a column name, an element path.
  public var field: String?
  /// The record's key in its source system (profile `key`), so an agency finds the record in its own system.
  /// Nil for unkeyed records.
  public var recordKey: String?

  /// Creates a location.
  public init(
    source: String? = nil, record: Int? = nil, line: Int? = nil, column: Int? = nil, byteOffset: Int? = nil,
    byteLength: Int? = nil, field: String? = nil, recordKey: String? = nil
  ) {
    self.recordKey = recordKey
    self.source = source
    self.record = record
    self.line = line
    self.column = column
    self.byteOffset = byteOffset
    self.byteLength = byteLength
    self.field = field
  }
}

/// One finding about an input, a record or a field.
///
/// `message` names the field and the rule, never a value: values are personal data. The offending value travels
/// in `value` and is written only when the user opts in (`--include-values`).
public struct Diagnostic: Sendable, Hashable {
  /// Stable rule id from the catalogue (`ip.invalid`, `json.duplicate-key`, ...).
  public var rule: String
  /// Severity.
  public var severity: Severity
  /// What is wrong, without values.
  public var message: String
  /// Where.
  public var location: SourceLocation
  /// The offending value, for `--include-values` only.
  public var value: String?

  /// Creates a diagnostic.
  public init(rule: String, severity: Severity, message: String, location: SourceLocation, value: String? = nil) {
    self.rule = rule
    self.severity = severity
    self.message = message
    self.location = location
    self.value = value
  }

  /// Compiler-style one-line rendering: `file:line:column: error: message [rule]` (no values).
  public var rendered: String {
    var s = location.source ?? "<input>"
    if let l = location.line {
      s += ":\(l)"
      if let c = location.column { s += ":\(c)" }
    }
    s += ": \(severity.rawValue): \(message)"
    var extra: [String] = []
    if let r = location.record { extra.append("record \(r)") }
    if let f = location.field { extra.append("field \(f)") }
    if !extra.isEmpty { s += " (" + extra.joined(separator: ", ") + ")" }
    return s + " [\(rule)]"
  }
}

/// A failure that stops reading an input: the input is rejected whole.
public struct FormatError: Error, Sendable, CustomStringConvertible {
  /// Rule id (`json.syntax`, `input.too-large`, ...).
  public var rule: String
  /// What is wrong, without values.
  public var message: String
  /// Where reading stopped.
  public var location: SourceLocation
  /// Creates an error.
  public init(rule: String, message: String, location: SourceLocation) {
    self.rule = rule
    self.message = message
    self.location = location
  }
  /// Compiler-style rendering.
  public var description: String {
    Diagnostic(rule: rule, severity: .error, message: message, location: location).rendered
  }
}

/// An entry of the rule catalogue.
public struct RuleDescriptor: Sendable, Hashable, Codable {
  /// Where a rule runs.
  public enum Stage: String, Sendable, Hashable, Codable {
    /// The reader: the bytes are not the format (never turned off).
    case syntax
    /// Mapping a field into a strict model value (never turned off).
    case field
    /// The semantic rules of the validation layer (`--no-validate` turns them off).
    case semantic
    /// Whole inputs and runs.
    case input
  }
  /// Stable id.
  public var id: String
  /// Default severity.
  public var severity: Severity
  /// Stage.
  public var stage: Stage
  /// One-line summary.
  public var summary: String
  /// Creates a descriptor.
  public init(_ id: String, _ severity: Severity, _ stage: Stage, _ summary: String) {
    self.id = id
    self.severity = severity
    self.stage = stage
    self.summary = summary
  }
}
