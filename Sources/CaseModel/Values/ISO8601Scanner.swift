/// The strict byte-level scanner behind ``Timestamp`` and ``Instant`` parsing (internal).
///
/// Grammar: `YYYY-MM-DDTHH:MM:SS[.1-9 digits][Z|±HH:MM]`, with every field range-checked
/// (real calendar days, no 24:00, no leap second 60, offsets up to ±23:59).
enum ISO8601Scanner {
  /// The zone designator found after the time.
  enum Offset: Equatable {
    /// No designator: a local (naive) time.
    case none
    /// `Z`.
    case utc
    /// `±HH:MM`, in seconds east of UTC.
    case numeric(Int)
  }

  /// The fields of a scanned timestamp.
  struct Parsed {
    var year = 0
    var month = 0
    var day = 0
    var hour = 0
    var minute = 0
    var second = 0
    var nanosecond = 0
    var fractionDigits = 0
    var offset = Offset.none

    /// Seconds since the epoch if the fields were UTC.
    var secondsAsIfUTC: Int64 {
      let days = CivilCalendar.daysFromCivil(
        year: Int64(year), month: Int64(month), day: Int64(day))
      return days * 86_400 + Int64(hour * 3600 + minute * 60 + second)
    }

    /// The local date-time part.
    var local: LocalDateTime {
      LocalDateTime(
        uncheckedYear: year, month: month, day: day, hour: hour, minute: minute, second: second,
        nanosecond: nanosecond)
    }
  }

  private static func invalid(_ message: String) -> Result<Parsed, FieldError> {
    .failure(FieldError(rule: "timestamp.invalid", message: message))
  }

  private static let shapeMessage = "timestamp is not in the form YYYY-MM-DDTHH:MM:SS with a zone"

  @inline(__always) private static func two(_ buf: UnsafeBufferPointer<UInt8>, _ i: Int) -> Int? {
    let a = buf[i] &- ASCIIByte.zero
    let b = buf[i + 1] &- ASCIIByte.zero
    guard a < 10, b < 10 else { return nil }
    return Int(a) * 10 + Int(b)
  }

  /// Scans `buf` strictly; see the type's documentation for the grammar.
  /// - Parameters:
  ///   - buf: The UTF-8 bytes.
  ///   - allowYearZero: Whether year 0000 is accepted (only for reading back UTC output).
  /// - Returns: The fields, or a `"timestamp.invalid"` error naming the first problem.
  static func scan(_ buf: UnsafeBufferPointer<UInt8>, allowYearZero: Bool = false)
    -> Result<Parsed, FieldError>
  {
    let n = buf.count
    if n >= 11 && buf[4] == ASCIIByte.hyphen && buf[7] == ASCIIByte.hyphen {
      switch buf[10] {
      case 0x74: return invalid("timestamp uses a lower-case 't' separator; 'T' is required")
      case ASCIIByte.space: return invalid("timestamp uses a space instead of the 'T' separator")
      default: break
      }
    }
    if n == 10 && buf[4] == ASCIIByte.hyphen && buf[7] == ASCIIByte.hyphen {
      return invalid("timestamp has a date but no time")
    }
    guard n >= 19, buf[4] == ASCIIByte.hyphen, buf[7] == ASCIIByte.hyphen, buf[10] == 0x54,
      buf[13] == ASCIIByte.colon, buf[16] == ASCIIByte.colon,
      let y1 = two(buf, 0), let y2 = two(buf, 2), let month = two(buf, 5), let day = two(buf, 8),
      let hour = two(buf, 11), let minute = two(buf, 14), let second = two(buf, 17)
    else {
      return invalid(shapeMessage)
    }
    var p = Parsed()
    p.year = y1 * 100 + y2
    if p.year == 0 && !allowYearZero { return invalid("timestamp year 0000 is not allowed") }
    if month < 1 || month > 12 { return invalid("timestamp month is out of range 01-12") }
    if day < 1 || day > CivilCalendar.daysInMonth(year: p.year, month: month) {
      return invalid("timestamp day does not exist in that month")
    }
    if hour > 23 { return invalid("timestamp hour is out of range 00-23 (24:00 is not allowed)") }
    if minute > 59 { return invalid("timestamp minute is out of range 00-59") }
    if second > 59 {
      return invalid("timestamp second is out of range 00-59 (leap seconds are not allowed)")
    }
    p.month = month
    p.day = day
    p.hour = hour
    p.minute = minute
    p.second = second

    var i = 19
    if i < n && buf[i] == 0x2C {
      return invalid("timestamp uses a decimal comma; a '.' is required")
    }
    if i < n && buf[i] == ASCIIByte.dot {
      i += 1
      var value = 0
      var count = 0
      while i < n && ASCIIByte.isDigit(buf[i]) {
        count += 1
        if count > 9 { return invalid("timestamp fraction has more than 9 digits") }
        value = value * 10 + Int(buf[i] &- ASCIIByte.zero)
        i += 1
      }
      if count == 0 { return invalid("timestamp fraction has no digits") }
      var scale = count
      while scale < 9 {
        value *= 10
        scale += 1
      }
      p.nanosecond = value
      p.fractionDigits = count
    }
    if i == n { return .success(p) }
    switch buf[i] {
    case 0x5A:  // Z
      p.offset = .utc
      i += 1
    case 0x7A:
      return invalid("timestamp uses a lower-case 'z'; 'Z' is required")
    case ASCIIByte.plus, ASCIIByte.hyphen:
      let sign = buf[i] == ASCIIByte.plus ? 1 : -1
      let rest = n - i - 1
      if rest >= 4, two(buf, i + 1) != nil, two(buf, i + 3) != nil {
        return invalid("timestamp offset is in basic format ±HHMM; ±HH:MM is required")
      }
      guard rest >= 5, let oh = two(buf, i + 1), buf[i + 3] == ASCIIByte.colon,
        let om = two(buf, i + 4)
      else {
        return invalid("timestamp offset is not in the form ±HH:MM")
      }
      if oh > 23 || om > 59 { return invalid("timestamp offset is out of range (at most ±23:59)") }
      p.offset = .numeric(sign * (oh * 3600 + om * 60))
      i += 6
    default:
      return invalid("timestamp has text after the time that is not a zone offset (Z or ±HH:MM)")
    }
    if i != n { return invalid("timestamp has text after the zone offset") }
    return .success(p)
  }
}
