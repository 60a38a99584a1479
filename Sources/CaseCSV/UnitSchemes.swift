// Code-unit schemes: how the tokenizer reads units, finds special units, counts scalars and decodes fields in each
// encoding family. Standard library only (plus memchr).

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Classes of the special ASCII units, as bits of the 128-entry class table.
enum _Class {
  static let delimiter: UInt8 = 1
  static let quote: UInt8 = 2
  static let cr: UInt8 = 4
  static let lf: UInt8 = 8
  /// Units that end an unquoted run: delimiter, quote, CR, LF.
  static let unquotedStop: UInt8 = 15
  static let lineBreak: UInt8 = 12
}

/// What `find` looks for: the class table (for any unit) plus the delimiter and quote broadcast to eight bytes
/// (for the word-at-a-time byte scan).
struct _Needles {
  let table: UnsafePointer<UInt8>
  let delimiter: UInt64
  let quote: UInt64

  init(table: UnsafePointer<UInt8>, delimiter: UInt8, quote: UInt8) {
    self.table = table
    self.delimiter = UInt64(delimiter) &* 0x0101_0101_0101_0101
    self.quote = UInt64(quote) &* 0x0101_0101_0101_0101
  }
}

/// The result of decoding one field.
enum _Decoded {
  /// The value and its number of scalars (for column counting).
  case ok(String, scalars: Int)
  /// `rule` at the byte with local index `at`.
  case bad(rule: String, at: Int)
}

/// One encoding family. All indices are local byte indices into a contiguous buffer; units start at indices that
/// are multiples of `width` from the buffer's (aligned) start.
protocol _Scheme {
  static var width: Int { get }
  /// The code unit at `i`.
  static func unit(_ p: UnsafePointer<UInt8>, _ i: Int) -> UInt32
  /// The first index in `i..<lim` holding an ASCII unit whose class intersects `mask`, else `lim`.
  static func find(_ p: UnsafePointer<UInt8>, _ i: Int, _ lim: Int, _ needles: _Needles, _ mask: UInt8)
    -> Int
  /// The first index in `i..<lim` holding `u` (an ASCII unit), else `lim`.
  static func findUnit(_ p: UnsafePointer<UInt8>, _ i: Int, _ lim: Int, _ u: UInt32) -> Int
  /// The first index in `i..<lim` holding NUL, else `lim`.
  static func findNUL(_ p: UnsafePointer<UInt8>, _ i: Int, _ lim: Int) -> Int
  /// Whether the unit `u` starts a scalar (for column counting; ill-formed units count as one column each except
  /// stray UTF-8 continuation bytes and lone low surrogates, which count as none).
  static func startsScalar(_ u: UInt32) -> Bool
  /// Scalars in `i..<lim` (no line breaks assumed).
  static func scalarCount(_ p: UnsafePointer<UInt8>, _ i: Int, _ lim: Int) -> Int
  /// Decodes the field content `s..<e`; `escaped`: it holds doubled quotes to un-double.
  static func decode(
    _ p: UnsafePointer<UInt8>, _ s: Int, _ e: Int, escaped: Bool, quote: UInt32, encoding: TextEncoding,
    acc: _ByteBuffer
  ) -> _Decoded
}

extension _Scheme {
  /// Advances a line/column position over `i..<end` (CR, LF and CRLF are one line break each).
  @inline(__always)
  static func advance(_ p: UnsafePointer<UInt8>, _ i: Int, _ end: Int, line: inout Int, column: inout Int) {
    var k = i
    while k < end {
      let u = unit(p, k)
      if u == 0x0D {
        line &+= 1
        column = 1
        if k &+ width < end && unit(p, k &+ width) == 0x0A { k &+= width }
      } else if u == 0x0A {
        line &+= 1
        column = 1
      } else if startsScalar(u) {
        column &+= 1
      }
      k &+= width
    }
  }
}

// MARK: - Single-byte families (UTF-8, Windows-1252, Latin-1)

