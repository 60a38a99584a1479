import CaseMapping
import CaseModel
import Testing

private typealias Kit = MappingTestKit

@Suite("BooleanSpellings")
struct BooleanSpellingsTests {
  @Test func strictSpellings() {
    #expect(Kit.value(BooleanSpellings.strict.parse("true")) == true)
    #expect(Kit.value(BooleanSpellings.strict.parse("false")) == false)
    for text in ["True", "TRUE", "1", "0", "yes", "Y", " true", "true ", ""] {
      Kit.expectRule(BooleanSpellings.strict.parse(text), "field.invalid-boolean", input: text)
    }
  }

  @Test func declaredSpellingsAreCaseSensitive() {
    let spellings = BooleanSpellings(trueValues: ["Y", "y", "1"], falseValues: ["N", "n", "0"])
    for yes in ["Y", "y", "1"] { #expect(Kit.value(spellings.parse(yes)) == true) }
    for no in ["N", "n", "0"] { #expect(Kit.value(spellings.parse(no)) == false) }
    for other in ["YES", "Yes", "true", "2", "Y ", " N", "０"] {
      Kit.expectRule(spellings.parse(other), "field.invalid-boolean", input: other)
    }
  }

  @Test func matchingIsByteExact() {
    // "é" precomposed vs decomposed: equal as Swift strings, different bytes.
    let spellings = BooleanSpellings(trueValues: ["\u{E9}"], falseValues: ["non"])
    #expect(Kit.value(spellings.parse("\u{E9}")) == true)
    Kit.expectRule(spellings.parse("e\u{301}"), "field.invalid-boolean", input: "e\u{301}")
  }

  @Test func spellingDeclaredBothWaysIsAnError() {
    let spellings = BooleanSpellings(trueValues: ["1", "X"], falseValues: ["0", "X"])
    Kit.expectRule(spellings.parse("X"), "field.invalid-boolean", input: "X")
    #expect(Kit.value(spellings.parse("1")) == true)
  }
}

@Suite("NameSplit")
struct NameSplitTests {
  private func split(_ s: String, _ order: NameOrder) -> [String?] {
    let parts = NameSplit.splitFull(s, order: order)
    return [parts.given, parts.middle, parts.family]
  }

  @Test func givenFirst() {
    #expect(split("Jane Doe", .givenFirst) == ["Jane", nil, "Doe"])
    #expect(split("Jane Q Public", .givenFirst) == ["Jane", "Q", "Public"])
    #expect(split("Jane Mary Ann Doe", .givenFirst) == ["Jane", "Mary Ann", "Doe"])
    #expect(split("Jean-Luc O'Neil", .givenFirst) == ["Jean-Luc", nil, "O'Neil"])
    #expect(split("Zoë Ångström", .givenFirst) == ["Zoë", nil, "Ångström"])
    #expect(split("J. R. Doe", .givenFirst) == ["J.", "R.", "Doe"])
  }

  @Test(arguments: [
    "Madonna", "", " Jane Doe", "Jane Doe ", "Jane  Doe", "Jane\tDoe", "Jane\u{A0}Doe", "Jane\nDoe",
    "Doe, Jane", "Jan van der Berg", "Ludwig van Beethoven", "Maria de la Cruz", "John Smith Jr.",
    "John Smith III", "Ali bin Said",
  ])
  func givenFirstRefusesUnclearShapes(name: String) {
    #expect(split(name, .givenFirst) == [nil, nil, nil])
  }

  @Test func familyFirstComma() {
    #expect(split("Doe, Jane", .familyFirstComma) == ["Jane", nil, "Doe"])
    #expect(split("Doe,Jane", .familyFirstComma) == ["Jane", nil, "Doe"])
    #expect(split("Doe, Jane Mary", .familyFirstComma) == ["Jane", "Mary", "Doe"])
    #expect(split("Doe, Jane Mary Ann", .familyFirstComma) == ["Jane", "Mary Ann", "Doe"])
    #expect(split("van der Berg, Jan", .familyFirstComma) == ["Jan", nil, "van der Berg"])
    #expect(split("Smith-Jones, Anne", .familyFirstComma) == ["Anne", nil, "Smith-Jones"])
  }

  @Test(arguments: [
    "Jane Doe", "Doe", "Doe,", ", Jane", "Doe, ", "Doe,  Jane", "Doe , Jane", "Doe, Jane, Jr.",
    "Doe, Jane Jr.", "Doe,\tJane", " Doe, Jane", "Doe, Jane ", "",
  ])
  func familyFirstRefusesUnclearShapes(name: String) {
    #expect(split(name, .familyFirstComma) == [nil, nil, nil])
  }

  @Test(arguments: [
    ("Jane Doe", NameOrder.givenFirst), ("Jane Mary Ann Doe", .givenFirst), ("Doe, Jane Mary", .familyFirstComma),
    ("Doe,Jane", .familyFirstComma), ("van der Berg, Jan Piet", .familyFirstComma),
  ])
  func neverDropsCharacters(name: String, order: NameOrder) throws {
    let parts = NameSplit.splitFull(name, order: order)
    let kept = [parts.given, parts.middle, parts.family].compactMap { $0 }.joined()
    var expected = name
    expected.removeAll { $0 == " " || $0 == "," }
    var got = kept
    got.removeAll { $0 == " " || $0 == "," }
    #expect(got.sorted() == expected.sorted())
    #expect(parts.given != nil && parts.family != nil)
  }
}
