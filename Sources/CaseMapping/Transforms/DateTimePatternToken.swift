/// The numeric fields a ``DateTimePattern`` can read (internal).
enum DateTimePatternField: UInt8, Sendable, Hashable {
  case year, month, day, hour24, hour12, minute, second, fraction
}

/// How a zone-offset token (`X`, `XX`, `XXX`) is written (internal).
enum DateTimeOffsetStyle: Sendable, Hashable {
  /// `X`: `±HH`, `±HHMM` or `Z`.
  case flexible
  /// `XX`: `±HHMM` or `Z`.
  case basic
  /// `XXX`: `±HH:MM` or `Z`.
  case extended
}

/// One compiled element of a ``DateTimePattern`` (internal).
enum DateTimePatternToken: Sendable, Hashable {
  /// A run of ASCII digits, between `minDigits` and `maxDigits` long (greedy).
  case number(DateTimePatternField, minDigits: Int, maxDigits: Int)
  /// `MMM`: an English month abbreviation, case-insensitive.
  case monthName
  /// `EEE`: an English weekday abbreviation, case-insensitive.
  case weekdayName
  /// `a`: AM/PM marker (`AM`, `PM`, `A.M.`, `P.M.`, any case).
  case amPm
  /// `X`, `XX`, `XXX`: a numeric offset or `Z`.
  case offset(DateTimeOffsetStyle)
  /// `zzz`: a run of 1–10 ASCII letters, looked up later in ``ZoneAbbreviation``.
  case zoneAbbreviation
  /// Bytes that must appear exactly: `count` bytes of the pattern's literal buffer from `start`
  /// (kept out of line so tokens are trivially copyable).
  case literal(start: Int, count: Int)

  /// The shortest and longest value text the token can match, in bytes.
  var byteLengths: (min: Int, max: Int) {
    switch self {
    case .number(_, let minDigits, let maxDigits): return (minDigits, maxDigits)
    case .monthName, .weekdayName: return (3, 3)
    case .amPm: return (2, 4)
    case .offset(.flexible): return (1, 5)
    case .offset(.basic): return (1, 5)
    case .offset(.extended): return (1, 6)
    case .zoneAbbreviation: return (1, 10)
    case .literal(_, let count): return (count, count)
    }
  }

  /// Whether the token has a variable width that could swallow a following digit.
  var isVariableWidthNumber: Bool {
    switch self {
    case .number(_, let minDigits, let maxDigits): return minDigits != maxDigits
    case .offset(.flexible): return true
    default: return false
    }
  }

  /// A short description of what the token expects, for value-free error messages.
  var expectation: String {
    switch self {
    case .number(let field, let minDigits, let maxDigits):
      let digits = minDigits == maxDigits ? "\(minDigits)-digit" : "\(minDigits)-\(maxDigits)-digit"
      switch field {
      case .year: return "\(digits) year"
      case .month: return "\(digits) month"
      case .day: return "\(digits) day"
      case .hour24: return "\(digits) hour (0-23)"
      case .hour12: return "\(digits) hour (1-12)"
      case .minute: return "\(digits) minute"
      case .second: return "\(digits) second"
      case .fraction: return "\(digits) fraction of a second"
      }
    case .monthName: return "English month abbreviation"
    case .weekdayName: return "English weekday abbreviation"
    case .amPm: return "AM/PM marker"
    case .offset(.flexible): return "zone offset (±HH, ±HHMM or Z)"
    case .offset(.basic): return "zone offset (±HHMM or Z)"
    case .offset(.extended): return "zone offset (±HH:MM or Z)"
    case .zoneAbbreviation: return "zone abbreviation"
    case .literal: return "literal text of the pattern"
    }
  }
}
