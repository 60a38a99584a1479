import Testing

@testable import CaseModel

// Fixture numbers: NANP 555-0100…555-0199 (fictional); Ofcom's drama ranges for GB
// (020 7946 0xxx); other countries use obviously made-up digits.

private let us = PhoneRegion.named("US")!
private let gb = PhoneRegion.named("GB")!

@Suite("PhoneNumber")
struct PhoneNumberTests {
  // MARK: NANP

  @Test(arguments: [
    "(202) 555-0123", "202-555-0123", "202.555.0123", "2025550123", "1 202 555 0123",
    "1-202-555-0123", "+1 202 555 0123", "+1 (202) 555-0123", "001 202 555 0123", "+12025550123",
    "  202 555 0123  ",
  ])
  func nanpWithDefaultRegion(text: String) throws {
    let phone = try #require(success(PhoneNumber.parse(text, defaultRegion: us)))
    #expect(phone.e164 == "+12025550123")
    #expect(phone.callingCode == "1")
    #expect(phone.nationalNumber == "2025550123")
    #expect(phone.extensionDigits == nil)
    #expect(phone.original == text)
  }

  @Test func canadaIsNANPToo() throws {
    let ca = try #require(PhoneRegion.named("CA"))
    #expect(success(PhoneNumber.parse("(613) 555-0199", defaultRegion: ca))?.e164 == "+16135550199")
  }

  @Test(arguments: [
    "(102) 555-0123",  // area code starts with 1
    "(002) 555-0123",  // area code starts with 0
    "(202) 155-0123",  // exchange starts with 1
    "(202) 055-0123",  // exchange starts with 0
    "+1 102 555 0123",
  ])
  func nanpAreaCodeAndExchangeMustStartWith2To9(text: String) {
    expectRejected(PhoneNumber.parse(text, defaultRegion: us), rule: "phone.invalid", input: text)
  }

  @Test(arguments: ["202-555-012", "202-555-01234", "2 202 555 0123", "+1 202 555 01234", "+1 202 555"])
  func nanpWrongLengthRejected(text: String) {
    expectRejected(PhoneNumber.parse(text, defaultRegion: us), rule: "phone.invalid", input: text)
  }

  // MARK: International

  @Test(arguments: [
    "+44 20 7946 0018", "+44 (0)20 7946 0018", "0044 20 7946 0018", "+44-20-7946-0018",
    "+44 (20) 7946 0018", "+442079460018",
  ])
  func unitedKingdomInternational(text: String) throws {
    let phone = try #require(success(PhoneNumber.parse(text, defaultRegion: nil)))
    #expect(phone.e164 == "+442079460018")
    #expect(phone.callingCode == "44")
    #expect(phone.nationalNumber == "2079460018")
  }

  @Test func unitedKingdomNationalFormatStripsTrunkPrefix() throws {
    let phone = try #require(success(PhoneNumber.parse("020 7946 0018", defaultRegion: gb)))
    #expect(phone.e164 == "+442079460018")
    #expect(phone.nationalNumber == "2079460018")
  }

  @Test func explicitCallingCodeWinsOverDefaultRegion() throws {
    let phone = try #require(success(PhoneNumber.parse("+1 202 555 0100", defaultRegion: gb)))
    #expect(phone.e164 == "+12025550100")
  }

  @Test func trunkZeroAfterCallingCodeWithoutParenthesesIsRejected() {
    // "+44 020…" is a common mistake; it is not silently repaired.
    let text = "+44 020 7946 0018"
    expectRejected(PhoneNumber.parse(text, defaultRegion: nil), rule: "phone.invalid", input: text)
  }

  @Test(arguments: [
    ("IT", "06 1234 5678", "+390612345678"),  // Italian numbers keep the leading 0
    ("IT", "+39 06 1234 5678", "+390612345678"),
    ("IT", "333 123 4567", "+393331234567"),
    ("DE", "030 12345678", "+493012345678"),
    ("DE", "030/12345678", "+493012345678"),
    ("DE", "+49 30 12345678", "+493012345678"),
    ("FR", "01 23 45 67 89", "+33123456789"),
    ("NL", "020 123 4567", "+31201234567"),
    ("AU", "(02) 1234 5678", "+61212345678"),
    ("NZ", "09 123 4567", "+6491234567"),
    ("ES", "912 345 678", "+34912345678"),
    ("HU", "06 1 234 5678", "+3612345678"),  // trunk prefix "06"
    ("IE", "01 234 5678", "+35312345678"),
    ("FI", "+358 9 123 4567", "+35891234567"),
    ("PL", "12 345 67 89", "+48123456789"),
    ("CZ", "+420 212 345 678", "+420212345678"),
  ])
  func regionTable(region: String, text: String, e164: String) throws {
    let r = try #require(PhoneRegion.named(region))
    let phone = try #require(success(PhoneNumber.parse(text, defaultRegion: r)))
    #expect(phone.e164 == e164)
    #expect(phone.callingCode == r.callingCode)
    #expect("+" + phone.callingCode + phone.nationalNumber == phone.e164)
  }

  @Test(arguments: ["+999 1234 5678", "+0 123 456 789", "00999 1234 5678", "+7 495 123 4567", "+86 10 1234 5678"])
  func unsupportedCallingCode(text: String) {
    expectRejected(PhoneNumber.parse(text, defaultRegion: us), rule: "phone.unsupported-region", input: text)
  }

  @Test(arguments: ["202-555-0123", "(202) 555-0123", "020 7946 0018"])
  func missingCountryCodeWithoutDefaultRegion(text: String) {
    expectRejected(
      PhoneNumber.parse(text, defaultRegion: nil), rule: "phone.missing-country-code", input: text)
  }

