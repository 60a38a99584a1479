public import CaseModel

// Layout options of the provider-return layouts (isp-text, isp-sectioned, isp-html). Kept apart from the CSV and
// (later) XML/JSON options so each family's additions stay in their own file.

/// A regular expression declared in a profile, compiled once when the profile is loaded.
///
/// Matching never quotes input in messages; the pattern text is kept for diagnostics and reports.
public struct ProfileRegex: @unchecked Sendable {
  /// The pattern as written in the profile.
  public let pattern: String
  /// The compiled expression (Swift `Regex` syntax: named captures `(?<name>...)`, inline options `(?i)`).
  public let regex: Regex<AnyRegexOutput>
  /// The profile line that declared it.
  public let profileLine: Int

  /// Compiles a pattern.
  /// - Throws: the compiler's error when the pattern is not a valid regular expression.
  public init(_ pattern: String, ignoringCase: Bool = false, profileLine: Int = 0) throws {
    self.pattern = pattern
    let r = try Regex(pattern)
    regex = ignoringCase ? r.ignoresCase() : r
    self.profileLine = profileLine
  }

  /// Whether the expression has a capture with this name.
  public func hasCapture(_ name: String) -> Bool { regex.contains(captureNamed: name) }
}

/// A sentence in a response that states the zone of its times ("All times are Eastern Time"), and that zone.
public struct ZoneStatement: Sendable {
  /// The statement's pattern, matched case-insensitively.
  public var pattern: ProfileRegex
  /// The IANA zone it means.
  public var zoneIdentifier: String
  /// The zone's rules.
  public var zone: any ZoneRules
  /// Creates a statement.
  public init(pattern: ProfileRegex, zoneIdentifier: String, zone: any ZoneRules) {
    self.pattern = pattern
    self.zoneIdentifier = zoneIdentifier
    self.zone = zone
  }
}

/// Options of the `isp-text` layout: a key-value letter of record blocks.
public struct ISPTextLayout: Sendable {
  /// The line that starts each record block (`--- RECORD 1 ---`); a capture named `number` enables the
  /// record-numbering check.
  public var recordStart: ProfileRegex
  /// The line that ends the response; when declared, a response without it is truncated (`isp.truncated`).
  public var end: ProfileRegex?
  /// The header line stating how many records the response holds; it has a capture named `count`.
  public var count: ProfileRegex?
  /// Sentences stating the response's zone, matched against the header lines.
  public var zoneStatements: [ZoneStatement] = []
  /// Sentence patterns matched against the text paragraphs of each block; their named captures feed fields.
  public var sentences: [ProfileRegex] = []
  /// Labels recognised (so a value ends where they start) but read by no field: their values are unmapped.
  public var extraLabels: [String] = []
  /// Creates options.
  public init(recordStart: ProfileRegex) { self.recordStart = recordStart }
}

/// One kind of table in an `isp-sectioned` file.
public struct ISPSection: Sendable {
  /// The section id that record mappings name in `section`.
  public var id: String
  /// Matched against the section's legend (the quoted text above its `=` row); nil = any legend, or none.
  public var legend: ProfileRegex?
  /// Columns the section's header must contain (exact, then ignoring ASCII case and surrounding spaces).
  public var columns: [String] = []
  /// Creates a section.
  public init(id: String) { self.id = id }
}

/// Options of the `isp-sectioned` layout: several tables in one delimited file.
public struct ISPSectionedLayout: Sendable {
  /// The sections, tried in order; the first whose legend and columns match takes a table.
  public var sections: [ISPSection] = []
  /// Sentences stating a table's zone, matched against its legend.
  public var zoneStatements: [ZoneStatement] = []
  /// Creates options.
  public init() {}
}

/// One repeated property of an `isp-html` records page.
public struct ISPHTMLSection: Sendable {
  /// The section id that record mappings name in `section`; also the property name (`div id="property-<id>"`).
  public var id: String
  /// The label that starts each entry of the property (e.g. `IP Address`); nil = one entry per table row.
  public var entryStart: String?
  /// Creates a section.
  public init(id: String) { self.id = id }
}

/// Options of the `isp-html` layout: a records page of `div id="property-<name>"` sections of label/value rows.
public struct ISPHTMLLayout: Sendable {
  /// The repeated properties: every entry of one is a source record.
  public var sections: [ISPHTMLSection] = []
  /// Sentences stating the page's zone, matched against the text of the non-repeated properties.
  public var zoneStatements: [ZoneStatement] = []
  /// Creates options.
  public init() {}
}

/// Where a profile field's text comes from, beyond CSV columns (the loader maps these onto `FieldSource.column`
/// over the reader's virtual columns).
public enum FieldSourceKind: String, Sendable, Hashable {
  /// A CSV column (or an `index`, `constant`, `entity` or `join`).
  case column
  /// A label of a key-value layout (`Label: value`), with aliases.
  case label
  /// A named capture of one of the layout's sentence patterns.
  case sentence
  /// A fact about the whole response (`zone`: the IANA id of the zone the response states).
  case response
}

/// The reserved section name of entities mapped from a response's header (isp-text) or its non-repeated
/// properties (isp-html): they are emitted once, with the first record, and every record can reference them.
public let responseSectionName = "response"

/// The virtual column a `{"response": "zone"}` field reads.
public let statedZoneColumn = "@stated-zone"

/// The virtual column holding a record's text that no label or sentence accounts for (kept as an extra under
/// `unmapped: keep`).
public let unrecognisedTextColumn = "@unrecognised-text"
