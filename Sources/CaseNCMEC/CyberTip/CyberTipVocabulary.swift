import CaseModel

/// The fixed tables of the CyberTip JSON mapping: NCMEC's enumerations, and the members the public parsers
/// have seen that no model field holds (kept as extras without a warning; any other member is kept with
/// `cybertip.unknown-member`).
enum CyberTipVocabulary {
  /// The scheme of `Case.offenseTypes` built from `incidentSummary.incidentType`.
  static let incidentTypeScheme = "ncmec-incidentType"
  /// The scheme of `EvidenceFile.category` built from an uploaded file's `industryClassification`.
  static let industryClassificationScheme = "ncmec-industryClassification"

  /// NCMEC's `incidentType` values (exact strings, §1.4 of DOMAIN.md).
  static let incidentTypes: Set<String> = [
    "Child Pornography (possession, manufacture, and distribution)", "Child Sex Trafficking", "Child Sex Tourism",
    "Child Sexual Molestation", "Misleading Domain Name", "Misleading Words or Digital Images on the Internet",
    "Online Enticement of Children for Sexual Acts", "Unsolicited Obscene Material Sent to a Child",
  ]

  /// NCMEC's `industryClassification` values.
  static let industryClassifications: Set<String> = ["A1", "A2", "B1", "B2"]

  /// An `eventName` of a capture, compared ignoring ASCII case and surrounding spaces (Imgur writes `UPLOAD`):
  /// NCMEC's six names plus the provider log kinds of the model.
  static func eventKind(_ text: String) -> IPEventKind? {
    switch folded(text) {
    case "login": .login
    case "logout": .logout
    case "registration": .registration
    case "purchase": .purchase
    case "upload": .upload
    case "session": .session
    case "other": .other
    case "unknown": .unknown
    default: nil
    }
  }

  /// A contact or address `type` (NCMEC's `@type` values), ignoring ASCII case.
  static func contactUse(_ text: String) -> ContactUse? {
    ContactUse.allCases.first { $0.rawValue == folded(text) }
  }

  /// What a source capture is.
  enum CaptureKind {
    case ipAddress, url, profileURL
  }

  /// A capture's `captureType`, ignoring ASCII case and surrounding spaces.
  static func captureKind(_ text: String) -> CaptureKind? {
    switch folded(text) {
    case "ip address": .ipAddress
    case "url": .url
    case "profile url": .profileURL
    default: nil
    }
  }

  /// The espMetadata name under which Dropbox gives a file's upload time.
  static func isUploadTimeMetadata(_ name: String) -> Bool { folded(name) == "upload date and time" }

  /// Lower case, surrounding spaces removed (only ASCII tables are matched against it).
  static func folded(_ text: String) -> String {
    var s = Substring(text)
    while s.first == " " { s = s.dropFirst() }
    while s.last == " " { s = s.dropLast() }
    return s.lowercased()
  }

  // MARK: - Members seen in the public parsers that no model field holds (extras, no warning)

  /// Of a reported person, an intended recipient or the reporting ESP.
  static let personExtras: Set<String> = [
    "preferredName", "gender", "preferredPronouns", "physicalDescription", "vehicleDescription", "vehicleTagNumber",
    "occupation", "relationshipToReporter", "relationshipToChildVictim", "accessToChildVictim", "accessToChildren",
    "accessToFirearms", "convictedSexOffender", "awareOfReport", "gangAffiliation", "additionalContactInformation",
    "languages", "races", "disabilities", "additionalDisabilityInformation",
  ]

  /// Of `incidentSummary`.
  static let incidentSummaryExtras: Set<String> = ["platform", "escalateToHighPriority", "reportAnnotations"]

  /// Of an uploaded file.
  static let fileExtras: Set<String> = ["submittalId"]

  /// Of a source capture (kept on the entity made from it, or on the owner when no entity is made).
  static let captureExtras: Set<String> = ["captureType", "value", "dateTime", "eventName", "port", "possibleProxy"]

  /// Of an e-mail, phone or address element.
  static let contactExtras: Set<String> = ["extension"]
}
