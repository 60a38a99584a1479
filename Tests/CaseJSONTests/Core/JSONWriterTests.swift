import CaseJSON
import Testing

@Suite("JSONWriter")
struct JSONWriterTests {
  typealias F = CoreJSONFixtures

  func written(_ body: (inout JSONWriter) -> Void) -> String {
    var w = JSONWriter(capacity: 16)
    body(&w)
    return String(decoding: w.bytes, as: UTF8.self)
  }

  @Test func escapesByTheFixedRule() {
    let input = "a\"b\\c\n\r\t\u{8}\u{C}\u{1}\u{1F}\u{0}\u{7F}/é\u{2028}\u{2029}😀\u{85}"
    let out = written { $0.writeString(input) }
    #expect(out == #""a\"b\\c\n\r\t\b\f\u0001\u001f\u0000"# + "\u{7F}/é" + #"\u2028\u2029"# + "😀\u{85}\"")
  }

  @Test func controlEscapesAreLowerCaseHex() {
    #expect(written { $0.writeString("\u{1B}\u{1A}\u{0B}") } == #""\u001b\u001a\u000b""#)
  }

  @Test func plainStringsAreCopiedVerbatim() {
    #expect(written { $0.writeString("") } == #""""#)
    #expect(written { $0.writeString("hello world") } == #""hello world""#)
    #expect(written { $0.writeString("日本語 e\u{301} ₂€") } == "\"日本語 e\u{301} ₂€\"")
    // Other E2-led sequences are not escaped.
    #expect(written { $0.writeString("\u{2027}\u{202A}") } == "\"\u{2027}\u{202A}\"")
  }

  @Test func nfdIsPreservedByteForByte() {
    var w = JSONWriter()
    w.writeString("e\u{301}")
    #expect(w.bytes == [0x22, 0x65, 0xCC, 0x81, 0x22])
  }

  @Test func integers() {
    #expect(written { $0.writeInt(0) } == "0")
    #expect(written { $0.writeInt(7) } == "7")
    #expect(written { $0.writeInt(-7) } == "-7")
    #expect(written { $0.writeInt(10) } == "10")
    #expect(written { $0.writeInt(1_234_567_890) } == "1234567890")
    #expect(written { $0.writeInt(Int64.max) } == "9223372036854775807")
    #expect(written { $0.writeInt(Int64.min) } == "-9223372036854775808")
  }

  @Test func scalarsAndRaw() {
    let out = written { w in
      w.writeRaw("{\"type\":")
      w.writeString("x")
      w.writeRaw(",\"n\":")
      w.writeNumber(JSONNumber(literal: "1.50E+3")!)
      w.writeRaw(",\"t\":")
      w.writeBool(true)
      w.writeRaw(",\"f\":")
      w.writeBool(false)
      w.writeRaw(",\"z\":")
      w.writeNull()
      w.writeRaw(",")
      w.writeKey("k")
      let tail: [UInt8] = Array("1}".utf8)
      tail.withUnsafeBytes { w.writeRaw($0) }
    }
    #expect(out == #"{"type":"x","n":1.50E+3,"t":true,"f":false,"z":null,"k":1}"#)
  }

  @Test func compactValueInStoredOrder() {
    let v = F.obj([
      ("z", .array([F.num("1"), .null, .bool(true), .array([]), .object(JSONObject())])),
      ("a", .string("q\"")),
      ("m", F.obj([("x", F.num("-0.5e-7"))])),
    ])
    let out = written { $0.write(v) }
    #expect(out == #"{"z":[1,null,true,[],{}],"a":"q\"","m":{"x":-0.5e-7}}"#)
  }

  @Test func drainingKeepsWorking() {
    var w = JSONWriter()
    w.write(.array([F.num("1")]))
    #expect(w.bytes == Array("[1]".utf8))
    w.bytes.removeAll(keepingCapacity: true)
    w.write(.null)
    #expect(w.bytes == Array("null".utf8))
  }

  @Test func outputIsDeterministic() {
    var rng = CoreJSONSplitMix64(seed: 7)
    let v = RandomJSON.value(&rng, depth: 0)
    var a = JSONWriter()
    var b = JSONWriter()
    a.write(v)
    b.write(v)
    #expect(a.bytes == b.bytes)
  }

