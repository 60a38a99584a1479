import CaseBridge
import CaseTestSupport
@testable import CaseXML
import Testing

/// CaseBridgeXMLReader on its own: the root and version checks, prescan, and where findings point.
@Suite struct CaseBridgeXMLReaderTests {
  static func read(_ xml: String, prescan: Bool = false) -> (outcomes: [ReadOutcome], error: FormatError?) {
    var outcomes: [ReadOutcome] = []
    do {
      let file = try ChunkedFile(path: temporaryFile(xml.bytes))
      var r = CaseBridgeXMLReader(file: file, sourceName: "doc.xml")
      r.prescan = prescan
      while let o = try r.next() { outcomes.append(o) }
      return (outcomes, nil)
    } catch {
      return (outcomes, error)
    }
  }

  static let open = #"<CaseBundle xmlns="urn:casebridge:xml:case:1.0" casebridgeVersion="1.0">"#

  @Test(arguments: [
    (#"<CaseBundle casebridgeVersion="1.0"><Agency id="a"><OrganizationName>A</OrganizationName></Agency></CaseBundle>"#, "xml.not-casebridge"),
    (#"<Bundle xmlns="urn:casebridge:xml:case:1.0" casebridgeVersion="1.0"/>"#, "xml.not-casebridge"),
    (#"<CaseBundle xmlns="urn:casebridge:xml:case:1.0" casebridgeVersion="1.0" mode="lenient"/>"#, "xml.not-casebridge"),
    (#"<CaseBundle xmlns="urn:casebridge:xml:case:1.0"><Agency id="a"><OrganizationName>A</OrganizationName></Agency></CaseBundle>"#, "xml.missing-version"),
    (#"<CaseBundle xmlns="urn:casebridge:xml:case:1.0" casebridgeVersion="1.1"/>"#, "xml.unsupported-version"),
    (#"<CaseBundle xmlns="urn:casebridge:xml:case:1.0" casebridgeVersion=" 1.0"/>"#, "xml.unsupported-version"),
    (#"<!DOCTYPE CaseBundle [<!ENTITY x "y">]><CaseBundle xmlns="urn:casebridge:xml:case:1.0" casebridgeVersion="1.0"/>"#, "xml.doctype-forbidden"),
    (#"<CaseBundle xmlns="urn:casebridge:xml:case:1.0" casebridgeVersion="1.0"><Agency id="a"><OrganizationName>A</OrganizationName></Agency>"#, "xml.not-well-formed"),
  ])
  func documentsThatAreNotCaseBridgeXMLAreRejectedWhole(_ xml: String, _ rule: String) {
    for prescan in [true, false] {
      let (outcomes, error) = Self.read(xml, prescan: prescan)
      #expect(error?.rule == rule, "\(xml)")
      #expect(outcomes.allSatisfy { if case .record = $0 { return true }; return false })
    }
  }

  @Test func prefixesSchemaLocationAndEmptyBundlesAreFine() {
    let prefixed = #"<cb:CaseBundle xmlns:cb="urn:casebridge:xml:case:1.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="urn:casebridge:xml:case:1.0 casebridge-case-1.0.xsd" casebridgeVersion="1.0"><cb:Agency id="a"><cb:OrganizationName>A</cb:OrganizationName></cb:Agency></cb:CaseBundle>"#
    let (outcomes, error) = Self.read(prefixed)
    #expect(error == nil)
    guard case .record(let r)? = outcomes.first else { Issue.record("no record"); return }
    #expect(r.entities.first?.id == EntityID("a"))
    #expect(r.pointer == "/CaseBundle/Agency[1]")
    let empty = Self.read(Self.open + "\n</CaseBundle>\n")
    #expect(empty.error == nil && empty.outcomes.isEmpty)
  }

  @Test func prescanDeclaresIDsWithoutValidatingOrDecoding() {
    let xml = Self.open + #"<Agency id="a"/><Person id="p"><Unknown/></Person><Suspect id="s"/><Event><EventCategoryText>k</EventCategoryText></Event><Agency id="b"><OrganizationName>B</OrganizationName></Agency></CaseBundle>"#
    let (outcomes, error) = Self.read(xml, prescan: true)
    #expect(error == nil)
    let declared = outcomes.map { o -> [String] in if case .record(let r) = o { return r.declaredIDs.map(\.rawValue) }; return ["?"] }
    #expect(declared == [["a"], ["p"], [], [], ["b"]])
    let pointers = outcomes.compactMap { o -> String? in if case .record(let r) = o { return r.pointer }; return nil }
    #expect(pointers == ["/CaseBundle/Agency[1]", "/CaseBundle/Person[1]", "/CaseBundle/Suspect[1]", "/CaseBundle/Event[1]", "/CaseBundle/Agency[2]"])
    // The same document read for real: the schema rejects what the prescan let through.
    let full = Self.read(xml)
    let kinds = full.outcomes.map { o -> String in if case .record = o { return "record" }; return "rejected" }
    #expect(kinds == ["rejected", "rejected", "rejected", "rejected", "record"])
  }

  @Test func decoderFindingsPointAtTheElement() {
    let xml = Self.open + "\n  <Person id=\"p\">\n    <ContactEmail>\n      <ContactEmailID>a@example.com</ContactEmailID>\n    </ContactEmail>\n    <ContactEmail>\n      <ContactEmailID original=\"B@Example.COM\">c@example.com</ContactEmailID>\n    </ContactEmail>\n  </Person>\n</CaseBundle>\n"
    let (outcomes, error) = Self.read(xml)
    #expect(error == nil)
    guard case .rejected(let issue)? = outcomes.first else { Issue.record("not rejected"); return }
    let d = issue.diagnostics[0]
    #expect(d.rule == "field.normalization-mismatch")
    #expect(d.location.field == "Person/ContactEmail[2]/ContactEmailID")
    #expect(d.location.line == 7 && d.location.column == 7)
    #expect(d.location.record == 0 && d.location.source == "doc.xml")
    #expect(issue.span.line == 2 && issue.span.column == 3)
  }

  @Test func acceptedRecordsCarryOriginsForLaterFindings() {
    let xml = Self.open + "\n  <IPObservation id=\"o\">\n    <IPAddress>10.0.0.1</IPAddress>\n    <ObservationDateTime>2030-01-01T00:00:00Z</ObservationDateTime>\n  </IPObservation>\n</CaseBundle>\n"
    let (outcomes, _) = Self.read(xml)
    guard case .record(let r)? = outcomes.first else { Issue.record("not a record"); return }
    let at = r.origins.first { $0.pointer == "/observedAt" }
    #expect(at?.field == "IPObservation/ObservationDateTime" && at?.line == 4 && at?.column == 5)
    #expect(r.origins.contains { $0.pointer == "/ip" && $0.field == "IPObservation/IPAddress" && $0.line == 3 })
  }
}
