public import CaseModel

/// The fields a pattern read from one value before any range or calendar check (internal).
struct RawDateTimeFields {
  var year = 0
  /// The value of the month token (numeric or from the abbreviation).
  var month = 0
  /// The value of the day token.
  var day = 0
  var hour = 0
  var minute = 0
  var second = 0
  var nanosecond = 0
  /// The AM/PM marker: nil when the pattern has none.
  var isPM: Bool?
  var offsetSeconds: Int?
  /// The byte range of the zone abbreviation in the value.
  var abbreviation: Range<Int>?
  /// The weekday read by `EEE`: 0 = Sunday … 6 = Saturday.
  var weekday: Int?
}

/// Why a value does not have a pattern's shape (internal; cheap to create, text built on demand).
enum RawDateTimeMismatch {
  /// The token at `token` did not match at byte `offset`.
  case token(Int, offset: Int)
  /// A numeric offset beyond ±23:59.
  case offsetOutOfRange
  /// A zone abbreviation longer than 10 letters.
  case abbreviationTooLong
  /// Bytes left after the last token, from byte `offset`.
  case trailingText(offset: Int)
  /// The value is shorter or longer than anything the pattern can match.
  case length
}

/// The outcome of matching a value's bytes against a pattern's tokens (internal).
enum RawDateTimeScan {
  case matched(RawDateTimeFields)
  /// The value does not have the pattern's shape.
  case mismatch(RawDateTimeMismatch)
}

extension DateTimePattern {
  /// Parses a whole value exactly as the pattern describes.
  ///
  /// No leniency: the entire text must match (no whitespace trimming, no extra or missing
  /// digits, literals byte for byte), and every field is range-checked.
  ///
  /// With `dayMonthUnknown` the pattern's numeric month and day positions are not trusted: the
  /// value is read as written and with day and month swapped. If both readings are valid and
  /// differ, the value is `"date.ambiguous-day-month"`; if only one is valid it is used and
  /// ``ParsedDateTime/dayMonthSwapped`` tells which. Patterns with `MMM` ignore the flag.
  /// - Parameters:
  ///   - text: The value.
  ///   - dayMonthUnknown: Whether the day/month order of the pattern is unconfirmed.
  /// - Returns: The parsed fields, or a ``FieldError`` with rule `"timestamp.invalid"` (no match,
  ///   impossible date, hour out of range such as `24:00`, `13 PM` or `00 AM`, weekday that does
  ///   not match the date), `"timestamp.twelve-hour-clock"` (an AM/PM marker in a value whose
  ///   pattern is a 24-hour clock) or `"date.ambiguous-day-month"`. Messages never quote the value.
  public func parse(_ text: String, dayMonthUnknown: Bool = false) -> Result<ParsedDateTime, FieldError> {
    var copy = text
    return copy.withUTF8 { buf -> Result<ParsedDateTime, FieldError> in
      let raw: RawDateTimeFields
      switch scanRaw(buf) {
      case .mismatch(let reason):
        if !hasAmPm && DateTimePattern.containsAmPmMarker(buf) {
          return .failure(
            FieldError(
              rule: "timestamp.twelve-hour-clock",
              message:
                "value has an AM/PM marker but the pattern '\(pattern)' is a 24-hour clock"))
        }
        return .failure(FieldError(rule: "timestamp.invalid", message: message(for: reason)))
      case .matched(let fields):
        raw = fields
      }
      let abbreviation = raw.abbreviation.map { String(decoding: buf[$0], as: UTF8.self) }
      func result(_ local: LocalDateTime, swapped: Bool) -> Result<ParsedDateTime, FieldError> {
        .success(
          ParsedDateTime(
            local: local, offsetSeconds: raw.offsetSeconds, zoneAbbreviation: abbreviation,
            dayMonthSwapped: swapped))
      }
      let asWritten = build(raw, swapped: false)
      guard dayMonthUnknown && hasNumericMonth else {
        switch asWritten {
        case .success(let local): return result(local, swapped: false)
        case .failure(let error): return .failure(error)
        }
      }
      switch (asWritten, build(raw, swapped: true)) {
      case (.success(let a), .success(let b)):
        if a == b { return result(a, swapped: false) }
        return .failure(
          FieldError(
            rule: "date.ambiguous-day-month",
            message:
              "day and month are both 12 or less and the day/month order is not declared, so the date is ambiguous"
          ))
      case (.success(let a), .failure):
        return result(a, swapped: false)
      case (.failure, .success(let b)):
        return result(b, swapped: true)
      case (.failure(let error), .failure):
        return .failure(error)
      }
    }
  }

  // MARK: Field checks

  private static func invalid(_ message: String) -> Result<LocalDateTime, FieldError> {
    .failure(FieldError(rule: "timestamp.invalid", message: message))
  }

