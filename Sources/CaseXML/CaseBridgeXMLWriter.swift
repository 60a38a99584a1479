public import CaseModel
public import CaseInterchange
import CaseJSON

/// Writes CaseBridge XML: `<CaseBundle xmlns="urn:casebridge:xml:case:1.0" casebridgeVersion="1.0">`, then one
/// element per entity in the order given, indented by two spaces.
///
/// Each entity goes through its canonical JSON (the same bytes the JSON writers produce) and the generated tables,
/// so XML and JSON carry the same members; `XMLWriter` escapes the text. Output is deterministic and always
/// validates against `casebridge-case-1.0.xsd`: every value is checked against the XSD's facets before it is
/// written.
/// An entity that XML 1.0 or the XSD cannot carry makes `write` throw a `FormatError` and none of that record is
/// written: `xml.unwritable-character` for a character XML 1.0 cannot hold (C0 controls but TAB, LF and CR;
/// U+FFFE, U+FFFF: `text.control-character` catches them in most text fields, but not in extras, categories,
/// external references, annotations or locations, nor with `--no-validate`), `xml.unwritable` for a value the model
/// allows and the XSD does not (an empty reference, a negative size, an instant in year 0000, provenance that is
/// not canonical). The pipeline then rejects the input whole.
public struct CaseBridgeXMLWriter: RecordWriter {
  private let sink: any ByteSink
  private var xml: XMLWriter
  private var parser: JSONParser
  /// Entities written so far.
  public private(set) var count = 0

  /// Creates a writer; the prolog and the root's start tag are written at once.
  public init(sink: any ByteSink) {
    self.sink = sink
    parser = JSONParser(limits: .ownEntityJSON)
    xml = Self.openDocument()
  }

  /// A writer holding the prolog and the root's start tag.
  private static func openDocument() -> XMLWriter {
    var xml = XMLWriter(indent: true, capacity: 1 << 20)
    xml.declaration()
    // Constant names and values: the writer cannot refuse them.
    try! xml.startElement(
      CaseBridgeXMLFormat.rootElement, namespaces: [(nil, CaseBridgeXMLFormat.namespace)],
      attributes: [(CaseBridgeXMLFormat.versionAttribute, CaseBridgeXMLFormat.version)])
    return xml
  }

  /// Writes the entities of one record, each as one element.
  /// - Throws: `FormatError` (`xml.unwritable-character`, `xml.unwritable`) for an entity the format cannot carry;
  ///   nothing of the record is written then. The sink's I/O error.
  public mutating func write(_ entities: [Entity]) throws {
    let mark = xml.checkpoint()
    for e in entities {
      do {
        // The canonical JSON bytes, parsed: measured cheaper than the Codable route (JSONValueEncoder).
        let json = try parser.parse(EntityJSONEncoder().bytes(e))
        try CaseBridgeXMLMapping.write(json, to: &xml)
      } catch let error as CaseBridgeXMLMapping.Unwritable {
        xml.rollback(to: mark)
        throw FormatError(
          rule: error.rule, message: "\(e.type.rawValue) entity cannot be written as CaseBridge XML: \(error.message)",
          location: SourceLocation(field: error.path))
      } catch {
        xml.rollback(to: mark)
        throw FormatError(rule: "xml.unwritable", message: "the entity's canonical JSON cannot be read back", location: SourceLocation())
      }
    }
    count += entities.count
    if xml.bytes.count >= 1 << 20 { try flush() }
  }

  /// Hands buffered bytes to the sink.
  /// - Throws: the sink's I/O error.
  public mutating func flush() throws { try xml.flush(to: sink) }

  /// Entities per output (one output).
  public var counts: [String: Int] { ["": count] }

  /// Drops buffered bytes and restores the count after the sink was truncated to a checkpoint (between records,
  /// where only the root element is open).
  public mutating func rollback(to checkpoint: WriterCheckpoint) {
    if checkpoint.count == 0 {
      // Back to a root without children (the prolog and start tag are in the sink already), so the document ends
      // as one that never had any: the same bytes as when nothing was written.
      xml = Self.openDocument()
    }
    _ = xml.take()
    count = checkpoint.count
  }

  /// Closes the root element and flushes.
  /// - Throws: the sink's I/O error.
  public mutating func finish() throws {
    xml.endAll()
    try flush()
  }
}
