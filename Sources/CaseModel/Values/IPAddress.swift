/// A strictly parsed IPv4 or IPv6 address, with its original text and canonical form.
///
/// IPv4 must be exactly four decimal octets 0–255 without leading zeros (`010.1.1.1` is
/// rejected: `inet_aton` would read it as octal, see CVE-2021-29921). IPv6 follows RFC 4291,
/// including an embedded IPv4 tail, and is normalised per RFC 5952. Whitespace of any kind
/// (including NO-BREAK SPACE and zero-width characters), CIDR prefixes, ports, brackets,
/// hex/octal/integer IPv4 forms and IPv6 zone identifiers are all rejected; nothing is
/// trimmed or repaired.
///
/// IPv4-mapped IPv6 addresses (`::ffff:192.0.2.1`, also written `::ffff:c000:201`) are accepted,
/// printed in mixed notation, and also exposed as ``mappedIPv4``; their ``scope`` is the scope
/// of the embedded IPv4 address. Other embedded-IPv4 forms are printed in plain hex.
public struct IPAddress: Sendable, Hashable {
  /// The text exactly as given.
  public let original: String
  /// The canonical form: dotted quad for IPv4; RFC 5952 for IPv6.
  public let normalized: String
  /// Whether this is an IPv4 or IPv6 address.
  public let version: IPVersion
  /// For an IPv4-mapped IPv6 address (`::ffff:a.b.c.d`), the IPv4 dotted quad; otherwise nil.
  public let mappedIPv4: String?
  /// The address in network byte order: 4 bytes for IPv4, 16 for IPv6.
  public let bytes: [UInt8]

  /// The address-space class (for an IPv4-mapped address, that of the embedded IPv4 address).
  public var scope: IPAddressScope {
    switch version {
    case .v4:
      return Self.scopeV4(bytes[0], bytes[1], bytes[2], bytes[3])
    case .v6:
      if mappedIPv4 != nil { return Self.scopeV4(bytes[12], bytes[13], bytes[14], bytes[15]) }
      return Self.scopeV6(bytes)
    }
  }

  /// Parses an IPv4 or IPv6 address strictly.
  /// - Parameter text: The address text; it must not contain whitespace, a prefix, a port,
  ///   brackets or a zone identifier.
  /// - Returns: The address, or a ``FieldError`` with rule `"ip.invalid"` (or `"ip.zone-id"`
  ///   for an IPv6 zone identifier such as `%eth0`).
  public static func parse(_ text: String) -> Result<IPAddress, FieldError> {
    var copy = text
    return copy.withUTF8 { parse(bytes: $0, original: text) }
  }

  // MARK: - Parsing

  private static func invalid(_ message: String) -> Result<IPAddress, FieldError> {
    .failure(FieldError(rule: "ip.invalid", message: message))
  }