  /// Range-checks the raw fields and builds the local time, optionally swapping day and month.
  func build(_ raw: RawDateTimeFields, swapped: Bool) -> Result<LocalDateTime, FieldError> {
    let month = swapped ? raw.day : raw.month
    let day = swapped ? raw.month : raw.day
    var hour = raw.hour
    if let isPM = raw.isPM {
      guard hour >= 1 && hour <= 12 else {
        return Self.invalid("hour is outside 1-12 for a 12-hour clock with AM/PM")
      }
      hour = hour % 12 + (isPM ? 12 : 0)
    } else if hour > 23 {
      return Self.invalid("hour is out of range 00-23 (24:00 is not allowed)")
    }
    if raw.minute > 59 { return Self.invalid("minute is out of range 00-59") }
    if raw.second > 59 {
      return Self.invalid("second is out of range 00-59 (leap seconds are not allowed)")
    }
    if raw.year < 1 { return Self.invalid("year 0000 is not allowed") }
    if month < 1 || month > 12 { return Self.invalid("month is out of range 1-12") }
    guard
      let local = LocalDateTime(
        year: raw.year, month: month, day: day, hour: hour, minute: raw.minute,
        second: raw.second, nanosecond: raw.nanosecond)
    else {
      return Self.invalid("day does not exist in that month")
    }
    if let weekday = raw.weekday {
      let days = local.date.daysSinceEpoch
      // 1970-01-01 was a Thursday (4).
      let actual = Int(((days % 7) + 7 + 4) % 7)
      if actual != weekday { return Self.invalid("weekday does not match the date") }
    }
    return .success(local)
  }

  // MARK: Byte scanner

  private static let monthNames: [(UInt8, UInt8, UInt8)] = [
    (0x6A, 0x61, 0x6E), (0x66, 0x65, 0x62), (0x6D, 0x61, 0x72), (0x61, 0x70, 0x72),
    (0x6D, 0x61, 0x79), (0x6A, 0x75, 0x6E), (0x6A, 0x75, 0x6C), (0x61, 0x75, 0x67),
    (0x73, 0x65, 0x70), (0x6F, 0x63, 0x74), (0x6E, 0x6F, 0x76), (0x64, 0x65, 0x63),
  ]
  private static let weekdayNames: [(UInt8, UInt8, UInt8)] = [
    (0x73, 0x75, 0x6E), (0x6D, 0x6F, 0x6E), (0x74, 0x75, 0x65), (0x77, 0x65, 0x64),
    (0x74, 0x68, 0x75), (0x66, 0x72, 0x69), (0x73, 0x61, 0x74),
  ]

  @inline(__always) static func lower(_ b: UInt8) -> UInt8 { (b &- 0x41 < 26) ? b | 0x20 : b }
  @inline(__always) static func isDigit(_ b: UInt8) -> Bool { b &- 0x30 < 10 }
  @inline(__always) static func isLetter(_ b: UInt8) -> Bool { (b | 0x20) &- 0x61 < 26 }

  private static func threeLetterIndex(
    _ buf: UnsafeBufferPointer<UInt8>, at i: Int, in table: [(UInt8, UInt8, UInt8)]
  ) -> Int? {
    guard i + 3 <= buf.count else { return nil }
    let a = lower(buf[i])
    let b = lower(buf[i + 1])
    let c = lower(buf[i + 2])
    for (k, name) in table.enumerated() where name.0 == a && name.1 == b && name.2 == c {
      return k
    }
    return nil
  }

