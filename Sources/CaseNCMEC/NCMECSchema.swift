/// The element structure of NCMEC's CyberTipline report schema (`cybertipline-report.xsd`, API documentation of
/// 2025-06-11) as a table: which children each element type has, in sequence order, how often, and which
/// attributes. The reader checks documents against it (unknown or repeated elements would otherwise be lost) and
/// builds element paths from it; the writer sorts the elements it builds into schema order with it.
///
/// NCMEC's schema is not shipped (it is NCMEC's document); this table is CaseBridge's reading of it, and the tests
/// validate written documents against the real file with xmllint.
enum NCMECSchema {
  /// What a leaf element or an attribute holds.
  enum Leaf: Sendable, Equatable {
    /// `xs:string` (whitespace kept).
    case string
    /// `xs:boolean`: `true`, `false`, `1`, `0` (surrounding whitespace collapsed).
    case boolean
    /// `xs:boolean fixed="true"`: a presence flag, written empty.
    case flag
    /// `xs:int`.
    case int
    /// `xs:long`.
    case long
    /// `xs:double`.
    case double
    /// `xs:dateTime`; CaseBridge requires the offset NCMEC's documentation requires.
    case dateTime
    /// `xs:date`.
    case date
    /// `xs:token`.
    case token
    /// A string restricted to exact values.
    case enumeration([String])
    /// NCMEC's `country` list: ISO 3166-1 alpha-2 plus its legacy values, or empty.
    case country
    /// NCMEC's `state` list: USPS codes, or empty.
    case state
    /// A phone's `countryCallingCode`: `+` and one to three digits.
    case callingCode
    /// A phone's `extension`: `[0-9]+`.
    case digits
  }

  /// An attribute of an element type.
  struct Attribute: Sendable {
    let name: String
    let leaf: Leaf
    let required: Bool
  }

  /// A child element of an element type.
  struct Child: Sendable {
    let name: String
    /// The child's type: a key of ``types``.
    let type: String
    let required: Bool
    let repeats: Bool
  }

  /// An element type: element-only content (children), or a leaf with text (`leaf`), plus attributes.
  struct ElementType: Sendable {
    let children: [Child]
    let leaf: Leaf?
    let attributes: [Attribute]
    /// `xs:choice` of exactly one child (internetDetails) or of at most one (nothing else).
    let isChoice: Bool

    func child(_ name: String) -> Child? { children.first { $0.name == name } }
    func attribute(_ name: String) -> Attribute? { attributes.first { $0.name == name } }
    /// Position of a child name in the sequence (unknown names sort last).
    func order(of name: String) -> Int { children.firstIndex { $0.name == name } ?? children.count }
  }

  // MARK: enumerations (exact strings)

  static let incidentTypes = [
    "Child Pornography (possession, manufacture, and distribution)", "Child Sex Trafficking", "Child Sex Tourism",
    "Child Sexual Molestation", "Misleading Domain Name", "Misleading Words or Digital Images on the Internet",
    "Online Enticement of Children for Sexual Acts", "Unsolicited Obscene Material Sent to a Child",
  ]
  static let ipCaptureTypes = ["Login", "Registration", "Purchase", "Upload", "Other", "Unknown"]
  static let phoneTypes = ["Mobile", "Home", "Business", "Work", "Fax", "Internet", "Recovery"]
  static let emailTypes = ["Home", "Work", "Business", "Recovery"]
  static let addressTypes = ["Home", "Business", "Billing", "Shipping", "Technical"]
  static let associatedAccountTypes = ["Billing", "Linked", "Business", "Creator", "Parent/Guardian", "Other"]
  static let fileRelevances = ["Reported", "Supplemental Reported"]
  static let industryClassifications = ["A1", "A2", "B1", "B2"]
  static let metadataTypes = ["EXIF", "HASH"]
  static let batchedReasons = ["VIRAL_POTENTIAL_MEME"]
  static let reportAnnotations = ["sextortion", "csamSolicitation", "minorToMinorInteraction", "spam", "sadisticOnlineExploitation"]
  static let fileAnnotations = [
    "animeDrawingVirtualHentai", "potentialMeme", "viral", "possibleSelfProduction", "physicalHarm", "violenceGore",
    "bestiality", "liveStreaming", "infant", "generativeAi",
  ]
  /// The eight `internetDetails` choices, in schema order.
  static let incidentElements = [
    "webPageIncident", "emailIncident", "newsgroupIncident", "chatImIncident", "onlineGamingIncident",
    "cellPhoneIncident", "nonInternetIncident", "peer2peerIncident",
  ]

