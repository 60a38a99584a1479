import CaseMapping
import CaseModel
import Testing

private typealias Kit = MappingTestKit

private func parse(_ pattern: String, _ text: String, dayMonthUnknown: Bool = false) throws
  -> Result<ParsedDateTime, FieldError>
{
  try DateTimePattern(pattern).parse(text, dayMonthUnknown: dayMonthUnknown)
}

private func local(_ pattern: String, _ text: String) throws -> LocalDateTime? {
  Kit.value(try parse(pattern, text))?.local
}

@Suite("DateTimePattern: parsing every token")
struct DateTimePatternParseTests {
  // MARK: Dates

  @Test func yearMonthDay() throws {
    #expect(try local("yyyy-MM-dd", "2024-02-29") == Kit.local(2024, 2, 29))
    #expect(try local("yyyy-MM-dd", "0001-01-01") == Kit.local(1, 1, 1))
    #expect(try local("yyyy-MM-dd", "9999-12-31") == Kit.local(9999, 12, 31))
    Kit.expectRule(try parse("yyyy-MM-dd", "2023-02-29"), "timestamp.invalid", input: "2023-02-29")
    Kit.expectRule(try parse("yyyy-MM-dd", "2024-04-31"), "timestamp.invalid", input: "2024-04-31")
    Kit.expectRule(try parse("yyyy-MM-dd", "2024-13-01"), "timestamp.invalid", input: "2024-13-01")
    Kit.expectRule(try parse("yyyy-MM-dd", "2024-00-10"), "timestamp.invalid", input: "2024-00-10")
    Kit.expectRule(try parse("yyyy-MM-dd", "2024-01-00"), "timestamp.invalid", input: "2024-01-00")
    Kit.expectRule(try parse("yyyy-MM-dd", "0000-01-01"), "timestamp.invalid", input: "0000-01-01")
    Kit.expectRule(try parse("yyyy-MM-dd", "24-01-01"), "timestamp.invalid", input: "24-01-01")
    Kit.expectRule(try parse("yyyy-MM-dd", "20240-01-01"), "timestamp.invalid", input: "20240-01-01")
  }

  @Test func wholeValueMustMatchWithoutTrimming() throws {
    for text in [" 2024-01-05", "2024-01-05 ", "2024-01-05\n", "2024/01/05", "2024-1-05", "2024-01-5", "2024-01-05x", ""] {
      Kit.expectRule(try parse("yyyy-MM-dd", text), "timestamp.invalid", input: text)
    }
    // Full-width digits are not digits.
    Kit.expectRule(try parse("yyyy-MM-dd", "２０２４-01-05"), "timestamp.invalid", input: "２０２４-01-05")
  }

  @Test func variableWidthMonthAndDay() throws {
    #expect(try local("M/d/yyyy", "1/5/2024") == Kit.local(2024, 1, 5))
    #expect(try local("M/d/yyyy", "12/25/2024") == Kit.local(2024, 12, 25))
    #expect(try local("M/d/yyyy", "01/05/2024") == Kit.local(2024, 1, 5))
    Kit.expectRule(try parse("M/d/yyyy", "123/5/2024"), "timestamp.invalid", input: "123/5/2024")
    Kit.expectRule(try parse("M/d/yyyy", "/5/2024"), "timestamp.invalid", input: "/5/2024")
    // Fixed width needs both digits.
    Kit.expectRule(try parse("MM/dd/yyyy", "1/05/2024"), "timestamp.invalid", input: "1/05/2024")
    Kit.expectRule(try parse("MM/dd/yyyy", "01/5/2024"), "timestamp.invalid", input: "01/5/2024")
  }

  @Test(arguments: [
    ("Jan", 1), ("feb", 2), ("MAR", 3), ("Apr", 4), ("may", 5), ("Jun", 6), ("jUL", 7), ("Aug", 8),
    ("Sep", 9), ("Oct", 10), ("Nov", 11), ("DEC", 12),
  ])
  func monthAbbreviations(name: String, month: Int) throws {
    #expect(try local("dd-MMM-yyyy", "05-\(name)-2024") == Kit.local(2024, month, 5))
  }

