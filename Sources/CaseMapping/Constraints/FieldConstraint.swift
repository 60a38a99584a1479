public import CaseModel

// Agency constraints on a field's source text (a profile field's `constraints`): the checks that make a
// well-formed but non-conforming record a quarantined one, in the agency's own words when it gives them.

/// One constraint of a profile field, checked on the field's text after `trim` and before `values`, on every
/// non-empty value (an empty value is absent: `required` decides about it).
public struct FieldConstraint: Sendable {
  /// What is checked.
  public enum Check: Sendable {
    /// The whole value matches (linear-time engine, `ConstraintPattern`).
    case pattern(ConstraintPattern)
    /// The value is one of these (compared byte for byte, or ignoring case).
    case oneOf(Set<String>, caseInsensitive: Bool)
    /// The value's length in Unicode scalars lies within these bounds.
    case length(min: Int?, max: Int?)
    /// The value's length in UTF-8 bytes is at most this.
    case bytes(max: Int)
    /// The value is a decimal number within these bounds (inclusive).
    case range(min: Double?, max: Double?)
    /// The date or timestamp lies within these bounds (inclusive), checked on the parsed value.
    case time(notBefore: TimeBound?, notAfter: TimeBound?)
    /// No two accepted records of the run share the value (checked by the pipeline, which keeps the run's state).
    case unique
  }

  /// A bound of a `notBefore`/`notAfter` constraint.
  public enum TimeBound: Sendable, Hashable {
    /// A fixed instant (a date bound is its midnight UTC).
    case instant(Instant)
    /// The run's "now" (`--now`, else the clock) plus an offset in seconds; for a date field, the UTC date of it.
    case now(offsetSeconds: Int64)

    /// Parses `now`, `now+1d`, `now-12h` (units s, m, h, d), a date `YYYY-MM-DD`, or (for timestamp fields) an ISO
    /// 8601 timestamp with its offset.
    public static func parse(_ text: String, timestamps: Bool) -> TimeBound? {
      if text == "now" { return .now(offsetSeconds: 0) }
      if text.hasPrefix("now+") || text.hasPrefix("now-") {
        let sign: Int64 = text.hasPrefix("now-") ? -1 : 1
        var digits = text.dropFirst(4)
        guard let unit = digits.popLast(), !digits.isEmpty, digits.count <= 9, digits.allSatisfy({ ("0"..."9").contains($0) }),
          let n = Int64(digits)
        else { return nil }
        let scale: Int64
        switch unit {
        case "s": scale = 1
        case "m": scale = 60
        case "h": scale = 3600
        case "d": scale = 86400
        default: return nil
        }
        return .now(offsetSeconds: sign * n * scale)
      }
      if case .success(let d) = CalendarDate.parse(text) { return .instant(Instant(seconds: d.daysSinceEpoch * 86400)) }
      if timestamps, case .success(let t) = Timestamp.parseISO8601(text) { return .instant(t.instant) }
      return nil
    }

    /// The bound as an instant, given the run's now; for dates, truncated to its UTC day.
    func resolve(now: Instant?, date: Bool) -> Instant? {
      switch self {
      case .instant(let i): return i
      case .now(let off):
        guard let now else { return nil }
        let s = now.seconds + off
        return Instant(seconds: date ? Self.floorDay(s) : s, nanoseconds: date ? 0 : now.nanoseconds)
      }
    }

    static func floorDay(_ s: Int64) -> Int64 { (s >= 0 ? s / 86400 : (s - 86399) / 86400) * 86400 }
  }

  public var check: Check
  /// The finding's rule id: the agency's own (`case-number.format`) or the catalogue's for the check.
  public var rule: String
  /// The agency's own message, used instead of the generated one (never holding the value).
  public var message: String?
  /// Where the constraint was declared in the profile.
  public var profileLine: Int

  public init(check: Check, rule: String? = nil, message: String? = nil, profileLine: Int) {
    self.check = check
    self.rule = rule ?? Self.defaultRule(check)
    self.message = message
    self.profileLine = profileLine
  }

