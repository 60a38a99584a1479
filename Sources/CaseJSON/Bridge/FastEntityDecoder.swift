public import CaseModel

// The fast path of entity decoding, measured as the hot spot of every conversion (CSV -> JSONL spent 43 % of its
// time in the `Decodable` bridge: existential containers, generic metadata look-ups, a coding path array per
// field). It walks an entity object once, member by member, and builds the entity directly.
//
// It never decides that a record is bad. It succeeds only when every member is known and plainly valid; on
// anything else (an unknown or null member where a value is required, a value a strict parser refuses, a form it
// does not handle) it returns nil and the caller decodes with `JSONValueDecoder`, which produces the exact located
// diagnostic. So the two paths cannot disagree on what is accepted; in debug builds every fast result is checked
// against the `Decodable` bridge (the whole test suite runs that check).

extension JSONValueDecoder {
  /// Decodes an entity object, reporting members the entity does not know (as `decode(Entity.self, from:)`).
  /// - Throws: `JSONFieldError`.
  public func decodeEntity(_ value: JSONValue) throws(JSONFieldError) -> (Entity, [String]) {
    if case .object(let o) = value, let fast = FastEntityDecoder.entity(o) {
      #if DEBUG
        let slow = try? decode(Entity.self, from: value)
        precondition(
          slow?.0 == fast && slow?.1.isEmpty == true, "the fast entity decoder disagrees with the Decodable bridge")
      #endif
      return (fast, [])
    }
    return try decode(Entity.self, from: value)
  }
}

/// Direct decoding of canonical entity objects; nil whenever the `Decodable` bridge must decide.
enum FastEntityDecoder {
  static func entity(_ o: JSONObject) -> Entity? {
    guard case .string(let t)? = o.members.first(where: { $0.key == "type" })?.value, let type = EntityType(rawValue: t)
    else { return nil }
    switch type {
    case .case: return caseRecord(o).map(Entity.caseRecord)
    case .agency: return agency(o).map(Entity.agency)
    case .person: return person(o).map(Entity.person)
    case .roleAssignment: return roleAssignment(o).map(Entity.roleAssignment)
    case .account: return account(o).map(Entity.account)
    case .onlineIdentifier: return onlineIdentifier(o).map(Entity.onlineIdentifier)
    case .ipObservation: return ipObservation(o).map(Entity.ipObservation)
    case .ipAssignment: return ipAssignment(o).map(Entity.ipAssignment)
    case .legalProcess: return legalProcess(o).map(Entity.legalProcess)
    case .evidenceFile: return evidenceFile(o).map(Entity.evidenceFile)
    case .event: return event(o).map(Entity.event)
    }
  }

  // MARK: entities

  static func caseRecord(_ o: JSONObject) -> Case? {
    var e = Case(id: EntityID(""))
    var hasID = false
    for m in o.members {
      let v = m.value
      let ok: Bool
      switch m.key {
      case "type": ok = true
      case "id": ok = req(&e.id, v, entityID, &hasID)
      case "caseNumber": ok = opt(&e.caseNumber, v, string)
      case "title": ok = opt(&e.title, v, string)
      case "status": ok = opt(&e.status, v, string)
      case "openedAt": ok = opt(&e.openedAt, v, timestamp)
      case "offenseTypes": ok = arr(&e.offenseTypes, v, category)
      case "agencyId": ok = opt(&e.agencyId, v, entityID)
      case "legalProcessIds": ok = arr(&e.legalProcessIds, v, entityID)
      case "externalReferences": ok = arr(&e.externalReferences, v, externalReference)
      case "provenance": ok = arr(&e.provenance, v, provenance)
      case "extras": ok = arr(&e.extras, v, extra)
      default: ok = false
      }
      guard ok else { return nil }
    }
    return hasID ? e : nil
  }

