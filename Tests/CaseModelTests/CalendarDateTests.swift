import Testing

@testable import CaseModel

@Suite("CalendarDate and civil conversions")
struct CalendarDateTests {
  @Test(arguments: [
    ("2024-02-29", 2024, 2, 29), ("2000-02-29", 2000, 2, 29), ("2023-02-28", 2023, 2, 28),
    ("0001-01-01", 1, 1, 1), ("9999-12-31", 9999, 12, 31), ("1970-01-01", 1970, 1, 1),
    ("2024-04-30", 2024, 4, 30), ("2024-12-31", 2024, 12, 31),
  ])
  func accepted(text: String, year: Int, month: Int, day: Int) throws {
    let date = try #require(success(CalendarDate.parse(text)))
    #expect(date.year == year && date.month == month && date.day == day)
    #expect(date.iso8601 == text)
    #expect(date.description == text)
  }

  @Test(arguments: [
    "2023-02-29",  // not a leap year
    "1900-02-29",  // century, not a leap year
    "2100-02-29",
    "2024-02-30", "2024-04-31", "2024-06-31", "2024-09-31", "2024-11-31", "2024-01-32",
    "2024-13-01", "2024-00-10", "2024-01-00", "0000-01-01",
    "2024-2-01", "24-02-01", "2024/02/01", "2024-02-01T00:00:00Z", " 2024-02-01", "2024-02-01 ",
    "20240201", "\u{FF12}024-02-01", "2024-02-1a", "", "+2024-02-01",
  ])
  func rejected(text: String) {
    expectRejected(CalendarDate.parse(text), rule: "date.invalid", input: text)
  }

  @Test func initialiserValidates() {
    #expect(CalendarDate(year: 2024, month: 2, day: 29) != nil)
    #expect(CalendarDate(year: 2023, month: 2, day: 29) == nil)
    #expect(CalendarDate(year: 0, month: 1, day: 1) == nil)
    #expect(CalendarDate(year: 10000, month: 1, day: 1) == nil)
    #expect(CalendarDate(year: 2024, month: 13, day: 1) == nil)
    #expect(CalendarDate(year: 2024, month: 1, day: 0) == nil)
  }

  @Test(arguments: [
    (1970, 1, 1, Int64(0)), (2024, 2, 29, 19782), (2000, 3, 1, 11017), (1969, 12, 31, -1),
    (1, 1, 1, -719_162), (9999, 12, 31, 2_932_896),
  ])
  func daysSinceEpoch(year: Int, month: Int, day: Int, days: Int64) throws {
    let date = try #require(CalendarDate(year: year, month: month, day: day))
    #expect(date.daysSinceEpoch == days)
    #expect(CalendarDate(daysSinceEpoch: days) == date)
  }

  @Test func daysSinceEpochOutsideRange() {
    #expect(CalendarDate(daysSinceEpoch: -719_163) == nil)
    #expect(CalendarDate(daysSinceEpoch: 2_932_897) == nil)
  }

  @Test func ordering() throws {
    let a = try #require(CalendarDate(year: 2023, month: 12, day: 31))
    let b = try #require(CalendarDate(year: 2024, month: 1, day: 1))
    let c = try #require(CalendarDate(year: 2024, month: 1, day: 2))
    #expect(a < b && b < c)
    #expect([c, a, b].sorted() == [a, b, c])
  }

  /// Property: days_from_civil and civil_from_days are inverse, and consecutive days are
  /// consecutive dates, over the first and last days of every year 1…9999 and random samples.
  @Test func civilDaysRoundTrip() {
    var previousLast: Int64?
    for year in 1...9999 {
      let first = CivilCalendar.daysFromCivil(year: Int64(year), month: 1, day: 1)
      let last = CivilCalendar.daysFromCivil(year: Int64(year), month: 12, day: 31)
      #expect(last - first + 1 == (CivilCalendar.isLeapYear(year) ? 366 : 365))
      if let p = previousLast { #expect(first == p + 1) }
      previousLast = last
      let f = CivilCalendar.civilFromDays(first)
      let l = CivilCalendar.civilFromDays(last)
      #expect(f.year == Int64(year) && f.month == 1 && f.day == 1)
      #expect(l.year == Int64(year) && l.month == 12 && l.day == 31)
    }
    var rng = SplitMix64(seed: 719_468)
    for _ in 0..<50_000 {
      let days = Int64.random(in: -719_162...2_932_896, using: &rng)
      let c = CivilCalendar.civilFromDays(days)
      #expect(CivilCalendar.daysFromCivil(year: c.year, month: c.month, day: c.day) == days)
      #expect((1...12).contains(c.month))
      #expect(c.day >= 1 && c.day <= Int64(CivilCalendar.daysInMonth(year: Int(c.year), month: Int(c.month))))
      let next = CivilCalendar.civilFromDays(days + 1)
      if c.day < Int64(CivilCalendar.daysInMonth(year: Int(c.year), month: Int(c.month))) {
        #expect(next.year == c.year && next.month == c.month && next.day == c.day + 1)
      } else {
        #expect(next.day == 1)
      }
    }
  }

  @Test func leapYearRule() {
    #expect(CivilCalendar.isLeapYear(2024))
    #expect(CivilCalendar.isLeapYear(2000))
    #expect(CivilCalendar.isLeapYear(1600))
    #expect(!CivilCalendar.isLeapYear(1900))
    #expect(!CivilCalendar.isLeapYear(2023))
    #expect(!CivilCalendar.isLeapYear(2100))
  }
}
