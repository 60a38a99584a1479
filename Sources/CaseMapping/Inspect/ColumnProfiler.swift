import CaseModel

/// Streaming per-column statistics and kind detection for `casebridge inspect`.
///
/// Memory is bounded per column: counters, first-line numbers and at most
/// ``distinctLimit`` 8-byte hashes of distinct values; no value is stored. Detection uses
/// CaseBridge's own strict parsers: ``CaseModel/IPAddress/parse(_:)``,
/// ``CaseModel/EmailAddress/parse(_:)``, ``CaseModel/PhoneNumber/parse(_:defaultRegion:)`` (no
/// default region for `+` numbers; region US for NANP-looking ones: only digits, spaces, `(`,
/// `)`, `-`, `.`, with 10 digits or 11 starting with 1), ``CaseModel/Timestamp/parseISO8601(_:)``,
/// ``CaseModel/HashDigest/parse(algorithm:hex:)`` for hex of a ``CaseModel/HashAlgorithm`` length,
/// and the ``dateTimeCandidates`` patterns.
///
/// A kind is assigned when at least 95 % of the filled values match it (``kindThreshold``),
/// checked in this order: `ipv4`, `ipv6` (any IP, so mixed columns are `ipv6`), `email`, the best
/// date/time candidate (most matches, earlier candidate on ties), `hash`, `phone`, `epoch`
/// (the best of 10/13/16 digits, no leading zero, between 1990 and 2100), `boolean`, `integer`,
/// `decimal`; otherwise `text`. A 10-digit value that is both a valid NANP number and a plausible
/// epoch counts as a phone first.
///
/// Day/month: for a family of patterns whose day and month are both numbers, the first value
/// whose first number is above 12 (and is a valid date day-first) proves day-first, the first
/// whose second number is above 12 proves month-first. Both proven → kind `text` with
/// ``DayMonthEvidence/conflicting(monthFirstLine:dayFirstLine:)`` and a note; none → `.unknown`.
public struct ColumnProfiler {
  /// The share of filled values a kind needs: 95 %.
  public static let kindThreshold = 0.95
  /// How many distinct values are counted exactly before ``ColumnProfile/distinct`` becomes a lower bound.
  public static let distinctLimit = 10_000

  private var names: [String]
  private var columns: [ColumnState]

  /// Creates a profiler for columns with these names (header order).
  /// - Parameter names: The column names.
  public init(names: [String]) {
    self.names = names
    self.columns = Array(repeating: ColumnState(), count: names.count)
  }

  /// Adds one row. Values beyond the named columns are ignored; missing values count as empty.
  /// - Parameters:
  ///   - values: The row's values in column order.
  ///   - line: The 1-based line where the row starts, used for proof and example lines.
  public mutating func add(row values: [String], line: Int) {
    for k in 0..<columns.count {
      columns[k].add(k < values.count ? values[k] : "", line: line)
    }
  }

  /// The profiles, one per named column, in column order.
  public func finish() -> [ColumnProfile] {
    columns.enumerated().map { k, state in state.profile(name: names[k], index: k) }
  }
}

/// The running statistics of one column (internal).
struct ColumnState {
  /// Slots of ``simpleCounts``.
  enum Slot: Int, CaseIterable {
    case ipv4, anyIP, email, phone, hash, boolean, integer, decimal
  }

  var count = 0
  var filled = 0
  var firstFilledLine: Int?
  var distinctHashes: Set<UInt64> = []
  var distinctOverflow = false
  var simpleCounts = Array(repeating: 0, count: Slot.allCases.count)
  var simpleFirstLines: [Int?] = Array(repeating: nil, count: Slot.allCases.count)
  /// Epoch matches by unit: seconds, milliseconds, microseconds.
  var epochCounts = [0, 0, 0]
  var epochFirstLines: [Int?] = [nil, nil, nil]
  /// Hash matches by hex length.
  var hashLengths: [Int: Int] = [:]
  var candidateCounts = Array(repeating: 0, count: ColumnProfiler.dateTimeCandidates.count)
  var candidateFirstLines: [Int?] = Array(
    repeating: nil, count: ColumnProfiler.dateTimeCandidates.count)
  var monthFirstProof: [Int?] = Array(repeating: nil, count: ColumnProfiler.dateTimeCandidates.count)
  var dayFirstProof: [Int?] = Array(repeating: nil, count: ColumnProfiler.dateTimeCandidates.count)

  private mutating func hit(_ slot: Slot, line: Int) {
    simpleCounts[slot.rawValue] += 1
    if simpleFirstLines[slot.rawValue] == nil { simpleFirstLines[slot.rawValue] = line }
  }

