// Hand-written, deterministic JSON byte writer (DEPENDENCIES.md §3). Standard library only.

/// A compact, deterministic JSON writer that appends UTF-8 bytes to `bytes`.
///
/// Same value, same bytes: members are written in stored order, no whitespace is added,
/// numbers are written as their literal, and strings are escaped by one fixed rule:
/// `"` `\` become `\"` `\\`; BS FF LF CR TAB become `\b \f \n \r \t`; every other C0 control
/// becomes `\u00xx` (lower-case hex); U+2028 and U+2029 become `\u2028` and `\u2029` (they
/// break JavaScript and some line-oriented tools); `/`, DEL and all other non-ASCII text are
/// written verbatim. The caller drains `bytes` (e.g. `removeAll(keepingCapacity: true)`).
public struct JSONWriter: Sendable {
  /// The output buffer.
  public var bytes: [UInt8]

  /// Creates a writer whose buffer has at least `capacity` bytes reserved.
  ///
  /// - Parameter capacity: Bytes to reserve up front; 64 KiB by default.
  public init(capacity: Int = 1 << 16) {
    bytes = []
    bytes.reserveCapacity(Swift.max(0, capacity))
  }

  /// Writes `value` compactly (no spaces), object members in stored order.
  ///
  /// Recursion depth equals the value's nesting, which the parser bounds by `maxDepth`.
  ///
  /// - Parameter value: The value to append.
  public mutating func write(_ value: JSONValue) {
    switch value {
    case .null:
      writeNull()
    case .bool(let b):
      writeBool(b)
    case .number(let n):
      writeNumber(n)
    case .string(let s):
      writeString(s)
    case .array(let elements):
      bytes.append(0x5B)
      var first = true
      for element in elements {
        if !first { bytes.append(0x2C) }
        first = false
        write(element)
      }
      bytes.append(0x5D)
    case .object(let object):
      bytes.append(0x7B)
      var first = true
      for member in object.members {
        if !first { bytes.append(0x2C) }
        first = false
        writeString(member.key)
        bytes.append(0x3A)
        write(member.value)
      }
      bytes.append(0x7D)
    }
  }

  /// Writes `s` as a quoted, escaped JSON string (see the type's escaping rule).
  ///
  /// - Parameter s: The string; its scalars are written exactly (no normalisation).
  public mutating func writeString(_ s: String) {
    var s = s
    s.withUTF8 { u in
      JSONWriter._appendEscaped(u, to: &bytes)
    }
  }

  /// Writes `key` as a JSON string followed by `:`.
  ///
  /// - Parameter key: The member key.
  public mutating func writeKey(_ key: String) {
    writeString(key)
    bytes.append(0x3A)
  }

  /// Appends pre-formatted bytes verbatim, such as a pre-quoted key `{"type":`.
  ///
  /// - Parameter s: Literal JSON text; it is not checked or escaped.
  public mutating func writeRaw(_ s: StaticString) {
    s.withUTF8Buffer { bytes.append(contentsOf: $0) }
  }

  /// Appends raw bytes verbatim; the caller guarantees they are valid JSON in context.
  ///
  /// - Parameter raw: The bytes to append, e.g. an element's original bytes.
  public mutating func writeRaw(_ raw: UnsafeRawBufferPointer) {
    bytes.append(contentsOf: raw)
  }

  /// Writes a decimal integer.
  ///
  /// - Parameter v: The integer.
  public mutating func writeInt(_ v: Int64) {
    if v >= 0, v < 10 {
      bytes.append(0x30 &+ UInt8(truncatingIfNeeded: v))
      return
    }
    withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
      var magnitude = v.magnitude
      var k = 20
      while magnitude > 0 {
        k &-= 1
        digits[k] = 0x30 &+ UInt8(truncatingIfNeeded: magnitude % 10)
        magnitude /= 10
      }
      if v < 0 { bytes.append(0x2D) }
      bytes.append(contentsOf: UnsafeBufferPointer(rebasing: digits[k..<20]))
    }
  }

  /// Writes a number as its literal text.
  ///
  /// - Parameter n: The number; its literal is already valid JSON.
  public mutating func writeNumber(_ n: JSONNumber) {
    bytes.append(contentsOf: n.literal.utf8)
  }

  /// Writes `true` or `false`.
  ///
  /// - Parameter b: The Boolean.
  public mutating func writeBool(_ b: Bool) {
    if b { writeRaw("true") } else { writeRaw("false") }
  }

  /// Writes `null`.
  public mutating func writeNull() {
    writeRaw("null")
  }

  @inline(__always)
  static func _hexDigit(_ v: UInt8) -> UInt8 { v < 10 ? 0x30 &+ v : 0x57 &+ v }

  /// Appends `u` as a quoted JSON string, escaping by the writer's rule.
  @inline(__always)
  static func _appendEscaped(_ u: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
    out.append(0x22)
    let n = u.count
    guard n > 0, let base = u.baseAddress else {
      out.append(0x22)
      return
    }
    let ones: UInt64 = 0x0101_0101_0101_0101
    let highs: UInt64 = 0x8080_8080_8080_8080
    var run = 0
    var i = 0
    while i < n {
      // Skip eight bytes at a time while none is a control, '"', '\\' or 0xE2.
      while i &+ 8 <= n {
        let w = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
        let control = (w &- ones &* 0x20) & ~w
        let q = w ^ (ones &* 0x22)
        let b = w ^ (ones &* 0x5C)
        let e = w ^ (ones &* 0xE2)
        if (control | ((q &- ones) & ~q) | ((b &- ones) & ~b) | ((e &- ones) & ~e)) & highs != 0 { break }
        i &+= 8
      }
      if i >= n { break }
      let c = u[i]
      if c >= 0x20, c != 0x22, c != 0x5C, c != 0xE2 {
        i &+= 1
        continue
      }
      if c == 0xE2 {
        // U+2028 = E2 80 A8, U+2029 = E2 80 A9.
        if i &+ 2 < n, u[i &+ 1] == 0x80, u[i &+ 2] == 0xA8 || u[i &+ 2] == 0xA9 {
          if i > run { out.append(contentsOf: UnsafeBufferPointer(rebasing: u[run..<i])) }
          out.append(contentsOf: [0x5C, 0x75, 0x32, 0x30, 0x32, u[i &+ 2] == 0xA8 ? 0x38 : 0x39])
          i &+= 3
          run = i
        } else {
          i &+= 1
        }
        continue
      }
      if i > run { out.append(contentsOf: UnsafeBufferPointer(rebasing: u[run..<i])) }
      switch c {
      case 0x22: out.append(0x5C); out.append(0x22)
      case 0x5C: out.append(0x5C); out.append(0x5C)
      case 0x0A: out.append(0x5C); out.append(0x6E)
      case 0x0D: out.append(0x5C); out.append(0x72)
      case 0x09: out.append(0x5C); out.append(0x74)
      case 0x08: out.append(0x5C); out.append(0x62)
      case 0x0C: out.append(0x5C); out.append(0x66)
      default:
        out.append(contentsOf: [0x5C, 0x75, 0x30, 0x30, _hexDigit(c >> 4), _hexDigit(c & 0x0F)])
      }
      i &+= 1
      run = i
    }
    if n > run { out.append(contentsOf: UnsafeBufferPointer(rebasing: u[run..<n])) }
    out.append(0x22)
  }
}
