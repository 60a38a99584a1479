import Testing

@testable import CaseModel

@Suite("Timestamp")
struct TimestampTests {
  // MARK: Accepted

  @Test(arguments: [
    ("2024-02-10T14:03:00Z", "2024-02-10T14:03:00Z", 0, "Z"),
    ("2012-10-15T08:00:00-07:00", "2012-10-15T15:00:00Z", -25_200, "-07:00"),
    ("2024-03-01T12:34:56+02:00", "2024-03-01T10:34:56Z", 7200, "+02:00"),
    ("2024-03-01T12:34:56+00:00", "2024-03-01T12:34:56Z", 0, "+00:00"),
    ("2024-03-01T12:34:56-00:00", "2024-03-01T12:34:56Z", 0, "+00:00"),
    ("2024-03-01T12:34:56.123+02:00", "2024-03-01T10:34:56.123Z", 7200, "+02:00"),
    ("2024-03-01T05:30:00+05:30", "2024-03-01T00:00:00Z", 19_800, "+05:30"),
    ("2024-03-01T00:30:00+23:59", "2024-02-29T00:31:00Z", 86_340, "+23:59"),
    ("2024-03-01T23:30:00-23:59", "2024-03-02T23:29:00Z", -86_340, "-23:59"),
    ("2024-12-31T23:59:59-01:00", "2025-01-01T00:59:59Z", -3600, "-01:00"),
    ("0001-01-01T00:00:00Z", "0001-01-01T00:00:00Z", 0, "Z"),
    ("9999-12-31T23:59:59.999999999Z", "9999-12-31T23:59:59.999999999Z", 0, "Z"),
  ])
  func accepted(text: String, utc: String, offset: Int, offsetText: String) throws {
    let stamp = try #require(success(Timestamp.parseISO8601(text)))
    #expect(stamp.utcText == utc)
    #expect(stamp.instant.iso8601 == utc)
    #expect(stamp.originalText == text)
    #expect(stamp.originalOffsetSeconds == offset)
    #expect(stamp.originalOffsetText == offsetText)
    #expect(stamp.zoneIdentifier == nil)
  }

  @Test func knownEpochValues() {
    #expect(success(Timestamp.parseISO8601("2024-02-10T14:03:00Z"))?.instant.seconds == 1_707_573_780)
    #expect(success(Timestamp.parseISO8601("2012-10-15T08:00:00-07:00"))?.instant.seconds == 1_350_313_200)
    #expect(success(Timestamp.parseISO8601("1970-01-01T00:00:00Z"))?.instant == Instant(seconds: 0))
  }

  @Test(arguments: [
    (".1", 100_000_000), (".12", 120_000_000), (".123", 123_000_000), (".1234", 123_400_000),
    (".12345", 123_450_000), (".123456", 123_456_000), (".1234567", 123_456_700),
    (".12345678", 123_456_780), (".123456789", 123_456_789), (".000000001", 1), (".0", 0),
  ])
  func fractionDigits(fraction: String, nanoseconds: Int32) throws {
    let stamp = try #require(success(Timestamp.parseISO8601("2024-03-01T12:34:56" + fraction + "Z")))
    #expect(stamp.instant.nanoseconds == nanoseconds)
    #expect(stamp.instant.seconds == 1_709_296_496)
  }

  @Test func instantsCompareAcrossOffsets() throws {
    // 10:00+05:30 is 04:30Z, which is before 05:00Z, although the string sorts after.
    let a = try #require(success(Timestamp.parseISO8601("2024-03-01T10:00:00+05:30")))
    let b = try #require(success(Timestamp.parseISO8601("2024-03-01T05:00:00Z")))
    #expect(a.instant < b.instant)
  }

  @Test func leapDay() {
    #expect(success(Timestamp.parseISO8601("2024-02-29T00:00:00Z"))?.instant.seconds == 1_709_164_800)
    #expect(success(Timestamp.parseISO8601("2000-02-29T12:00:00Z")) != nil)
    expectRejected(Timestamp.parseISO8601("2023-02-29T00:00:00Z"), rule: "timestamp.invalid", input: "2023-02-29T00:00:00Z")
    expectRejected(Timestamp.parseISO8601("2100-02-29T00:00:00Z"), rule: "timestamp.invalid", input: "2100-02-29T00:00:00Z")
    expectRejected(Timestamp.parseISO8601("1900-02-29T00:00:00Z"), rule: "timestamp.invalid", input: "1900-02-29T00:00:00Z")
  }

  // MARK: Strictness (DEPENDENCIES.md §4 table and DOMAIN.md §8)

  @Test(arguments: [
    "2024-03-01T12:34:56", "2024-03-01T12:34:56.5", "2024-02-29T00:00:00", "2024-03-01T12:34:56.123456789",
  ])
  func missingZone(text: String) {
    expectRejected(Timestamp.parseISO8601(text), rule: "timestamp.missing-zone", input: text)
  }

