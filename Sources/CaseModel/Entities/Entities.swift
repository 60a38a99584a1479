// The entities of the core case model. Every entity has a deterministic `id`, the `provenance` of the facts it
// holds and `extras` for source fields no model field holds. Properties are plain `var`s, set after `init`,
// as in protobuf messages; the properties a fact cannot exist without are `init` parameters.

/// An investigation or case file.
public struct Case: Sendable, Hashable, Codable {
  /// Deterministic id.
  public var id: EntityID
  /// The agency's case number, as text.
  public var caseNumber: String?
  /// Short title.
  public var title: String?
  /// Status text (open, closed...).
  public var status: String?
  /// When the case was opened.
  public var openedAt: Timestamp?
  /// Offense types, each with its scheme (e.g. NCMEC incidentType).
  public var offenseTypes: [Category] = []
  /// The owning agency.
  public var agencyId: EntityID?
  /// Legal process served in this case.
  public var legalProcessIds: [EntityID] = []
  /// The same case in other systems (NCMEC report id, VICS CaseID).
  public var externalReferences: [ExternalReference] = []
  /// Where the facts came from.
  public var provenance: [Provenance] = []
  /// Unmapped source fields.
  public var extras: [ExtraField] = []
  /// Creates a case.
  public init(id: EntityID) { self.id = id }
}

/// A law-enforcement agency, hotline or other organisation.
public struct Agency: Sendable, Hashable, Codable {
  /// Deterministic id.
  public var id: EntityID
  /// Name.
  public var name: String
  /// An identifier such as an ORI.
  public var identifier: String?
  /// Country.
  public var country: CountryCode?
  /// Contact persons.
  public var contactPersonIds: [EntityID] = []
  /// Where the facts came from.
  public var provenance: [Provenance] = []
  /// Unmapped source fields.
  public var extras: [ExtraField] = []
  /// Creates an agency.
  public init(id: EntityID, name: String) {
    self.id = id
    self.name = name
  }
}

/// A natural person.
public struct Person: Sendable, Hashable, Codable {
  /// Deterministic id.
  public var id: EntityID
  /// Names, as given.
  public var names: [PersonName] = []
  /// Date of birth (a calendar date, no time or zone).
  public var dateOfBirth: CalendarDate?
  /// Approximate age in years.
  public var approximateAge: Int?
  /// Postal addresses.
  public var addresses: [Address] = []
  /// Phone numbers.
  public var phones: [ContactPhone] = []
  /// E-mail addresses.
  public var emails: [ContactEmail] = []
  /// Free-text notes.
  public var notes: String?
  /// Where the facts came from.
  public var provenance: [Provenance] = []
  /// Unmapped source fields.
  public var extras: [ExtraField] = []
  /// Creates a person.
  public init(id: EntityID) { self.id = id }
}

/// A person's role in a case (reported user, victim, subscriber...).
public struct RoleAssignment: Sendable, Hashable, Codable {
  /// Deterministic id.
  public var id: EntityID
  /// The person.
  public var personId: EntityID
  /// The role.
  public var role: Role
  /// The case, when known.
  public var caseId: EntityID?
  /// Start of the role.
  public var validFrom: Timestamp?
  /// End of the role.
  public var validTo: Timestamp?
  /// Where the facts came from.
  public var provenance: [Provenance] = []
  /// Unmapped source fields.
  public var extras: [ExtraField] = []
  /// Creates a role assignment.
  public init(id: EntityID, personId: EntityID, role: Role) {
    self.id = id
    self.personId = personId
    self.role = role
  }
}

