import CaseCSV
import CaseInterchange
import Testing

/// Every rule id with its exact location.
@Suite("CSV tokenizer: rules and locations")
struct TokenizerRuleTests {
  // MARK: csv.unterminated-quote

  @Test("an unterminated quote is reported where it opened; from its record to the end of input is one rejected span")
  func unterminatedQuote() {
    let text = "id,name\n0,zero\n1,\"abc\n2,def\n3,ghi\n"
    for chunk in [1, 4, 1 << 20] {
      let t = tokenize(text, chunkSize: chunk)
      #expect(t.values == [["0", "zero"]])  // records before it stand
      #expect(t.rejected.count == 1)
      let r = t.rejected[0]
      #expect(r.index == 1 && r.byteOffset == 15 && r.byteLength == text.utf8.count - 15 && r.line == 3)
      expectDiagnostic(t.onlyDiagnostic, rule: "csv.unterminated-quote", line: 3, column: 3, byteOffset: 17, record: 1)
      #expect(t.onlyDiagnostic?.message.contains("cannot be known") == true)
      expectTiling(t.events, count: text.utf8.count)
    }
  }

  @Test("a quote opened on a later line of a multi-line record: located there, the span runs to the end")
  func unterminatedQuoteAfterQuotedNewline() {
    let text = "a,b\n\"x\ny\",\"open\nz,w\n"
    let t = tokenize(text)
    let r = t.rejected.first
    #expect(r?.byteOffset == 4 && r?.byteLength == text.utf8.count - 4 && r?.line == 2)
    expectDiagnostic(t.onlyDiagnostic, rule: "csv.unterminated-quote", line: 3, column: 4, byteOffset: 10, record: 0)
    #expect(t.values.isEmpty)
    expectTiling(t.events, count: text.utf8.count)
  }

  @Test("a last row cut inside quotes is rejected up to the end of input")
  func lastRowCutInsideQuotes() {
    let text = "id,name\n1,ok\n2,\"cut off"
    let t = tokenize(text)
    #expect(t.values == [["1", "ok"]])
    let r = t.rejected.first
    #expect(r?.index == 1 && r?.byteOffset == 13 && r?.byteLength == 10 && r?.line == 3)
    expectDiagnostic(t.onlyDiagnostic, rule: "csv.unterminated-quote", line: 3, column: 3, byteOffset: 15, record: 1)
    expectTiling(t.events, count: text.utf8.count)
  }

  @Test("an unterminated quote followed by many lines: one span, linear, nothing after it is read as records")
  func unterminatedQuoteThenManyLines() {
    var text = "a,b\n1,\"open\n"
    for i in 0..<200 { text += i % 2 == 0 ? "\(i),x\"\"y\n" : "\(i),fine\n" }
    for chunk in [7, 1 << 20] {
      let t = tokenize(text, chunkSize: chunk)
      #expect(t.rows.isEmpty)
      #expect(t.rejected.count == 1)
      #expect(t.rejected.first?.diagnostics.first?.rule == "csv.unterminated-quote")
      #expect(t.rejected.first?.byteLength == text.utf8.count - 4)
      expectTiling(t.events, count: text.utf8.count)
    }
  }

  // MARK: csv.stray-quote

  @Test("a quote inside an unquoted field")
  func strayQuoteInUnquotedField() {
    let text = "a,b\n1,x\"y\n2,3\n"
    let t = tokenize(text)
    expectDiagnostic(t.onlyDiagnostic, rule: "csv.stray-quote", line: 2, column: 4, byteOffset: 7, record: 0)
    #expect(t.rejected.first?.byteOffset == 4 && t.rejected.first?.byteLength == 6)
    #expect(t.values == [["2", "3"]])

    // Lenient readers take ` "x" ` literally; this one is strict.
    let spaced = tokenize("a,b\n1, \"x\" \n")
    expectDiagnostic(spaced.onlyDiagnostic, rule: "csv.stray-quote", line: 2, column: 4, byteOffset: 7, record: 0)
  }

