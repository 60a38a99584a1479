public import CaseModel
public import CaseInterchange

/// The layout kinds a profile can describe.
public enum LayoutKind: String, Sendable, Hashable, CaseIterable {
  case csv, xml, json, jsonl, ispText = "isp-text", ispLog = "isp-log", ispSectioned = "isp-sectioned", ispHTML = "isp-html"

  /// The format ids this layout reads.
  public var formats: Set<FormatID> {
    switch self {
    case .csv: [.csv]
    case .xml: [.xml]
    case .json: [.json]
    case .jsonl: [.jsonl]
    case .ispText: [.ispText]
    case .ispLog, .ispSectioned: [.ispLog]
    case .ispHTML: [.ispText]
    }
  }
}

/// CSV options of a layout.
public struct CSVLayout: Sendable, Hashable {
  /// Field delimiter: `,` `;` TAB or `|`.
  public var delimiter: UInt8 = 0x2C
  /// Quote character.
  public var quote: UInt8 = 0x22
  /// Whether the first row names the columns.
  public var hasHeader = true
  /// Declared text encoding name (`utf-8`, `utf-16le`, `utf-16be`, `windows-1252`, `iso-8859-1`); nil = UTF-8 or
  /// UTF-16 by BOM.
  public var encoding: String?
  /// The file was written with formula neutralisation: a leading `'` before `=+-@` TAB CR is removed.
  public var neutralised = false
  /// Creates default options.
  public init() {}
}

/// Where the records of a tree-shaped document are (XML and JSON layouts).
public struct DocumentLayout: Sendable, Hashable {
  /// XML: the record elements' path of local names from the root, e.g. `["Export", "Incidents", "Incident"]`.
  /// JSON: the one top-level member whose array holds the records, e.g. `["incidents"]`.
  public var records: [String] = []
  /// Creates an empty layout.
  public init() {}
}

/// Where a mapped field's text comes from.
public enum FieldSource: Sendable, Hashable {
  /// A column by header name, with aliases tried in order.
  case column(name: String, aliases: [String])
  /// A column by 0-based index.
  case index(Int)
  /// A constant text (e.g. the agency id, a role).
  case constant(String)
  /// The id of the `k`-th entity mapping of the same record.
  case entity(Int)
  /// Several columns joined with a separator (empty values skipped), e.g. a full name from its parts.
  case join(columns: [String], separator: String)
}

/// How a profile field is read and transformed.
public struct FieldMapping: Sendable {
  /// The target name (see `MappingTargets`).
  public var target: String
  /// Where the target lands and its kind.
  public var spec: TargetSpec
  /// The source.
  public var source: FieldSource
  /// Whether an empty or missing value quarantines the record.
  public var isRequired = false
  /// Remove leading and trailing spaces and tabs before use (off by default: values are never altered silently).
  public var trims = false
  /// Timestamp rule (timestamp targets).
  public var timestamp: TimestampRule?
  /// Date pattern (date targets); nil = strict `YYYY-MM-DD`.
  public var datePattern: DateTimePattern?
  /// Day and month order not known: ambiguous values are quarantined (`date.ambiguous-day-month`).
  public var dayMonthUnknown = false
  /// Default phone region for national numbers.
  public var phoneRegion: PhoneRegion?
  /// Boolean spellings.
  public var booleans: BooleanSpellings = .strict
  /// How to split a full name into parts (fullName targets).
  public var nameOrder: NameOrder?
  /// Where the field was declared in the profile (for diagnostics).
  public var profileLine: Int
  /// What the source names (a column, a label, a sentence capture, a response fact); labels, captures and
  /// response facts are read from the virtual columns of the provider-return readers.
  public var sourceKind: FieldSourceKind = .column
  /// Whether the field's `timestamp` declares its own `zone` (a zone the response states does not replace it).
  public var declaresZone = false
  /// Value spellings mapped to model values (`{"Dynamic": "dynamic"}`), exact; a value not listed is
  /// `field.invalid-value`. Nil: values are used as read.
  public var valueMap: [String: String]?
  /// Agency constraints on the source text (after `trim`, before `values`); a value that breaks one quarantines
  /// the record with the constraint's rule.
  public var constraints: [FieldConstraint] = []
}

