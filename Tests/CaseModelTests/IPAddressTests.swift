import Testing

@testable import CaseModel

// Fixture addresses come from the documentation ranges (RFC 5737, RFC 3849, RFC 9637). The only
// other addresses are private/special ones and range boundaries used to test classification.

@Suite("IPAddress")
struct IPAddressTests {
  // MARK: IPv4 accepted

  @Test(arguments: [
    ("192.0.2.1", [192, 0, 2, 1] as [UInt8]),
    ("198.51.100.255", [198, 51, 100, 255]),
    ("203.0.113.0", [203, 0, 113, 0]),
    ("0.0.0.0", [0, 0, 0, 0]),
    ("255.255.255.255", [255, 255, 255, 255]),
  ])
  func ipv4Accepted(text: String, bytes: [UInt8]) throws {
    let ip = try #require(success(IPAddress.parse(text)))
    #expect(ip.version == .v4)
    #expect(ip.original == text)
    #expect(ip.normalized == text)
    #expect(ip.bytes == bytes)
    #expect(ip.mappedIPv4 == nil)
  }

  // MARK: IPv4 rejected

  @Test(arguments: [
    "010.1.1.1",  // leading zero (octal ambiguity)
    "192.0.2.01",
    "0300.0.2.1",  // octal form
    "00.0.0.0",
  ])
  func ipv4LeadingZeroRejected(text: String) {
    expectRejected(IPAddress.parse(text), rule: "ip.invalid", input: text)
    #expect(failure(IPAddress.parse(text))?.message.contains("leading zero") == true)
  }

  @Test(arguments: [
    "192.0.2",  // 3-part form
    "192.0",
    "3221225985",  // integer form
    "192.0.2.1.5",
    "192.0.2.",
    ".192.0.2",
  ])
  func ipv4WrongOctetCountRejected(text: String) {
    expectRejected(IPAddress.parse(text), rule: "ip.invalid", input: text)
  }

  @Test(arguments: ["0xC0.0.2.1", "0xc0000201", "192.0.2.0x1", "192.0.2.a", "+192.0.2.1", "192.0.2.-1"])
  func ipv4HexAndOtherCharactersRejected(text: String) {
    expectRejected(IPAddress.parse(text), rule: "ip.invalid", input: text)
  }

  @Test(arguments: ["192.0.2.256", "256.0.2.1", "192.0.2.1000", "192.0.2.999"])
  func ipv4OctetOutOfRangeRejected(text: String) {
    expectRejected(IPAddress.parse(text), rule: "ip.invalid", input: text)
  }

  @Test func ipv4EmptyOctetRejected() {
    expectRejected(IPAddress.parse("192..2.1"), rule: "ip.invalid", input: "192..2.1")
  }

  @Test(arguments: [
    " 192.0.2.1", "192.0.2.1 ", "192.0.2.1\n", "192.0.2.1\t", "192.0.2.1\r\n", "192. 0.2.1",
    "192.0.2.1\u{00A0}", "\u{200B}192.0.2.1", "192.0.2.1\u{FEFF}", "192.0.2.1\u{2009}",
    "\u{FF11}92.0.2.1",  // fullwidth digit one
  ])
  func ipv4WhitespaceAndInvisiblesRejected(text: String) {
    expectRejected(IPAddress.parse(text), rule: "ip.invalid", input: text)
  }

  @Test func controlCharacterRejected() {
    expectRejected(IPAddress.parse("192.0.2.1\u{0}"), rule: "ip.invalid", input: "192.0.2.1\u{0}")
  }

  @Test func ipv4CIDRRejected() {
    let error = failure(IPAddress.parse("192.0.2.0/24"))
    #expect(error?.rule == "ip.invalid")
    #expect(error?.message.contains("prefix") == true)
  }

  @Test func ipv4PortRejected() {
    let error = failure(IPAddress.parse("192.0.2.1:80"))
    #expect(error?.rule == "ip.invalid")
    #expect(error?.message.contains("port") == true)
  }

