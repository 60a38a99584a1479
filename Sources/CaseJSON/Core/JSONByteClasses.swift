// Byte classification and UTF-8 helpers shared by the parser and the splitter.
// Standard library only.

@inline(__always) func _isJSONWhitespace(_ c: UInt8) -> Bool {
  c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09
}

/// Bytes that may belong to a (possibly invalid) number-like token: digits, letters, + - .
@inline(__always) func _isNumberTokenByte(_ c: UInt8) -> Bool {
  (c &- 0x30) < 10 || ((c | 0x20) &- 0x61) < 26 || c == 0x2B || c == 0x2D || c == 0x2E
}

/// Bytes that continue an identifier-like run (used to reject `truex`, `nullified`).
@inline(__always) func _isIdentifierByte(_ c: UInt8) -> Bool {
  (c &- 0x30) < 10 || ((c | 0x20) &- 0x61) < 26 || c == 0x5F
}

@inline(__always) func _hexValue(_ c: UInt8) -> Int {
  if c &- 0x30 < 10 { return Int(c &- 0x30) }
  let l = c | 0x20
  if l &- 0x61 < 6 { return Int(l &- 0x61) &+ 10 }
  return -1
}

/// Length of the well-formed UTF-8 sequence starting at `p[j]` (a byte >= 0x80), or 0 when
/// it is ill-formed or truncated by `end` (Unicode Table 3-7).
@inline(__always) func _utf8SequenceLength(_ p: UnsafePointer<UInt8>, _ j: Int, _ end: Int) -> Int {
  let b0 = p[j]
  @inline(__always) func cont(_ k: Int) -> Bool { k < end && p[k] & 0xC0 == 0x80 }
  @inline(__always) func inRange(_ k: Int, _ lo: UInt8, _ hi: UInt8) -> Bool { k < end && p[k] >= lo && p[k] <= hi }
  switch b0 {
  case 0xC2...0xDF:
    return cont(j &+ 1) ? 2 : 0
  case 0xE0:
    return inRange(j &+ 1, 0xA0, 0xBF) && cont(j &+ 2) ? 3 : 0
  case 0xE1...0xEC, 0xEE, 0xEF:
    return cont(j &+ 1) && cont(j &+ 2) ? 3 : 0
  case 0xED:
    return inRange(j &+ 1, 0x80, 0x9F) && cont(j &+ 2) ? 3 : 0
  case 0xF0:
    return inRange(j &+ 1, 0x90, 0xBF) && cont(j &+ 2) && cont(j &+ 3) ? 4 : 0
  case 0xF1...0xF3:
    return cont(j &+ 1) && cont(j &+ 2) && cont(j &+ 3) ? 4 : 0
  case 0xF4:
    return inRange(j &+ 1, 0x80, 0x8F) && cont(j &+ 2) && cont(j &+ 3) ? 4 : 0
  default:
    return 0
  }
}

@inline(__always) func _appendUTF8(_ scalar: UInt32, to out: inout [UInt8]) {
  if scalar < 0x80 {
    out.append(UInt8(truncatingIfNeeded: scalar))
  } else if scalar < 0x800 {
    out.append(UInt8(truncatingIfNeeded: 0xC0 | (scalar >> 6)))
    out.append(UInt8(truncatingIfNeeded: 0x80 | (scalar & 0x3F)))
  } else if scalar < 0x10000 {
    out.append(UInt8(truncatingIfNeeded: 0xE0 | (scalar >> 12)))
    out.append(UInt8(truncatingIfNeeded: 0x80 | ((scalar >> 6) & 0x3F)))
    out.append(UInt8(truncatingIfNeeded: 0x80 | (scalar & 0x3F)))
  } else {
    out.append(UInt8(truncatingIfNeeded: 0xF0 | (scalar >> 18)))
    out.append(UInt8(truncatingIfNeeded: 0x80 | ((scalar >> 12) & 0x3F)))
    out.append(UInt8(truncatingIfNeeded: 0x80 | ((scalar >> 6) & 0x3F)))
    out.append(UInt8(truncatingIfNeeded: 0x80 | (scalar & 0x3F)))
  }
}
