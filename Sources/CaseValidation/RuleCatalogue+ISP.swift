public import CaseInterchange

extension RuleCatalogue {
  /// Rules of provider legal-process returns (isp-text, isp-log, sectioned, HTML).
  public static let isp: [RuleDescriptor] = [
  ]

  /// Rules and outcomes of lease matching (casebridge match).
  public static let match: [RuleDescriptor] = [
  ]
}
