public import CaseInterchange

extension RuleCatalogue {
  /// Rules of the hardened XML reader and writer (CaseXML core; never turned off).
  public static let xml: [RuleDescriptor] = [
    .init("xml.doctype-forbidden", .error, .input, "a DOCTYPE (DTD): refused before libxml2 parses it; covers entity bombs, XXE, parameter entities and external DTDs"),
    .init("xml.entity-forbidden", .error, .input, "an entity reference other than &lt; &gt; &amp; &apos; &quot;"),
    .init("xml.xinclude-forbidden", .error, .input, "an element in the XInclude namespace (inclusion is never performed)"),
    .init("xml.compressed-input", .error, .input, "gzip, bzip2, xz, zstd, zip or compress bytes where XML was expected"),
    .init("xml.depth-exceeded", .error, .input, "elements nested deeper than --max-depth"),
    .init("xml.too-many-elements", .error, .input, "more elements in one document than the limit"),
    .init("xml.too-many-attributes", .error, .input, "an element with more than 256 attributes (namespace declarations included)"),
    .init("xml.text-too-large", .error, .input, "an element's text larger than --max-field-bytes"),
    .init("xml.record-too-large", .error, .input, "a record element larger than --max-record-bytes or with more elements than the limit"),
    .init("xml.too-large", .error, .input, "a document larger than --max-input-bytes"),
    .init("xml.not-well-formed", .error, .syntax, "the document is not well-formed XML (located by line and column)"),
    .init("xml.encoding", .error, .syntax, "bytes that do not decode in the document's encoding, or an unknown, unsupported or contradicting encoding declaration"),
    .init("xml.invalid-character", .error, .syntax, "a character, or a character reference, XML 1.0 does not allow (&#0;, raw control characters)"),
    .init("xml.empty", .error, .syntax, "an empty document, or one without a root element"),
    .init("xml.schema-invalid", .error, .input, "an XSD that cannot be compiled"),
    .init("xml.schema-violation", .error, .syntax, "a record that is not valid against the XSD (located by line, column and element path)"),
    .init("xml.unwritable-character", .error, .syntax, "a value with a character XML 1.0 cannot carry (C0 controls other than TAB, LF, CR; U+FFFE, U+FFFF)"),
    .init("xml.invalid-name", .error, .syntax, "an element or attribute name the XML writer was given that is not an XML name"),
    .init("html.too-large", .error, .input, "an HTML page larger than the limit"),
    .init("html.depth-exceeded", .error, .input, "HTML elements nested deeper than the limit"),
    .init("html.unparseable", .error, .input, "an HTML page libxml2 cannot parse at all"),
  ]

  /// Rules of CaseBridge XML (casebridge-case-1.0.xsd) and of agency XML/JSON read through profiles.
  public static let caseXML: [RuleDescriptor] = [
    .init("xml.not-casebridge", .error, .syntax, "the root element is not CaseBundle in urn:casebridge:xml:case:1.0, or has an attribute CaseBridge XML does not define (input rejected, exit 65)"),
    .init("xml.missing-version", .error, .syntax, "the CaseBundle element has no casebridgeVersion attribute (input rejected, exit 65)"),
    .init("xml.unsupported-version", .error, .syntax, "casebridgeVersion is not one this build reads (1.0) (input rejected, exit 65)"),
    .init("xml.unknown-content", .error, .syntax, "an element, attribute or text the entity does not define, in a record that was not schema-validated (it would be lost)"),
    .init("xml.unwritable", .error, .input, "an entity CaseBridge XML cannot carry: a value the model allows and the XSD refuses, such as an empty reference or a year-0000 instant (the input is rejected, exit 65)"),
  ]
}