  mutating func add(_ value: String, line: Int) {
    count += 1
    if value.isEmpty { return }
    filled += 1
    if firstFilledLine == nil { firstFilledLine = line }
    var copy = value
    copy.withUTF8 { buf in classify(value, buf, line: line) }
  }

  private mutating func classify(_ value: String, _ buf: UnsafeBufferPointer<UInt8>, line: Int) {
    // One pass over the bytes: FNV-1a hash and the shape flags that gate the parsers.
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    var digits = 0
    var allDigits = true
    var allHex = true
    var hasAt = false
    var hasColon = false
    var dots = 0
    var ipv4Chars = true
    var ipv6Chars = true
    var nanpChars = true
    var decimalShape = true
    for (i, b) in buf.enumerated() {
      hash = (hash ^ UInt64(b)) &* 0x100_0000_01b3
      let isDigit = b &- 0x30 < 10
      let isHexLetter = (b | 0x20) &- 0x61 < 6
      if isDigit { digits += 1 } else { allDigits = false }
      if !isDigit && !isHexLetter { allHex = false }
      switch b {
      case 0x40: hasAt = true
      case 0x3A: hasColon = true
      case 0x2E: dots += 1
      default: break
      }
      if !isDigit && b != 0x2E { ipv4Chars = false }
      if !isDigit && !isHexLetter && b != 0x3A && b != 0x2E { ipv6Chars = false }
      if !isDigit && b != 0x20 && b != 0x28 && b != 0x29 && b != 0x2D && b != 0x2E {
        nanpChars = false
      }
      if !isDigit && b != 0x2E && !(i == 0 && b == 0x2D) { decimalShape = false }
    }
    if !distinctOverflow {
      if distinctHashes.count < ColumnProfiler.distinctLimit {
        distinctHashes.insert(hash)
      } else if !distinctHashes.contains(hash) {
        distinctOverflow = true
      }
    }
    let n = buf.count

    // IP addresses.
    if (ipv4Chars && dots == 3) || (hasColon && ipv6Chars) {
      if case .success(let ip) = IPAddress.parse(value) {
        hit(.anyIP, line: line)
        if ip.version == .v4 { hit(.ipv4, line: line) }
        return
      }
    }
    // E-mail.
    if hasAt {
      if case .success = EmailAddress.parse(value) { hit(.email, line: line) }
      return
    }
    // Dates and times.
    if n >= 8 && n <= 64 && digits >= 4 {
      classifyDateTime(value, buf, line: line)
    }
    // Hashes.
    if allHex, let algorithm = HashAlgorithm.allCases.first(where: { $0.hexLength == n }),
      case .success = HashDigest.parse(algorithm: algorithm, hex: value)
    {
      hit(.hash, line: line)
      hashLengths[n, default: 0] += 1
    }
    // Phones.
    if buf[0] == 0x2B {
      if case .success = PhoneNumber.parse(value, defaultRegion: nil) { hit(.phone, line: line) }
    } else if nanpChars && (buf[0] &- 0x30 < 10 || buf[0] == 0x28)
      && (digits == 10 || (digits == 11 && firstDigit(buf) == 0x31)),
      let us = PhoneRegion.named("US"),
      case .success = PhoneNumber.parse(value, defaultRegion: us)
    {
      hit(.phone, line: line)
    }
    // Epochs.
    if allDigits && buf[0] != 0x30, let unit = Self.epochSlot(digits: n),
      Self.plausibleEpoch(buf, unit: unit)
    {
      epochCounts[unit] += 1
      if epochFirstLines[unit] == nil { epochFirstLines[unit] = line }
    }
    // Booleans and numbers.
    if n <= 5 && Self.booleanSpellings.contains(value) { hit(.boolean, line: line) }
    if decimalShape && dots <= 1 && digits > 0 && Self.isNumber(buf, dots: dots) {
      hit(.decimal, line: line)
      if dots == 0 && digits <= 19 && Int64(value) != nil { hit(.integer, line: line) }
    }
  }

  private func firstDigit(_ buf: UnsafeBufferPointer<UInt8>) -> UInt8? {
    buf.first { $0 &- 0x30 < 10 }
  }