@inline(__always)
private func _byteFind(_ p: UnsafePointer<UInt8>, _ i: Int, _ lim: Int, _ needles: _Needles, _ mask: UInt8) -> Int {
  var j = i
  #if _endian(little)
    // Eight bytes per step: a byte equal to a needle becomes a zero byte of `v ^ needle`; the lowest set bit of
    // the "has zero byte" mask is exact (false positives only occur above a true match).
    @inline(__always) func zeroBytes(_ x: UInt64) -> UInt64 {
      (x &- 0x0101_0101_0101_0101) & ~x & 0x8080_8080_8080_8080
    }
    let raw = UnsafeRawPointer(p)
    let cr: UInt64 = 0x0D0D_0D0D_0D0D_0D0D
    let lf: UInt64 = 0x0A0A_0A0A_0A0A_0A0A
    if mask == _Class.unquotedStop {
      while j &+ 8 <= lim {
        let v = raw.loadUnaligned(fromByteOffset: j, as: UInt64.self)
        let m = zeroBytes(v ^ needles.delimiter) | zeroBytes(v ^ needles.quote) | zeroBytes(v ^ cr) | zeroBytes(v ^ lf)
        if m != 0 { return j &+ (m.trailingZeroBitCount >> 3) }
        j &+= 8
      }
    } else if mask == _Class.lineBreak {
      while j &+ 8 <= lim {
        let v = raw.loadUnaligned(fromByteOffset: j, as: UInt64.self)
        let m = zeroBytes(v ^ cr) | zeroBytes(v ^ lf)
        if m != 0 { return j &+ (m.trailingZeroBitCount >> 3) }
        j &+= 8
      }
    }
  #endif
  while j < lim {
    if needles.table[Int(p[j])] & mask != 0 { return j }
    j &+= 1
  }
  return lim
}

@inline(__always)
private func _byteFindUnit(_ p: UnsafePointer<UInt8>, _ i: Int, _ lim: Int, _ u: UInt32) -> Int {
  guard i < lim else { return lim }
  guard let q = memchr(p + i, Int32(u), lim - i) else { return lim }
  return p.distance(to: q.assumingMemoryBound(to: UInt8.self))
}

/// Un-doubles quotes of `s..<e` into `acc` (content of a quoted field: its quotes come in pairs).
@inline(__always)
private func _unescapeBytes(_ p: UnsafePointer<UInt8>, _ s: Int, _ e: Int, _ quote: UInt32, _ acc: _ByteBuffer) {
  acc.reset()
  var k = s
  while k < e {
    let j = _byteFindUnit(p, k, e, quote)
    if j >= e {
      acc.append(p + k, e - k)
      break
    }
    acc.append(p + k, j - k + 1)  // the run and one quote
    k = j &+ 2
  }
}

enum _UTF8Scheme: _Scheme {
  @inline(__always) static var width: Int { 1 }
  @inline(__always) static func unit(_ p: UnsafePointer<UInt8>, _ i: Int) -> UInt32 { UInt32(p[i]) }
  @inline(__always) static func find(
    _ p: UnsafePointer<UInt8>, _ i: Int, _ lim: Int, _ needles: _Needles, _ mask: UInt8
  ) -> Int { _byteFind(p, i, lim, needles, mask) }
  @inline(__always) static func findUnit(_ p: UnsafePointer<UInt8>, _ i: Int, _ lim: Int, _ u: UInt32) -> Int {
    _byteFindUnit(p, i, lim, u)
  }
  @inline(__always) static func findNUL(_ p: UnsafePointer<UInt8>, _ i: Int, _ lim: Int) -> Int {
    _byteFindUnit(p, i, lim, 0)
  }
  @inline(__always) static func startsScalar(_ u: UInt32) -> Bool { u & 0xC0 != 0x80 }
  @inline(__always) static func scalarCount(_ p: UnsafePointer<UInt8>, _ i: Int, _ lim: Int) -> Int {
    var continuation = 0
    var k = i
    while k < lim {
      continuation &+= (p[k] & 0xC0 == 0x80) ? 1 : 0
      k &+= 1
    }
    return (lim &- i) &- continuation
  }

