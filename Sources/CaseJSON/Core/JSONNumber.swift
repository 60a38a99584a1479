// Exact JSON number literals. Standard library only.

/// A JSON number kept as its exact literal text (validated RFC 8259 syntax).
///
/// Nothing is rounded on the way in: `12345678901234567890` and `0.1000000000000000055`
/// keep every digit. Conversions are explicit and exact where they claim to be.
public struct JSONNumber: Sendable, Hashable, CustomStringConvertible {
  /// The literal exactly as written (such as `-0`, `1.50` or `6.02E+23`).
  public let literal: String

  /// Creates a number from a literal, or nil if it is not RFC 8259 number syntax.
  ///
  /// Only syntax is checked; `JSONParser` additionally enforces `maxNumberLength` and rejects
  /// literals such as `1e400` whose magnitude overflows a Double.
  ///
  /// - Parameter literal: The candidate literal, e.g. `-12.5e3`.
  public init?(literal: String) {
    var copy = literal
    let ok = copy.withUTF8 { u -> Bool in
      guard let base = u.baseAddress else { return false }
      return _scanNumberSyntax(base, 0, u.count) != nil
    }
    guard ok else { return nil }
    self.literal = copy
  }

  /// Creates the integer literal of `value`.
  ///
  /// - Parameter value: The integer, written in decimal without leading zeros.
  public init(_ value: Int64) {
    self.literal = String(value)
  }

  /// Wraps a literal that the caller already validated.
  init(uncheckedLiteral: String) {
    self.literal = uncheckedLiteral
  }

  /// True when the literal has no fraction and no exponent (`-0` included).
  public var isInteger: Bool {
    for b in literal.utf8 where b == 0x2E || b == 0x65 || b == 0x45 { return false }
    return true
  }

  /// The exact Int64 value, or nil on a fraction, an exponent or overflow.
  ///
  /// `1.0` and `1e2` are nil even though they denote integers: the literal is not an integer literal.
  public var int64Value: Int64? {
    var negative = false
    var acc: Int64 = 0  // accumulated as a negative number so Int64.min fits
    var sawDigit = false
    for b in literal.utf8 {
      if b == 0x2D, !sawDigit, !negative {
        negative = true
        continue
      }
      guard b >= 0x30, b <= 0x39 else { return nil }
      sawDigit = true
      let (m, o1) = acc.multipliedReportingOverflow(by: 10)
      let (s, o2) = m.subtractingReportingOverflow(Int64(b &- 0x30))
      if o1 || o2 { return nil }
      acc = s
    }
    guard sawDigit else { return nil }
    if negative { return acc }
    if acc == Int64.min { return nil }
    return -acc
  }

  /// The nearest Double, or nil if it is not finite (as for `1e400`).
  public var doubleValue: Double? {
    guard let d = Double(literal), d.isFinite else { return nil }
    return d
  }

  /// The literal.
  public var description: String { literal }
}

/// Scans RFC 8259 number syntax in `p[start..<end]`, which must be the whole token.
///
/// Returns whether the literal has a fraction or exponent (flags), or nil when invalid.
@inline(__always)
func _scanNumberSyntax(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int)
  -> (hasFraction: Bool, hasExponent: Bool)?
{
  var k = start
  if k < end, p[k] == 0x2D { k &+= 1 }
  guard k < end else { return nil }
  if p[k] == 0x30 {
    k &+= 1
  } else if p[k] >= 0x31, p[k] <= 0x39 {
    k &+= 1
    while k < end, p[k] &- 0x30 < 10 { k &+= 1 }
  } else {
    return nil
  }
  var hasFraction = false
  var hasExponent = false
  if k < end, p[k] == 0x2E {
    hasFraction = true
    k &+= 1
    let digitsStart = k
    while k < end, p[k] &- 0x30 < 10 { k &+= 1 }
    guard k > digitsStart else { return nil }
  }
  if k < end, p[k] == 0x65 || p[k] == 0x45 {
    hasExponent = true
    k &+= 1
    if k < end, p[k] == 0x2B || p[k] == 0x2D { k &+= 1 }
    let digitsStart = k
    while k < end, p[k] &- 0x30 < 10 { k &+= 1 }
    guard k > digitsStart else { return nil }
  }
  guard k == end else { return nil }
  return (hasFraction, hasExponent)
}