/// An account on an online service.
public struct Account: Sendable, Hashable, Codable {
  /// Deterministic id.
  public var id: EntityID
  /// Service or platform name.
  public var service: String?
  /// The provider's account identifier (NCMEC espIdentifier), as text.
  public var accountIdentifier: String?
  /// Login names.
  public var usernames: [String] = []
  /// Display names.
  public var displayNames: [String] = []
  /// Profile URLs.
  public var profileURLs: [String] = []
  /// When the account was created.
  public var createdAt: Timestamp?
  /// Temporarily disabled.
  public var isTemporarilyDisabled: Bool?
  /// Permanently disabled.
  public var isPermanentlyDisabled: Bool?
  /// When it was disabled.
  public var disabledAt: Timestamp?
  /// Reported as compromised.
  public var isCompromised: Bool?
  /// The person holding the account.
  public var holderPersonId: EntityID?
  /// Linked accounts.
  public var linkedAccounts: [LinkedAccount] = []
  /// Where the facts came from.
  public var provenance: [Provenance] = []
  /// Unmapped source fields.
  public var extras: [ExtraField] = []
  /// Creates an account.
  public init(id: EntityID) { self.id = id }
}

/// An online identifier (e-mail, phone, username, device id...) observed for a person or account.
public struct OnlineIdentifier: Sendable, Hashable, Codable {
  /// Deterministic id.
  public var id: EntityID
  /// What kind of identifier.
  public var kind: IdentifierKind
  /// The value exactly as given.
  public var value: String
  /// The normalised form (E.164, normalised e-mail, lower-case MAC), when the kind has one.
  public var normalized: String?
  /// Sub-kind, e.g. IMEI, ICCID, SSID for device ids.
  public var subtype: String?
  /// Home, work, recovery...
  public var use: ContactUse?
  /// Whether the provider verified it.
  public var verified: Bool?
  /// When it was verified.
  public var verifiedAt: Timestamp?
  /// The person holding it.
  public var personId: EntityID?
  /// The account holding it.
  public var accountId: EntityID?
  /// Where the facts came from.
  public var provenance: [Provenance] = []
  /// Unmapped source fields.
  public var extras: [ExtraField] = []
  /// Creates an identifier.
  public init(id: EntityID, kind: IdentifierKind, value: String) {
    self.id = id
    self.kind = kind
    self.value = value
  }
}

/// An IP address seen in use at a moment (a login, an upload...).
public struct IPObservation: Sendable, Hashable, Codable {
  /// Deterministic id.
  public var id: EntityID
  /// The address.
  public var ip: IPAddress
  /// Source port (needed to attribute CGNAT addresses).
  public var port: Port?
  /// When it was seen.
  public var observedAt: Timestamp?
  /// What happened.
  public var event: IPEventKind?
  /// Flagged as a possible proxy.
  public var possibleProxy: Bool?
  /// The account that used it.
  public var accountId: EntityID?
  /// The person that used it.
  public var personId: EntityID?
  /// The file uploaded from it.
  public var fileId: EntityID?
  /// Who logged the observation (ESP or provider name).
  public var sourceProvider: String?
  /// Where the facts came from.
  public var provenance: [Provenance] = []
  /// Unmapped source fields.
  public var extras: [ExtraField] = []
  /// Creates an observation.
  public init(id: EntityID, ip: IPAddress) {
    self.id = id
    self.ip = ip
  }
}

/// A provider's record that an address (and port range) was assigned to a subscriber for a lease window.
public struct IPAssignment: Sendable, Hashable, Codable {
  /// Deterministic id.
  public var id: EntityID
  /// The provider that assigned it.
  public var provider: String?
  /// The address.
  public var ip: IPAddress
  /// The port block (CGNAT).
  public var portRange: PortRange?
  /// Static, dynamic or CGNAT.
  public var assignmentType: AssignmentType?
  /// Lease start.
  public var leaseStart: Timestamp?
  /// Lease end; nil means open-ended.
  public var leaseEnd: Timestamp?
  /// The subscriber.
  public var subscriberPersonId: EntityID?
  /// The provider's account number, as text.
  public var accountNumber: String?
  /// Service address.
  public var serviceAddress: Address?
  /// The zone the provider said its times are in (IANA id or as written).
  public var providerStatedTimeZone: String?
  /// The legal process this record answers.
  public var legalProcessId: EntityID?
  /// Where the facts came from.
  public var provenance: [Provenance] = []
  /// Unmapped source fields.
  public var extras: [ExtraField] = []
  /// Creates an assignment.
  public init(id: EntityID, ip: IPAddress) {
    self.id = id
    self.ip = ip
  }
}