  static func agency(_ o: JSONObject) -> Agency? {
    var e = Agency(id: EntityID(""), name: "")
    var hasID = false, hasName = false
    for m in o.members {
      let v = m.value
      let ok: Bool
      switch m.key {
      case "type": ok = true
      case "id": ok = req(&e.id, v, entityID, &hasID)
      case "name": ok = req(&e.name, v, string, &hasName)
      case "identifier": ok = opt(&e.identifier, v, string)
      case "country": ok = opt(&e.country, v, country)
      case "contactPersonIds": ok = arr(&e.contactPersonIds, v, entityID)
      case "provenance": ok = arr(&e.provenance, v, provenance)
      case "extras": ok = arr(&e.extras, v, extra)
      default: ok = false
      }
      guard ok else { return nil }
    }
    return hasID && hasName ? e : nil
  }

  static func person(_ o: JSONObject) -> Person? {
    var e = Person(id: EntityID(""))
    var hasID = false
    for m in o.members {
      let v = m.value
      let ok: Bool
      switch m.key {
      case "type": ok = true
      case "id": ok = req(&e.id, v, entityID, &hasID)
      case "names": ok = arr(&e.names, v, personName)
      case "dateOfBirth": ok = opt(&e.dateOfBirth, v, calendarDate)
      case "approximateAge": ok = opt(&e.approximateAge, v, int)
      case "addresses": ok = arr(&e.addresses, v, address)
      case "phones": ok = arr(&e.phones, v, contactPhone)
      case "emails": ok = arr(&e.emails, v, contactEmail)
      case "notes": ok = opt(&e.notes, v, string)
      case "provenance": ok = arr(&e.provenance, v, provenance)
      case "extras": ok = arr(&e.extras, v, extra)
      default: ok = false
      }
      guard ok else { return nil }
    }
    return hasID ? e : nil
  }

  static func roleAssignment(_ o: JSONObject) -> RoleAssignment? {
    var e = RoleAssignment(id: EntityID(""), personId: EntityID(""), role: .other)
    var hasID = false, hasPerson = false, hasRole = false
    for m in o.members {
      let v = m.value
      let ok: Bool
      switch m.key {
      case "type": ok = true
      case "id": ok = req(&e.id, v, entityID, &hasID)
      case "personId": ok = req(&e.personId, v, entityID, &hasPerson)
      case "role": ok = req(&e.role, v, rawEnum, &hasRole)
      case "caseId": ok = opt(&e.caseId, v, entityID)
      case "validFrom": ok = opt(&e.validFrom, v, timestamp)
      case "validTo": ok = opt(&e.validTo, v, timestamp)
      case "provenance": ok = arr(&e.provenance, v, provenance)
      case "extras": ok = arr(&e.extras, v, extra)
      default: ok = false
      }
      guard ok else { return nil }
    }
    return hasID && hasPerson && hasRole ? e : nil
  }

  static func account(_ o: JSONObject) -> Account? {
    var e = Account(id: EntityID(""))
    var hasID = false
    for m in o.members {
      let v = m.value
      let ok: Bool
      switch m.key {
      case "type": ok = true
      case "id": ok = req(&e.id, v, entityID, &hasID)
      case "service": ok = opt(&e.service, v, string)
      case "accountIdentifier": ok = opt(&e.accountIdentifier, v, string)
      case "usernames": ok = arr(&e.usernames, v, string)
      case "displayNames": ok = arr(&e.displayNames, v, string)
      case "profileURLs": ok = arr(&e.profileURLs, v, string)
      case "createdAt": ok = opt(&e.createdAt, v, timestamp)
      case "isTemporarilyDisabled": ok = opt(&e.isTemporarilyDisabled, v, bool)
      case "isPermanentlyDisabled": ok = opt(&e.isPermanentlyDisabled, v, bool)
      case "disabledAt": ok = opt(&e.disabledAt, v, timestamp)
      case "isCompromised": ok = opt(&e.isCompromised, v, bool)
      case "holderPersonId": ok = opt(&e.holderPersonId, v, entityID)
      case "linkedAccounts": ok = arr(&e.linkedAccounts, v, linkedAccount)
      case "provenance": ok = arr(&e.provenance, v, provenance)
      case "extras": ok = arr(&e.extras, v, extra)
      default: ok = false
      }
      guard ok else { return nil }
    }
    return hasID ? e : nil
  }

