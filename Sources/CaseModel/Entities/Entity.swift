/// The type tag of an entity, as written in the `type` member of canonical JSON.
public enum EntityType: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
  case `case`, agency, person, roleAssignment, account, onlineIdentifier, ipObservation, ipAssignment,
    legalProcess, evidenceFile, event

  /// Orders types by declaration order (the order reports list them in).
  public static func < (a: EntityType, b: EntityType) -> Bool {
    allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
  }
}

/// Any entity of the core case model.
public enum Entity: Sendable, Hashable {
  case caseRecord(Case)
  case agency(Agency)
  case person(Person)
  case roleAssignment(RoleAssignment)
  case account(Account)
  case onlineIdentifier(OnlineIdentifier)
  case ipObservation(IPObservation)
  case ipAssignment(IPAssignment)
  case legalProcess(LegalProcess)
  case evidenceFile(EvidenceFile)
  case event(Event)

  /// The entity's type tag.
  public var type: EntityType {
    switch self {
    case .caseRecord: .case
    case .agency: .agency
    case .person: .person
    case .roleAssignment: .roleAssignment
    case .account: .account
    case .onlineIdentifier: .onlineIdentifier
    case .ipObservation: .ipObservation
    case .ipAssignment: .ipAssignment
    case .legalProcess: .legalProcess
    case .evidenceFile: .evidenceFile
    case .event: .event
    }
  }

  /// The entity's id.
  public var id: EntityID {
    get {
      switch self {
      case .caseRecord(let e): e.id
      case .agency(let e): e.id
      case .person(let e): e.id
      case .roleAssignment(let e): e.id
      case .account(let e): e.id
      case .onlineIdentifier(let e): e.id
      case .ipObservation(let e): e.id
      case .ipAssignment(let e): e.id
      case .legalProcess(let e): e.id
      case .evidenceFile(let e): e.id
      case .event(let e): e.id
      }
    }
    set {
      switch self {
      case .caseRecord(var e): e.id = newValue; self = .caseRecord(e)
      case .agency(var e): e.id = newValue; self = .agency(e)
      case .person(var e): e.id = newValue; self = .person(e)
      case .roleAssignment(var e): e.id = newValue; self = .roleAssignment(e)
      case .account(var e): e.id = newValue; self = .account(e)
      case .onlineIdentifier(var e): e.id = newValue; self = .onlineIdentifier(e)
      case .ipObservation(var e): e.id = newValue; self = .ipObservation(e)
      case .ipAssignment(var e): e.id = newValue; self = .ipAssignment(e)
      case .legalProcess(var e): e.id = newValue; self = .legalProcess(e)
      case .evidenceFile(var e): e.id = newValue; self = .evidenceFile(e)
      case .event(var e): e.id = newValue; self = .event(e)
      }
    }
  }

  /// The entity's provenance.
  public var provenance: [Provenance] {
    get {
      switch self {
      case .caseRecord(let e): e.provenance
      case .agency(let e): e.provenance
      case .person(let e): e.provenance
      case .roleAssignment(let e): e.provenance
      case .account(let e): e.provenance
      case .onlineIdentifier(let e): e.provenance
      case .ipObservation(let e): e.provenance
      case .ipAssignment(let e): e.provenance
      case .legalProcess(let e): e.provenance
      case .evidenceFile(let e): e.provenance
      case .event(let e): e.provenance
      }
    }
    set {
      switch self {
      case .caseRecord(var e): e.provenance = newValue; self = .caseRecord(e)
      case .agency(var e): e.provenance = newValue; self = .agency(e)
      case .person(var e): e.provenance = newValue; self = .person(e)
      case .roleAssignment(var e): e.provenance = newValue; self = .roleAssignment(e)
      case .account(var e): e.provenance = newValue; self = .account(e)
      case .onlineIdentifier(var e): e.provenance = newValue; self = .onlineIdentifier(e)
      case .ipObservation(var e): e.provenance = newValue; self = .ipObservation(e)
      case .ipAssignment(var e): e.provenance = newValue; self = .ipAssignment(e)
      case .legalProcess(var e): e.provenance = newValue; self = .legalProcess(e)
      case .evidenceFile(var e): e.provenance = newValue; self = .evidenceFile(e)
      case .event(var e): e.provenance = newValue; self = .event(e)
      }
    }
  }

  /// The ids of other entities this entity points at, with the name of the field holding each.
  public var references: [(field: String, id: EntityID)] {
    var out: [(String, EntityID)] = []
    func add(_ field: String, _ id: EntityID?) { if let id { out.append((field, id)) } }
    func addAll(_ field: String, _ ids: [EntityID]) {
      for (i, id) in ids.enumerated() { out.append(("\(field)/\(i)", id)) }
    }
    switch self {
    case .caseRecord(let e):
      add("agencyId", e.agencyId)
      addAll("legalProcessIds", e.legalProcessIds)
    case .agency(let e): addAll("contactPersonIds", e.contactPersonIds)
    case .person: break
    case .roleAssignment(let e):
      add("personId", e.personId)
      add("caseId", e.caseId)
    case .account(let e):
      add("holderPersonId", e.holderPersonId)
      for (i, l) in e.linkedAccounts.enumerated() { out.append(("linkedAccounts/\(i)/accountId", l.accountId)) }
    case .onlineIdentifier(let e):
      add("personId", e.personId)
      add("accountId", e.accountId)
    case .ipObservation(let e):
      add("accountId", e.accountId)
      add("personId", e.personId)
      add("fileId", e.fileId)
    case .ipAssignment(let e):
      add("subscriberPersonId", e.subscriberPersonId)
      add("legalProcessId", e.legalProcessId)
    case .legalProcess(let e): add("caseId", e.caseId)
    case .evidenceFile(let e):
      add("uploadObservationId", e.uploadObservationId)
      add("caseId", e.caseId)
    case .event(let e):
      addAll("participantIds", e.participantIds)
      add("caseId", e.caseId)
    }
    return out
  }
}
