import Testing

@testable import CaseModel

@Suite("USStateCode")
struct USStateCodeTests {
  @Test(arguments: ["NY", "CA", "DC", "PR", "VI", "GU", "WY", "AK"])
  func accepted(code: String) throws {
    #expect(try #require(success(USStateCode.parse(code))).code == code)
  }

  @Test func listHas54Codes() {
    // NCMEC's schema lists 55 values, one of which is the empty string.
    #expect(USStateCode.all.count == 54)
    #expect(!USStateCode.all.contains(""))
  }

  @Test(arguments: ["AS", "MP", "XX", "UK", "PQ", "FM", "AA", "AE"])
  func notInNCMECListRejected(code: String) {
    expectRejected(USStateCode.parse(code), rule: "state.invalid", input: code)
  }

  @Test(arguments: ["ny", "Ny"])
  func lowerCaseRejected(code: String) {
    #expect(failure(USStateCode.parse(code))?.message.contains("upper case") == true)
  }

  @Test(arguments: ["", "N", "NYC", " NY", "N1", "New York"])
  func malformedRejected(code: String) {
    expectRejected(USStateCode.parse(code), rule: "state.invalid", input: code)
  }

  @Test(.enabled(if: ncmecXSDPath != nil, "NCMEC XSD not found at ../shared/external/ncmec; skipped"))
  func matchesNCMECSchemaEnumeration() throws {
    let ncmec = try ncmecEnumeration("state")
    #expect(Set(ncmec) == USStateCode.all)
    #expect(ncmec.count == 54)
  }
}