  static func onlineIdentifier(_ o: JSONObject) -> OnlineIdentifier? {
    var e = OnlineIdentifier(id: EntityID(""), kind: .other, value: "")
    var hasID = false, hasKind = false, hasValue = false
    for m in o.members {
      let v = m.value
      let ok: Bool
      switch m.key {
      case "type": ok = true
      case "id": ok = req(&e.id, v, entityID, &hasID)
      case "kind": ok = req(&e.kind, v, rawEnum, &hasKind)
      case "value": ok = req(&e.value, v, string, &hasValue)
      case "normalized": ok = opt(&e.normalized, v, string)
      case "subtype": ok = opt(&e.subtype, v, string)
      case "use": ok = opt(&e.use, v, rawEnum)
      case "verified": ok = opt(&e.verified, v, bool)
      case "verifiedAt": ok = opt(&e.verifiedAt, v, timestamp)
      case "personId": ok = opt(&e.personId, v, entityID)
      case "accountId": ok = opt(&e.accountId, v, entityID)
      case "provenance": ok = arr(&e.provenance, v, provenance)
      case "extras": ok = arr(&e.extras, v, extra)
      default: ok = false
      }
      guard ok else { return nil }
    }
    return hasID && hasKind && hasValue ? e : nil
  }

  static func ipObservation(_ o: JSONObject) -> IPObservation? {
    var ip: IPAddress? = nil
    var id = EntityID("")
    var hasID = false
    var port: Port? = nil, observedAt: Timestamp? = nil, event: IPEventKind? = nil, possibleProxy: Bool? = nil
    var accountId: EntityID? = nil, personId: EntityID? = nil, fileId: EntityID? = nil, sourceProvider: String? = nil
    var provenance: [Provenance] = [], extras: [ExtraField] = []
    for m in o.members {
      let v = m.value
      let ok: Bool
      switch m.key {
      case "type": ok = true
      case "id": ok = req(&id, v, entityID, &hasID)
      case "ip": ok = (ip == nil) && opt(&ip, v, ipAddress) && ip != nil
      case "port": ok = opt(&port, v, port_)
      case "observedAt": ok = opt(&observedAt, v, timestamp)
      case "event": ok = opt(&event, v, rawEnum)
      case "possibleProxy": ok = opt(&possibleProxy, v, bool)
      case "accountId": ok = opt(&accountId, v, entityID)
      case "personId": ok = opt(&personId, v, entityID)
      case "fileId": ok = opt(&fileId, v, entityID)
      case "sourceProvider": ok = opt(&sourceProvider, v, string)
      case "provenance": ok = arr(&provenance, v, Self.provenance)
      case "extras": ok = arr(&extras, v, extra)
      default: ok = false
      }
      guard ok else { return nil }
    }
    guard hasID, let ip else { return nil }
    var e = IPObservation(id: id, ip: ip)
    e.port = port
    e.observedAt = observedAt
    e.event = event
    e.possibleProxy = possibleProxy
    e.accountId = accountId
    e.personId = personId
    e.fileId = fileId
    e.sourceProvider = sourceProvider
    e.provenance = provenance
    e.extras = extras
    return e
  }