  static func decode(
    _ p: UnsafePointer<UInt8>, _ s: Int, _ e: Int, escaped: Bool, quote: UInt32, encoding: TextEncoding,
    acc: _ByteBuffer
  ) -> _Decoded {
    if !escaped {
      let n = _utf8Scalars(p, s, e)
      guard n >= 0 else { return .bad(rule: "csv.invalid-utf8", at: _firstInvalidUTF8(p, s, e)) }
      return .ok(String(decoding: UnsafeBufferPointer(start: p + s, count: e - s), as: UTF8.self), scalars: n)
    }
    _unescapeBytes(p, s, e, quote, acc)
    // Quotes are ASCII, so the first ill-formed sequence is the same in the escaped and the un-doubled bytes.
    let n = _utf8Scalars(UnsafePointer(acc.base), 0, acc.count)
    guard n >= 0 else { return .bad(rule: "csv.invalid-utf8", at: _firstInvalidUTF8(p, s, e)) }
    return .ok(String(decoding: UnsafeBufferPointer(start: acc.base, count: acc.count), as: UTF8.self), scalars: n)
  }
}

/// The number of scalars in `s..<e` when it is well-formed UTF-8, else -1 (ASCII runs are checked eight bytes at a
/// time). The stdlib's validating initialisers are generic and slow per call; `String(decoding:)` after this check
/// never repairs anything.
@inline(__always)
func _utf8Scalars(_ p: UnsafePointer<UInt8>, _ s: Int, _ e: Int) -> Int {
  let raw = UnsafeRawPointer(p)
  let n = e &- s
  var high: UInt64 = 0
  if n >= 8 {
    var k = s
    while k &+ 8 <= e {
      high |= raw.loadUnaligned(fromByteOffset: k, as: UInt64.self)
      k &+= 8
    }
    // The last (possibly overlapping) word covers the tail.
    if k < e { high |= raw.loadUnaligned(fromByteOffset: e &- 8, as: UInt64.self) }
  } else {
    var k = s
    if n & 4 != 0 {
      high |= UInt64(raw.loadUnaligned(fromByteOffset: k, as: UInt32.self))
      k &+= 4
    }
    if n & 2 != 0 {
      high |= UInt64(raw.loadUnaligned(fromByteOffset: k, as: UInt16.self))
      k &+= 2
    }
    if n & 1 != 0 { high |= UInt64(p[k]) }
  }
  if high & 0x8080_8080_8080_8080 == 0 { return n }
  var k = s
  while p[k] < 0x80 { k &+= 1 }
  return _utf8ScalarsSlow(p, s, k, e)
}

/// `_utf8Scalars` from the first non-ASCII byte `k` on.
func _utf8ScalarsSlow(_ p: UnsafePointer<UInt8>, _ s: Int, _ k: Int, _ e: Int) -> Int {
  guard _firstInvalidUTF8(p, k, e) == e else { return -1 }
  var continuation = 0
  for j in k..<e where p[j] & 0xC0 == 0x80 { continuation &+= 1 }
  return (e &- s) &- continuation
}

/// Index of the first byte of the first ill-formed UTF-8 sequence in `s..<e` (`e` when well-formed).
func _firstInvalidUTF8(_ p: UnsafePointer<UInt8>, _ s: Int, _ e: Int) -> Int {
  var k = s
  while k < e {
    let b0 = p[k]
    if b0 < 0x80 {
      k &+= 1
      continue
    }
    @inline(__always) func cont(_ j: Int) -> Bool { j < e && p[j] & 0xC0 == 0x80 }
    @inline(__always) func inRange(_ j: Int, _ lo: UInt8, _ hi: UInt8) -> Bool { j < e && p[j] >= lo && p[j] <= hi }
    let n: Int
    switch b0 {
    case 0xC2...0xDF: n = cont(k + 1) ? 2 : 0
    case 0xE0: n = inRange(k + 1, 0xA0, 0xBF) && cont(k + 2) ? 3 : 0
    case 0xE1...0xEC, 0xEE, 0xEF: n = cont(k + 1) && cont(k + 2) ? 3 : 0
    case 0xED: n = inRange(k + 1, 0x80, 0x9F) && cont(k + 2) ? 3 : 0
    case 0xF0: n = inRange(k + 1, 0x90, 0xBF) && cont(k + 2) && cont(k + 3) ? 4 : 0
    case 0xF1...0xF3: n = cont(k + 1) && cont(k + 2) && cont(k + 3) ? 4 : 0
    case 0xF4: n = inRange(k + 1, 0x80, 0x8F) && cont(k + 2) && cont(k + 3) ? 4 : 0
    default: n = 0
    }
    if n == 0 { return k }
    k &+= n
  }
  return e
}

