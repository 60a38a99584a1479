import CaseMapping
import CaseModel
import Testing

/// Shared helpers for the CaseMapping transform and inspect tests.
enum MappingTestKit {
  /// The success value of a result, or nil.
  static func value<T>(_ result: Result<T, FieldError>) -> T? {
    if case .success(let value) = result { return value }
    return nil
  }

  /// The failure of a result, or nil.
  static func error<T>(_ result: Result<T, FieldError>) -> FieldError? {
    if case .failure(let error) = result { return error }
    return nil
  }

  /// Expects `result` to fail with `rule`, with a message that does not repeat the input.
  static func expectRule<T>(
    _ result: Result<T, FieldError>, _ rule: String, input: String,
    sourceLocation: SourceLocation = #_sourceLocation
  ) {
    guard let error = error(result) else {
      Issue.record("expected \(rule) but the value was accepted", sourceLocation: sourceLocation)
      return
    }
    #expect(error.rule == rule, "message: \(error.message)", sourceLocation: sourceLocation)
    #expect(!error.message.isEmpty, sourceLocation: sourceLocation)
    if input.utf8.count >= 3 {
      #expect(
        !error.message.contains(input), "message must not contain the value",
        sourceLocation: sourceLocation)
    }
  }

  /// Expects a pattern to be refused with `"profile.invalid-pattern"`; returns the message.
  @discardableResult
  static func expectInvalidPattern(
    _ pattern: String, sourceLocation: SourceLocation = #_sourceLocation
  ) -> String? {
    do {
      let compiled = try DateTimePattern(pattern)
      Issue.record("pattern was accepted: \(compiled)", sourceLocation: sourceLocation)
      return nil
    } catch {
      #expect(error.rule == "profile.invalid-pattern", sourceLocation: sourceLocation)
      #expect(!error.message.isEmpty, sourceLocation: sourceLocation)
      return error.message
    }
  }

  /// A local date-time that must exist.
  static func local(
    _ y: Int, _ mo: Int, _ d: Int, _ h: Int = 0, _ mi: Int = 0, _ s: Int = 0, _ ns: Int = 0
  ) -> LocalDateTime {
    LocalDateTime(year: y, month: mo, day: d, hour: h, minute: mi, second: s, nanosecond: ns)!
  }
}