  /// NCMEC's documented length limits (characters), by element or attribute name. The schema itself states none;
  /// the API documentation does, and `/submit` enforces them.
  static let lengthLimits: [String: Int] = [
    "platform": 256, "escalateToHighPriority": 3000, "incidentDateTimeDescription": 3000, "url": 2083,
    "agencyName": 255, "caseNumber": 100, "firstName": 100, "lastName": 100, "middleName": 256,
    "espIdentifier": 255, "espService": 100, "screenName": 256, "displayName": 255, "profileUrl": 2083,
    "idType": 255, "idValue": 2083, "additionalInfo": 3000, "profileBio": 3000, "content": 3000,
    "address": 255, "city": 100, "zipCode": 20, "nonUsaState": 100, "phone": 50, "phoneNumber": 50,
    "email": 255, "emailAddress": 255, "originalFileName": 2056, "locationOfFile": 2083, "legalURL": 2083,
    "hashType": 64, "vehicleDescription": 3000, "schoolName": 256, "groupIdentifier": 256,
  ]

  // MARK: types

  private static func c(_ name: String, _ type: String, required: Bool = false, repeats: Bool = false) -> Child {
    Child(name: name, type: type, required: required, repeats: repeats)
  }
  private static func a(_ name: String, _ leaf: Leaf, required: Bool = false) -> Attribute {
    Attribute(name: name, leaf: leaf, required: required)
  }
  private static func element(_ children: [Child], attributes: [Attribute] = [], choice: Bool = false) -> ElementType {
    ElementType(children: children, leaf: nil, attributes: attributes, isChoice: choice)
  }
  private static func leaf(_ leaf: Leaf, attributes: [Attribute] = []) -> ElementType {
    ElementType(children: [], leaf: leaf, attributes: attributes, isChoice: false)
  }

  /// The children a reported person, intended recipient and victim share with associated accounts.
  private static let ipAndDevices = [c("ipCaptureEvent", "ipCaptureEvent", repeats: true), c("deviceId", "deviceId", repeats: true)]
  private static let disabled = [
    c("accountTemporarilyDisabled", "accountTemporarilyDisabled"), c("accountPermanentlyDisabled", "accountPermanentlyDisabled"),
  ]
  private static let userHead = [
    c("espIdentifier", "string"), c("espService", "string"), c("compromisedAccount", "boolean"), c("screenName", "string"),
    c("displayName", "string", repeats: true), c("profileUrl", "string", repeats: true), c("profileBio", "string"),
  ]

