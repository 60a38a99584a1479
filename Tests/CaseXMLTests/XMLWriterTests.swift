import CaseInterchange
import CaseTestSupport
import Testing
@testable import CaseXML

/// Whether a writer call threw.
private func refused(_ body: () throws -> Void) -> Bool {
  do {
    try body()
    return false
  } catch {
    return true
  }
}

@Suite struct XMLWriterTests {
  @Test func escapesTextAndAttributes() throws {
    var w = XMLWriter()
    try w.startElement("r", namespaces: [(nil, "urn:x&y"), ("p", "urn:p")], attributes: [("a", "<\"&'>\t\n\r")])
    try w.text("a<b>&c\r\n\t\"'")
    w.endElement()
    #expect(String(decoding: w.bytes, as: UTF8.self)
      == "<r xmlns=\"urn:x&amp;y\" xmlns:p=\"urn:p\" a=\"&lt;&quot;&amp;'&gt;&#9;&#10;&#13;\">a&lt;b&gt;&amp;c&#13;\n\t\"'</r>\n")
  }

  @Test func indentsElementOnlyContent() throws {
    var w = XMLWriter(indent: true)
    w.declaration()
    try w.startElement("Export")
    try w.startElement("Incident", attributes: [("id", "1")])
    try w.element("Title", text: "One")
    try w.emptyElement("Flag")
    w.endElement()
    w.endElement()
    #expect(String(decoding: w.bytes, as: UTF8.self) == """
      <?xml version="1.0" encoding="UTF-8"?>
      <Export>
        <Incident id="1">
          <Title>One</Title>
          <Flag/>
        </Incident>
      </Export>

      """)
  }

  @Test func refusesUnwritableCharactersWithoutWritingAnything() throws {
    var w = XMLWriter()
    try w.startElement("r")
    let before = w.bytes
    for bad in ["a\u{1}b", "\u{0}", "x\u{FFFE}", "\u{FFFF}", "\u{1B}[31m"] {
      let threw = [
        refused { try w.text(bad) }, refused { try w.emptyElement("e", attributes: [("a", bad)]) },
        refused { try w.element("e", text: bad) },
      ]
      #expect(threw == [true, true, true])
      #expect(w.bytes == before)
      #expect(w.depth == 1)
    }
    do {
      try w.text("ok\u{1}")
      Issue.record("no error")
    } catch {
      #expect(error.rule == "xml.unwritable-character")
      #expect(error.field == "r")
      let d = error.diagnostic(at: SourceLocation(source: "out.xml", record: 3))
      #expect(d.value == "U+0001")
      #expect(d.location.field == "r")
    }
    #expect(XMLWriter.isXMLChar("\u{9}") && XMLWriter.isXMLChar("\u{10FFFF}") && XMLWriter.isXMLChar("\u{85}"))
    #expect(!XMLWriter.isXMLChar("\u{1}") && !XMLWriter.isXMLChar("\u{FFFE}") && !XMLWriter.isXMLChar("\u{1F}"))
    #expect(XMLWriter.firstUnwritable(in: "ab\u{7}c") == "\u{7}")
  }

  @Test func refusesInvalidNames() {
    var w = XMLWriter()
    for bad in ["", "1a", "a b", "a:b:c", ":a", "a:", "<a"] {
      let threw = refused { try w.startElement(bad) }
      #expect(threw)
    }
    #expect(w.bytes.isEmpty)
    #expect(XMLWriter.isName("x:Name-1.\u{e9}") && XMLWriter.isName("_a"))
  }

  @Test func rollbackRestoresTheWriter() throws {
    var w = XMLWriter(indent: true)
    try w.startElement("Export")
    let mark = w.checkpoint()
    try w.startElement("Incident")
    try w.text("partial")
    let rolledBack = w.rollback(to: mark)
    #expect(rolledBack)
    #expect(w.depth == 1)
    w.endElement()
    #expect(String(decoding: w.bytes, as: UTF8.self) == "<Export></Export>\n")
  }

  /// Random strings with markup characters and whitespace survive writing and reading back.
  @Test func roundTripsThroughTheReader() throws {
    let seed: UInt64 = 0xCA5E_B41D
    var rng = SplitMix64(seed: seed)
    let alphabet: [Unicode.Scalar] = ["<", ">", "&", "\"", "'", " ", "\t", "\n", "\r", "]", "]", ">", ";", "#", "a", "Z", "\u{e9}", "\u{1F600}", "\u{85}", "\u{2028}", "x", "=", "?", "-", "!"]
    func random() -> String {
      var s = String.UnicodeScalarView()
      for _ in 0..<Int.random(in: 0...24, using: &rng) { s.append(alphabet[Int.random(in: 0..<alphabet.count, using: &rng)]) }
      return String(s)
    }
    var expected: [(String, String)] = []
    var w = XMLWriter(indent: Bool.random(using: &rng))
    w.declaration()
    try w.startElement("Export")
    for _ in 0..<300 {
      let (a, t) = (random(), random())
      expected.append((a, t))
      try w.startElement("Incident", attributes: [("a", a)])
      try w.element("Text", text: t)
      w.endElement()
    }
    w.endElement()
    let r = readAll(w.take())
    #expect(r.error == nil, "seed \(seed)")
    #expect(r.records.count == expected.count)
    for (record, (a, t)) in zip(r.records, expected) {
      #expect(record.element.attribute("a") == a, "seed \(seed)")
      #expect(record.element.child("Text")?.text == t, "seed \(seed)")
    }
  }
}
