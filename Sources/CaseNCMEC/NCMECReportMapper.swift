public import CaseModel
import CaseInterchange
public import CaseXML

/// Maps an NCMEC `<report>` element tree to model entities. Pure: the tree in, entities and located diagnostics
/// out. A report is one source record; any error quarantines it.
///
/// Entity order: the Case (ordinal 0), the incident Event, then each part of the report in document order.
/// Entities get empty ids (the pipeline derives them) except the Case when the report's NCMEC `reportId` is known:
/// then its id is the keyed `ncmec:report:<reportId>`, the id its fileDetails documents point at.
public enum NCMECReportMapper {
  /// The scheme of `Case.offenseTypes` entries that hold NCMEC incident types.
  public static let incidentTypeScheme = "ncmec-incidentType"
  /// The scheme of `EvidenceFile.category` for NCMEC's `industryClassification`.
  public static let industryClassificationScheme = "ncmec-industryClassification"
  /// The `system` of the Case's external reference holding the NCMEC report id.
  public static let referenceSystem = "NCMEC"

  /// Maps a report.
  /// - Parameters:
  ///   - root: The `report` element.
  ///   - record: The record's index in its input.
  ///   - reportId: The NCMEC report id, when the document states one (canonical decimal).
  ///   - sourceName: The input's display name, for diagnostics.
  ///   - idFor: Ids of the entities of a record, by (record, ordinal).
  ///   - keyedID: Value-derived ids (`ncmec:report:<reportId>`).
  /// - Returns: The entities, or the errors that quarantine the report.
  public static func map(
    report root: XMLElementNode, record: Int, reportId: String?, sourceName: String,
    idFor: @escaping @Sendable (Int, Int) -> EntityID, keyedID: @Sendable (String) -> EntityID
  ) -> NCMECMapping {
    var m = ReportMapping(NCMECImport(sourceName: sourceName, record: record, idFor: idFor), root: NCMECNode(root: root))
    m.map(reportId: reportId, keyedID: keyedID)
    return m.m.result
  }
}

/// The mapping of one report.
struct ReportMapping {
  var m: NCMECImport
  let root: NCMECNode
  var kase: Case
  var caseID: EntityID
  /// Normalised e-mail addresses of every person in the report (incident e-mails must be among them).
  var personEmails = Set<String>()
  var incidentEmails: [(String, NCMECNode)] = []

  init(_ m: NCMECImport, root: NCMECNode) {
    self.m = m
    self.root = root
    kase = Case(id: EntityID(""))
    caseID = m.id(0)
  }

  mutating func map(reportId: String?, keyedID: (String) -> EntityID) {
    m.checkStructure(root)
    if let r = reportId {
      caseID = keyedID("ncmec:report:" + r)
      kase.id = caseID
      kase.externalReferences = [ExternalReference(system: NCMECReportMapper.referenceSystem, identifier: r)]
    }
    m.append(.caseRecord(kase), from: root)
    m.flatten(childrenOf: root, named: ["batchedReport"], below: root, into: &kase.extras)
    summary()
    for (k, d) in root.children("internetDetails").enumerated() { internetDetails(d, number: k + 1) }
    if let le = root.child("lawEnforcement") { lawEnforcement(le) }
    if let rep = root.child("reporter") { reporter(rep) }
    for b in root.children("personOrUserReported") { user(b, role: .reportedUser, personElement: "personOrUserReportedPerson") }
    for b in root.children("intendedRecipient") { user(b, role: .intendedRecipient, personElement: "intendedRecipientPerson") }
    for b in root.children("victim") { user(b, role: .victim, personElement: "victimPerson") }
    m.set(0, .caseRecord(kase))
    for (e, node) in incidentEmails where !personEmails.contains(e) {
      m.report("ncmec.incident-email-unlisted", .warning, "an e-mail address of an e-mail or newsgroup incident is on no reported person, recipient or victim, as NCMEC requires", at: node)
    }
  }

  // MARK: incidentSummary

  mutating func summary() {
    guard let s = root.child("incidentSummary") else { return }
    if let t = s.child("incidentType"), NCMECSchema.incidentTypes.contains(t.text) {
      kase.offenseTypes = [Category(scheme: NCMECReportMapper.incidentTypeScheme, code: t.text)]
      m.origin(0, "/offenseTypes/0", t)
    }
    m.flatten(childrenOf: s, named: ["platform", "escalateToHighPriority", "reportAnnotations"], below: root, into: &kase.extras)
    var e = Event(id: EntityID(""), kind: "incident")
    e.caseId = caseID
    let k = m.append(.event(e), from: s)
    if let t = s.child("incidentDateTime") {
      e.at = m.timestamp(t)
      m.origin(k, "/at", t)
    }
    e.atDescription = m.text("incidentDateTimeDescription", of: s, entity: k, "/atDescription")
    // The report's additionalInfo: "notes on this incident not covered by any other section".
    e.description = m.text("additionalInfo", of: root, entity: k, "/description")
    m.set(k, .event(e))
  }