/// Windows-1252 0x80-0x9F per the WHATWG index; 0 marks the five bytes Windows leaves undefined.
private let _cp1252High: [UInt16] = [
  0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
  0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178,
]

@inline(__always) func _appendUTF8(_ scalar: UInt32, _ acc: _ByteBuffer) {
  var tmp: (UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0)
  let n: Int
  if scalar < 0x80 {
    tmp.0 = UInt8(truncatingIfNeeded: scalar)
    n = 1
  } else if scalar < 0x800 {
    tmp.0 = UInt8(truncatingIfNeeded: 0xC0 | (scalar >> 6))
    tmp.1 = UInt8(truncatingIfNeeded: 0x80 | (scalar & 0x3F))
    n = 2
  } else if scalar < 0x10000 {
    tmp.0 = UInt8(truncatingIfNeeded: 0xE0 | (scalar >> 12))
    tmp.1 = UInt8(truncatingIfNeeded: 0x80 | ((scalar >> 6) & 0x3F))
    tmp.2 = UInt8(truncatingIfNeeded: 0x80 | (scalar & 0x3F))
    n = 3
  } else {
    tmp.0 = UInt8(truncatingIfNeeded: 0xF0 | (scalar >> 18))
    tmp.1 = UInt8(truncatingIfNeeded: 0x80 | ((scalar >> 12) & 0x3F))
    tmp.2 = UInt8(truncatingIfNeeded: 0x80 | ((scalar >> 6) & 0x3F))
    tmp.3 = UInt8(truncatingIfNeeded: 0x80 | (scalar & 0x3F))
    n = 4
  }
  withUnsafeBytes(of: &tmp) { acc.append($0.baseAddress!.assumingMemoryBound(to: UInt8.self), n) }
}

/// Windows-1252 and Latin-1: one byte is one scalar.
enum _SingleByteScheme: _Scheme {
  @inline(__always) static var width: Int { 1 }
  @inline(__always) static func unit(_ p: UnsafePointer<UInt8>, _ i: Int) -> UInt32 { UInt32(p[i]) }
  @inline(__always) static func find(
    _ p: UnsafePointer<UInt8>, _ i: Int, _ lim: Int, _ needles: _Needles, _ mask: UInt8
  ) -> Int { _byteFind(p, i, lim, needles, mask) }
  @inline(__always) static func findUnit(_ p: UnsafePointer<UInt8>, _ i: Int, _ lim: Int, _ u: UInt32) -> Int {
    _byteFindUnit(p, i, lim, u)
  }
  @inline(__always) static func findNUL(_ p: UnsafePointer<UInt8>, _ i: Int, _ lim: Int) -> Int {
    _byteFindUnit(p, i, lim, 0)
  }
  @inline(__always) static func startsScalar(_ u: UInt32) -> Bool { true }
  @inline(__always) static func scalarCount(_ p: UnsafePointer<UInt8>, _ i: Int, _ lim: Int) -> Int { lim &- i }

  static func decode(
    _ p: UnsafePointer<UInt8>, _ s: Int, _ e: Int, escaped: Bool, quote: UInt32, encoding: TextEncoding,
    acc: _ByteBuffer
  ) -> _Decoded {
    var k = s
    while k < e && p[k] < 0x80 { k &+= 1 }
    if k == e && !escaped {
      return .ok(String(decoding: UnsafeBufferPointer(start: p + s, count: e - s), as: UTF8.self), scalars: e - s)
    }
    var n = 0
    let cp1252 = encoding == .windows1252
    acc.reset()
    k = s
    while k < e {
      let b = p[k]
      n &+= 1
      if b < 0x80 {
        acc.append(p + k, 1)
        // A quote inside a quoted field's content is the first of a doubled pair.
        k &+= (escaped && UInt32(b) == quote) ? 2 : 1
        continue
      }
      var scalar = UInt32(b)
      if cp1252 && b < 0xA0 {
        scalar = UInt32(_cp1252High[Int(b &- 0x80)])
        if scalar == 0 { return .bad(rule: "csv.invalid-byte", at: k) }
      }
      _appendUTF8(scalar, acc)
      k &+= 1
    }
    return .ok(String(decoding: UnsafeBufferPointer(start: acc.base, count: acc.count), as: UTF8.self), scalars: n)
  }
}

