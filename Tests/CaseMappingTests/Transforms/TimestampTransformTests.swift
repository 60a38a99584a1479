import CaseInterchange
import CaseMapping
import CaseModel
import Testing

private typealias Kit = MappingTestKit

private func rule(
  _ pattern: String? = nil, zone: String? = nil, epoch: EpochUnit? = nil, dayMonthUnknown: Bool = false
) throws -> TimestampRule {
  var rule = TimestampRule()
  if let pattern { rule.pattern = try DateTimePattern(pattern) }
  if let zone {
    let rules: FoundationZoneRules = try #require(FoundationZoneRules(identifier: zone))
    rule.zone = rules
    rule.zoneIdentifier = zone
  }
  rule.epochUnit = epoch
  rule.dayMonthUnknown = dayMonthUnknown
  return rule
}

private func utc(_ text: String, _ rule: TimestampRule) -> String? {
  Kit.value(resolveTimestamp(text, rule: rule))?.utcText
}

@Suite("resolveTimestamp")
struct TimestampTransformTests {
  // MARK: Strict ISO 8601 (no pattern)

  @Test func isoWithOffset() throws {
    let stamp = try #require(Kit.value(resolveTimestamp("2024-02-10T16:03:00+02:00", rule: TimestampRule())))
    #expect(stamp.utcText == "2024-02-10T14:03:00Z")
    #expect(stamp.originalOffsetSeconds == 7200)
    #expect(stamp.originalText == "2024-02-10T16:03:00+02:00")
    #expect(stamp.zoneIdentifier == nil)
  }

  @Test func isoWithoutZone() throws {
    Kit.expectRule(resolveTimestamp("2024-02-10T14:03:00", rule: TimestampRule()), "timestamp.missing-zone", input: "2024-02-10T14:03:00")
    let stamp = try #require(Kit.value(resolveTimestamp("2024-07-01T10:00:00", rule: try rule(zone: "America/New_York"))))
    #expect(stamp.utcText == "2024-07-01T14:00:00Z")
    #expect(stamp.originalOffsetSeconds == -14_400)
    #expect(stamp.zoneIdentifier == "America/New_York")
    Kit.expectRule(resolveTimestamp("2024-03-10T02:30:00", rule: try rule(zone: "America/New_York")), "timestamp.dst-gap", input: "2024-03-10T02:30:00")
    Kit.expectRule(resolveTimestamp("2024-11-03T01:30:00", rule: try rule(zone: "America/New_York")), "timestamp.dst-overlap", input: "2024-11-03T01:30:00")
    // An explicit offset wins over the declared zone.
    let explicit = try #require(Kit.value(resolveTimestamp("2024-07-01T10:00:00Z", rule: try rule(zone: "America/New_York"))))
    #expect(explicit.utcText == "2024-07-01T10:00:00Z")
    #expect(explicit.zoneIdentifier == nil)
  }

  @Test func isoIsStrict() throws {
    for text in ["2024-02-10 14:03:00Z", "2024-02-10T14:03:00+0200", "02/10/2024", "1707573780"] {
      Kit.expectRule(resolveTimestamp(text, rule: TimestampRule()), "timestamp.invalid", input: text)
    }
  }

  @Test func declaredIdentifierIsKept() throws {
    var fixed = TimestampRule()
    fixed.zone = FixedOffsetZone(offsetSeconds: 3600)
    fixed.zoneIdentifier = "Test/Declared"
    let stamp = try #require(Kit.value(resolveTimestamp("2024-02-10T15:03:00", rule: fixed)))
    #expect(stamp.zoneIdentifier == "Test/Declared")
    #expect(stamp.utcText == "2024-02-10T14:03:00Z")
    // Without an explicit id the zone's own identifier is used.
    fixed.zoneIdentifier = nil
    #expect(Kit.value(resolveTimestamp("2024-02-10T15:03:00", rule: fixed))?.zoneIdentifier == "+01:00")
    var patterned = fixed
    patterned.pattern = try DateTimePattern("yyyy-MM-dd HH:mm")
    patterned.zoneIdentifier = "Test/Declared"
    #expect(Kit.value(resolveTimestamp("2024-02-10 15:03", rule: patterned))?.zoneIdentifier == "Test/Declared")
  }

