import Testing

@testable import CaseModel

/// A small seeded generator (SplitMix64) so property tests are repeatable; the seed is printed
/// in failure messages.
struct SplitMix64: RandomNumberGenerator {
  private(set) var state: UInt64

  init(seed: UInt64) { state = seed }

  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}

/// The success value of a result, or nil.
func success<T>(_ result: Result<T, FieldError>) -> T? {
  if case .success(let value) = result { return value }
  return nil
}

/// The failure of a result, or nil.
func failure<T>(_ result: Result<T, FieldError>) -> FieldError? {
  if case .failure(let error) = result { return error }
  return nil
}

/// Expects `result` to fail with `rule`, and its message not to repeat the input.
func expectRejected<T>(
  _ result: Result<T, FieldError>, rule: String, input: String,
  sourceLocation: SourceLocation = #_sourceLocation
) {
  guard let error = failure(result) else {
    Issue.record("expected \(rule) but the value was accepted", sourceLocation: sourceLocation)
    return
  }
  #expect(error.rule == rule, sourceLocation: sourceLocation)
  #expect(!error.message.isEmpty, sourceLocation: sourceLocation)
  if input.utf8.count >= 4 {
    #expect(
      !error.message.contains(input), "message must not contain the value",
      sourceLocation: sourceLocation)
  }
}

/// The Unicode scalar values of a string (String `==` compares canonical equivalence instead).
func scalarValues(_ text: String) -> [UInt32] { text.unicodeScalars.map(\.value) }