  @Test(arguments: ["[192.0.2.1]", "[2001:db8::1]", "[2001:db8::1]:443"])
  func bracketsRejected(text: String) {
    let error = failure(IPAddress.parse(text))
    #expect(error?.rule == "ip.invalid")
    #expect(error?.message.contains("brackets") == true)
  }

  @Test func emptyRejected() {
    #expect(failure(IPAddress.parse(""))?.rule == "ip.invalid")
  }

  // MARK: IPv6 RFC 5952 canonical form

  @Test(arguments: [
    ("2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"),  // first run on ties
    ("2001:0db8::0001", "2001:db8::1"),  // leading zeros dropped
    ("2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"),  // a single 0 is never compressed
    ("2001:DB8::ABCD", "2001:db8::abcd"),  // lower case
    ("2001:db8:0:0:0:0:2:1", "2001:db8::2:1"),
    ("2001:db8::0:1", "2001:db8::1"),
    ("2001:db8:0:1:0:0:0:1", "2001:db8:0:1::1"),  // longest run wins
    ("2001:db8:0:0:1:0:0:0", "2001:db8:0:0:1::"),  // longer run later
    ("0:0:0:0:0:0:0:0", "::"),
    ("::", "::"),
    ("0:0:0:0:0:0:0:1", "::1"),
    ("1:0:0:0:0:0:0:0", "1::"),
    ("2001:db8::", "2001:db8::"),
    ("2001:db8:1:2:3:4:5::", "2001:db8:1:2:3:4:5:0"),
    ("::2:3:4:5:6:7:8", "0:2:3:4:5:6:7:8"),
    ("2001:db8:aaaa:bbbb:cccc:dddd:eeee:ffff", "2001:db8:aaaa:bbbb:cccc:dddd:eeee:ffff"),
    ("2001:db8::192.0.2.1", "2001:db8::c000:201"),  // embedded IPv4 tail, not mapped
    ("64:ff9b::192.0.2.33", "64:ff9b::c000:221"),
    ("3fff:0:0:0:0:0:0:1", "3fff::1"),
  ])
  func ipv6Canonicalised(text: String, expected: String) throws {
    let ip = try #require(success(IPAddress.parse(text)))
    #expect(ip.version == .v6)
    #expect(ip.normalized == expected)
    #expect(ip.original == text)
    #expect(ip.bytes.count == 16)
    // The canonical form parses back to the same address and is a fixed point.
    let again = try #require(success(IPAddress.parse(expected)))
    #expect(again.bytes == ip.bytes)
    #expect(again.normalized == expected)
  }

  @Test func ipv6Bytes() throws {
    let ip = try #require(success(IPAddress.parse("2001:db8::1:0:0:1")))
    #expect(ip.bytes == [0x20, 0x01, 0x0D, 0xB8, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1])
  }

  @Test(arguments: ["::ffff:192.0.2.1", "::FFFF:c000:0201", "0:0:0:0:0:ffff:192.0.2.1", "::ffff:C000:201"])
  func ipv4MappedBothNotations(text: String) throws {
    let ip = try #require(success(IPAddress.parse(text)))
    #expect(ip.version == .v6)
    #expect(ip.mappedIPv4 == "192.0.2.1")
    #expect(ip.normalized == "::ffff:192.0.2.1")
    #expect(ip.scope == .documentation)
    #expect(ip.bytes[10] == 0xFF && ip.bytes[11] == 0xFF && ip.bytes[12] == 192)
  }

  @Test func mappedScopeIsThatOfIPv4() throws {
    #expect(success(IPAddress.parse("::ffff:10.0.0.1"))?.scope == .privateUse)
    #expect(success(IPAddress.parse("::ffff:127.0.0.1"))?.scope == .loopback)
    #expect(success(IPAddress.parse("::ffff:100.64.0.1"))?.scope == .sharedCGNAT)
  }

  @Test func ipv4CompatibleIsNotMapped() throws {
    let ip = try #require(success(IPAddress.parse("::192.0.2.1")))
    #expect(ip.mappedIPv4 == nil)
    #expect(ip.normalized == "::c000:201")
    #expect(ip.scope == .reserved)
  }

