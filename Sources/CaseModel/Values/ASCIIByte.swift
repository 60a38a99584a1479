/// Byte-level helpers shared by the strict field parsers (internal).
enum ASCIIByte {
  static let zero: UInt8 = 0x30
  static let nine: UInt8 = 0x39
  static let dot: UInt8 = 0x2E
  static let colon: UInt8 = 0x3A
  static let hyphen: UInt8 = 0x2D
  static let plus: UInt8 = 0x2B
  static let slash: UInt8 = 0x2F
  static let percent: UInt8 = 0x25
  static let at: UInt8 = 0x40
  static let space: UInt8 = 0x20
  static let quote: UInt8 = 0x22
  static let backslash: UInt8 = 0x5C

  /// Whether `b` is an ASCII decimal digit.
  @inline(__always) static func isDigit(_ b: UInt8) -> Bool { b &- 0x30 < 10 }

  /// Whether `b` is an ASCII letter.
  @inline(__always) static func isLetter(_ b: UInt8) -> Bool { (b | 0x20) &- 0x61 < 26 }

  /// The value of an ASCII hex digit, or nil.
  @inline(__always) static func hexValue(_ b: UInt8) -> UInt8? {
    if b &- 0x30 < 10 { return b &- 0x30 }
    let lower = b | 0x20
    if lower &- 0x61 < 6 { return lower &- 0x61 &+ 10 }
    return nil
  }

  /// Whether `b` is ASCII whitespace (space, tab, LF, VT, FF, CR).
  @inline(__always) static func isWhitespace(_ b: UInt8) -> Bool {
    b == 0x20 || (b >= 0x09 && b <= 0x0D)
  }

  /// Whether `b` is a C0 control character or DEL.
  @inline(__always) static func isControl(_ b: UInt8) -> Bool { b < 0x20 || b == 0x7F }

  /// Lower-cases an ASCII upper-case letter; other bytes unchanged.
  @inline(__always) static func lower(_ b: UInt8) -> UInt8 {
    (b &- 0x41 < 26) ? b | 0x20 : b
  }

  /// Appends the decimal digits of a non-negative value, zero-padded to `width`.
  static func appendDecimal(_ value: Int64, width: Int, to out: inout [UInt8]) {
    var v = value.magnitude
    let start = out.count
    repeat {
      out.append(UInt8(truncatingIfNeeded: v % 10) &+ 0x30)
      v /= 10
    } while v > 0
    while out.count - start < width { out.append(0x30) }
    out[start...].reverse()
  }
}
