import Testing
@testable import CaseISP

@Test func moduleISPLinks() { #expect(Bool(true)) }
