import CaseCSV
import CaseInterchange
import Testing

/// Inputs that exercise every path: BOMs, quoted line breaks across chunks, errors and resynchronisation.
enum Fixtures {
  static func all() -> [(name: String, bytes: [UInt8], dialect: CSVDialect)] {
    var out: [(String, [UInt8], CSVDialect)] = []
    let d = CSVDialect()
    out.append(("plain", Array("id,name\r\n1,Testy McTestface\r\n2,\"a,\"\"b\"\"\r\nc\"\n3,x\r4,y".utf8), d))
    out.append(
      (
        "utf8 bom", [0xEF, 0xBB, 0xBF] + Array("id,n\u{FC}\n\n1,\u{1F600}\n\"\u{E9}\r\n\",\"\"\n".utf8),
        d
      ))
    out.append(("unterminated", Array("a,b\n1,\"abc\n2,def\n3,x\"\"y\n4,\"tail".utf8), d))
    out.append(("stray", Array("a,b\n1,\"x\"y,\"q\nz\"\n2,3\n".utf8), d))
    out.append(("ragged", Array("a,b\n1\n1,2,3\n,\n\n".utf8), d))
    out.append(("nul and invalid", Array("a,b\n1,x".utf8) + [0, 0xFF, 0x0A] + Array("2,\u{E9}".utf8) + [0xC3], d))
    out.append(
      (
        "record limit", Array("a,b\n1,\"abc\nde\nfghijkl\",x\n1234567890123\n3,4\n5,\"aaaaaaaaaaaaaaaaaaaa\"\n".utf8),
        dialect { $0.maxRecordBytes = 10 }
      ))
    out.append(
      (
        "field limit", Array("a,b\n1,\"abcde\"\n2,abcd\n3,\"ab\"\"\"\n".utf8), dialect { $0.maxFieldBytes = 4 }
      ))
    let sample = "id,name\r\n1,M\u{FC}ller \u{1F600}\r\n2,\"a,\"\"b\"\"\r\nc\"\r\n3,\u{12C}\u{A2C}\n4,\"open\r\n5,x"
    out.append(("utf16le bom", utf16Bytes(sample, bigEndian: false, bom: true), d))
    out.append(("utf16be bom", utf16Bytes(sample, bigEndian: true, bom: true), d))
    out.append(
      ("utf16le declared", utf16Bytes(sample, bigEndian: false, bom: false), dialect { $0.encoding = .utf16LE }))
    out.append(("utf16be odd tail", utf16Bytes(sample, bigEndian: true, bom: true) + [0x41], d))
    out.append(
      (
        "utf16 record limit", utf16Bytes("a,b\n1,\"abcdefgh\nij\",k\nlmnopqrstuvwxyz\n2,3\n", bigEndian: false, bom: true),
        dialect { $0.maxRecordBytes = 15 }
      ))
    out.append(
      (
        "cp1252", Array("a;b\r\n1;".utf8) + [0x93, 0x80, 0x94, 0x3B, 0x0D, 0x0A, 0x32, 0x3B, 0x81, 0x0A],
        dialect { $0.encoding = .windows1252; $0.delimiter = 0x3B }
      ))
    out.append(("cr only", Array("a,b\r1,2\r\r\"x\ry\",3\r".utf8), d))
    out.append(("no header", Array("1,2\n3\n\"4\",\"5\"\n".utf8), dialect { $0.hasHeader = false }))
    return out
  }
}

@Suite("CSV tokenizer: properties")
struct TokenizerPropertyTests {
  static let chunkSizes = [1, 2, 3, 7, 64, 1 << 20]

  @Test("the same input gives identical events whatever the chunk size")
  func chunking() {
    for fixture in Fixtures.all() {
      let reference = tokenize(fixture.bytes, dialect: fixture.dialect)
      #expect(reference.error == nil, "\(fixture.name)")
      #expect(!reference.events.isEmpty, "\(fixture.name)")
      expectTiling(reference.events, count: fixture.bytes.count)
      for size in Self.chunkSizes {
        let t = tokenize(fixture.bytes, dialect: fixture.dialect, chunkSize: size)
        #expect(t.events == reference.events, "\(fixture.name), chunk size \(size)")
        #expect(t.error == nil)
      }
    }
  }

