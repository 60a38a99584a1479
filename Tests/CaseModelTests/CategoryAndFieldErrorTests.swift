import Foundation
import Testing

@testable import CaseModel

@Suite("Category, FieldError and FieldWarning")
struct CategoryAndFieldErrorTests {
  @Test func categoryKeepsItsScheme() throws {
    let a = Category(scheme: "vics", code: "1", label: "Category 1")
    let b = Category(scheme: "caid", code: "1", label: "Category 1")
    #expect(a != b)
    let data = try JSONEncoder().encode(a)
    let back = try JSONDecoder().decode(Category.self, from: data)
    #expect(back == a)
    #expect(Category(scheme: "vics", code: "2").label == nil)
  }

  @Test func fieldErrorDescription() {
    let error = FieldError(rule: "ip.invalid", message: "IP address is empty")
    #expect(error.description == "ip.invalid: IP address is empty")
    #expect(error == FieldError(rule: "ip.invalid", message: "IP address is empty"))
    #expect(error != FieldError(rule: "ip.zone-id", message: "IP address is empty"))
  }

  @Test func fieldWarningDescription() {
    let warning = FieldWarning(rule: "ip.private", message: "address is in private-use space")
    #expect(warning.description == "ip.private: address is in private-use space")
    #expect(Set([warning, warning]).count == 1)
  }
}
