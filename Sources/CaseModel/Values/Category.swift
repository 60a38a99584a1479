/// A classification value together with the scheme that defines it.
///
/// A category code is meaningless without its scheme (a VICS category `1` is not a CAID
/// category `1`), so the scheme is always stored. Example: scheme `"vics"`, code `"1"`,
/// label `"CSAM"`.
public struct Category: Sendable, Hashable, Codable {
  /// The scheme that defines the code, e.g. `"vics"` or `"ncmec.fileClassification"`.
  public var scheme: String
  /// The code within the scheme.
  public var code: String
  /// An optional human-readable label for the code.
  public var label: String?

  /// Creates a category.
  /// - Parameters:
  ///   - scheme: The defining scheme.
  ///   - code: The code within the scheme.
  ///   - label: An optional human-readable label.
  public init(scheme: String, code: String, label: String? = nil) {
    self.scheme = scheme
    self.code = code
    self.label = label
  }
}
