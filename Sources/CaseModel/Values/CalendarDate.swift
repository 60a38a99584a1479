/// A day in the proleptic Gregorian calendar, years 0001–9999, without time or zone.
///
/// Used for dates of birth (`xs:date`) and other date-only fields.
public struct CalendarDate: Sendable, Hashable, Comparable, CustomStringConvertible {
  /// The year, 1...9999.
  public let year: Int
  /// The month, 1...12.
  public let month: Int
  /// The day of the month, 1...28/29/30/31.
  public let day: Int

  /// Creates a date, or returns nil if the day does not exist (Feb 29 only in leap years).
  /// - Parameters:
  ///   - year: 1...9999.
  ///   - month: 1...12.
  ///   - day: 1 up to the number of days in that month.
  public init?(year: Int, month: Int, day: Int) {
    guard year >= 1 && year <= 9999, month >= 1 && month <= 12, day >= 1,
      day <= CivilCalendar.daysInMonth(year: year, month: month)
    else { return nil }
    self.year = year
    self.month = month
    self.day = day
  }

  /// Creates the date of a day count since 1970-01-01, or nil outside years 0001–9999.
  /// - Parameter daysSinceEpoch: Days since 1970-01-01 (negative before).
  public init?(daysSinceEpoch: Int64) {
    let c = CivilCalendar.civilFromDays(daysSinceEpoch)
    guard c.year >= 1 && c.year <= 9999 else { return nil }
    self.year = Int(c.year)
    self.month = Int(c.month)
    self.day = Int(c.day)
  }

  /// Days since 1970-01-01 (negative before).
  public var daysSinceEpoch: Int64 {
    CivilCalendar.daysFromCivil(year: Int64(year), month: Int64(month), day: Int64(day))
  }

  /// The `YYYY-MM-DD` form.
  public var iso8601: String {
    var out: [UInt8] = []
    out.reserveCapacity(10)
    ASCIIByte.appendDecimal(Int64(year), width: 4, to: &out)
    out.append(ASCIIByte.hyphen)
    ASCIIByte.appendDecimal(Int64(month), width: 2, to: &out)
    out.append(ASCIIByte.hyphen)
    ASCIIByte.appendDecimal(Int64(day), width: 2, to: &out)
    return String(decoding: out, as: UTF8.self)
  }

  /// The ``iso8601`` form.
  public var description: String { iso8601 }

  /// Orders dates chronologically.
  public static func < (lhs: CalendarDate, rhs: CalendarDate) -> Bool {
    (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
  }

  /// Parses a strict `YYYY-MM-DD` date that exists in the calendar.
  /// - Parameter text: Exactly ten characters, e.g. `"2024-02-29"`.
  /// - Returns: The date, or a ``FieldError`` with rule `"date.invalid"`.
  public static func parse(_ text: String) -> Result<CalendarDate, FieldError> {
    var copy = text
    return copy.withUTF8 { buf -> Result<CalendarDate, FieldError> in
      func fail(_ message: String) -> Result<CalendarDate, FieldError> {
        .failure(FieldError(rule: "date.invalid", message: message))
      }
      guard buf.count == 10, buf[4] == ASCIIByte.hyphen, buf[7] == ASCIIByte.hyphen else {
        return fail("date is not in the form YYYY-MM-DD")
      }
      var fields = (0, 0, 0)
      for (k, range) in [(0, 0..<4), (1, 5..<7), (2, 8..<10)] {
        var v = 0
        for i in range {
          let d = buf[i] &- ASCIIByte.zero
          guard d < 10 else { return fail("date is not in the form YYYY-MM-DD") }
          v = v * 10 + Int(d)
        }
        switch k {
        case 0: fields.0 = v
        case 1: fields.1 = v
        default: fields.2 = v
        }
      }
      if fields.0 == 0 { return fail("date year 0000 is not allowed") }
      if fields.1 < 1 || fields.1 > 12 { return fail("date month is out of range 01-12") }
      guard let date = CalendarDate(year: fields.0, month: fields.1, day: fields.2) else {
        return fail("date day does not exist in that month")
      }
      return .success(date)
    }
  }
}