  private static func parse(bytes buf: UnsafeBufferPointer<UInt8>, original: String)
    -> Result<IPAddress, FieldError>
  {
    if buf.isEmpty { return invalid("IP address is empty") }
    var colons = 0
    var dots = 0
    for b in buf {
      if b >= 0x80 {
        return invalid(
          "IP address contains a non-ASCII character (such as a no-break or zero-width space)")
      }
      if ASCIIByte.isWhitespace(b) { return invalid("IP address contains whitespace") }
      if ASCIIByte.isControl(b) { return invalid("IP address contains a control character") }
      switch b {
      case ASCIIByte.percent:
        return .failure(
          FieldError(
            rule: "ip.zone-id",
            message: "IP address has a zone identifier (RFC 4007), which is not allowed"))
      case 0x5B, 0x5D:
        return invalid("IP address is enclosed in brackets")
      case ASCIIByte.slash:
        return invalid("IP address has a prefix length (CIDR notation), which is not allowed")
      case ASCIIByte.colon:
        colons += 1
      case ASCIIByte.dot:
        dots += 1
      default:
        break
      }
    }
    if colons == 0 {
      switch parseIPv4(buf, from: 0, to: buf.count) {
      case .failure(let message):
        return invalid(message)
      case .success(let q):
        // A strictly valid dotted quad is already canonical.
        return .success(
          IPAddress(
            original: original, normalized: original, version: .v4, mappedIPv4: nil,
            bytes: [q.0, q.1, q.2, q.3]))
      }
    }
    if colons == 1 && dots > 0 {
      return invalid("IP address has a port suffix, which is not allowed")
    }
    switch parseIPv6(buf) {
    case .failure(let message):
      return invalid(message)
    case .success(let bytes):
      let isMapped =
        bytes[0..<10].allSatisfy { $0 == 0 } && bytes[10] == 0xFF && bytes[11] == 0xFF
      var mapped: String?
      let normalized: String
      if isMapped {
        let quad = String(unsafeUninitializedCapacity: 15) {
          writeDottedQuad(bytes[12], bytes[13], bytes[14], bytes[15], into: $0, at: 0)
        }
        mapped = quad
        normalized = "::ffff:" + quad
      } else {
        normalized = String(unsafeUninitializedCapacity: 39) { writeRFC5952(bytes, into: $0) }
      }
      return .success(
        IPAddress(
          original: original, normalized: normalized, version: .v6, mappedIPv4: mapped,
          bytes: bytes))
    }
  }

  /// Outcome of a sub-parser: a value or a value-free message.
  private enum Step<Value> {
    case success(Value)
    case failure(String)
  }

  /// Parses a strict dotted quad in `buf[from..<to]`.
  private static func parseIPv4(_ buf: UnsafeBufferPointer<UInt8>, from: Int, to: Int)
    -> Step<(UInt8, UInt8, UInt8, UInt8)>
  {
    var dots = 0
    for i in from..<to {
      let b = buf[i]
      if b == ASCIIByte.dot {
        dots += 1
      } else if !ASCIIByte.isDigit(b) {
        return .failure(
          "IPv4 address contains a character that is not a decimal digit or dot"
            + " (hex, octal and other forms are not allowed)")
      }
    }
    if dots != 3 {
      return .failure("IPv4 address does not have exactly four dot-separated octets")
    }
    var octets: (UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0)
    var index = 0
    var value = 0
    var digits = 0
    var leadingZero = false
    var i = from
    while i <= to {
      if i == to || buf[i] == ASCIIByte.dot {
        if digits == 0 { return .failure("IPv4 address has an empty octet") }
        switch index {
        case 0: octets.0 = UInt8(value)
        case 1: octets.1 = UInt8(value)
        case 2: octets.2 = UInt8(value)
        default: octets.3 = UInt8(value)
        }
        index += 1
        value = 0
        digits = 0
        leadingZero = false
      } else {
        if leadingZero {
          return .failure("IPv4 octet has a leading zero (ambiguous octal form)")
        }
        let d = Int(buf[i] &- ASCIIByte.zero)
        if digits == 0 && d == 0 { leadingZero = true }
        value = value * 10 + d
        digits += 1
        if value > 255 { return .failure("IPv4 octet is greater than 255") }
      }
      i += 1
    }
    return .success(octets)
  }