  // MARK: Explicit offsets in a pattern

  @Test func explicitOffsetGivesThatInstant() throws {
    let r = try rule("yyyy-MM-dd HH:mm:ssXXX", zone: "Europe/Berlin")
    let stamp = try #require(Kit.value(resolveTimestamp("2024-07-01 10:00:00-04:00", rule: r)))
    #expect(stamp.utcText == "2024-07-01T14:00:00Z")
    #expect(stamp.originalOffsetSeconds == -14_400)
    #expect(stamp.zoneIdentifier == nil)
    #expect(stamp.originalText == "2024-07-01 10:00:00-04:00")
    let zulu = try #require(Kit.value(resolveTimestamp("2024-07-01 10:00:00Z", rule: r)))
    #expect(zulu.originalOffsetSeconds == 0)
    #expect(zulu.originalOffsetText == "Z")
    #expect(utc("2024-07-01 10:00:00.5+05:30", try rule("yyyy-MM-dd HH:mm:ss.SSSSSSXXX")) == "2024-07-01T04:30:00.500Z")
  }

  // MARK: Zone abbreviations

  @Test func abbreviationWithoutDeclaredZone() throws {
    let r = try rule("yyyy-MM-dd HH:mm:ss zzz")
    #expect(utc("2024-07-01 10:00:00 EDT", r) == "2024-07-01T14:00:00Z")
    // Nothing to contradict: EST is taken at its table offset even in July.
    #expect(utc("2024-07-01 10:00:00 EST", r) == "2024-07-01T15:00:00Z")
    #expect(utc("2024-07-01 10:00:00 UTC", r) == "2024-07-01T10:00:00Z")
    #expect(utc("2024-07-01 10:00:00 GMT", r) == "2024-07-01T10:00:00Z")
    #expect(utc("2024-07-01 10:00:00 Z", r) == "2024-07-01T10:00:00Z")
    #expect(utc("2024-07-01 10:00:00 PDT", r) == "2024-07-01T17:00:00Z")
    #expect(utc("2024-07-01 10:00:00 AKDT", r) == "2024-07-01T18:00:00Z")
    #expect(utc("2024-07-01 10:00:00 HST", r) == "2024-07-01T20:00:00Z")
    #expect(utc("2024-07-01 10:00:00 CEST", r) == "2024-07-01T08:00:00Z")
    #expect(utc("2024-07-01 10:00:00 AEST", r) == "2024-07-01T00:00:00Z")
    #expect(utc("2024-07-01 10:00:00 ACST", r) == "2024-07-01T00:30:00Z")
    let stamp = try #require(Kit.value(resolveTimestamp("2024-07-01 10:00:00 EDT", rule: r)))
    #expect(stamp.originalOffsetSeconds == -14_400)
    #expect(stamp.zoneIdentifier == nil)
    #expect(stamp.originalText == "2024-07-01 10:00:00 EDT")
  }

  @Test(arguments: ["XYZ", "IST", "AST", "est", "Eastern", "Pacific", "UTCX"])
  func unknownAbbreviation(abbreviation: String) throws {
    let text = "2024-07-01 10:00:00 \(abbreviation)"
    Kit.expectRule(resolveTimestamp(text, rule: try rule("yyyy-MM-dd HH:mm:ss zzz")), "timestamp.unknown-zone-abbreviation", input: text)
    Kit.expectRule(
      resolveTimestamp(text, rule: try rule("yyyy-MM-dd HH:mm:ss zzz", zone: "America/New_York")),
      "timestamp.unknown-zone-abbreviation", input: text)
  }

