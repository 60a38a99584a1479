import CaseMapping
import CaseModel
import Testing

/// Deterministic hex strings (SplitMix64) for synthetic hash columns.
private struct HexGenerator {
  var state: UInt64

  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  mutating func hex(_ length: Int, upper: Bool = false) -> String {
    var out = ""
    while out.count < length {
      let chunk = String(next(), radix: 16, uppercase: upper)
      out += String(repeating: "0", count: 16 - chunk.count) + chunk
    }
    return String(out.prefix(length))
  }
}

private func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }

/// Profiles columns given as `name: values`; row k is on line k + 2 (line 1 is the header).
private func profile(_ columns: [(String, [String])]) -> [String: ColumnProfile] {
  var profiler = ColumnProfiler(names: columns.map(\.0))
  let rows = columns.map(\.1.count).max() ?? 0
  for r in 0..<rows {
    profiler.add(row: columns.map { r < $0.1.count ? $0.1[r] : "" }, line: r + 2)
  }
  let profiles = profiler.finish()
  #expect(profiles.map(\.name) == columns.map(\.0))
  #expect(profiles.map(\.index) == Array(columns.indices))
  return Dictionary(uniqueKeysWithValues: profiles.map { ($0.name, $0) })
}

/// Asserts that nothing in a profile repeats an input value.
private func expectNoValues(
  _ profiles: [String: ColumnProfile], _ columns: [(String, [String])],
  sourceLocation: SourceLocation = #_sourceLocation
) {
  let everything = profiles.values.map { String(describing: $0) }.joined(separator: "\n")
  var checked = 0
  for (_, values) in columns {
    for value in Set(values) where value.utf8.count >= 5 {
      checked += 1
      if everything.contains(value) {
        Issue.record("a profile contains an input value", sourceLocation: sourceLocation)
        return
      }
    }
  }
  #expect(checked > 0, sourceLocation: sourceLocation)
}

@Suite("ColumnProfiler")
struct ColumnProfilerTests {
  static let rows = 100

  static func syntheticColumns() -> [(String, [String])] {
    var gen = HexGenerator(state: 42)
    let n = rows
    let nets = ["192.0.2.", "198.51.100.", "203.0.113."]
    var columns: [(String, [String])] = [
      ("ip4", (0..<n).map { "\(nets[$0 % 3])\($0 % 250 + 1)" }),
      ("ip6", (0..<n).map { "2001:db8::\(String($0 + 1, radix: 16))" }),
      ("mixed_ip", (0..<n).map { $0 % 2 == 0 ? "\(nets[$0 % 3])\($0 % 250 + 1)" : "2001:db8:1::\(String($0 + 1, radix: 16))" }),
      ("email", (0..<n).map { "user.\($0)@example.com" }),
      ("phone", (0..<n).map { "+1 202 555 01\(two($0 % 100))" }),
      ("phone_us", (0..<n).map { "(202) 555-01\(two($0 % 100))" }),
      ("md5", (0..<n).map { _ in gen.hex(32) }),
      ("sha1", (0..<n).map { _ in gen.hex(40, upper: true) }),
      ("sha256", (0..<n).map { _ in gen.hex(64) }),
      ("iso", (0..<n).map { "2024-02-10T14:\(two($0 % 60)):00Z" }),
      ("iso_naive", (0..<n).map { "2024-02-10T14:\(two($0 % 60)):00.\($0 % 9 + 1)" }),
      ("sql_utc", (0..<n).map { "2024-02-10 14:\(two($0 % 60)):00 UTC" }),
      ("unix_date", (0..<n).map { "Sat Feb 10 14:\(two($0 % 60)):00 UTC 2024" }),
      ("naive", (0..<n).map { "2024-02-\(two($0 % 28 + 1)) 08:\(two($0 % 60)):00" }),
      ("us_ampm", (0..<n).map { "0\($0 % 9 + 1)/0\($0 % 9 + 1)/2024 0\($0 % 9 + 1):15:00 \($0 % 2 == 0 ? "AM" : "PM")" }),
      ("iso_date", (0..<n).map { "2024-0\($0 % 9 + 1)-\(two($0 % 28 + 1))" }),
      ("epoch_s", (0..<n).map { "\(1_707_573_780 + $0 * 37)" }),
      ("epoch_ms", (0..<n).map { "\(1_707_573_780_123 + $0 * 37)" }),
      ("epoch_us", (0..<n).map { "\(1_707_573_780_123_456 + $0 * 37)" }),
      ("int", (0..<n).map { "\(100_000 + $0 * 37)" }),
      ("dec", (0..<n).map { "\($0 * 3).\($0 % 10)5" }),
      ("bool", (0..<n).map { $0 % 3 == 0 ? "Y" : "N" }),
      ("ids", (0..<n).map { "00\(10_000 + $0)" }),
      ("words", (0..<n).map { "note number \($0)" }),
      ("empty", Array(repeating: "", count: n)),
    ]
    // Month first, proven on line 40 (row 38): the first value with a second number above 12.
    var monthFirst = (0..<n).map { "0\($0 % 9 + 1)/1\($0 % 3)/2024" }
    monthFirst[38] = "04/13/2024"
    columns.append(("month_first", monthFirst))
    // Day first, proven on line 25 (row 23).
    var dayFirst = (0..<n).map { "1\($0 % 3)/0\($0 % 9 + 1)/2024" }
    dayFirst[23] = "13/04/2024"
    columns.append(("day_first", dayFirst))
    columns.append(("ambiguous", (0..<n).map { "0\($0 % 9 + 1)/0\(($0 + 3) % 9 + 1)/2024" }))
    var conflicting = (0..<n).map { "0\($0 % 9 + 1)/0\(($0 + 3) % 9 + 1)/2024" }
    conflicting[10] = "04/13/2024"
    conflicting[20] = "13/04/2024"
    columns.append(("conflicting", conflicting))
    var dotted = (0..<n).map { "0\($0 % 9 + 1).1\($0 % 3).2024 10:00" }
    dotted[60] = "25.12.2024 10:00"
    columns.append(("dotted", dotted))
    return columns
  }

