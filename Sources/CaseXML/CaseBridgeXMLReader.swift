public import CaseInterchange
import CaseModel
import CaseJSON

extension CaseBridgeXMLFormat {
  /// The XSD compiled once per process and shared by every reader (each has its own validation context).
  static let compiledSchema: Result<XMLSchema, FormatError> = Result { () throws(FormatError) -> XMLSchema in
    try XMLSchema(xsd: xsd, name: "casebridge-case-1.0.xsd")
  }
}

/// Reads CaseBridge XML: `<CaseBundle xmlns="urn:casebridge:xml:case:1.0" casebridgeVersion="1.0">` with one entity
/// element per child, streaming through the hardened XML reader.
///
/// Each child of the root is one source record. It is validated on its own against its global element of
/// `casebridge-case-1.0.xsd` (violations → `.rejected` with `xml.schema-violation` diagnostics), mapped to
/// canonical JSON by the generated tables and decoded by `EntityJSONDecoder`, so every strict field rule of
/// canonical JSON applies unchanged; its diagnostics point at the element (line, column, element path). A root
/// that is not `CaseBundle` in the namespace (`xml.not-casebridge`), a missing or unsupported `casebridgeVersion`
/// (`xml.missing-version`, `xml.unsupported-version`) and every document-level failure of the XML reader throw
/// `FormatError`: the input is rejected whole.
public struct CaseBridgeXMLReader: RecordReader {
  private let file: ChunkedFile
  private let sourceName: String
  private let limits: XMLLimits
  private var reader: XMLRecordReader?
  private var rootChecked = false
  private var positions: [String: Int] = [:]

  /// Prescan mode: records are neither validated nor decoded; each carries the `id` its element declares.
  public var prescan = false

  /// Creates a reader over an open file (the document is opened on the first `next()`).
  public init(file: ChunkedFile, sourceName: String, limits: ReadLimits = ReadLimits()) {
    self.file = file
    self.sourceName = sourceName
    self.limits = XMLLimits(limits)
  }

  /// The next outcome.
  /// - Throws: `FormatError` when the document cannot be read as CaseBridge XML.
  public mutating func next() throws(FormatError) -> ReadOutcome? {
    let reader = try open()
    let record = try reader.next()
    if !rootChecked {
      try checkRoot(reader.root)
      rootChecked = true
    }
    guard let record else { return nil }
    let element = record.element
    let position = (positions[element.name.local] ?? 0) + 1
    positions[element.name.local] = position
    let pointer = "/\(CaseBridgeXMLFormat.rootElement)/\(element.name.local)[\(position)]"
    if prescan {
      var rec = SourceRecord(index: record.index, span: record.span, pointer: pointer, entities: [])
      if element.name.namespace == CaseBridgeXMLFormat.namespace, CaseBridgeXMLFormat.tables.entityByElement[element.name.local] != nil,
        let id = element.attribute(CaseBridgeXMLFormat.idAttribute), !id.isEmpty
      {
        rec.declaredIDs = [EntityID(id)]
      }
      return .record(rec)
    }
    if !record.schemaErrors.isEmpty {
      return .rejected(RecordIssue(index: record.index, span: record.span, diagnostics: record.schemaErrors))
    }
    return decode(record, pointer: pointer)
  }

  private mutating func open() throws(FormatError) -> XMLRecordReader {
    if let reader { return reader }
    var schema: XMLSchema? = nil
    if !prescan { schema = try CaseBridgeXMLFormat.compiledSchema.get() }
    // The prescan builds no trees: the record element's own attributes carry its id (measured: building trees only
    // to read `id` was a quarter of an XML conversion).
    let r = try XMLRecordReader(
      file: file, sourceName: sourceName, selector: .childrenOfRoot, schema: schema, limits: limits, buildsTree: !prescan)
    reader = r
    return r
  }

  private func fatal(_ rule: String, _ message: String, _ root: XMLElementNode) -> FormatError {
    FormatError(rule: rule, message: message, location: SourceLocation(source: sourceName, line: root.line, column: root.column > 0 ? root.column : nil))
  }

  /// `CaseBundle` in the CaseBridge namespace, with a `casebridgeVersion` this build reads and no other attribute
  /// (`xsi:` attributes such as `xsi:schemaLocation` excepted).
  private func checkRoot(_ root: XMLElementNode?) throws(FormatError) {
    guard let root else { return }
    guard root.name.local == CaseBridgeXMLFormat.rootElement, root.name.namespace == CaseBridgeXMLFormat.namespace else {
      throw fatal("xml.not-casebridge", "the root element is not CaseBundle in the namespace \(CaseBridgeXMLFormat.namespace)", root)
    }
    for a in root.attributes where a.name.namespace != CaseBridgeXMLMapping.xsiNamespace {
      if a.name.namespace == nil && a.name.local == CaseBridgeXMLFormat.versionAttribute { continue }
      throw fatal("xml.not-casebridge", "the CaseBundle element has an attribute CaseBridge XML does not define", root)
    }
    guard let version = root.attribute(CaseBridgeXMLFormat.versionAttribute) else {
      throw fatal("xml.missing-version", "the CaseBundle element has no casebridgeVersion attribute", root)
    }
    guard CaseBridgeXMLFormat.readableVersions.contains(where: { $0.utf8.elementsEqual(version.utf8) }) else {
      throw fatal("xml.unsupported-version", "casebridgeVersion is not one this build reads (\(CaseBridgeXMLFormat.version))", root)
    }
  }

  /// Maps a validated record to canonical JSON and decodes it; findings point at elements.
  private func decode(_ record: XMLRecord, pointer: String) -> ReadOutcome {
    let mapped = CaseBridgeXMLMapping.read(record.element)
    let sourceName = self.sourceName
    func location(line: Int, column: Int, field: String?) -> SourceLocation {
      SourceLocation(
        source: sourceName, record: record.index, line: line, column: column > 0 ? column : nil, byteOffset: record.span.byteOffset,
        byteLength: record.span.byteLength, field: field)
    }
    if !mapped.problems.isEmpty {
      return .rejected(RecordIssue(index: record.index, span: record.span, diagnostics: mapped.problems.map {
        Diagnostic(rule: "xml.unknown-content", severity: .error, message: $0.message + "; it would be lost", location: location(line: $0.line, column: $0.column, field: $0.path))
      }))
    }
    let type = CaseBridgeXMLFormat.tables.entityByElement[record.element.name.local].map { CaseBridgeXMLFormat.tables.types[$0].name } ?? ""
    let origins = mapped.origins
    let span = record.span
    let result = [UInt8]().withUnsafeBytes { empty in
      EntityJSONDecoder().decode(mapped.json, bytes: empty, base: TextPosition(line: span.line, column: span.column), baseOffset: span.byteOffset) {
        pointer, _, _ in
        // The deepest element the pointer reaches: its line and column; the path from the tables.
        let origin = pointer.flatMap { p in
          origins.filter { p == $0.pointer || p.hasPrefix($0.pointer + "/") }.max { $0.pointer.utf8.count < $1.pointer.utf8.count }
        }
        let field = pointer.flatMap { CaseBridgeXMLMapping.path(forPointer: $0, in: type) }
        return location(line: origin?.line ?? span.line, column: origin?.column ?? span.column, field: field)
      }
    }
    switch result {
    case .success(let entity):
      var rec = SourceRecord(index: record.index, span: span, pointer: pointer, entities: [entity])
      rec.origins = origins
      return .record(rec)
    case .failure(let diagnostics):
      return .rejected(RecordIssue(index: record.index, span: span, diagnostics: diagnostics))
    }
  }
}
