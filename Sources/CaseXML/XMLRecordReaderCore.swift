public import CaseInterchange
import CLibXML2
#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The hardened streaming XML reader: yields the record elements of one document, each with its exact byte span,
/// optionally its subtree and its XSD violations.
///
/// libxml2 (2.9.x) reads the bytes through an IO callback fed from a `ChunkedFile`; a byte-level structure scanner
/// (`XMLStructureScanner`) sees the same bytes first, so every record gets its exact span, and a DOCTYPE, too deep a
/// nesting, too many elements, too large a text, record or document stop the input before libxml2 parses it. The
/// parser options are `NONET | NOERROR | NOWARNING | BIG_LINES` only: never `NOENT`, `DTDLOAD`, `DTDATTR`,
/// `DTDVALID`, `XINCLUDE`, `HUGE` or `RECOVER`. libxml2's messages are never shown: errors are mapped from their
/// codes to CaseBridge's own rule ids and messages, located by line and column.
///
/// Any failure to read the document throws `FormatError` and the document is rejected whole; records yielded
/// before the failure must not be committed (the pipeline prescans with `buildsTree: false` first).
///
/// Not Sendable: one reader belongs to one task; libxml2's reader and validation contexts are not thread-safe.
public final class XMLRecordReader {
  /// The input's display name.
  public let sourceName: String
  /// Which elements are records.
  public let selector: XMLRecordSelector
  /// The limits in force.
  public let limits: XMLLimits
  /// Whether records carry their subtree (and are validated); false is the fast well-formedness prescan, whose
  /// records carry only the record element itself with its attributes.
  public let buildsTree: Bool
  /// The root element's name, attributes, line and column (no children, no text), once its start tag was read.
  public private(set) var root: XMLElementNode?
  /// How many record elements were yielded so far.
  public private(set) var recordCount = 0

  private let feed: XMLInputFeed
  private let reader: OpaquePointer
  private let errors = LibXMLErrorSink()
  private let schema: XMLSchema?
  private let validation: OpaquePointer?
  private let schemaSink = LibXMLErrorSink()
  private var pathNames: [UnsafePointer<xmlChar>?] = []
  private var matched = 0
  private var needsSkip = false
  private var openRecord: (depth: Int, element: XMLElementNode)?
  private var failure: FormatError?
  private var finished = false
  private var plainNamespace: UnsafePointer<xmlChar>?

  /// Opens a document.
  /// - Parameters:
  ///   - file: the input, read from its current position (normally the start).
  ///   - sourceName: the input's display name, for locations.
  ///   - selector: which elements are records.
  ///   - schema: when set (and `buildsTree`), every record is validated against its global element declaration.
  ///   - limits: the limits.
  ///   - buildsTree: false for the fast prescan: no subtrees, no validation, records carry their span only.
  /// - Throws: `FormatError`: `xml.empty`, `xml.compressed-input`, `xml.encoding`, or an I/O rule.
  public init(
    file: ChunkedFile, sourceName: String, selector: XMLRecordSelector, schema: XMLSchema? = nil,
    limits: XMLLimits = XMLLimits(), buildsTree: Bool = true
  ) throws(FormatError) {
    XMLSecurity.install()
    self.sourceName = sourceName
    self.selector = selector
    self.limits = limits
    self.buildsTree = buildsTree
    self.schema = buildsTree ? schema : nil
    feed = XMLInputFeed(file: file)
    let head = try feed.prime()
    let sniffed = try XMLRecordReader.sniff(head, source: sourceName)
    feed.scanner = XMLStructureScanner(
      encoding: sniffed.encoding, bomBytes: sniffed.bomBytes, selector: selector, limits: limits, keepsTagPositions: buildsTree)
    let options =
      Int32(bitPattern: XML_PARSE_NONET.rawValue) | Int32(bitPattern: XML_PARSE_NOERROR.rawValue)
      | Int32(bitPattern: XML_PARSE_NOWARNING.rawValue) | Int32(bitPattern: XML_PARSE_BIG_LINES.rawValue)
    guard let r = xmlReaderForIO(xmlFeedRead, xmlFeedClose, feed.context, nil, nil, options) else {
      throw feed.ioError ?? XMLRecordReader.stopError(feed.scanner.stop, source: sourceName)
        ?? FormatError(rule: "xml.not-well-formed", message: "the document cannot be parsed", location: SourceLocation(source: sourceName, line: 1))
    }
    reader = r
    xmlTextReaderSetStructuredErrorHandler(r, collectLibXMLError, errors.context)
    if case .path(let names) = selector {
      pathNames = names.map { n in n.withCString { xmlTextReaderConstString(r, UnsafeRawPointer($0).assumingMemoryBound(to: xmlChar.self)) } }
    }
    if let schema = self.schema, let v = xmlSchemaNewValidCtxt(schema.pointer) {
      xmlSchemaSetValidStructuredErrors(v, collectLibXMLError, schemaSink.context)
      validation = v
    } else {
      validation = nil
    }
  }