  @Test(arguments: ["+44 20 79", "+44 20 7946 0018 12", "+33 1 23 45 67", "+45 1234 567"])
  func internationalWrongLengthRejected(text: String) {
    expectRejected(PhoneNumber.parse(text, defaultRegion: nil), rule: "phone.invalid", input: text)
  }

  @Test func e164IsAtMost15Digits() throws {
    let wide = PhoneRegion(code: "ZZ", callingCode: "999", nationalNumberLengths: 1...20, trunkPrefix: nil)
    #expect(success(PhoneNumber.parse("123456789012", defaultRegion: wide))?.e164 == "+999123456789012")
    let text = "1234567890123"
    expectRejected(PhoneNumber.parse(text, defaultRegion: wide), rule: "phone.invalid", input: text)
    #expect(failure(PhoneNumber.parse(text, defaultRegion: wide))?.message.contains("15") == true)
  }

  // MARK: Extensions

  @Test(arguments: [
    ("+1 202-555-0123 x123", "123"),
    ("+1 202-555-0123x123", "123"),
    ("+1 202-555-0123 X 9", "9"),
    ("+1 202-555-0123 ext. 45", "45"),
    ("+1 202-555-0123 ext 45", "45"),
    ("+1 202-555-0123 EXT.45", "45"),
    ("+1 202-555-0123 extension 6789", "6789"),
    ("+1 202-555-0123;ext=7", "7"),
    ("+1 202-555-0123 #12", "12"),
    ("+1 202-555-0123 x1234567890", "1234567890"),
  ])
  func extensionParsed(text: String, digits: String) throws {
    let phone = try #require(success(PhoneNumber.parse(text, defaultRegion: nil)))
    #expect(phone.extensionDigits == digits)
    #expect(phone.e164 == "+12025550123")
  }

  @Test(arguments: [
    "+1 202-555-0123 x12345678901",  // 11 digits
    "+1 202-555-0123 x",  // no digits
    "+1 202-555-0123 ext.",
    "+1 202-555-0123 x12a",
    "+1 202-555-0123;foo=1",
    "+1 202-555-0123 x12-3",
  ])
  func badExtensionRejected(text: String) {
    expectRejected(PhoneNumber.parse(text, defaultRegion: nil), rule: "phone.invalid", input: text)
  }

  // MARK: Other rejects

  @Test(arguments: ["1-800-FLOWERS", "202-555-CALL", "+1 202 JKL 0123", "202-555-XRAY"])
  func vanityNumbersRejected(text: String) {
    expectRejected(PhoneNumber.parse(text, defaultRegion: us), rule: "phone.invalid", input: text)
    #expect(failure(PhoneNumber.parse(text, defaultRegion: us))?.message.contains("letters") == true)
  }

  @Test(arguments: [
    "", "+", "()", "1+202-555-0123", "++1 202 555 0123", "202_555_0123", "202\u{00A0}555\u{00A0}0123",
    "202\t555 0123", "(202 555-0123", "202) 555-0123", "((202)) 555-0123", "２０２-555-0123",
    "202-555-0123\u{200B}",
  ])
  func malformedRejected(text: String) {
    expectRejected(PhoneNumber.parse(text, defaultRegion: us), rule: "phone.invalid", input: text)
  }

  // MARK: Region table

  @Test func supportedTableIsSortedAndUnique() {
    let codes = PhoneRegion.supported.map(\.code)
    #expect(codes == codes.sorted())
    #expect(Set(codes).count == codes.count)
    #expect(codes.count == 32)
  }

  @Test(arguments: [
    ("US", "1", 10...10, nil as String?), ("CA", "1", 10...10, nil), ("GB", "44", 9...10, "0"),
    ("IE", "353", 7...9, "0"), ("DE", "49", 6...13, "0"), ("FR", "33", 9...9, "0"),
    ("ES", "34", 9...9, nil), ("IT", "39", 6...11, nil), ("NL", "31", 9...9, "0"),
    ("BE", "32", 8...9, "0"), ("AT", "43", 4...13, "0"), ("SE", "46", 7...9, "0"),
    ("DK", "45", 8...8, nil), ("FI", "358", 5...12, "0"), ("PL", "48", 9...9, nil),
    ("PT", "351", 9...9, nil), ("AU", "61", 9...9, "0"), ("NZ", "64", 8...10, "0"),
  ])
  func documentedRegions(code: String, callingCode: String, lengths: ClosedRange<Int>, trunk: String?)
    throws
  {
    let region = try #require(PhoneRegion.named(code))
    #expect(region.callingCode == callingCode)
    #expect(region.nationalNumberLengths == lengths)
    #expect(region.trunkPrefix == trunk)
  }

  @Test func everyRegionFitsE164() {
    for region in PhoneRegion.supported {
      #expect(region.callingCode.utf8.count + region.nationalNumberLengths.upperBound <= 15, "\(region.code)")
      #expect((1...3).contains(region.callingCode.utf8.count), "\(region.code)")
    }
  }

  @Test func namedIsExact() {
    #expect(PhoneRegion.named("us") == nil)
    #expect(PhoneRegion.named("XX") == nil)
    #expect(PhoneRegion.named("") == nil)
    #expect(PhoneRegion.named("GB")?.isNANP == false)
    #expect(PhoneRegion.named("US")?.isNANP == true)
  }

  @Test func callingCodesArePrefixFree() {
    let codes = Set(PhoneRegion.supported.map(\.callingCode))
    for a in codes {
      for b in codes where a != b {
        #expect(!b.hasPrefix(a), "\(a) is a prefix of \(b)")
      }
    }
  }
}
