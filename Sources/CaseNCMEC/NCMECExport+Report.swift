import CaseModel

extension NCMECExport {
  /// The `<report>` of a case, or nil when the case lacks what NCMEC requires (an incident type from NCMEC's list,
  /// an incident time).
  mutating func report(_ c: Case, single: Bool) -> NCMECElement? {
    guard let type = c.offenseTypes.first(where: { $0.scheme == NCMECReportMapper.incidentTypeScheme && NCMECSchema.incidentTypes.contains($0.code) }),
      let incident = events.first(where: { $0.kind == "incident" && $0.at != nil && belongs($0.caseId, c, single) })
    else {
      use(c.id)
      b.drop("cases without an NCMEC incidentType or an incident event with a time: no report written for them")
      return nil
    }
    let root = NCMECElement("report", type: "report")
    use(c.id)
    b.drop("offense types other than the first NCMEC incidentType", c.offenseTypes.count - 1)
    b.drop("case titles", c.title == nil ? 0 : 1)
    b.drop("case statuses", c.status == nil ? 0 : 1)
    b.drop("case opening times", c.openedAt == nil ? 0 : 1)
    b.drop("external references other than one numeric NCMEC report id", c.externalReferences.count - (Self.reportId(of: c) == nil ? 0 : 1))

    // incidentSummary
    let summary = b.element(root, "incidentSummary")!
    b.leaf(summary, "incidentType", type.code)
    b.leaf(summary, "incidentDateTime", NCMECTreeBuilder.dateTime(incident.at!))
    b.leaf(summary, "incidentDateTimeDescription", incident.atDescription)
    b.leaf(root, "additionalInfo", incident.description)
    use(incident.id)
    eventLeftovers(incident)
    b.insert(incident.extras, at: root)
    skip(events.filter { $0.kind == "incident" && $0.id != incident.id && belongs($0.caseId, c, single) }.map(\.id), "incident events beyond the first of a case")

    // internetDetails
    var number = 0
    for e in events where NCMECSchema.incidentElements.contains(e.kind) && belongs(e.caseId, c, single) {
      number += 1
      let inc = b.element(b.element(root, "internetDetails")!, e.kind)!
      use(e.id)
      b.leaf(inc, "additionalInfo", e.description)
      b.drop("times of internet-detail events", e.at == nil ? 0 : 1)
      b.drop("time descriptions of internet-detail events", e.atDescription == nil ? 0 : 1)
      eventLeftovers(e)
      b.insert(e.extras, at: inc)
      if e.kind == "peer2peerIncident" {
        for o in observations where o.accountId == nil && o.fileId == nil && o.extras.contains(where: { $0.name == NCMECExtras.internetDetails && $0.value == String(number) }) {
          ipCaptureEvent(inc, o)
        }
      }
    }
    skip(events.filter { $0.kind != "incident" && !NCMECSchema.incidentElements.contains($0.kind) && belongs($0.caseId, c, single) }.map(\.id), "events of kinds NCMEC's report has no element for")

    lawEnforcement(root, c, single: single)
    reporter(root, c, single: single)
    for (role, element) in [(Role.reportedUser, "personOrUserReported"), (.intendedRecipient, "intendedRecipient"), (.victim, "victim")] {
      for r in roles where r.role == role && belongs(r.caseId, c, single) { userBlocks(root, element, r, c) }
    }
    let placed: Set<Role> = [.reportedUser, .intendedRecipient, .victim, .reporter]
    skip(roles.filter { !placed.contains($0.role) && !isContactPerson($0) && belongs($0.caseId, c, single) }.map(\.id), "role assignments of roles NCMEC's report has no element for")
    b.insert(c.extras, at: root)
    return root
  }

  /// The case's NCMEC report id (canonical decimal), from its first numeric NCMEC external reference.
  static func reportId(of c: Case) -> String? {
    for r in c.externalReferences where r.system == NCMECReportMapper.referenceSystem {
      if let n = xsdInteger(r.identifier, bits: 64), n > 0 { return String(n) }
    }
    return nil
  }

  /// Entities left out as a whole: counted once under one description, and not again as unconnected.
  private mutating func skip(_ ids: [EntityID], _ what: String) {
    b.drop(what, ids.count)
    for id in ids { use(id) }
  }

