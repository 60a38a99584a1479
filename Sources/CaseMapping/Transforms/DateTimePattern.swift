public import CaseModel

/// A strict date/time layout declared by an import profile, compiled once into tokens.
///
/// Tokens (every other ASCII letter must be quoted):
///
/// | token | reads |
/// |---|---|
/// | `yyyy` | a 4-digit year, 0001–9999 (two-digit years are refused: the century is ambiguous) |
/// | `MM` / `M` | a 2-digit month / a 1–2-digit month |
/// | `MMM` | an English month abbreviation (`Jan`…`Dec`), case-insensitive |
/// | `dd` / `d` | a 2-digit day / a 1–2-digit day |
/// | `HH` / `H` | a 2-digit / 1–2-digit hour 0–23 (`24:00` is invalid) |
/// | `hh` / `h` | a 2-digit / 1–2-digit hour 1–12; requires `a` |
/// | `mm`, `ss` | a 2-digit minute / second (no leap second 60) |
/// | `S`…`S` | a fraction of a second of 1 up to n digits (n = number of `S`, at most 9); `SSS` means exactly 3 digits |
/// | `a` | `AM`/`PM` or `A.M.`/`P.M.`, any case; 12 AM is 00, 12 PM is 12; requires `hh`/`h` |
/// | `XXX` | `±HH:MM` or `Z` |
/// | `XX` | `±HHMM` or `Z` |
/// | `X` | `±HH`, `±HHMM` or `Z` |
/// | `zzz` | a zone abbreviation: a run of 1–10 ASCII letters, resolved later through ``ZoneAbbreviation`` |
/// | `EEE` | an English weekday abbreviation (`Sun`…`Sat`), case-insensitive, checked against the date |
/// | `'text'` | literal text; `''` is a literal apostrophe |
///
/// Any other character (punctuation, space, digits, non-ASCII) is a literal that must match byte
/// for byte. A pattern needs a year, a month and a day; minutes need an hour and vice versa,
/// seconds need minutes, a fraction needs seconds, a zone needs a time, and each field may appear
/// once. A variable-width number (`M`, `d`, `H`, `h`, a fraction other than `SSS`, `X`) may not be
/// followed directly by something that starts with a digit, so matching never backtracks.
///
/// Parsing works on the UTF-8 bytes of the whole value: nothing is trimmed, nothing is lenient,
/// and errors never quote the value. Foundation's `DateFormatter` is not used (it is lenient).
public struct DateTimePattern: Sendable, Hashable, CustomStringConvertible {
  /// The pattern text as declared.
  public let pattern: String
  /// The compiled tokens.
  let tokens: [DateTimePatternToken]
  /// The bytes of all literal tokens, back to back.
  let literalBytes: [UInt8]
  /// The shortest and longest value the pattern can match, in UTF-8 bytes.
  let byteLengths: ClosedRange<Int>
  /// Whether a matching value starts with an ASCII digit.
  let startsWithDigit: Bool
  /// Whether the pattern contains a zone token (`X`, `XX`, `XXX` or `zzz`).
  public let hasZone: Bool
  /// Whether the pattern contains a time of day (an hour token).
  public let hasTime: Bool
  /// Whether the pattern reads an AM/PM marker (`a`).
  let hasAmPm: Bool
  /// Whether the month is numeric (`MM`/`M`), so day and month can be swapped.
  let hasNumericMonth: Bool
  /// Whether the pattern reads a weekday (`EEE`).
  let hasWeekday: Bool
  /// Whether the month token comes before the day token.
  let monthBeforeDay: Bool

  /// Compiles a pattern.
  /// - Parameter pattern: The pattern text, e.g. `"MM/dd/yyyy hh:mm:ss a"`.
  /// - Throws: A ``FieldError`` with rule `"profile.invalid-pattern"` whose message names the
  ///   problem (an unsupported token such as `yy`, an unquoted letter, an unterminated quote,
  ///   a repeated or missing field, `hh` without `a`, …).
  public init(_ pattern: String) throws(FieldError) {
    let compiled = try DateTimePatternCompiler.compile(pattern)
    self.pattern = pattern
    self.tokens = compiled.tokens
    self.literalBytes = compiled.literalBytes
    self.byteLengths = compiled.byteLengths
    self.startsWithDigit = compiled.startsWithDigit
    self.hasZone = compiled.hasZone
    self.hasTime = compiled.hasTime
    self.hasAmPm = compiled.hasAmPm
    self.hasNumericMonth = compiled.hasNumericMonth
    self.hasWeekday = compiled.hasWeekday
    self.monthBeforeDay = compiled.monthBeforeDay
  }