  @Test func estInJulyContradictsNewYork() throws {
    let r = try rule("yyyy-MM-dd HH:mm:ss zzz", zone: "America/New_York")
    Kit.expectRule(resolveTimestamp("2024-07-01 10:00:00 EST", rule: r), "timestamp.zone-contradiction", input: "2024-07-01 10:00:00 EST")
    Kit.expectRule(resolveTimestamp("2024-01-15 10:00:00 EDT", rule: r), "timestamp.zone-contradiction", input: "2024-01-15 10:00:00 EDT")
    Kit.expectRule(resolveTimestamp("2024-07-01 10:00:00 PDT", rule: r), "timestamp.zone-contradiction", input: "2024-07-01 10:00:00 PDT")
    Kit.expectRule(resolveTimestamp("2024-07-01 10:00:00 UTC", rule: r), "timestamp.zone-contradiction", input: "2024-07-01 10:00:00 UTC")
    // The matching abbreviations resolve; the declared zone only checked them.
    let summer = try #require(Kit.value(resolveTimestamp("2024-07-01 10:00:00 EDT", rule: r)))
    #expect(summer.utcText == "2024-07-01T14:00:00Z")
    #expect(summer.zoneIdentifier == nil)
    #expect(utc("2024-01-15 10:00:00 EST", r) == "2024-01-15T15:00:00Z")
    // 02:30 EDT on the spring-forward day is 06:30Z, when New York still showed 01:30 EST.
    Kit.expectRule(resolveTimestamp("2024-03-10 02:30:00 EDT", rule: r), "timestamp.zone-contradiction", input: "2024-03-10 02:30:00 EDT")
    // Either side of the autumn overlap is unambiguous with an abbreviation.
    #expect(utc("2024-11-03 01:30:00 EDT", r) == "2024-11-03T05:30:00Z")
    #expect(utc("2024-11-03 01:30:00 EST", r) == "2024-11-03T06:30:00Z")
  }

  @Test func cetAndCestInBerlin() throws {
    let r = try rule("yyyy-MM-dd HH:mm:ss zzz", zone: "Europe/Berlin")
    #expect(utc("2024-01-15 10:00:00 CET", r) == "2024-01-15T09:00:00Z")
    #expect(utc("2024-07-01 10:00:00 CEST", r) == "2024-07-01T08:00:00Z")
    Kit.expectRule(resolveTimestamp("2024-07-01 10:00:00 CET", rule: r), "timestamp.zone-contradiction", input: "2024-07-01 10:00:00 CET")
    Kit.expectRule(resolveTimestamp("2024-01-15 10:00:00 CEST", rule: r), "timestamp.zone-contradiction", input: "2024-01-15 10:00:00 CEST")
  }

  @Test func unixDateFormat() throws {
    let r = try rule("EEE MMM dd HH:mm:ss zzz yyyy", zone: "America/Los_Angeles")
    #expect(utc("Sat Feb 10 06:03:00 PST 2024", r) == "2024-02-10T14:03:00Z")
    Kit.expectRule(resolveTimestamp("Sat Feb 10 06:03:00 PDT 2024", rule: r), "timestamp.zone-contradiction", input: "Sat Feb 10 06:03:00 PDT 2024")
    Kit.expectRule(resolveTimestamp("Fri Feb 10 06:03:00 PST 2024", rule: r), "timestamp.invalid", input: "Fri Feb 10 06:03:00 PST 2024")
  }

  // MARK: Declared zone for naive values

  @Test func missingZone() throws {
    Kit.expectRule(resolveTimestamp("2024-07-01 10:00:00", rule: try rule("yyyy-MM-dd HH:mm:ss")), "timestamp.missing-zone", input: "2024-07-01 10:00:00")
  }

  @Test func newYorkResolution() throws {
    let r = try rule("yyyy-MM-dd HH:mm:ss", zone: "America/New_York")
    let stamp = try #require(Kit.value(resolveTimestamp("2024-07-01 10:00:00", rule: r)))
    #expect(stamp.utcText == "2024-07-01T14:00:00Z")
    #expect(stamp.originalOffsetSeconds == -14_400)
    #expect(stamp.zoneIdentifier == "America/New_York")
    #expect(stamp.originalText == "2024-07-01 10:00:00")
    #expect(utc("2024-01-15 10:00:00", r) == "2024-01-15T15:00:00Z")
    #expect(utc("2024-03-10 01:59:59", r) == "2024-03-10T06:59:59Z")
    #expect(utc("2024-03-10 03:00:00", r) == "2024-03-10T07:00:00Z")
    #expect(utc("2024-11-03 00:59:59", r) == "2024-11-03T04:59:59Z")
    #expect(utc("2024-11-03 02:00:00", r) == "2024-11-03T07:00:00Z")
  }

