import CaseInterchange
import CaseTestSupport
import Testing
@testable import CaseXML

@Suite struct XMLRecordReaderTests {
  static let simple = """
    <?xml version="1.0" encoding="UTF-8"?>
    <Export xmlns="urn:example:export" xmlns:x="urn:example:x" version="2">
      <!-- a comment with <tags> -->
      <Incident id="1" x:flag="yes"><Title>Phish &amp; chips</Title><Note><![CDATA[a <b>]]> c</Note></Incident>
      <Incident id="2"/>
      <?pi with > inside?>
      <Incident id="3" note='a > b'>
        <Title>Third</Title>
      </Incident>
    </Export>

    """

  @Test func yieldsChildrenOfRootWithTrees() throws {
    let r = readAll(Self.simple.bytes)
    #expect(r.error == nil, "\(String(describing: r.error))")
    #expect(r.records.count == 3)
    #expect(r.root?.name.local == "Export")
    #expect(r.root?.attributes.map(\.name.local) == ["version"])
    let first = try #require(r.records.first)
    #expect(first.index == 0)
    #expect(first.element.name == XMLName("Incident", namespace: "urn:example:export"))
    #expect(first.element.attributes.count == 2)
    #expect(first.element.attribute("id") == "1")
    #expect(first.element.attributes[1].name == XMLName("flag", namespace: "urn:example:x", prefix: "x"))
    #expect(first.element.child("Title")?.text == "Phish & chips")
    #expect(first.element.child("Note")?.text == "a <b> c")
    #expect(first.element.line == 4)
    #expect(first.element.column == 3)
    #expect(first.element.child("Note")?.column == 65)
    #expect(r.records[2].element.text == "")
    #expect(r.records[2].element.child("Title")?.line == 8)
  }

  @Test func spansAreExact() throws {
    let bytes = Self.simple.bytes
    for chunk in [1, 2, 3, 7, 1 << 18] {
      let r = readAll(bytes, chunkSize: chunk)
      #expect(r.error == nil)
      let texts = r.records.map { String(decoding: bytes[$0.span.byteOffset..<($0.span.byteOffset + $0.span.byteLength)], as: UTF8.self) }
      #expect(texts.count == 3)
      #expect(texts.first?.hasPrefix("<Incident id=\"1\"") == true)
      #expect(texts.first?.hasSuffix("</Note></Incident>") == true)
      #expect(texts[1] == "<Incident id=\"2\"/>")
      #expect(texts[2].hasPrefix("<Incident id=\"3\" note='a > b'>") && texts[2].hasSuffix("</Incident>"))
      #expect(r.records.map(\.span.line) == [4, 5, 7])
      #expect(r.records.map(\.span.column) == [3, 3, 3])
    }
  }

  @Test func prescanYieldsSpansOnly() throws {
    let r = readAll(Self.simple.bytes, buildsTree: false)
    #expect(r.error == nil)
    #expect(r.records.count == 3)
    #expect(r.records.allSatisfy { $0.element.children.isEmpty })
    #expect(r.records.map(\.element.line) == [4, 5, 7])
  }

  @Test func pathSelector() throws {
    let doc = "<a:Export xmlns:a='urn:a'><Incidents><a:Incident/><Other><Incident/></Other><Incident>x</Incident></Incidents><Incident/></a:Export>"
    for tree in [true, false] {
      let r = readAll(doc.bytes, selector: .path(["Export", "Incidents", "Incident"]), buildsTree: tree)
      #expect(r.error == nil)
      #expect(r.records.count == 2)
      #expect(r.records.map(\.span.byteLength) == [13, 22])
    }
  }

  @Test func rootSelector() throws {
    let doc = "<report><a>1</a><b>2</b></report>\n"
    let r = readAll(doc.bytes, selector: .root)
    #expect(r.records.count == 1)
    #expect(r.records.first?.element.children.count == 2)
    #expect(r.records.first?.span.byteLength == doc.utf8.count - 1)
  }
}
