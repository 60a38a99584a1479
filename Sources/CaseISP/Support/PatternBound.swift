import CaseMapping

/// The bound under which profile patterns run. Swift `Regex` backtracks, and a profile is user input: a pattern
/// such as `(?<start>.+?) to (?<end>[^.]+)\.?$` costs time quadratic (or worse) in the text it is tried on. So a
/// pattern is only ever tried on a text of at most `maxBytes` UTF-8 bytes (a line for record, end, count and zone
/// patterns; a paragraph for sentences; a legend or a page's text for zone statements and legends): the cost of one
/// attempt is then a constant, whatever the pattern, and a reader's cost stays linear in its input. A longer text
/// is never matched: a line is then no delimiter or statement, and a paragraph is read as unrecognised text with
/// an `isp.paragraph-too-long` warning.
enum PatternBound {
  /// The longest text a profile pattern is tried on (bytes of UTF-8).
  static let maxBytes = 4096

  /// Whether a text is short enough to be matched.
  static func admits(_ text: some StringProtocol) -> Bool { text.utf8.count <= maxBytes }
}

extension ProfileRegex {
  /// The first match in a text within the bound; nil for a longer text, which is not tried.
  func boundedFirstMatch(in text: String) -> Regex<AnyRegexOutput>.Match? {
    guard PatternBound.admits(text) else { return nil }
    return try? regex.firstMatch(in: text)
  }

  /// Whether the pattern matches somewhere in a text within the bound.
  func boundedMatches(_ text: String) -> Bool { boundedFirstMatch(in: text) != nil }
}
