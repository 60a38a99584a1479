/// What ``ColumnProfiler`` found in one column. It never contains an input value: only counts,
/// shares, line numbers, pattern text from CaseBridge's own candidate list and value-free notes.
public struct ColumnProfile: Sendable, Hashable {
  /// The column name as given to the profiler.
  public var name: String
  /// The 0-based column index.
  public var index: Int
  /// The number of rows seen (a row too short for this column counts as an empty value).
  public var count: Int
  /// The number of non-empty values (empty means zero bytes; whitespace counts as filled).
  public var filled: Int
  /// `filled / count`, or 0 when no rows were seen.
  public var fillRate: Double
  /// The number of distinct non-empty values: exact up to
  /// ``ColumnProfiler/distinctLimit`` (10,000), then a lower bound.
  public var distinct: Int
  /// Whether ``distinct`` stopped counting at the limit.
  public var distinctIsLowerBound: Bool
  /// The detected kind.
  public var kind: ColumnKind
  /// The share of filled values that match ``kind`` (1 for `text`, 0 for `empty`).
  public var kindShare: Double
  /// The ``DateTimePattern`` text that matched, for date and timestamp kinds; nil for strict
  /// ISO 8601 values (read with the default ``TimestampRule``, whose pattern is nil) and for
  /// other kinds.
  public var pattern: String?
  /// For patterns whose day and month are both numbers: what the values prove about the order.
  /// With ``DayMonthEvidence/unknown`` the ``pattern`` shows the family's conventional order
  /// and must be confirmed. Nil for other kinds and unambiguous patterns (`yyyy-MM-dd`, `MMM`).
  public var dayMonth: DayMonthEvidence?
  /// For `epoch`: the unit the digit count suggests (a suggestion to confirm, never a fact).
  public var epochUnit: EpochUnit?
  /// For `epoch`: the digit count (10, 13 or 16) of the values behind the suggestion.
  public var epochDigits: Int?
  /// For `hash`: the names (``CaseModel/HashAlgorithm`` raw values) of every algorithm whose
  /// length occurs, e.g. `["sha256", "sha3-256"]` for 64 hex digits; empty otherwise.
  public var hashAlgorithms: [String]
  /// The 1-based line of a value typical of ``kind`` (never the value itself).
  public var exampleLine: Int?
  /// Value-free remarks for the person confirming the draft profile.
  public var notes: [String]

  /// Creates a profile from its parts.
  public init(
    name: String, index: Int, count: Int, filled: Int, fillRate: Double, distinct: Int,
    distinctIsLowerBound: Bool, kind: ColumnKind, kindShare: Double, pattern: String? = nil,
    dayMonth: DayMonthEvidence? = nil, epochUnit: EpochUnit? = nil, epochDigits: Int? = nil,
    hashAlgorithms: [String] = [], exampleLine: Int? = nil, notes: [String] = []
  ) {
    self.name = name
    self.index = index
    self.count = count
    self.filled = filled
    self.fillRate = fillRate
    self.distinct = distinct
    self.distinctIsLowerBound = distinctIsLowerBound
    self.kind = kind
    self.kindShare = kindShare
    self.pattern = pattern
    self.dayMonth = dayMonth
    self.epochUnit = epochUnit
    self.epochDigits = epochDigits
    self.hashAlgorithms = hashAlgorithms
    self.exampleLine = exampleLine
    self.notes = notes
  }
}
