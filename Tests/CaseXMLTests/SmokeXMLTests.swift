import Testing
@testable import CaseXML

@Test func moduleXMLLinks() { #expect(Bool(true)) }
