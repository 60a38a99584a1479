/// What a column holds, as `casebridge inspect` detects it with CaseBridge's own strict parsers.
public enum ColumnKind: String, Sendable, Codable, CaseIterable {
  /// Every value is empty.
  case empty
  /// IPv4 dotted quads only (``CaseModel/IPAddress``).
  case ipv4
  /// IP addresses of which at least one is IPv6 (a mixed IPv4/IPv6 column is `ipv6`).
  case ipv6
  /// E-mail addresses (``CaseModel/EmailAddress``).
  case email
  /// Telephone numbers: `+` numbers of a supported region, or NANP-looking numbers read as US.
  case phone
  /// Timestamps with an offset or a known zone abbreviation.
  case timestampWithZone = "timestamp-with-zone"
  /// Timestamps with a time of day but no zone (a source zone must be declared).
  case timestampWithoutZone = "timestamp-without-zone"
  /// Dates without a time of day.
  case date
  /// Integer epochs of 10, 13 or 16 digits (see ``ColumnProfile/epochUnit``).
  case epoch
  /// Hex digests of a known hash length (see ``ColumnProfile/hashAlgorithms``).
  case hash
  /// Integers without leading zeros that fit in 64 bits.
  case integer
  /// Decimal numbers written with a `.` (integers included).
  case decimal
  /// Common boolean spellings (`true`/`false`, `Y`/`N`, `yes`/`no`, `T`/`F`, `1`/`0`, in the usual cases).
  case boolean
  /// Anything else, or no kind reached the threshold.
  case text
}

/// What the values of a date column prove about the order of day and month.
public enum DayMonthEvidence: Sendable, Hashable {
  /// A value has a second number above 12, so the month comes first; `line` is the 1-based line of
  /// the first such value.
  case monthFirst(line: Int)
  /// A value has a first number above 12, so the day comes first; `line` is the 1-based line of the
  /// first such value.
  case dayFirst(line: Int)
  /// Values prove both orders (the column is inconsistent); the lines of the first proof of each.
  case conflicting(monthFirstLine: Int, dayFirstLine: Int)
  /// No value has a number above 12 in either position: the order must be declared.
  case unknown
}
