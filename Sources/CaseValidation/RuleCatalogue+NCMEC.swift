public import CaseInterchange

extension RuleCatalogue {
  /// Rules of NCMEC CyberTipline report XML, in and out.
  public static let ncmec: [RuleDescriptor] = [
    .init("ncmec.unknown-root", .error, .input, "the document's root is not report or fileDetails (the input is rejected whole)"),
    .init("ncmec.response-document", .warning, .syntax, "an API response (reportResponse, reportDoneResponse): no case facts; ignored, not a record"),
    .init("ncmec.unknown-element", .error, .syntax, "an element NCMEC's schema does not define there (it would be lost)"),
    .init("ncmec.repeated-element", .error, .syntax, "a second occurrence of an element NCMEC's schema allows once"),
    .init("ncmec.missing-element", .error, .syntax, "an element NCMEC's schema requires is absent (incidentType, incidentDateTime, reportingPerson...)"),
    .init("ncmec.unknown-attribute", .error, .syntax, "an attribute NCMEC's schema does not define there (it would be lost)"),
    .init("ncmec.missing-attribute", .error, .syntax, "an attribute NCMEC's schema requires is absent (hashType, associatedAccount type, batchedReport reason)"),
    .init("ncmec.unexpected-text", .error, .syntax, "text inside an element that holds elements only"),
    .init("ncmec.choice", .error, .syntax, "internetDetails without exactly one incident, or fileDetails with both potentialMeme and fileAnnotations"),
    .init("ncmec.invalid-enumeration", .error, .field, "not exactly one of the values NCMEC's schema lists (incidentType, eventName, @type...)"),
    .init("ncmec.invalid-boolean", .error, .field, "not an xs:boolean, or false in a presence flag"),
    .init("ncmec.invalid-number", .error, .field, "not an xs:int, xs:long or finite xs:double (ages, ports, report ids, coordinates)"),
    .init("ncmec.invalid-pattern", .error, .field, "a phone countryCallingCode that is not + and 1-3 digits, or an extension that is not digits"),
    .init("ncmec.invalid-report-id", .error, .syntax, "a casebridge-ncmec processing instruction whose reportId is not a decimal xs:long"),
    .init("ncmec.too-long", .warning, .field, "longer than NCMEC's documented limit (kept on import; left out on export)"),
    .init("ncmec.date-with-zone", .warning, .field, "an xs:date with a zone suffix: the calendar date is kept without it"),
    .init("ncmec.unknown-hash-type", .warning, .field, "an originalFileHash hashType CaseBridge does not know: the digest is kept as extras"),
    .init("ncmec.incident-email-unlisted", .warning, .field, "an e-mail or newsgroup incident address that is on no person of the report"),
    .init("ncmec.age-and-birth-date", .warning, .field, "an associatedAccount with both approximateAge and dateOfBirth"),
    .init("ncmec.exif-without-file-viewed", .warning, .field, "exifViewedByEsp true while fileViewedByEsp is not"),
    .init("ncmec.supplemental-annotated", .warning, .field, "a Supplemental Reported file with a meme annotation or an industryClassification"),
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