// MARK: - UTF-16

protocol _UTF16Order {
  static func unit(_ p: UnsafePointer<UInt8>, _ i: Int) -> UInt32
}
enum _LittleEndian: _UTF16Order {
  @inline(__always) static func unit(_ p: UnsafePointer<UInt8>, _ i: Int) -> UInt32 {
    UInt32(p[i]) | UInt32(p[i &+ 1]) << 8
  }
}
enum _BigEndian: _UTF16Order {
  @inline(__always) static func unit(_ p: UnsafePointer<UInt8>, _ i: Int) -> UInt32 {
    UInt32(p[i]) << 8 | UInt32(p[i &+ 1])
  }
}

enum _UTF16Scheme<Order: _UTF16Order>: _Scheme {
  @inline(__always) static var width: Int { 2 }
  @inline(__always) static func unit(_ p: UnsafePointer<UInt8>, _ i: Int) -> UInt32 { Order.unit(p, i) }
  @inline(__always) static func find(
    _ p: UnsafePointer<UInt8>, _ i: Int, _ lim: Int, _ needles: _Needles, _ mask: UInt8
  ) -> Int {
    var j = i
    while j &+ 2 <= lim {
      let u = Order.unit(p, j)
      if u < 0x80 && needles.table[Int(u)] & mask != 0 { return j }
      j &+= 2
    }
    return lim
  }
  @inline(__always) static func findUnit(_ p: UnsafePointer<UInt8>, _ i: Int, _ lim: Int, _ u: UInt32) -> Int {
    var j = i
    while j &+ 2 <= lim {
      if Order.unit(p, j) == u { return j }
      j &+= 2
    }
    return lim
  }
  @inline(__always) static func findNUL(_ p: UnsafePointer<UInt8>, _ i: Int, _ lim: Int) -> Int {
    findUnit(p, i, lim, 0)
  }
  @inline(__always) static func startsScalar(_ u: UInt32) -> Bool { !(0xDC00...0xDFFF).contains(u) }
  @inline(__always) static func scalarCount(_ p: UnsafePointer<UInt8>, _ i: Int, _ lim: Int) -> Int {
    var n = 0
    var k = i
    while k &+ 2 <= lim {
      n &+= startsScalar(Order.unit(p, k)) ? 1 : 0
      k &+= 2
    }
    return n
  }

  static func decode(
    _ p: UnsafePointer<UInt8>, _ s: Int, _ e: Int, escaped: Bool, quote: UInt32, encoding: TextEncoding,
    acc: _ByteBuffer
  ) -> _Decoded {
    acc.reset()
    var k = s
    var n = 0
    while k &+ 2 <= e {
      let u = Order.unit(p, k)
      n &+= 1
      if u < 0x80 {
        var b = UInt8(truncatingIfNeeded: u)
        acc.append(&b, 1)
        k &+= (escaped && u == quote) ? 4 : 2
        continue
      }
      if u >= 0xD800 && u <= 0xDBFF {
        guard k &+ 4 <= e else { return .bad(rule: "csv.invalid-utf16", at: k) }
        let v = Order.unit(p, k &+ 2)
        guard v >= 0xDC00 && v <= 0xDFFF else { return .bad(rule: "csv.invalid-utf16", at: k) }
        _appendUTF8(0x10000 &+ ((u &- 0xD800) << 10) &+ (v &- 0xDC00), acc)
        k &+= 4
        continue
      }
      if u >= 0xDC00 && u <= 0xDFFF { return .bad(rule: "csv.invalid-utf16", at: k) }
      _appendUTF8(u, acc)
      k &+= 2
    }
    return .ok(String(decoding: UnsafeBufferPointer(start: acc.base, count: acc.count), as: UTF8.self), scalars: n)
  }
}
