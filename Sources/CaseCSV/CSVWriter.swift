// RFC 4180 writer with formula-injection neutralisation. Standard library only.

/// Writes RFC 4180 CSV (UTF-8) into `bytes`, which the caller drains (`bytes.removeAll(keepingCapacity: true)`).
///
/// **Quoting.** A field is quoted when it contains the delimiter, a quote, CR or LF (inner quotes doubled); with
/// `neutraliseFormulas` also when it contains `,` `;` or TAB, so a spreadsheet using another separator cannot split
/// it into a new cell (RELIABILITY §2.1). A row of one empty field is written `""`, so it cannot read back as a blank
/// row.
///
/// **Neutralisation** (`neutraliseFormulas`, on by default; OWASP "CSV injection"): a value whose first character
/// is `=` `+` `-` `@` TAB CR LF or NUL, or that starts with one or more `'` followed by one of those, is written
/// quoted with one more leading `'`. Exempt: a strict E.164 phone number (`^\+[1-9][0-9]{1,14}$`). Prefixing values
/// that already start with `'`+trigger makes `unneutralise` an exact inverse.
public struct CSVWriter {
  /// Line endings.
  public enum LineEnding: Sendable, Hashable {
    /// CR LF (RFC 4180; the default).
    case crlf
    /// LF.
    case lf
  }

  /// Writer options.
  public struct Options: Sendable, Hashable {
    /// The delimiter: an ASCII byte other than `"`, CR, LF and NUL.
    public var delimiter: UInt8 = 0x2C
    /// The row terminator.
    public var lineEnding: LineEnding = .crlf
    /// Neutralise spreadsheet formulas (see the type's documentation).
    public var neutraliseFormulas = true
    /// Creates the defaults: comma, CRLF, neutralising.
    public init() {}
  }

  /// The bytes written so far.
  public var bytes: [UInt8] = []
  /// The options.
  public let options: Options
  private let quoteAlso: (UInt8, UInt8, UInt8)

  /// Creates a writer.
  /// - Precondition: `options.delimiter` is an ASCII byte other than `"`, CR, LF and NUL (a programming error
  ///   otherwise, not an input error).
  public init(options: Options = .init()) {
    let d = options.delimiter
    precondition(d > 0 && d < 0x80 && d != 0x22 && d != 0x0A && d != 0x0D, "unusable CSV delimiter")
    self.options = options
    quoteAlso = options.neutraliseFormulas ? (0x2C, 0x3B, 0x09) : (d, d, d)
  }

  /// Appends one row and its line ending.
  public mutating func writeRow(_ fields: [String]) {
    for (k, field) in fields.enumerated() {
      if k > 0 { bytes.append(options.delimiter) }
      write(field, alone: fields.count == 1)
    }
    switch options.lineEnding {
    case .crlf: bytes.append(contentsOf: [0x0D, 0x0A])
    case .lf: bytes.append(0x0A)
    }
  }

  private mutating func write(_ field: String, alone: Bool) {
    var value = field
    value.withUTF8 { u in
      let neutralise = options.neutraliseFormulas && Self.needsNeutralising(u)
      var quote = neutralise || (alone && u.isEmpty)
      if !quote {
        let d = options.delimiter
        for b in u where b == d || b == 0x22 || b == 0x0D || b == 0x0A || b == quoteAlso.0 || b == quoteAlso.1
          || b == quoteAlso.2
        {
          quote = true
          break
        }
      }
      guard quote else {
        bytes.append(contentsOf: u)
        return
      }
      bytes.append(0x22)
      if neutralise { bytes.append(0x27) }
      var runStart = 0
      for (i, b) in u.enumerated() where b == 0x22 {
        bytes.append(contentsOf: UnsafeBufferPointer(rebasing: u[runStart...i]))
        bytes.append(0x22)
        runStart = i + 1
      }
      bytes.append(contentsOf: UnsafeBufferPointer(rebasing: u[runStart...]))
      bytes.append(0x22)
    }
  }

  @inline(__always) private static func isTrigger(_ b: UInt8) -> Bool {
    switch b {
    case 0x3D, 0x2B, 0x2D, 0x40, 0x09, 0x0D, 0x0A, 0x00: true  // = + - @ TAB CR LF NUL
    default: false
    }
  }

  /// Whether the value starts with `'`* and then a trigger character, and is not a strict E.164 number.
  private static func needsNeutralising(_ u: UnsafeBufferPointer<UInt8>) -> Bool {
    var i = 0
    while i < u.count && u[i] == 0x27 { i += 1 }
    guard i < u.count, isTrigger(u[i]) else { return false }
    if i == 0 && isStrictE164(u) { return false }
    return true
  }

  /// `^\+[1-9][0-9]{1,14}$` in ASCII.
  static func isStrictE164(_ u: UnsafeBufferPointer<UInt8>) -> Bool {
    guard u.count >= 3, u.count <= 16, u[0] == 0x2B, u[1] >= 0x31, u[1] <= 0x39 else { return false }
    return u[2...].allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
  }

  /// The inverse of neutralisation, for values written by a neutralising writer and read back: when the value is
  /// one or more `'` followed by `=` `+` `-` `@` TAB CR LF or NUL, one leading `'` is removed. Other values are
  /// returned unchanged.
  public static func unneutralise(_ value: String) -> String {
    let u = value.utf8
    var i = u.startIndex
    var quotes = 0
    while i < u.endIndex && u[i] == 0x27 {
      quotes += 1
      i = u.index(after: i)
    }
    guard quotes > 0, i < u.endIndex, isTrigger(u[i]) else { return value }
    return String(value.unicodeScalars.dropFirst())
  }
}
