import CaseJSON
import Testing

@Suite("JSONDocumentSplitter")
struct JSONDocumentSplitterTests {
  typealias F = CoreJSONFixtures
  typealias R = JSONSyntaxError.Rule

  static let bundle = """
    {"casebridgeVersion":"1.0",
     "meta": {"n": [1, 2, {"x": "é\\u00e9"}], "s": "a/b"},
     "entities": [
       {"id": 1, "name": "Zoë 😀", "esc": "a\\"b\\\\c\\u00e9\\ud83d\\ude00"},
       {"id": 2, "tags": ["a", "b]", "{"]},
       3, -4.5e-3, "str,]}", null, true, false, [1, [2, {}]],
       {"id": 4},\r
       {}
     ],
     "count": 13, "flag": false, "nothing": null, "list": [1,2]
    }

    """

  static let chunkSizes = [1, 2, 3, 7, 64, 0]

  func byteOffset(of needle: String, in haystack: [UInt8], from: Int = 0) -> Int {
    let n = Array(needle.utf8)
    var i = from
    while i + n.count <= haystack.count {
      if Array(haystack[i..<(i + n.count)]) == n { return i }
      i += 1
    }
    return -1
  }

  func position(of offset: Int, in bytes: [UInt8]) -> TextPosition {
    bytes.withUnsafeBytes { textPosition(of: offset, in: $0, startingAt: .start) }
  }

  @Test func bundleEventsAreExact() throws {
    let input = F.bytes(Self.bundle)
    let events = try F.split(input, chunkSize: 0).get()
    #expect(events.count == 1 + 1 + 1 + 11 + 1 + 4)

    // Members: the span is the value's bytes.
    guard case .member(let k0, let v0, let o0, let l0, let p0) = events[0] else {
      Issue.record("expected a member")
      return
    }
    #expect(k0 == "casebridgeVersion")
    #expect(v0 == .string("1.0"))
    #expect(o0 == 21)
    #expect(l0 == 5)
    #expect(p0 == TextPosition(line: 1, column: 22))

    guard case .member(let k1, let v1, let o1, let l1, let p1) = events[1] else {
      Issue.record("expected a member")
      return
    }
    #expect(k1 == "meta")
    #expect(v1.objectValue?["s"] == .string("a/b"))
    #expect(v1.objectValue?["n"]?.arrayValue?[2].objectValue?["x"] == .string("éé"))
    #expect(Array(input[o1..<(o1 + l1)]) == F.bytes(#"{"n": [1, 2, {"x": "é\u00e9"}], "s": "a/b"}"#))
    #expect(p1 == position(of: o1, in: input))
    #expect(p1.line == 2)

    guard case .arrayStart(let ak, let ao, let ap) = events[2] else {
      Issue.record("expected arrayStart")
      return
    }
    #expect(ak == "entities")
    #expect(input[ao] == 0x5B)
    #expect(ap == position(of: ao, in: input))

    let expectedValues: [JSONValue] = [
      F.obj([("id", F.num("1")), ("name", .string("Zoë 😀")), ("esc", .string("a\"b\\cé😀"))]),
      F.obj([("id", F.num("2")), ("tags", .array([.string("a"), .string("b]"), .string("{")]))]),
      F.num("3"), F.num("-4.5e-3"), .string("str,]}"), .null, .bool(true), .bool(false),
      .array([F.num("1"), .array([F.num("2"), .object(JSONObject())])]),
      F.obj([("id", F.num("4"))]),
      .object(JSONObject()),
    ]
    var searchFrom = ao
    for (k, expected) in expectedValues.enumerated() {
      guard case .element(let index, let bytes, let offset, let pos, let result) = events[3 + k] else {
        Issue.record("expected element \(k)")
        return
      }
      #expect(index == k)
      #expect(try result.get() == expected)
      // The bytes are exactly the input slice, and the slice starts where the event says.
      #expect(Array(input[offset..<(offset + bytes.count)]) == bytes)
      #expect(pos == position(of: offset, in: input))
      // The element is the re-written value up to insignificant whitespace: check by reparsing.
      #expect(try JSONParser().parse(bytes) == expected)
      #expect(offset > searchFrom)
      searchFrom = offset
    }
    #expect(events[14] == .arrayEnd(key: "entities", count: 11))
    guard case .member("count", F.num("13"), _, 2, _) = events[15] else {
      Issue.record("expected count member")
      return
    }
    guard case .member("list", .array([F.num("1"), F.num("2")]), _, 5, _) = events[18] else {
      Issue.record("expected list member (not streamed)")
      return
    }
  }

