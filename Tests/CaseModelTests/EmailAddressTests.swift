import Testing

@testable import CaseModel

@Suite("EmailAddress")
struct EmailAddressTests {
  // MARK: Accepted

  @Test(arguments: [
    ("user@example.com", "user", "example.com"),
    ("first.last@example.org", "first.last", "example.org"),
    ("user+tag@example.net", "user+tag", "example.net"),
    ("User.Name@EXAMPLE.COM", "User.Name", "example.com"),
    ("o'brien@mail.example.com", "o'brien", "mail.example.com"),
    ("a!#$%&'*+-/=?^_`{|}~@example.com", "a!#$%&'*+-/=?^_`{|}~", "example.com"),
    ("\"john doe\"@example.com", "\"john doe\"", "example.com"),
    ("\"a\\\"b\"@example.com", "\"a\\\"b\"", "example.com"),
    ("\"a@b\"@example.com", "\"a@b\"", "example.com"),
    ("jörg@example.com", "jörg", "example.com"),  // RFC 6531 UTF-8 local part
    ("用户@example.org", "用户", "example.org"),
    ("user@bücher.example", "user", "xn--bcher-kva.example"),
    ("user@BÜCHER.example", "user", "xn--bcher-kva.example"),
    ("user@xn--bcher-kva.example", "user", "xn--bcher-kva.example"),
    ("user@XN--BCHER-KVA.EXAMPLE", "user", "xn--bcher-kva.example"),
    ("user@日本語.example", "user", "xn--wgv71a119e.example"),
    ("user@sub-domain.example.com", "user", "sub-domain.example.com"),
    ("x@a1.example", "x", "a1.example"),
  ])
  func accepted(text: String, local: String, domain: String) throws {
    let email = try #require(success(EmailAddress.parse(text)))
    #expect(email.original == text)
    #expect(scalarValues(email.localPart) == scalarValues(local))
    #expect(email.domain == domain)
    #expect(scalarValues(email.normalized) == scalarValues(local + "@" + domain))
  }

  @Test func localPartIsNeverRewritten() throws {
    let email = try #require(success(EmailAddress.parse("Jane.Doe+Cases@Example.COM")))
    #expect(email.localPart == "Jane.Doe+Cases")
    #expect(email.normalized == "Jane.Doe+Cases@example.com")
  }

  // MARK: Rejected

  @Test(arguments: [
    "Jane <jane@example.com>",
    "<jane@example.com>",
    "\"Jane\" <jane@example.com>",
    "jane@example.com>",
  ])
  func displayNameFormRejected(text: String) {
    expectRejected(EmailAddress.parse(text), rule: "email.invalid", input: text)
    #expect(failure(EmailAddress.parse(text))?.message.contains("display-name") == true)
  }

  @Test(arguments: ["jane@example.com (Jane)", "jane(comment)@example.com", "jane@(c)example.com"])
  func commentRejected(text: String) {
    expectRejected(EmailAddress.parse(text), rule: "email.invalid", input: text)
    #expect(failure(EmailAddress.parse(text))?.message.contains("comment") == true)
  }

  @Test(arguments: ["jane\u{FF20}example.com", "jane\u{FE6B}example.com"])
  func fullwidthAtRejected(text: String) {
    expectRejected(EmailAddress.parse(text), rule: "email.invalid", input: text)
    #expect(failure(EmailAddress.parse(text))?.message.contains("fullwidth") == true)
  }

  @Test func fullwidthDotRejected() {
    expectRejected(
      EmailAddress.parse("jane@example\u{FF0E}com"), rule: "email.invalid",
      input: "jane@example\u{FF0E}com")
  }

  @Test(arguments: ["jane@@example.com", "jane@example@example.com", "ja@ne@example.com"])
  func secondAtRejected(text: String) {
    expectRejected(EmailAddress.parse(text), rule: "email.invalid", input: text)
  }

  @Test(arguments: ["janeexample.com", "", "@example.com", "jane@"])
  func missingPartsRejected(text: String) {
    expectRejected(EmailAddress.parse(text), rule: "email.invalid", input: text)
  }

  @Test(arguments: [
    ".jane@example.com", "jane.@example.com", "ja..ne@example.com",
    "jane@.example.com", "jane@example..com", "jane@example.com.", "jane@.",
  ])
  func dotsRejected(text: String) {
    expectRejected(EmailAddress.parse(text), rule: "email.invalid", input: text)
    #expect(failure(EmailAddress.parse(text))?.message.contains("dot") == true)
  }

  @Test(arguments: [
    " jane@example.com", "jane@example.com ", "jane doe@example.com", "jane@exa mple.com",
    "jane\t@example.com", "jane@example.com\n", "jane\u{00A0}@example.com", "jane@example.com\u{3000}",
    "jane\u{2028}@example.com",
  ])
  func whitespaceRejected(text: String) {
    expectRejected(EmailAddress.parse(text), rule: "email.invalid", input: text)
  }

  @Test(arguments: [
    "ja\u{200B}ne@example.com",  // zero-width space
    "jane@exa\u{200D}mple.com",  // zero-width joiner
    "jane\u{202E}@example.com",  // right-to-left override
    "jane@example.com\u{FEFF}",  // byte-order mark
    "\u{2066}jane@example.com",  // left-to-right isolate
    "jane\u{2060}@example.com",  // word joiner
    "jane\u{200F}@example.com",  // right-to-left mark
    "ja\u{00AD}ne@example.com",  // soft hyphen
  ])
  func invisibleCharactersRejected(text: String) {
    expectRejected(EmailAddress.parse(text), rule: "email.invalid", input: text)
    #expect(failure(EmailAddress.parse(text))?.message.contains("invisible") == true)
  }

