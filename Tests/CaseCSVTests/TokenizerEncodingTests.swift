import CaseCSV
import CaseInterchange
import Testing

@Suite("CSV tokenizer: encodings and BOMs")
struct TokenizerEncodingTests {
  @Test("Windows-1252: smart quotes, euro, ellipsis, en dash; offsets stay in original bytes")
  func windows1252Values() {
    let bytes: [UInt8] =
      Array("id,note,x\r\n1,".utf8) + [0x93] + Array("quoted".utf8) + [0x94, 0x20, 0x80, 0x20, 0x35, 0x85]
      + Array(",\"".utf8) + [0x96, 0x22, 0x22, 0x9F] + Array("\"\r\n".utf8)
    let t = tokenize(bytes, dialect: dialect { $0.encoding = .windows1252 })
    #expect(t.error == nil)
    #expect(t.values == [["1", "\u{201C}quoted\u{201D} \u{20AC} 5\u{2026}", "\u{2013}\"\u{0178}"]])
    let f = t.rows[0].fields
    #expect(f[1].byteOffset == 13 && f[1].byteLength == 13 && f[1].column == 3)
    #expect(f[2].byteOffset == 27 && f[2].byteLength == 6 && f[2].column == 17)
  }

  @Test("Latin-1: identity mapping; 0x85 is NEL, which is data, not a line break")
  func latin1() {
    let bytes: [UInt8] = Array("id,name\n1,caf".utf8) + [0xE9, 0x20, 0x85, 0x41] + Array("\n2,".utf8) + [0xFF] + [0x0A]
    let t = tokenize(bytes, dialect: dialect { $0.encoding = .latin1 })
    #expect(t.encoding == .latin1)
    #expect(t.values == [["1", "caf\u{E9} \u{85}A"], ["2", "\u{FF}"]])
    #expect(t.rows[1].line == 3)
  }

  static let sample = "id,name,note\r\n1,M\u{FC}ller \u{1F600},\"a,\"\"b\"\"\r\nc\"\r\n2,\u{12C}\u{A2C}x,ok"

  @Test("UTF-16 LE and BE with BOM", arguments: [false, true])
  func utf16WithBOM(_ bigEndian: Bool) {
    let bytes = utf16Bytes(Self.sample, bigEndian: bigEndian, bom: true)
    for chunk in [1, 3, 1 << 20] {
      let t = tokenize(bytes, chunkSize: chunk)
      #expect(t.error == nil)
      #expect(t.encoding == (bigEndian ? .utf16BE : .utf16LE))
      #expect(t.events.first == .bom(byteLength: 2))
      #expect(t.headerNames == ["id", "name", "note"])
      #expect(t.values == [["1", "M\u{FC}ller \u{1F600}", "a,\"b\"\r\nc"], ["2", "\u{12C}\u{A2C}x", "ok"]])
      // Offsets and lengths are in bytes of the original encoding; columns in scalars.
      let r0 = t.rows[0]
      #expect(r0.byteOffset == 2 + 14 * 2 && r0.line == 2)
      #expect(r0.fields[1].byteOffset == r0.byteOffset + 4 && r0.fields[1].byteLength == 9 * 2)
      #expect(r0.fields.map(\.column) == [1, 3, 12])
      #expect(t.rows[1].line == 4 && t.rows[1].fields.map(\.column) == [1, 3, 7])
      expectTiling(t.events, count: bytes.count)
    }
  }

  @Test("BOM-less UTF-16 only when declared", arguments: [false, true])
  func utf16WithoutBOM(_ bigEndian: Bool) {
    let bytes = utf16Bytes(Self.sample, bigEndian: bigEndian, bom: false)
    let t = tokenize(bytes, dialect: dialect { $0.encoding = bigEndian ? .utf16BE : .utf16LE })
    #expect(t.events.first.map { if case .bom = $0 { false } else { true } } == true)
    #expect(t.values == [["1", "M\u{FC}ller \u{1F600}", "a,\"b\"\r\nc"], ["2", "\u{12C}\u{A2C}x", "ok"]])
    #expect(t.header?.byteOffset == 0)
    expectTiling(t.events, count: bytes.count)
    // Undeclared, it is read as UTF-8 and its NUL bytes reject it.
    #expect(tokenize(bytes).error?.rule == "csv.nul")
  }

  @Test("a declared UTF-16 whose BOM agrees is fine; the BOM is still reported")
  func declaredUTF16WithBOM() {
    let bytes = utf16Bytes("a,b\n1,2\n", bigEndian: false, bom: true)
    let t = tokenize(bytes, dialect: dialect { $0.encoding = .utf16LE })
    #expect(t.events.first == .bom(byteLength: 2))
    #expect(t.values == [["1", "2"]])
  }

  @Test("UTF-8 BOM is stripped before the header and reported")
  func utf8BOM() {
    let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("record_id,name\r\n1,Testy McTestface\r\n".utf8)
    for chunk in [1, 2, 1 << 20] {
      let t = tokenize(bytes, chunkSize: chunk)
      #expect(t.events.first == .bom(byteLength: 3))
      #expect(t.headerNames == ["record_id", "name"])
      #expect(t.header?.byteOffset == 3 && t.header?.fields.first?.column == 1)
      #expect(t.rows.first?.fields[1].column == 3)
      #expect(t.encoding == .utf8)
      expectTiling(t.events, count: bytes.count)
    }
    // A declared UTF-8 agrees with the BOM.
    #expect(tokenize(bytes, dialect: dialect { $0.encoding = .utf8 }).headerNames == ["record_id", "name"])
    // A BOM later in the input is data.
    let inner = tokenize(Array("a\n".utf8) + [0xEF, 0xBB, 0xBF] + Array("x\n".utf8))
    #expect(inner.values == [["\u{FEFF}x"]])
  }

  @Test("encoding names")
  func names() {
    #expect(TextEncoding.named("UTF-8") == .utf8)
    #expect(TextEncoding.named("utf8") == .utf8)
    #expect(TextEncoding.named("cp1252") == .windows1252)
    #expect(TextEncoding.named("Windows-1252") == .windows1252)
    #expect(TextEncoding.named("latin-1") == .latin1)
    #expect(TextEncoding.named("ISO-8859-1") == .latin1)
    #expect(TextEncoding.named("utf-16le") == .utf16LE)
    #expect(TextEncoding.named("UTF-16BE") == .utf16BE)
    #expect(TextEncoding.named("utf-16") == nil)
    #expect(TextEncoding.named("ebcdic") == nil)
    #expect(TextEncoding.named(" utf-8") == nil)
    for e in TextEncoding.allCases { #expect(TextEncoding.named(e.rawValue) == e) }
  }
}
