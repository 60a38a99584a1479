/// A date and wall-clock time without a zone (a "naive" local time).
///
/// It becomes an instant only with an offset or a ``ZoneRules`` (see ``resolveLocalTime(_:in:)``
/// and ``Timestamp/resolve(_:in:originalText:)``).
public struct LocalDateTime: Sendable, Hashable, Comparable, CustomStringConvertible {
  /// The year, 1...9999.
  public let year: Int
  /// The month, 1...12.
  public let month: Int
  /// The day of the month.
  public let day: Int
  /// The hour, 0...23.
  public let hour: Int
  /// The minute, 0...59.
  public let minute: Int
  /// The second, 0...59 (no leap seconds).
  public let second: Int
  /// The nanosecond, 0..<1_000_000_000.
  public let nanosecond: Int

  /// Creates a local date-time, or returns nil if any field is out of range or the day does not exist.
  /// - Parameters:
  ///   - year: 1...9999.
  ///   - month: 1...12.
  ///   - day: 1 up to the number of days in that month.
  ///   - hour: 0...23.
  ///   - minute: 0...59.
  ///   - second: 0...59.
  ///   - nanosecond: 0..<1_000_000_000.
  public init?(
    year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int, nanosecond: Int = 0
  ) {
    guard CalendarDate(year: year, month: month, day: day) != nil,
      (0...23).contains(hour), (0...59).contains(minute), (0...59).contains(second),
      (0..<1_000_000_000).contains(nanosecond)
    else { return nil }
    self.init(
      uncheckedYear: year, month: month, day: day, hour: hour, minute: minute, second: second,
      nanosecond: nanosecond)
  }

  /// Creates a local date-time from fields already validated by the caller.
  init(
    uncheckedYear year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int,
    nanosecond: Int
  ) {
    self.year = year
    self.month = month
    self.day = day
    self.hour = hour
    self.minute = minute
    self.second = second
    self.nanosecond = nanosecond
  }

  /// The calendar date part.
  public var date: CalendarDate {
    // Fields were validated on creation.
    CalendarDate(year: year, month: month, day: day)!
  }

  /// Whole seconds since the epoch if this wall-clock time were UTC (nanoseconds excluded).
  public var secondsAsIfUTC: Int64 {
    CivilCalendar.daysFromCivil(year: Int64(year), month: Int64(month), day: Int64(day)) * 86_400
      + Int64(hour * 3600 + minute * 60 + second)
  }

  /// Orders local times by their fields.
  public static func < (lhs: LocalDateTime, rhs: LocalDateTime) -> Bool {
    if lhs.secondsAsIfUTC != rhs.secondsAsIfUTC { return lhs.secondsAsIfUTC < rhs.secondsAsIfUTC }
    return lhs.nanosecond < rhs.nanosecond
  }

  /// The ISO 8601 form without zone, e.g. `"2024-03-10T02:30:00"` (fraction as in ``Instant/iso8601``).
  public var description: String {
    var text = Instant(seconds: secondsAsIfUTC, nanoseconds: Int32(nanosecond)).iso8601
    text.removeLast()  // the "Z"
    return text
  }
}
