import Foundation
import Testing

@testable import CaseModel

/// The NCMEC schema, found next to the repository as ../shared/external/ncmec (README there).
let ncmecXSDPath: String? = {
  var dir = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath().deletingLastPathComponent()
  for _ in 0..<6 {
    let candidate = dir.deletingLastPathComponent()
      .appendingPathComponent("shared/external/ncmec/cybertipline-report.xsd").path
    if FileManager.default.fileExists(atPath: candidate) { return candidate }
    dir = dir.deletingLastPathComponent()
  }
  return nil
}()

/// The non-empty `xs:enumeration` values of a named `xs:simpleType` in the NCMEC schema.
func ncmecEnumeration(_ typeName: String) throws -> [String] {
  let path = try #require(ncmecXSDPath)
  let text = try String(contentsOfFile: path, encoding: .utf8)
  let start = try #require(text.range(of: "<xs:simpleType name=\"\(typeName)\">"))
  let end = try #require(text.range(of: "</xs:simpleType>", range: start.upperBound..<text.endIndex))
  var values: [String] = []
  var rest = text[start.upperBound..<end.lowerBound]
  while let r = rest.range(of: "<xs:enumeration value=\"") {
    let tail = rest[r.upperBound...]
    let close = try #require(tail.firstIndex(of: "\""))
    let value = String(tail[..<close])
    if !value.isEmpty { values.append(value) }
    rest = tail[close...]
  }
  return values
}

@Suite("CountryCode")
struct CountryCodeTests {
  @Test(arguments: ["DE", "US", "GB", "FR", "AX", "SS", "BQ", "CW", "SX", "ZW", "AD"])
  func assignedCodesAccepted(code: String) throws {
    let parsed = try #require(success(CountryCode.parse(code)))
    #expect(parsed.code == code)
    #expect(parsed.description == code)
  }

  @Test func tableHas249Codes() {
    #expect(CountryCode.all.count == 249)
    #expect(CountryCode.all.allSatisfy { $0.utf8.count == 2 && $0 == $0.uppercased() })
    #expect(CountryCode.ncmecLegacy == ["A1", "A2", "AN", "AP", "EU", "FX", "O1", "XK"])
    #expect(CountryCode.all.isDisjoint(with: CountryCode.ncmecLegacy))
  }

  @Test(arguments: ["UK", "EU", "ZZ", "AA", "XX", "QZ", "YU", "CS", "TP"])
  func unassignedCodesRejected(code: String) {
    expectRejected(CountryCode.parse(code), rule: "country.invalid", input: code)
  }

  @Test(arguments: ["de", "De", "dE"])
  func lowerCaseRejected(code: String) {
    #expect(failure(CountryCode.parse(code))?.rule == "country.invalid")
    #expect(failure(CountryCode.parse(code))?.message.contains("upper case") == true)
  }

  @Test(arguments: ["", "D", "DEU", " DE", "DE ", "D1", "1D", "Ｄ Ｅ", "276", "D\u{0}"])
  func malformedRejected(code: String) {
    expectRejected(CountryCode.parse(code), rule: "country.invalid", input: code)
  }

  @Test(arguments: ["A1", "A2", "O1", "AN", "AP", "EU", "FX", "XK"])
  func ncmecLegacyOnlyOnImport(code: String) throws {
    let strict = failure(CountryCode.parse(code))
    #expect(strict?.rule == "country.invalid")
    #expect(strict?.message.contains("legacy") == true)
    #expect(failure(CountryCode.parse(code, allowingNCMECLegacy: false))?.rule == "country.invalid")
    #expect(success(CountryCode.parse(code, allowingNCMECLegacy: true))?.code == code)
  }

  @Test func legacyFlagDoesNotAcceptArbitraryCodes() {
    #expect(failure(CountryCode.parse("ZZ", allowingNCMECLegacy: true))?.rule == "country.invalid")
    #expect(failure(CountryCode.parse("a1", allowingNCMECLegacy: true))?.rule == "country.invalid")
  }

  @Test(.enabled(if: ncmecXSDPath != nil, "NCMEC XSD not found at ../shared/external/ncmec; skipped"))
  func matchesNCMECSchemaEnumeration() throws {
    let ncmec = try ncmecEnumeration("country")
    #expect(ncmec.count == 257)
    #expect(Set(ncmec) == CountryCode.all.union(CountryCode.ncmecLegacy))
    for code in ncmec {
      #expect(success(CountryCode.parse(code, allowingNCMECLegacy: true)) != nil, "\(code)")
    }
  }
}
