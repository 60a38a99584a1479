public import CaseInterchange

/// Limits of the hardened XML reader (on top of libxml2's own, which are never lifted).
public struct XMLLimits: Sendable, Hashable {
  /// Deepest element nesting in the document.
  public var maxDepth = 64
  /// Most elements in one document.
  public var maxElements = ReadLimits.defaultMaxElements
  /// Most elements in one record's subtree.
  public var maxRecordElements = ReadLimits.defaultMaxRecordElements
  /// Largest text of one element, in bytes.
  public var maxTextBytes = 1 << 20
  /// Largest record (its byte span), in bytes.
  public var maxRecordBytes = 16 << 20
  /// Largest document in bytes (0 = no limit).
  public var maxDocumentBytes = 0
  /// Most attributes (namespace declarations included) on one element: `xml.too-many-attributes` beyond it.
  public var maxAttributes = ReadLimits.defaultMaxAttributes
  /// The default of `maxAttributes`.
  public static let defaultMaxAttributes = ReadLimits.defaultMaxAttributes
  /// Creates the default limits.
  public init() {}
  /// Limits derived from the run's read limits.
  public init(_ limits: ReadLimits) {
    maxDepth = limits.safeDepth
    maxTextBytes = limits.maxFieldBytes
    maxRecordBytes = limits.maxRecordBytes
    maxDocumentBytes = limits.maxInputBytes
    maxElements = limits.maxElements
    maxRecordElements = limits.maxRecordElements
    maxAttributes = limits.maxAttributes
  }
}

/// One record element read from a document.
public struct XMLRecord: Sendable {
  /// 0-based index among the document's record elements.
  public var index: Int
  /// The record element's subtree (empty children when the reader does not build trees).
  public var element: XMLElementNode
  /// Exact bytes of the record element in the input: from its start tag's `<` to the end of its end tag
  /// (or of its empty-element tag); line and column of the `<`.
  public var span: SourceSpan
  /// XSD violations of this record (empty when it is valid or no schema is set), located by line and column.
  public var schemaErrors: [Diagnostic]
}
