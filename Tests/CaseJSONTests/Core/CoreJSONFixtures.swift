import CaseJSON

/// Helpers shared by the strict JSON layer's tests (namespaced to avoid clashes in the module).
enum CoreJSONFixtures {
  /// The UTF-8 bytes of `s`.
  static func bytes(_ s: String) -> [UInt8] { Array(s.utf8) }

  /// Parses `input`, returning the value or the error.
  static func parse(
    _ input: [UInt8], limits: JSONLimits = JSONLimits(), at position: TextPosition = .start
  ) -> Result<JSONValue, JSONSyntaxError> {
    Result { () throws(JSONSyntaxError) -> JSONValue in
      try JSONParser(limits: limits).parse(input, startingAt: position)
    }
  }

  /// Parses `input` and returns the error, or nil if it parsed.
  static func parseError(
    _ input: [UInt8], limits: JSONLimits = JSONLimits(), at position: TextPosition = .start
  ) -> JSONSyntaxError? {
    if case .failure(let e) = parse(input, limits: limits, at: position) { return e }
    return nil
  }

  /// Parses `s` and returns the error, or nil if it parsed.
  static func parseError(_ s: String, limits: JSONLimits = JSONLimits()) -> JSONSyntaxError? {
    parseError(bytes(s), limits: limits)
  }

  /// Parses `s`, returning nil on error.
  static func value(_ s: String, limits: JSONLimits = JSONLimits()) -> JSONValue? {
    try? parse(bytes(s), limits: limits).get()
  }

  /// A JSON number value from a literal that must be valid.
  static func num(_ literal: String) -> JSONValue { .number(JSONNumber(literal: literal)!) }

  /// An object value from key/value pairs.
  static func obj(_ pairs: [(String, JSONValue)]) -> JSONValue {
    .object(JSONObject(pairs.map { JSONMember(key: $0.0, value: $0.1) }))
  }

  /// Runs a splitter over `input` fed in chunks of `chunkSize` (0 = whole input at once).
  static func split(
    _ input: [UInt8], chunkSize: Int, keys: Set<String> = ["entities"], limits: JSONLimits = JSONLimits(),
    allowsLeadingBOM: Bool = false
  ) -> Result<[JSONSplitEvent], JSONSyntaxError> {
    var splitter = JSONDocumentSplitter(streamedArrayKeys: keys, limits: limits)
    splitter.allowsLeadingBOM = allowsLeadingBOM
    return Result { () throws(JSONSyntaxError) -> [JSONSplitEvent] in
      var events: [JSONSplitEvent] = []
      let size = chunkSize <= 0 ? Swift.max(input.count, 1) : chunkSize
      var start = 0
      while start < input.count {
        let end = Swift.min(input.count, start + size)
        let chunk = Array(input[start..<end])
        events += try splitter.feed(chunk)
        start = end
      }
      events += try splitter.finish()
      return events
    }
  }

  /// The error thrown while splitting, or nil.
  static func splitError(
    _ input: [UInt8], chunkSize: Int = 0, keys: Set<String> = ["entities"], limits: JSONLimits = JSONLimits(),
    allowsLeadingBOM: Bool = false
  ) -> JSONSyntaxError? {
    if case .failure(let e) = split(
      input, chunkSize: chunkSize, keys: keys, limits: limits, allowsLeadingBOM: allowsLeadingBOM)
    {
      return e
    }
    return nil
  }
}

/// SplitMix64: a tiny, seedable, deterministic PRNG for property tests.
struct CoreJSONSplitMix64: RandomNumberGenerator {
  var state: UInt64

  init(seed: UInt64) { state = seed }

  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}
