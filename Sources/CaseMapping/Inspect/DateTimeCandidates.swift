/// One date/time layout the profiler tries on every value (internal).
struct DateTimeCandidate: Sendable {
  enum Matcher: Sendable {
    /// Strict ISO 8601 with `Z` or `±HH:MM` (``CaseModel/Timestamp/parseISO8601(_:)``).
    case isoWithZone
    /// Strict ISO 8601 without an offset (the parser's `"timestamp.missing-zone"` outcome).
    case isoWithoutZone
    /// A pattern; for a day/month family this is the month-first form.
    case pattern(DateTimePattern)
  }

  /// The day/month family of a pattern whose day and month are both numbers.
  struct Family: Sendable {
    /// The month-first pattern text (the one matched).
    var monthFirst: String
    /// The day-first pattern text.
    var dayFirst: String
    /// The text reported while no value proves the order (the family's conventional order).
    var conventional: String
  }

  var matcher: Matcher
  var kind: ColumnKind
  /// The pattern text reported for a non-family candidate (nil for ISO 8601).
  var reported: String?
  var family: Family?
  /// Whether a matching value starts with a digit (otherwise with a letter).
  var startsWithDigit: Bool
  /// The byte lengths a matching value can have.
  var lengths: ClosedRange<Int>
  /// Whether a match must carry a zone abbreviation from ``ZoneAbbreviation``.
  var needsKnownAbbreviation: Bool

  private static func compiled(_ text: String) -> DateTimePattern {
    do {
      return try DateTimePattern(text)
    } catch {
      preconditionFailure("built-in candidate pattern does not compile: \(error)")
    }
  }

  private static func kind(of pattern: DateTimePattern) -> ColumnKind {
    pattern.hasZone ? .timestampWithZone : pattern.hasTime ? .timestampWithoutZone : .date
  }

  /// A candidate with a fixed day/month order.
  static func fixed(_ text: String) -> DateTimeCandidate {
    let p = compiled(text)
    return DateTimeCandidate(
      matcher: .pattern(p), kind: kind(of: p), reported: text, family: nil,
      startsWithDigit: p.startsWithDigit, lengths: p.byteLengths,
      needsKnownAbbreviation: p.tokens.contains(.zoneAbbreviation))
  }

  /// A day/month family: `monthFirst` is matched, `dayFirst` is its mirror.
  static func family(_ monthFirst: String, _ dayFirst: String, conventionallyDayFirst: Bool = false)
    -> DateTimeCandidate
  {
    let p = compiled(monthFirst)
    _ = compiled(dayFirst)
    return DateTimeCandidate(
      matcher: .pattern(p), kind: kind(of: p), reported: nil,
      family: Family(
        monthFirst: monthFirst, dayFirst: dayFirst,
        conventional: conventionallyDayFirst ? dayFirst : monthFirst),
      startsWithDigit: true, lengths: p.byteLengths,
      needsKnownAbbreviation: p.tokens.contains(.zoneAbbreviation))
  }
}

extension ColumnProfiler {
  /// The date/time layouts tried on each value, in order of preference (an earlier candidate
  /// wins a tie in matched values).
  ///
  /// With a zone: strict ISO 8601; `yyyy-MM-dd'T'HH:mm:ssXX`, the same with a fraction;
  /// `yyyy-MM-dd HH:mm:ssXXX`, the same with a fraction; `yyyy-MM-dd HH:mm:ss zzz`, the same with a
  /// fraction; `EEE MMM dd HH:mm:ss zzz yyyy` (Unix `date`, Java `Date.toString`);
  /// `EEE, dd MMM yyyy HH:mm:ss XX` and `… zzz` (RFC 5322 / HTTP dates); the families
  /// `MM/dd/yyyy HH:mm:ss zzz` and `MM/dd/yyyy hh:mm:ss a zzz`. A `zzz` value counts only when its
  /// abbreviation is in ``ZoneAbbreviation``.
  ///
  /// Without a zone: strict ISO 8601 without offset; `yyyy-MM-dd HH:mm:ss`, with a fraction,
  /// `yyyy-MM-dd HH:mm`, `yyyy/MM/dd HH:mm:ss`; the families `MM/dd/yyyy HH:mm:ss`,
  /// `MM/dd/yyyy hh:mm:ss a`, `MM/dd/yyyy HH:mm`, `MM/dd/yyyy hh:mm a`, `M/d/yyyy H:mm:ss`,
  /// `M/d/yyyy h:mm:ss a`, `M/d/yyyy H:mm`, `M/d/yyyy h:mm a`, `dd.MM.yyyy HH:mm:ss`,
  /// `dd.MM.yyyy HH:mm`; `dd-MMM-yyyy HH:mm:ss`.
  ///
  /// Dates: `yyyy-MM-dd`, `yyyy/MM/dd`; the families `MM/dd/yyyy`, `M/d/yyyy`, `dd.MM.yyyy`,
  /// `dd-MM-yyyy`; `dd-MMM-yyyy`, `d MMM yyyy`, `MMM d, yyyy`.
  ///
  /// A family is matched in both orders; while no value proves the order, the reported pattern
  /// is the conventional one (month first with `/`, day first with `.` and `-`).
  static let dateTimeCandidates: [DateTimeCandidate] = makeCandidates()

