public import CaseModel
public import CaseInterchange
import CaseJSON

/// Writes CaseBridge XML: `<CaseBundle xmlns="urn:casebridge:xml:case:1.0" casebridgeVersion="1.0">`, then one
/// element per entity in the order given, indented by two spaces.
///
/// Each entity goes through its canonical JSON (the same bytes the JSON writers produce) and the generated tables,
/// so XML and JSON carry the same members. Output is deterministic and always validates against
/// `casebridge-case-1.0.xsd`: every value is checked against the XSD's facets before anything is written.
/// An entity that XML 1.0 or the XSD cannot carry makes `write` throw a `FormatError` and none of that record is
/// written: `xml.unwritable-character` for a character XML 1.0 cannot hold (C0 controls but TAB, LF and CR;
/// U+FFFE, U+FFFF: `text.control-character` catches them in most text fields, but not in extras, categories,
/// external references, annotations or locations, nor with `--no-validate`), `xml.unwritable` for a value the model
/// allows and the XSD does not (an empty reference, a negative size, an instant in year 0000, provenance that is
/// not canonical). The pipeline then rejects the input whole.
public struct CaseBridgeXMLWriter: RecordWriter {
  private let sink: any ByteSink
  private var buffer: [UInt8] = []
  private var parser: JSONParser
  /// Entities written so far.
  public private(set) var count = 0

  /// Creates a writer; the prolog and the root's start tag are written at once.
  public init(sink: any ByteSink) {
    self.sink = sink
    var limits = JSONLimits()
    limits.maxDepth = 16
    limits.maxStringBytes = .max
    limits.maxDocumentBytes = .max
    limits.maxElementBytes = .max
    parser = JSONParser(limits: limits)
    buffer.reserveCapacity(1 << 20)
    Self.appendUTF8(&buffer, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<\(CaseBridgeXMLFormat.rootElement) xmlns=\"\(CaseBridgeXMLFormat.namespace)\" \(CaseBridgeXMLFormat.versionAttribute)=\"\(CaseBridgeXMLFormat.version)\">\n")
  }

  private static func appendUTF8(_ out: inout [UInt8], _ s: String) {
    var s = s
    s.withUTF8 { out.append(contentsOf: $0) }
  }

  /// Writes the entities of one record, each as one element.
  /// - Throws: `FormatError` (`xml.unwritable-character`, `xml.unwritable`) for an entity the format cannot carry,
  ///   before anything of the record is written; the sink's I/O error.
  public mutating func write(_ entities: [Entity]) throws {
    var staged: [UInt8] = []
    for e in entities {
      let json: JSONValue
      do {
        json = try parser.parse(EntityJSONEncoder().bytes(e))
      } catch {
        throw FormatError(rule: "xml.unwritable", message: "the entity's canonical JSON cannot be read back (\(error.rule))", location: SourceLocation())
      }
      do {
        try CaseBridgeXMLMapping.write(json, level: 1, into: &staged)
      } catch {
        throw FormatError(
          rule: error.rule, message: "\(e.type.rawValue) entity cannot be written as CaseBridge XML: \(error.message)",
          location: SourceLocation(field: error.path))
      }
    }
    buffer.append(contentsOf: staged)
    count += entities.count
    if buffer.count >= 1 << 20 { try flush() }
  }

  /// Hands buffered bytes to the sink.
  /// - Throws: the sink's I/O error.
  public mutating func flush() throws {
    guard !buffer.isEmpty else { return }
    try buffer.withUnsafeBytes { try sink.write($0) }
    buffer.removeAll(keepingCapacity: true)
  }

  /// Entities per output (one output).
  public var counts: [String: Int] { ["": count] }

  /// Drops buffered bytes and restores the count after the sink was truncated to a checkpoint.
  public mutating func rollback(to checkpoint: WriterCheckpoint) {
    buffer.removeAll(keepingCapacity: true)
    count = checkpoint.count
  }

  /// Closes the root element and flushes.
  /// - Throws: the sink's I/O error.
  public mutating func finish() throws {
    Self.appendUTF8(&buffer, "</\(CaseBridgeXMLFormat.rootElement)>\n")
    try flush()
  }
}
