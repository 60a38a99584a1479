public import CaseInterchange

extension RuleCatalogue {
  /// Rules of NCMEC CyberTipline report XML, in and out.
  public static let ncmec: [RuleDescriptor] = [
  ]

  /// Rules of CyberTip JSON as police receive it (`cybertip-json`). The reader also reports the `json.*` syntax
  /// rules and the field rules of the values it maps (`ip.invalid`, `timestamp.missing-zone`, `email.invalid`,
  /// `field.type-mismatch`, ...).
  public static let cybertip: [RuleDescriptor] = [
    .init("cybertip.missing-report-id", .error, .field, "a tip without reportId (the report cannot be identified)"),
    .init("cybertip.invalid-report-id", .error, .field, "a reportId that is not a decimal integer of at most 19 digits"),
    .init("cybertip.unknown-member", .warning, .field, "a member the CyberTip mapping does not know; kept as an extra of its entity"),
    .init("cybertip.unmapped-value", .warning, .field, "an incidentType, eventName, captureType, contact type, state, country or industryClassification outside the model's tables; kept as given or as an extra"),
    .init("cybertip.hash-algorithm-unknown", .warning, .field, "a verificationHash whose algorithm its length does not tell (32 hex = MD5, 40 = SHA-1, 64 = SHA-256); kept as an extra"),
  ]
}