  static func ipAssignment(_ o: JSONObject) -> IPAssignment? {
    var ip: IPAddress? = nil
    var id = EntityID("")
    var hasID = false
    var provider: String? = nil, portRange: PortRange? = nil, assignmentType: AssignmentType? = nil
    var leaseStart: Timestamp? = nil, leaseEnd: Timestamp? = nil, subscriberPersonId: EntityID? = nil
    var accountNumber: String? = nil, serviceAddress: Address? = nil, providerStatedTimeZone: String? = nil
    var legalProcessId: EntityID? = nil
    var provenance: [Provenance] = [], extras: [ExtraField] = []
    for m in o.members {
      let v = m.value
      let ok: Bool
      switch m.key {
      case "type": ok = true
      case "id": ok = req(&id, v, entityID, &hasID)
      case "provider": ok = opt(&provider, v, string)
      case "ip": ok = (ip == nil) && opt(&ip, v, ipAddress) && ip != nil
      case "portRange": ok = opt(&portRange, v, Self.portRange)
      case "assignmentType": ok = opt(&assignmentType, v, rawEnum)
      case "leaseStart": ok = opt(&leaseStart, v, timestamp)
      case "leaseEnd": ok = opt(&leaseEnd, v, timestamp)
      case "subscriberPersonId": ok = opt(&subscriberPersonId, v, entityID)
      case "accountNumber": ok = opt(&accountNumber, v, string)
      case "serviceAddress": ok = opt(&serviceAddress, v, address)
      case "providerStatedTimeZone": ok = opt(&providerStatedTimeZone, v, string)
      case "legalProcessId": ok = opt(&legalProcessId, v, entityID)
      case "provenance": ok = arr(&provenance, v, Self.provenance)
      case "extras": ok = arr(&extras, v, extra)
      default: ok = false
      }
      guard ok else { return nil }
    }
    guard hasID, let ip else { return nil }
    var e = IPAssignment(id: id, ip: ip)
    e.provider = provider
    e.portRange = portRange
    e.assignmentType = assignmentType
    e.leaseStart = leaseStart
    e.leaseEnd = leaseEnd
    e.subscriberPersonId = subscriberPersonId
    e.accountNumber = accountNumber
    e.serviceAddress = serviceAddress
    e.providerStatedTimeZone = providerStatedTimeZone
    e.legalProcessId = legalProcessId
    e.provenance = provenance
    e.extras = extras
    return e
  }

  static func legalProcess(_ o: JSONObject) -> LegalProcess? {
    var e = LegalProcess(id: EntityID(""), kind: .other)
    var hasID = false, hasKind = false
    for m in o.members {
      let v = m.value
      let ok: Bool
      switch m.key {
      case "type": ok = true
      case "id": ok = req(&e.id, v, entityID, &hasID)
      case "kind": ok = req(&e.kind, v, rawEnum, &hasKind)
      case "identifier": ok = opt(&e.identifier, v, string)
      case "issuedBy": ok = opt(&e.issuedBy, v, string)
      case "issuedAt": ok = opt(&e.issuedAt, v, timestamp)
      case "servedTo": ok = opt(&e.servedTo, v, string)
      case "servedAt": ok = opt(&e.servedAt, v, timestamp)
      case "requestedFrom": ok = opt(&e.requestedFrom, v, timestamp)
      case "requestedTo": ok = opt(&e.requestedTo, v, timestamp)
      case "providerReference": ok = opt(&e.providerReference, v, string)
      case "status": ok = opt(&e.status, v, string)
      case "responseReceivedAt": ok = opt(&e.responseReceivedAt, v, timestamp)
      case "caseId": ok = opt(&e.caseId, v, entityID)
      case "provenance": ok = arr(&e.provenance, v, provenance)
      case "extras": ok = arr(&e.extras, v, extra)
      default: ok = false
      }
      guard ok else { return nil }
    }
    return hasID && hasKind ? e : nil
  }