  // MARK: internetDetails

  mutating func internetDetails(_ d: NCMECNode, number: Int) {
    guard let inc = d.allChildren.first(where: { !$0.type.isEmpty }) else { return }
    var e = Event(id: EntityID(""), kind: inc.name)
    e.caseId = caseID
    let k = m.append(.event(e), from: inc)
    for a in inc.element.attributes where a.name.namespace == nil {
      e.extras.append(ExtraField(name: "ncmec:@" + a.name.local, value: a.value))
    }
    for c in inc.allChildren {
      switch c.name {
      case "additionalInfo":
        e.description = c.text
        m.origin(k, "/description", c)
      case "ipCaptureEvent":
        _ = ipObservation(c, account: nil, file: nil, extras: [ExtraField(name: NCMECExtras.internetDetails, value: String(number))])
      default:
        switch c.name {
        case "url": m.checkURL(c)
        case "emailAddress":
          if let mail = m.email(c) { incidentEmails.append((mail.normalized, c)) }
        case "phoneNumber": _ = m.phone(c)
        default: break
        }
        m.flatten(c, below: inc, into: &e.extras)
      }
    }
    m.set(k, .event(e))
  }

  // MARK: lawEnforcement

  mutating func lawEnforcement(_ le: NCMECNode) {
    var agency = Agency(id: EntityID(""), name: le.child("agencyName")?.text ?? "")
    let k = m.append(.agency(agency), from: le)
    if let n = le.child("agencyName") { m.origin(k, "/name", n) }
    kase.agencyId = m.id(k)
    kase.caseNumber = m.text("caseNumber", of: le, entity: 0, "/caseNumber")
    if let o = le.child("officerContact") {
      agency.contactPersonIds.append(m.id(person(o)))
    }
    m.set(k, .agency(agency))
    m.flatten(childrenOf: le, named: ["reportedToLe"], below: root, into: &kase.extras)
    for name in ["servedLegalProcessDomestic", "servedLegalProcessInternational"] {
      guard let s = le.child(name) else { continue }
      if m.bool(s) == true {
        // NCMEC says only that process was served; the kind, identifier and dates are not in the report.
        var p = LegalProcess(id: EntityID(""), kind: .other)
        p.caseId = caseID
        m.flatten(s, below: root, into: &p.extras)
        let pk = m.append(.legalProcess(p), from: s)
        kase.legalProcessIds.append(m.id(pk))
      } else {
        m.flatten(s, below: root, into: &kase.extras)
      }
    }
  }

  // MARK: reporter

  mutating func reporter(_ rep: NCMECNode) {
    if let p = rep.child("reportingPerson") {
      role(person: person(p), .reporter, from: p, extras: [])
    }
    if let p = rep.child("contactPerson") {
      role(person: person(p), .other, from: p, extras: [ExtraField(name: NCMECExtras.roleName, value: NCMECExtras.contactPersonRole)])
    }
    m.flatten(childrenOf: rep, named: ["companyTemplate", "termsOfService", "legalURL"], below: root, into: &kase.extras)
  }

  mutating func role(person: Int, _ role: Role, from node: NCMECNode, extras: [ExtraField]) {
    var r = RoleAssignment(id: EntityID(""), personId: m.id(person), role: role)
    r.caseId = caseID
    r.extras = extras
    m.append(.roleAssignment(r), from: node)
  }

  // MARK: people