  deinit {
    if let validation { xmlSchemaFreeValidCtxt(validation) }
    xmlFreeTextReader(reader)
  }

  /// The next record, or nil at the end of the document.
  /// - Throws: `FormatError` when the document cannot be read on (it is then rejected whole); every later call
  ///   throws the same error.
  public func next() throws(FormatError) -> XMLRecord? {
    if let failure { throw failure }
    if finished { return nil }
    casebridge_silenceThreadErrors()
    do {
      return try advance()
    } catch {
      failure = error
      throw error
    }
  }

  private func advance() throws(FormatError) -> XMLRecord? {
    while true {
      let rc: Int32
      if needsSkip {
        needsSkip = false
        rc = xmlTextReaderNext(reader)
      } else {
        rc = xmlTextReaderRead(reader)
      }
      if rc == 0 {
        try finish()
        return nil
      }
      if rc < 0 { throw readFailure() }
      switch xmlTextReaderNodeType(reader) {
      case Int32(XML_READER_TYPE_ELEMENT.rawValue):
        let depth = Int(xmlTextReaderDepth(reader))
        guard let node = xmlTextReaderCurrentNode(reader) else { throw readFailure() }
        try checkNamespace(node, line: nil, column: nil)
        let isEmpty = xmlTextReaderIsEmptyElement(reader) == 1
        if depth == 0 && root == nil { root = copyShallow(node, attributes: true) }
        guard isRecord(depth: depth, isEmpty: isEmpty) else { continue }
        if buildsTree { return try treeRecord() }
        // The record element's own attributes are kept (a prescan reads ids from them); its subtree is not.
        let element = copyShallow(node, attributes: true)
        if isEmpty { return try spanRecord(element) }
        openRecord = (depth, element)
      case Int32(XML_READER_TYPE_END_ELEMENT.rawValue):
        let depth = Int(xmlTextReaderDepth(reader))
        if matched > depth { matched = depth }
        if let open = openRecord, open.depth == depth {
          openRecord = nil
          return try spanRecord(open.element)
        }
      case Int32(XML_READER_TYPE_ENTITY_REFERENCE.rawValue), Int32(XML_READER_TYPE_ENTITY.rawValue):
        throw documentError("xml.entity-forbidden", "an entity reference other than the five predefined ones", line: currentLine())
      case Int32(XML_READER_TYPE_DOCUMENT_TYPE.rawValue):
        throw documentError("xml.doctype-forbidden", "a document type declaration (DTD) is not allowed", line: currentLine())
      default:
        continue
      }
    }
  }

  private func isRecord(depth: Int, isEmpty: Bool) -> Bool {
    switch selector {
    case .root:
      return depth == 0
    case .childrenOfRoot:
      return depth == 1
    case .path(let names):
      guard matched == depth, depth < names.count, let want = pathNames[depth],
        xmlTextReaderConstLocalName(reader) == UnsafePointer(want)
      else { return false }
      if depth == names.count - 1 { return true }
      if !isEmpty { matched = depth + 1 }
      return false
    }
  }

  // MARK: Records

  private func popSpan() throws(FormatError) -> XMLScannedRecord {
    guard let scanned = feed.scanner.popRecord() else {
      throw documentError("xml.not-well-formed", "the record's extent cannot be determined", line: currentLine())
    }
    return scanned
  }

  private func spanRecord(_ element: XMLElementNode) throws(FormatError) -> XMLRecord {
    let scanned = try popSpan()
    var element = element
    element.line = scanned.span.line
    element.column = scanned.span.column
    defer { recordCount += 1 }
    return XMLRecord(index: recordCount, element: element, span: scanned.span, schemaErrors: [])
  }