  static func evidenceFile(_ o: JSONObject) -> EvidenceFile? {
    var e = EvidenceFile(id: EntityID(""))
    var hasID = false
    for m in o.members {
      let v = m.value
      let ok: Bool
      switch m.key {
      case "type": ok = true
      case "id": ok = req(&e.id, v, entityID, &hasID)
      case "fileName": ok = opt(&e.fileName, v, string)
      case "originalFileName": ok = opt(&e.originalFileName, v, string)
      case "sizeBytes": ok = opt(&e.sizeBytes, v, int64)
      case "mimeType": ok = opt(&e.mimeType, v, string)
      case "hashes": ok = arr(&e.hashes, v, hashDigest)
      case "perceptualHashes": ok = arr(&e.perceptualHashes, v, perceptualHash)
      case "category": ok = opt(&e.category, v, category)
      case "viewedByESP": ok = opt(&e.viewedByESP, v, bool)
      case "publiclyAvailable": ok = opt(&e.publiclyAvailable, v, bool)
      case "annotations": ok = arr(&e.annotations, v, string)
      case "uploadedAt": ok = opt(&e.uploadedAt, v, timestamp)
      case "uploadObservationId": ok = opt(&e.uploadObservationId, v, entityID)
      case "locations": ok = arr(&e.locations, v, string)
      case "caseId": ok = opt(&e.caseId, v, entityID)
      case "provenance": ok = arr(&e.provenance, v, provenance)
      case "extras": ok = arr(&e.extras, v, extra)
      default: ok = false
      }
      guard ok else { return nil }
    }
    return hasID ? e : nil
  }

  static func event(_ o: JSONObject) -> Event? {
    var e = Event(id: EntityID(""), kind: "")
    var hasID = false, hasKind = false
    for m in o.members {
      let v = m.value
      let ok: Bool
      switch m.key {
      case "type": ok = true
      case "id": ok = req(&e.id, v, entityID, &hasID)
      case "kind": ok = req(&e.kind, v, string, &hasKind)
      case "at": ok = opt(&e.at, v, timestamp)
      case "atDescription": ok = opt(&e.atDescription, v, string)
      case "participantIds": ok = arr(&e.participantIds, v, entityID)
      case "description": ok = opt(&e.description, v, string)
      case "caseId": ok = opt(&e.caseId, v, entityID)
      case "provenance": ok = arr(&e.provenance, v, provenance)
      case "extras": ok = arr(&e.extras, v, extra)
      default: ok = false
      }
      guard ok else { return nil }
    }
    return hasID && hasKind ? e : nil
  }

  // MARK: parts

  static func provenance(_ v: JSONValue) -> Provenance? {
    guard case .object(let o) = v else { return nil }
    var p = Provenance(sourceFormat: "")
    var hasFormat = false
    for m in o.members {
      let v = m.value
      let ok: Bool
      switch m.key {
      case "sourceFormat": ok = req(&p.sourceFormat, v, string, &hasFormat)
      case "sourceName": ok = opt(&p.sourceName, v, string)
      case "sourceSha256": ok = opt(&p.sourceSha256, v, string)
      case "record": ok = opt(&p.record, v, int)
      case "line": ok = opt(&p.line, v, int)
      case "byteOffset": ok = opt(&p.byteOffset, v, int)
      case "byteLength": ok = opt(&p.byteLength, v, int)
      case "pointer": ok = opt(&p.pointer, v, string)
      case "profileId": ok = opt(&p.profileId, v, string)
      case "profileSha256": ok = opt(&p.profileSha256, v, string)
      default: ok = false
      }
      guard ok else { return nil }
    }
    return hasFormat ? p : nil
  }

  static func extra(_ v: JSONValue) -> ExtraField? {
    guard let (a, b) = twoStrings(v, "name", "value") else { return nil }
    return ExtraField(name: a, value: b)
  }

  static func externalReference(_ v: JSONValue) -> ExternalReference? {
    guard let (a, b) = twoStrings(v, "system", "identifier") else { return nil }
    return ExternalReference(system: a, identifier: b)
  }

  static func category(_ v: JSONValue) -> Category? {
    guard case .object(let o) = v else { return nil }
    var c = Category(scheme: "", code: "")
    var hasScheme = false, hasCode = false
    for m in o.members {
      let ok: Bool
      switch m.key {
      case "scheme": ok = req(&c.scheme, m.value, string, &hasScheme)
      case "code": ok = req(&c.code, m.value, string, &hasCode)
      case "label": ok = opt(&c.label, m.value, string)
      default: ok = false
      }
      guard ok else { return nil }
    }
    return hasScheme && hasCode ? c : nil
  }

