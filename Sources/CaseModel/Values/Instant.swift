/// An instant on the UTC time line: seconds since 1970-01-01T00:00:00Z plus nanoseconds.
///
/// Leap seconds are not represented (POSIX time). Instants compare by time, so
/// `10:00+05:30` sorts before `05:00Z` once both are parsed.
public struct Instant: Sendable, Hashable, Comparable, CustomStringConvertible {
  /// Whole seconds since the Unix epoch (negative before 1970).
  public let seconds: Int64
  /// Nanoseconds within the second, always in `0..<1_000_000_000`.
  public let nanoseconds: Int32

  /// Creates an instant; nanoseconds outside `0..<1e9` are carried into the seconds.
  /// - Parameters:
  ///   - seconds: Seconds since 1970-01-01T00:00:00Z.
  ///   - nanoseconds: Nanoseconds to add.
  public init(seconds: Int64, nanoseconds: Int32 = 0) {
    if nanoseconds >= 0 && nanoseconds < 1_000_000_000 {
      self.seconds = seconds
      self.nanoseconds = nanoseconds
    } else {
      let (q, r) = CivilCalendar.floorDivMod(Int64(nanoseconds), 1_000_000_000)
      self.seconds = seconds + q
      self.nanoseconds = Int32(r)
    }
  }

  /// Orders instants on the time line.
  public static func < (lhs: Instant, rhs: Instant) -> Bool {
    lhs.seconds != rhs.seconds ? lhs.seconds < rhs.seconds : lhs.nanoseconds < rhs.nanoseconds
  }

  /// The UTC ISO 8601 form, e.g. `"2024-02-10T14:03:00Z"` or `"2024-02-10T14:03:00.120Z"`.
  ///
  /// A fraction is printed only when ``nanoseconds`` is not zero, with 3, 6 or 9 digits (the
  /// shortest of those that is exact). Years 0000–9999 print as four digits; years outside that
  /// range (never produced by ``Timestamp`` parsing) print with a sign, which ``parseUTC(_:)``
  /// does not read back.
  public var iso8601: String {
    var out: [UInt8] = []
    out.reserveCapacity(30)
    let (days, secondOfDay) = CivilCalendar.floorDivMod(seconds, 86_400)
    let civil = CivilCalendar.civilFromDays(days)
    if civil.year < 0 {
      out.append(ASCIIByte.hyphen)
    } else if civil.year > 9999 {
      out.append(ASCIIByte.plus)
    }
    ASCIIByte.appendDecimal(civil.year, width: 4, to: &out)
    out.append(ASCIIByte.hyphen)
    ASCIIByte.appendDecimal(civil.month, width: 2, to: &out)
    out.append(ASCIIByte.hyphen)
    ASCIIByte.appendDecimal(civil.day, width: 2, to: &out)
    out.append(0x54)  // T
    ASCIIByte.appendDecimal(secondOfDay / 3600, width: 2, to: &out)
    out.append(ASCIIByte.colon)
    ASCIIByte.appendDecimal(secondOfDay / 60 % 60, width: 2, to: &out)
    out.append(ASCIIByte.colon)
    ASCIIByte.appendDecimal(secondOfDay % 60, width: 2, to: &out)
    if nanoseconds != 0 {
      out.append(ASCIIByte.dot)
      let ns = Int64(nanoseconds)
      if ns % 1_000_000 == 0 {
        ASCIIByte.appendDecimal(ns / 1_000_000, width: 3, to: &out)
      } else if ns % 1000 == 0 {
        ASCIIByte.appendDecimal(ns / 1000, width: 6, to: &out)
      } else {
        ASCIIByte.appendDecimal(ns, width: 9, to: &out)
      }
    }
    out.append(0x5A)  // Z
    return String(decoding: out, as: UTF8.self)
  }

  /// The ``iso8601`` form.
  public var description: String { iso8601 }

  /// Parses exactly the form ``iso8601`` produces: `YYYY-MM-DDTHH:MM:SS[.fff|.ffffff|.fffffffff]Z`.
  ///
  /// Years 0000–9999 are accepted (year 0000 can arise from a year-0001 local time with a
  /// positive offset); the calendar day must exist; `Z` is required.
  /// - Parameter text: The UTC text.
  /// - Returns: The instant, or nil if the text is not in that exact form.
  public static func parseUTC(_ text: String) -> Instant? {
    var copy = text
    return copy.withUTF8 { buf -> Instant? in
      guard case .success(let parsed) = ISO8601Scanner.scan(buf, allowYearZero: true),
        case .utc = parsed.offset
      else { return nil }
      switch parsed.fractionDigits {
      case 0, 3, 6, 9: break
      default: return nil
      }
      return Instant(seconds: parsed.secondsAsIfUTC, nanoseconds: Int32(parsed.nanosecond))
    }
  }
}