  /// Parses an RFC 4291 IPv6 address (already checked: ASCII, no whitespace, `%`, `[]`, `/`).
  private static func parseIPv6(_ buf: UnsafeBufferPointer<UInt8>) -> Step<[UInt8]> {
    let end = buf.count
    for b in buf
    where !(b == ASCIIByte.colon || b == ASCIIByte.dot || ASCIIByte.hexValue(b) != nil) {
      return .failure("IPv6 address contains a character that is not a hex digit, colon or dot")
    }
    // Groups are written into `bytes` as they are read; the part after "::" is moved to the end.
    var bytes = [UInt8](repeating: 0, count: 16)
    var count = 0
    func append(_ g: UInt16) {
      bytes[2 * count] = UInt8(g >> 8)
      bytes[2 * count + 1] = UInt8(g & 0xFF)
      count += 1
    }
    var compressAt: Int?
    var i = 0
    if buf[0] == ASCIIByte.colon {
      guard end > 1, buf[1] == ASCIIByte.colon else {
        return .failure("IPv6 address starts with a single colon")
      }
      if end > 2 && buf[2] == ASCIIByte.colon {
        return .failure("IPv6 address contains ':::'")
      }
      compressAt = 0
      i = 2
    }
    while i < end {
      var j = i
      var value: UInt32 = 0
      while j < end, let h = ASCIIByte.hexValue(buf[j]) {
        value = (value << 4) | UInt32(h)
        if j - i >= 4 { return .failure("IPv6 group has more than four hex digits") }
        j += 1
      }
      if j < end && buf[j] == ASCIIByte.dot {
        // Embedded IPv4 tail: must be the last part.
        if count > 6 { return .failure("IPv6 address has too many groups") }
        switch parseIPv4(buf, from: i, to: end) {
        case .failure(let message):
          return .failure("IPv6 address has an invalid embedded IPv4 part: " + message)
        case .success(let q):
          append(UInt16(q.0) << 8 | UInt16(q.1))
          append(UInt16(q.2) << 8 | UInt16(q.3))
        }
        i = end
        break
      }
      if j == i { return .failure("IPv6 address has an empty group") }
      if count == 8 { return .failure("IPv6 address has more than eight groups") }
      append(UInt16(value))
      i = j
      if i == end { break }
      // buf[i] is a colon here (dots were handled above, other bytes rejected up front).
      i += 1
      if i == end { return .failure("IPv6 address ends with a single colon") }
      if buf[i] == ASCIIByte.colon {
        if compressAt != nil { return .failure("IPv6 address contains more than one '::'") }
        if i + 1 < end && buf[i + 1] == ASCIIByte.colon {
          return .failure("IPv6 address contains ':::'")
        }
        compressAt = count
        i += 1
      }
    }
    if let at = compressAt {
      if count > 7 {
        return .failure("IPv6 address has '::' but already eight groups")
      }
      // Move groups at..<count to the end; zero the gap.
      let tail = count - at
      let shift = 8 - count
      var k = tail - 1
      while k >= 0 {
        bytes[2 * (at + shift + k)] = bytes[2 * (at + k)]
        bytes[2 * (at + shift + k) + 1] = bytes[2 * (at + k) + 1]
        k -= 1
      }
      for z in at..<(at + shift) {
        bytes[2 * z] = 0
        bytes[2 * z + 1] = 0
      }
    } else if count != 8 {
      return .failure("IPv6 address does not have eight groups and has no '::'")
    }
    return .success(bytes)
  }

  // MARK: - Formatting

  /// Writes `a.b.c.d` at `start`; returns the end index.
  private static func writeDottedQuad(
    _ a: UInt8, _ b: UInt8, _ c: UInt8, _ d: UInt8, into out: UnsafeMutableBufferPointer<UInt8>,
    at start: Int
  ) -> Int {
    var i = start
    @inline(__always) func octet(_ v: UInt8) {
      if v >= 100 {
        out[i] = 0x30 + v / 100
        i += 1
      }
      if v >= 10 {
        out[i] = 0x30 + v / 10 % 10
        i += 1
      }
      out[i] = 0x30 + v % 10
      i += 1
    }
    @inline(__always) func dot() {
      out[i] = ASCIIByte.dot
      i += 1
    }
    octet(a)
    dot()
    octet(b)
    dot()
    octet(c)
    dot()
    octet(d)
    return i
  }

