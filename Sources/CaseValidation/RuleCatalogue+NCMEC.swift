public import CaseInterchange

extension RuleCatalogue {
  /// Rules of NCMEC CyberTipline report XML, in and out.
  public static let ncmec: [RuleDescriptor] = [
  ]

  /// Rules of CyberTip JSON as police receive it.
  public static let cybertip: [RuleDescriptor] = [
  ]
}