  static let alphabet: [[UInt8]] = [
    [0x2C], [0x2C], [0x22], [0x22], [0x0D], [0x0A], [0x0D, 0x0A], [0x61], [0x62], [0x20], [0x3B],
    Array("\u{E9}".utf8), Array("\u{1F600}".utf8), [0x09],
  ]
  static let rare: [[UInt8]] = [[0xFF], [0x00], [0xC3], [0x27]]

  /// A random byte soup biased towards CSV's special bytes.
  static func soup(_ rng: inout SplitMix64) -> [UInt8] {
    let n = Int(rng.next() % 160)
    var out: [UInt8] = []
    for _ in 0..<n {
      if rng.next() % 50 == 0 {
        out += rare[Int(rng.next() % UInt64(rare.count))]
      } else {
        out += alphabet[Int(rng.next() % UInt64(alphabet.count))]
      }
    }
    return out
  }

  @Test("random inputs: event spans tile the input; rows survive a write/read round trip")
  func randomSpans() {
    var rng = SplitMix64(seed: 0xC5B_2024)
    var rowsChecked = 0
    var rejectedSeen = 0
    for round in 0..<400 {
      let bytes = Self.soup(&rng)
      var d = CSVDialect()
      d.hasHeader = round % 4 == 0
      if round % 5 == 0 { d.maxRecordBytes = 1 + Int(rng.next() % 24) }
      if round % 7 == 0 { d.maxFieldBytes = 1 + Int(rng.next() % 8) }
      let chunk = [1, 2, 3, 5, 8, 1 << 20][Int(rng.next() % 6)]
      let t = tokenize(bytes, dialect: d, chunkSize: chunk)
      let reference = tokenize(bytes, dialect: d)
      #expect(t.events == reference.events, "round \(round)")
      if let e = t.error {
        // Only the header rules reject an input whole.
        #expect(d.hasHeader, "round \(round): \(e.rule)")
        continue
      }
      expectTiling(t.events, count: bytes.count)
      rejectedSeen += t.rejected.count
      for row in t.rows {
        var o = CSVWriter.Options()
        o.neutraliseFormulas = false
        o.lineEnding = rng.next() % 2 == 0 ? .crlf : .lf
        var w = CSVWriter(options: o)
        w.writeRow(row.values)
        let back = tokenize(w.bytes, dialect: dialect { $0.hasHeader = false })
        #expect(back.values == [row.values], "round \(round)")
        rowsChecked += 1
      }
      for r in t.rejected { #expect(!r.diagnostics.isEmpty) }
    }
    #expect(rowsChecked > 200)
    #expect(rejectedSeen > 100)
  }

  @Test("random well-formed tables written by CSVWriter read back identically", arguments: [0x2C, 0x3B, 0x09, 0x7C] as [UInt8])
  func randomTables(_ delimiter: UInt8) {
    var rng = SplitMix64(seed: 0x5EED + UInt64(delimiter))
    let pieces = [
      "a", "Testy McTestface", ",", ";", "|", "\t", "\"", "\r", "\n", "\r\n", " ", "=1+1", "+14155550100", "-",
      "@x", "'", "\u{E9}", "e\u{301}", "\u{1F600}", "\u{202E}", "192.0.2.7", "user@example.com",
    ]
    for round in 0..<60 {
      let columns = 1 + Int(rng.next() % 6)
      var rows: [[String]] = []
      for _ in 0..<(1 + Int(rng.next() % 12)) {
        rows.append(
          (0..<columns).map { _ in
            (0..<Int(rng.next() % 4)).map { _ in pieces[Int(rng.next() % UInt64(pieces.count))] }.joined()
          })
      }
      let header = (0..<columns).map { "c\($0)" }
      var o = CSVWriter.Options()
      o.delimiter = delimiter
      o.lineEnding = round % 2 == 0 ? .crlf : .lf
      o.neutraliseFormulas = round % 3 == 0
      var w = CSVWriter(options: o)
      w.writeRow(header)
      for r in rows { w.writeRow(r) }
      let chunk = [1, 3, 64, 1 << 20][round % 4]
      let t = tokenize(w.bytes, dialect: dialect { $0.delimiter = delimiter }, chunkSize: chunk)
      #expect(t.error == nil)
      #expect(t.rejected.isEmpty, "round \(round)")
      #expect(t.headerNames == header)
      let read = t.values.map { $0.map { o.neutraliseFormulas ? CSVWriter.unneutralise($0) : $0 } }
      #expect(read == rows, "round \(round)")
      expectTiling(t.events, count: w.bytes.count)
    }
  }
}