  @Test(arguments: ["2024-03-10 02:00:00", "2024-03-10 02:30:00", "2024-03-10 02:59:59"])
  func newYorkGap(text: String) throws {
    Kit.expectRule(resolveTimestamp(text, rule: try rule("yyyy-MM-dd HH:mm:ss", zone: "America/New_York")), "timestamp.dst-gap", input: text)
  }

  @Test(arguments: ["2024-11-03 01:00:00", "2024-11-03 01:30:00", "2024-11-03 01:59:59"])
  func newYorkOverlap(text: String) throws {
    Kit.expectRule(resolveTimestamp(text, rule: try rule("yyyy-MM-dd HH:mm:ss", zone: "America/New_York")), "timestamp.dst-overlap", input: text)
  }

  @Test func berlinGapAndOverlap() throws {
    let r = try rule("dd.MM.yyyy HH:mm", zone: "Europe/Berlin")
    Kit.expectRule(resolveTimestamp("31.03.2024 02:30", rule: r), "timestamp.dst-gap", input: "31.03.2024 02:30")
    Kit.expectRule(resolveTimestamp("27.10.2024 02:30", rule: r), "timestamp.dst-overlap", input: "27.10.2024 02:30")
    #expect(utc("31.03.2024 01:59", r) == "2024-03-31T00:59:00Z")
    #expect(utc("31.03.2024 03:00", r) == "2024-03-31T01:00:00Z")
    #expect(utc("27.10.2024 03:00", r) == "2024-10-27T02:00:00Z")
    let stamp = try #require(Kit.value(resolveTimestamp("01.07.2024 10:00", rule: r)))
    #expect(stamp.utcText == "2024-07-01T08:00:00Z")
    #expect(stamp.zoneIdentifier == "Europe/Berlin")
    #expect(stamp.originalOffsetSeconds == 7200)
  }

  @Test func twelveHourClockThroughAZone() throws {
    let r = try rule("MM/dd/yyyy hh:mm:ss a", zone: "America/New_York")
    #expect(utc("07/01/2024 12:00:00 AM", r) == "2024-07-01T04:00:00Z")
    #expect(utc("07/01/2024 12:00:00 PM", r) == "2024-07-01T16:00:00Z")
    #expect(utc("07/01/2024 12:59:59 AM", r) == "2024-07-01T04:59:59Z")
    #expect(utc("07/01/2024 01:00:00 PM", r) == "2024-07-01T17:00:00Z")
    #expect(utc("07/01/2024 11:59:59 PM", r) == "2024-07-02T03:59:59Z")
    Kit.expectRule(resolveTimestamp("07/01/2024 13:00:00 PM", rule: r), "timestamp.invalid", input: "07/01/2024 13:00:00 PM")
    let h24 = try rule("MM/dd/yyyy HH:mm:ss", zone: "America/New_York")
    Kit.expectRule(resolveTimestamp("07/01/2024 12:00:00 AM", rule: h24), "timestamp.twelve-hour-clock", input: "07/01/2024 12:00:00 AM")
  }

  @Test func dayMonthThroughTheRule() throws {
    let r = try rule("dd/MM/yyyy HH:mm", zone: "Europe/Berlin", dayMonthUnknown: true)
    Kit.expectRule(resolveTimestamp("03/04/2024 10:00", rule: r), "date.ambiguous-day-month", input: "03/04/2024 10:00")
    #expect(utc("13/04/2024 10:00", r) == "2024-04-13T08:00:00Z")
    #expect(utc("04/13/2024 10:00", r) == "2024-04-13T08:00:00Z")
  }

  @Test func dateOnlyPatternIsNotATimestamp() throws {
    Kit.expectRule(resolveTimestamp("2024-07-01", rule: try rule("yyyy-MM-dd", zone: "UTC")), "profile.invalid-pattern", input: "2024-07-01")
  }

  // MARK: Epochs