  static func personName(_ v: JSONValue) -> PersonName? {
    guard case .object(let o) = v else { return nil }
    var n = PersonName()
    for m in o.members {
      let ok: Bool
      switch m.key {
      case "given": ok = opt(&n.given, m.value, string)
      case "middle": ok = opt(&n.middle, m.value, string)
      case "family": ok = opt(&n.family, m.value, string)
      case "full": ok = opt(&n.full, m.value, string)
      default: ok = false
      }
      guard ok else { return nil }
    }
    return n
  }

  static func address(_ v: JSONValue) -> Address? {
    guard case .object(let o) = v else { return nil }
    var a = Address()
    for m in o.members {
      let ok: Bool
      switch m.key {
      case "use": ok = opt(&a.use, m.value, rawEnum)
      case "street": ok = opt(&a.street, m.value, string)
      case "city": ok = opt(&a.city, m.value, string)
      case "postalCode": ok = opt(&a.postalCode, m.value, string)
      case "state": ok = opt(&a.state, m.value, usState)
      case "region": ok = opt(&a.region, m.value, string)
      case "country": ok = opt(&a.country, m.value, country)
      default: ok = false
      }
      guard ok else { return nil }
    }
    return a
  }

  static func contactEmail(_ v: JSONValue) -> ContactEmail? {
    guard case .object(let o) = v else { return nil }
    var address: EmailAddress? = nil, use: ContactUse? = nil, verified: Bool? = nil, verifiedAt: Timestamp? = nil
    for m in o.members {
      let ok: Bool
      switch m.key {
      case "address": ok = address == nil && opt(&address, m.value, email) && address != nil
      case "use": ok = opt(&use, m.value, rawEnum)
      case "verified": ok = opt(&verified, m.value, bool)
      case "verifiedAt": ok = opt(&verifiedAt, m.value, timestamp)
      default: ok = false
      }
      guard ok else { return nil }
    }
    guard let address else { return nil }
    return ContactEmail(address: address, use: use, verified: verified, verifiedAt: verifiedAt)
  }

  static func contactPhone(_ v: JSONValue) -> ContactPhone? {
    guard case .object(let o) = v else { return nil }
    var number: PhoneNumber? = nil, use: ContactUse? = nil, verified: Bool? = nil, verifiedAt: Timestamp? = nil
    for m in o.members {
      let ok: Bool
      switch m.key {
      case "number": ok = number == nil && opt(&number, m.value, phone) && number != nil
      case "use": ok = opt(&use, m.value, rawEnum)
      case "verified": ok = opt(&verified, m.value, bool)
      case "verifiedAt": ok = opt(&verifiedAt, m.value, timestamp)
      default: ok = false
      }
      guard ok else { return nil }
    }
    guard let number else { return nil }
    return ContactPhone(number: number, use: use, verified: verified, verifiedAt: verifiedAt)
  }

  static func portRange(_ v: JSONValue) -> PortRange? {
    guard case .object(let o) = v, o.members.count == 2,
      let first = o["first"].flatMap(port_), let last = o["last"].flatMap(port_)
    else { return nil }
    return PortRange(first: first, last: last)
  }

  static func perceptualHash(_ v: JSONValue) -> PerceptualHash? {
    guard case .object(let o) = v, o.members.count == 3, case .string(let a)? = o["algorithm"],
      case .string(let e)? = o["encoding"], case .string(let x)? = o["value"]
    else { return nil }
    return PerceptualHash(algorithm: a, encoding: e, value: x)
  }

  static func linkedAccount(_ v: JSONValue) -> LinkedAccount? {
    guard let (l, a) = twoStrings(v, "link", "accountId"), let link = LinkType(rawValue: l) else { return nil }
    return LinkedAccount(link: link, accountId: EntityID(a))
  }

