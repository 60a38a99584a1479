/// A field-level failure found while parsing or checking one value.
///
/// `rule` is a stable rule id from the validation catalogue (for example `"ip.invalid"`), so
/// callers can count, filter and match failures without parsing text. `message` names the
/// problem in words but never includes the offending value: values are personal data and
/// errors end up in logs and diagnostics files.
public struct FieldError: Error, Sendable, Hashable, CustomStringConvertible {
  /// The stable rule id, such as `"ip.invalid"` or `"timestamp.missing-zone"`.
  public var rule: String
  /// A human-readable description of the problem that never contains the value itself.
  public var message: String

  /// Creates a field error from a rule id and a value-free message.
  /// - Parameters:
  ///   - rule: The stable rule id from the catalogue.
  ///   - message: A description of the problem; must not contain the offending value.
  public init(rule: String, message: String) {
    self.rule = rule
    self.message = message
  }

  /// The rule id and message, as `rule: message`.
  public var description: String { "\(rule): \(message)" }
}
