import CaseMapping
import CaseModel
import Testing

@Suite("DateTimePattern: compiling patterns")
struct DateTimePatternCompileTests {
  @Test(arguments: [
    "yyyy-MM-dd", "M/d/yyyy", "dd-MMM-yyyy", "yyyy-MM-dd'T'HH:mm:ss.SSSXXX", "yyyy-MM-dd HH:mm:ssXX",
    "yyyy-MM-dd HH:mmX", "MM/dd/yyyy hh:mm:ss a", "M/d/yyyy h:mm a", "EEE MMM dd HH:mm:ss zzz yyyy",
    "yyyy-MM-dd HH:mm:ss.SSSSSSSSS", "yyyy-MM-dd HH:mm:ss.S", "yyyy年MM月dd日", "dd.MM.yyyy H:mm",
    "yyyy-MM-dd 'at' HH:mm", "yyyyMMdd'T'HHmmss",
  ])
  func acceptedPatterns(pattern: String) throws {
    let compiled = try DateTimePattern(pattern)
    #expect(compiled.pattern == pattern)
    #expect(compiled.description == pattern)
  }

  @Test func hasZoneAndHasTime() throws {
    #expect(try DateTimePattern("yyyy-MM-dd").hasTime == false)
    #expect(try DateTimePattern("yyyy-MM-dd").hasZone == false)
    #expect(try DateTimePattern("yyyy-MM-dd HH:mm").hasTime)
    #expect(try DateTimePattern("yyyy-MM-dd HH:mm").hasZone == false)
    for zoned in ["yyyy-MM-dd HH:mmX", "yyyy-MM-dd HH:mmXX", "yyyy-MM-dd HH:mmXXX", "yyyy-MM-dd HH:mm zzz"] {
      let p = try DateTimePattern(zoned)
      #expect(p.hasZone && p.hasTime, "\(zoned)")
    }
    // A quoted X or z is a literal, not a zone.
    #expect(try DateTimePattern("yyyy-MM-dd HH:mm'X'").hasZone == false)
    #expect(try DateTimePattern("yyyy-MM-dd HH:mm 'zzz'").hasZone == false)
  }

  @Test func equalityFollowsPatternText() throws {
    #expect(try DateTimePattern("yyyy-MM-dd") == DateTimePattern("yyyy-MM-dd"))
    #expect(try DateTimePattern("yyyy-MM-dd") != DateTimePattern("yyyy/MM/dd"))
    let set: Set<DateTimePattern> = [try DateTimePattern("yyyy-MM-dd"), try DateTimePattern("yyyy-MM-dd")]
    #expect(set.count == 1)
  }

  @Test func twoDigitYearsAreRefused() {
    let message = MappingTestKit.expectInvalidPattern("MM/dd/yy")
    #expect(message?.contains("two-digit") == true)
    #expect(message?.contains("yy") == true)
  }

  @Test(arguments: [
    "y-MM-dd", "yyy-MM-dd", "yyyyy-MM-dd",  // year widths
    "MMMM dd yyyy", "yyyy-MM-ddd", "yyyy-MM-dd HHH:mm", "yyyy-MM-dd hhh:mm a",  // widths
    "yyyy-MM-dd HH:m", "yyyy-MM-dd HH:mm:s", "yyyy-MM-dd HH:mmm",  // minute/second widths
    "yyyy-MM-dd HH:mm:ss.SSSSSSSSSS",  // 10 fraction digits
    "yyyy-MM-dd hh:mm aa", "yyyy-MM-dd HH:mmXXXX", "yyyy-MM-dd HH:mm z", "yyyy-MM-dd HH:mm zzzz",
    "EEEE yyyy-MM-dd", "EE yyyy-MM-dd",  // weekday widths
    "yyyy-MM-ddTHH:mm", "yyyy-MM-dd Q", "yyyy-MM-dd HH:mm:ss Z", "yyyy-MM-dd G",  // unquoted letters
  ])
  func unsupportedTokensAreRefused(pattern: String) {
    MappingTestKit.expectInvalidPattern(pattern)
  }

  @Test func unterminatedQuoteIsRefused() {
    let message = MappingTestKit.expectInvalidPattern("yyyy-MM-dd'T")
    #expect(message?.contains("quoted") == true)
  }

  @Test func emptyPatternIsRefused() {
    MappingTestKit.expectInvalidPattern("")
  }

  @Test(arguments: [
    ("yyyy-MM-dd yyyy", "year"), ("yyyy-MM-dd MM", "month"), ("yyyy-MMM-dd MM", "month"),
    ("yyyy-MM-dd dd", "day"), ("yyyy-MM-dd HH:mm HH", "hour"), ("yyyy-MM-dd HH:mm:ss XXX zzz", "zone"),
    ("EEE EEE yyyy-MM-dd", "weekday"),
  ])
  func repeatedFieldsAreRefused(pattern: String, field: String) {
    let message = MappingTestKit.expectInvalidPattern(pattern)
    #expect(message?.contains(field) == true)
    #expect(message?.contains("more than once") == true)
  }

  @Test(arguments: ["MM-dd HH:mm", "yyyy-dd", "yyyy-MM", "HH:mm"])
  func missingDateFieldsAreRefused(pattern: String) {
    MappingTestKit.expectInvalidPattern(pattern)
  }

  @Test(arguments: [
    "yyyy-MM-dd HH", "yyyy-MM-dd mm", "yyyy-MM-dd HH:ss", "yyyy-MM-dd HH:mm.SSS",
    "yyyy-MM-ddXXX", "yyyy-MM-dd zzz",
  ])
  func incompleteTimesAreRefused(pattern: String) {
    MappingTestKit.expectInvalidPattern(pattern)
  }

  @Test func twelveHourClockNeedsMarkerAndViceVersa() {
    let noMarker = MappingTestKit.expectInvalidPattern("MM/dd/yyyy hh:mm:ss")
    #expect(noMarker?.contains("AM/PM") == true)
    MappingTestKit.expectInvalidPattern("MM/dd/yyyy h:mm")
    let markerOn24 = MappingTestKit.expectInvalidPattern("MM/dd/yyyy HH:mm:ss a")
    #expect(markerOn24?.contains("12-hour") == true)
  }

  @Test(arguments: ["yyyyMd", "yyyy-Md", "dMMyyyy", "yyyy-MM-dd Hmm", "yyyy-MM-dd HH:mm:ss.SSSSSS1", "yyyy-MM-dd HH:mmX1"])
  func variableWidthFollowedByDigitsIsRefused(pattern: String) {
    let message = MappingTestKit.expectInvalidPattern(pattern)
    #expect(message?.contains("variable-width") == true)
  }

  @Test func fixedWidthNumbersMayBeAdjacent() throws {
    let p = try DateTimePattern("yyyyMMddHHmmssSSS")
    let parsed = try #require(MappingTestKit.value(p.parse("20240210140300123")))
    #expect(parsed.local == MappingTestKit.local(2024, 2, 10, 14, 3, 0, 123_000_000))
  }
}