  // MARK: IPv6 rejected

  @Test(arguments: ["fe80::1%eth0", "fe80::1%25eth0", "2001:db8::1%1", "fe80::%en0"])
  func zoneIdRejected(text: String) {
    expectRejected(IPAddress.parse(text), rule: "ip.zone-id", input: text)
  }

  @Test(arguments: ["2001:db8::/32", "2001:db8::1/128", "::/0"])
  func ipv6PrefixRejected(text: String) {
    let error = failure(IPAddress.parse(text))
    #expect(error?.rule == "ip.invalid")
    #expect(error?.message.contains("prefix") == true)
  }

  @Test(arguments: ["2001:db8::12345", "2001:db8::00001", "02001:db8::1"])
  func moreThanFourHexDigitsRejected(text: String) {
    let error = failure(IPAddress.parse(text))
    #expect(error?.rule == "ip.invalid")
    #expect(error?.message.contains("more than four hex digits") == true)
  }

  @Test(arguments: [":::", "2001:db8:::1", ":::1", "1:::"])
  func tripleColonRejected(text: String) {
    let error = failure(IPAddress.parse(text))
    #expect(error?.rule == "ip.invalid")
    #expect(error?.message.contains(":::") == true)
  }

  @Test(arguments: ["2001::db8::1", "::1::", "1::2::3"])
  func doubleCompressionRejected(text: String) {
    let error = failure(IPAddress.parse(text))
    #expect(error?.rule == "ip.invalid")
    #expect(error?.message.contains("more than one '::'") == true)
  }

  @Test(arguments: [
    "1:2:3:4:5:6:7:8:9",  // nine groups
    "2001:db8:1:2:3:4:5",  // seven groups, no ::
    "2001:db8:1:2:3:4:5:6::",  // :: but already eight groups
    "::2001:db8:1:2:3:4:5:6",
    "1:2:3:4:5:6:7:192.0.2.1",  // IPv4 tail makes nine groups
    ":2001:db8::1",  // leading single colon
    "2001:db8::1:",  // trailing single colon
    "2001:db8::g",  // not hex
    "2001:db8::1 ",  // whitespace
    "2001:db8::\u{200B}1",
    "2001:db8:1",
    "::ffff:192.0.2.256",  // bad embedded IPv4
    "::ffff:192.0.2.01",
    "::ffff:192.0.2",
    "::192.0.2.1:1",  // IPv4 tail must be last
    "2001:db8::1:80:",
  ])
  func malformedIPv6Rejected(text: String) {
    expectRejected(IPAddress.parse(text), rule: "ip.invalid", input: text)
  }

  @Test func failureMessagesAreDistinct() {
    let inputs = [
      "", "010.1.1.1", "192.0.2", "0xC0.0.2.1", "192.0.2.256", "192..2.1", " 192.0.2.1",
      "192.0.2.1\u{00A0}", "192.0.2.1/24", "192.0.2.1:80", "[2001:db8::1]", "2001:db8::12345", ":::",
      "2001::db8::1", "1:2:3:4:5:6:7:8:9", "2001:db8:1:2:3:4:5", ":2001:db8::1", "2001:db8::1:",
      "2001:db8::g", "2001:db8:1:2:3:4:5:6::", "fe80::1%eth0", "192.0.2.1\u{0}",
    ]
    let messages = inputs.compactMap { failure(IPAddress.parse($0))?.message }
    #expect(messages.count == inputs.count)
    #expect(Set(messages).count == inputs.count)
  }

  // MARK: Scope