  @Test("junk after a closing quote; quotes after a stray quote no longer open fields")
  func junkAfterClosingQuote() {
    let text = "a,b\n1,\"x\"y,\"q\nz\"\n2,3\n"
    let t = tokenize(text)
    #expect(t.rejected.count == 2)
    expectDiagnostic(
      t.rejected[0].diagnostics.first, rule: "csv.stray-quote", line: 2, column: 5, byteOffset: 8, record: 0)
    #expect(t.rejected[0].byteOffset == 4 && t.rejected[0].byteLength == 10)
    expectDiagnostic(
      t.rejected[1].diagnostics.first, rule: "csv.stray-quote", line: 3, column: 2, byteOffset: 15, record: 1)
    #expect(t.values == [["2", "3"]])
    #expect(t.rows.first?.index == 2 && t.rows.first?.line == 4)
    expectTiling(t.events, count: text.utf8.count)
  }

  // MARK: csv.extra-cell / csv.missing-cell

  @Test("ragged rows are rejected, never padded or truncated")
  func raggedRows() {
    let extra = tokenize("a,b\n1,2,3,4\n")
    expectDiagnostic(extra.onlyDiagnostic, rule: "csv.extra-cell", line: 2, column: 5, byteOffset: 8, record: 0)
    #expect(extra.rejected.first?.byteLength == 8)
    #expect(extra.onlyDiagnostic?.message.contains("4 fields, expected 2") == true)

    let missing = tokenize("a,b,c\n1,2\n")
    expectDiagnostic(missing.onlyDiagnostic, rule: "csv.missing-cell", line: 2, column: 4, byteOffset: 9, record: 0)
    #expect(missing.onlyDiagnostic?.location.byteLength == 0)

    let multiLine = tokenize("a,b,c\n\"x\ny\",2\n")
    expectDiagnostic(
      multiLine.onlyDiagnostic, rule: "csv.missing-cell", line: 3, column: 5, byteOffset: 13, record: 0)

    let extraQuoted = tokenize("a\n\"p\nq\",\"r\"\n")
    expectDiagnostic(
      extraQuoted.onlyDiagnostic, rule: "csv.extra-cell", line: 3, column: 4, byteOffset: 8, record: 0)
    #expect(extraQuoted.onlyDiagnostic?.location.field == nil)
  }

  // MARK: csv.nul

  @Test("NUL anywhere in a record")
  func nul() {
    let t = tokenize(Array("a,b\n1,x".utf8) + [0] + Array("y\n2,\"q".utf8) + [0] + Array("\"\n3,4\n".utf8))
    #expect(t.rejected.count == 2)
    expectDiagnostic(t.rejected[0].diagnostics.first, rule: "csv.nul", line: 2, column: 4, byteOffset: 7, record: 0)
    expectDiagnostic(t.rejected[1].diagnostics.first, rule: "csv.nul", line: 3, column: 5, byteOffset: 14, record: 1)
    #expect(t.values == [["3", "4"]])

    let inHeader = tokenize(Array("a,".utf8) + [0] + Array("\n1,2\n".utf8))
    #expect(inHeader.error?.rule == "csv.nul")
    #expect(inHeader.error?.location.byteOffset == 2)
  }

  // MARK: csv.invalid-utf8

  @Test(
    "invalid UTF-8 is rejected, never repaired",
    arguments: [
      ([UInt8(0xC3), 0x28], 9, 6),  // truncated two-byte sequence
      ([0xFF], 9, 6),  // never valid
      ([0xC0, 0x80], 9, 6),  // overlong NUL
      ([0xED, 0xA0, 0x80], 9, 6),  // encoded surrogate
      ([0xF4, 0x90, 0x80, 0x80], 9, 6),  // above U+10FFFF
      ([0xE2, 0x82], 9, 6),  // cut at the end of the field
    ])
  func invalidUTF8(_ bad: [UInt8], _ offset: Int, _ column: Int) {
    let bytes = Array("a,b\n1,caf".utf8) + bad + Array(",\n2,ok\n".utf8)
    let t = tokenize(bytes)
    #expect(t.rejected.count == 1)
    #expect(t.rejected.first?.diagnostics.contains { $0.rule == "csv.invalid-utf8" } == true)
    let d = t.rejected.first?.diagnostics.first { $0.rule == "csv.invalid-utf8" }
    #expect(d?.location.byteOffset == offset && d?.location.column == column && d?.location.line == 2)
    #expect(t.values == [["2", "ok"]])
  }