  /// Event facts NCMEC has no place for.
  private mutating func eventLeftovers(_ e: Event) {
    b.drop("event participants (NCMEC links people to a report, not to an event)", e.participantIds.count)
  }

  private func isContactPerson(_ r: RoleAssignment) -> Bool {
    r.role == .other && r.extras.contains { $0.name == NCMECExtras.roleName && $0.value == NCMECExtras.contactPersonRole }
  }

  // MARK: lawEnforcement

  private mutating func lawEnforcement(_ root: NCMECElement, _ c: Case, single: Bool) {
    let served = processes.filter { belongs($0.caseId, c, single) || c.legalProcessIds.contains($0.id) }
    let agency = agency(c.agencyId)
    guard let agency else {
      b.drop("case numbers of cases without an agency (lawEnforcement needs agencyName)", c.caseNumber == nil ? 0 : 1)
      b.drop("legal processes of cases without an agency (lawEnforcement needs agencyName)", served.count)
      return
    }
    guard b.writable("agencyName", agency.name), let le = b.element(root, "lawEnforcement") else { return }
    use(agency.id)
    b.leaf(le, "agencyName", agency.name)
    b.leaf(le, "caseNumber", c.caseNumber)
    b.drop("agency identifiers (ORI)", agency.identifier == nil ? 0 : 1)
    b.drop("agency countries", agency.country == nil ? 0 : 1)
    b.insert(agency.extras, at: le)
    if let officerID = agency.contactPersonIds.first, let officer = person(officerID), let e = b.element(le, "officerContact") {
      use(officer.id)
      personFields(e, officer)
      personLeftovers(officer)
    }
    skip(Array(agency.contactPersonIds.dropFirst()), "agency contact persons beyond the first (NCMEC has one officerContact)")
    for p in served {
      use(p.id)
      let details = [p.identifier, p.issuedBy, p.servedTo, p.providerReference, p.status].compactMap { $0 }.count
        + [p.issuedAt, p.servedAt, p.requestedFrom, p.requestedTo, p.responseReceivedAt].compactMap { $0 }.count
        + (p.kind == .other ? 0 : 1)
      b.drop("legal processes with a kind, identifier, parties or dates: NCMEC records only that process was served (domestic or international)", details > 0 ? 1 : 0)
      let flagPrefix = NCMECExtras.prefix + "lawEnforcement/"
      let own = p.extras.filter { $0.name.hasPrefix(flagPrefix + "servedLegalProcess") }
      b.insert(p.extras.filter { !own.contains($0) }, at: root)
      let flag = own.first.map { String($0.name.dropFirst(flagPrefix.count).prefix { $0 != "/" }) }
        ?? (p.kind == .mlat ? "servedLegalProcessInternational" : "servedLegalProcessDomestic")
      if le.child(flag) != nil {
        b.drop("legal processes beyond the first domestic and the first international one (NCMEC has one flag for each)")
      } else if own.isEmpty {
        b.leaf(le, flag, "true")
      } else {
        b.insert(own, at: root)
      }
    }
  }

  // MARK: reporter

  private mutating func reporter(_ root: NCMECElement, _ c: Case, single: Bool) {
    let rep = b.element(root, "reporter")!
    let reporting = b.element(rep, "reportingPerson")!
    let mine = roles.filter { belongs($0.caseId, c, single) }
    if let r = mine.first(where: { $0.role == .reporter }), let p = person(r.personId) {
      use(r.id)
      use(p.id)
      personFields(reporting, p)
      personLeftovers(p)
      roleLeftovers(r)
      b.drop("reporter role assignments beyond the first", mine.filter { $0.role == .reporter }.count - 1)
    } else {
      b.drop("reports without a reporter: an empty reportingPerson was written, and NCMEC requires the reporting person's e-mail")
    }
    if let r = mine.first(where: isContactPerson), let p = person(r.personId), let e = b.element(rep, "contactPerson") {
      use(r.id)
      use(p.id)
      personFields(e, p)
      personLeftovers(p)
      roleLeftovers(r)
    }
  }

  mutating func roleLeftovers(_ r: RoleAssignment) {
    b.drop("role validity periods", r.validFrom == nil && r.validTo == nil ? 0 : 1)
    b.dropExtras(r.extras, skip: [NCMECExtras.roleName])
  }

  // MARK: people

