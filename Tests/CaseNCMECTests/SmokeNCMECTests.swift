import Testing
@testable import CaseNCMEC

@Test func moduleNCMECLinks() { #expect(Bool(true)) }
