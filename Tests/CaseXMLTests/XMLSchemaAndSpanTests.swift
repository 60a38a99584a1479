import CLibXML2
import CaseInterchange
import CaseTestSupport
import Foundation
import Testing
@testable import CaseXML

@Suite struct XMLSchemaAndSpanTests {
  static let xsd = """
    <?xml version="1.0"?>
    <xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:example:cases" xmlns="urn:example:cases" elementFormDefault="qualified">
      <xs:element name="Incident">
        <xs:complexType>
          <xs:sequence>
            <xs:element name="Title" type="xs:string"/>
            <xs:element name="Count" type="xs:nonNegativeInteger" minOccurs="0"/>
            <xs:element name="Kind" minOccurs="0">
              <xs:simpleType><xs:restriction base="xs:string"><xs:enumeration value="phish"/><xs:enumeration value="scam"/></xs:restriction></xs:simpleType>
            </xs:element>
          </xs:sequence>
          <xs:attribute name="id" type="xs:positiveInteger" use="required"/>
        </xs:complexType>
      </xs:element>
    </xs:schema>
    """

  static func schema() throws -> XMLSchema { try XMLSchema(xsd: Array(xsd.utf8), name: "cases.xsd") }

  /// Kinds of bad records and the message each must get.
  static let faults: [(body: String, message: String, field: String)] = [
    ("<Incident id=\"%\"><Count>1</Count></Incident>", "an element not allowed here", "Incident/Count"),
    ("<Incident id=\"%\"><Title>t</Title><Count>-4</Count></Incident>", "a value not valid for its type", "Incident/Count"),
    ("<Incident id=\"%\" extra=\"1\"><Title>t</Title></Incident>", "an attribute not allowed here", "Incident/@extra"),
    ("<Incident><Title>t</Title></Incident>", "a required attribute is missing", "Incident/@id"),
    ("<Incident id=\"x%\"><Title>t</Title></Incident>", "a value not valid for its type", "Incident/@id"),
    ("<Incident id=\"%\"><Title>t</Title><Kind>other</Kind></Incident>", "a value not among the allowed values", "Incident/Kind"),
    ("<Incident id=\"%\"/>", "a required child element is missing", "Incident"),
    ("<Incident id=\"%\"><Title>t</Title><Title>u</Title></Incident>", "an element not allowed here", "Incident/Title"),
    ("<Incidentt id=\"%\"><Title>t</Title></Incidentt>", "no global element declaration matches this element", "Incidentt"),
  ]