  // MARK: values (the same checks as their `Decodable` conformances; nil instead of an error)

  static func string(_ v: JSONValue) -> String? {
    if case .string(let s) = v { return s }
    return nil
  }

  static func entityID(_ v: JSONValue) -> EntityID? {
    if case .string(let s) = v { return EntityID(s) }
    return nil
  }

  static func bool(_ v: JSONValue) -> Bool? {
    if case .bool(let b) = v { return b }
    return nil
  }

  static func int(_ v: JSONValue) -> Int? {
    if case .number(let n) = v, let i = n.int64Value { return Int(i) }
    return nil
  }

  static func int64(_ v: JSONValue) -> Int64? {
    if case .number(let n) = v { return n.int64Value }
    return nil
  }

  static func port_(_ v: JSONValue) -> Port? {
    int(v).flatMap { Port($0) }
  }

  static func rawEnum<E: RawRepresentable>(_ v: JSONValue) -> E? where E.RawValue == String {
    if case .string(let s) = v { return E(rawValue: s) }
    return nil
  }

  static func calendarDate(_ v: JSONValue) -> CalendarDate? {
    guard case .string(let s) = v, case .success(let d) = CalendarDate.parse(s) else { return nil }
    return d
  }

  static func country(_ v: JSONValue) -> CountryCode? {
    guard case .string(let s) = v, case .success(let c) = CountryCode.parse(s) else { return nil }
    return c
  }

  static func usState(_ v: JSONValue) -> USStateCode? {
    guard case .string(let s) = v, case .success(let c) = USStateCode.parse(s) else { return nil }
    return c
  }

  static func timestamp(_ v: JSONValue) -> Timestamp? {
    switch v {
    case .string(let s):
      guard case .success(let t) = Timestamp.parseISO8601(s) else { return nil }
      return t
    case .object(let o):
      // {utc, original, offset?, zone?}: as `Timestamp.init(from:)`.
      var utc: String? = nil, original: String? = nil, offsetText: String? = nil, zone: String? = nil
      for m in o.members {
        let ok: Bool
        switch m.key {
        case "utc": ok = opt(&utc, m.value, string) && utc != nil
        case "original": ok = opt(&original, m.value, string) && original != nil
        case "offset": ok = opt(&offsetText, m.value, string)
        case "zone": ok = opt(&zone, m.value, string)
        default: ok = false
        }
        guard ok else { return nil }
      }
      guard let utc, let original, let instant = Instant.parseUTC(utc) else { return nil }
      var offset: Int? = nil
      if let offsetText {
        guard let o = Timestamp.parseOffsetText(offsetText) else { return nil }
        offset = o
      }
      if case .success(let reparsed) = Timestamp.parseISO8601(original), reparsed.instant != instant { return nil }
      return Timestamp(instant: instant, originalText: original, originalOffsetSeconds: offset, zoneIdentifier: zone)
    default:
      return nil
    }
  }

  static func ipAddress(_ v: JSONValue) -> IPAddress? {
    guard let (original, value) = originalAndValue(v), case .success(let ip) = IPAddress.parse(original) else { return nil }
    if let value, value != ip.normalized { return nil }
    return ip
  }

  static func email(_ v: JSONValue) -> EmailAddress? {
    guard let (original, value) = originalAndValue(v), case .success(let e) = EmailAddress.parse(original) else { return nil }
    if let value, value != e.normalized { return nil }
    return e
  }

  static func phone(_ v: JSONValue) -> PhoneNumber? {
    // As `PhoneNumber.init(from:)`: the {value, original} form parses the original in the region whose calling
    // code is the longest prefix of the value.
    guard let (original, value) = originalAndValue(v) else { return nil }
    guard case .success(let p) = PhoneNumber.parse(original, defaultRegion: value.flatMap(PhoneRegion.ofE164)) else { return nil }
    if let value, value != p.e164 { return nil }
    return p
  }