  private mutating func classifyDateTime(
    _ value: String, _ buf: UnsafeBufferPointer<UInt8>, line: Int
  ) {
    let startsWithDigit = buf[0] &- 0x30 < 10
    let looksISO = buf.count >= 19 && buf[4] == 0x2D && buf[7] == 0x2D && buf[10] == 0x54
    var isoOutcome: Int?  // 0 = with zone, 1 = without zone, 2 = neither
    let n = buf.count
    let filters = ColumnProfiler.candidateFilters
    for k in filters.indices
    where filters[k].startsWithDigit == startsWithDigit && filters[k].lengths.contains(n) {
      let candidate = ColumnProfiler.dateTimeCandidates[k]
      var matched = false
      switch candidate.matcher {
      case .isoWithZone, .isoWithoutZone:
        guard looksISO else { continue }
        if isoOutcome == nil {
          switch Timestamp.parseISO8601(value) {
          case .success: isoOutcome = 0
          case .failure(let error): isoOutcome = error.rule == "timestamp.missing-zone" ? 1 : 2
          }
        }
        if case .isoWithZone = candidate.matcher { matched = isoOutcome == 0 } else { matched = isoOutcome == 1 }
      case .pattern(let pattern):
        guard case .matched(let raw) = pattern.scanRaw(buf) else { continue }
        if candidate.needsKnownAbbreviation {
          guard let range = raw.abbreviation,
            ZoneAbbreviation.offsetSeconds(for: String(decoding: buf[range], as: UTF8.self)) != nil
          else { continue }
        }
        let asWritten = pattern.build(raw, swapped: false)
        if candidate.family == nil {
          if case .success = asWritten { matched = true }
        } else {
          let swapped = pattern.build(raw, swapped: true)
          var monthFirstValid = false
          var dayFirstValid = false
          if case .success = asWritten { monthFirstValid = true }
          if case .success = swapped { dayFirstValid = true }
          matched = monthFirstValid || dayFirstValid
          // The family's patterns are month-first: raw.month is the first number, raw.day the second.
          if raw.month > 12 && dayFirstValid && dayFirstProof[k] == nil { dayFirstProof[k] = line }
          if raw.day > 12 && monthFirstValid && monthFirstProof[k] == nil { monthFirstProof[k] = line }
        }
      }
      if matched {
        candidateCounts[k] += 1
        if candidateFirstLines[k] == nil { candidateFirstLines[k] = line }
      }
    }
  }

  static let booleanSpellings: Set<String> = [
    "true", "false", "TRUE", "FALSE", "True", "False", "t", "f", "T", "F", "yes", "no", "YES", "NO",
    "Yes", "No", "y", "n", "Y", "N", "0", "1",
  ]

  /// Index into ``epochCounts`` for a digit count: 10 → seconds, 13 → ms, 16 → µs.
  static func epochSlot(digits: Int) -> Int? {
    switch digits {
    case 10: 0
    case 13: 1
    case 16: 2
    default: nil
    }
  }

  static let epochUnits: [EpochUnit] = [.seconds, .milliseconds, .microseconds]

  /// Whether an all-digit value is an epoch between 1990-01-01 and 2100-01-01 in the unit.
  static func plausibleEpoch(_ buf: UnsafeBufferPointer<UInt8>, unit: Int) -> Bool {
    var value: Int64 = 0
    for b in buf { value = value * 10 + Int64(b &- 0x30) }
    let perSecond: Int64 = unit == 0 ? 1 : unit == 1 ? 1000 : 1_000_000
    let seconds = value / perSecond
    return seconds >= 631_152_000 && seconds < 4_102_444_800
  }

  /// Whether the bytes are `-?(0|[1-9][0-9]*)(\.[0-9]+)?`.
  static func isNumber(_ buf: UnsafeBufferPointer<UInt8>, dots: Int) -> Bool {
    var i = 0
    if buf[0] == 0x2D { i = 1 }
    guard i < buf.count, buf[i] &- 0x30 < 10 else { return false }
    if buf[i] == 0x30 && i + 1 < buf.count && buf[i + 1] != 0x2E { return false }
    if dots == 1 {
      guard let dot = buf.firstIndex(of: 0x2E), dot + 1 < buf.count else { return false }
    }
    return true
  }

  // MARK: Finishing

  private func share(_ matches: Int) -> Double { filled == 0 ? 0 : Double(matches) / Double(filled) }
  private func reaches(_ matches: Int) -> Bool { matches > 0 && matches * 100 >= filled * 95 }

