import Testing

@testable import CaseModel

@Suite("LocalDateTime")
struct LocalDateTimeTests {
  @Test func validFields() throws {
    let local = try #require(
      LocalDateTime(year: 2024, month: 2, day: 10, hour: 14, minute: 3, second: 0, nanosecond: 120_000_000))
    #expect(local.secondsAsIfUTC == 1_707_573_780)
    #expect(local.date == CalendarDate(year: 2024, month: 2, day: 10))
    #expect(local.description == "2024-02-10T14:03:00.120")
  }

  @Test(arguments: [
    (2023, 2, 29, 0, 0, 0, 0), (2024, 13, 1, 0, 0, 0, 0), (0, 1, 1, 0, 0, 0, 0), (10000, 1, 1, 0, 0, 0, 0),
    (2024, 1, 1, 24, 0, 0, 0), (2024, 1, 1, -1, 0, 0, 0), (2024, 1, 1, 0, 60, 0, 0), (2024, 1, 1, 0, 0, 60, 0),
    (2024, 1, 1, 0, 0, 0, 1_000_000_000), (2024, 1, 1, 0, 0, 0, -1),
  ])
  func invalidFieldsRejected(y: Int, mo: Int, d: Int, h: Int, mi: Int, s: Int, ns: Int) {
    #expect(LocalDateTime(year: y, month: mo, day: d, hour: h, minute: mi, second: s, nanosecond: ns) == nil)
  }

  @Test func ordering() throws {
    let a = try #require(LocalDateTime(year: 2024, month: 3, day: 10, hour: 1, minute: 59, second: 59))
    let b = try #require(LocalDateTime(year: 2024, month: 3, day: 10, hour: 1, minute: 59, second: 59, nanosecond: 1))
    let c = try #require(LocalDateTime(year: 2024, month: 3, day: 10, hour: 3, minute: 0, second: 0))
    #expect(a < b && b < c)
    #expect(!(c < a))
  }
}