  @Test func unknownMonthNamesAreInvalid() throws {
    for text in ["05-Sept-2024", "05-January-2024", "05-Jun.-2024", "05-Ja-2024", "05-Foo-2024", "05-05-2024"] {
      Kit.expectRule(try parse("dd-MMM-yyyy", text), "timestamp.invalid", input: text)
    }
  }

  @Test func weekdayIsCheckedAgainstTheDate() throws {
    let p = "EEE MMM dd HH:mm:ss zzz yyyy"
    // 2024-02-10 was a Saturday.
    let parsed = try #require(Kit.value(try parse(p, "Sat Feb 10 14:03:00 UTC 2024")))
    #expect(parsed.local == Kit.local(2024, 2, 10, 14, 3))
    #expect(parsed.zoneAbbreviation == "UTC")
    #expect(Kit.value(try parse(p, "sat FEB 10 14:03:00 UTC 2024")) != nil)
    Kit.expectRule(try parse(p, "Fri Feb 10 14:03:00 UTC 2024"), "timestamp.invalid", input: "Fri Feb 10 14:03:00 UTC 2024")
    Kit.expectRule(try parse(p, "Xyz Feb 10 14:03:00 UTC 2024"), "timestamp.invalid", input: "Xyz Feb 10 14:03:00 UTC 2024")
    Kit.expectRule(try parse(p, "Saturday Feb 10 14:03:00 UTC 2024"), "timestamp.invalid", input: "Saturday Feb 10")
    // Every weekday, a week of dates (2024-02-11 is a Sunday).
    for (k, name) in ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"].enumerated() {
      let day = 11 + k
      #expect(try local("EEE yyyy-MM-dd", "\(name) 2024-02-\(day)") == Kit.local(2024, 2, day))
    }
    // Before 1970 too (1969-07-20 was a Sunday).
    #expect(try local("EEE yyyy-MM-dd", "Sun 1969-07-20") == Kit.local(1969, 7, 20))
    Kit.expectRule(try parse("EEE yyyy-MM-dd", "Mon 1969-07-20"), "timestamp.invalid", input: "Mon 1969-07-20")
  }

  @Test func quotedAndPlainLiterals() throws {
    #expect(try local("yyyy-MM-dd'T'HH:mm:ss", "2024-02-10T14:03:00") == Kit.local(2024, 2, 10, 14, 3))
    Kit.expectRule(try parse("yyyy-MM-dd'T'HH:mm:ss", "2024-02-10t14:03:00"), "timestamp.invalid", input: "2024-02-10t14:03:00")
    #expect(try local("yyyy-MM-dd 'at' HH:mm", "2024-02-10 at 14:03") == Kit.local(2024, 2, 10, 14, 3))
    #expect(try local("HH:mm 'o''clock' yyyy-MM-dd", "14:00 o'clock 2024-02-10") == Kit.local(2024, 2, 10, 14))
    #expect(try local("''yyyy-MM-dd''", "'2024-02-10'") == Kit.local(2024, 2, 10))
    #expect(try local("yyyy年MM月dd日", "2024年02月10日") == Kit.local(2024, 2, 10))
    #expect(try local("yyyyMMdd", "20240210") == Kit.local(2024, 2, 10))
    Kit.expectRule(try parse("yyyy-MM-dd  HH:mm", "2024-02-10 14:03"), "timestamp.invalid", input: "2024-02-10 14:03")
  }

  // MARK: Times

  @Test func twentyFourHourClock() throws {
    #expect(try local("yyyy-MM-dd HH:mm", "2024-02-10 00:00") == Kit.local(2024, 2, 10, 0, 0))
    #expect(try local("yyyy-MM-dd HH:mm", "2024-02-10 23:59") == Kit.local(2024, 2, 10, 23, 59))
    #expect(try local("yyyy-MM-dd H:mm", "2024-02-10 7:05") == Kit.local(2024, 2, 10, 7, 5))
    #expect(try local("yyyy-MM-dd H:mm", "2024-02-10 17:05") == Kit.local(2024, 2, 10, 17, 5))
    Kit.expectRule(try parse("yyyy-MM-dd HH:mm", "2024-02-10 24:00"), "timestamp.invalid", input: "2024-02-10 24:00")
    Kit.expectRule(try parse("yyyy-MM-dd HH:mm", "2024-02-10 25:00"), "timestamp.invalid", input: "2024-02-10 25:00")
    Kit.expectRule(try parse("yyyy-MM-dd HH:mm", "2024-02-10 7:05"), "timestamp.invalid", input: "2024-02-10 7:05")
    Kit.expectRule(try parse("yyyy-MM-dd HH:mm", "2024-02-10 12:60"), "timestamp.invalid", input: "2024-02-10 12:60")
  }

  @Test func minutesAndSeconds() throws {
    #expect(try local("yyyy-MM-dd HH:mm:ss", "2024-02-10 14:03:59") == Kit.local(2024, 2, 10, 14, 3, 59))
    Kit.expectRule(try parse("yyyy-MM-dd HH:mm:ss", "2024-02-10 14:03:60"), "timestamp.invalid", input: "2024-02-10 14:03:60")
    Kit.expectRule(try parse("yyyy-MM-dd HH:mm:ss", "2024-02-10 14:3:00"), "timestamp.invalid", input: "2024-02-10 14:3:00")
    Kit.expectRule(try parse("yyyy-MM-dd HH:mm:ss", "2024-02-10 14:03"), "timestamp.invalid", input: "2024-02-10 14:03")
  }

  @Test func fractionExactlyThreeWithSSS() throws {
    let p = "yyyy-MM-dd HH:mm:ss.SSS"
    #expect(try local(p, "2024-02-10 14:03:00.120") == Kit.local(2024, 2, 10, 14, 3, 0, 120_000_000))
    for text in ["2024-02-10 14:03:00.12", "2024-02-10 14:03:00.1200", "2024-02-10 14:03:00.", "2024-02-10 14:03:00"] {
      Kit.expectRule(try parse(p, text), "timestamp.invalid", input: text)
    }
  }

  @Test func fractionUpToN() throws {
    let six = "yyyy-MM-dd HH:mm:ss.SSSSSS"
    #expect(try local(six, "2024-02-10 14:03:00.5") == Kit.local(2024, 2, 10, 14, 3, 0, 500_000_000))
    #expect(try local(six, "2024-02-10 14:03:00.123456") == Kit.local(2024, 2, 10, 14, 3, 0, 123_456_000))
    Kit.expectRule(try parse(six, "2024-02-10 14:03:00.1234567"), "timestamp.invalid", input: "2024-02-10 14:03:00.1234567")
    let nine = "yyyy-MM-dd HH:mm:ss.SSSSSSSSS"
    #expect(try local(nine, "2024-02-10 14:03:00.123456789") == Kit.local(2024, 2, 10, 14, 3, 0, 123_456_789))
    #expect(try local(nine, "2024-02-10 14:03:00.000000001") == Kit.local(2024, 2, 10, 14, 3, 0, 1))
    let one = "yyyy-MM-dd HH:mm:ss.S"
    #expect(try local(one, "2024-02-10 14:03:00.7") == Kit.local(2024, 2, 10, 14, 3, 0, 700_000_000))
    Kit.expectRule(try parse(one, "2024-02-10 14:03:00.75"), "timestamp.invalid", input: "2024-02-10 14:03:00.75")
    // A decimal comma only where the pattern says so.
    #expect(try local("yyyy-MM-dd HH:mm:ss,SSS", "2024-02-10 14:03:00,250") == Kit.local(2024, 2, 10, 14, 3, 0, 250_000_000))
    Kit.expectRule(try parse(six, "2024-02-10 14:03:00,5"), "timestamp.invalid", input: "2024-02-10 14:03:00,5")
  }

  // MARK: 12-hour clock

  @Test(arguments: [
    ("12:00 AM", 0, 0), ("12:59 AM", 0, 59), ("01:00 AM", 1, 0), ("11:59 AM", 11, 59),
    ("12:00 PM", 12, 0), ("12:30 PM", 12, 30), ("01:00 PM", 13, 0), ("11:59 PM", 23, 59),
    ("12:00 am", 0, 0), ("12:00 pm", 12, 0), ("06:15 Pm", 18, 15), ("06:15 aM", 6, 15),
    ("12:00 a.m.", 0, 0), ("12:00 p.m.", 12, 0), ("07:45 P.M.", 19, 45), ("07:45 A.M.", 7, 45),
  ])
  func twelveHourClock(time: String, hour: Int, minute: Int) throws {
    let parsed = try local("yyyy-MM-dd hh:mm a", "2024-02-10 \(time)")
    #expect(parsed == Kit.local(2024, 2, 10, hour, minute))
  }

  @Test func twelveHourClockVariableWidth() throws {
    #expect(try local("M/d/yyyy h:mm a", "2/10/2024 1:05 PM") == Kit.local(2024, 2, 10, 13, 5))
    #expect(try local("M/d/yyyy h:mm a", "2/10/2024 12:05 AM") == Kit.local(2024, 2, 10, 0, 5))
    #expect(try local("M/d/yyyy h:mma", "2/10/2024 9:05pm") == Kit.local(2024, 2, 10, 21, 5))
  }

  @Test(arguments: ["13:00 PM", "13:00 AM", "00:30 AM", "00:00 PM", "24:00 PM", "99:00 AM"])
  func twelveHourClockOutOfRange(time: String) throws {
    let text = "2024-02-10 \(time)"
    Kit.expectRule(try parse("yyyy-MM-dd hh:mm a", text), "timestamp.invalid", input: text)
  }

  @Test(arguments: ["12:00", "12:00 XM", "12:00 A", "12:00 AM.", "12:00 a.m", "12:00 A.M", "12:00  AM", "12:00 noon"])
  func twelveHourClockNeedsAWellFormedMarker(time: String) throws {
    let text = "2024-02-10 \(time)"
    Kit.expectRule(try parse("yyyy-MM-dd hh:mm a", text), "timestamp.invalid", input: text)
  }

  @Test(arguments: [
    "02/10/2024 01:30:00 PM", "02/10/2024 01:30:00 am", "02/10/2024 01:30:00PM", "02/10/2024 1:30:00 p.m.",
    "02/10/2024 13:30:00 PM",
  ])
  func markerAgainstTwentyFourHourPattern(text: String) throws {
    Kit.expectRule(try parse("MM/dd/yyyy HH:mm:ss", text), "timestamp.twelve-hour-clock", input: text)
  }

  @Test func wordsThatOnlyContainAmAreNotMarkers() throws {
    // "am" inside a word, or not after a number, is just a mismatch.
    Kit.expectRule(try parse("MM/dd/yyyy HH:mm:ss", "02/10/2024 01:30:00 Amsterdam"), "timestamp.invalid", input: "02/10/2024 01:30:00 Amsterdam")
    Kit.expectRule(try parse("MM/dd/yyyy HH:mm:ss", "am 02/10/2024 01:30:00"), "timestamp.invalid", input: "am 02/10/2024 01:30:00")
  }

  // MARK: Zones

  @Test func extendedOffset() throws {
    let p = "yyyy-MM-dd HH:mm:ssXXX"
    #expect(Kit.value(try parse(p, "2024-02-10 14:03:00+02:00"))?.offsetSeconds == 7200)
    #expect(Kit.value(try parse(p, "2024-02-10 14:03:00-05:30"))?.offsetSeconds == -19_800)
    #expect(Kit.value(try parse(p, "2024-02-10 14:03:00Z"))?.offsetSeconds == 0)
    #expect(Kit.value(try parse(p, "2024-02-10 14:03:00-00:00"))?.offsetSeconds == 0)
    for text in [
      "2024-02-10 14:03:00+0200", "2024-02-10 14:03:00+02", "2024-02-10 14:03:00z", "2024-02-10 14:03:00+24:00",
      "2024-02-10 14:03:00+02:60", "2024-02-10 14:03:00", "2024-02-10 14:03:00+02:00Z", "2024-02-10 14:03:00 +02:00",
    ] {
      Kit.expectRule(try parse(p, text), "timestamp.invalid", input: text)
    }
  }

  @Test func basicOffset() throws {
    let p = "yyyy-MM-dd'T'HH:mm:ssXX"
    #expect(Kit.value(try parse(p, "2024-02-10T14:03:00+0200"))?.offsetSeconds == 7200)
    #expect(Kit.value(try parse(p, "2024-02-10T14:03:00-0930"))?.offsetSeconds == -34_200)
    #expect(Kit.value(try parse(p, "2024-02-10T14:03:00Z"))?.offsetSeconds == 0)
    for text in ["2024-02-10T14:03:00+02:00", "2024-02-10T14:03:00+02", "2024-02-10T14:03:00+020"] {
      Kit.expectRule(try parse(p, text), "timestamp.invalid", input: text)
    }
  }

  @Test func flexibleOffset() throws {
    let p = "yyyy-MM-dd HH:mm:ssX"
    #expect(Kit.value(try parse(p, "2024-02-10 14:03:00+02"))?.offsetSeconds == 7200)
    #expect(Kit.value(try parse(p, "2024-02-10 14:03:00+0530"))?.offsetSeconds == 19_800)
    #expect(Kit.value(try parse(p, "2024-02-10 14:03:00-08"))?.offsetSeconds == -28_800)
    #expect(Kit.value(try parse(p, "2024-02-10 14:03:00Z"))?.offsetSeconds == 0)
    for text in ["2024-02-10 14:03:00+02:00", "2024-02-10 14:03:00+2", "2024-02-10 14:03:00+020", "2024-02-10 14:03:00UTC"] {
      Kit.expectRule(try parse(p, text), "timestamp.invalid", input: text)
    }
  }

  @Test func zoneAbbreviationIsReadNotResolved() throws {
    let p = "yyyy-MM-dd HH:mm:ss zzz"
    for abbreviation in ["UTC", "GMT", "Z", "EST", "AKDT", "Eastern", "XYZ", "est"] {
      let parsed = try #require(Kit.value(try parse(p, "2024-02-10 14:03:00 \(abbreviation)")))
      #expect(parsed.zoneAbbreviation == abbreviation)
      #expect(parsed.offsetSeconds == nil)
    }
    for text in ["2024-02-10 14:03:00 ", "2024-02-10 14:03:00 UTC+5", "2024-02-10 14:03:00 +02:00", "2024-02-10 14:03:00 Mountainous"] {
      Kit.expectRule(try parse(p, text), "timestamp.invalid", input: text)
    }
  }

  @Test func dateOnlyPatternGivesMidnight() throws {
    let parsed = try #require(Kit.value(try parse("dd.MM.yyyy", "10.02.2024")))
    #expect(parsed == ParsedDateTime(local: Kit.local(2024, 2, 10)))
    #expect(parsed.dayMonthSwapped == false)
  }

  // MARK: Day/month order

  @Test func ambiguousDayMonth() throws {
    Kit.expectRule(try parse("MM/dd/yyyy", "03/04/2024", dayMonthUnknown: true), "date.ambiguous-day-month", input: "03/04/2024")
    Kit.expectRule(try parse("dd/MM/yyyy", "03/04/2024", dayMonthUnknown: true), "date.ambiguous-day-month", input: "03/04/2024")
    Kit.expectRule(try parse("MM/dd/yyyy HH:mm", "03/04/2024 10:00", dayMonthUnknown: true), "date.ambiguous-day-month", input: "03/04/2024 10:00")
  }

  @Test func dayFirstProvenByTheValue() throws {
    let parsed = try #require(Kit.value(try parse("MM/dd/yyyy", "13/04/2024", dayMonthUnknown: true)))
    #expect(parsed.local == Kit.local(2024, 4, 13))
    #expect(parsed.dayMonthSwapped)
    // Without the flag the pattern is trusted and 13 is not a month.
    Kit.expectRule(try parse("MM/dd/yyyy", "13/04/2024"), "timestamp.invalid", input: "13/04/2024")
    // A day-first pattern reads it as written.
    let asWritten = try #require(Kit.value(try parse("dd/MM/yyyy", "13/04/2024", dayMonthUnknown: true)))
    #expect(asWritten.local == Kit.local(2024, 4, 13))
    #expect(asWritten.dayMonthSwapped == false)
  }

  @Test func monthFirstProvenByTheValue() throws {
    let parsed = try #require(Kit.value(try parse("MM/dd/yyyy", "04/13/2024", dayMonthUnknown: true)))
    #expect(parsed.local == Kit.local(2024, 4, 13))
    #expect(parsed.dayMonthSwapped == false)
    let fromDayFirst = try #require(Kit.value(try parse("dd/MM/yyyy", "04/13/2024", dayMonthUnknown: true)))
    #expect(fromDayFirst.local == Kit.local(2024, 4, 13))
    #expect(fromDayFirst.dayMonthSwapped)
  }

  @Test func equalDayAndMonthAreNotAmbiguous() throws {
    let parsed = try #require(Kit.value(try parse("MM/dd/yyyy", "05/05/2024", dayMonthUnknown: true)))
    #expect(parsed.local == Kit.local(2024, 5, 5))
    #expect(parsed.dayMonthSwapped == false)
  }

  @Test func neitherOrderValid() throws {
    Kit.expectRule(try parse("MM/dd/yyyy", "13/13/2024", dayMonthUnknown: true), "timestamp.invalid", input: "13/13/2024")
    Kit.expectRule(try parse("MM/dd/yyyy", "31/02/2024", dayMonthUnknown: true), "timestamp.invalid", input: "31/02/2024")
    Kit.expectRule(try parse("MM/dd/yyyy HH:mm", "04/13/2024 24:00", dayMonthUnknown: true), "timestamp.invalid", input: "04/13/2024 24:00")
  }

  @Test func onlyOneOrderExistsInTheCalendar() throws {
    // 02/30 does not exist; 30/02 neither, but 02/29 vs 29/02 in a leap year resolves.
    let parsed = try #require(Kit.value(try parse("MM/dd/yyyy", "29/02/2024", dayMonthUnknown: true)))
    #expect(parsed.local == Kit.local(2024, 2, 29))
    #expect(parsed.dayMonthSwapped)
  }

  @Test func weekdayResolvesTheOrder() throws {
    // 2024-03-04 was a Monday and 2024-04-03 a Wednesday.
    let parsed = try #require(Kit.value(try parse("EEE MM/dd/yyyy", "Wed 03/04/2024", dayMonthUnknown: true)))
    #expect(parsed.local == Kit.local(2024, 4, 3))
    #expect(parsed.dayMonthSwapped)
  }

  @Test func monthNamesIgnoreTheFlag() throws {
    let parsed = try #require(Kit.value(try parse("dd-MMM-yyyy", "03-Apr-2024", dayMonthUnknown: true)))
    #expect(parsed.local == Kit.local(2024, 4, 3))
    #expect(parsed.dayMonthSwapped == false)
  }

  // MARK: Privacy

  @Test func messagesNeverQuoteTheValue() throws {
    let cases: [(String, String)] = [
      ("yyyy-MM-dd", "CANARY-2024"), ("yyyy-MM-dd HH:mm zzz", "2024-02-10 14:03 CANARYZONE"),
      ("MM/dd/yyyy HH:mm", "02/10/2024 01:30 PM CANARY"), ("dd-MMM-yyyy", "05-CANARY-2024"),
    ]
    for (pattern, text) in cases {
      let result = try parse(pattern, text)
      if let error = Kit.error(result) {
        #expect(!error.message.contains("CANARY"))
        #expect(!error.description.contains("CANARY"))
      }
    }
  }
}