/// Legal process served on a provider (preservation, subpoena, 2703(d) order, warrant...).
public struct LegalProcess: Sendable, Hashable, Codable {
  /// Deterministic id.
  public var id: EntityID
  /// The kind of process.
  public var kind: LegalProcessType
  /// The process's own identifier (e.g. GJ-2024-0042).
  public var identifier: String?
  /// Issuing court or agency.
  public var issuedBy: String?
  /// When issued.
  public var issuedAt: Timestamp?
  /// Provider served.
  public var servedTo: String?
  /// When served.
  public var servedAt: Timestamp?
  /// Start of the requested period.
  public var requestedFrom: Timestamp?
  /// End of the requested period.
  public var requestedTo: Timestamp?
  /// The provider's reference for its answer.
  public var providerReference: String?
  /// Status text.
  public var status: String?
  /// When the answer arrived.
  public var responseReceivedAt: Timestamp?
  /// The case.
  public var caseId: EntityID?
  /// Where the facts came from.
  public var provenance: [Provenance] = []
  /// Unmapped source fields.
  public var extras: [ExtraField] = []
  /// Creates a legal process.
  public init(id: EntityID, kind: LegalProcessType) {
    self.id = id
    self.kind = kind
  }
}

/// Metadata of a file held as evidence: names, size and hashes. Never the file's content.
public struct EvidenceFile: Sendable, Hashable, Codable {
  /// Deterministic id.
  public var id: EntityID
  /// File name.
  public var fileName: String?
  /// Name as the user uploaded it.
  public var originalFileName: String?
  /// Size in bytes.
  public var sizeBytes: Int64?
  /// MIME type.
  public var mimeType: String?
  /// Cryptographic digests.
  public var hashes: [HashDigest] = []
  /// Perceptual hashes, opaque.
  public var perceptualHashes: [PerceptualHash] = []
  /// Category with its scheme (e.g. ProjectVIC-US 1).
  public var category: Category?
  /// Viewed by the ESP.
  public var viewedByESP: Bool?
  /// Publicly available.
  public var publiclyAvailable: Bool?
  /// Annotations (NCMEC fileAnnotations, VICS flags).
  public var annotations: [String] = []
  /// When it was uploaded.
  public var uploadedAt: Timestamp?
  /// The upload's IP observation.
  public var uploadObservationId: EntityID?
  /// Paths or URLs where it was found.
  public var locations: [String] = []
  /// The case.
  public var caseId: EntityID?
  /// Where the facts came from.
  public var provenance: [Provenance] = []
  /// Unmapped source fields.
  public var extras: [ExtraField] = []
  /// Creates a file record.
  public init(id: EntityID) { self.id = id }
}

/// Something that happened: an incident, a communication, an upload, an account being disabled...
public struct Event: Sendable, Hashable, Codable {
  /// Deterministic id.
  public var id: EntityID
  /// What kind of event (free text: incident, communication, upload...).
  public var kind: String
  /// When it happened.
  public var at: Timestamp?
  /// A description of the time when it is not exact.
  public var atDescription: String?
  /// Role assignments or persons taking part.
  public var participantIds: [EntityID] = []
  /// Description.
  public var description: String?
  /// The case.
  public var caseId: EntityID?
  /// Where the facts came from.
  public var provenance: [Provenance] = []
  /// Unmapped source fields.
  public var extras: [ExtraField] = []
  /// Creates an event.
  public init(id: EntityID, kind: String) {
    self.id = id
    self.kind = kind
  }
}