  @Test(arguments: chunkSizes)
  func chunkingDoesNotChangeEvents(chunkSize: Int) throws {
    let input = F.bytes(Self.bundle)
    let whole = try F.split(input, chunkSize: 0).get()
    let chunked = try F.split(input, chunkSize: chunkSize).get()
    #expect(chunked == whole)
  }

  @Test(arguments: chunkSizes)
  func elementFailuresAreIsolated(chunkSize: Int) throws {
    let doc = """
      {"entities": [
        {"id": 0},
        {"id": 1},
        {"id": 2, "id": 2},
        {"id": 3, "s": "\\ud800"},
        {"id": 4, "n": 01},
        {"id": 5, "t": "a\tb"},
        {"id": 6}
      ]}
      """
    let input = F.bytes(doc)
    let events = try F.split(input, chunkSize: chunkSize).get()
    #expect(events.count == 9)
    var failures: [Int: JSONSyntaxError] = [:]
    for event in events {
      guard case .element(let index, _, _, _, let result) = event else { continue }
      switch result {
      case .success(let v): #expect(v.objectValue?["id"] == F.num(String(index)))
      case .failure(let e): failures[index] = e
      }
    }
    #expect(Set(failures.keys) == [2, 3, 4, 5])
    // Locations are absolute in the stream.
    let dup = try #require(failures[2])
    #expect(dup.rule == R.duplicateKey)
    #expect(dup.byteOffset == byteOffset(of: "\"id\": 2}", in: input))
    #expect(dup.line == 4)
    #expect(dup.column == 13)
    let lone = try #require(failures[3])
    #expect(lone.rule == R.loneSurrogate)
    #expect(lone.byteOffset == byteOffset(of: "\\ud800", in: input))
    #expect(lone.line == 5)
    #expect(lone.column == 19)
    #expect(failures[4]?.rule == R.invalidNumber)
    #expect(failures[4]?.line == 6)
    #expect(failures[5]?.rule == R.controlCharacter)
    #expect(failures[5]?.byteOffset == byteOffset(of: "\t", in: input))
    #expect(events.last == .arrayEnd(key: "entities", count: 7))
  }