  @Test(arguments: [
    "2024-03-01T12:34:56+0200",  // basic offset
    "2024-03-01T12:34:56-0700",
    "2024-02-30T12:00:00Z",  // rolled over by Foundation; rejected here
    "2024-03-01T24:00:00Z",
    "2016-12-31T23:59:60Z",  // leap second
    "2024-03-01t12:34:56Z",  // lower-case t
    "2024-03-01T12:34:56z",  // lower-case z
    "2024-03-01 12:34:56Z",  // space separator
    "2024-03-01",  // date only
    "2024-03-01T12:34Z",  // no seconds
    "2024-03-01T12:34:56+01:00Z",
    "2024-03-01T12:34:56 UTC+5",
    "2024-03-01T12:34:56 UTC",
    "2024-03-01T12:34:56UTC",
    "2024-13-01T12:34:56Z",
    "2024-00-01T12:34:56Z",
    "2024-04-31T12:34:56Z",
    "0000-01-01T00:00:00Z",
    "2024-03-01T12:60:00Z",
    "2024-03-01T12:34:56+24:00",
    "2024-03-01T12:34:56+05:60",
    "2024-03-01T12:34:56+02",
    "2024-03-01T12:34:56+2:00",
    "2024-03-01T12:34:56+02:00:00",
    "2024-03-01T12:34:56.Z",
    "2024-03-01T12:34:56.1234567890Z",
    "2024-03-01T12:34:56,5Z",
    " 2024-03-01T12:34:56Z",
    "2024-03-01T12:34:56Z ",
    "2024-3-01T12:34:56Z",
    "24-03-01T12:34:56Z",
    "+2024-03-01T12:34:56Z",
    "2024-03-01T12:34:56.5.5Z",
    "\u{FF12}024-03-01T12:34:56Z",
    "2024-03-01T12:34:56\u{2212}02:00",  // MINUS SIGN
    "2024-03-01T12:34:56Z\u{200B}",
    "2024/03/01T12:34:56Z",
    "",
    "2024-02-30T12:00:00",  // impossible date without zone: invalid, not missing-zone
    "2024-03-01T24:00:00",
  ])
  func invalid(text: String) {
    expectRejected(Timestamp.parseISO8601(text), rule: "timestamp.invalid", input: text)
  }

  @Test func messagesNameTheProblem() {
    func message(_ text: String) -> String { failure(Timestamp.parseISO8601(text))?.message ?? "" }
    #expect(message("2024-03-01T12:34:56+0200").contains("basic"))
    #expect(message("2024-03-01t12:34:56Z").contains("lower-case 't'"))
    #expect(message("2024-03-01T12:34:56z").contains("lower-case 'z'"))
    #expect(message("2024-03-01 12:34:56Z").contains("space"))
    #expect(message("2024-03-01T24:00:00Z").contains("24:00"))
    #expect(message("2016-12-31T23:59:60Z").contains("leap"))
    #expect(message("2024-02-30T12:00:00Z").contains("day"))
    #expect(message("2024-13-01T12:00:00Z").contains("month"))
    #expect(message("0000-01-01T00:00:00Z").contains("0000"))
    #expect(message("2024-03-01T12:34:56+01:00Z").contains("after the zone offset"))
    #expect(message("2024-03-01").contains("no time"))
    #expect(message("2024-03-01T12:34:56,5Z").contains("comma"))
  }

  // MARK: Declared zone

  @Test func fixedZoneResolvesNaiveValue() throws {
    let zone = FixedOffsetZone(offsetSeconds: 7200)
    let stamp = try #require(success(Timestamp.parseISO8601("2024-03-01T12:34:56", assumingZone: zone)))
    #expect(stamp.utcText == "2024-03-01T10:34:56Z")
    #expect(stamp.originalOffsetSeconds == 7200)
    #expect(stamp.originalOffsetText == "+02:00")
    #expect(stamp.zoneIdentifier == "+02:00")
  }

  @Test func explicitOffsetIgnoresDeclaredZone() throws {
    let zone = FixedOffsetZone(offsetSeconds: 7200)
    let stamp = try #require(success(Timestamp.parseISO8601("2024-03-01T12:34:56-05:00", assumingZone: zone)))
    #expect(stamp.utcText == "2024-03-01T17:34:56Z")
    #expect(stamp.originalOffsetSeconds == -18_000)
    #expect(stamp.zoneIdentifier == nil)
    let z = try #require(success(Timestamp.parseISO8601("2024-03-01T12:34:56Z", assumingZone: zone)))
    #expect(z.originalOffsetText == "Z")
  }

  @Test func declaredZoneDoesNotRelaxGrammar() {
    let zone = FixedOffsetZone(offsetSeconds: 0)
    expectRejected(
      Timestamp.parseISO8601("2024-03-01 12:34:56", assumingZone: zone), rule: "timestamp.invalid",
      input: "2024-03-01 12:34:56")
    expectRejected(
      Timestamp.parseISO8601("2024-02-30T12:34:56", assumingZone: zone), rule: "timestamp.invalid",
      input: "2024-02-30T12:34:56")
  }

  @Test func zeroOffsetFromZoneIsNumeric() throws {
    let zone = FixedOffsetZone(offsetSeconds: 0)
    // The text ends in a digit, and a zone gave the offset: "+00:00", not "Z".
    let stamp = try #require(success(Timestamp.parseISO8601("2024-03-01T12:34:56", assumingZone: zone)))
    #expect(stamp.originalOffsetText == "+00:00")
  }

  @Test func offsetTextIsNilWithoutOffset() {
    let stamp = Timestamp(instant: Instant(seconds: 0), originalText: "1970", originalOffsetSeconds: nil, zoneIdentifier: nil)
    #expect(stamp.originalOffsetText == nil)
    #expect(stamp.utcText == "1970-01-01T00:00:00Z")
  }
}
