import Testing

@testable import CaseModel

@Suite("Instant")
struct InstantTests {
  @Test(arguments: [
    (Int64(0), Int32(0), "1970-01-01T00:00:00Z"),
    (1_707_573_780, 0, "2024-02-10T14:03:00Z"),
    (1_707_573_780, 120_000_000, "2024-02-10T14:03:00.120Z"),
    (1_707_573_780, 1_000_000, "2024-02-10T14:03:00.001Z"),
    (1_707_573_780, 123_456_000, "2024-02-10T14:03:00.123456Z"),
    (1_707_573_780, 500_000, "2024-02-10T14:03:00.000500Z"),
    (1_707_573_780, 123_456_789, "2024-02-10T14:03:00.123456789Z"),
    (1_707_573_780, 1, "2024-02-10T14:03:00.000000001Z"),
    (1_709_164_800, 0, "2024-02-29T00:00:00Z"),
    (-1, 0, "1969-12-31T23:59:59Z"),
    (-1, 500_000_000, "1969-12-31T23:59:59.500Z"),
    (951_868_800, 0, "2000-03-01T00:00:00Z"),
    (-62_135_596_800, 0, "0001-01-01T00:00:00Z"),
    (253_402_300_799, 999_999_999, "9999-12-31T23:59:59.999999999Z"),
  ])
  func iso8601(seconds: Int64, nanoseconds: Int32, expected: String) {
    let instant = Instant(seconds: seconds, nanoseconds: nanoseconds)
    #expect(instant.iso8601 == expected)
    #expect(instant.description == expected)
    #expect(Instant.parseUTC(expected) == instant)
  }

  @Test func outOfRangeYearsPrintWithSign() {
    #expect(Instant(seconds: -62_135_596_801).iso8601 == "0000-12-31T23:59:59Z")
    #expect(Instant(seconds: 253_402_300_800).iso8601 == "+10000-01-01T00:00:00Z")
    #expect(Instant(seconds: -62_167_219_201).iso8601 == "-0001-12-31T23:59:59Z")
    #expect(Instant.parseUTC("+10000-01-01T00:00:00Z") == nil)
    // Year 0000 reads back, since a year-0001 local time with a positive offset lands there.
    #expect(Instant.parseUTC("0000-12-31T23:59:59Z") == Instant(seconds: -62_135_596_801))
  }

  @Test func nanosecondsAreNormalised() {
    #expect(Instant(seconds: 0, nanoseconds: -1) == Instant(seconds: -1, nanoseconds: 999_999_999))
    #expect(Instant(seconds: 0, nanoseconds: 1_500_000_000) == Instant(seconds: 1, nanoseconds: 500_000_000))
    #expect(Instant(seconds: 10, nanoseconds: -2_000_000_000) == Instant(seconds: 8))
    #expect(Instant(seconds: 5).nanoseconds == 0)
  }

  @Test func ordering() {
    let a = Instant(seconds: -1, nanoseconds: 999_999_999)
    let b = Instant(seconds: 0)
    let c = Instant(seconds: 0, nanoseconds: 1)
    #expect(a < b && b < c && a < c)
    #expect(!(b < b))
    #expect([c, a, b].sorted() == [a, b, c])
  }

  @Test(arguments: [
    "2024-02-10T14:03:00+00:00",  // Z required
    "2024-02-10T14:03:00",
    "2024-02-10T14:03:00z",
    "2024-02-10T14:03:00.12Z",  // only 3, 6 or 9 fraction digits
    "2024-02-10T14:03:00.1234Z",
    "2024-02-10T14:03:00.Z",
    "2024-02-30T14:03:00Z",
    "2024-02-10T24:00:00Z",
    "2024-02-10 14:03:00Z",
    "2024-02-10T14:03:00Z ",
    "",
  ])
  func parseUTCRejects(text: String) {
    #expect(Instant.parseUTC(text) == nil)
  }

  @Test func parseUTCAcceptsNonShortestFractions() {
    #expect(Instant.parseUTC("2024-02-10T14:03:00.000Z") == Instant(seconds: 1_707_573_780))
    #expect(Instant.parseUTC("2024-02-10T14:03:00.120000Z") == Instant(seconds: 1_707_573_780, nanoseconds: 120_000_000))
  }

  /// Property: iso8601 → parseUTC is the identity for instants in years 0001–9999.
  @Test(arguments: [UInt64(1), 42, 0xC0FFEE, 0xDEAD_BEEF])
  func iso8601RoundTrips(seed: UInt64) throws {
    var rng = SplitMix64(seed: seed)
    let low: Int64 = -62_135_596_800
    let high: Int64 = 253_402_300_799
    for _ in 0..<5000 {
      let seconds = Int64.random(in: low...high, using: &rng)
      let nanos: Int32
      switch rng.next() % 4 {
      case 0: nanos = 0
      case 1: nanos = Int32.random(in: 0..<1000, using: &rng) * 1_000_000
      case 2: nanos = Int32.random(in: 0..<1_000_000, using: &rng) * 1000
      default: nanos = Int32.random(in: 0..<1_000_000_000, using: &rng)
      }
      let instant = Instant(seconds: seconds, nanoseconds: nanos)
      let text = instant.iso8601
      let back = try #require(Instant.parseUTC(text), "seed \(seed): \(text)")
      #expect(back == instant, "seed \(seed): \(text)")
      // The Timestamp parser agrees.
      #expect(success(Timestamp.parseISO8601(text))?.instant == instant, "seed \(seed): \(text)")
    }
  }
}