  @Test func kindsOfSyntheticColumns() throws {
    let columns = Self.syntheticColumns()
    let p = profile(columns)
    let expected: [String: ColumnKind] = [
      "ip4": .ipv4, "ip6": .ipv6, "mixed_ip": .ipv6, "email": .email, "phone": .phone, "phone_us": .phone,
      "md5": .hash, "sha1": .hash, "sha256": .hash, "iso": .timestampWithZone, "iso_naive": .timestampWithoutZone,
      "sql_utc": .timestampWithZone, "unix_date": .timestampWithZone, "naive": .timestampWithoutZone,
      "us_ampm": .timestampWithoutZone, "iso_date": .date, "epoch_s": .epoch, "epoch_ms": .epoch,
      "epoch_us": .epoch, "int": .integer, "dec": .decimal, "bool": .boolean, "ids": .text, "words": .text,
      "empty": .empty, "month_first": .date, "day_first": .date, "ambiguous": .date, "conflicting": .text,
      "dotted": .timestampWithoutZone,
    ]
    for (name, kind) in expected {
      let column = try #require(p[name], "\(name)")
      #expect(column.kind == kind, "\(name): \(column.kind)")
      #expect(column.count == Self.rows)
      if kind != .empty && kind != .text {
        #expect(column.kindShare == 1, "\(name)")
        #expect(column.exampleLine == 2, "\(name)")
      }
    }
    expectNoValues(p, columns)
  }

  @Test func patternsAndDetails() throws {
    let p = profile(Self.syntheticColumns())
    #expect(p["iso"]?.pattern == nil)
    #expect(p["iso_naive"]?.pattern == nil)
    #expect(p["sql_utc"]?.pattern == "yyyy-MM-dd HH:mm:ss zzz")
    #expect(p["unix_date"]?.pattern == "EEE MMM dd HH:mm:ss zzz yyyy")
    #expect(p["naive"]?.pattern == "yyyy-MM-dd HH:mm:ss")
    #expect(p["iso_date"]?.pattern == "yyyy-MM-dd")
    #expect(p["iso_date"]?.dayMonth == nil)
    #expect(p["md5"]?.hashAlgorithms == ["md5"])
    #expect(p["sha1"]?.hashAlgorithms == ["sha1"])
    #expect(p["sha256"]?.hashAlgorithms == ["sha256", "sha3-256"])
    #expect(p["ip4"]?.hashAlgorithms == [])
    #expect(p["epoch_s"]?.epochUnit == .seconds)
    #expect(p["epoch_s"]?.epochDigits == 10)
    #expect(p["epoch_ms"]?.epochUnit == .milliseconds)
    #expect(p["epoch_ms"]?.epochDigits == 13)
    #expect(p["epoch_us"]?.epochUnit == .microseconds)
    #expect(p["epoch_us"]?.epochDigits == 16)
    #expect(p["epoch_s"]?.notes.isEmpty == false)
    #expect(p["int"]?.epochUnit == nil)
    #expect(p["naive"]?.notes.contains { $0.contains("zone must be declared") } == true)
    let empty = try #require(p["empty"])
    #expect(empty.filled == 0 && empty.fillRate == 0 && empty.kindShare == 0 && empty.exampleLine == nil)
    #expect(empty.distinct == 0)
  }

