public import CaseModel

/// The spellings a profile declares for a boolean field.
///
/// Matching is exact and case-sensitive, byte for byte on the UTF-8 form (no trimming, no Unicode
/// normalisation): a profile that accepts `Y` and `y` lists both.
public struct BooleanSpellings: Sendable, Hashable {
  /// Spellings that mean true.
  public var trueValues: Set<String>
  /// Spellings that mean false.
  public var falseValues: Set<String>

  /// Creates a set of spellings.
  /// - Parameters:
  ///   - trueValues: Spellings that mean true, e.g. `["Y", "y", "1"]`.
  ///   - falseValues: Spellings that mean false, e.g. `["N", "n", "0"]`.
  public init(trueValues: Set<String>, falseValues: Set<String>) {
    self.trueValues = trueValues
    self.falseValues = falseValues
  }

  /// Only `true` and `false`, the default of CaseBridge's own formats.
  public static let strict = BooleanSpellings(trueValues: ["true"], falseValues: ["false"])

  /// Reads a boolean.
  /// - Parameter s: The value exactly as read.
  /// - Returns: The boolean, or a ``FieldError`` with rule `"field.invalid-boolean"` when the value
  ///   is not one of the declared spellings (or, through a profile mistake, is declared as both).
  public func parse(_ s: String) -> Result<Bool, FieldError> {
    let isTrue = trueValues.contains { $0.utf8.elementsEqual(s.utf8) }
    let isFalse = falseValues.contains { $0.utf8.elementsEqual(s.utf8) }
    switch (isTrue, isFalse) {
    case (true, false): return .success(true)
    case (false, true): return .success(false)
    case (true, true):
      return .failure(
        FieldError(
          rule: "field.invalid-boolean",
          message: "value is declared as both a true and a false spelling"))
    case (false, false):
      return .failure(
        FieldError(
          rule: "field.invalid-boolean",
          message:
            "value is not one of the \(trueValues.count + falseValues.count) declared boolean spellings"
        ))
    }
  }
}

/// The order in which a full-name field writes its parts.
public enum NameOrder: String, Sendable, Hashable, Codable {
  /// `Given Middle Family`, separated by single spaces.
  case givenFirst
  /// `Family, Given Middle`: the family name, a comma (optionally followed by one space), then
  /// the given name and any middle names separated by single spaces.
  case familyFirstComma
}

/// Conservative splitting of a full name into given, middle and family parts.
///
/// The split never drops or rewrites a character: every character other than the separators
/// (single spaces, and the comma of ``NameOrder/familyFirstComma``) ends up in exactly one part,
/// in order, and `middle` keeps its inner spaces. When the shape is not the plain one the order
/// describes, nothing is split and all three parts are nil, so the caller keeps the full name
/// unsplit. That happens for:
/// - an empty value, leading or trailing spaces, two spaces in a row, or any whitespace other
///   than U+0020 (tab, NO-BREAK SPACE, line breaks);
/// - ``NameOrder/givenFirst``: a single word, any comma, a lower-case name particle that usually
///   belongs to the family name (`van`, `von`, `de`, `der`, `den`, `da`, `di`, `du`, `del`,
///   `della`, `dos`, `das`, `do`, `la`, `le`, `bin`, `ibn`, `al`, `ter`, `ten`, `zu`, `y`), or a
///   generational suffix at the end (`Jr`, `Jr.`, `Sr`, `Sr.`, `II`, `III`, `IV`);
/// - ``NameOrder/familyFirstComma``: no comma or more than one, an empty family or given part,
///   or a generational suffix at the end.
///
/// In ``NameOrder/givenFirst``, two words are given + family and three or more are given +
/// middle (everything in between) + family. In ``NameOrder/familyFirstComma`` the family part is
/// everything before the comma (it may contain spaces: `van der Berg, Jan`), the given name is
/// the first word after it and the rest is the middle part.
public enum NameSplit {
  private static let particles: Set<String> = [
    "van", "von", "de", "der", "den", "da", "di", "du", "del", "della", "dos", "das", "do", "la",
    "le", "bin", "ibn", "al", "ter", "ten", "zu", "y",
  ]
  private static let suffixes: Set<String> = ["Jr", "Jr.", "Sr", "Sr.", "II", "III", "IV"]

  /// Splits a full name.
  /// - Parameters:
  ///   - s: The full name exactly as read.
  ///   - order: How the field writes names.
  /// - Returns: The parts; all nil when the name is not in the plain shape of `order`.
  public static func splitFull(_ s: String, order: NameOrder) -> (
    given: String?, middle: String?, family: String?
  ) {
    let none: (given: String?, middle: String?, family: String?) = (nil, nil, nil)
    // Only U+0020 separates; any other whitespace makes the shape unclear.
    for scalar in s.unicodeScalars where scalar != " " && scalar.properties.isWhitespace {
      return none
    }
    switch order {
    case .givenFirst:
      if s.contains(",") { return none }
      guard let words = words(s), words.count >= 2 else { return none }
      if words.contains(where: { particles.contains($0) }) { return none }
      if suffixes.contains(words[words.count - 1]) { return none }
      let middle = words.count > 2 ? words[1..<(words.count - 1)].joined(separator: " ") : nil
      return (words[0], middle, words[words.count - 1])
    case .familyFirstComma:
      let pieces = s.split(separator: ",", omittingEmptySubsequences: false)
      guard pieces.count == 2 else { return none }
      let family = String(pieces[0])
      var rest = Substring(pieces[1])
      if rest.first == " " { rest = rest.dropFirst() }
      guard let familyWords = words(family), !familyWords.isEmpty,
        let givenWords = words(String(rest)), !givenWords.isEmpty
      else { return none }
      if suffixes.contains(givenWords[givenWords.count - 1]) { return none }
      let middle = givenWords.count > 1 ? givenWords[1...].joined(separator: " ") : nil
      return (givenWords[0], middle, family)
    }
  }

  /// The words of a string separated by single spaces, or nil for an empty string, a leading or
  /// trailing space, or two spaces in a row.
  private static func words(_ s: String) -> [String]? {
    if s.isEmpty { return nil }
    let parts = s.split(separator: " ", omittingEmptySubsequences: false)
    if parts.contains(where: \.isEmpty) { return nil }
    return parts.map(String.init)
  }
}