  private func treeRecord() throws(FormatError) -> XMLRecord {
    guard let expanded = xmlTextReaderExpand(reader) else { throw readFailure() }
    let scanned = try popSpan()
    needsSkip = true
    var tag = scanned.firstTag
    let element = try copyElement(expanded, tag: &tag)
    var diagnostics: [Diagnostic] = []
    if let validation {
      schemaSink.removeAll()
      let rc = xmlSchemaValidateOneElement(validation, expanded)
      if rc != 0 { diagnostics = schemaDiagnostics(record: expanded, scanned: scanned, rc: rc) }
    }
    feed.scanner.releaseTagPositions(before: scanned.firstTag + scanned.tagCount)
    defer { recordCount += 1 }
    return XMLRecord(index: recordCount, element: element, span: scanned.span, schemaErrors: diagnostics)
  }

  // MARK: Copying libxml2 nodes

  private func name(_ local: UnsafePointer<xmlChar>?, _ ns: xmlNsPtr?) -> XMLName {
    XMLName(
      local.map { interned($0) } ?? "", namespace: ns?.pointee.href.map { copied($0) },
      prefix: ns?.pointee.prefix.map { copied($0) })
  }

  /// Strings of names the reader's dictionary interned (element and attribute local names): the pointer is stable
  /// for the reader's life, so it is the key.
  private var internedSlots = [(key: UnsafeRawPointer?, value: String)](repeating: (nil, ""), count: 512)
  /// Strings of namespace URIs and prefixes (not interned: a slot is used only if its text still matches).
  private var copiedSlots = [(key: UnsafeRawPointer?, value: String)](repeating: (nil, ""), count: 64)

  private func interned(_ p: UnsafePointer<xmlChar>) -> String {
    let key = UnsafeRawPointer(p)
    let h = (Int(bitPattern: key) >> 3) & (internedSlots.count - 1)
    if internedSlots[h].key == key { return internedSlots[h].value }
    let s = String(cString: p)
    internedSlots[h] = (key, s)
    return s
  }

  private func copied(_ p: UnsafePointer<xmlChar>) -> String {
    let key = UnsafeRawPointer(p)
    let h = (Int(bitPattern: key) >> 4) & (copiedSlots.count - 1)
    if copiedSlots[h].key == key {
      var value = copiedSlots[h].value
      let same = value.withUTF8 { u in
        strlen(UnsafeRawPointer(p).assumingMemoryBound(to: CChar.self)) == u.count
          && (u.count == 0 || memcmp(p, u.baseAddress!, u.count) == 0)
      }
      if same { return value }
    }
    let s = String(cString: p)
    copiedSlots[h] = (key, s)
    return s
  }

  private func copyShallow(_ node: xmlNodePtr, attributes: Bool) -> XMLElementNode {
    var element = XMLElementNode(name: name(node.pointee.name, node.pointee.ns), line: Int(xmlGetLineNo(node)))
    if attributes { element.attributes = copyAttributes(node) }
    return element
  }

  private func copyAttributes(_ node: xmlNodePtr) -> [XMLAttribute] {
    var out: [XMLAttribute] = []
    var a = node.pointee.properties
    while let attr = a {
      out.append(XMLAttribute(name: name(attr.pointee.name, attr.pointee.ns), value: textOf(attr.pointee.children)))
      a = attr.pointee.next
    }
    return out
  }

  /// The concatenated text and CDATA of a node list.
  private func textOf(_ first: xmlNodePtr?) -> String {
    var text = ""
    var n = first
    while let c = n {
      if c.pointee.type == XML_TEXT_NODE || c.pointee.type == XML_CDATA_SECTION_NODE, let content = c.pointee.content {
        text += String(cString: content)
      }
      n = c.pointee.next
    }
    return text
  }