  @Test("invalid UTF-8 after multi-byte characters: the column counts scalars")
  func invalidUTF8Column() {
    let t = tokenize(Array("a,b\n\u{FC}\u{1F600},x".utf8) + [0xFF] + Array("\n".utf8))
    expectDiagnostic(t.onlyDiagnostic, rule: "csv.invalid-utf8", line: 2, column: 5, byteOffset: 12, record: 0)
    #expect(t.onlyDiagnostic?.location.field == "b")
  }

  // MARK: csv.invalid-utf16

  @Test("a lone surrogate in UTF-16")
  func loneSurrogate() {
    var le = utf16Bytes("a,b\n1,", bigEndian: false, bom: true)
    le += [0x00, 0xD8]  // lone high surrogate
    le += utf16Bytes("z\n2,", bigEndian: false, bom: false) + [0x00, 0xDC]  // lone low surrogate
    le += utf16Bytes("\n3,ok\n", bigEndian: false, bom: false)
    let t = tokenize(le)
    #expect(t.encoding == .utf16LE)
    #expect(t.rejected.count == 2)
    expectDiagnostic(
      t.rejected[0].diagnostics.first, rule: "csv.invalid-utf16", line: 2, column: 3, byteOffset: 14, record: 0)
    expectDiagnostic(
      t.rejected[1].diagnostics.first, rule: "csv.invalid-utf16", line: 3, column: 3, byteOffset: 24, record: 1)
    #expect(t.values == [["3", "ok"]])
    expectTiling(t.events, count: le.count)
  }

  @Test("an odd trailing byte in UTF-16")
  func oddTrailingByte() {
    // Attached to a last record without terminator (its last character was cut).
    let cut = utf16Bytes("a,b\n1,2", bigEndian: true, bom: true) + [0x00]
    let t = tokenize(cut)
    #expect(t.rows.isEmpty)
    #expect(t.rejected.first?.byteOffset == 10 && t.rejected.first?.byteLength == 7)
    expectDiagnostic(t.onlyDiagnostic, rule: "csv.invalid-utf16", line: 2, column: 4, byteOffset: 16, record: 0)
    expectTiling(t.events, count: cut.count)

    // A record of its own after a terminator.
    let after = utf16Bytes("a,b\n1,2\n", bigEndian: false, bom: true) + [0x41]
    let a = tokenize(after)
    #expect(a.values == [["1", "2"]])
    #expect(a.rejected.first?.byteOffset == 18 && a.rejected.first?.byteLength == 1)
    expectDiagnostic(a.onlyDiagnostic, rule: "csv.invalid-utf16", line: 3, column: 1, byteOffset: 18, record: 1)
    expectTiling(a.events, count: after.count)

    // Tiny inputs, where the odd byte is already read while looking for a BOM.
    for chunk in [1, 2, 1 << 20] {
      let one = tokenize([0x41], dialect: dialect { $0.encoding = .utf16LE; $0.hasHeader = false }, chunkSize: chunk)
      #expect(one.rejected.map(\.byteLength) == [1])
      expectDiagnostic(one.onlyDiagnostic, rule: "csv.invalid-utf16", line: 1, column: 1, byteOffset: 0, record: 0)
      let bomOdd = tokenize([0xFF, 0xFE, 0x41], dialect: dialect { $0.hasHeader = false }, chunkSize: chunk)
      #expect(bomOdd.events.first == .bom(byteLength: 2))
      expectDiagnostic(bomOdd.onlyDiagnostic, rule: "csv.invalid-utf16", line: 1, column: 1, byteOffset: 2, record: 0)
      expectTiling(bomOdd.events, count: 3)
      #expect(tokenize([0xFF, 0xFE, 0x41], chunkSize: chunk).error?.rule == "csv.invalid-utf16")
    }
  }

  // MARK: csv.invalid-byte

  @Test("Windows-1252's undefined bytes", arguments: [UInt8(0x81), 0x8D, 0x8F, 0x90, 0x9D])
  func invalidByte(_ b: UInt8) {
    let bytes = Array("a,b\n1,x".utf8) + [b] + Array("y\n2,\u{80}\n".utf8.map { $0 == 0xC2 ? 0x20 : $0 })
    let t = tokenize(bytes, dialect: dialect { $0.encoding = .windows1252 })
    expectDiagnostic(
      t.rejected.first?.diagnostics.first, rule: "csv.invalid-byte", line: 2, column: 4, byteOffset: 7, record: 0)
    // Latin-1 maps the same byte to a C1 control.
    let latin = tokenize(bytes, dialect: dialect { $0.encoding = .latin1 })
    #expect(latin.values.first?[1].unicodeScalars.map(\.value) == [0x78, UInt32(b), 0x79])
  }

