import CaseModel

/// How a canonical field is held in a CSV cell.
enum CSVCellKind {
  /// Text, written and read as is.
  case string
  /// Text, or a JSON object when the value keeps an original beside its normalised form (IP, timestamp).
  case stringOrObject
  /// JSON text (numbers, booleans, arrays, objects).
  case json
}

/// The columns of CaseBridge's own CSV, per entity type: `id`, the entity's fields in canonical order, then
/// `provenance` and `extras`. Generated from `Schemas/json/casebridge-entity-1.0.schema.json`; a test keeps them
/// in step.
enum CanonicalCSVColumns {
  static let byType: [EntityType: [(name: String, kind: CSVCellKind)]] = [
    .`case`: [("id", .string), ("caseNumber", .string), ("title", .string), ("status", .string), ("openedAt", .stringOrObject), ("offenseTypes", .json), ("agencyId", .string), ("legalProcessIds", .json), ("externalReferences", .json), ("provenance", .json), ("extras", .json)],
    .agency: [("id", .string), ("name", .string), ("identifier", .string), ("country", .string), ("contactPersonIds", .json), ("provenance", .json), ("extras", .json)],
    .person: [("id", .string), ("names", .json), ("dateOfBirth", .string), ("approximateAge", .json), ("addresses", .json), ("phones", .json), ("emails", .json), ("notes", .string), ("provenance", .json), ("extras", .json)],
    .roleAssignment: [("id", .string), ("personId", .string), ("role", .string), ("caseId", .string), ("validFrom", .stringOrObject), ("validTo", .stringOrObject), ("provenance", .json), ("extras", .json)],
    .account: [("id", .string), ("service", .string), ("accountIdentifier", .string), ("usernames", .json), ("displayNames", .json), ("profileURLs", .json), ("createdAt", .stringOrObject), ("isTemporarilyDisabled", .json), ("isPermanentlyDisabled", .json), ("disabledAt", .stringOrObject), ("isCompromised", .json), ("holderPersonId", .string), ("linkedAccounts", .json), ("provenance", .json), ("extras", .json)],
    .onlineIdentifier: [("id", .string), ("kind", .string), ("value", .string), ("normalized", .string), ("subtype", .string), ("use", .string), ("verified", .json), ("verifiedAt", .stringOrObject), ("personId", .string), ("accountId", .string), ("provenance", .json), ("extras", .json)],
    .ipObservation: [("id", .string), ("ip", .stringOrObject), ("port", .json), ("observedAt", .stringOrObject), ("event", .string), ("possibleProxy", .json), ("accountId", .string), ("personId", .string), ("fileId", .string), ("sourceProvider", .string), ("provenance", .json), ("extras", .json)],
    .ipAssignment: [("id", .string), ("provider", .string), ("ip", .stringOrObject), ("portRange", .json), ("assignmentType", .string), ("leaseStart", .stringOrObject), ("leaseEnd", .stringOrObject), ("subscriberPersonId", .string), ("accountNumber", .string), ("serviceAddress", .json), ("providerStatedTimeZone", .string), ("legalProcessId", .string), ("provenance", .json), ("extras", .json)],
    .legalProcess: [("id", .string), ("kind", .string), ("identifier", .string), ("issuedBy", .string), ("issuedAt", .stringOrObject), ("servedTo", .string), ("servedAt", .stringOrObject), ("requestedFrom", .stringOrObject), ("requestedTo", .stringOrObject), ("providerReference", .string), ("status", .string), ("responseReceivedAt", .stringOrObject), ("caseId", .string), ("provenance", .json), ("extras", .json)],
    .evidenceFile: [("id", .string), ("fileName", .string), ("originalFileName", .string), ("sizeBytes", .json), ("mimeType", .string), ("hashes", .json), ("perceptualHashes", .json), ("category", .json), ("viewedByESP", .json), ("publiclyAvailable", .json), ("annotations", .json), ("uploadedAt", .stringOrObject), ("uploadObservationId", .string), ("locations", .json), ("caseId", .string), ("provenance", .json), ("extras", .json)],
    .event: [("id", .string), ("kind", .string), ("at", .stringOrObject), ("atDescription", .string), ("participantIds", .json), ("description", .string), ("caseId", .string), ("provenance", .json), ("extras", .json)],
  ]
}