  @Test func dayMonthProofLines() throws {
    let p = profile(Self.syntheticColumns())
    let month = try #require(p["month_first"])
    #expect(month.pattern == "MM/dd/yyyy")
    #expect(month.dayMonth == .monthFirst(line: 40))
    let day = try #require(p["day_first"])
    #expect(day.pattern == "dd/MM/yyyy")
    #expect(day.dayMonth == .dayFirst(line: 25))
    let ambiguous = try #require(p["ambiguous"])
    #expect(ambiguous.dayMonth == .unknown)
    #expect(ambiguous.pattern == "MM/dd/yyyy")
    #expect(ambiguous.notes.contains { $0.contains("must be confirmed") })
    let conflicting = try #require(p["conflicting"])
    #expect(conflicting.kind == .text)
    #expect(conflicting.pattern == nil)
    #expect(conflicting.dayMonth == .conflicting(monthFirstLine: 12, dayFirstLine: 22))
    #expect(conflicting.notes.contains { $0.contains("both day/month orders") })
    let dotted = try #require(p["dotted"])
    #expect(dotted.pattern == "dd.MM.yyyy HH:mm")
    #expect(dotted.dayMonth == .dayFirst(line: 62))
    let ampm = try #require(p["us_ampm"])
    #expect(ampm.pattern == "MM/dd/yyyy hh:mm:ss a")
    #expect(ampm.dayMonth == .unknown)
  }

  @Test func specExamplesOfDayMonth() throws {
    // 03/04/2024 alone is ambiguous; 13/04/2024 proves day first; 04/13/2024 month first.
    let p = profile([
      ("a", ["03/04/2024"]), ("b", ["03/04/2024", "13/04/2024"]), ("c", ["03/04/2024", "04/13/2024"]),
    ])
    #expect(p["a"]?.dayMonth == .unknown)
    #expect(p["b"]?.dayMonth == .dayFirst(line: 3))
    #expect(p["b"]?.pattern == "dd/MM/yyyy")
    #expect(p["c"]?.dayMonth == .monthFirst(line: 3))
    #expect(p["c"]?.pattern == "MM/dd/yyyy")
  }

  @Test func variableWidthDates() throws {
    let p = profile([("d", (0..<40).map { "\($0 % 12 + 1)/\($0 % 28 + 1)/2024" })])
    let d = try #require(p["d"])
    #expect(d.kind == .date)
    #expect(d.pattern == "M/d/yyyy")
    #expect(d.dayMonth == .monthFirst(line: 14))
  }

  @Test func thresholdIsNinetyFivePercent() throws {
    let ips = (0..<100).map { "192.0.2.\($0 + 1)" }
    var above = ips
    for k in 0..<4 { above[k * 10] = "not an address \(k)" }
    var below = ips
    for k in 0..<6 { below[k * 10] = "not an address \(k)" }
    var exactly = ips
    for k in 0..<5 { exactly[k * 10 + 1] = "not an address \(k)" }
    let p = profile([("above", above), ("below", below), ("exactly", exactly)])
    #expect(p["above"]?.kind == .ipv4)
    #expect(p["above"]?.kindShare == 0.96)
    #expect(p["above"]?.exampleLine == 3)
    #expect(p["exactly"]?.kind == .ipv4)
    #expect(p["exactly"]?.kindShare == 0.95)
    let text = try #require(p["below"])
    #expect(text.kind == .text)
    #expect(text.kindShare == 1)
    #expect(text.notes.contains { $0.contains("94%") && $0.contains("ipv4") })
    #expect(ColumnProfiler.kindThreshold == 0.95)
  }

  @Test func fillRateCountsMissingAndEmptyValues() throws {
    var profiler = ColumnProfiler(names: ["a", "b"])
    profiler.add(row: ["192.0.2.1", "x"], line: 2)
    profiler.add(row: ["", "y"], line: 3)
    profiler.add(row: ["192.0.2.2"], line: 4)  // short row
    profiler.add(row: ["192.0.2.3", "z", "extra"], line: 5)  // extra value ignored
    let profiles = profiler.finish()
    #expect(profiles.count == 2)
    #expect(profiles[0].count == 4 && profiles[0].filled == 3 && profiles[0].fillRate == 0.75)
    #expect(profiles[0].kind == .ipv4)
    #expect(profiles[1].count == 4 && profiles[1].filled == 3)
    #expect(profiles[1].exampleLine == 2)
  }

  @Test func distinctCountsExactlyThenBounds() throws {
    var profiler = ColumnProfiler(names: ["many", "few"])
    for k in 0..<20_000 {
      profiler.add(row: ["value-\(k)", "v\(k % 7)"], line: k + 2)
    }
    let profiles = profiler.finish()
    #expect(profiles[0].distinct == ColumnProfiler.distinctLimit)
    #expect(profiles[0].distinctIsLowerBound)
    #expect(profiles[1].distinct == 7)
    #expect(profiles[1].distinctIsLowerBound == false)
  }

