import CaseJSON
import Testing

@Suite("JSONParser accepts")
struct JSONParserAcceptTests {
  typealias F = CoreJSONFixtures

  @Test func scalarsAtTopLevel() {
    #expect(F.value("null") == .null)
    #expect(F.value("true") == .bool(true))
    #expect(F.value("false") == .bool(false))
    #expect(F.value("0") == F.num("0"))
    #expect(F.value("-12.5e+3") == F.num("-12.5e+3"))
    #expect(F.value("\"\"") == .string(""))
    #expect(F.value("[]") == .array([]))
    #expect(F.value("{}") == .object(JSONObject()))
  }

  @Test func nestedStructureKeepsOrder() throws {
    let v = try F.parse(F.bytes(#"{"z":[1,2,{"b":null}],"a":true,"m":false,"e":"x"}"#)).get()
    let expected = F.obj([
      ("z", .array([F.num("1"), F.num("2"), F.obj([("b", .null)])])),
      ("a", .bool(true)), ("m", .bool(false)), ("e", .string("x")),
    ])
    #expect(v == expected)
    #expect(v.objectValue?.keys == ["z", "a", "m", "e"])
  }

  @Test func whitespaceIncludingCRLF() {
    let v = F.value("\r\n\t {\r\n  \"a\" : [ 1 ,\t2 ]\r\n}\r\n")
    #expect(v == F.obj([("a", .array([F.num("1"), F.num("2")]))]))
  }

  @Test func jsonLinesLineWithCRLFAndNoFinalNewline() {
    // A JSON Lines reader splits on LF only; the CR left on a CRLF line is JSON whitespace.
    #expect(F.value("{\"a\":1}\r") == F.obj([("a", F.num("1"))]))
    #expect(F.value("{\"a\":1}") == F.obj([("a", F.num("1"))]))
  }

  @Test func escapes() {
    let v = F.value(#""\"\\\/\b\f\n\r\t\u0041\u00e9\u20AC\uD83D\uDE00\u0000""#)
    #expect(v == .string("\"\\/\u{8}\u{C}\n\r\tAé€😀\u{0}"))
  }

  @Test func rawNonASCIIAndLineSeparatorsInStrings() {
    // U+2028/U+2029 are legal raw in JSON strings (RFC 8259); so are all non-control scalars.
    let v = F.value("[\"a\u{2028}b\u{2029}c\", \"Zoë 😀 日本\", \"\u{7F}\", \"\u{FFFF}\", \"\u{10FFFF}\"]")
    #expect(
      v
        == .array([
          .string("a\u{2028}b\u{2029}c"), .string("Zoë 😀 日本"), .string("\u{7F}"), .string("\u{FFFF}"),
          .string("\u{10FFFF}"),
        ]))
  }

  @Test func mixedEscapesAndMultibyte() {
    #expect(F.value(#""é\n€\t😀x""#) == .string("é\n€\t😀x"))
    #expect(F.value(#""\u00e9é""#) == .string("éé"))
  }

  @Test func numbersKeepTheirExactLiteral() throws {
    let v = try F.parse(F.bytes("[12345678901234567890, 1.0, -0, 1E+2, 0.1000000000000000055511151231257827, 1e-400]"))
      .get()
    let literals = v.arrayValue?.compactMap { $0.numberValue?.literal }
    #expect(
      literals == ["12345678901234567890", "1.0", "-0", "1E+2", "0.1000000000000000055511151231257827", "1e-400"])
    #expect(v.arrayValue?[0].numberValue?.int64Value == nil)
    #expect(v.arrayValue?[1].numberValue?.int64Value == nil)
    #expect(v.arrayValue?[2].numberValue?.int64Value == 0)
  }

  @Test func nfcAndNfdKeysAreDistinct() throws {
    // "é" precomposed (U+00E9) vs "e" + U+0301: Swift's == says equal, the bytes differ.
    let nfc = "\u{E9}"
    let nfd = "e\u{301}"
    #expect(nfc == nfd)  // the trap this parser avoids
    let v = try F.parse(F.bytes("{\"\(nfc)\":1,\"\(nfd)\":2}")).get()
    let object = try #require(v.objectValue)
    #expect(object.count == 2)
    #expect(object[nfc] == F.num("1"))
    #expect(object[nfd] == F.num("2"))
    // Kelvin sign U+212A is canonically equivalent to "K" but a different key.
    let w = try F.parse(F.bytes("{\"K\":1,\"\u{212A}\":2}")).get()
    #expect(w.objectValue?.count == 2)
    #expect(w.objectValue?["\u{212A}"] == F.num("2"))
  }

  @Test func stringEqualityIsExact() {
    #expect(JSONValue.string("\u{E9}") != JSONValue.string("e\u{301}"))
    #expect(F.obj([("\u{E9}", .null)]) != F.obj([("e\u{301}", .null)]))
  }

  @Test func keyOffsetsAreBufferRelative() throws {
    let v = try F.parse(F.bytes(#"{"a":1, "bb":{"c":2}}"#)).get()
    let o = try #require(v.objectValue)
    #expect(o.member("a")?.keyOffset == 1)
    #expect(o.member("bb")?.keyOffset == 8)
    #expect(o["bb"]?.objectValue?.member("c")?.keyOffset == 14)
    // keyOffset does not take part in equality.
    #expect(JSONMember(key: "a", value: .null, keyOffset: 5) == JSONMember(key: "a", value: .null))
  }

  @Test func manyKeysUseTheHashedDuplicateCheck() throws {
    var s = "{"
    for k in 0..<5_000 { s += (k == 0 ? "" : ",") + "\"k\(k)\":\(k)" }
    s += "}"
    let v = try F.parse(F.bytes(s)).get()
    #expect(v.objectValue?.count == 5_000)
    #expect(v.objectValue?["k4999"] == F.num("4999"))
  }

  @Test func depthExactlyAtTheLimit() {
    var limits = JSONLimits()
    limits.maxDepth = 64
    let arrays = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
    #expect(F.value(arrays, limits: limits) != nil)
    let objects = String(repeating: "{\"a\":", count: 63) + "{}" + String(repeating: "}", count: 63)
    #expect(F.value(objects, limits: limits) != nil)
  }

  @Test func stringExactlyAtTheLimit() {
    var limits = JSONLimits()
    limits.maxStringBytes = 4
    #expect(F.value("\"abcd\"", limits: limits) == .string("abcd"))
    #expect(F.value("\"éé\"", limits: limits) == .string("éé"))
    #expect(F.value(#""\n\t""#, limits: limits) == .string("\n\t"))
  }

  @Test func numberExactlyAtTheLengthLimit() {
    var limits = JSONLimits()
    limits.maxNumberLength = 5
    #expect(F.value("-1234", limits: limits) == F.num("-1234"))
  }

  @Test func documentExactlyAtTheSizeLimit() {
    var limits = JSONLimits()
    limits.maxDocumentBytes = 7
    #expect(F.value("[1,2,3]", limits: limits) != nil)
  }

  @Test func bufferOverloadMatchesArrayOverload() throws {
    let bytes = F.bytes(#"{"a":[true,null]}"#)
    let a = try JSONParser().parse(bytes)
    let b = try bytes.withUnsafeBytes { buffer throws(JSONSyntaxError) in try JSONParser().parse(buffer) }
    #expect(a == b)
  }

  @Test func accessors() throws {
    let v = try F.parse(F.bytes(#"{"s":"x","n":1,"b":true,"z":null,"a":[]}"#)).get()
    let o = try #require(v.objectValue)
    #expect(o["s"]?.stringValue == "x")
    #expect(o["n"]?.numberValue?.int64Value == 1)
    #expect(o["b"]?.boolValue == true)
    #expect(o["z"]?.isNull == true)
    #expect(o["a"]?.arrayValue == [])
    #expect(o["missing"] == nil)
    #expect(o.keys == ["s", "n", "b", "z", "a"])
    #expect(v.typeName == "object")
    #expect(o["s"]?.typeName == "string")
  }
}