  @Test(arguments: [
    ("192.0.2.1", IPAddressScope.documentation),
    ("198.51.100.7", .documentation),
    ("203.0.113.200", .documentation),
    ("10.0.0.1", .privateUse),
    ("10.255.255.255", .privateUse),
    ("172.16.0.1", .privateUse),
    ("172.31.255.255", .privateUse),
    ("172.15.255.255", .global),  // boundary just below 172.16/12
    ("172.32.0.0", .global),  // boundary just above
    ("192.168.1.1", .privateUse),
    ("100.64.0.0", .sharedCGNAT),
    ("100.127.255.255", .sharedCGNAT),
    ("100.63.255.255", .global),  // boundary below 100.64/10
    ("100.128.0.0", .global),  // boundary above
    ("127.0.0.1", .loopback),
    ("127.255.255.254", .loopback),
    ("169.254.1.1", .linkLocal),
    ("224.0.0.1", .multicast),
    ("239.255.255.255", .multicast),
    ("0.0.0.0", .unspecified),
    ("0.1.2.3", .reserved),
    ("255.255.255.255", .broadcast),
    ("240.0.0.1", .reserved),
    ("255.255.255.254", .reserved),
    ("198.18.0.1", .reserved),
    ("192.0.0.8", .reserved),
    ("2001:db8::1", .documentation),
    ("2001:db8:ffff:ffff:ffff:ffff:ffff:ffff", .documentation),
    ("2001:db9::1", .global),  // just outside the documentation /32
    ("2001::1", .reserved),  // 2001::/23 IETF protocol assignments (Teredo)
    ("2001:2::1", .reserved),  // benchmarking
    ("2001:1ff::1", .reserved),
    ("2001:200::1", .global),  // just outside 2001::/23
    ("3fff::1", .documentation),
    ("3fff:fff::1", .documentation),
    ("3fff:1000::1", .global),  // just outside 3fff::/20
    ("fc00::1", .privateUse),
    ("fd12:3456:789a::1", .privateUse),
    ("fe80::1", .linkLocal),
    ("febf::1", .linkLocal),
    ("fec0::1", .reserved),
    ("ff02::1", .multicast),
    ("::", .unspecified),
    ("::1", .loopback),
    ("::2", .reserved),
  ])
  func scope(text: String, expected: IPAddressScope) throws {
    let ip = try #require(success(IPAddress.parse(text)))
    #expect(ip.scope == expected)
  }

  @Test func scopeRawValuesAreStable() {
    #expect(IPAddressScope.privateUse.rawValue == "private")
    #expect(IPAddressScope.sharedCGNAT.rawValue == "cgnat")
    #expect(IPAddressScope.linkLocal.rawValue == "link-local")
    #expect(IPVersion.v6.rawValue == 6)
  }

  @Test func equalityIncludesOriginalText() throws {
    let a = try #require(success(IPAddress.parse("2001:DB8::1")))
    let b = try #require(success(IPAddress.parse("2001:db8::1")))
    #expect(a.normalized == b.normalized)
    #expect(a.bytes == b.bytes)
    #expect(a != b)
  }

  @Test func randomIPv6RoundTrips() throws {
    var rng = SplitMix64(seed: 0x1B_2C_3D)
    for _ in 0..<2000 {
      var bytes = [UInt8](repeating: 0, count: 16)
      bytes[0] = 0x20
      bytes[1] = 0x01
      bytes[2] = 0x0D
      bytes[3] = 0xB8
      for k in 4..<16 {
        // Plenty of zeros so that compression is exercised.
        bytes[k] = rng.next() % 3 == 0 ? UInt8(truncatingIfNeeded: rng.next()) : 0
      }
      var groups: [String] = []
      for k in 0..<8 {
        let g = UInt16(bytes[2 * k]) << 8 | UInt16(bytes[2 * k + 1])
        groups.append(String(g, radix: 16, uppercase: rng.next() % 2 == 0))
      }
      let full = groups.joined(separator: ":")
      let ip = try #require(success(IPAddress.parse(full)), "seed 0x1B2C3D input \(full)")
      #expect(ip.bytes == bytes)
      let again = try #require(success(IPAddress.parse(ip.normalized)))
      #expect(again.bytes == bytes)
      #expect(again.normalized == ip.normalized)
      #expect(!ip.normalized.contains(":::"))
      #expect(ip.normalized == ip.normalized.lowercased())
    }
  }
}