  @Test func exactlyTheLimitIsStillExact() throws {
    var profiler = ColumnProfiler(names: ["c"])
    for k in 0..<ColumnProfiler.distinctLimit {
      profiler.add(row: ["v\(k)"], line: k + 2)
    }
    profiler.add(row: ["v0"], line: 1)
    let column = try #require(profiler.finish().first)
    #expect(column.distinct == 10_000)
    #expect(column.distinctIsLowerBound == false)
  }

  @Test func strictParsersDecide() throws {
    let p = profile([
      // Leading-zero octets are not IPv4 (octal ambiguity).
      ("octal", (0..<20).map { "192.0.2.0\($0 % 9 + 1)" }),
      // IPv6 zone identifiers are refused.
      ("zoned", (0..<20).map { "fe80::\($0 + 1)%eth0" }),
      // Display-name e-mail forms are refused.
      ("display", (0..<20).map { "User \($0) <user\($0)@example.com>" }),
      // 31 and 33 hex digits are no known hash length.
      ("short_hex", (0..<20).map { _ in "d41d8cd98f00b204e9800998ecf8427" }),
      // NANP numbers need area codes and exchanges starting 2-9.
      ("bad_nanp", (0..<20).map { "(102) 555-01\(two($0))" }),
      // 12-digit epochs are no suggested unit; small integers are not epochs.
      ("twelve", (0..<20).map { "\(170_757_378_012 + $0)" }),
      // Seven digits are only an integer.
      ("old", (0..<20).map { "\(1_000_000 + $0)" }),
      // Ten digits after 2100 are no plausible epoch (and 420-000 is no NANP number).
      ("far_future", (0..<20).map { "\(4_200_000_000 + $0)" }),
    ])
    #expect(p["octal"]?.kind == .text)
    #expect(p["zoned"]?.kind == .text)
    #expect(p["display"]?.kind == .text)
    #expect(p["short_hex"]?.kind == .text)
    #expect(p["bad_nanp"]?.kind == .text)
    #expect(p["twelve"]?.kind == .integer)
    #expect(p["old"]?.kind == .integer)
    #expect(p["far_future"]?.kind == .integer)
  }

  @Test func unknownAbbreviationsDoNotMakeAZonedColumn() throws {
    let p = profile([("t", (0..<20).map { "2024-02-10 14:\(two($0)):00 XYZ" })])
    #expect(p["t"]?.kind == .text)
  }

  @Test func mixedZonePresenceIsNotAKind() throws {
    let values = (0..<20).map { $0 % 2 == 0 ? "2024-02-10T14:\(two($0)):00Z" : "2024-02-10T14:\(two($0)):00" }
    let p = profile([("t", values)])
    #expect(p["t"]?.kind == .text)
    #expect(p["t"]?.notes.contains { $0.contains("50%") } == true)
  }

  @Test func tenDigitPhonesArePhonesNotEpochs() throws {
    // 2125550123 is both a valid NANP number and an epoch in 2037.
    let p = profile([("p", (0..<20).map { "21255501\(two($0))" })])
    #expect(p["p"]?.kind == .phone)
  }

  @Test func candidatePatternsCompile() throws {
    for text in [
      "yyyy-MM-dd'T'HH:mm:ssXX", "yyyy-MM-dd HH:mm:ss zzz", "EEE MMM dd HH:mm:ss zzz yyyy", "MM/dd/yyyy HH:mm:ss",
      "MM/dd/yyyy hh:mm:ss a", "dd/MM/yyyy HH:mm", "yyyy-MM-dd HH:mm:ss", "MM/dd/yyyy", "dd.MM.yyyy",
    ] {
      _ = try DateTimePattern(text)
    }
    // Touching the profiler builds its static candidate list (a bad built-in pattern would trap).
    var profiler = ColumnProfiler(names: ["x"])
    profiler.add(row: ["2024-02-10"], line: 2)
    #expect(profiler.finish().first?.pattern == "yyyy-MM-dd")
  }

  @Test func reportedPatternsParseTheirColumns() throws {
    // Whatever the profiler reports must read every matching value with DateTimePattern itself.
    let columns = Self.syntheticColumns()
    let p = profile(columns)
    for (name, values) in columns {
      guard let column = p[name], let text = column.pattern else { continue }
      let pattern = try DateTimePattern(text)
      for value in values {
        #expect(MappingTestKit.value(pattern.parse(value)) != nil, "\(name) line value does not parse")
      }
    }
  }
}