  @Test func exactlyTheBadRecordsAreFlagged() throws {
    let schema = try Self.schema()
    let seed: UInt64 = 42
    var rng = SplitMix64(seed: seed)
    var doc = "<?xml version=\"1.0\"?>\n<Export xmlns=\"urn:example:cases\">\n"
    var bad: [Int: Int] = [:]
    for i in 0..<400 {
      if Int.random(in: 0..<5, using: &rng) == 0 {
        let f = Int.random(in: 0..<Self.faults.count, using: &rng)
        bad[i] = f
        doc += "  " + Self.faults[f].body.replacingOccurrences(of: "%", with: "\(i + 1)") + "\n"
      } else {
        doc += "  <Incident id=\"\(i + 1)\"><Title>ok \(i)</Title>\(i % 3 == 0 ? "<Count>\(i)</Count>" : "")</Incident>\n"
      }
    }
    doc += "</Export>\n"
    // Small chunks as well: the scanner runs ahead of libxml2 by different amounts.
    for chunk in [7, 1 << 18] {
      let r = readAll(Array(doc.utf8), schema: schema, chunkSize: chunk)
      #expect(r.error == nil)
      #expect(r.records.count == 400)
      let flagged = Set(r.records.filter { !$0.schemaErrors.isEmpty }.map(\.index))
      #expect(flagged == Set(bad.keys), "seed \(seed)")
      for rec in r.records {
        guard let f = bad[rec.index] else { continue }
        let d = try #require(rec.schemaErrors.first)
        #expect(d.rule == "xml.schema-violation")
        #expect(d.message == Self.faults[f].message, "record \(rec.index)")
        #expect(d.location.field == Self.faults[f].field, "record \(rec.index)")
        #expect(d.location.record == rec.index)
        #expect(d.location.line == rec.index + 3)
        #expect((d.location.column ?? 0) >= 3)
        if Self.faults[f].message == "a value not valid for its type" { #expect(d.value == "-4" || d.value == "x\(rec.index + 1)") }
      }
    }
  }

  /// One compiled schema serves readers on several threads at once; each reader has its own validation context.
  @Test func oneSchemaManyReadersInParallel() async throws {
    let schema = try Self.schema()
    var doc = "<Export xmlns=\"urn:example:cases\">\n"
    for i in 0..<2000 { doc += i % 7 == 0 ? "<Incident id=\"\(i + 1)\"/>\n" : "<Incident id=\"\(i + 1)\"><Title>t</Title></Incident>\n" }
    doc += "</Export>\n"
    let path = temporaryFile(Array(doc.utf8))
    let flagged = await withTaskGroup(of: [Int].self) { group in
      for _ in 0..<6 {
        group.addTask { readAll(path: path, schema: schema).records.filter { !$0.schemaErrors.isEmpty }.map(\.index) }
      }
      var all: [[Int]] = []
      for await r in group { all.append(r) }
      return all
    }
    let expected = Array(stride(from: 0, to: 2000, by: 7))
    #expect(flagged.count == 6)
    #expect(flagged.allSatisfy { $0 == expected })
  }

  @Test func schemaErrorsNeverQuoteLibxml2() throws {
    let doc = "<Export xmlns=\"urn:example:cases\"><Incident id=\"/etc/passwd\"><Title>t</Title></Incident></Export>"
    let r = readAll(Array(doc.utf8), schema: try Self.schema())
    let d = try #require(r.records.first?.schemaErrors.first)
    #expect(!d.message.contains("passwd") && !d.message.contains("positiveInteger"))
  }

  @Test func invalidSchemasAreRefused() {
    let cases = [
      "<xs:schema xmlns:xs=\"http://www.w3.org/2001/XMLSchema\"><xs:element name=\"a\" type=\"nope\"/></xs:schema>",
      "not xml",
      "<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/hostname\">]><xs:schema xmlns:xs=\"http://www.w3.org/2001/XMLSchema\"/>",
      "<xs:schema xmlns:xs=\"http://www.w3.org/2001/XMLSchema\"><xs:include schemaLocation=\"file:///etc/hostname\"/></xs:schema>",
    ]
    for xsd in cases {
      do {
        _ = try XMLSchema(xsd: Array(xsd.utf8), name: "bad.xsd")
        Issue.record("compiled: \(xsd)")
      } catch {
        #expect(error.rule == "xml.schema-invalid")
        #expect(error.location.source == "bad.xsd")
      }
    }
  }

  /// The refusing loader stays in force after schemas were compiled: even a libxml2 parse with the dangerous
  /// options (which CaseBridge never uses) cannot read a local file.
  @Test func externalEntitiesStayRefusedAfterASchemaWasCompiled() throws {
    _ = try Self.schema()
    let canary = canaryFile()
    let doc = "<!DOCTYPE r [<!ENTITY xxe SYSTEM \"file://\(canary.path)\">]><r>&xxe;</r>"
    let before = XMLSecurity.refusedLoads
    let options = Int32(bitPattern: XML_PARSE_NOENT.rawValue) | Int32(bitPattern: XML_PARSE_DTDLOAD.rawValue) | Int32(bitPattern: XML_PARSE_NOERROR.rawValue) | Int32(bitPattern: XML_PARSE_NOWARNING.rawValue)
    let text: String = doc.withCString { p in
      guard let d = xmlReadMemory(p, Int32(strlen(p)), nil, nil, options) else { return "" }
      defer { xmlFreeDoc(d) }
      guard let content = xmlNodeGetContent(xmlDocGetRootElement(d)) else { return "" }
      defer { casebridge_xmlFree(content) }
      return String(cString: content)
    }
    #expect(!text.contains(canary.secret))
    #expect(XMLSecurity.refusedLoads > before)
    // And through the reader: refused before libxml2 sees the DTD.
    let r = readAll(Array(doc.utf8))
    #expect(r.error?.rule == "xml.doctype-forbidden")
  }

  /// Random documents with comments, PIs, CDATA, quoted `>` and nested same-name elements: every span reparses to
  /// the same element, and spans plus the bytes between them tile the document.
  @Test func spansTileTheDocument() throws {
    let seed: UInt64 = 7
    var rng = SplitMix64(seed: seed)
    let pieces = [
      "<!-- <Incident> -->", "<?pi <Incident>?>", "<![CDATA[</Incident><Incident>]]>", "text &amp; &#x3C;", "\r\n", " ",
      "<Incident a='>'/>", "<Incident/>", "<x:Incident xmlns:x='urn:x'>t</x:Incident>", "<Incident>\u{e9}\u{1F600}</Incident>",
    ]
    func inner(_ depth: Int) -> String {
      var s = ""
      for _ in 0..<Int.random(in: 0...3, using: &rng) {
        s += pieces[Int.random(in: 0..<pieces.count, using: &rng)]
        if depth < 3 && Bool.random(using: &rng) { s += "<Incident n=\"\(depth)\">" + inner(depth + 1) + "</Incident  >" }
      }
      return s
    }
    for round in 0..<30 {
      var doc = "\u{FEFF}<?xml version=\"1.0\"?>\n<!-- head -->\n<Export>"
      for _ in 0..<Int.random(in: 0...6, using: &rng) {
        doc += pieces[Int.random(in: 0...5, using: &rng)]
        doc += "<Incident id=\"x\">" + inner(0) + "</Incident>"
      }
      doc += "</Export>\n<!-- tail -->\n"
      let bytes = Array(doc.utf8)
      let chunk = [1, 2, 5, 64, 1 << 18][round % 5]
      for tree in [true, false] {
        let r = readAll(bytes, buildsTree: tree, chunkSize: chunk)
        #expect(r.error == nil, "seed \(seed) round \(round): \(String(describing: r.error))")
        var cursor = 0
        for rec in r.records {
          let s = rec.span
          #expect(s.byteOffset >= cursor)
          let between = bytes[cursor..<s.byteOffset]
          #expect(!between.contains(0x3C) || String(decoding: between, as: UTF8.self).contains("<!--") || String(decoding: between, as: UTF8.self).contains("<?") || String(decoding: between, as: UTF8.self).contains("<![CDATA["), "seed \(seed) round \(round)")
          let own = Array(bytes[s.byteOffset..<(s.byteOffset + s.byteLength)])
          #expect(own.first == 0x3C && own.last == 0x3E)
          let prefix = bytes[..<s.byteOffset]
          #expect(s.line == prefix.filter { $0 == 0x0A }.count + 1)
          let lineStart = (prefix.lastIndex(of: 0x0A).map { $0 + 1 } ?? 0)
          let lineBytes = bytes[lineStart..<s.byteOffset]
          let bom = lineStart == 0 ? 1 : 0
          #expect(s.column == String(decoding: lineBytes, as: UTF8.self).unicodeScalars.count + 1 - bom, "seed \(seed) round \(round)")
          if tree {
            let again = readAll(own, selector: .root)
            #expect(again.records.first?.element.withoutPositions() == rec.element.withoutPositions(), "seed \(seed) round \(round)")
          }
          cursor = s.byteOffset + s.byteLength
        }
      }
    }
  }

  @Test func nothingIsYieldedAfterAnError() throws {
    var doc = "<Export>\n"
    for i in 0..<20_000 { doc += "  <Incident id=\"\(i)\"><Title>record \(i)</Title></Incident>\n" }
    doc += "  <Incident id=\"bad\"><Title>oops</Incident>\n"
    for i in 0..<100 { doc += "  <Incident id=\"after\(i)\"/>\n" }
    doc += "</Export>\n"
    for tree in [true, false] {
      let r = readAll(Array(doc.utf8), buildsTree: tree)
      #expect(r.error?.rule == "xml.not-well-formed")
      #expect(r.error?.location.line == 20_002)
      // libxml2's byte position, on the error's line.
      let offset = try #require(r.error?.location.byteOffset)
      let before = Array(doc.utf8)[..<offset]
      #expect(before.filter { $0 == 0x0A }.count == 20_001)
      #expect(r.records.count > 10_000 && r.records.count <= 20_000)
      #expect(r.records.map(\.index) == Array(0..<r.records.count))
    }
  }

  @Test func truncatedDocument() {
    let r = readAll(Array("<Export><Incident><Title>x</Title></Incident><Incident>".utf8))
    #expect(r.error?.rule == "xml.not-well-formed")
  }
}

extension XMLElementNode {
  /// The tree with lines and columns cleared (a record reparsed on its own starts at line 1).
  func withoutPositions() -> XMLElementNode {
    var e = self
    e.line = 0
    e.column = 0
    e.children = children.map { $0.withoutPositions() }
    return e
  }
}