  func profile(name: String, index: Int) -> ColumnProfile {
    var profile = ColumnProfile(
      name: name, index: index, count: count, filled: filled,
      fillRate: count == 0 ? 0 : Double(filled) / Double(count),
      distinct: distinctHashes.count, distinctIsLowerBound: distinctOverflow,
      kind: .text, kindShare: 1, exampleLine: firstFilledLine)
    if filled == 0 {
      profile.kind = .empty
      profile.kindShare = 0
      profile.exampleLine = nil
      return profile
    }
    func take(_ kind: ColumnKind, _ matches: Int, _ line: Int?) {
      profile.kind = kind
      profile.kindShare = share(matches)
      profile.exampleLine = line
    }
    func simple(_ slot: Slot) -> (Int, Int?) { (simpleCounts[slot.rawValue], simpleFirstLines[slot.rawValue]) }

    // The best date/time candidate: most matches, earliest on ties.
    var best: Int?
    for k in candidateCounts.indices where candidateCounts[k] > 0 {
      if best == nil || candidateCounts[k] > candidateCounts[best!] { best = k }
    }
    var bestEpoch: Int?
    for k in epochCounts.indices where epochCounts[k] > 0 {
      if bestEpoch == nil || epochCounts[k] > epochCounts[bestEpoch!] { bestEpoch = k }
    }

    var nearMiss: (ColumnKind, Int)?
    func consider(_ kind: ColumnKind, _ matches: Int) {
      if matches * 2 >= filled && (nearMiss == nil || matches > nearMiss!.1) { nearMiss = (kind, matches) }
    }

    if reaches(simple(.ipv4).0) {
      take(.ipv4, simple(.ipv4).0, simple(.ipv4).1)
    } else if reaches(simple(.anyIP).0) {
      take(.ipv6, simple(.anyIP).0, simple(.anyIP).1)
    } else if reaches(simple(.email).0) {
      take(.email, simple(.email).0, simple(.email).1)
    } else if let k = best, reaches(candidateCounts[k]) {
      let candidate = ColumnProfiler.dateTimeCandidates[k]
      take(candidate.kind, candidateCounts[k], candidateFirstLines[k])
      if let family = candidate.family {
        switch (monthFirstProof[k], dayFirstProof[k]) {
        case (let m?, let d?):
          profile.kind = .text
          profile.kindShare = 1
          profile.exampleLine = firstFilledLine
          profile.dayMonth = .conflicting(monthFirstLine: m, dayFirstLine: d)
          profile.notes.append(
            "values look like dates but prove both day/month orders (month first from line \(m), day first from line \(d)); the column is inconsistent")
        case (let m?, nil):
          profile.pattern = family.monthFirst
          profile.dayMonth = .monthFirst(line: m)
        case (nil, let d?):
          profile.pattern = family.dayFirst
          profile.dayMonth = .dayFirst(line: d)
        case (nil, nil):
          profile.pattern = family.conventional
          profile.dayMonth = .unknown
          profile.notes.append(
            "no value proves the day/month order (no number above 12); the pattern shows the conventional order and must be confirmed")
        }
      } else {
        profile.pattern = candidate.reported
      }
      if profile.kind == .timestampWithoutZone {
        profile.notes.append("values carry no zone: the source zone must be declared")
      }
    } else if reaches(simple(.hash).0) {
      take(.hash, simple(.hash).0, simple(.hash).1)
      profile.hashAlgorithms = HashAlgorithm.allCases.filter { hashLengths[$0.hexLength] != nil }
        .map(\.rawValue)
    } else if reaches(simple(.phone).0) {
      take(.phone, simple(.phone).0, simple(.phone).1)
    } else if let e = bestEpoch, reaches(epochCounts[e]) {
      take(.epoch, epochCounts[e], epochFirstLines[e])
      profile.epochUnit = Self.epochUnits[e]
      profile.epochDigits = Self.epochUnits[e].typicalDigits
      profile.notes.append(
        "the epoch unit is suggested by the digit count only and must be confirmed")
    } else if reaches(simple(.boolean).0) {
      take(.boolean, simple(.boolean).0, simple(.boolean).1)
    } else if reaches(simple(.integer).0) {
      take(.integer, simple(.integer).0, simple(.integer).1)
    } else if reaches(simple(.decimal).0) {
      take(.decimal, simple(.decimal).0, simple(.decimal).1)
    } else {
      consider(.ipv4, simple(.ipv4).0)
      consider(.ipv6, simple(.anyIP).0)
      consider(.email, simple(.email).0)
      if let k = best { consider(ColumnProfiler.dateTimeCandidates[k].kind, candidateCounts[k]) }
      consider(.hash, simple(.hash).0)
      consider(.phone, simple(.phone).0)
      if let e = bestEpoch { consider(.epoch, epochCounts[e]) }
      consider(.decimal, simple(.decimal).0)
      if let (kind, matches) = nearMiss {
        let percent = matches * 100 / filled
        profile.notes.append(
          "\(percent)% of the filled values look like \(kind.rawValue), below the 95% threshold")
      }
    }
    return profile
  }
}