  /// Per candidate, the value lengths it can match and whether it starts with a digit: checked
  /// before a candidate is touched, so most candidates cost two comparisons per value.
  static let candidateFilters: [(lengths: ClosedRange<Int>, startsWithDigit: Bool)] =
    dateTimeCandidates.map { ($0.lengths, $0.startsWithDigit) }

  private static func makeCandidates() -> [DateTimeCandidate] { [
    // With a zone.
    // YYYY-MM-DDTHH:MM:SS, up to 9 fraction digits with the dot, up to 6 offset bytes.
    DateTimeCandidate(
      matcher: .isoWithZone, kind: .timestampWithZone, reported: nil, family: nil,
      startsWithDigit: true, lengths: 20...35, needsKnownAbbreviation: false),
    .fixed("yyyy-MM-dd'T'HH:mm:ssXX"),
    .fixed("yyyy-MM-dd'T'HH:mm:ss.SSSSSSSSSXX"),
    .fixed("yyyy-MM-dd HH:mm:ssXXX"),
    .fixed("yyyy-MM-dd HH:mm:ss.SSSSSSSSSXXX"),
    .fixed("yyyy-MM-dd HH:mm:ss zzz"),
    .fixed("yyyy-MM-dd HH:mm:ss.SSSSSSSSS zzz"),
    .fixed("EEE MMM dd HH:mm:ss zzz yyyy"),
    .fixed("EEE, dd MMM yyyy HH:mm:ss XX"),
    .fixed("EEE, dd MMM yyyy HH:mm:ss zzz"),
    .family("MM/dd/yyyy HH:mm:ss zzz", "dd/MM/yyyy HH:mm:ss zzz"),
    .family("MM/dd/yyyy hh:mm:ss a zzz", "dd/MM/yyyy hh:mm:ss a zzz"),
    // Without a zone.
    DateTimeCandidate(
      matcher: .isoWithoutZone, kind: .timestampWithoutZone, reported: nil, family: nil,
      startsWithDigit: true, lengths: 19...29, needsKnownAbbreviation: false),
    .fixed("yyyy-MM-dd HH:mm:ss"),
    .fixed("yyyy-MM-dd HH:mm:ss.SSSSSSSSS"),
    .fixed("yyyy-MM-dd HH:mm"),
    .fixed("yyyy/MM/dd HH:mm:ss"),
    .family("MM/dd/yyyy HH:mm:ss", "dd/MM/yyyy HH:mm:ss"),
    .family("MM/dd/yyyy hh:mm:ss a", "dd/MM/yyyy hh:mm:ss a"),
    .family("MM/dd/yyyy HH:mm", "dd/MM/yyyy HH:mm"),
    .family("MM/dd/yyyy hh:mm a", "dd/MM/yyyy hh:mm a"),
    .family("M/d/yyyy H:mm:ss", "d/M/yyyy H:mm:ss"),
    .family("M/d/yyyy h:mm:ss a", "d/M/yyyy h:mm:ss a"),
    .family("M/d/yyyy H:mm", "d/M/yyyy H:mm"),
    .family("M/d/yyyy h:mm a", "d/M/yyyy h:mm a"),
    .family("MM.dd.yyyy HH:mm:ss", "dd.MM.yyyy HH:mm:ss", conventionallyDayFirst: true),
    .family("MM.dd.yyyy HH:mm", "dd.MM.yyyy HH:mm", conventionallyDayFirst: true),
    .fixed("dd-MMM-yyyy HH:mm:ss"),
    // Dates.
    .fixed("yyyy-MM-dd"),
    .fixed("yyyy/MM/dd"),
    .family("MM/dd/yyyy", "dd/MM/yyyy"),
    .family("M/d/yyyy", "d/M/yyyy"),
    .family("MM.dd.yyyy", "dd.MM.yyyy", conventionallyDayFirst: true),
    .family("MM-dd-yyyy", "dd-MM-yyyy", conventionallyDayFirst: true),
    .fixed("dd-MMM-yyyy"),
    .fixed("d MMM yyyy"),
    .fixed("MMM d, yyyy"),
  ] }
}
