import CaseInterchange
import Testing

@testable import CaseModel

/// A synthetic zone with one transition, independent of the system's tz database.
private struct OneTransitionZone: ZoneRules {
  var identifier: String { "Test/OneTransition" }
  let transition: Int64
  let before: Int
  let after: Int
  func offsetSeconds(atUTC seconds: Int64) -> Int { seconds < transition ? before : after }
}

private func local(_ y: Int, _ mo: Int, _ d: Int, _ h: Int, _ mi: Int, _ s: Int = 0) -> LocalDateTime {
  LocalDateTime(year: y, month: mo, day: d, hour: h, minute: mi, second: s)!
}

@Suite("Zone rules and DST resolution")
struct ZoneResolutionTests {
  // MARK: FoundationZoneRules

  @Test(arguments: ["America/New_York", "Europe/Berlin", "Australia/Sydney", "UTC", "Etc/UTC"])
  func ianaIdsAccepted(id: String) throws {
    let zone = try #require(FoundationZoneRules(identifier: id))
    #expect(zone.identifier == id)
  }

  @Test(arguments: ["EST", "CET", "PST", "GMT", "EDT", "Z", "", "Mars/Olympus_Mons", "Europe/Nowhere", "+02:00", "UTC+5"])
  func abbreviationsAndUnknownIdsRejected(id: String) {
    #expect(FoundationZoneRules(identifier: id) == nil)
  }

  @Test func utcHasZeroOffset() throws {
    let zone = try #require(FoundationZoneRules(identifier: "UTC"))
    #expect(zone.offsetSeconds(atUTC: 0) == 0)
    #expect(zone.offsetSeconds(atUTC: 1_720_094_400) == 0)
  }

  // MARK: America/New_York

  @Test func newYorkSpringGap() throws {
    let ny = try #require(FoundationZoneRules(identifier: "America/New_York"))
    #expect(resolveLocalTime(local(2024, 3, 10, 2, 30), in: ny) == .gap)
    #expect(resolveLocalTime(local(2024, 3, 10, 2, 0), in: ny) == .gap)
    #expect(resolveLocalTime(local(2024, 3, 10, 2, 59, 59), in: ny) == .gap)
    #expect(resolveLocalTime(local(2024, 3, 10, 1, 59, 59), in: ny) == .unique(offsetSeconds: -18_000))
    #expect(resolveLocalTime(local(2024, 3, 10, 3, 0), in: ny) == .unique(offsetSeconds: -14_400))
  }