  @Test func moreElementLevelFailures() throws {
    let q: UInt8 = 0x22
    var input = F.bytes(#"{"entities":[1,"#)
    input += [q, 0xC0, 0xAF, q]  // overlong UTF-8 inside a string element
    input += F.bytes(#",x,"\u12G4",1e400,[1,],{"a":1,},2]}"#)
    let events = try F.split(input, chunkSize: 1).get()
    let rules: [String?] = events.compactMap { event in
      guard case .element(_, _, _, _, let result) = event else { return nil }
      if case .failure(let e) = result { return e.rule }
      return "ok"
    }
    #expect(
      rules == [
        "ok", R.invalidUTF8, R.syntax, R.invalidEscape, R.numberOutOfRange, R.trailingComma, R.trailingComma, "ok",
      ])
  }

  @Test func keyOffsetsInsideElementsLocateFields() throws {
    let input = F.bytes("{\"entities\": [\n  {\"a\": 1,\n   \"bad\": 2}\n]}")
    let events = try F.split(input, chunkSize: 3).get()
    guard case .element(_, let bytes, let offset, let pos, .success(let v)) = events[1] else {
      Issue.record("expected a parsed element")
      return
    }
    let member = try #require(v.objectValue?.member("bad"))
    let fieldPos = bytes.withUnsafeBytes { textPosition(of: member.keyOffset, in: $0, startingAt: pos) }
    #expect(fieldPos == TextPosition(line: 3, column: 4))
    #expect(offset + member.keyOffset == byteOffset(of: "\"bad\"", in: input))
  }

  @Test func emptyStreamedArrayAndNonArrayStreamedKey() throws {
    let events = try F.split(F.bytes(#"{"entities":[],"other":[ ]}"#), chunkSize: 0, keys: ["entities", "other"]).get()
    #expect(
      events == [
        .arrayStart(key: "entities", byteOffset: 12, position: TextPosition(line: 1, column: 13)),
        .arrayEnd(key: "entities", count: 0),
        .arrayStart(key: "other", byteOffset: 23, position: TextPosition(line: 1, column: 24)),
        .arrayEnd(key: "other", count: 0),
      ])
    let plain = try F.split(F.bytes(#"{"entities":{"a":1}}"#), chunkSize: 0).get()
    #expect(
      plain == [
        .member(
          key: "entities", value: F.obj([("a", F.num("1"))]), byteOffset: 12, byteLength: 7,
          position: TextPosition(line: 1, column: 13))
      ])
    #expect(try F.split(F.bytes("  {}  \n"), chunkSize: 1).get() == [])
  }

  @Test func streamedKeysMatchByExactScalars() throws {
    // "\u{212A}" (Kelvin) == "K" for Swift Strings, but must not select the streamed key "K".
    let events = try F.split(F.bytes("{\"\u{212A}\":[1],\"K\":[2]}"), chunkSize: 0, keys: ["K"]).get()
    #expect(events.count == 4)
    guard case .member(let key, _, _, _, _) = events[0] else {
      Issue.record("expected the Kelvin key as a plain member")
      return
    }
    #expect(key == "\u{212A}")
    #expect(events[1] == .arrayStart(key: "K", byteOffset: 15, position: TextPosition(line: 1, column: 14)))
  }

  @Test func nfcAndNfdTopLevelKeysAreNotDuplicates() throws {
    let events = try F.split(F.bytes("{\"\u{E9}\":1,\"e\u{301}\":2}"), chunkSize: 1).get()
    #expect(events.count == 2)
  }

  // MARK: Structural errors (thrown)

  struct StructuralCase: Sendable, CustomTestStringConvertible {
    var name: String
    var input: [UInt8]
    var rule: String
    var offset: Int
    var line: Int
    var column: Int
    var maxElementBytes = 16 << 20
    var maxDepth = 64
    var testDescription: String { name }

    init(_ name: String, _ input: String, _ rule: String, _ offset: Int, _ line: Int, _ column: Int) {
      self.init(name, bytes: Array(input.utf8), rule, offset, line, column)
    }

    init(_ name: String, bytes: [UInt8], _ rule: String, _ offset: Int, _ line: Int, _ column: Int) {
      self.name = name
      self.input = bytes
      self.rule = rule
      self.offset = offset
      self.line = line
      self.column = column
    }
  }

  static let structural: [StructuralCase] = {
    typealias S = StructuralCase
    var cases: [S] = [
      S("mismatched bracket in element", #"{"entities":[{"a":[1}]}"#, R.syntax, 20, 1, 21),
      S("unbalanced at end", #"{"entities":[{"a":1}"#, R.syntax, 20, 1, 21),
      S("unclosed element at end", "{\"entities\":[\n{\"a\":1", R.syntax, 20, 2, 7),
      S("unterminated string in element", "{\"entities\":[\n{\"a\":\"xyz", R.unterminatedString, 19, 2, 6),
      S("unterminated escaped string", #"{"entities":["ab\"]}"#, R.unterminatedString, 13, 1, 14),
      S("unterminated key", #"{"ab"#, R.unterminatedString, 1, 1, 2),
      S("missing comma between elements", #"{"entities":[1 2]}"#, R.syntax, 15, 1, 16),
      S("missing comma between objects", #"{"entities":[{} {}]}"#, R.syntax, 16, 1, 17),
      S("missing comma between members", #"{"a":1 "b":2}"#, R.syntax, 7, 1, 8),
      S("bad bytes between elements", #"{"entities":[{"a":1} @ {"b":2}]}"#, R.syntax, 21, 1, 22),
      S("trailing comma in streamed array", "{\"entities\":[1,\n2,\n]}", R.trailingComma, 17, 2, 2),
      S("trailing comma in top object", #"{"a":1,}"#, R.trailingComma, 6, 1, 7),
      S("leading comma in streamed array", #"{"entities":[,1]}"#, R.syntax, 13, 1, 14),
      S("double comma in streamed array", #"{"entities":[1,,2]}"#, R.syntax, 15, 1, 16),
      S("trailing data", #"{"a":1} x"#, R.trailingData, 8, 1, 9),
      S("second document", "{\"a\":1}\n{}", R.trailingData, 8, 2, 1),
      S("trailing comment", #"{"a":1} //"#, R.comment, 8, 1, 9),
      S("comment between elements", #"{"entities":[1,/*x*/2]}"#, R.comment, 15, 1, 16),
      S("comment inside element", #"{"entities":[{"a":1/*}*/}]}"#, R.comment, 19, 1, 20),
      S("comment before first key", "{// k\n\"a\":1}", R.comment, 1, 1, 2),
      S("lone slash between tokens", #"{"a":1/}"#, R.syntax, 6, 1, 7),
      S("duplicate top-level key", "{\"a\":1,\n \"a\":2}", R.duplicateKey, 9, 2, 2),
      S("duplicate streamed key", #"{"entities":[],"entities":[]}"#, R.duplicateKey, 15, 1, 16),
      S("depth in element", #"{"entities":[[[[1]]]]}"#, R.depthExceeded, 15, 1, 16),
      S("depth in member value", #"{"m":{"a":{"b":{"c":[]}}}}"#, R.depthExceeded, 20, 1, 21),
      S("element too large", #"{"entities":[1,"0123456789abcdef",2]}"#, R.tooLarge, 15, 1, 16),
      S("scalar element too large", #"{"entities":[12345678901234567]}"#, R.tooLarge, 13, 1, 14),
      S("member value too large", #"{"m":[1,2,3,4,5,6,7,8,9]}"#, R.tooLarge, 5, 1, 6),
      S("key too large", #"{"0123456789abcdefghij":1}"#, R.tooLarge, 1, 1, 2),
      S("top level is an array", "[1]", R.syntax, 0, 1, 1),
      S("top level is a string", " \"x\"", R.syntax, 1, 1, 2),
      S("empty input", "", R.empty, 0, 1, 1),
      S("whitespace only", " \r\n ", R.empty, 0, 1, 1),
      S("BOM rejected", bytes: [0xEF, 0xBB, 0xBF] + Array("{}".utf8), R.bom, 0, 1, 1),
      S("partial BOM", bytes: [0xEF, 0xBB, 0x7B, 0x7D], R.syntax, 0, 1, 1),
      S("invalid member value", #"{"a":tru}"#, R.syntax, 5, 1, 6),
      S("duplicate inside member value", #"{"a":{"b":1,"b":2}}"#, R.duplicateKey, 12, 1, 13),
      S("lone surrogate in top-level key", "{\"x\":0,\n\"\\uD800\":1}", R.loneSurrogate, 9, 2, 2),
      S("control character in key", "{\"a\u{1}\":1}", R.controlCharacter, 3, 1, 4),
      S("invalid UTF-8 in key", bytes: [0x7B, 0x22, 0xFF, 0x22, 0x3A, 0x31, 0x7D], R.invalidUTF8, 2, 1, 3),
      S("missing colon", #"{"a" 1}"#, R.syntax, 5, 1, 6),
      S("value missing", #"{"a":}"#, R.syntax, 5, 1, 6),
      S("non-string key", "{a:1}", R.syntax, 1, 1, 2),
      S("end after colon", #"{"entities":"#, R.syntax, 12, 1, 13),
    ]
    for k in cases.indices {
      switch cases[k].name {
      case "element too large", "scalar element too large", "member value too large", "key too large":
        cases[k].maxElementBytes = 16
      case "depth in element", "depth in member value":
        cases[k].maxDepth = 4
      default: break
      }
    }
    return cases
  }()

  @Test(arguments: structural)
  func structuralErrorsAreThrownWithExactLocations(_ c: StructuralCase) throws {
    var limits = JSONLimits()
    limits.maxElementBytes = c.maxElementBytes
    limits.maxDepth = c.maxDepth
    if c.name == "key too large" { limits.maxStringBytes = 16 }
    for chunkSize in [0, 1, 2, 5] {
      let error = try #require(F.splitError(c.input, chunkSize: chunkSize, limits: limits), "chunk size \(chunkSize)")
      #expect(error.rule == c.rule, "chunk size \(chunkSize)")
      #expect(error.byteOffset == c.offset, "chunk size \(chunkSize)")
      #expect(error.line == c.line, "chunk size \(chunkSize)")
      #expect(error.column == c.column, "chunk size \(chunkSize)")
    }
  }

  @Test func elementsExactlyAtTheSizeLimitAreAccepted() throws {
    var limits = JSONLimits()
    limits.maxElementBytes = 16
    let input = F.bytes(#"{"entities":["0123456789abcd",1234567890123456,[1,2,3,4,5,6,78]]}"#)
    for chunkSize in [0, 1, 3] {
      let events = try F.split(input, chunkSize: chunkSize, limits: limits).get()
      #expect(events.count == 5, "chunk size \(chunkSize)")
    }
  }

  @Test func depthExactlyAtTheLimit() throws {
    var limits = JSONLimits()
    limits.maxDepth = 4
    // object(1) > entities array(2) > [ (3) > [ (4)
    let events = try F.split(F.bytes(#"{"entities":[[[1]]],"m":{"a":{"b":{}}}}"#), chunkSize: 1, limits: limits).get()
    #expect(events.count == 4)
  }

  @Test func fiftyMegabyteRunOfBracketsFailsAtTheLimit() throws {
    var splitter = JSONDocumentSplitter(streamedArrayKeys: ["entities"])
    let head = F.bytes(#"{"entities":"#)
    #expect(try splitter.feed(head).isEmpty)
    let run = [UInt8](repeating: 0x5B, count: 50 << 20)
    var thrown: JSONSyntaxError?
    do {
      _ = try splitter.feed(run)
    } catch {
      thrown = error
    }
    let error = try #require(thrown)
    #expect(error.rule == R.depthExceeded)
    // '{' is depth 1, the streamed array 2, so the 63rd '[' of the run is depth 65.
    #expect(error.byteOffset == head.count + 63)
    // A non-streamed member with the same run.
    var other = JSONDocumentSplitter(streamedArrayKeys: [])
    _ = try other.feed(head)
    do {
      _ = try other.feed(run)
      Issue.record("expected a throw")
    } catch {
      #expect(error.rule == R.depthExceeded)
      #expect(error.byteOffset == head.count + 63)
    }
  }

  @Test func hundredThousandNestedBracketsInAnElement() throws {
    let input = F.bytes(#"{"entities":[1,"#) + [UInt8](repeating: 0x5B, count: 100_000)
    let error = try #require(F.splitError(input, chunkSize: 4096))
    #expect(error.rule == R.depthExceeded)
    #expect(error.byteOffset == 15 + 62)
  }

  @Test func oversizedElementIsRejectedWhileStreaming() throws {
    // One element far larger than the limit, fed in chunks: rejected once the limit is crossed,
    // without waiting for the element to end.
    var limits = JSONLimits()
    limits.maxElementBytes = 1 << 16
    var splitter = JSONDocumentSplitter(streamedArrayKeys: ["entities"], limits: limits)
    _ = try splitter.feed(F.bytes(#"{"entities":[{"a":1},"#))
    _ = try splitter.feed(F.bytes(#"{"big":""#))
    let chunk = [UInt8](repeating: 0x61, count: 4096)
    var fed = 0
    var thrown: JSONSyntaxError?
    while fed < 1 << 20 {
      do {
        _ = try splitter.feed(chunk)
      } catch {
        thrown = error
        break
      }
      fed += chunk.count
    }
    let error = try #require(thrown)
    #expect(error.rule == R.tooLarge)
    #expect(error.byteOffset == 21)
    #expect(fed < 1 << 17)
  }

  @Test func manyElementsStreamInSmallMemory() throws {
    // 20,000 elements through 64 KiB chunks; every element parsed and counted.
    var doc = F.bytes(#"{"casebridgeVersion":"1.0","entities":["#)
    for k in 0..<20_000 {
      if k > 0 { doc.append(0x2C) }
      doc += F.bytes(#"{"id":\#(k),"name":"n\#(k)","tags":["x","y"]}"#)
    }
    doc += F.bytes("]}")
    var splitter = JSONDocumentSplitter(streamedArrayKeys: ["entities"])
    var count = 0
    var start = 0
    while start < doc.count {
      let end = min(doc.count, start + (64 << 10))
      for event in try splitter.feed(Array(doc[start..<end])) {
        if case .element(let index, _, _, _, .success(let v)) = event {
          #expect(v.objectValue?["id"] == F.num(String(index)))
          count += 1
        }
      }
      start = end
    }
    #expect(try splitter.finish().isEmpty)
    #expect(count == 20_000)
  }

  @Test func allowedBOMIsSkippedButCountedInOffsets() throws {
    let input: [UInt8] = [0xEF, 0xBB, 0xBF] + F.bytes("{\"a\":1,\n\"entities\":[2]}")
    for chunkSize in [0, 1, 2] {
      let events = try F.split(input, chunkSize: chunkSize, allowsLeadingBOM: true).get()
      #expect(
        events == [
          .member(
            key: "a", value: F.num("1"), byteOffset: 8, byteLength: 1, position: TextPosition(line: 1, column: 6)),
          .arrayStart(key: "entities", byteOffset: 22, position: TextPosition(line: 2, column: 12)),
          .element(
            index: 0, bytes: [0x32], byteOffset: 23, position: TextPosition(line: 2, column: 13),
            result: .success(F.num("2"))),
          .arrayEnd(key: "entities", count: 1),
        ], "chunk size \(chunkSize)")
    }
    // Only at byte 0.
    let late = F.bytes(" ") + [0xEF, 0xBB, 0xBF] + F.bytes("{}")
    #expect(F.splitError(late, allowsLeadingBOM: true)?.rule == R.syntax)
    // A BOM alone is an empty document.
    #expect(F.splitError([0xEF, 0xBB, 0xBF], allowsLeadingBOM: true)?.rule == R.empty)
  }

  @Test func errorsAreSticky() throws {
    var splitter = JSONDocumentSplitter(streamedArrayKeys: [])
    var first: JSONSyntaxError?
    do { _ = try splitter.feed(F.bytes("[")) } catch { first = error }
    let e = try #require(first)
    do {
      _ = try splitter.feed(F.bytes("{}"))
      Issue.record("expected a throw")
    } catch {
      #expect(error == e)
    }
    do {
      _ = try splitter.finish()
      Issue.record("expected a throw")
    } catch {
      #expect(error == e)
    }
  }

  @Test func emptyChunksAreHarmless() throws {
    var splitter = JSONDocumentSplitter(streamedArrayKeys: ["entities"])
    #expect(try splitter.feed([]).isEmpty)
    _ = try splitter.feed(F.bytes(#"{"entities":[1"#))
    #expect(try splitter.feed([]).isEmpty)
    let events = try splitter.feed(F.bytes("]}"))
    #expect(events.count == 2)
    #expect(try splitter.finish().isEmpty)
  }
}