  // MARK: csv.field-too-large / csv.record-too-large

  @Test("field limit: bytes between the quotes, doubled quotes counted as written")
  func fieldTooLarge() {
    let t = tokenize("a,b\n1,\"abcde\"\n2,abcd\n3,\"ab\"\"\"\n", dialect: dialect { $0.maxFieldBytes = 4 })
    expectDiagnostic(t.onlyDiagnostic, rule: "csv.field-too-large", line: 2, column: 3, byteOffset: 6, record: 0)
    #expect(t.onlyDiagnostic?.location.byteLength == 7)
    #expect(t.values == [["2", "abcd"], ["3", "ab\""]])
  }

  @Test("record limit outside quotes: the record ends at the end of its line")
  func recordTooLarge() {
    let text = "a,b\n1,2\n12345,7890123\n3,4\n"
    let t = tokenize(text, dialect: dialect { $0.maxRecordBytes = 10 })
    expectDiagnostic(t.onlyDiagnostic, rule: "csv.record-too-large", line: 3, column: 1, byteOffset: 8, record: 1)
    #expect(t.rejected.first?.byteLength == 14)
    #expect(t.values == [["1", "2"], ["3", "4"]])
    // Exactly at the limit is fine.
    #expect(tokenize("a,b\n1234,67890\n", dialect: dialect { $0.maxRecordBytes = 10 }).values == [["1234", "67890"]])
    #expect(tokenize("a,b\n1234,67890\r\n", dialect: dialect { $0.maxRecordBytes = 10 }).rows.count == 1)
    #expect(tokenize("a,b\n1234,678901\n", dialect: dialect { $0.maxRecordBytes = 10 }).rows.isEmpty)
    expectTiling(t.events, count: text.utf8.count)
  }

  @Test("record limit inside quotes: the rest of the record is skipped by the quote rules, so the next record is found where it really starts")
  func recordTooLargeInQuotes() {
    let text = "a,b\n1,\"abc\nde\nfghijkl\",x\n3,4\n"
    for chunk in [1, 3, 7, 1 << 20] {
      let t = tokenize(text, dialect: dialect { $0.maxRecordBytes = 10 }, chunkSize: chunk)
      #expect(t.rejected.count == 1)
      let r = t.rejected[0]
      #expect(r.byteOffset == 4 && r.byteLength == 21 && r.line == 2)
      expectDiagnostic(r.diagnostics.first, rule: "csv.record-too-large", line: 2, column: 1, byteOffset: 4, record: 0)
      #expect(t.values == [["3", "4"]])
      #expect(t.rows.first?.line == 5)
      #expect(t.rows.first?.index == 1)
      expectTiling(t.events, count: text.utf8.count)
    }
    // CRLF inside the skipped quoted field counts as one line break, also when a chunk boundary splits it.
    let crlf = "a,b\r\n1,\"abcdefghijkl\r\nmn\r\nop\",x\r\n3,4\r\n"
    for chunk in [1, 2, 5, 1 << 20] {
      let t = tokenize(crlf, dialect: dialect { $0.maxRecordBytes = 10 }, chunkSize: chunk)
      #expect(t.rejected.count == 1 && t.rows.first?.line == 5, "chunk \(chunk)")
      expectTiling(t.events, count: crlf.utf8.count)
    }
    // A record over the limit outside quotes whose later field opens a multi-line quoted field: skipped whole.
    let later = "a,b,c\n1234567890123,\"x\ny\",z\n3,4,5\n"
    let l2 = tokenize(later, dialect: dialect { $0.maxRecordBytes = 10 })
    #expect(l2.rejected.count == 1 && l2.rejected.first?.diagnostics.first?.rule == "csv.record-too-large")
    #expect(l2.values == [["3", "4", "5"]] && l2.rows.first?.line == 4)
    expectTiling(l2.events, count: later.utf8.count)
    // The input ends inside the quoted field being skipped: one unterminated span to the end.
    let open = "a,b\n1,2\n3,\"abcdefghijkl\n4,5\n6,7\n"
    let o = tokenize(open, dialect: dialect { $0.maxRecordBytes = 10 })
    #expect(o.values == [["1", "2"]])
    #expect(o.rejected.count == 1 && o.rejected.first?.byteOffset == 8 && o.rejected.first?.byteLength == open.utf8.count - 8)
    expectDiagnostic(o.onlyDiagnostic, rule: "csv.unterminated-quote", line: 3, column: 3, byteOffset: 10, record: 1)
    expectTiling(o.events, count: open.utf8.count)
    // ... and when the quote that never closes opened after the limit, it is located there.
    let after = "a,b\n1234567890123,\"x\n4,5\n"
    let a = tokenize(after, dialect: dialect { $0.maxRecordBytes = 10 })
    #expect(a.rows.isEmpty && a.rejected.count == 1 && a.rejected.first?.byteLength == after.utf8.count - 4)
    expectDiagnostic(a.onlyDiagnostic, rule: "csv.unterminated-quote", line: 2, column: 15, byteOffset: 18, record: 0)
    // No line break before the limit: skip to the end of the physical line.
    let long = "a,b\n1,\"aaaaaaaaaaaaaaaaaaaa\"\n2,3\n"
    let l = tokenize(long, dialect: dialect { $0.maxRecordBytes = 10 })
    #expect(l.rejected.first?.byteOffset == 4 && l.rejected.first?.byteLength == 25)
    #expect(l.values == [["2", "3"]])
  }

