import CaseMapping
import Testing

/// The linear-time pattern engine of profile constraints: whole-value matching, the supported syntax, refusals.
@Suite struct ConstraintPatternTests {
  static func p(_ s: String) throws -> ConstraintPattern { try ConstraintPattern(s) }

  @Test(arguments: [
    ("^[A-Z]{2}[0-9]{8}$", "AB12345678", true), ("^[A-Z]{2}[0-9]{8}$", "AB1234567", false),
    ("^[A-Z]{2}[0-9]{8}$", "AB123456789", false), ("^[A-Z]{2}[0-9]{8}$", "../../x", false),
    ("[A-Z]{2}[0-9]{8}", "xAB12345678", false), ("RPT-\\d{4}-\\d{5}", "RPT-2024-00017", true),
    ("RPT-\\d{4}-\\d{5}", "RPT-2024-0017", false), ("(?:father|mother|sibling)", "mother", true),
    ("(?:father|mother|sibling)", "mothers", false), ("a|b|", "", true), ("colou?r", "color", true),
    ("colou?r", "colour", true), ("colou?r", "colouur", false), ("[^/\\\\]+", "file.txt", true),
    ("[^/\\\\]+", "a/b", false), ("[^/\\\\]+", "a\\b", false), ("\\w+@\\w+\\.org", "a_1@b.org", true),
    ("\\S+", "has space", false), ("x{2,}", "xx", true), ("x{2,}", "x", false), ("x{1,3}", "xxxx", false),
    ("(ab)*", "ababab", true), ("(ab)*", "aba", false), ("[a-]+", "a-a", true), ("\\$\\d+", "$12", true),
    ("\\d+\\$", "12$", true), (".", "é", true), ("..", "é", false), ("a+?b", "aaab", true), ("[\\d.]+", "1.5", true),
    ("(a*)*b", "aaab", true), ("CASE-\\d{4}-\\d{6}", "CASE-2024-000017", true),
  ])
  func matchesTheWholeValue(pattern: String, value: String, expected: Bool) throws {
    #expect(try Self.p(pattern).matches(value) == expected, "\(pattern) on \(value)")
  }

  @Test(arguments: [
    "(a", "a)", "[a-", "[z-a]", "\\1", "(?=a)", "(?i)a", "a**", "*a", "a{2000}", "\\b", "a^b", "a$b", "\\p{L}", "x{3,1}",
    "([a-z]{1000}){1000}",
  ])
  func refusesWhatItCannotRunInLinearTime(pattern: String) {
    #expect(throws: ConstraintPattern.SyntaxError.self) { try ConstraintPattern(pattern) }
  }

  /// The classic catastrophic patterns against a long value that almost matches: each is one linear pass. (Time
  /// is bounded by construction — value scalars × program size — and measured in the CLI test with limits.)
  @Test func catastrophicBacktrackingPatternsAreLinear() throws {
    let value = String(repeating: "a", count: 20_000) + "!"
    for pattern in ["(a+)+b", "(a|a)*b", "(a|aa)+$", "(a*)*b", "(.*a){20}"] {
      #expect(try !Self.p(pattern).matches(value), "\(pattern)")
    }
  }
}