  static func hashDigest(_ v: JSONValue) -> HashDigest? {
    guard case .object(let o) = v else { return nil }
    var algorithm: String? = nil, hex: String? = nil, original: String? = nil
    for m in o.members {
      let ok: Bool
      switch m.key {
      case "algorithm": ok = opt(&algorithm, m.value, string) && algorithm != nil
      case "hex": ok = opt(&hex, m.value, string) && hex != nil
      case "original": ok = opt(&original, m.value, string)
      default: ok = false
      }
      guard ok else { return nil }
    }
    guard let algorithm, let hex, let a = HashAlgorithm(rawValue: algorithm),
      case .success(let d) = HashDigest.parse(algorithm: a, hex: original ?? hex), d.hex == hex
    else { return nil }
    return d
  }

  // MARK: helpers

  /// `"text"` -> (text, nil); `{"value": v, "original": o}` (exactly those) -> (o, v).
  static func originalAndValue(_ v: JSONValue) -> (String, String?)? {
    if case .string(let s) = v { return (s, nil) }
    guard let (value, original) = twoStrings(v, "value", "original") else { return nil }
    return (original, value)
  }

  /// An object of exactly two string members with these keys.
  static func twoStrings(_ v: JSONValue, _ k1: String, _ k2: String) -> (String, String)? {
    guard case .object(let o) = v, o.members.count == 2 else { return nil }
    var a: String? = nil, b: String? = nil
    for m in o.members {
      guard case .string(let s) = m.value else { return nil }
      if m.key == k1 { a = s } else if m.key == k2 { b = s } else { return nil }
    }
    guard let a, let b else { return nil }
    return (a, b)
  }

  /// An optional member: null leaves it absent (as `decodeIfPresent`); otherwise the value must convert.
  @inline(__always)
  static func opt<T>(_ slot: inout T?, _ v: JSONValue, _ convert: (JSONValue) -> T?) -> Bool {
    if case .null = v { return true }
    guard let x = convert(v) else { return false }
    slot = x
    return true
  }

  /// A required member (null is refused, as `decode`).
  @inline(__always)
  static func req<T>(_ slot: inout T, _ v: JSONValue, _ convert: (JSONValue) -> T?, _ seen: inout Bool) -> Bool {
    guard !seen, let x = convert(v) else { return false }
    slot = x
    seen = true
    return true
  }

  /// An array member (absent means empty; null and null elements are refused, as `decode`).
  @inline(__always)
  static func arr<T>(_ slot: inout [T], _ v: JSONValue, _ convert: (JSONValue) -> T?) -> Bool {
    guard case .array(let items) = v else { return false }
    var out: [T] = []
    out.reserveCapacity(items.count)
    for item in items {
      guard let x = convert(item) else { return false }
      out.append(x)
    }
    slot = out
    return true
  }
}

extension JSONValue {
  /// The canonical JSON value of a timestamp (the same value as `JSONValueEncoder().encode(t)`, built directly).
  public init(canonical t: Timestamp) {
    let utc = t.instant.iso8601
    if t.originalText == utc && t.zoneIdentifier == nil {
      self = .string(utc)
      return
    }
    var members = [JSONMember(key: "utc", value: .string(utc)), JSONMember(key: "original", value: .string(t.originalText))]
    if let o = t.originalOffsetSeconds { members.append(JSONMember(key: "offset", value: .string(formatOffsetText(o)))) }
    if let z = t.zoneIdentifier { members.append(JSONMember(key: "zone", value: .string(z))) }
    self = .object(JSONObject(members))
  }

  /// The canonical JSON value of a phone number (as `JSONValueEncoder().encode(p)`, built directly).
  public init(canonical p: PhoneNumber) {
    if p.original == p.e164 {
      self = .string(p.e164)
    } else {
      self = .object(JSONObject([JSONMember(key: "value", value: .string(p.e164)), JSONMember(key: "original", value: .string(p.original))]))
    }
  }
}
