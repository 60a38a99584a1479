
/// An XML name: namespace URI (nil = no namespace), local part, and the prefix as written.
public struct XMLName: Sendable, Hashable, CustomStringConvertible {
  /// Namespace URI; nil when the element is in no namespace.
  public var namespace: String?
  /// Local name.
  public var local: String
  /// The prefix used in the document (for messages only; never for matching).
  public var prefix: String?
  /// Creates a name.
  public init(_ local: String, namespace: String? = nil, prefix: String? = nil) {
    self.local = local
    self.namespace = namespace
    self.prefix = prefix
  }
  /// `prefix:local` as written.
  public var description: String { prefix.map { "\($0):\(local)" } ?? local }
}

/// An attribute of an element.
public struct XMLAttribute: Sendable, Hashable {
  /// The attribute's name (no namespace unless prefixed).
  public var name: XMLName
  /// The attribute's value, after XML attribute-value normalisation.
  public var value: String
  /// Creates an attribute.
  public init(name: XMLName, value: String) {
    self.name = name
    self.value = value
  }
}

/// A small, Foundation-free element tree: one record's subtree, copied out of libxml2.
///
/// Text is the concatenation of the element's own text and CDATA children (comments and processing instructions
/// are dropped; whitespace-only text of an element that has child elements is dropped); child elements keep
/// document order. Mixed content keeps its text but not its interleaving. (Trees from `HTMLDocument` differ: there
/// `text` is the whole text content, descendants included, with whitespace collapsed.)
public struct XMLElementNode: Sendable, Hashable {
  /// The element's name.
  public var name: XMLName
  /// Attributes in document order (namespace declarations excluded).
  public var attributes: [XMLAttribute]
  /// Child elements in document order.
  public var children: [XMLElementNode]
  /// The element's own text (text and CDATA children concatenated).
  public var text: String
  /// 1-based line of the start tag.
  public var line: Int
  /// 1-based column of the start tag's `<` (0 when unknown).
  public var column: Int

  /// Creates an element.
  public init(name: XMLName, attributes: [XMLAttribute] = [], children: [XMLElementNode] = [], text: String = "", line: Int = 0, column: Int = 0) {
    self.name = name
    self.attributes = attributes
    self.children = children
    self.text = text
    self.line = line
    self.column = column
  }

  /// The first child element with a local name.
  public func child(_ local: String) -> XMLElementNode? { children.first { $0.name.local == local } }
  /// Every child element with a local name, in order.
  public func children(_ local: String) -> [XMLElementNode] { children.filter { $0.name.local == local } }
  /// The value of an un-prefixed attribute by local name.
  public func attribute(_ local: String) -> String? { attributes.first { $0.name.local == local && $0.name.namespace == nil }?.value }
}

/// Which elements of a document are source records.
public enum XMLRecordSelector: Sendable, Hashable {
  /// The root element itself is the one record (an NCMEC `report` or `fileDetails` document).
  case root
  /// Every child element of the root (CaseBridge XML: one entity element per record).
  case childrenOfRoot
  /// Elements at an absolute path of local names from the root, e.g. `["Export", "Incidents", "Incident"]`.
  case path([String])
}