  @Test(arguments: [UInt64(1), 2, 3, 42, 0xDEAD_BEEF])
  func roundTripProperty(seed: UInt64) throws {
    var rng = CoreJSONSplitMix64(seed: seed)
    for _ in 0..<300 {
      let v = RandomJSON.value(&rng, depth: 0)
      var w = JSONWriter()
      w.write(v)
      let parsed = try JSONParser().parse(w.bytes)
      #expect(parsed == v)
      // Writing the parsed value again gives the same bytes.
      var w2 = JSONWriter()
      w2.write(parsed)
      #expect(w2.bytes == w.bytes)
      if parsed != v { return }
    }
  }

  @Test func everyScalarClassRoundTrips() throws {
    // All BMP scalars except surrogates, in one string, plus a spread of astral ones.
    var scalars = String.UnicodeScalarView()
    for v in UInt32(0)...0xFFFF where !(0xD800...0xDFFF).contains(v) { scalars.append(Unicode.Scalar(v)!) }
    for v in stride(from: UInt32(0x10000), through: 0x10FFFF, by: 0x1111) { scalars.append(Unicode.Scalar(v)!) }
    let s = String(scalars)
    var w = JSONWriter()
    w.writeString(s)
    let parsed = try JSONParser().parse(w.bytes)
    #expect(parsed == .string(s))
    #expect(parsed.stringValue?.unicodeScalars.elementsEqual(s.unicodeScalars) == true)
  }
}

/// Seeded random JSON trees for property tests.
enum RandomJSON {
  static let alphabet: [Unicode.Scalar] = [
    "a", "b", "Z", "0", " ", "\"", "\\", "/", "\n", "\r", "\t", "\u{0}", "\u{1}", "\u{1F}", "\u{7F}", "\u{85}",
    "é", "e", "\u{301}", "\u{2028}", "\u{2029}", "€", "日", "😀", "\u{FEFF}", "\u{FFFF}", "\u{10FFFF}", "\u{212A}", "K",
  ]

  static func int(_ rng: inout CoreJSONSplitMix64, _ upper: Int) -> Int { Int(rng.next() % UInt64(upper)) }

  static func string(_ rng: inout CoreJSONSplitMix64) -> String {
    var s = String.UnicodeScalarView()
    let n = int(&rng, 12)
    for _ in 0..<n {
      if int(&rng, 5) == 0 {
        // Any scalar except surrogates.
        var v = UInt32(truncatingIfNeeded: rng.next() % 0x110000)
        if (0xD800...0xDFFF).contains(v) { v = 0x41 }
        s.append(Unicode.Scalar(v)!)
      } else {
        s.append(alphabet[int(&rng, alphabet.count)])
      }
    }
    return String(s)
  }

  static func number(_ rng: inout CoreJSONSplitMix64) -> JSONNumber {
    switch int(&rng, 4) {
    case 0:
      return JSONNumber(Int64(bitPattern: rng.next()))
    case 1:
      return JSONNumber(Int64(int(&rng, 2000)) - 1000)
    default:
      var lit = int(&rng, 2) == 0 ? "-" : ""
      lit += int(&rng, 3) == 0 ? "0" : String(1 + int(&rng, 9)) + String(int(&rng, 1_000_000))
      if int(&rng, 2) == 0 { lit += "." + String(int(&rng, 100_000)) }
      if int(&rng, 2) == 0 {
        lit += ["e", "E"][int(&rng, 2)] + ["", "+", "-"][int(&rng, 3)] + String(int(&rng, 290))
      }
      return JSONNumber(literal: lit)!
    }
  }

  static func value(_ rng: inout CoreJSONSplitMix64, depth: Int) -> JSONValue {
    let kind = depth >= 5 ? int(&rng, 4) : int(&rng, 6)
    switch kind {
    case 0: return .null
    case 1: return .bool(int(&rng, 2) == 0)
    case 2: return .number(number(&rng))
    case 3: return .string(string(&rng))
    case 4:
      return .array((0..<int(&rng, 5)).map { _ in value(&rng, depth: depth + 1) })
    default:
      var members: [JSONMember] = []
      var seen: Set<[UInt8]> = []
      for _ in 0..<int(&rng, 6) {
        let key = string(&rng)
        guard seen.insert(Array(key.utf8)).inserted else { continue }
        members.append(JSONMember(key: key, value: value(&rng, depth: depth + 1)))
      }
      return .object(JSONObject(members))
    }
  }
}
