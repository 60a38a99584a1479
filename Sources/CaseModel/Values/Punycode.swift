/// RFC 3492 Punycode: the Bootstring encoding of Unicode used for IDNA A-labels.
///
/// Both functions work on one label without the `"xn--"` prefix. Mixed-case annotation is not
/// produced: encoded digits are lower case, basic code points are copied as they are, and the
/// decoder accepts digits in either case.
public enum Punycode {
  private static let base: UInt32 = 36
  private static let tMin: UInt32 = 1
  private static let tMax: UInt32 = 26
  private static let skew: UInt32 = 38
  private static let damp: UInt32 = 700
  private static let initialBias: UInt32 = 72
  private static let initialN: UInt32 = 0x80

  /// Encodes the Unicode scalars of a label as Punycode (RFC 3492 §6.3), without `"xn--"`.
  /// - Parameter label: One label of any Unicode text.
  /// - Returns: The ASCII encoding, or nil if the arithmetic would overflow (absurdly long input).
  public static func encode(_ label: String) -> String? {
    var input: [UInt32] = []
    input.reserveCapacity(label.utf8.count)
    for s in label.unicodeScalars { input.append(s.value) }
    var output: [UInt8] = []
    output.reserveCapacity(input.count * 2 + 1)
    for c in input where c < 0x80 { output.append(UInt8(c)) }
    let basicCount = UInt32(output.count)
    var handled = basicCount
    if basicCount > 0 { output.append(ASCIIByte.hyphen) }
    var n = initialN
    var delta: UInt32 = 0
    var bias = initialBias
    let total = UInt32(input.count)
    while handled < total {
      var m = UInt32.max
      for c in input where c >= n && c < m { m = c }
      let (step, o1) = (m - n).multipliedReportingOverflow(by: handled + 1)
      if o1 { return nil }
      let (sum, o2) = delta.addingReportingOverflow(step)
      if o2 { return nil }
      delta = sum
      n = m
      for c in input {
        if c < n {
          let (next, o3) = delta.addingReportingOverflow(1)
          if o3 { return nil }
          delta = next
        }
        if c == n {
          var q = delta
          var k = base
          while true {
            let t = threshold(k, bias)
            if q < t { break }
            output.append(digit(t + (q - t) % (base - t)))
            q = (q - t) / (base - t)
            k += base
          }
          output.append(digit(q))
          bias = adapt(delta, handled + 1, handled == basicCount)
          delta = 0
          handled += 1
        }
      }
      delta += 1
      n += 1
    }
    return String(decoding: output, as: UTF8.self)
  }

  /// Decodes a Punycode label (RFC 3492 §6.2), given without `"xn--"`.
  /// - Parameter ascii: The ASCII encoding; digits may be upper or lower case.
  /// - Returns: The decoded text, or nil for non-ASCII input, an invalid digit, a truncated
  ///   sequence, overflow, or a result that is not a valid Unicode scalar or is a basic
  ///   code point in the extended part.
  public static func decode(_ ascii: String) -> String? {
    var copy = ascii
    return copy.withUTF8 { buf -> String? in
      for b in buf where b >= 0x80 { return nil }
      var lastDelimiter = -1
      for i in 0..<buf.count where buf[i] == ASCIIByte.hyphen { lastDelimiter = i }
      var output: [UInt32] = []
      output.reserveCapacity(buf.count)
      if lastDelimiter > 0 {
        for i in 0..<lastDelimiter { output.append(UInt32(buf[i])) }
      }
      var index = lastDelimiter > 0 ? lastDelimiter + 1 : 0
      var n = initialN
      var i: UInt32 = 0
      var bias = initialBias
      while index < buf.count {
        let oldI = i
        var w: UInt32 = 1
        var k = base
        while true {
          if index >= buf.count { return nil }
          guard let d = digitValue(buf[index]) else { return nil }
          index += 1
          let (dw, o1) = d.multipliedReportingOverflow(by: w)
          if o1 { return nil }
          let (sum, o2) = i.addingReportingOverflow(dw)
          if o2 { return nil }
          i = sum
          let t = threshold(k, bias)
          if d < t { break }
          let (nw, o3) = w.multipliedReportingOverflow(by: base - t)
          if o3 { return nil }
          w = nw
          k += base
        }
        let count = UInt32(output.count) + 1
        bias = adapt(i - oldI, count, oldI == 0)
        let (nn, o4) = n.addingReportingOverflow(i / count)
        if o4 { return nil }
        n = nn
        i %= count
        if n < 0x80 || Unicode.Scalar(n) == nil { return nil }
        output.insert(n, at: Int(i))
        i += 1
      }
      var result = String.UnicodeScalarView()
      for v in output {
        guard let s = Unicode.Scalar(v) else { return nil }
        result.append(s)
      }
      return String(result)
    }
  }

  @inline(__always) private static func threshold(_ k: UInt32, _ bias: UInt32) -> UInt32 {
    k <= bias ? tMin : (k >= bias + tMax ? tMax : k - bias)
  }

  @inline(__always) private static func digit(_ d: UInt32) -> UInt8 {
    d < 26 ? UInt8(d) + 0x61 : UInt8(d - 26) + 0x30
  }

  @inline(__always) private static func digitValue(_ b: UInt8) -> UInt32? {
    if b &- 0x30 < 10 { return UInt32(b - 0x30) + 26 }
    let lower = b | 0x20
    if lower &- 0x61 < 26 { return UInt32(lower - 0x61) }
    return nil
  }

  private static func adapt(_ delta: UInt32, _ numPoints: UInt32, _ firstTime: Bool) -> UInt32 {
    var d = firstTime ? delta / damp : delta / 2
    d += d / numPoints
    var k: UInt32 = 0
    while d > ((base - tMin) * tMax) / 2 {
      d /= base - tMin
      k += base
    }
    return k + (base - tMin + 1) * d / (d + skew)
  }
}
