/// A non-fatal observation about a value that parsed successfully.
///
/// Examples are `"ip.non-public"` for an RFC 1918 address in a field meant for public addresses,
/// or `"timestamp.dst-overlap"` when a caller resolved an ambiguous local time by an explicit
/// choice. Like ``FieldError``, the message never includes the value.
public struct FieldWarning: Sendable, Hashable, CustomStringConvertible {
  /// The stable rule id, such as `"ip.non-public"`.
  public var rule: String
  /// A human-readable description of the observation that never contains the value itself.
  public var message: String

  /// Creates a warning from a rule id and a value-free message.
  /// - Parameters:
  ///   - rule: The stable rule id from the catalogue.
  ///   - message: A description of the observation; must not contain the value.
  public init(rule: String, message: String) {
    self.rule = rule
    self.message = message
  }

  /// The rule id and message, as `rule: message`.
  public var description: String { "\(rule): \(message)" }
}
