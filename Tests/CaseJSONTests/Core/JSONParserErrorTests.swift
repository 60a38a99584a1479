import CaseJSON
import Testing

/// One rejected input with its exact expected location.
struct CoreJSONErrorCase: Sendable, CustomTestStringConvertible {
  var name: String
  var input: [UInt8]
  var rule: String
  var offset: Int
  var line: Int
  var column: Int
  var limits = JSONLimits()

  init(_ name: String, _ input: String, _ rule: String, _ offset: Int, _ line: Int, _ column: Int) {
    self.name = name
    self.input = Array(input.utf8)
    self.rule = rule
    self.offset = offset
    self.line = line
    self.column = column
  }

  init(_ name: String, bytes: [UInt8], _ rule: String, _ offset: Int, _ line: Int, _ column: Int) {
    self.name = name
    self.input = bytes
    self.rule = rule
    self.offset = offset
    self.line = line
    self.column = column
  }

  func with(_ edit: (inout JSONLimits) -> Void) -> CoreJSONErrorCase {
    var copy = self
    edit(&copy.limits)
    return copy
  }

  var testDescription: String { "\(name) → \(rule)" }
}

enum CoreJSONErrorCases {
  typealias C = CoreJSONErrorCase
  typealias R = JSONSyntaxError.Rule
  static let q: UInt8 = 0x22