  /// The pattern text.
  public var description: String { pattern }

  /// Patterns are equal when their text is equal (the tokens derive from it).
  public static func == (lhs: DateTimePattern, rhs: DateTimePattern) -> Bool {
    lhs.pattern == rhs.pattern
  }

  /// Hashes the pattern text.
  public func hash(into hasher: inout Hasher) { hasher.combine(pattern) }
}

/// The result of compiling a pattern (internal).
struct CompiledDateTimePattern {
  var tokens: [DateTimePatternToken] = []
  var literalBytes: [UInt8] = []
  var byteLengths = 0...0
  var startsWithDigit = false
  var hasZone = false
  var hasTime = false
  var hasAmPm = false
  var hasNumericMonth = false
  var hasWeekday = false
  var monthBeforeDay = true
}

/// Turns pattern text into tokens and checks that the tokens make a usable layout (internal).
enum DateTimePatternCompiler {
  private static func invalid(_ message: String) -> FieldError {
    FieldError(rule: "profile.invalid-pattern", message: "date/time pattern: \(message)")
  }

  /// The fields a pattern may carry at most once, keyed for the duplicate check.
  private enum Slot: Hashable {
    case year, month, day, hour, minute, second, fraction, amPm, zone, weekday
  }

  static func compile(_ pattern: String) throws(FieldError) -> CompiledDateTimePattern {
    let bytes = Array(pattern.utf8)
    let n = bytes.count
    if n == 0 { throw invalid("the pattern is empty") }
    var out = CompiledDateTimePattern()
    var seen: Set<Slot> = []
    var literal: [UInt8] = []
    var monthIndex = -1
    var dayIndex = -1

    func flushLiteral() {
      if !literal.isEmpty {
        out.tokens.append(.literal(start: out.literalBytes.count, count: literal.count))
        out.literalBytes.append(contentsOf: literal)
        literal = []
      }
    }
    func startsWithDigit(_ token: DateTimePatternToken) -> Bool {
      switch token {
      case .number: return true
      case .literal(let start, _): return out.literalBytes[start] &- 0x30 < 10
      default: return false
      }
    }
    func claim(_ slot: Slot, _ name: String) throws(FieldError) {
      if seen.contains(slot) { throw invalid("the \(name) appears more than once") }
      seen.insert(slot)
    }

    var i = 0
    while i < n {
      let b = bytes[i]
      if b == 0x27 {  // '
        if i + 1 < n && bytes[i + 1] == 0x27 {
          literal.append(0x27)
          i += 2
          continue
        }
        i += 1
        var closed = false
        while i < n {
          if bytes[i] == 0x27 {
            if i + 1 < n && bytes[i + 1] == 0x27 {
              literal.append(0x27)
              i += 2
              continue
            }
            closed = true
            i += 1
            break
          }
          literal.append(bytes[i])
          i += 1
        }
        if !closed { throw invalid("a quoted literal is not closed with '") }
        continue
      }
      let isLetter = (b | 0x20) &- 0x61 < 26
      if !isLetter {
        literal.append(b)
        i += 1
        continue
      }
      var run = 1
      while i + run < n && bytes[i + run] == b { run += 1 }
      let name = String(decoding: bytes[i..<(i + run)], as: UTF8.self)
      flushLiteral()
      switch (b, run) {
      case (0x79, 4):  // yyyy
        try claim(.year, "year")
        out.tokens.append(.number(.year, minDigits: 4, maxDigits: 4))
      case (0x79, 2):
        throw invalid("'yy' two-digit years are not supported (the century is ambiguous); use yyyy")
      case (0x79, _):
        throw invalid("'\(name)' is not supported; the year must be written yyyy")
      case (0x4D, 1), (0x4D, 2):  // M, MM
        try claim(.month, "month")
        monthIndex = out.tokens.count
        out.hasNumericMonth = true
        out.tokens.append(.number(.month, minDigits: run, maxDigits: 2))
      case (0x4D, 3):  // MMM
        try claim(.month, "month")
        monthIndex = out.tokens.count
        out.tokens.append(.monthName)
      case (0x64, 1), (0x64, 2):  // d, dd
        try claim(.day, "day")
        dayIndex = out.tokens.count
        out.tokens.append(.number(.day, minDigits: run, maxDigits: 2))
      case (0x48, 1), (0x48, 2):  // H, HH
        try claim(.hour, "hour")
        out.tokens.append(.number(.hour24, minDigits: run, maxDigits: 2))
      case (0x68, 1), (0x68, 2):  // h, hh
        try claim(.hour, "hour")
        out.tokens.append(.number(.hour12, minDigits: run, maxDigits: 2))
      case (0x6D, 2):  // mm
        try claim(.minute, "minute")
        out.tokens.append(.number(.minute, minDigits: 2, maxDigits: 2))
      case (0x73, 2):  // ss
        try claim(.second, "second")
        out.tokens.append(.number(.second, minDigits: 2, maxDigits: 2))
      case (0x53, 1...9):  // S…S
        try claim(.fraction, "fraction of a second")
        out.tokens.append(.number(.fraction, minDigits: run == 3 ? 3 : 1, maxDigits: run))
      case (0x53, _):
        throw invalid("a fraction of a second has at most 9 digits (SSSSSSSSS)")
      case (0x61, 1):  // a
        try claim(.amPm, "AM/PM marker")
        out.hasAmPm = true
        out.tokens.append(.amPm)
      case (0x58, 1...3):  // X, XX, XXX
        try claim(.zone, "zone")
        out.hasZone = true
        out.tokens.append(.offset(run == 1 ? .flexible : run == 2 ? .basic : .extended))
      case (0x7A, 3):  // zzz
        try claim(.zone, "zone")
        out.hasZone = true
        out.tokens.append(.zoneAbbreviation)
      case (0x45, 3):  // EEE
        try claim(.weekday, "weekday")
        out.hasWeekday = true
        out.tokens.append(.weekdayName)
      default:
        throw invalid(
          "'\(name)' is not a supported token; quote literal letters, e.g. 'T'")
      }
      i += run
    }
    flushLiteral()

    if !seen.contains(.year) { throw invalid("there is no year (yyyy)") }
    if !seen.contains(.month) { throw invalid("there is no month (MM, M or MMM)") }
    if !seen.contains(.day) { throw invalid("there is no day (dd or d)") }
    if seen.contains(.hour) != seen.contains(.minute) {
      throw invalid("an hour needs minutes (mm) and minutes need an hour")
    }
    if seen.contains(.second) && !seen.contains(.minute) { throw invalid("seconds need minutes") }
    if seen.contains(.fraction) && !seen.contains(.second) {
      throw invalid("a fraction of a second needs seconds (ss)")
    }
    if seen.contains(.zone) && !seen.contains(.hour) { throw invalid("a zone needs a time of day") }
    let twelveHour = out.tokens.contains {
      if case .number(.hour12, _, _) = $0 { return true }
      return false
    }
    if twelveHour && !out.hasAmPm {
      throw invalid("a 12-hour clock (hh or h) needs an AM/PM marker (a); use HH for a 24-hour clock")
    }
    if out.hasAmPm && !twelveHour {
      throw invalid("an AM/PM marker (a) needs a 12-hour clock (hh or h)")
    }
    for k in 0..<(out.tokens.count - 1)
    where out.tokens[k].isVariableWidthNumber && startsWithDigit(out.tokens[k + 1]) {
      throw invalid(
        "a variable-width number (M, d, H, h, S or X) is followed directly by digits; use the fixed-width form (MM, dd, HH, hh, SSS, XX)")
    }
    out.hasTime = seen.contains(.hour)
    out.startsWithDigit = startsWithDigit(out.tokens[0])
    var shortest = 0
    var longest = 0
    for token in out.tokens {
      shortest += token.byteLengths.min
      longest += token.byteLengths.max
    }
    out.byteLengths = shortest...longest
    out.monthBeforeDay = monthIndex < dayIndex
    return out
  }
}
