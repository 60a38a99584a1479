// Resource limits for the strict JSON layer. Standard library only.

/// Resource limits applied by `JSONParser` and `JSONDocumentSplitter` to hostile input.
///
/// Every limit is checked before the corresponding memory is committed, so an input that
/// exceeds one fails fast with `json.depth-exceeded`, `json.too-large` or
/// `json.number-out-of-range` instead of exhausting the stack or the heap.
public struct JSONLimits: Sendable, Hashable {
  /// Maximum nesting of arrays and objects; the bracket that would exceed it is rejected.
  public var maxDepth: Int = 64
  /// Maximum bytes between the quotes of one string (raw, still escaped).
  public var maxStringBytes: Int = 1 << 20
  /// Maximum characters in one number literal.
  public var maxNumberLength: Int = 64
  /// Maximum size of a buffer given to `JSONParser.parse`.
  public var maxDocumentBytes: Int = 16 << 20
  /// Maximum size of one top-level member value or one streamed array element (splitter).
  public var maxElementBytes: Int = 16 << 20

  /// Creates the default limits.
  public init() {}
}

extension JSONLimits {
  /// Limits for re-reading CaseBridge's own canonical entity JSON (writers that need an entity as a value): no size
  /// limits, the depth of the entity model.
  public static var ownEntityJSON: JSONLimits {
    var limits = JSONLimits()
    limits.maxDepth = 16
    limits.maxStringBytes = .max
    limits.maxDocumentBytes = .max
    limits.maxElementBytes = .max
    return limits
  }
}