  static let all: [C] = [
    // json.syntax
    C("missing comma in array", "[1 2]", R.syntax, 3, 1, 4),
    C("missing colon", #"{"a" 1}"#, R.syntax, 5, 1, 6),
    C("non-string key", "{1:2}", R.syntax, 1, 1, 2),
    C("single-quoted string", "['a']", R.syntax, 1, 1, 2),
    C("misspelled literal", "[tru]", R.syntax, 1, 1, 2),
    C("literal glued to letters", "truex", R.syntax, 0, 1, 1),
    C("capitalised literal", "True", R.syntax, 0, 1, 1),
    C("unexpected end in array", "[1,", R.syntax, 3, 1, 4),
    C("unclosed object", "{\"a\":1", R.syntax, 6, 1, 7),
    C("unclosed array on a later line", "[\n1,\n2", R.syntax, 6, 3, 2),
    C("leading comma", "[,1]", R.syntax, 1, 1, 2),
    C("double comma", "[1,,2]", R.syntax, 3, 1, 4),
    C("mismatched bracket", "[1}", R.syntax, 2, 1, 3),
    C("colon in array", "[1:2]", R.syntax, 2, 1, 3),
    C("vertical tab is not whitespace", "[1,\u{0B}2]", R.syntax, 3, 1, 4),
    C("form feed is not whitespace", "\u{0C}1", R.syntax, 0, 1, 1),
    C("NBSP is not whitespace", "[\u{A0}1]", R.syntax, 1, 1, 2),
    C("lone slash", "[1/2]", R.syntax, 2, 1, 3),
    C("non-ASCII outside a string", "{\"é\":é}", R.syntax, 6, 1, 6),
    C("NUL byte between tokens", "[1,\u{0}2]", R.syntax, 3, 1, 4),
    C("UTF-16LE BOM", bytes: [0xFF, 0xFE, 0x7B, 0x00, 0x7D, 0x00], R.syntax, 0, 1, 1),
    C("UTF-16BE BOM", bytes: [0xFE, 0xFF, 0x00, 0x7B, 0x00, 0x7D], R.syntax, 0, 1, 1),
    C("UTF-16LE without BOM", bytes: [0x7B, 0x00, 0x22, 0x00, 0x61, 0x00, 0x22, 0x00], R.syntax, 1, 1, 2),
    C("UTF-16LE string content", bytes: [0x22, 0x61, 0x00, 0x22], R.controlCharacter, 2, 1, 3),
    // json.unterminated-string
    C("unterminated string", "[\"abc", R.unterminatedString, 1, 1, 2),
    C("unterminated string on line 2", "{\n  \"a\": \"xyz", R.unterminatedString, 9, 2, 8),
    C("unterminated key", "{\"ab", R.unterminatedString, 1, 1, 2),
    C("backslash at end", "\"ab\\", R.unterminatedString, 0, 1, 1),
    C("escaped closing quote", #""ab\""#, R.unterminatedString, 0, 1, 1),
    C("truncated unicode escape at end", #""\u12"#, R.unterminatedString, 0, 1, 1),
    // json.invalid-escape
    C("unknown escape", #"["a\x"]"#, R.invalidEscape, 3, 1, 4),
    C("escaped apostrophe", #""\'""#, R.invalidEscape, 1, 1, 2),
    C("escaped 0", #""\0""#, R.invalidEscape, 1, 1, 2),
    C("upper-case U escape", #""\U0041""#, R.invalidEscape, 1, 1, 2),
    C("non-hex unicode escape", #""\u12G4""#, R.invalidEscape, 1, 1, 2),
    C("short unicode escape", #""\u12""#, R.invalidEscape, 1, 1, 2),
    C("escaped raw newline", "\"a\\\nb\"", R.invalidEscape, 2, 1, 3),
    // json.control-character
    C("raw tab in string", "[\"a\tb\"]", R.controlCharacter, 3, 1, 4),
    C("raw newline in string", "\"a\nb\"", R.controlCharacter, 2, 1, 3),
    C("raw CR in key", "{\"a\rb\":1}", R.controlCharacter, 3, 1, 4),
    C("raw NUL in string", "\"\u{0}\"", R.controlCharacter, 1, 1, 2),
    C("raw U+001F in string", "\"é\u{1F}\"", R.controlCharacter, 3, 1, 3),
    // json.invalid-utf8
    C("overlong slash", bytes: [q, 0xC0, 0xAF, q], R.invalidUTF8, 1, 1, 2),
    C("overlong 3-byte", bytes: [q, 0xE0, 0x80, 0xAF, q], R.invalidUTF8, 1, 1, 2),
    C("overlong 4-byte", bytes: [q, 0xF0, 0x80, 0x80, 0xAF, q], R.invalidUTF8, 1, 1, 2),
    C("UTF-8 encoded surrogate", bytes: [q, 0xED, 0xA0, 0x80, q], R.invalidUTF8, 1, 1, 2),
    C("above U+10FFFF", bytes: [q, 0xF4, 0x90, 0x80, 0x80, q], R.invalidUTF8, 1, 1, 2),
    C("F5 lead byte", bytes: [q, 0xF5, 0x80, 0x80, 0x80, q], R.invalidUTF8, 1, 1, 2),
    C("stray continuation byte", bytes: [q, 0x61, 0x80, q], R.invalidUTF8, 2, 1, 3),
    C("FF byte", bytes: [q, 0xFF, q], R.invalidUTF8, 1, 1, 2),
    C("truncated sequence before quote", bytes: [q, 0xE2, 0x82, q], R.invalidUTF8, 1, 1, 2),
    C("truncated sequence at end of input", bytes: [q, 0xF0, 0x9F, 0x98], R.invalidUTF8, 1, 1, 2),
    C("Latin-1 byte after valid text", bytes: [0x5B, q] + Array("é".utf8) + [0xE9, q, 0x5D], R.invalidUTF8, 4, 1, 4),
    // json.lone-surrogate
    C("lone high surrogate", #""\uD800""#, R.loneSurrogate, 1, 1, 2),
    C("lone low surrogate", #""\uDC00""#, R.loneSurrogate, 1, 1, 2),
    C("high then letter", #"["x\uD83Dy"]"#, R.loneSurrogate, 3, 1, 4),
    C("high then non-surrogate escape", #""\uD800\u0041""#, R.loneSurrogate, 1, 1, 2),
    C("two high surrogates", #""\uD800\uD800""#, R.loneSurrogate, 1, 1, 2),
    C("reversed pair", #""\uDE00\uD83D""#, R.loneSurrogate, 1, 1, 2),
    C("lone surrogate in key", #"{"\udfff":1}"#, R.loneSurrogate, 2, 1, 3),
    // json.duplicate-key
    C("duplicate key", #"{"a":1,"a":2}"#, R.duplicateKey, 7, 1, 8),
    C("duplicate via escape", #"{"a":1,"\u0061":2}"#, R.duplicateKey, 7, 1, 8),
    C("duplicate on line 3", "{\n\"a\": 1,\n\"a\": 2\n}", R.duplicateKey, 10, 3, 1),
    C("duplicate in nested object", #"[{"x":{"k":1,"y":2,"k":3}}]"#, R.duplicateKey, 19, 1, 20),
    C("duplicate NFD keys", "{\"e\u{301}\":1,\"e\u{301}\":2}", R.duplicateKey, 9, 1, 9),
    C("duplicate empty keys", #"{"":1,"":2}"#, R.duplicateKey, 6, 1, 7),
    // json.trailing-comma
    C("trailing comma in array", "[1,]", R.trailingComma, 2, 1, 3),
    C("trailing comma in object", #"{"a":1,}"#, R.trailingComma, 6, 1, 7),
    C("trailing comma before newline", "[1,\n]", R.trailingComma, 2, 1, 3),
    C("nested trailing comma", #"{"a":[1,2,],"b":0}"#, R.trailingComma, 9, 1, 10),
    // json.comment
    C("line comment", "// c\n1", R.comment, 0, 1, 1),
    C("block comment in array", "[1 /* c */]", R.comment, 3, 1, 4),
    C("comment after value", "{\"a\":1} // x", R.comment, 8, 1, 9),
    C("comment before key", "{/*k*/\"a\":1}", R.comment, 1, 1, 2),
    // json.invalid-number
    C("leading zero", "01", R.invalidNumber, 0, 1, 1),
    C("negative leading zero", "[-01]", R.invalidNumber, 1, 1, 2),
    C("plus sign", "[+1]", R.invalidNumber, 1, 1, 2),
    C("leading dot", ".5", R.invalidNumber, 0, 1, 1),
    C("trailing dot", "[1.]", R.invalidNumber, 1, 1, 2),
    C("dot before exponent", "1.e5", R.invalidNumber, 0, 1, 1),
    C("empty exponent", "1e", R.invalidNumber, 0, 1, 1),
    C("signed empty exponent", "[1e+]", R.invalidNumber, 1, 1, 2),
    C("NaN", "NaN", R.invalidNumber, 0, 1, 1),
    C("NaN in object", #"{"a":NaN}"#, R.invalidNumber, 5, 1, 6),
    C("Infinity", "Infinity", R.invalidNumber, 0, 1, 1),
    C("negative Infinity", "[-Infinity]", R.invalidNumber, 1, 1, 2),
    C("minus alone", "-", R.invalidNumber, 0, 1, 1),
    C("minus then space", "[- 1]", R.invalidNumber, 1, 1, 2),
    C("hex", "0x1F", R.invalidNumber, 0, 1, 1),
    C("digits glued to letters", "[1true]", R.invalidNumber, 1, 1, 2),
    // json.number-out-of-range
    C("1e400", "1e400", R.numberOutOfRange, 0, 1, 1),
    C("-1e400 in array", "[0, -1e400]", R.numberOutOfRange, 4, 1, 5),
    C("huge mantissa and exponent", "[9.9E308]", R.numberOutOfRange, 1, 1, 2),
    C("65-digit integer", String(repeating: "9", count: 65), R.numberOutOfRange, 0, 1, 1),
    C("long fraction", "0." + String(repeating: "1", count: 63), R.numberOutOfRange, 0, 1, 1),
    C("short literal limit", "[123456]", R.numberOutOfRange, 1, 1, 2).with { $0.maxNumberLength = 5 },
    // json.depth-exceeded
    C(
      "65 nested arrays", String(repeating: "[", count: 65) + String(repeating: "]", count: 65), R.depthExceeded, 64, 1,
      65),
    C(
      "65 nested objects", String(repeating: "{\"a\":", count: 64) + "{}" + String(repeating: "}", count: 64),
      R.depthExceeded, 320, 1, 321),
    C("small depth limit", "[[[1]]]", R.depthExceeded, 2, 1, 3).with { $0.maxDepth = 2 },
    C("depth limit 0", "[]", R.depthExceeded, 0, 1, 1).with { $0.maxDepth = 0 },
    // json.trailing-data
    C("second value", "{} x", R.trailingData, 3, 1, 4),
    C("two numbers", "1 2", R.trailingData, 2, 1, 3),
    C("concatenated objects", "{}{}", R.trailingData, 2, 1, 3),
    C("NUL after value", "\"a\"\u{0}", R.trailingData, 3, 1, 4),
    C("JSON Lines in one buffer", "{\"a\":1}\n{\"a\":2}\n", R.trailingData, 8, 2, 1),
    C("closing bracket too many", "[1]]", R.trailingData, 3, 1, 4),
    // json.empty
    C("empty input", "", R.empty, 0, 1, 1),
    C("whitespace only", "  \r\n\t", R.empty, 0, 1, 1),
    // json.too-large
    C("document over limit", "[1,2,3,4]", R.tooLarge, 0, 1, 1).with { $0.maxDocumentBytes = 8 },
    C("string over limit", "[\"abcde\"]", R.tooLarge, 1, 1, 2).with { $0.maxStringBytes = 4 },
    C("key over limit", "{\"abcde\":1}", R.tooLarge, 1, 1, 2).with { $0.maxStringBytes = 4 },
    C("escaped string over limit", #"["\n\n\n"]"#, R.tooLarge, 1, 1, 2).with { $0.maxStringBytes = 4 },
    C("unterminated long string", "[\"abcdefgh", R.tooLarge, 1, 1, 2).with { $0.maxStringBytes = 4 },
    // json.bom
    C("UTF-8 BOM", bytes: [0xEF, 0xBB, 0xBF, 0x7B, 0x7D], R.bom, 0, 1, 1),
    C("BOM before a line of JSON Lines", bytes: [0xEF, 0xBB, 0xBF] + Array("{\"a\":1}".utf8), R.bom, 0, 1, 1),
    C("BOM between tokens", bytes: [0x5B, 0xEF, 0xBB, 0xBF, 0x5D], R.bom, 1, 1, 2),
  ]
}

@Suite("JSONParser rejects")
struct JSONParserErrorTests {
  typealias F = CoreJSONFixtures
  typealias R = JSONSyntaxError.Rule

  @Test(arguments: CoreJSONErrorCases.all)
  func rejectsWithExactLocation(_ c: CoreJSONErrorCase) throws {
    let error = try #require(F.parseError(c.input, limits: c.limits))
    #expect(error.rule == c.rule)
    #expect(error.byteOffset == c.offset)
    #expect(error.line == c.line)
    #expect(error.column == c.column)
  }

  @Test func everyRuleIsCovered() {
    let produced = Set(CoreJSONErrorCases.all.map(\.rule))
    #expect(produced == Set(R.all))
    #expect(R.all.count == 16)
    #expect(Set(R.all).count == 16)
  }

  @Test func locationIsRelativeToTheStartingPosition() throws {
    let error = try #require(F.parseError(F.bytes("[1,\n2,]"), at: TextPosition(line: 10, column: 5)))
    #expect(error.rule == R.trailingComma)
    #expect(error.byteOffset == 5)  // buffer-relative
    #expect(error.line == 11)
    #expect(error.column == 2)
    let first = try #require(F.parseError(F.bytes("[1,]"), at: TextPosition(line: 10, column: 5)))
    #expect(first.line == 10)
    #expect(first.column == 7)
  }

  @Test func descriptionFormatAndNoInputContent() throws {
    let secret = "CANARY-4242"
    let inputs = [
      "{\"\(secret)\":1,\"\(secret)\":2}", "[\"\(secret)\" \"\(secret)\"]", "\"\(secret)\\q\"", "\"\(secret)",
      "[\(secret)]", "{\"a\":\"\(secret)\"} \(secret)", "\"\(secret)\u{1}\"",
    ]
    for input in inputs {
      let error = try #require(F.parseError(input))
      #expect(!error.message.contains("CANARY"))
      #expect(!error.description.contains("CANARY"))
    }
    let e = try #require(F.parseError("[1,]"))
    #expect(e.description == "1:3: error: \(e.message) [json.trailing-comma]")
  }

  @Test func hundredThousandNestedBracketsFailFast() throws {
    let input = [UInt8](repeating: 0x5B, count: 100_000)
    let error = try #require(F.parseError(input))
    #expect(error.rule == R.depthExceeded)
    #expect(error.byteOffset == 64)
    #expect(error.column == 65)
    // Mixed objects and arrays.
    let mixed = F.bytes(String(repeating: "[{\"a\":", count: 50_000))
    let e2 = try #require(F.parseError(mixed))
    #expect(e2.rule == R.depthExceeded)
    #expect(e2.byteOffset == 32 * 6)
  }

  @Test func fiftyMegabyteRunOfBrackets() throws {
    let input = [UInt8](repeating: 0x5B, count: 50 << 20)
    // Default limits: the buffer itself is too large, rejected before any scanning.
    let tooLarge = try #require(F.parseError(input))
    #expect(tooLarge.rule == R.tooLarge)
    #expect(tooLarge.byteOffset == 0)
    // With the document limit raised, depth stops it at the 65th bracket.
    var limits = JSONLimits()
    limits.maxDocumentBytes = 64 << 20
    let deep = try #require(F.parseError(input, limits: limits))
    #expect(deep.rule == R.depthExceeded)
    #expect(deep.byteOffset == 64)
  }

  @Test func hugeObjectWithLateDuplicateKey() throws {
    var s = "{"
    for k in 0..<2_000 { s += "\"k\(k)\":0," }
    let offset = s.utf8.count
    s += "\"k1234\":1}"
    let error = try #require(F.parseError(s))
    #expect(error.rule == R.duplicateKey)
    #expect(error.byteOffset == offset)
  }

  @Test func duplicateDetectionIsPerObject() {
    // The same key in sibling and nested objects is fine.
    #expect(F.value(#"[{"a":1},{"a":2},{"a":{"a":3}}]"#) != nil)
    #expect(F.value(#"{"a":{"a":{"a":1}},"b":{"a":2}}"#) != nil)
  }

  @Test func hostileLongRunsAreLinear() throws {
    // Long runs that a careless parser handles quadratically or recursively.
    let digits = [UInt8](repeating: 0x31, count: 5 << 20)
    #expect(F.parseError(digits)?.rule == R.numberOutOfRange)
    let quotes = [0x5B] + [UInt8](repeating: 0x22, count: 4 << 20)
    #expect(F.parseError(quotes)?.rule == R.syntax)
    let commas = F.bytes("[1") + [UInt8](repeating: 0x2C, count: 4 << 20)
    #expect(F.parseError(commas)?.rule == R.syntax)
    let backslashes = [0x22] + [UInt8](repeating: 0x5C, count: 1 << 19) + [0x22]
    #expect(F.parseError(backslashes) == nil)
    let tooManyBackslashes = [0x22] + [UInt8](repeating: 0x5C, count: 4 << 20) + [0x22]
    #expect(F.parseError(tooManyBackslashes)?.rule == R.tooLarge)
  }
}