  @Test(arguments: ["jane\u{0}@example.com", "jane\u{7F}@example.com", "jane\u{1B}@example.com"])
  func controlCharactersRejected(text: String) {
    expectRejected(EmailAddress.parse(text), rule: "email.invalid", input: text)
  }

  @Test(arguments: ["jane@[192.0.2.1]", "jane@[IPv6:2001:db8::1]"])
  func domainLiteralRejected(text: String) {
    expectRejected(EmailAddress.parse(text), rule: "email.invalid", input: text)
    #expect(failure(EmailAddress.parse(text))?.message.contains("not supported") == true)
  }

  @Test func singleLabelDomainRejected() {
    expectRejected(EmailAddress.parse("jane@localhost"), rule: "email.invalid", input: "jane@localhost")
  }

  @Test func numericTopLevelDomainRejected() {
    expectRejected(EmailAddress.parse("jane@192.0.2.1"), rule: "email.invalid", input: "jane@192.0.2.1")
  }

  @Test(arguments: [
    "jane@-example.com", "jane@example-.com", "jane@exa_mple.com", "jane@exa!mple.com",
    "jane@xn--abc.example",  // decodes to C1 control characters
    "jane@xn--ib9b.example",  // not a valid A-label (surrogate)
    "jane@☃.example",  // symbol, not a letter
    "jane@example.c\u{00F6}m\u{1F600}",
  ])
  func badDomainLabelRejected(text: String) {
    expectRejected(EmailAddress.parse(text), rule: "email.invalid", input: text)
  }

  @Test(arguments: [
    "ja,ne@example.com", "ja;ne@example.com", "ja\\ne@example.com", "ja\"ne@example.com",
    "ja[ne@example.com", "ja:ne@example.com",
  ])
  func badUnquotedLocalCharactersRejected(text: String) {
    expectRejected(EmailAddress.parse(text), rule: "email.invalid", input: text)
  }

  @Test(arguments: ["\"jane@example.com", "\"\"@example.com", "\"jane\"x@example.com", "\"ja\\\u{1}\"@example.com"])
  func badQuotedLocalPartRejected(text: String) {
    expectRejected(EmailAddress.parse(text), rule: "email.invalid", input: text)
  }

  // MARK: Lengths

  @Test func localPartLimitIs64Bytes() {
    let ok = String(repeating: "a", count: 64) + "@example.com"
    let tooLong = String(repeating: "a", count: 65) + "@example.com"
    #expect(success(EmailAddress.parse(ok)) != nil)
    expectRejected(EmailAddress.parse(tooLong), rule: "email.invalid", input: tooLong)
    #expect(failure(EmailAddress.parse(tooLong))?.message.contains("64") == true)
  }

  @Test func localPartLimitCountsUTF8Bytes() {
    let ok = String(repeating: "ü", count: 32) + "@example.com"  // 64 bytes
    let tooLong = String(repeating: "ü", count: 33) + "@example.com"  // 66 bytes
    #expect(success(EmailAddress.parse(ok)) != nil)
    expectRejected(EmailAddress.parse(tooLong), rule: "email.invalid", input: tooLong)
  }

  @Test func labelLimitIs63Octets() {
    let ok = "jane@" + String(repeating: "a", count: 63) + ".example.com"
    let tooLong = "jane@" + String(repeating: "a", count: 64) + ".example.com"
    #expect(success(EmailAddress.parse(ok)) != nil)
    expectRejected(EmailAddress.parse(tooLong), rule: "email.invalid", input: tooLong)
  }

  @Test func labelLimitAppliesAfterAConversion() {
    // 57 "ü" encode to 59 ASCII characters (63 with "xn--"); 58 encode to 60 (64 with "xn--").
    let ok = "jane@" + String(repeating: "ü", count: 57) + ".example"
    let tooLong = "jane@" + String(repeating: "ü", count: 58) + ".example"
    let email = success(EmailAddress.parse(ok))
    #expect(email?.domain.split(separator: ".").first?.utf8.count == 63)
    expectRejected(EmailAddress.parse(tooLong), rule: "email.invalid", input: tooLong)
  }

  @Test func wholeAddressLimitIs254Bytes() {
    let local = String(repeating: "l", count: 64)
    let label63a = String(repeating: "a", count: 63)
    let label63b = String(repeating: "b", count: 63)
    // 64 + 1 + (63 + 1 + 63 + 1 + 57 + 4) = 254
    let ok = local + "@" + label63a + "." + label63b + "." + String(repeating: "c", count: 57) + ".com"
    let tooLong = local + "@" + label63a + "." + label63b + "." + String(repeating: "c", count: 58) + ".com"
    #expect(ok.utf8.count == 254)
    #expect(success(EmailAddress.parse(ok)) != nil)
    expectRejected(EmailAddress.parse(tooLong), rule: "email.invalid", input: tooLong)
    #expect(failure(EmailAddress.parse(tooLong))?.message.contains("254") == true)
  }

  @Test func wholeAddressLimitIsMeasuredOnNormalizedForm() {
    // The U-label form is short enough, but each A-label adds "xn--" and a delimiter.
    let local = String(repeating: "l", count: 64)
    let labels = Array(repeating: "aü", count: 30).joined(separator: ".")  // each → "xn--a-eha"
    let text = local + "@" + labels + ".example"
    #expect(text.utf8.count <= 254)
    let error = failure(EmailAddress.parse(text))
    #expect(error?.rule == "email.invalid")
    #expect(error?.message.contains("254") == true)
  }
}