  @Test func epochUnits() throws {
    let s = try #require(Kit.value(resolveTimestamp("1707573780", rule: try rule(epoch: .seconds))))
    #expect(s.utcText == "2024-02-10T14:03:00Z")
    #expect(s.originalText == "1707573780")
    #expect(s.originalOffsetSeconds == 0)
    #expect(s.zoneIdentifier == nil)
    #expect(utc("1707573780123", try rule(epoch: .milliseconds)) == "2024-02-10T14:03:00.123Z")
    #expect(utc("1707573780123456", try rule(epoch: .microseconds)) == "2024-02-10T14:03:00.123456Z")
    #expect(utc("1707573780000000", try rule(epoch: .microseconds)) == "2024-02-10T14:03:00Z")
  }

  @Test func epochToleranceOfOneDigit() throws {
    #expect(utc("999999999", try rule(epoch: .seconds)) == "2001-09-09T01:46:39Z")
    #expect(utc("10000000000", try rule(epoch: .seconds)) == "2286-11-20T17:46:40Z")
    #expect(utc("999999999000", try rule(epoch: .milliseconds)) == "2001-09-09T01:46:39Z")
    #expect(utc("999999999000000", try rule(epoch: .microseconds)) == "2001-09-09T01:46:39Z")
  }

  @Test func negativeEpochs() throws {
    #expect(utc("-1000000000", try rule(epoch: .seconds)) == "1938-04-24T22:13:20Z")
    #expect(utc("-1000000000001", try rule(epoch: .milliseconds)) == "1938-04-24T22:13:19.999Z")
  }

  @Test func epochIgnoresPatternAndZone() throws {
    var r = try rule("yyyy-MM-dd HH:mm:ss", zone: "America/New_York", epoch: .seconds)
    r.dayMonthUnknown = true
    let stamp = try #require(Kit.value(resolveTimestamp("1707573780", rule: r)))
    #expect(stamp.utcText == "2024-02-10T14:03:00Z")
    #expect(stamp.zoneIdentifier == nil)
  }

  @Test(arguments: [
    (EpochUnit.seconds, "1707573780123"), (.seconds, "1707573780123456"), (.seconds, "17075737"),
    (.milliseconds, "1707573780"), (.milliseconds, "1707573780123456"), (.milliseconds, "17075737801234567"),
    (.microseconds, "1707573780"), (.microseconds, "1707573780123"), (.seconds, "1"),
    (.seconds, "12345678901234567890123"),
  ])
  func epochUnitMismatch(unit: EpochUnit, text: String) throws {
    Kit.expectRule(resolveTimestamp(text, rule: try rule(epoch: unit)), "timestamp.epoch-unit-mismatch", input: text)
  }

  @Test(arguments: [
    "", "-", "+1707573780", " 1707573780", "1707573780 ", "1707573780.5", "1.707573780e9", "0170757378",
    "17075737８0", "--1707573780", "1707-573780",
  ])
  func epochMalformed(text: String) throws {
    Kit.expectRule(resolveTimestamp(text, rule: try rule(epoch: .seconds)), "timestamp.invalid", input: text)
  }

  @Test func epochUnitFacts() {
    #expect(EpochUnit.seconds.typicalDigits == 10)
    #expect(EpochUnit.milliseconds.typicalDigits == 13)
    #expect(EpochUnit.microseconds.typicalDigits == 16)
    #expect(EpochUnit.milliseconds.acceptedDigits == 12...14)
    #expect(EpochUnit(rawValue: "microseconds") == .microseconds)
  }

  @Test func abbreviationTable() {
    let expected: [String: Int] = [
      "UTC": 0, "GMT": 0, "Z": 0, "EST": -18_000, "EDT": -14_400, "CST": -21_600, "CDT": -18_000,
      "MST": -25_200, "MDT": -21_600, "PST": -28_800, "PDT": -25_200, "AKST": -32_400, "AKDT": -28_800,
      "HST": -36_000, "BST": 3600, "CET": 3600, "CEST": 7200, "EET": 7200, "EEST": 10_800,
      "AEST": 36_000, "AEDT": 39_600,
    ]
    for (abbreviation, offset) in expected {
      #expect(ZoneAbbreviation.offsetSeconds(for: abbreviation) == offset, "\(abbreviation)")
    }
    for ambiguous in ["IST", "AST", "ADT", "SST", "ECT", "est", "Est", ""] {
      #expect(ZoneAbbreviation.offsetSeconds(for: ambiguous) == nil, "\(ambiguous)")
    }
  }
}
