public import CaseInterchange

extension RuleCatalogue {
  /// Rules of the hardened XML reader and writer (CaseXML core; never turned off).
  public static let xml: [RuleDescriptor] = [
  ]

  /// Rules of CaseBridge XML (casebridge-case-1.0.xsd) and of agency XML/JSON read through profiles.
  public static let caseXML: [RuleDescriptor] = [
  ]
}