  // MARK: header rules (the input is rejected whole)

  @Test("duplicate header names")
  func duplicateHeader() {
    let t = tokenize("id,name,id\n1,2,3\n")
    #expect(t.events.isEmpty)
    #expect(t.error?.rule == "csv.duplicate-header")
    #expect(t.error?.location.line == 1 && t.error?.location.column == 9 && t.error?.location.byteOffset == 8)
    #expect(t.error?.message.contains("column 3") == true)

    // NFC and NFD spellings collide in any String-keyed mapping: duplicates.
    let nfd = tokenize("caf\u{E9},cafe\u{301}\n1,2\n")
    #expect(nfd.error?.rule == "csv.duplicate-header")
    #expect(nfd.error?.location.byteOffset == 6 && nfd.error?.location.column == 6)
  }

  @Test("blank (missing) header names", arguments: ["id,,name\n1,2,3\n", "id, \t,name\n1,2,3\n", "id,\"\",name\n"])
  func blankHeader(_ text: String) {
    let t = tokenize(text)
    #expect(t.error?.rule == "csv.blank-header")
    #expect(t.error?.location.line == 1 && t.error?.location.column == 4 && t.error?.location.byteOffset == 3)
  }

  @Test("a header that is not a clean record rejects the input")
  func brokenHeader() {
    #expect(tokenize("id,\"name\n1,2\n").error?.rule == "csv.unterminated-quote")
    #expect(tokenize("id,\"name\n1,2\n").error?.location.column == 4)
    #expect(tokenize("id,na\"me\n1,2\n").error?.rule == "csv.stray-quote")
    #expect(tokenize(Array("id,".utf8) + [0xFF] + Array("\n".utf8)).error?.rule == "csv.invalid-utf8")
    #expect(tokenize("id,name\n", dialect: dialect { $0.maxRecordBytes = 4 }).error?.rule == "csv.record-too-large")
  }

  // MARK: csv.encoding-mismatch, csv.invalid-dialect

  @Test("a declared encoding that contradicts the BOM")
  func encodingMismatch() {
    let utf8BOM: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("a,b\n".utf8)
    let t = tokenize(utf8BOM, dialect: dialect { $0.encoding = .windows1252 })
    #expect(t.error?.rule == "csv.encoding-mismatch")
    #expect(t.error?.location.byteOffset == 0 && t.error?.location.line == 1 && t.error?.location.column == 1)
    #expect(t.events.isEmpty)

    let be = utf16Bytes("a,b\n", bigEndian: true, bom: true)
    #expect(tokenize(be, dialect: dialect { $0.encoding = .utf16LE }).error?.rule == "csv.encoding-mismatch")
    #expect(tokenize(be, dialect: dialect { $0.encoding = .utf8 }).error?.rule == "csv.encoding-mismatch")
    #expect(tokenize(be, dialect: dialect { $0.encoding = .utf16BE }).headerNames == ["a", "b"])
  }