  /// A person from NCMEC's person, contactPerson or associatedAccount fields; returns its ordinal.
  @discardableResult
  mutating func person(_ p: NCMECNode, into existing: Person? = nil, ordinal: Int? = nil) -> Int {
    var person = existing ?? Person(id: EntityID(""))
    let k = ordinal ?? m.append(.person(person), from: p)
    let given = p.child("firstName")
    let middle = p.child("middleName")
    let family = p.child("lastName")
    if given != nil || middle != nil || family != nil {
      person.names = [PersonName(given: given?.text, middle: middle?.text, family: family?.text)]
      for (n, f) in [(given, "given"), (middle, "middle"), (family, "family")] {
        if let n { m.origin(k, "/names/0/\(f)", n) }
      }
    }
    for ph in p.children("phone") {
      guard let number = m.phone(ph) else { continue }
      m.origin(k, "/phones/\(person.phones.count)", ph)
      person.phones.append(ContactPhone(
        number: number, use: NCMECVocabulary.contactUse(ph.attribute("type")), verified: m.bool(attribute: "verified", of: ph),
        verifiedAt: m.timestamp(attribute: "verificationDate", of: ph)))
    }
    for em in p.children("email") {
      guard let address = m.email(em) else { continue }
      personEmails.insert(address.normalized)
      m.origin(k, "/emails/\(person.emails.count)", em)
      person.emails.append(ContactEmail(
        address: address, use: NCMECVocabulary.contactUse(em.attribute("type")), verified: m.bool(attribute: "verified", of: em),
        verifiedAt: m.timestamp(attribute: "verificationDate", of: em)))
    }
    for ad in p.children("address") {
      m.origin(k, "/addresses/\(person.addresses.count)", ad)
      person.addresses.append(address(ad))
    }
    if let a = p.child("age") ?? p.child("approximateAge") {
      person.approximateAge = m.int(a)
      m.origin(k, "/approximateAge", a)
    }
    if let d = p.child("dateOfBirth") {
      person.dateOfBirth = m.date(d)
      m.origin(k, "/dateOfBirth", d)
    }
    m.set(k, .person(person))
    return k
  }

  func address(_ a: NCMECNode) -> Address {
    func value(_ name: String) -> String? { a.child(name)?.text }
    var out = Address(
      use: NCMECVocabulary.contactUse(a.attribute("type")), street: value("address"), city: value("city"),
      postalCode: value("zipCode"), region: value("nonUsaState"))
    if let s = value("state"), !s.isEmpty, case .success(let code) = USStateCode.parse(s) { out.state = code }
    if let c = value("country"), !c.isEmpty, case .success(let code) = CountryCode.parse(c, allowingNCMECLegacy: true) { out.country = code }
    return out
  }

  // MARK: reported users, intended recipients, victims

  /// Children of a user block that belong to the person, not to an account.
  static let personChildren: Set<String> = [
    "personOrUserReportedPerson", "intendedRecipientPerson", "victimPerson", "vehicleDescription", "schoolName", "additionalInfo",
  ]

  mutating func user(_ b: NCMECNode, role: Role, personElement: String) {
    let pk: Int
    if let p = b.child(personElement) {
      pk = person(p)
    } else {
      pk = m.append(.person(Person(id: EntityID(""))), from: b)
    }
    guard case .person(var person) = m.entities[pk] else { return }
    m.flatten(childrenOf: b, named: ["vehicleDescription", "schoolName"], below: b, into: &person.extras)
    for (i, a) in b.children("additionalInfo").enumerated() {
      if i == 0 {
        person.notes = a.text
        m.origin(pk, "/notes", a)
      } else {
        m.flatten(a, below: b, into: &person.extras)
      }
    }
    m.set(pk, .person(person))
    self.role(person: pk, role, from: b, extras: [])
    if b.allChildren.contains(where: { !Self.personChildren.contains($0.name) }) {
      _ = account(b, holder: pk)
    }
  }

  /// Children of a user block or associated account that the Account keeps as extras.
  static let accountExtras: Set<String> = [
    "profileBio", "thirdPartyUserReported", "priorCTReports", "priorCTReport", "groupIdentifier", "estimatedLocation",
    "allEmailsReported", "platform",
  ]

  /// An account from a user block or an associated account; returns its ordinal.
  mutating func account(_ n: NCMECNode, holder: Int?) -> Int {
    var a = Account(id: EntityID(""))
    let k = m.append(.account(a), from: n)
    a.holderPersonId = holder.map(m.id)
    a.accountIdentifier = m.text("espIdentifier", of: n, entity: k, "/accountIdentifier")
    a.service = m.text("espService", of: n, entity: k, "/service")
    if let v = n.child("compromisedAccount") {
      a.isCompromised = m.bool(v)
      m.origin(k, "/isCompromised", v)
    }
    a.usernames = m.text("screenName", of: n, entity: k, "/usernames/0").map { [$0] } ?? []
    for v in n.children("displayName") {
      m.origin(k, "/displayNames/\(a.displayNames.count)", v)
      a.displayNames.append(v.text)
    }
    for v in n.children("profileUrl") {
      m.origin(k, "/profileURLs/\(a.profileURLs.count)", v)
      a.profileURLs.append(v.text)
    }
    disabled(n, &a, k)
    m.flatten(childrenOf: n, named: Self.accountExtras, below: n, into: &a.extras)
    if n.name == "associatedAccount" { m.flatten(childrenOf: n, named: ["additionalInfo"], below: n, into: &a.extras) }
    m.set(k, .account(a))
    for e in n.children("ipCaptureEvent") { _ = ipObservation(e, account: k, file: nil, extras: []) }
    for d in n.children("deviceId") { deviceID(d, account: k, extras: []) }
    for l in n.children("associatedAccount") {
      let holder: Int?
      let personFields: Set<String> = ["firstName", "middleName", "lastName", "approximateAge", "dateOfBirth", "phone", "email", "address"]
      holder = l.allChildren.contains { personFields.contains($0.name) } ? person(l) : nil
      let lk = account(l, holder: holder)
      guard case .account(var mine) = m.entities[k] else { continue }
      mine.linkedAccounts.append(LinkedAccount(link: NCMECVocabulary.linkType(l.attribute("type")), accountId: m.id(lk)))
      m.set(k, .account(mine))
      if l.child("approximateAge") != nil && l.child("dateOfBirth") != nil {
        m.report("ncmec.age-and-birth-date", .warning, "associatedAccount gives both approximateAge and dateOfBirth; NCMEC allows one of them", at: l)
      }
    }
    return k
  }