  @Test func newYorkAutumnOverlap() throws {
    let ny = try #require(FoundationZoneRules(identifier: "America/New_York"))
    #expect(
      resolveLocalTime(local(2024, 11, 3, 1, 30), in: ny)
        == .overlap(earlierOffsetSeconds: -14_400, laterOffsetSeconds: -18_000))
    #expect(
      resolveLocalTime(local(2024, 11, 3, 1, 0), in: ny)
        == .overlap(earlierOffsetSeconds: -14_400, laterOffsetSeconds: -18_000))
    #expect(resolveLocalTime(local(2024, 11, 3, 0, 59, 59), in: ny) == .unique(offsetSeconds: -14_400))
    #expect(resolveLocalTime(local(2024, 11, 3, 2, 0), in: ny) == .unique(offsetSeconds: -18_000))
  }

  @Test func newYorkUnique() throws {
    let ny = try #require(FoundationZoneRules(identifier: "America/New_York"))
    #expect(resolveLocalTime(local(2024, 7, 4, 12, 0), in: ny) == .unique(offsetSeconds: -14_400))
    #expect(resolveLocalTime(local(2024, 1, 15, 12, 0), in: ny) == .unique(offsetSeconds: -18_000))
  }

  @Test func newYorkTimestamps() throws {
    let ny = try #require(FoundationZoneRules(identifier: "America/New_York"))
    expectRejected(
      Timestamp.parseISO8601("2024-03-10T02:30:00", assumingZone: ny), rule: "timestamp.dst-gap",
      input: "2024-03-10T02:30:00")
    expectRejected(
      Timestamp.parseISO8601("2024-11-03T01:30:00", assumingZone: ny), rule: "timestamp.dst-overlap",
      input: "2024-11-03T01:30:00")
    let summer = try #require(success(Timestamp.parseISO8601("2024-07-04T12:00:00", assumingZone: ny)))
    #expect(summer.utcText == "2024-07-04T16:00:00Z")
    #expect(summer.originalOffsetSeconds == -14_400)
    #expect(summer.originalOffsetText == "-04:00")
    #expect(summer.zoneIdentifier == "America/New_York")
    let winter = try #require(success(Timestamp.parseISO8601("2024-01-15T12:00:00.250", assumingZone: ny)))
    #expect(winter.utcText == "2024-01-15T17:00:00.250Z")
    // An explicit offset inside the gap's wall-clock range is fine: it is not ambiguous.
    let explicit = try #require(success(Timestamp.parseISO8601("2024-03-10T02:30:00-05:00", assumingZone: ny)))
    #expect(explicit.utcText == "2024-03-10T07:30:00Z")
    #expect(explicit.zoneIdentifier == nil)
  }

  // MARK: Europe/Berlin

  @Test func berlin() throws {
    let berlin = try #require(FoundationZoneRules(identifier: "Europe/Berlin"))
    #expect(resolveLocalTime(local(2024, 3, 31, 2, 30), in: berlin) == .gap)
    #expect(
      resolveLocalTime(local(2024, 10, 27, 2, 30), in: berlin)
        == .overlap(earlierOffsetSeconds: 7200, laterOffsetSeconds: 3600))
    #expect(resolveLocalTime(local(2024, 7, 4, 12, 0), in: berlin) == .unique(offsetSeconds: 7200))
    #expect(resolveLocalTime(local(2024, 1, 15, 12, 0), in: berlin) == .unique(offsetSeconds: 3600))
    #expect(resolveLocalTime(local(2024, 3, 31, 1, 59, 59), in: berlin) == .unique(offsetSeconds: 3600))
    #expect(resolveLocalTime(local(2024, 3, 31, 3, 0), in: berlin) == .unique(offsetSeconds: 7200))
    expectRejected(
      Timestamp.parseISO8601("2024-03-31T02:30:00", assumingZone: berlin), rule: "timestamp.dst-gap",
      input: "2024-03-31T02:30:00")
    expectRejected(
      Timestamp.parseISO8601("2024-10-27T02:30:00", assumingZone: berlin), rule: "timestamp.dst-overlap",
      input: "2024-10-27T02:30:00")
    let summer = try #require(success(Timestamp.parseISO8601("2024-07-04T12:00:00", assumingZone: berlin)))
    #expect(summer.utcText == "2024-07-04T10:00:00Z")
    #expect(summer.originalOffsetText == "+02:00")
  }

  // MARK: Resolve API

  @Test func resolveLocalTimeDirectly() throws {
    let ny = try #require(FoundationZoneRules(identifier: "America/New_York"))
    let stamp = try #require(
      success(Timestamp.resolve(local(2024, 7, 4, 12, 0), in: ny, originalText: "07/04/2024 12:00 PM")))
    #expect(stamp.utcText == "2024-07-04T16:00:00Z")
    #expect(stamp.originalText == "07/04/2024 12:00 PM")
    #expect(failure(Timestamp.resolve(local(2024, 3, 10, 2, 30), in: ny, originalText: "x"))?.rule == "timestamp.dst-gap")
    #expect(failure(Timestamp.resolve(local(2024, 11, 3, 1, 30), in: ny, originalText: "x"))?.rule == "timestamp.dst-overlap")
  }

  // MARK: Synthetic zones (no tz database)

  @Test func syntheticForwardTransitionIsAGap() {
    // At 2024-01-01T00:00:00Z the offset goes from +00:00 to +01:00: local 00:00–00:59 is skipped.
    let zone = OneTransitionZone(transition: 1_704_067_200, before: 0, after: 3600)
    #expect(resolveLocalTime(local(2023, 12, 31, 23, 59, 59), in: zone) == .unique(offsetSeconds: 0))
    #expect(resolveLocalTime(local(2024, 1, 1, 0, 0), in: zone) == .gap)
    #expect(resolveLocalTime(local(2024, 1, 1, 0, 59, 59), in: zone) == .gap)
    #expect(resolveLocalTime(local(2024, 1, 1, 1, 0), in: zone) == .unique(offsetSeconds: 3600))
  }

  @Test func syntheticBackwardTransitionIsAnOverlap() {
    // At 2024-01-01T00:00:00Z the offset goes from +01:00 to +00:00: local 00:00–00:59 repeats.
    let zone = OneTransitionZone(transition: 1_704_067_200, before: 3600, after: 0)
    #expect(resolveLocalTime(local(2023, 12, 31, 23, 59, 59), in: zone) == .unique(offsetSeconds: 3600))
    #expect(resolveLocalTime(local(2024, 1, 1, 0, 0), in: zone) == .overlap(earlierOffsetSeconds: 3600, laterOffsetSeconds: 0))
    #expect(resolveLocalTime(local(2024, 1, 1, 0, 59, 59), in: zone) == .overlap(earlierOffsetSeconds: 3600, laterOffsetSeconds: 0))
    #expect(resolveLocalTime(local(2024, 1, 1, 1, 0), in: zone) == .unique(offsetSeconds: 0))
    let text = "2024-01-01T00:30:00"
    expectRejected(Timestamp.parseISO8601(text, assumingZone: zone), rule: "timestamp.dst-overlap", input: text)
  }

  @Test func fixedOffsetZone() {
    #expect(FixedOffsetZone(offsetSeconds: 7200).identifier == "+02:00")
    #expect(FixedOffsetZone(offsetSeconds: -16_200).identifier == "-04:30")
    #expect(FixedOffsetZone(offsetSeconds: 0).identifier == "+00:00")
    #expect(FixedOffsetZone(offsetSeconds: 3661).identifier == "+01:01:01")
    #expect(FixedOffsetZone(offsetSeconds: 20_700).identifier == "+05:45")
    let zone = FixedOffsetZone(offsetSeconds: -18_000)
    #expect(zone.offsetSeconds(atUTC: 0) == -18_000)
    #expect(zone.offsetSeconds(atUTC: 1_720_094_400) == -18_000)
    #expect(resolveLocalTime(local(2024, 3, 10, 2, 30), in: zone) == .unique(offsetSeconds: -18_000))
  }
}
