import CaseJSON
import Testing

@Suite("TextPosition")
struct TextPositionTests {
  typealias F = CoreJSONFixtures

  func advanced(_ bytes: [UInt8], from start: TextPosition = .start) -> TextPosition {
    bytes.withUnsafeBytes { start.advanced(over: $0) }
  }

  @Test func asciiAdvancesColumns() {
    #expect(advanced(F.bytes("abc")) == TextPosition(line: 1, column: 4))
    #expect(advanced([]) == .start)
  }

  @Test func onlyLineFeedStartsALine() {
    #expect(advanced(F.bytes("ab\ncd")) == TextPosition(line: 2, column: 3))
    // CRLF: the CR is a column on the old line; the LF starts the new one.
    #expect(advanced(F.bytes("ab\r\ncd")) == TextPosition(line: 2, column: 3))
    // A lone CR does not start a line.
    #expect(advanced(F.bytes("ab\rcd")) == TextPosition(line: 1, column: 6))
    // U+2028 and U+0085 are ordinary scalars, not line breaks.
    #expect(advanced(F.bytes("a\u{2028}b\u{85}c")) == TextPosition(line: 1, column: 6))
  }

  @Test func columnsCountScalarsNotBytes() {
    // é (2 bytes), € (3 bytes), 😀 (4 bytes): 3 scalars.
    #expect(advanced(F.bytes("é€😀")) == TextPosition(line: 1, column: 4))
    // e + combining acute is two scalars (one Character).
    #expect(advanced(F.bytes("e\u{301}")) == TextPosition(line: 1, column: 3))
  }

  @Test func advancesFromAnOrigin() {
    let origin = TextPosition(line: 10, column: 5)
    #expect(advanced(F.bytes("xy"), from: origin) == TextPosition(line: 10, column: 7))
    #expect(advanced(F.bytes("x\ny"), from: origin) == TextPosition(line: 11, column: 2))
  }

  @Test func textPositionOfOffset() {
    let bytes = F.bytes("{\n  \"é\": 1\n}")
    bytes.withUnsafeBytes { buf in
      #expect(textPosition(of: 0, in: buf, startingAt: .start) == TextPosition(line: 1, column: 1))
      #expect(textPosition(of: 4, in: buf, startingAt: .start) == TextPosition(line: 2, column: 3))
      // After the 2-byte é: offset 7 is the closing quote, column 5.
      #expect(textPosition(of: 7, in: buf, startingAt: .start) == TextPosition(line: 2, column: 5))
      #expect(
        textPosition(of: 4, in: buf, startingAt: TextPosition(line: 3, column: 9)) == TextPosition(line: 4, column: 3))
      // Clamped to the buffer.
      #expect(textPosition(of: 999, in: buf, startingAt: .start) == TextPosition(line: 3, column: 2))
      #expect(textPosition(of: -5, in: buf, startingAt: .start) == .start)
    }
  }

  @Test func description() {
    #expect(TextPosition(line: 3, column: 14).description == "3:14")
  }
}

@Suite("JSONNumber")
struct JSONNumberTests {
  @Test(arguments: [
    "0", "-0", "1", "-1", "10", "123456789", "0.5", "-0.5", "1.25", "1e5", "1E5", "1e+5", "1e-5", "1.5E-10",
    "0e0", "-0.0e-0", "12345678901234567890123",
  ])
  func validLiterals(_ literal: String) {
    let n = JSONNumber(literal: literal)
    #expect(n?.literal == literal)
  }

  @Test(arguments: [
    "", "-", "+1", "01", "-01", "00", ".5", "1.", "1.e5", "1e", "1e+", "1e-", "NaN", "Infinity", "-Infinity",
    "0x1F", "1_000", " 1", "1 ", "1,5", "--1", "1..2", "١",
  ])
  func invalidLiterals(_ literal: String) {
    #expect(JSONNumber(literal: literal) == nil)
  }

  @Test func isInteger() {
    #expect(JSONNumber(literal: "-0")!.isInteger)
    #expect(JSONNumber(literal: "42")!.isInteger)
    #expect(!JSONNumber(literal: "1.0")!.isInteger)
    #expect(!JSONNumber(literal: "1e2")!.isInteger)
    #expect(!JSONNumber(literal: "1E2")!.isInteger)
  }

  @Test func int64ValueIsExactOnly() {
    #expect(JSONNumber(literal: "0")!.int64Value == 0)
    #expect(JSONNumber(literal: "-0")!.int64Value == 0)
    #expect(JSONNumber(literal: "9223372036854775807")!.int64Value == Int64.max)
    #expect(JSONNumber(literal: "-9223372036854775808")!.int64Value == Int64.min)
    #expect(JSONNumber(literal: "9223372036854775808")!.int64Value == nil)
    #expect(JSONNumber(literal: "-9223372036854775809")!.int64Value == nil)
    #expect(JSONNumber(literal: "18446744073709551616")!.int64Value == nil)
    #expect(JSONNumber(literal: "9007199254740993")!.int64Value == 9_007_199_254_740_993)
    #expect(JSONNumber(literal: "1.0")!.int64Value == nil)
    #expect(JSONNumber(literal: "1e2")!.int64Value == nil)
  }

  @Test func doubleValue() {
    #expect(JSONNumber(literal: "1.5")!.doubleValue == 1.5)
    #expect(JSONNumber(literal: "-2e3")!.doubleValue == -2000)
    #expect(JSONNumber(literal: "1e400")!.doubleValue == nil)
    #expect(JSONNumber(literal: "-1e400")!.doubleValue == nil)
    #expect(JSONNumber(literal: "1e-400")!.doubleValue == 0)
  }

  @Test func fromInt64AndEquality() {
    #expect(JSONNumber(Int64.min).literal == "-9223372036854775808")
    #expect(JSONNumber(0).literal == "0")
    #expect(JSONNumber(-17) == JSONNumber(literal: "-17"))
    // Identity is the literal: 1.0 and 1 are different numbers.
    #expect(JSONNumber(literal: "1.0") != JSONNumber(literal: "1"))
    #expect(JSONNumber(literal: "1e2")!.description == "1e2")
  }
}