  /// accountTemporarilyDisabled / accountPermanentlyDisabled: the flags, and one disabled date (the permanent
  /// one when both are given); the other attributes are kept as extras.
  mutating func disabled(_ n: NCMECNode, _ a: inout Account, _ k: Int) {
    let perm = n.child("accountPermanentlyDisabled")
    let temp = n.child("accountTemporarilyDisabled")
    for (node, isPermanent) in [(perm, true), (temp, false)] {
      guard let node else { continue }
      if isPermanent {
        a.isPermanentlyDisabled = m.bool(node)
      } else {
        a.isTemporarilyDisabled = m.bool(node)
      }
      m.origin(k, isPermanent ? "/isPermanentlyDisabled" : "/isTemporarilyDisabled", node)
      let takesDate = isPermanent || perm == nil
      if takesDate, let d = m.timestamp(attribute: "disabledDate", of: node) {
        a.disabledAt = d
        m.origin(k, "/disabledAt", node, path: node.attributePath("disabledDate"))
      }
      let prefix = "ncmec:" + node.relativePath(below: n) + "/@"
      for attr in node.element.attributes where attr.name.namespace == nil && !(takesDate && attr.name.local == "disabledDate") {
        a.extras.append(ExtraField(name: prefix + attr.name.local, value: attr.value))
      }
    }
  }

  // MARK: IP capture events and device ids (shared with fileDetails)

  mutating func ipObservation(_ e: NCMECNode, account: Int?, file: Int?, extras: [ExtraField]) -> Int? {
    ipObservationMapping(&m, e, account: account, file: file, extras: extras)
  }

  mutating func deviceID(_ d: NCMECNode, account: Int?, extras: [ExtraField]) {
    deviceIDMapping(&m, d, account: account, extras: extras)
  }
}

/// An `ipCaptureEvent` as an IPObservation; returns its ordinal (nil when the address is invalid).
func ipObservationMapping(_ m: inout NCMECImport, _ e: NCMECNode, account: Int?, file: Int?, extras: [ExtraField]) -> Int? {
  guard let a = e.child("ipAddress"), let ip = m.ip(a) else { return nil }
  var o = IPObservation(id: EntityID(""), ip: ip)
  let k = m.append(.ipObservation(o), from: e)
  m.origin(k, "/ip", a)
  o.accountId = account.map(m.id)
  o.fileId = file.map(m.id)
  o.extras = extras
  if let p = e.child("port"), let v = m.int(p) {
    if let port = Port(v) {
      o.port = port
      m.origin(k, "/port", p)
    } else {
      m.report("port.invalid", .error, "port is out of range 1-65535", at: p, value: p.text)
    }
  }
  if let t = e.child("dateTime") {
    o.observedAt = m.timestamp(t)
    m.origin(k, "/observedAt", t)
  }
  if let v = e.child("eventName") { o.event = NCMECVocabulary.eventKind(v.text) }
  if let v = e.child("possibleProxy") { o.possibleProxy = m.bool(v) }
  m.set(k, .ipObservation(o))
  return k
}

/// A `deviceId` as an OnlineIdentifier of kind deviceId (subtype = idType); its event name and time are extras.
func deviceIDMapping(_ m: inout NCMECImport, _ d: NCMECNode, account: Int?, extras: [ExtraField]) {
  guard let type = d.child("idType"), let value = d.child("idValue") else { return }
  var i = OnlineIdentifier(id: EntityID(""), kind: .deviceId, value: value.text)
  i.subtype = type.text
  i.accountId = account.map(m.id)
  i.extras = extras
  m.flatten(childrenOf: d, named: ["eventName", "dateTime"], below: d, into: &i.extras)
  let k = m.append(.onlineIdentifier(i), from: d)
  m.origin(k, "/value", value)
  m.origin(k, "/subtype", type)
}
