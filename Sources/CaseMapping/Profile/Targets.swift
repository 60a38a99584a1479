public import CaseModel

/// How a mapped source value is turned into a model value.
public enum TargetKind: String, Sendable, Hashable {
  /// Text kept as given.
  case text
  /// A decimal integer.
  case integer
  /// A boolean through the field's spellings.
  case boolean
  /// A timestamp through the field's timestamp rule.
  case timestamp
  /// A calendar date (strict `YYYY-MM-DD`, or the field's date pattern).
  case date
  /// A phone number (E.164, or national with the field's default region).
  case phone
  /// A reference to another entity of the same record (`{"entity": k}`).
  case reference
  /// A digest of the algorithm named by the target.
  case hash
  /// A full name, kept whole and, with `split`, also split into parts.
  case fullName
}

/// Where a target lands in the canonical JSON of its entity.
public struct TargetSpec: Sendable, Hashable {
  /// Path of member names and array indices (as strings) from the entity object.
  public var path: [String]
  /// The kind of value.
  public var kind: TargetKind

  init(_ path: String, _ kind: TargetKind = .text) {
    self.path = path.split(separator: "/").map(String.init)
    self.kind = kind
  }
}

/// The targets a profile field can name, per entity type. The documented list lives in the README.
public enum MappingTargets {
  static let address: [String: TargetSpec] = [:]

  static func addressTargets(_ base: String) -> [String: TargetSpec] {
    [
      "street": TargetSpec("\(base)/street"), "city": TargetSpec("\(base)/city"),
      "postalCode": TargetSpec("\(base)/postalCode"), "state": TargetSpec("\(base)/state"),
      "region": TargetSpec("\(base)/region"), "country": TargetSpec("\(base)/country"),
    ]
  }

