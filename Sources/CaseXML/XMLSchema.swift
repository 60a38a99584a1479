public import CaseInterchange
import CLibXML2

/// A compiled W3C XML Schema (XSD 1.0), compiled once from bytes in memory and shared read-only.
///
/// libxml2's parsed schema may be used by several threads at once as long as each has its own validation
/// context: every `XMLRecordReader` creates its own, so one `XMLSchema` can serve many readers in parallel.
/// Only single-file schemas are supported: `xs:include`, `xs:import` and `xs:redefine` would need a loader, and the
/// process-wide loader refuses every URL, so such schemas fail to compile (`xml.schema-invalid`). A schema with a
/// DOCTYPE is refused before libxml2 sees it.
public final class XMLSchema: @unchecked Sendable {
  /// The name given at compilation (a file name, for messages).
  public let name: String
  let pointer: xmlSchemaPtr

  /// Compiles a schema.
  /// - Throws: `FormatError` with rule `xml.schema-invalid` when the bytes are not a usable XSD.
  public init(xsd: [UInt8], name: String) throws(FormatError) {
    XMLSecurity.install()
    self.name = name
    func invalid(_ message: String, line: Int? = nil) -> FormatError {
      FormatError(rule: "xml.schema-invalid", message: message, location: SourceLocation(source: name, line: line))
    }
    if Self.containsDoctype(xsd) { throw invalid("the schema has a document type declaration") }
    let sink = LibXMLErrorSink()
    let compiled: xmlSchemaPtr? = xsd.withUnsafeBufferPointer { b in
      b.withMemoryRebound(to: CChar.self) { c in
        guard let pctxt = xmlSchemaNewMemParserCtxt(c.baseAddress, Int32(clamping: c.count)) else { return nil }
        defer { xmlSchemaFreeParserCtxt(pctxt) }
        xmlSchemaSetParserStructuredErrors(pctxt, collectLibXMLError, sink.context)
        return xmlSchemaParse(pctxt)
      }
    }
    withExtendedLifetime(sink) {}
    guard let compiled, !sink.hasErrors else {
      if let compiled { xmlSchemaFree(compiled) }
      let first = sink.firstError
      throw invalid("the schema cannot be compiled (libxml2 error \(first?.code ?? 0))", line: first.map(\.line))
    }
    pointer = compiled
  }

  deinit { xmlSchemaFree(pointer) }

  /// Whether the bytes contain `<!DOCTYPE` (ASCII-compatible encodings; schemas are UTF-8).
  private static func containsDoctype(_ b: [UInt8]) -> Bool {
    let needle = Array("<!DOCTYPE".utf8)
    guard b.count >= needle.count else { return false }
    for i in 0...(b.count - needle.count) where b[i] == 0x3C && b[i + 1] == 0x21 {
      if Array(b[i..<(i + needle.count)]) == needle { return true }
    }
    return false
  }
}
