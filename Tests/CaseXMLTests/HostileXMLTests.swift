import CaseInterchange
import CaseTestSupport
import Foundation
import Testing
@testable import CaseXML

/// Every XML hazard of RELIABILITY.md §9, read through the library from Samples/xml/hostile/.
@Suite struct HostileXMLTests {
  static func hostile(_ name: String) -> String { Repo.samples.appendingPathComponent("xml/hostile/\(name)").path }

  static func read(_ name: String, schema: XMLSchema? = nil, buildsTree: Bool = true, limits: XMLLimits = XMLLimits()) -> ReadResult {
    readAll(path: hostile(name), schema: schema, limits: limits, buildsTree: buildsTree)
  }

  /// Both modes (prescan and trees) reject the file with the rule, quickly, and locate it.
  static func expectRejected(_ name: String, _ rule: String, line: Int? = nil, recordsBefore: Int? = nil, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
    for tree in [false, true] {
      let r = read(name, buildsTree: tree)
      #expect(r.error?.rule == rule, "\(name) tree=\(tree): \(String(describing: r.error))", sourceLocation: sourceLocation)
      #expect(r.seconds < 2, "\(name) took \(r.seconds) s", sourceLocation: sourceLocation)
      if let line { #expect(r.error?.location.line == line, "\(name): \(String(describing: r.error))", sourceLocation: sourceLocation) }
      // libxml2 parses ahead of the reader, so records before the error may or may not have been yielded; none after.
      if let recordsBefore { #expect(r.records.count <= recordsBefore, sourceLocation: sourceLocation) }
      #expect(r.error?.location.source == "doc.xml", sourceLocation: sourceLocation)
    }
  }

  @Test func billionLaughs() { Self.expectRejected("billion-laughs.xml", "xml.doctype-forbidden", line: 2, recordsBefore: 0) }
  @Test func quadraticBlowup() { Self.expectRejected("quadratic-blowup.xml", "xml.doctype-forbidden", line: 2, recordsBefore: 0) }
  @Test func xxeFile() { Self.expectRejected("xxe-file.xml", "xml.doctype-forbidden", line: 2) }
  @Test func xxeURL() { Self.expectRejected("xxe-url.xml", "xml.doctype-forbidden", line: 2) }
  @Test func parameterEntity() { Self.expectRejected("parameter-entity.xml", "xml.doctype-forbidden", line: 2) }
  @Test func externalDTDFile() { Self.expectRejected("external-dtd-file.xml", "xml.doctype-forbidden", line: 2) }
  @Test func externalDTDURL() { Self.expectRejected("external-dtd-url.xml", "xml.doctype-forbidden", line: 2) }
  @Test func xinclude() { Self.expectRejected("xinclude.xml", "xml.xinclude-forbidden", line: 4, recordsBefore: 1) }
  @Test func deepNesting() { Self.expectRejected("deep-nesting.xml", "xml.depth-exceeded", line: 1, recordsBefore: 0) }
  @Test func hugeText() { Self.expectRejected("huge-text.xml", "xml.text-too-large", line: 3, recordsBefore: 0) }
  @Test func gzip() { Self.expectRejected("gzip-input.xml", "xml.compressed-input", line: 1, recordsBefore: 0) }
  @Test func notWellFormed() { Self.expectRejected("not-well-formed.xml", "xml.not-well-formed", line: 4, recordsBefore: 1) }
  @Test func wrongEncoding() { Self.expectRejected("wrong-encoding.xml", "xml.encoding", line: 3, recordsBefore: 0) }
  @Test func invalidCharacterReference() { Self.expectRejected("invalid-charref.xml", "xml.invalid-character", line: 4, recordsBefore: 1) }
  @Test func controlCharacter() { Self.expectRejected("control-character.xml", "xml.invalid-character", line: 3, recordsBefore: 0) }
  @Test func undeclaredEntity() { Self.expectRejected("undeclared-entity.xml", "xml.entity-forbidden", line: 3, recordsBefore: 0) }
  @Test func empty() { Self.expectRejected("empty.xml", "xml.empty") }
  @Test func noRoot() { Self.expectRejected("no-root.xml", "xml.empty") }

  @Test func depthLimitIsTheConfiguredOne() {
    var limits = XMLLimits()
    limits.maxDepth = 3
    let ok = readAll("<a><b><c/></b></a>".bytes, limits: limits)
    #expect(ok.error == nil)
    let deep = readAll("<a><b><c><d/></c></b></a>".bytes, limits: limits)
    #expect(deep.error?.rule == "xml.depth-exceeded")
    #expect(deep.error?.location.byteOffset == 9)
    #expect(deep.error?.location.column == 10)
  }

  @Test func libxml2sOwnLimitsMapToTheSameRules() {
    var limits = XMLLimits()
    limits.maxDepth = 100_000
    limits.maxTextBytes = 64 << 20
    let deep = Self.read("deep-nesting.xml", limits: limits)
    #expect(deep.error?.rule == "xml.depth-exceeded")
    let huge = readAll(Array(("<Export><Incident>" + String(repeating: "A", count: 10_000_001) + "</Incident></Export>").utf8), limits: limits)
    #expect(huge.error?.rule == "xml.text-too-large", "\(String(describing: huge.error))")
  }

  @Test func stylesheetPIIsInert() {
    for tree in [false, true] {
      let r = Self.read("stylesheet-pi.xml", buildsTree: tree)
      #expect(r.error == nil)
      #expect(r.records.count == 2)
    }
  }

  @Test func utf16WithBOMParsesWithByteSpans() throws {
    for (name, decode) in [("utf16le-bom.xml", String.Encoding.utf16LittleEndian), ("utf16be-bom.xml", .utf16BigEndian)] {
      let bytes = try readBytes(URL(fileURLWithPath: Self.hostile(name)))
      for chunk in [1, 3, 1 << 18] {
        let r = readAll(path: Self.hostile(name), chunkSize: chunk)
        #expect(r.error == nil, "\(name): \(String(describing: r.error))")
        #expect(r.records.count == 2)
        #expect(r.records.first?.element.child("Title")?.text == "Caf\u{e9} \u{1F600}")
        let spans = r.records.map { String(data: Data(bytes[$0.span.byteOffset..<($0.span.byteOffset + $0.span.byteLength)]), encoding: decode) }
        #expect(spans == ["<Incident id=\"1\"><Title>Caf\u{e9} \u{1F600}</Title></Incident>", "<Incident id=\"2\"><Title>Second</Title></Incident>"])
        #expect(r.records.map(\.span.line) == [3, 4])
        #expect(r.records.map(\.span.column) == [3, 3])
        #expect(r.records.first?.element.child("Title")?.column == 20)
      }
    }
  }

  @Test func splitTextAndCDATAAreConcatenated() throws {
    let r = Self.read("split-text-cdata.xml")
    #expect(r.error == nil)
    #expect(r.records.first?.element.child("Title")?.text == "Jane <Example> & Testy McTestface")
  }

  @Test func duplicateChildParsesAndTheSchemaCatchesIt() throws {
    let xsd = try readBytes(URL(fileURLWithPath: Self.hostile("duplicate-child.xsd")))
    let schema = try XMLSchema(xsd: xsd, name: "duplicate-child.xsd")
    let plain = Self.read("duplicate-child.xml")
    #expect(plain.error == nil)
    #expect(plain.records.count == 3)
    let r = Self.read("duplicate-child.xml", schema: schema)
    #expect(r.error == nil)
    #expect(r.records.map { $0.schemaErrors.isEmpty } == [true, false, true])
    let d = try #require(r.records[1].schemaErrors.first)
    #expect(d.rule == "xml.schema-violation")
    #expect(d.location.line == 4)
    #expect(d.location.column == 41)
    #expect(d.location.field == "Incident/Title")
    #expect(d.location.record == 1)
    #expect(d.message == "an element not allowed here")
  }
}