  /// Writes a person into an element of type person, contactPerson or associatedAccount.
  mutating func personFields(_ e: NCMECElement, _ p: Person) {
    if let n = p.names.first {
      b.leaf(e, "firstName", n.given)
      if e.type == "associatedAccount" { b.leaf(e, "middleName", n.middle) } else { b.drop("middle names", n.middle == nil ? 0 : 1) }
      b.leaf(e, "lastName", n.family)
      b.drop("names given only as one full name (NCMEC takes first and last name; never split by guessing)", n.full != nil && n.given == nil && n.family == nil ? 1 : 0)
    }
    b.drop("names beyond a person's first", max(0, p.names.count - 1))
    for ph in p.phones { phone(e, ph.number, use: ph.use, verified: ph.verified, verifiedAt: ph.verifiedAt) }
    for m in p.emails { email(e, m.address.original, use: m.use, verified: m.verified, verifiedAt: m.verifiedAt) }
    for a in p.addresses { address(e, a) }
    let ageName = e.type == "associatedAccount" ? "approximateAge" : "age"
    if e.type == "contactPerson" {
      b.drop("ages and dates of birth of contact persons", (p.approximateAge == nil ? 0 : 1) + (p.dateOfBirth == nil ? 0 : 1))
    } else if e.type == "associatedAccount" && p.dateOfBirth != nil && p.approximateAge != nil {
      b.drop("approximate ages of associated-account holders with a date of birth (NCMEC takes one of them)")
      b.leaf(e, "dateOfBirth", p.dateOfBirth?.iso8601)
    } else {
      b.leaf(e, ageName, p.approximateAge.map { String($0) })
      b.leaf(e, "dateOfBirth", p.dateOfBirth?.iso8601)
    }
  }

  /// Notes and extras of a person written outside a user block (reporter, contact, officer, account holder).
  mutating func personLeftovers(_ p: Person) {
    b.drop("person notes outside a reported user, recipient or victim", p.notes == nil ? 0 : 1)
    b.dropExtras(p.extras)
  }

  mutating func phone(_ e: NCMECElement, _ n: PhoneNumber, use: ContactUse?, verified: Bool?, verifiedAt: Timestamp?) {
    let splits = !n.nationalNumber.hasPrefix(n.callingCode)
    guard let ph = b.leaf(e, "phone", splits ? n.nationalNumber : n.e164) else { return }
    if splits { b.attribute(ph, "countryCallingCode", "+" + n.callingCode) }
    b.attribute(ph, "extension", n.extensionDigits)
    contactAttributes(ph, use: use, allowed: NCMECSchema.phoneTypes, verified: verified, verifiedAt: verifiedAt)
  }

  mutating func email(_ e: NCMECElement, _ address: String, use: ContactUse?, verified: Bool?, verifiedAt: Timestamp?) {
    guard let m = b.leaf(e, "email", address) else { return }
    contactAttributes(m, use: use, allowed: NCMECSchema.emailTypes, verified: verified, verifiedAt: verifiedAt)
  }

  private func contactAttributes(_ e: NCMECElement, use: ContactUse?, allowed: [String], verified: Bool?, verifiedAt: Timestamp?) {
    let type = NCMECVocabulary.ncmecType(use, allowed: allowed)
    b.drop("contact uses NCMEC does not list for phones, e-mails or addresses", use != nil && type == nil ? 1 : 0)
    b.attribute(e, "type", type)
    // NCMEC: verified must be true whenever verificationDate is given.
    b.attribute(e, "verified", (verifiedAt != nil ? true : verified).map { $0 ? "true" : "false" })
    b.attribute(e, "verificationDate", verifiedAt.map(NCMECTreeBuilder.dateTime))
  }

  mutating func address(_ e: NCMECElement, _ a: Address) {
    guard let el = b.element(e, "address") else { return }
    let type = NCMECVocabulary.ncmecType(a.use, allowed: NCMECSchema.addressTypes)
    b.drop("contact uses NCMEC does not list for phones, e-mails or addresses", a.use != nil && type == nil ? 1 : 0)
    b.attribute(el, "type", type)
    b.leaf(el, "address", a.street)
    b.leaf(el, "city", a.city)
    b.leaf(el, "zipCode", a.postalCode)
    b.leaf(el, "state", a.state?.code)
    b.leaf(el, "nonUsaState", a.region)
    b.leaf(el, "country", a.country?.code)
  }
}