/// One source a record key reads: a column, element path, JSON pointer or label that a field of the same
/// profile section reads, by its name and that field's aliases.
public struct KeyPart: Sendable, Hashable {
  /// The name as written in `key` (the primary name of the source: a header name, a path, a label).
  public var name: String
  /// Other spellings of the same source (the aliases of the field that reads it).
  public var aliases: [String]
  /// Where the `key` was declared in the profile.
  public var profileLine: Int
  /// The `key` member's offset in the profile (for located errors while loading).
  var profileOffset = 0
  /// Creates a part.
  public init(name: String, aliases: [String] = [], profileLine: Int) {
    self.name = name
    self.aliases = aliases
    self.profileLine = profileLine
  }
}

/// One entity a source record yields.
public struct EntityMapping: Sendable {
  /// The entity type.
  public var type: EntityType
  /// Leave the entity out when none of its source-read fields has a value.
  public var isOptional = false
  /// The fields.
  public var fields: [FieldMapping]
  /// Provider-return layouts: the section whose records this mapping reads (`response` for the response header);
  /// nil = every record (isp-text record blocks).
  public var section: String?
  /// The sources that identify this entity in the source system (profile `key`); nil = unkeyed. A keyed
  /// entity's id derives from (`sourceSystem`, entity type, key values) instead of the input and the record's
  /// position, so repeated rows and re-deliveries keep one id.
  public var key: [KeyPart]?
  /// Map this entity only for records where the condition holds (`when`).
  public var when: MappingCondition?
  /// Map this entity only for records where no `when` of the profile holds (`otherwise`).
  public var isOtherwise = false
}

/// What to do with source columns no field reads.
public enum UnmappedPolicy: String, Sendable, Hashable {
  /// Keep them as `extras` of the record's first entity.
  case keep
  /// Drop them.
  case drop
  /// Reject the input: the profile must account for every column.
  case error
}

/// A parsed, checked mapping profile.
public struct MappingProfile: Sendable {
  /// `profileVersion` (this build reads "1.0").
  public var version: String
  /// The profile's id (goes into provenance and the report).
  public var id: String
  /// Free-text description.
  public var description: String?
  /// Layout kind.
  public var layout: LayoutKind
  /// CSV options, for `csv` layouts.
  public var csv = CSVLayout()
  /// Options of the `isp-text` layout.
  public var ispText: ISPTextLayout?
  /// Options of the `isp-sectioned` layout.
  public var ispSectioned: ISPSectionedLayout?
  /// Options of the `isp-html` layout.
  public var ispHTML: ISPHTMLLayout?
  /// Record location, for `xml` and `json` layouts. (For tree layouts a field's `column` names an element path
  /// such as `Subject/Name/@type`, or a JSON pointer such as `/subject/name`, relative to the record.)
  public var document = DocumentLayout()
  /// The entity mappings, in order (references name them by position).
  public var records: [EntityMapping]
  /// Unmapped column policy.
  public var unmapped: UnmappedPolicy = .keep
  /// The system the records come from (`sourceSystem`); required when any mapping declares a `key`.
  public var sourceSystem: String?
  /// Empty deliveries are expected (`allowEmpty`): an input of 0 bytes, or only a byte order mark and whitespace,
  /// is a processed input with 0 records instead of `input.empty` (exit 65).
  public var allowEmpty = false
  /// Constraints on source columns that no field reads (`columns`): their values are checked like a field's.
  public var columnConstraints: [ColumnConstraints] = []
  /// The run's "now" for `notBefore`/`notAfter` constraints (`--now`, else the clock); the pipeline sets it.
  public var now: Instant?
  /// SHA-256 of the profile's bytes.
  public var sha256: String
  /// Where it was loaded from.
  public var source: String
}

/// The constraints of one source column (CSV header name, element path, JSON Pointer or label) that no field reads.
public struct ColumnConstraints: Sendable {
  public var name: String
  public var constraints: [FieldConstraint]
  public var profileLine: Int
  public init(name: String, constraints: [FieldConstraint], profileLine: Int) {
    self.name = name
    self.constraints = constraints
    self.profileLine = profileLine
  }
}