  /// RFC 5952 §4: lower case, no leading zeros, the longest run (≥ 2) of zero groups
  /// compressed, the first one on ties. Writes at most 39 bytes; returns the count.
  private static func writeRFC5952(_ bytes: [UInt8], into out: UnsafeMutableBufferPointer<UInt8>)
    -> Int
  {
    @inline(__always) func group(_ k: Int) -> UInt16 {
      UInt16(bytes[2 * k]) << 8 | UInt16(bytes[2 * k + 1])
    }
    var bestStart = -1
    var bestLength = 1
    var k = 0
    while k < 8 {
      if group(k) == 0 {
        var e = k
        while e < 8 && group(e) == 0 { e += 1 }
        if e - k > bestLength {
          bestStart = k
          bestLength = e - k
        }
        k = e
      } else {
        k += 1
      }
    }
    var i = 0
    k = 0
    while k < 8 {
      if k == bestStart {
        out[i] = ASCIIByte.colon
        i += 1
        if k == 0 {
          out[i] = ASCIIByte.colon
          i += 1
        }
        k += bestLength
        continue
      }
      let g = group(k)
      var shift: UInt16 = 12
      while shift > 0 && (g >> shift) & 0xF == 0 { shift -= 4 }
      while true {
        let d = UInt8((g >> shift) & 0xF)
        out[i] = d < 10 ? 0x30 + d : 0x57 + d
        i += 1
        if shift == 0 { break }
        shift -= 4
      }
      if k < 7 {
        out[i] = ASCIIByte.colon
        i += 1
      }
      k += 1
    }
    return i
  }

  // MARK: - Classification

  private static func scopeV4(_ a: UInt8, _ b: UInt8, _ c: UInt8, _ d: UInt8) -> IPAddressScope {
    switch a {
    case 0:
      return (b | c | d) == 0 ? .unspecified : .reserved  // 0/8 "this network"
    case 10:
      return .privateUse
    case 100 where b & 0xC0 == 64:
      return .sharedCGNAT  // 100.64.0.0/10
    case 127:
      return .loopback
    case 169 where b == 254:
      return .linkLocal
    case 172 where b & 0xF0 == 16:
      return .privateUse  // 172.16.0.0/12
    case 192 where b == 168:
      return .privateUse
    case 192 where b == 0 && c == 2:
      return .documentation  // TEST-NET-1
    case 192 where b == 0 && c == 0:
      return .reserved  // IETF protocol assignments
    case 192 where b == 88 && c == 99:
      return .reserved  // deprecated 6to4 relay anycast
    case 198 where b == 51 && c == 100:
      return .documentation  // TEST-NET-2
    case 198 where b & 0xFE == 18:
      return .reserved  // 198.18.0.0/15 benchmarking
    case 203 where b == 0 && c == 113:
      return .documentation  // TEST-NET-3
    case 224...239:
      return .multicast
    case 255 where b == 255 && c == 255 && d == 255:
      return .broadcast
    case 240...255:
      return .reserved
    default:
      return .global
    }
  }

  private static func scopeV6(_ x: [UInt8]) -> IPAddressScope {
    if x[0..<15].allSatisfy({ $0 == 0 }) {
      if x[15] == 0 { return .unspecified }
      if x[15] == 1 { return .loopback }
    }
    if x[0] == 0xFF { return .multicast }
    if x[0] & 0xFE == 0xFC { return .privateUse }  // fc00::/7
    if x[0] == 0xFE && x[1] & 0xC0 == 0x80 { return .linkLocal }  // fe80::/10
    if x[0] == 0x20 && x[1] == 0x01 && x[2] == 0x0D && x[3] == 0xB8 { return .documentation }
    if x[0] == 0x3F && x[1] == 0xFF && x[2] & 0xF0 == 0 { return .documentation }  // 3fff::/20
    // 64:ff9b::/96, the well-known NAT64 prefix, carries public IPv4 addresses.
    if x[0] == 0x00 && x[1] == 0x64 && x[2] == 0xFF && x[3] == 0x9B
      && x[4..<12].allSatisfy({ $0 == 0 })
    {
      return .global
    }
    // 2001::/23 IETF protocol assignments (Teredo, ORCHID, benchmarking...).
    if x[0] == 0x20 && x[1] == 0x01 && x[2] < 0x02 { return .reserved }
    // Outside 2000::/3 everything else is special-purpose or unallocated.
    if x[0] & 0xE0 != 0x20 { return .reserved }
    return .global
  }
}