  /// Every element type by name. Root element types are `report` and `fileDetails`.
  static let types: [String: ElementType] = [
    "string": leaf(.string), "boolean": leaf(.boolean), "flag": leaf(.flag), "int": leaf(.int), "long": leaf(.long),
    "double": leaf(.double), "dateTime": leaf(.dateTime), "date": leaf(.date), "token": leaf(.token),
    "incidentType": leaf(.enumeration(incidentTypes)),
    "ipCaptureType": leaf(.enumeration(ipCaptureTypes)),
    "state": leaf(.state),
    "country": leaf(.country),
    "fileRelevance": leaf(.enumeration(fileRelevances)),
    "fileClassification": leaf(.enumeration(industryClassifications)),
    "report": element([
      c("batchedReport", "batchedReport"), c("incidentSummary", "incidentSummary", required: true),
      c("internetDetails", "internetDetails", repeats: true), c("lawEnforcement", "lawEnforcement"),
      c("reporter", "reporter", required: true), c("personOrUserReported", "personOrUserReported", repeats: true),
      c("intendedRecipient", "intendedRecipient", repeats: true), c("victim", "victim", repeats: true),
      c("additionalInfo", "string"),
    ]),
    "batchedReport": element([], attributes: [a("reason", .enumeration(batchedReasons), required: true)]),
    "incidentSummary": element([
      c("incidentType", "incidentType", required: true), c("platform", "string"), c("escalateToHighPriority", "string"),
      c("reportAnnotations", "reportAnnotations"), c("incidentDateTime", "dateTime", required: true),
      c("incidentDateTimeDescription", "string"),
    ]),
    "reportAnnotations": element(reportAnnotations.map { c($0, "flag") }),
    "internetDetails": element(incidentElements.map { c($0, $0) }, choice: true),
    "webPageIncident": element(
      [c("url", "string", repeats: true), c("additionalInfo", "string")],
      attributes: [a("thirdPartyHostedContent", .boolean)]),
    "emailIncident": element([c("emailAddress", "email", repeats: true), c("content", "string"), c("additionalInfo", "string")]),
    "newsgroupIncident": element([
      c("name", "string"), c("emailAddress", "email", repeats: true), c("content", "string"), c("additionalInfo", "string"),
    ]),
    "chatImIncident": element([
      c("chatClient", "string"), c("chatRoomName", "string"), c("content", "string"), c("additionalInfo", "string"),
    ]),
    "onlineGamingIncident": element([
      c("gameName", "string"), c("console", "string"), c("content", "string"), c("additionalInfo", "string"),
    ]),
    "cellPhoneIncident": element([
      c("phoneNumber", "phone"), c("latitude", "double"), c("longitude", "double"), c("additionalInfo", "string"),
    ]),
    "nonInternetIncident": element([
      c("locationName", "string"), c("incidentAddress", "address", repeats: true), c("additionalInfo", "string"),
    ]),
    "peer2peerIncident": element([
      c("client", "string"), c("ipCaptureEvent", "ipCaptureEvent", repeats: true), c("fileNames", "string"),
      c("additionalInfo", "string"),
    ]),
    "lawEnforcement": element([
      c("agencyName", "string", required: true), c("caseNumber", "string"), c("officerContact", "contactPerson"),
      c("reportedToLe", "boolean"), c("servedLegalProcessDomestic", "boolean"),
      c("servedLegalProcessInternational", "servedLegalProcessInternational"),
    ]),
    "servedLegalProcessInternational": leaf(.boolean, attributes: [a("fleaCountry", .country)]),
    "reporter": element([
      c("reportingPerson", "person", required: true), c("contactPerson", "contactPerson"), c("companyTemplate", "string"),
      c("termsOfService", "string"), c("legalURL", "string"),
    ]),
    "personOrUserReported": element(
      [c("personOrUserReportedPerson", "person"), c("vehicleDescription", "string")] + userHead + ipAndDevices + [
        c("thirdPartyUserReported", "boolean"), c("priorCTReports", "long", repeats: true), c("groupIdentifier", "string"),
      ] + disabled + [
        c("estimatedLocation", "estimatedLocation"), c("allEmailsReported", "boolean"),
        c("associatedAccount", "associatedAccount", repeats: true), c("additionalInfo", "string"),
      ]),
    "intendedRecipient": element(
      [c("intendedRecipientPerson", "person")] + userHead + ipAndDevices + [
        c("priorCTReports", "long", repeats: true), c("groupIdentifier", "string"),
      ] + disabled + [
        c("estimatedLocation", "estimatedLocation"), c("allEmailsReported", "boolean"),
        c("additionalInfo", "string", repeats: true),
      ]),
    "victim": element(
      [c("victimPerson", "person", required: true)] + userHead + ipAndDevices + [
        c("schoolName", "string"), c("priorCTReports", "long", repeats: true),
      ] + disabled + [
        c("estimatedLocation", "estimatedLocation"), c("allEmailsReported", "boolean"),
        c("associatedAccount", "associatedAccount", repeats: true), c("additionalInfo", "string"),
      ]),
    "person": element([
      c("firstName", "string"), c("lastName", "string"), c("phone", "phone", repeats: true),
      c("email", "email", repeats: true), c("address", "address", repeats: true), c("age", "int"), c("dateOfBirth", "date"),
    ]),
    "contactPerson": element([
      c("firstName", "string"), c("lastName", "string"), c("phone", "phone", repeats: true),
      c("email", "email", repeats: true), c("address", "address", repeats: true),
    ]),
    "address": element(
      [
        c("address", "string"), c("city", "string"), c("zipCode", "string"), c("state", "state"),
        c("nonUsaState", "string"), c("country", "country"),
      ], attributes: [a("type", .enumeration(addressTypes))]),
    "email": leaf(.string, attributes: [
      a("type", .enumeration(emailTypes)), a("verified", .boolean), a("verificationDate", .dateTime),
    ]),
    "phone": leaf(.string, attributes: [
      a("type", .enumeration(phoneTypes)), a("verified", .boolean), a("verificationDate", .dateTime),
      a("countryCallingCode", .callingCode), a("extension", .digits),
    ]),
    "estimatedLocation": element(
      [c("city", "string"), c("region", "string"), c("countryCode", "country")],
      attributes: [a("verified", .boolean), a("timestamp", .dateTime)]),
    "ipCaptureEvent": element([
      c("ipAddress", "string", required: true), c("eventName", "ipCaptureType"), c("dateTime", "dateTime"),
      c("possibleProxy", "boolean"), c("port", "int"),
    ]),
    "deviceId": element([
      c("idType", "string", required: true), c("idValue", "string", required: true), c("eventName", "ipCaptureType"),
      c("dateTime", "dateTime"),
    ]),
    "accountTemporarilyDisabled": leaf(.boolean, attributes: [
      a("disabledDate", .dateTime), a("userNotified", .boolean), a("userNotifiedDate", .dateTime),
      a("reenabledDate", .dateTime),
    ]),
    "accountPermanentlyDisabled": leaf(.boolean, attributes: [
      a("disabledDate", .dateTime), a("userNotified", .boolean), a("userNotifiedDate", .dateTime),
    ]),
    "associatedAccount": element(
      [
        c("platform", "platform"), c("firstName", "string"), c("middleName", "string"), c("lastName", "string"),
        c("approximateAge", "int"), c("dateOfBirth", "date"), c("phone", "phone", repeats: true),
        c("email", "email", repeats: true), c("allEmailsReported", "boolean"), c("address", "address", repeats: true),
        c("espService", "string"), c("espIdentifier", "string"), c("profileUrl", "string", repeats: true),
        c("screenName", "string"), c("displayName", "string", repeats: true), c("profileBio", "string"),
        c("groupIdentifier", "string"), c("compromisedAccount", "boolean"),
      ] + disabled + ipAndDevices + [c("priorCTReport", "long", repeats: true), c("additionalInfo", "string")],
      attributes: [a("type", .enumeration(associatedAccountTypes), required: true)]),
    "platform": leaf(.string, attributes: [a("thirdPartyUser", .boolean)]),
    "fileDetails": element([
      c("reportId", "long", required: true), c("fileId", "token", required: true), c("fileName", "string"),
      c("originalFileName", "string"), c("uploadedToEspTimestamp", "dateTime"), c("locationOfFile", "string"),
      c("fileViewedByEsp", "boolean"), c("exifViewedByEsp", "boolean"), c("publiclyAvailable", "boolean"),
      c("fileRelevance", "fileRelevance"), c("potentialMeme", "boolean"), c("fileAnnotations", "fileAnnotations"),
      c("industryClassification", "fileClassification"), c("originalFileHash", "hash", repeats: true),
      c("ipCaptureEvent", "ipCaptureEvent"), c("deviceId", "deviceId", repeats: true),
      c("details", "details", repeats: true), c("additionalInfo", "string", repeats: true),
    ]),
    "fileAnnotations": element(fileAnnotations.map { c($0, "flag") }),
    "hash": leaf(.string, attributes: [a("hashType", .string, required: true)]),
    "details": element(
      [c("nameValuePair", "nameValue", required: true, repeats: true)],
      attributes: [a("type", .enumeration(metadataTypes))]),
    "nameValue": element([c("name", "string", required: true), c("value", "string", required: true)]),
  ]

  /// The type of a name path below an element type (`["estimatedLocation", "city"]` below `personOrUserReported`),
  /// or nil when the path leaves the schema.
  static func type(of path: [String], below type: String) -> ElementType? {
    var current = type
    for name in path {
      guard let t = types[current], let child = t.child(name) else { return nil }
      current = child.type
    }
    return types[current]
  }
}
