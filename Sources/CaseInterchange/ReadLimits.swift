/// Bounds on what a reader accepts, so hostile input cannot exhaust memory or time.
///
/// Each limit has a documented range (README, "Options"); the CLI refuses values outside it (exit 64). Readers
/// never do arithmetic that can overflow on a limit, and nest no deeper than `depthRange.upperBound` whatever
/// `maxDepth` says (`safeDepth`).
public struct ReadLimits: Sendable, Hashable {
  /// Largest record (a JSON Lines line, a bundle entity) in bytes; larger ones are quarantined.
  public var maxRecordBytes: Int = 16 << 20
  /// Deepest nesting of arrays and objects in one record.
  public var maxDepth: Int = 64
  /// Largest single string value in bytes.
  public var maxFieldBytes: Int = 1 << 20
  /// Largest input in bytes (0 = no limit).
  public var maxInputBytes: Int = 0
  /// Most elements in one XML document (`xml.too-many-elements`).
  public var maxElements: Int = ReadLimits.defaultMaxElements
  /// Most elements in one XML record's subtree (`xml.record-too-large`).
  public var maxRecordElements: Int = ReadLimits.defaultMaxRecordElements
  /// Most attributes, namespace declarations included, on one XML element (`xml.too-many-attributes`).
  public var maxAttributes: Int = ReadLimits.defaultMaxAttributes
  /// The default of `maxElements`.
  public static let defaultMaxElements = 50_000_000
  /// The default of `maxRecordElements`.
  public static let defaultMaxRecordElements = 100_000
  /// The default of `maxAttributes`: far above what any schema or export CaseBridge reads puts on one element,
  /// far below where libxml2's pairwise duplicate-attribute check costs noticeable time.
  public static let defaultMaxAttributes = 256
  /// Most findings of one kind a reader lists one by one for a record; beyond it, one finding counts the rest
  /// (`json.unknown-member`: "N more members ..."), so a record with 100,000 unknown members costs one pass.
  public static let maxListedFindings = 100
  /// Creates the default limits.
  public init() {}

  /// `--max-record-bytes`: 1 byte to 1 GiB (a record is held in memory whole).
  public static let recordBytesRange = 1...(1 << 30)
  /// `--max-field-bytes`: 1 byte to 1 GiB.
  public static let fieldBytesRange = 1...(1 << 30)
  /// `--max-depth`: 1 to 1024. Nested values are built, walked, written and destroyed recursively in places;
  /// 1024 levels stay far inside the 8 MiB stacks the pipeline runs on (a 70,000-deep value overflowed them).
  public static let depthRange = 1...1024
  /// `--max-input-bytes`: 0 (no limit) to 1 PiB.
  public static let inputBytesRange = 0...(1 << 50)
  /// `--max-elements`: 1 to 2^40.
  public static let elementsRange = 1...(1 << 40)
  /// `--max-record-elements`: 1 to 2^30.
  public static let recordElementsRange = 1...(1 << 30)
  /// `--max-attributes`: 1 to 65536 (libxml2 checks an element's attributes pairwise for duplicates, so the
  /// cost of one element grows with the square of this limit).
  public static let attributesRange = 1...65536

  /// Whether the XML counting limits are all at their defaults (the report's configuration names them only
  /// when one is not, so reports of runs that never set them keep their configuration hash).
  public var xmlCountsAreDefault: Bool {
    maxElements == Self.defaultMaxElements && maxRecordElements == Self.defaultMaxRecordElements
      && maxAttributes == Self.defaultMaxAttributes
  }

  /// `maxDepth` within `depthRange`: what the readers actually enforce.
  public var safeDepth: Int { Swift.min(Swift.max(maxDepth, 0), Self.depthRange.upperBound) }

  /// The first limit outside its documented range, as a usage message naming the option; nil when all are in range.
  public var rangeProblem: String? {
    func check(_ option: String, _ value: Int, _ range: ClosedRange<Int>) -> String? {
      range.contains(value) ? nil : "\(option) must be between \(range.lowerBound) and \(range.upperBound) (got \(value))"
    }
    return check("--max-record-bytes", maxRecordBytes, Self.recordBytesRange)
      ?? check("--max-field-bytes", maxFieldBytes, Self.fieldBytesRange)
      ?? check("--max-depth", maxDepth, Self.depthRange)
      ?? check("--max-input-bytes", maxInputBytes, Self.inputBytesRange)
      ?? check("--max-elements", maxElements, Self.elementsRange)
      ?? check("--max-record-elements", maxRecordElements, Self.recordElementsRange)
      ?? check("--max-attributes", maxAttributes, Self.attributesRange)
  }
}