  /// Matches the value's bytes against the tokens without range or calendar checks.
  func scanRaw(_ buf: UnsafeBufferPointer<UInt8>) -> RawDateTimeScan {
    let n = buf.count
    if !byteLengths.contains(n) {
      return .mismatch(.length)
    }
    var fields = RawDateTimeFields()
    var i = 0
    var index = 0
    func mismatch() -> RawDateTimeScan {
      .mismatch(.token(index, offset: i))
    }
    for token in tokens {
      defer { index += 1 }
      switch token {
      case .literal(let start, let count):
        guard n - i >= count else { return mismatch() }
        for k in 0..<count where buf[i + k] != literalBytes[start + k] { return mismatch() }
        i += count
      case .number(let field, let minDigits, let maxDigits):
        var value = 0
        var count = 0
        while count < maxDigits && i < n && Self.isDigit(buf[i]) {
          value = value * 10 + Int(buf[i] &- 0x30)
          count += 1
          i += 1
        }
        if count < minDigits {
          i -= count
          return mismatch()
        }
        switch field {
        case .year: fields.year = value
        case .month: fields.month = value
        case .day: fields.day = value
        case .hour24, .hour12: fields.hour = value
        case .minute: fields.minute = value
        case .second: fields.second = value
        case .fraction:
          var scaled = value
          for _ in count..<9 { scaled *= 10 }
          fields.nanosecond = scaled
        }
      case .monthName:
        guard let k = Self.threeLetterIndex(buf, at: i, in: Self.monthNames) else {
          return mismatch()
        }
        fields.month = k + 1
        i += 3
      case .weekdayName:
        guard let k = Self.threeLetterIndex(buf, at: i, in: Self.weekdayNames) else {
          return mismatch()
        }
        fields.weekday = k
        i += 3
      case .amPm:
        guard i + 2 <= n else { return mismatch() }
        let first = Self.lower(buf[i])
        guard first == 0x61 || first == 0x70 else { return mismatch() }  // a / p
        if Self.lower(buf[i + 1]) == 0x6D {  // am / pm
          i += 2
        } else if i + 4 <= n && buf[i + 1] == 0x2E && Self.lower(buf[i + 2]) == 0x6D
          && buf[i + 3] == 0x2E
        {  // a.m. / p.m.
          i += 4
        } else {
          return mismatch()
        }
        fields.isPM = first == 0x70
      case .offset(let style):
        guard i < n else { return mismatch() }
        if buf[i] == 0x5A {  // Z
          fields.offsetSeconds = 0
          i += 1
          continue
        }
        guard buf[i] == 0x2B || buf[i] == 0x2D else { return mismatch() }
        let sign = buf[i] == 0x2B ? 1 : -1
        let start = i
        i += 1
        func two() -> Int? {
          guard i + 2 <= n, Self.isDigit(buf[i]), Self.isDigit(buf[i + 1]) else { return nil }
          defer { i += 2 }
          return Int(buf[i] &- 0x30) * 10 + Int(buf[i + 1] &- 0x30)
        }
        guard let hours = two() else {
          i = start
          return mismatch()
        }
        var minutes = 0
        switch style {
        case .extended:
          guard i < n, buf[i] == 0x3A else {
            i = start
            return mismatch()
          }
          i += 1
          guard let m = two() else {
            i = start
            return mismatch()
          }
          minutes = m
        case .basic:
          guard let m = two() else {
            i = start
            return mismatch()
          }
          minutes = m
        case .flexible:
          if let m = two() { minutes = m }
        }
        if hours > 23 || minutes > 59 {
          return .mismatch(.offsetOutOfRange)
        }
        fields.offsetSeconds = sign * (hours * 3600 + minutes * 60)
      case .zoneAbbreviation:
        let start = i
        while i < n && Self.isLetter(buf[i]) && i - start < 11 { i += 1 }
        if i == start { return mismatch() }
        if i - start > 10 { return .mismatch(.abbreviationTooLong) }
        fields.abbreviation = start..<i
      }
    }
    if i != n { return .mismatch(.trailingText(offset: i)) }
    return .matched(fields)
  }

  /// The value-free message for a mismatch.
  func message(for reason: RawDateTimeMismatch) -> String {
    switch reason {
    case .token(let index, let offset):
      return
        "value does not match the date/time pattern '\(pattern)': expected \(tokens[index].expectation) at byte offset \(offset)"
    case .offsetOutOfRange:
      return "value's zone offset is out of range (at most ±23:59)"
    case .abbreviationTooLong:
      return "value's zone abbreviation is longer than 10 letters"
    case .length:
      return
        "value length does not fit the date/time pattern '\(pattern)' (\(byteLengths.lowerBound)-\(byteLengths.upperBound) bytes)"
    case .trailingText(let offset):
      return
        "value has text after the end of the date/time pattern '\(pattern)' at byte offset \(offset)"
    }
  }

  /// Whether the bytes contain an AM/PM marker right after a digit (optionally after spaces):
  /// `1:30 PM`, `01:30pm`, `1:30 a.m.`. Used to report a 12-hour value against a 24-hour pattern.
  static func containsAmPmMarker(_ buf: UnsafeBufferPointer<UInt8>) -> Bool {
    let n = buf.count
    var i = 0
    while i + 1 < n {
      let first = lower(buf[i])
      if first == 0x61 || first == 0x70 {
        var end = -1
        if lower(buf[i + 1]) == 0x6D {
          end = i + 2
        } else if i + 3 < n && buf[i + 1] == 0x2E && lower(buf[i + 2]) == 0x6D && buf[i + 3] == 0x2E {
          end = i + 4
        }
        if end > 0 && (end == n || !isLetter(buf[end])) {
          var j = i - 1
          while j >= 0 && buf[j] == 0x20 { j -= 1 }
          if j >= 0 && isDigit(buf[j]) { return true }
        }
      }
      i += 1
    }
    return false
  }
}
