// Strict, iterative, byte-level JSON parser (RFC 8259 + I-JSON-style strictness).
// Standard library only.

/// A strict JSON parser over raw bytes.
///
/// Accepts exactly one RFC 8259 value, with these hardening rules: UTF-8 is validated
/// (no overlongs, no encoded surrogates, nothing above U+10FFFF), `\u` surrogate escapes must
/// pair, duplicate keys are errors (compared by exact scalar sequence), no comments, no
/// trailing commas, no BOM, no NaN/Infinity, and every limit in `JSONLimits` is enforced.
/// The parser is iterative: nesting costs heap, bounded by `maxDepth`, never stack.
public struct JSONParser: Sendable {
  /// The limits enforced on every parse.
  public var limits: JSONLimits

  /// Creates a parser with the given limits.
  ///
  /// - Parameter limits: The limits enforced on every parse; `JSONLimits()` by default.
  public init(limits: JSONLimits = JSONLimits()) {
    self.limits = limits
  }

  /// Parses exactly one JSON value filling the whole buffer.
  ///
  /// Leading and trailing JSON whitespace (space, tab, LF, CR) is allowed; anything else after
  /// the value is `json.trailing-data`. `position` is the line/column of `bytes[0]` within the
  /// larger input, so error locations are file locations; byte offsets stay buffer-relative.
  /// Nothing is retained: the returned value owns copies of everything it needs.
  ///
  /// - Parameters:
  ///   - bytes: The UTF-8 input; a BOM is rejected (strip it first if the format allows one).
  ///   - position: The line and column of `bytes[0]` in the enclosing file; `.start` by default.
  /// - Returns: The parsed value; object members keep document order and key offsets.
  /// - Throws: `JSONSyntaxError` with a `json.*` rule, the buffer-relative byte offset and the
  ///   line/column of the first problem.
  public func parse(
    _ bytes: UnsafeRawBufferPointer, startingAt position: TextPosition = .start
  ) throws(JSONSyntaxError) -> JSONValue {
    let count = bytes.count
    if count > limits.maxDocumentBytes {
      throw JSONSyntaxError(
        rule: JSONSyntaxError.Rule.tooLarge, message: "document is larger than the configured limit",
        byteOffset: 0, position: position)
    }
    guard count > 0, let base = bytes.baseAddress else {
      throw JSONSyntaxError(
        rule: JSONSyntaxError.Rule.empty, message: "no JSON value (empty input)", byteOffset: 0, position: position)
    }
    var engine = _JSONEngine(p: base.assumingMemoryBound(to: UInt8.self), end: count, limits: limits, origin: position)
    return try engine.parseDocument()
  }

  /// Parses exactly one JSON value filling the whole array (see the buffer overload).
  ///
  /// - Parameters:
  ///   - bytes: The UTF-8 input.
  ///   - position: The line and column of `bytes[0]` in the enclosing file; `.start` by default.
  /// - Returns: The parsed value.
  /// - Throws: `JSONSyntaxError` located at the first problem.
  public func parse(_ bytes: [UInt8], startingAt position: TextPosition = .start) throws(JSONSyntaxError) -> JSONValue {
    let result = bytes.withUnsafeBytes { buffer in
      Result { () throws(JSONSyntaxError) -> JSONValue in try parse(buffer, startingAt: position) }
    }
    return try result.get()
  }
}
