public import CaseInterchange

extension RuleCatalogue {
  /// Rules of the hardened XML reader and writer (CaseXML core; never turned off).
  public static let xml: [RuleDescriptor] = [
  ]

  /// Rules of CaseBridge XML (casebridge-case-1.0.xsd) and of agency XML/JSON read through profiles.
  public static let caseXML: [RuleDescriptor] = [
    .init("xml.not-casebridge", .error, .syntax, "the root element is not CaseBundle in urn:casebridge:xml:case:1.0, or has an attribute CaseBridge XML does not define (input rejected, exit 65)"),
    .init("xml.missing-version", .error, .syntax, "the CaseBundle element has no casebridgeVersion attribute (input rejected, exit 65)"),
    .init("xml.unsupported-version", .error, .syntax, "casebridgeVersion is not one this build reads (1.0) (input rejected, exit 65)"),
    .init("xml.unknown-content", .error, .syntax, "an element, attribute or text the entity does not define, in a record that was not schema-validated (it would be lost)"),
    .init("xml.unwritable", .error, .input, "an entity CaseBridge XML cannot carry: a character XML 1.0 cannot hold or a value the XSD refuses (the input is rejected, exit 65)"),
  ]
}