  /// The catalogue rule of a check.
  public static func defaultRule(_ check: Check) -> String {
    switch check {
    case .pattern: return "field.pattern"
    case .oneOf: return "field.enum"
    case .length, .bytes: return "field.length"
    case .range, .time: return "field.range"
    case .unique: return "field.not-unique"
    }
  }

  /// Nil when `text` satisfies the constraint, else a value-free message naming `field`.
  public func violation(_ text: String, field: String) -> String? {
    let problem: String?
    switch check {
    case .pattern(let p):
      problem = p.matches(text) ? nil : "does not match the pattern declared at profile line \(profileLine)"
    case .oneOf(let values, let caseInsensitive):
      let ok = caseInsensitive ? values.contains(text.lowercased()) : values.contains(text)
      problem = ok ? nil : "is not one of the \(values.count) allowed values"
    case .length(let lo, let hi):
      let n = text.unicodeScalars.count
      if let lo, n < lo { problem = "has \(n) characters, fewer than \(lo)" } else if let hi, n > hi { problem = "has \(n) characters, more than \(hi)" } else { problem = nil }
    case .bytes(let hi):
      let n = text.utf8.count
      problem = n > hi ? "has \(n) bytes in UTF-8, more than \(hi)" : nil
    case .range(let lo, let hi):
      if let v = Self.decimal(text) {
        if let lo, v < lo { problem = "is below the minimum \(Self.format(lo))" } else if let hi, v > hi { problem = "is above the maximum \(Self.format(hi))" } else { problem = nil }
      } else {
        problem = "is not a decimal number"
      }
    case .time, .unique: problem = nil  // checked on the parsed value (`timeViolation`) or by the pipeline
    }
    guard let problem else { return nil }
    return message.map { "\(field): \($0)" } ?? "\(field): value \(problem)"
  }

  /// For a `notBefore`/`notAfter` constraint: nil when `value` (a timestamp's instant, or a date's midnight UTC)
  /// lies within the bounds, else a value-free message naming `field`.
  public func timeViolation(_ value: Instant, now: Instant?, date: Bool, field: String) -> String? {
    guard case .time(let lo, let hi) = check else { return nil }
    var problem: String?
    if let lo, let b = lo.resolve(now: now, date: date), value < b {
      problem = "is before the earliest allowed \(date ? "date" : "time") (\(Self.describe(lo, b, date)))"
    } else if let hi, let b = hi.resolve(now: now, date: date), b < value {
      problem = "is after the latest allowed \(date ? "date" : "time") (\(Self.describe(hi, b, date)))"
    }
    guard let problem else { return nil }
    return message.map { "\(field): \($0)" } ?? "\(field): value \(problem)"
  }

  static func describe(_ bound: TimeBound, _ at: Instant, _ date: Bool) -> String {
    let text = date ? String(at.iso8601.prefix(10)) : at.iso8601
    if case .now(let off) = bound { return off == 0 ? "now, \(text)" : "now\(off > 0 ? "+" : "-")\(abs(off))s, \(text)" }
    return text
  }

  /// A strict decimal: optional sign, digits, optional fraction (no exponent, no spaces, no hex, no inf/nan).
  static func decimal(_ text: String) -> Double? {
    var digits = 0
    var dot = false
    for (k, b) in text.utf8.enumerated() {
      switch b {
      case UInt8(ascii: "-"), UInt8(ascii: "+"): if k != 0 { return nil }
      case UInt8(ascii: "."): if dot { return nil }; dot = true
      case UInt8(ascii: "0")...UInt8(ascii: "9"): digits += 1
      default: return nil
      }
    }
    guard digits > 0, digits <= 40 else { return nil }
    return Double(text)
  }

  static func format(_ v: Double) -> String {
    v == v.rounded() && abs(v) < 1e15 ? String(Int64(v)) : String(v)
  }
}
