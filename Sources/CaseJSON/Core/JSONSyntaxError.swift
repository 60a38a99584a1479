// Located, privacy-safe JSON syntax errors. Standard library only.

/// A located JSON syntax error.
///
/// `rule` is one of the `json.*` ids in `JSONSyntaxError.Rule`. `message` never quotes input
/// content (the input may hold personal data); it only names what was expected or found in
/// general terms. `byteOffset` is relative to the buffer given to `JSONParser` (for
/// `JSONDocumentSplitter`, absolute in the stream); `line` and `column` are 1-based, the
/// column counted in Unicode scalars.
public struct JSONSyntaxError: Error, Sendable, Hashable, CustomStringConvertible {
  /// The rule id, such as `json.duplicate-key`.
  public var rule: String
  /// A human-readable explanation that never contains input text.
  public var message: String
  /// The byte offset of the offending byte (or of the start of the offending token).
  public var byteOffset: Int
  /// The 1-based line of `byteOffset`.
  public var line: Int
  /// The 1-based column of `byteOffset`, counted in Unicode scalars from the line start.
  public var column: Int

  /// Creates an error from all its parts.
  ///
  /// - Parameters:
  ///   - rule: A `json.*` rule id (see `Rule`).
  ///   - message: A description that must not contain input text.
  ///   - byteOffset: The offset of the problem.
  ///   - line: The 1-based line.
  ///   - column: The 1-based column, in Unicode scalars.
  public init(rule: String, message: String, byteOffset: Int, line: Int, column: Int) {
    self.rule = rule
    self.message = message
    self.byteOffset = byteOffset
    self.line = line
    self.column = column
  }

  /// Creates an error located at `position`.
  ///
  /// - Parameters:
  ///   - rule: A `json.*` rule id (see `Rule`).
  ///   - message: A description that must not contain input text.
  ///   - byteOffset: The offset of the problem.
  ///   - position: The line and column of the problem.
  public init(rule: String, message: String, byteOffset: Int, position: TextPosition) {
    self.init(rule: rule, message: message, byteOffset: byteOffset, line: position.line, column: position.column)
  }

  /// The line and column as a `TextPosition`.
  public var position: TextPosition { TextPosition(line: line, column: column) }

  /// `line:column: error: message [rule]`.
  public var description: String { "\(line):\(column): error: \(message) [\(rule)]" }
}

extension JSONSyntaxError {
  /// The rule ids produced by the strict JSON layer.
  public enum Rule {
    /// Generic unexpected byte or token, or unexpected end of input.
    public static let syntax = "json.syntax"
    /// A string (or key) whose closing quote never came.
    public static let unterminatedString = "json.unterminated-string"
    /// A backslash escape that JSON does not define, or a malformed `\u` escape.
    public static let invalidEscape = "json.invalid-escape"
    /// A raw U+0000–U+001F byte inside a string.
    public static let controlCharacter = "json.control-character"
    /// Ill-formed UTF-8 inside a string (overlong, surrogate, > U+10FFFF, truncated, stray byte).
    public static let invalidUTF8 = "json.invalid-utf8"
    /// A `\uD800`-style escape without its pair, or a lone low surrogate escape.
    public static let loneSurrogate = "json.lone-surrogate"
    /// The same key twice in one object (compared by exact scalar sequence).
    public static let duplicateKey = "json.duplicate-key"
    /// A comma directly before `]` or `}`.
    public static let trailingComma = "json.trailing-comma"
    /// A `//` or `/*` comment.
    public static let comment = "json.comment"
    /// A number literal outside RFC 8259 syntax (leading zeros, `+1`, `.5`, `1.`, NaN, ...).
    public static let invalidNumber = "json.invalid-number"
    /// A number literal that is too long, or whose magnitude overflows a Double.
    public static let numberOutOfRange = "json.number-out-of-range"
    /// Arrays and objects nested deeper than `JSONLimits.maxDepth`.
    public static let depthExceeded = "json.depth-exceeded"
    /// Bytes after the one top-level value.
    public static let trailingData = "json.trailing-data"
    /// No value at all (empty input or whitespace only).
    public static let empty = "json.empty"
    /// A document, string or element above its size limit.
    public static let tooLarge = "json.too-large"
    /// A UTF-8 byte order mark where none is allowed.
    public static let bom = "json.bom"

    /// Every rule id, in a stable order.
    public static let all: [String] = [
      syntax, unterminatedString, invalidEscape, controlCharacter, invalidUTF8, loneSurrogate,
      duplicateKey, trailingComma, comment, invalidNumber, numberOutOfRange, depthExceeded,
      trailingData, empty, tooLarge, bom,
    ]
  }
}