  private func copyElement(_ node: xmlNodePtr, tag: inout Int) throws(FormatError) -> XMLElementNode {
    let position = feed.scanner.tagPosition(tag)
    tag += 1
    let line = position?.line ?? Int(xmlGetLineNo(node))
    try checkNamespace(node, line: line, column: position?.column)
    var element = XMLElementNode(
      name: name(node.pointee.name, node.pointee.ns), attributes: copyAttributes(node), line: line,
      column: position?.column ?? 0)
    var text = ""
    var child = node.pointee.children
    while let c = child {
      switch c.pointee.type {
      case XML_ELEMENT_NODE:
        element.children.append(try copyElement(c, tag: &tag))
      case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
        if let content = c.pointee.content { text += String(cString: content) }
      case XML_ENTITY_REF_NODE, XML_ENTITY_NODE, XML_ENTITY_DECL:
        throw documentError("xml.entity-forbidden", "an entity reference other than the five predefined ones", line: Int(xmlGetLineNo(c)))
      default:
        break
      }
      child = c.pointee.next
    }
    if text.utf8.count > limits.maxTextBytes {
      throw documentError("xml.text-too-large", "an element's text is larger than the limit", line: line)
    }
    if !element.children.isEmpty && text.utf8.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x09 || $0 == 0x0D }) { text = "" }
    element.text = text
    return element
  }

  /// Refuses XInclude elements (they are never processed; their presence means the sender expected inclusion).
  private func checkNamespace(_ node: xmlNodePtr, line: Int?, column: Int?) throws(FormatError) {
    guard let href = node.pointee.ns?.pointee.href, UnsafePointer(href) != plainNamespace else { return }
    if strcmp(href, "http://www.w3.org/2001/XInclude") == 0 || strcmp(href, "http://www.w3.org/2003/XInclude") == 0 {
      throw documentError(
        "xml.xinclude-forbidden", "an XInclude element (inclusion is never performed)", line: line ?? Int(xmlGetLineNo(node)),
        column: column)
    }
    plainNamespace = UnsafePointer(href)
  }

  // MARK: Schema errors

  private func schemaDiagnostics(record: xmlNodePtr, scanned: XMLScannedRecord, rc: Int32) -> [Diagnostic] {
    var out: [Diagnostic] = []
    for issue in schemaSink.issues where issue.isError {
      var location = SourceLocation(source: sourceName, record: recordCount, line: issue.line > 0 ? issue.line : scanned.span.line)
      if let raw = issue.node {
        let node = raw.assumingMemoryBound(to: xmlNode.self)
        var element: xmlNodePtr? = node
        var attribute = issue.attribute
        if node.pointee.type == XML_ATTRIBUTE_NODE {
          let attr = raw.assumingMemoryBound(to: xmlAttr.self)
          attribute = attr.pointee.name.map { String(cString: $0) }
          element = attr.pointee.parent
        }
        if let element, let index = preorderIndex(of: element, in: record) {
          if let p = feed.scanner.tagPosition(scanned.firstTag + index) {
            location.line = p.line
            location.column = p.column
          }
          location.field = elementPath(element, record: record) + (attribute.map { "/@" + $0 } ?? "")
        }
      }
      out.append(Diagnostic(
        rule: "xml.schema-violation", severity: .error, message: LibXMLErrorMap.schema(issue), location: location, value: issue.value))
    }
    if out.isEmpty {
      out.append(Diagnostic(
        rule: "xml.schema-violation", severity: .error, message: "the record could not be validated (libxml2 status \(rc))",
        location: SourceLocation(source: sourceName, record: recordCount, line: scanned.span.line, column: scanned.span.column)))
    }
    return out
  }

  /// The position of an element among the record's elements in document order (the record is 0).
  private func preorderIndex(of target: xmlNodePtr, in record: xmlNodePtr) -> Int? {
    var index = 0
    func visit(_ n: xmlNodePtr) -> Bool {
      if n == target { return true }
      index += 1
      var c = n.pointee.children
      while let child = c {
        if child.pointee.type == XML_ELEMENT_NODE && visit(child) { return true }
        c = child.pointee.next
      }
      return false
    }
    return visit(record) ? index : nil
  }

  /// Local names from the record element down to an element: `Incident/Suspect/Name`.
  private func elementPath(_ node: xmlNodePtr, record: xmlNodePtr) -> String {
    var names: [String] = []
    var n: xmlNodePtr? = node
    while let e = n {
      names.append(e.pointee.name.map { String(cString: $0) } ?? "")
      if e == record { break }
      n = e.pointee.parent
    }
    return names.reversed().joined(separator: "/")
  }

  // MARK: Errors

  private func currentLine() -> Int? {
    guard let node = xmlTextReaderCurrentNode(reader) else { return nil }
    let l = Int(xmlGetLineNo(node))
    return l > 0 ? l : nil
  }

  private func documentError(_ rule: String, _ message: String, line: Int?, column: Int? = nil) -> FormatError {
    FormatError(rule: rule, message: message, location: SourceLocation(source: sourceName, line: line, column: column))
  }

  static func stopError(_ stop: XMLScanStop?, source: String) -> FormatError? {
    guard let stop else { return nil }
    return FormatError(
      rule: stop.rule, message: stop.message,
      location: SourceLocation(source: source, line: stop.line, column: stop.column, byteOffset: stop.byteOffset))
  }

  /// The error that stopped libxml2: an I/O error, the scanner's stop (unless libxml2 failed earlier in the
  /// document), or libxml2's first error mapped to a rule.
  private func readFailure() -> FormatError {
    if let e = feed.ioError { return e }
    let first = errors.firstError
    if let stop = feed.scanner.stop {
      // libxml2's complaint about input ending early is about the scanner's cut, not an earlier failure (it is
      // located at the last byte passed, which is before the stop: the end of the previous line, for a stop at a
      // line's start).
      let endOfInput: Set<Int32> = [
        Int32(XML_ERR_DOCUMENT_END.rawValue), Int32(XML_ERR_NOT_WELL_BALANCED.rawValue), Int32(XML_ERR_LT_REQUIRED.rawValue),
        Int32(XML_ERR_TAG_NOT_FINISHED.rawValue), Int32(XML_ERR_DOCUMENT_EMPTY.rawValue),
      ]
      let earlier = first.map { f in
        !endOfInput.contains(f.code) && f.line > 0 && (f.line < stop.line || (f.line == stop.line && f.column > 0 && f.column < stop.column))
      } ?? false
      if !earlier, let e = XMLRecordReader.stopError(stop, source: sourceName) { return e }
    }
    if let f = first {
      var mapped = LibXMLErrorMap.document(f)
      if f.code == Int32(XML_ERR_DOCUMENT_END.rawValue) {
        // The push parser reports an unfinished document with the same code as content after the root.
        if root == nil {
          mapped = ("xml.empty", "the document has no root element")
        } else if feed.scanner.depth > 0 {
          mapped = ("xml.not-well-formed", "the document ends before its elements are closed")
        }
      }
      var e = documentError(mapped.rule, mapped.message, line: f.line > 0 ? f.line : nil, column: f.column > 0 ? f.column : nil)
      e.location.byteOffset = f.byteOffset
      return e
    }
    return documentError("xml.not-well-formed", "the document cannot be parsed", line: currentLine())
  }

  private func finish() throws(FormatError) {
    if feed.ioError != nil || feed.scanner.stop != nil || errors.hasErrors { throw readFailure() }
    guard root != nil else { throw documentError("xml.empty", "the document has no root element", line: nil) }
    finished = true
  }

  // MARK: Sniffing

  /// Refuses compressed and unsupported inputs from their first bytes; finds UTF-16 and byte order marks.
  static func sniff(_ b: [UInt8], source: String) throws(FormatError) -> (encoding: XMLStructureScanner.Encoding, bomBytes: Int) {
    func fail(_ rule: String, _ message: String) -> FormatError {
      FormatError(rule: rule, message: message, location: SourceLocation(source: source, line: 1, column: 1, byteOffset: 0))
    }
    if b.isEmpty { throw fail("xml.empty", "the document is empty") }
    func starts(_ p: [UInt8]) -> Bool { b.count >= p.count && Array(b.prefix(p.count)) == p }
    if starts([0x1F, 0x8B]) || starts([0x42, 0x5A, 0x68]) || starts([0xFD, 0x37, 0x7A, 0x58]) || starts([0x28, 0xB5, 0x2F, 0xFD])
      || starts([0x50, 0x4B, 0x03, 0x04]) || starts([0x1F, 0x9D]) || starts([0x5D, 0x00, 0x00])
    {
      throw fail("xml.compressed-input", "the input is compressed (gzip, bzip2, xz, zstd, zip or compress); decompress it first")
    }
    if starts([0x00, 0x00, 0xFE, 0xFF]) || starts([0xFF, 0xFE, 0x00, 0x00]) || starts([0x00, 0x00, 0x00, 0x3C])
      || starts([0x3C, 0x00, 0x00, 0x00]) || starts([0x4C, 0x6F, 0xA7, 0x94])
    {
      throw fail("xml.encoding", "UTF-32 and EBCDIC documents are not supported")
    }
    if starts([0xFE, 0xFF]) { return (.utf16BE, 2) }
    if starts([0xFF, 0xFE]) { return (.utf16LE, 2) }
    if starts([0x00, 0x3C, 0x00, 0x3F]) { return (.utf16BE, 0) }
    if starts([0x3C, 0x00, 0x3F, 0x00]) { return (.utf16LE, 0) }
    if starts([0xEF, 0xBB, 0xBF]) { return (.utf8, 3) }
    return (.utf8, 0)
  }
}
