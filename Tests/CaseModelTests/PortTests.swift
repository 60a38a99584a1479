import Testing

@testable import CaseModel

@Suite("Port")
struct PortTests {
  @Test(arguments: [("1", 1), ("80", 80), ("443", 443), ("8080", 8080), ("65535", 65535)])
  func accepted(text: String, value: UInt16) throws {
    let port = try #require(success(Port.parse(text)))
    #expect(port.value == value)
    #expect(port == Port(Int(value)))
    #expect(port.description == text)
  }

  @Test(arguments: [
    "", "0", "00", "080", "00443", "65536", "99999", "123456", "99999999999999999999999", "+80", "-1",
    " 80", "80 ", "8 0", "8O", "80.0", "0x50", "\u{FF18}\u{FF10}", "80\u{200B}",
  ])
  func rejected(text: String) {
    expectRejected(Port.parse(text), rule: "port.invalid", input: text)
  }

  @Test func leadingZeroHasItsOwnMessage() {
    #expect(failure(Port.parse("080"))?.message.contains("leading zero") == true)
    #expect(failure(Port.parse("0"))?.message.contains("range") == true)
  }

  @Test func integerInitialiser() {
    #expect(Port(0) == nil)
    #expect(Port(-1) == nil)
    #expect(Port(65536) == nil)
    #expect(Port(1)?.value == 1)
    #expect(Port(65535)?.value == 65535)
  }

  @Test func ordering() throws {
    let a = try #require(Port(80))
    let b = try #require(Port(443))
    #expect(a < b)
    #expect(!(b < a))
    #expect([b, a].sorted() == [a, b])
  }
}