  @Test("an unusable dialect is refused up front")
  func invalidDialect() {
    for edit: (inout CSVDialect) -> Void in [
      { $0.delimiter = 0x22 }, { $0.delimiter = 0x0A }, { $0.quote = 0x0D }, { $0.delimiter = 0 },
      { $0.delimiter = 0xA7 }, { $0.maxFieldBytes = 0 }, { $0.maxRecordBytes = -1 },
    ] {
      #expect(tokenize("a\n", dialect: dialect(edit)).error?.rule == "csv.invalid-dialect")
    }
  }

  // MARK: messages

  @Test("diagnostic messages name positions, never field content")
  func noValuesInMessages() {
    let canary = "CANARY-7731"
    let text = "id,name\n\(canary),\"\(canary)\"x\n\(canary),a,b\n\(canary)\n\(canary),\"\(canary)"
    var all: [Diagnostic] = []
    for chunk in [1, 1 << 20] {
      let t = tokenize(text, chunkSize: chunk)
      all += t.rejected.flatMap(\.diagnostics)
    }
    #expect(all.count == 8)
    for d in all {
      #expect(!d.message.contains("CANARY"))
      #expect(!d.rendered.contains("CANARY"))
      #expect(d.message.contains("line "))
      #expect(d.value == nil)
    }
    let dup = tokenize("\(canary),\(canary)\n")
    #expect(dup.error.map { !$0.description.contains("CANARY") } == true)
  }
}

@Suite("CSV tokenizer: resource bounds")
struct TokenizerBoundsTests {
  @Test("csv.too-many-columns: a header over the column limit rejects the input")
  func tooManyColumnsInHeader() {
    let t = tokenize("a,b,c,d\n1,2,3,4\n", dialect: dialect { $0.maxColumns = 3 })
    #expect(t.error?.rule == "csv.too-many-columns")
    #expect(t.error?.location.line == 1 && t.error?.location.column == 7 && t.error?.location.byteOffset == 6)
    #expect(tokenize("a,b,c\n1,2,3\n", dialect: dialect { $0.maxColumns = 3 }).values == [["1", "2", "3"]])
  }

  @Test("csv.too-many-columns without a header: the record is rejected and does not set the count")
  func tooManyColumnsWithoutHeader() {
    let t = tokenize("1,2,3,4\n5,6\n7,8\n", dialect: dialect { $0.maxColumns = 3; $0.hasHeader = false })
    expectDiagnostic(
      t.rejected.first?.diagnostics.first, rule: "csv.too-many-columns", line: 1, column: 7, byteOffset: 6, record: 0)
    #expect(t.values == [["5", "6"], ["7", "8"]])
  }

  @Test("a record of a million empty fields is rejected without storing them")
  func millionFields() {
    let text = "a,b\n\"x\ny\"" + String(repeating: ",", count: 1_000_000) + "\n1,2\n"
    let t = tokenize(text)
    let d = t.rejected.first?.diagnostics.first
    expectDiagnostic(d, rule: "csv.extra-cell", line: 3, column: 5, byteOffset: 11, record: 0)
    #expect(d?.message.contains("1000001 fields") == true)
    #expect(t.values == [["1", "2"]])
    #expect(t.rows.first?.line == 4)
  }

  @Test("every input byte reaches ChunkedFile.onChunk exactly once, whatever the resynchronisation")
  func onChunkSeesEveryByteOnce() throws {
    for fixture in Fixtures.all() {
      for size in [1, 3, 64, 1 << 20] {
        let path = Scratch.write(fixture.bytes)
        let file = try ChunkedFile(path: path, chunkSize: size)
        var seen: [UInt8] = []
        file.onChunk = { seen.append(contentsOf: $0) }
        var tokenizer = try CSVTokenizer(file: file, sourceName: "test.csv", dialect: fixture.dialect)
        while try tokenizer.next() != nil {}
        #expect(seen == fixture.bytes, "\(fixture.name), chunk size \(size)")
      }
    }
  }
}