  /// Targets by entity type.
  public static let byType: [EntityType: [String: TargetSpec]] = [
    .case: [
      "caseNumber": TargetSpec("caseNumber"), "title": TargetSpec("title"), "status": TargetSpec("status"),
      "openedAt": TargetSpec("openedAt", .timestamp), "agencyId": TargetSpec("agencyId", .reference),
      "offenseScheme": TargetSpec("offenseTypes/0/scheme"), "offenseCode": TargetSpec("offenseTypes/0/code"),
      "offenseLabel": TargetSpec("offenseTypes/0/label"),
      "externalSystem": TargetSpec("externalReferences/0/system"),
      "externalIdentifier": TargetSpec("externalReferences/0/identifier"),
    ],
    .agency: [
      "name": TargetSpec("name"), "identifier": TargetSpec("identifier"), "country": TargetSpec("country"),
    ],
    .person: [
      "given": TargetSpec("names/0/given"), "middle": TargetSpec("names/0/middle"),
      "family": TargetSpec("names/0/family"), "fullName": TargetSpec("names/0/full", .fullName),
      "dateOfBirth": TargetSpec("dateOfBirth", .date), "approximateAge": TargetSpec("approximateAge", .integer),
      "phone": TargetSpec("phones/0/number", .phone), "phoneUse": TargetSpec("phones/0/use"),
      "email": TargetSpec("emails/0/address"), "emailUse": TargetSpec("emails/0/use"),
      "notes": TargetSpec("notes"), "addressUse": TargetSpec("addresses/0/use"),
    ].merging(addressTargets("addresses/0")) { a, _ in a },
    .roleAssignment: [
      "personId": TargetSpec("personId", .reference), "role": TargetSpec("role"),
      "caseId": TargetSpec("caseId", .reference), "validFrom": TargetSpec("validFrom", .timestamp),
      "validTo": TargetSpec("validTo", .timestamp),
    ],
    .account: [
      "service": TargetSpec("service"), "accountIdentifier": TargetSpec("accountIdentifier"),
      "username": TargetSpec("usernames/0"), "displayName": TargetSpec("displayNames/0"),
      "profileURL": TargetSpec("profileURLs/0"), "createdAt": TargetSpec("createdAt", .timestamp),
      "isTemporarilyDisabled": TargetSpec("isTemporarilyDisabled", .boolean),
      "isPermanentlyDisabled": TargetSpec("isPermanentlyDisabled", .boolean),
      "disabledAt": TargetSpec("disabledAt", .timestamp), "isCompromised": TargetSpec("isCompromised", .boolean),
      "holderPersonId": TargetSpec("holderPersonId", .reference),
    ],
    .onlineIdentifier: [
      "kind": TargetSpec("kind"), "value": TargetSpec("value"), "normalized": TargetSpec("normalized"),
      "subtype": TargetSpec("subtype"), "use": TargetSpec("use"), "verified": TargetSpec("verified", .boolean),
      "verifiedAt": TargetSpec("verifiedAt", .timestamp), "personId": TargetSpec("personId", .reference),
      "accountId": TargetSpec("accountId", .reference),
    ],
    .ipObservation: [
      "ip": TargetSpec("ip"), "port": TargetSpec("port", .integer), "observedAt": TargetSpec("observedAt", .timestamp),
      "event": TargetSpec("event"), "possibleProxy": TargetSpec("possibleProxy", .boolean),
      "accountId": TargetSpec("accountId", .reference), "personId": TargetSpec("personId", .reference),
      "fileId": TargetSpec("fileId", .reference), "sourceProvider": TargetSpec("sourceProvider"),
    ],
    .ipAssignment: [
      "provider": TargetSpec("provider"), "ip": TargetSpec("ip"), "portFirst": TargetSpec("portRange/first", .integer),
      "portLast": TargetSpec("portRange/last", .integer), "assignmentType": TargetSpec("assignmentType"),
      "leaseStart": TargetSpec("leaseStart", .timestamp), "leaseEnd": TargetSpec("leaseEnd", .timestamp),
      "subscriberPersonId": TargetSpec("subscriberPersonId", .reference),
      "accountNumber": TargetSpec("accountNumber"), "providerStatedTimeZone": TargetSpec("providerStatedTimeZone"),
      "legalProcessId": TargetSpec("legalProcessId", .reference),
    ].merging(addressTargets("serviceAddress")) { a, _ in a },
    .legalProcess: [
      "kind": TargetSpec("kind"), "identifier": TargetSpec("identifier"), "issuedBy": TargetSpec("issuedBy"),
      "issuedAt": TargetSpec("issuedAt", .timestamp), "servedTo": TargetSpec("servedTo"),
      "servedAt": TargetSpec("servedAt", .timestamp), "requestedFrom": TargetSpec("requestedFrom", .timestamp),
      "requestedTo": TargetSpec("requestedTo", .timestamp), "providerReference": TargetSpec("providerReference"),
      "status": TargetSpec("status"), "responseReceivedAt": TargetSpec("responseReceivedAt", .timestamp),
      "caseId": TargetSpec("caseId", .reference),
    ],
    .evidenceFile: [
      "fileName": TargetSpec("fileName"), "originalFileName": TargetSpec("originalFileName"),
      "sizeBytes": TargetSpec("sizeBytes", .integer), "mimeType": TargetSpec("mimeType"),
      "md5": TargetSpec("hashes/md5", .hash), "sha1": TargetSpec("hashes/sha1", .hash),
      "sha224": TargetSpec("hashes/sha224", .hash), "sha256": TargetSpec("hashes/sha256", .hash),
      "sha384": TargetSpec("hashes/sha384", .hash), "sha512": TargetSpec("hashes/sha512", .hash),
      "sha3-256": TargetSpec("hashes/sha3-256", .hash), "sha3-512": TargetSpec("hashes/sha3-512", .hash),
      "categoryScheme": TargetSpec("category/scheme"), "categoryCode": TargetSpec("category/code"),
      "categoryLabel": TargetSpec("category/label"), "viewedByESP": TargetSpec("viewedByESP", .boolean),
      "publiclyAvailable": TargetSpec("publiclyAvailable", .boolean), "uploadedAt": TargetSpec("uploadedAt", .timestamp),
      "uploadObservationId": TargetSpec("uploadObservationId", .reference), "location": TargetSpec("locations/0"),
      "caseId": TargetSpec("caseId", .reference),
    ],
    .event: [
      "kind": TargetSpec("kind"), "at": TargetSpec("at", .timestamp), "atDescription": TargetSpec("atDescription"),
      "description": TargetSpec("description"), "caseId": TargetSpec("caseId", .reference),
    ],
  ]
}
