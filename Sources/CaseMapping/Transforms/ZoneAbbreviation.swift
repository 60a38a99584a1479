/// The fixed table of zone abbreviations a value may carry (`zzz` in a ``DateTimePattern``).
///
/// Each abbreviation stands for one fixed UTC offset. Lookup is exact and case-sensitive
/// (`est` is unknown). The table is deliberately small: abbreviations that mean different
/// offsets in different places are left out, so a value using them is
/// `"timestamp.unknown-zone-abbreviation"` rather than a guess. Left out on purpose: `IST`
/// (India +05:30, Ireland +01:00, Israel +02:00), `AST`/`ADT` (Atlantic −04:00/−03:00 or Arabia
/// +03:00), `SST` (Samoa −11:00 or Singapore +08:00), `ECT` (Ecuador −05:00 or Eastern
/// Caribbean −04:00), and every military one-letter zone except `Z`.
///
/// Two entries are ambiguous worldwide but kept because North American and British returns use
/// them constantly: `CST` is North American Central Standard Time (−06:00, not China +08:00)
/// and `BST` is British Summer Time (+01:00, not Bangladesh +06:00). When a profile declares a
/// zone, the abbreviation's offset is also checked against that zone at the instant (see
/// ``resolveTimestamp(_:rule:)``), which catches `EST` in July or `CST` written by a Chinese source
/// whose profile declares `Asia/Shanghai`.
///
/// | abbreviation | offset | meaning |
/// |---|---|---|
/// | `UTC`, `UT`, `GMT`, `Z` | +00:00 | Coordinated Universal Time / Greenwich Mean Time |
/// | `WET` | +00:00 | Western European Time |
/// | `WEST` | +01:00 | Western European Summer Time |
/// | `BST` | +01:00 | British Summer Time |
/// | `CET` | +01:00 | Central European Time |
/// | `CEST` | +02:00 | Central European Summer Time |
/// | `EET` | +02:00 | Eastern European Time |
/// | `EEST` | +03:00 | Eastern European Summer Time |
/// | `MSK` | +03:00 | Moscow Time |
/// | `HKT` | +08:00 | Hong Kong Time |
/// | `AWST` | +08:00 | Australian Western Standard Time |
/// | `JST` | +09:00 | Japan Standard Time |
/// | `KST` | +09:00 | Korea Standard Time |
/// | `ACST` | +09:30 | Australian Central Standard Time |
/// | `ACDT` | +10:30 | Australian Central Daylight Time |
/// | `AEST` | +10:00 | Australian Eastern Standard Time |
/// | `AEDT` | +11:00 | Australian Eastern Daylight Time |
/// | `NZST` | +12:00 | New Zealand Standard Time |
/// | `NZDT` | +13:00 | New Zealand Daylight Time |
/// | `NST` | −03:30 | Newfoundland Standard Time |
/// | `NDT` | −02:30 | Newfoundland Daylight Time |
/// | `EST` | −05:00 | North American Eastern Standard Time |
/// | `EDT` | −04:00 | North American Eastern Daylight Time |
/// | `CST` | −06:00 | North American Central Standard Time |
/// | `CDT` | −05:00 | North American Central Daylight Time |
/// | `MST` | −07:00 | North American Mountain Standard Time |
/// | `MDT` | −06:00 | North American Mountain Daylight Time |
/// | `PST` | −08:00 | North American Pacific Standard Time |
/// | `PDT` | −07:00 | North American Pacific Daylight Time |
/// | `AKST` | −09:00 | Alaska Standard Time |
/// | `AKDT` | −08:00 | Alaska Daylight Time |
/// | `HST` | −10:00 | Hawaii(-Aleutian) Standard Time |
/// | `HDT` | −09:00 | Hawaii-Aleutian Daylight Time |
public enum ZoneAbbreviation {
  /// The table: abbreviation → offset in seconds east of UTC.
  public static let offsets: [String: Int] = [
    "UTC": 0, "UT": 0, "GMT": 0, "Z": 0,
    "WET": 0, "WEST": 3600, "BST": 3600,
    "CET": 3600, "CEST": 7200,
    "EET": 7200, "EEST": 10_800,
    "MSK": 10_800,
    "HKT": 28_800, "AWST": 28_800,
    "JST": 32_400, "KST": 32_400,
    "ACST": 34_200, "ACDT": 37_800,
    "AEST": 36_000, "AEDT": 39_600,
    "NZST": 43_200, "NZDT": 46_800,
    "NST": -12_600, "NDT": -9000,
    "EST": -18_000, "EDT": -14_400,
    "CST": -21_600, "CDT": -18_000,
    "MST": -25_200, "MDT": -21_600,
    "PST": -28_800, "PDT": -25_200,
    "AKST": -32_400, "AKDT": -28_800,
    "HST": -36_000, "HDT": -32_400,
  ]

  /// The offset of an abbreviation in the table.
  /// - Parameter abbreviation: The abbreviation exactly as written (case-sensitive).
  /// - Returns: Seconds east of UTC, or nil when the abbreviation is not in the table.
  public static func offsetSeconds(for abbreviation: String) -> Int? {
    offsets[abbreviation]
  }
}
