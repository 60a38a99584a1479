import CaseModel
import CaseInterchange
import CaseJSON

/// What one tip maps to: its entities with the origin of every mapped field, or the located reasons it is
/// quarantined. Warnings travel in both cases.
enum TipMapping {
  /// Accepted: entities in ordinal order, warnings, and where each model field came from.
  case record(entities: [Entity], warnings: [Diagnostic], origins: [FieldOrigin])
  /// Quarantined: at least one error (warnings included, so the record's findings are complete).
  case rejected([Diagnostic])
}

/// Maps one parsed CyberTip (the JSON police download from the ICAC Data System) into model entities.
///
/// Tolerant in shape: doubled wrappers (`emails.emails`) or their bare arrays, `{"value": …}` boxes or bare
/// scalars, null or missing members (= absent), empty strings (= absent), `eventName` in any case. Strict in
/// values: an IP address, timestamp (with its zone), date, e-mail, phone, port, integer or boolean that does not
/// parse, or a known member of the wrong JSON type, is an error and the tip is quarantined. Members no model
/// field holds are kept as `extras` of the entity mapped from their object, named by their JSON Pointer relative
/// to that object; members the public parsers have not seen also get a `cybertip.unknown-member` warning.
struct CyberTipMapper {
  /// A place extras go: the entity (by ordinal) and the object it was mapped from (extras are named relative
  /// to it).
  struct Scope {
    let ordinal: Int
    let base: TipNode
  }

  /// A finding whose position is resolved from its byte offset once the tip is mapped.
  private struct Pending {
    var rule: String
    var severity: Severity
    var message: String
    var field: String?
    var offset: Int
    var value: String?
  }

  /// Who holds a source capture.
  private enum CaptureOwner {
    case person(personID: EntityID, accountID: EntityID?, scope: Scope, accountScope: Scope?)
    case file(fileID: EntityID, scope: Scope)
    case incident(scope: Scope)

    var scope: Scope {
      switch self {
      case .person(_, _, let s, _), .file(_, let s), .incident(let s): s
      }
    }
  }

  /// What a capture gave its owner besides the entities it created.
  private enum CaptureResult {
    case none
    case observation(id: EntityID, event: IPEventKind?, at: Timestamp?)
    case profileURL(String, TipNode)
    case location(String, TipNode)
  }

  let sourceName: String
  let recordIndex: Int
  let idFor: (Int, Int) -> EntityID
  let keyedID: (String) -> EntityID

  private var slots: [Entity?] = []
  private var extras: [[ExtraField]] = []
  private var findings: [Pending] = []
  private var origins: [(entity: Int, pointer: String, node: TipNode)] = []
  private var caseID = EntityID("")
  private var espName: String?
  private var participants: [EntityID] = []

  init(sourceName: String, recordIndex: Int, idFor: @escaping (Int, Int) -> EntityID, keyedID: @escaping (String) -> EntityID) {
    self.sourceName = sourceName
    self.recordIndex = recordIndex
    self.idFor = idFor
    self.keyedID = keyedID
  }

  /// The key of a tip's Case id: the same report read from NCMEC XML or from another download joins on it.
  static func caseKey(_ reportId: String) -> String { "ncmec:report:" + reportId }

  /// The `reportId` of a parsed tip when it is a valid one (prescan uses it to declare the Case id).
  static func reportID(of value: JSONValue) -> String? {
    guard case .object(let o) = value, let v = o["reportId"] else { return nil }
    return reportIDText(v)
  }

  private static func reportIDText(_ v: JSONValue) -> String? {
    var v = v
    if case .object(let box) = v, let inner = box["value"] { v = inner }
    let text: String
    switch v {
    case .string(let s): text = s
    case .number(let n): text = n.literal
    default: return nil
    }
    guard !text.isEmpty, text.utf8.count <= 19, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
    return text
  }

  // MARK: - The tip

  /// Maps one tip.
  /// - Parameters:
  ///   - value: the parsed tip.
  ///   - bytes: the bytes it was parsed from (member key offsets refer to them).
  ///   - base: the line and column of `bytes[0]`.
  ///   - baseOffset: the input offset of `bytes[0]`.
  mutating func map(_ value: JSONValue, bytes: UnsafeRawBufferPointer, base: TextPosition, baseOffset: Int) -> TipMapping {
    let root = TipNode(root: value)
    guard case .object(let o) = value else {
      error("json.not-an-object", "a CyberTip must be a JSON object, not \(value.typeName)", root)
      return finish(bytes: bytes, base: base, baseOffset: baseOffset)
    }
    var tip = TipObject(node: root, object: o)
    let (caseOrd, _) = reserve()
    let caseScope = Scope(ordinal: caseOrd, base: root)
    var kase = Case(id: EntityID(""))

    if let n = tip.take("reportId") {
      if let id = Self.reportIDText(n.value) {
        caseID = keyedID(Self.caseKey(id))
        kase.id = caseID
        kase.externalReferences = [ExternalReference(system: "NCMEC", identifier: id)]
        origin(caseOrd, "/externalReferences/0/identifier", n)
      } else {
        error("cybertip.invalid-report-id", "reportId is not a decimal integer (NCMEC report ids are xs:long)", n, value: n.extraText)
      }
    } else {
      error("cybertip.missing-report-id", "the tip has no reportId; without it the report cannot be identified", root.member("reportId"))
    }
    kase.openedAt = timestamp(tip.take("dateReceived"), caseScope, caseOrd, "/openedAt")

    if var info = object(tip.take("reportedInformation")) {
      mapIncidentSummary(&info, into: &kase, caseScope)
      mapReportingESP(&info, caseScope)
      for n in list(info.take("reportedPeople"), inner: "reportedPersons", caseScope) {
        if var p = object(n) { participants.append(mapPerson(&p, role: .reportedUser).role) }
      }
      for n in list(info.take("intendedRecipients"), inner: "intendedRecipients", caseScope) {
        if var p = object(n) { participants.append(mapPerson(&p, role: .intendedRecipient).role) }
      }
      for n in list(info.take("uploadedFiles"), inner: "uploadedFiles", caseScope) {
        if var f = object(n) { mapFile(&f) }
      }
      if var details = object(info.take("incidentDetails")) { mapIncidentDetails(&details, caseScope) }
      keepInformations(&info, caseScope)
      keepLeftovers(info, caseScope, known: [])
    }
    keepLeftovers(tip, caseScope, known: [])
    if let k = incidentOrdinal, case .event(var e)? = slots[k] {
      e.participantIds = participants
      slots[k] = .event(e)
    }
    put(caseOrd, .caseRecord(kase))
    return finish(bytes: bytes, base: base, baseOffset: baseOffset)
  }

  private var incidentOrdinal: Int?

  private mutating func mapIncidentSummary(_ info: inout TipObject, into kase: inout Case, _ caseScope: Scope) {
    guard var s = object(info.take("incidentSummary")) else { return }
    let (ord, id) = reserve()
    let scope = Scope(ordinal: ord, base: s.node)
    var e = Event(id: id, kind: "incident")
    e.caseId = nonEmpty(caseID)
    if let (type, n) = text(s.take("incidentType"), scope) {
      kase.offenseTypes = [Category(scheme: CyberTipVocabulary.incidentTypeScheme, code: type)]
      origin(caseScope.ordinal, "/offenseTypes/0/code", n)
      if !CyberTipVocabulary.incidentTypes.contains(type) {
        warning("cybertip.unmapped-value", "incidentType is not one of NCMEC's eight incident types; kept as given", n, value: type)
      }
    }
    e.at = timestamp(s.take("incidentDateTime"), scope, ord, "/at")
    e.atDescription = textField(&s, "incidentDateTimeDescription", scope, ord, "/atDescription")
    keepLeftovers(s, scope, known: CyberTipVocabulary.incidentSummaryExtras)
    incidentOrdinal = ord
    put(ord, .event(e))
  }

  /// The reporting ESP is an organisation: an Agency (the model's "law-enforcement agency, hotline or other
  /// organisation") named `espName`. Its contact person, when the tip names one, is a Person with the role
  /// `reporter` and the Agency's contact.
  private mutating func mapReportingESP(_ info: inout TipObject, _ caseScope: Scope) {
    guard var r = object(info.take("reportingEsp")) else { return }
    var agency: Agency?
    var agencyOrd = 0
    if let (name, n) = text(r.take("espName"), caseScope) {
      espName = name
      let (ord, id) = reserve()
      agency = Agency(id: id, name: name)
      agencyOrd = ord
      origin(ord, "/name", n)
    }
    let personKeys = ["firstName", "middleName", "lastName", "dateOfBirth", "approximateAge", "emails", "phones", "addresses"]
    let hasPerson = personKeys.contains { r.has($0) }
    if hasPerson {
      let (pid, _) = mapPerson(&r, role: .reporter, keepsLeftovers: agency == nil)
      agency?.contactPersonIds = [pid]
    }
    if let agency {
      let scope = Scope(ordinal: agencyOrd, base: r.node)
      keepInformations(&r, scope)
      keepLeftovers(r, scope, known: CyberTipVocabulary.personExtras)
      put(agencyOrd, .agency(agency))
    } else if !hasPerson {
      keepInformations(&r, caseScope)
      keepLeftovers(r, caseScope, known: [])
    }
  }

  // MARK: - People

  /// Maps a reported person, intended recipient or the ESP's reporting person: Person, RoleAssignment, and for
  /// reported users and recipients an Account, IP observations and URL identifiers from their captures.
  /// - Returns: the person's id and the role assignment's (an event participant).
  private mutating func mapPerson(_ p: inout TipObject, role: Role, keepsLeftovers: Bool = true) -> (person: EntityID, role: EntityID) {
    let (ord, pid) = reserve()
    let scope = Scope(ordinal: ord, base: p.node)
    var person = Person(id: pid)
    var name = PersonName()
    name.given = textField(&p, "firstName", scope, ord, "/names/0/given")
    name.middle = textField(&p, "middleName", scope, ord, "/names/0/middle")
    name.family = textField(&p, "lastName", scope, ord, "/names/0/family")
    if name != PersonName() { person.names = [name] }
    person.dateOfBirth = parsed(p.take("dateOfBirth"), scope, ord, "/dateOfBirth", CalendarDate.parse)
    if let (age, n) = integer(p.take("approximateAge"), scope) {
      person.approximateAge = age
      origin(ord, "/approximateAge", n)
    }
    for n in list(p.take("emails"), inner: "emails", scope) {
      if let e = contactEmail(n, scope, ord, "/emails/\(person.emails.count)") { person.emails.append(e) }
    }
    for n in list(p.take("phones"), inner: "phones", scope) {
      if let ph = contactPhone(n, scope, ord, "/phones/\(person.phones.count)") { person.phones.append(ph) }
    }
    for n in list(p.take("addresses"), inner: "addresses", scope) {
      if let a = address(n, scope, ord, "/addresses/\(person.addresses.count)") { person.addresses.append(a) }
    }
    let (roleOrd, roleID) = reserve()
    var ra = RoleAssignment(id: roleID, personId: pid, role: role)
    ra.caseId = nonEmpty(caseID)

    if role != .reporter {
      let captures = list(p.take("sourceInformation"), inner: "sourceCaptures", scope)
      let accountKeys = ["espUserId", "espService", "screenName"]
      let needsAccount = accountKeys.contains { p.has($0) } || captures.contains { Self.peekCaptureKind($0) == .profileURL }
      var account: Account?
      var accountScope: Scope?
      if needsAccount {
        let (aord, aid) = reserve()
        accountScope = Scope(ordinal: aord, base: p.node)
        var a = Account(id: aid)
        a.holderPersonId = pid
        a.accountIdentifier = textField(&p, "espUserId", scope, aord, "/accountIdentifier")
        a.service = textField(&p, "espService", scope, aord, "/service")
        if let t = textField(&p, "screenName", scope, aord, "/usernames/0") { a.usernames = [t] }
        account = a
      }
      if let n = p.take("ipAddress") {
        // A bare address on the person: an observation without time or event.
        let (oord, oid) = reserve()
        if let addr = parsed(n, scope, oord, "/ip", IPAddress.parse) {
          var obs = IPObservation(id: oid, ip: addr)
          obs.personId = pid
          obs.accountId = account?.id
          obs.sourceProvider = espName
          put(oord, .ipObservation(obs))
        }
      }
      let owner = CaptureOwner.person(personID: pid, accountID: account?.id, scope: scope, accountScope: accountScope)
      for c in captures {
        if case .profileURL(let url, let n) = mapCapture(c, owner), var a = account, let accountScope {
          origin(accountScope.ordinal, "/profileURLs/\(a.profileURLs.count)", n)
          a.profileURLs.append(url)
          account = a
        }
      }
      if let a = account, let accountScope { put(accountScope.ordinal, .account(a)) }
    }
    if keepsLeftovers {
      keepInformations(&p, scope)
      keepLeftovers(p, scope, known: CyberTipVocabulary.personExtras)
    }
    put(ord, .person(person))
    put(roleOrd, .roleAssignment(ra))
    return (pid, roleID)
  }

  private mutating func contactEmail(_ n: TipNode, _ scope: Scope, _ ord: Int, _ field: String) -> ContactEmail? {
    guard var o = contactObject(n) else {
      return parsed(n, scope, ord, field + "/address", EmailAddress.parse).map { ContactEmail(address: $0) }
    }
    let address = parsed(o.take("value"), scope, ord, field + "/address", EmailAddress.parse)
    var e = address.map { ContactEmail(address: $0) }
    e?.verified = bool(o.take("verified"), scope, ord, field + "/verified")
    e?.use = use(o.take("type"), scope, ord, field + "/use")
    e?.verifiedAt = timestamp(o.take("verificationDate"), scope, ord, field + "/verifiedAt")
    keepLeftovers(o, scope, known: CyberTipVocabulary.contactExtras)
    return e
  }

  private mutating func contactPhone(_ n: TipNode, _ scope: Scope, _ ord: Int, _ field: String) -> ContactPhone? {
    var o = contactObject(n)
    let valueNode = o == nil ? n : o!.take("value")
    var region: PhoneRegion?
    var regionOK = true
    if let (cc, ccNode) = text(o?.take("countryCallingCode"), scope) {
      region = PhoneRegion.supported.first { "+" + $0.callingCode == cc }
      if region == nil {
        regionOK = false
        error("phone.unsupported-region", "countryCallingCode is not a calling code of a supported region (+ and 1-3 digits)", ccNode, value: cc)
      }
    }
    guard regionOK, let number = parsed(valueNode, scope, ord, field + "/number", { PhoneNumber.parse($0, defaultRegion: region) })
    else { return nil }
    var ph = ContactPhone(number: number)
    if var o {
      ph.verified = bool(o.take("verified"), scope, ord, field + "/verified")
      ph.use = use(o.take("type"), scope, ord, field + "/use")
      ph.verifiedAt = timestamp(o.take("verificationDate"), scope, ord, field + "/verifiedAt")
      keepLeftovers(o, scope, known: CyberTipVocabulary.contactExtras)
    }
    return ph
  }

  /// An address. Street lines `street1` and `street2` are joined with ", " (the model has one street text); a
  /// `state` that is not a USPS code or a `country` that is not ISO 3166-1 alpha-2 is kept as an extra with a
  /// `cybertip.unmapped-value` warning.
  private mutating func address(_ n: TipNode, _ scope: Scope, _ ord: Int, _ field: String) -> Address? {
    guard var o = object(n) else { return nil }
    var a = Address()
    var street: [String] = []
    for key in ["address", "street1", "street2"] {
      if let t = textField(&o, key, scope, ord, field + "/street") { street.append(t) }
    }
    if !street.isEmpty { a.street = street.joined(separator: ", ") }
    a.city = textField(&o, "city", scope, ord, field + "/city")
    for key in ["postalCode", "zipCode"] {
      if let t = textField(&o, key, scope, ord, field + "/postalCode") { a.postalCode = t }
    }
    a.region = textField(&o, "nonUsaState", scope, ord, field + "/region")
    if let (t, sn) = text(o.take("state"), scope) {
      if case .success(let s) = USStateCode.parse(t) {
        a.state = s
        origin(ord, field + "/state", sn)
      } else {
        warning("cybertip.unmapped-value", "state is not a USPS state or territory code; kept as an extra", sn, value: t)
        keep(sn, scope)
      }
    }
    if let (t, sn) = text(o.take("country"), scope) {
      if case .success(let c) = CountryCode.parse(t, allowingNCMECLegacy: true) {
        a.country = c
        origin(ord, field + "/country", sn)
      } else {
        warning("cybertip.unmapped-value", "country is not an ISO 3166-1 alpha-2 code; kept as an extra", sn, value: t)
        keep(sn, scope)
      }
    }
    a.use = use(o.take("type"), scope, ord, field + "/use")
    keepLeftovers(o, scope, known: CyberTipVocabulary.contactExtras)
    return a
  }

  // MARK: - Captures

  private static func peekCaptureKind(_ n: TipNode) -> CyberTipVocabulary.CaptureKind? {
    guard case .object(let o) = n.value, var t = o["captureType"] else { return nil }
    if case .object(let box) = t, let inner = box["value"] { t = inner }
    guard case .string(let s) = t else { return nil }
    return CyberTipVocabulary.captureKind(s)
  }

  /// One `sourceCaptures` element: "IP Address" → IPObservation (of the person and account, or of the file);
  /// "URL" → OnlineIdentifier (kind other, subtype URL) of a person, a location of a file, an extra of an
  /// incident; "Profile URL" → the account's profile URLs (a file's location, an incident's extra). A capture
  /// without a value (X captures no per-post IP) makes no entity; its members are kept as extras of the owner.
  private mutating func mapCapture(_ n: TipNode, _ owner: CaptureOwner) -> CaptureResult {
    guard var c = object(n) else { return .none }
    let scope = owner.scope
    let typeNode = c.take("captureType")
    let typeText = text(typeNode, scope)
    guard let kind = typeText.flatMap({ CyberTipVocabulary.captureKind($0.0) }) else {
      warning(
        "cybertip.unmapped-value",
        typeText == nil ? "capture has no captureType; kept as an extra" : "captureType is not IP Address, URL or Profile URL; the capture is kept as an extra",
        typeNode ?? n, value: typeText?.0)
      keep(n, scope)
      return .none
    }
    guard let valueNode = c.take("value"), let (value, _) = text(valueNode, scope) else {
      keepLeftovers(c, scope, known: CyberTipVocabulary.captureExtras)
      return .none
    }
    switch kind {
    case .ipAddress:
      return mapIPCapture(&c, valueNode, owner)
    case .url, .profileURL:
      switch owner {
      case .person(let pid, let aid, _, let accountScope):
        if kind == .profileURL, let accountScope {
          keepLeftovers(c, accountScope, known: CyberTipVocabulary.captureExtras)
          return .profileURL(value, valueNode)
        }
        let (ord, id) = reserve()
        var oi = OnlineIdentifier(id: id, kind: .other, value: value)
        oi.subtype = "URL"
        oi.personId = pid
        oi.accountId = aid
        origin(ord, "/value", valueNode)
        keepLeftovers(c, Scope(ordinal: ord, base: c.node), known: CyberTipVocabulary.captureExtras)
        put(ord, .onlineIdentifier(oi))
        return .none
      case .file:
        keepLeftovers(c, scope, known: CyberTipVocabulary.captureExtras)
        return .location(value, valueNode)
      case .incident:
        keep(valueNode, scope)
        keepLeftovers(c, scope, known: CyberTipVocabulary.captureExtras)
        return .none
      }
    }
  }

  private mutating func mapIPCapture(_ c: inout TipObject, _ valueNode: TipNode, _ owner: CaptureOwner) -> CaptureResult {
    let (ord, id) = reserve()
    let scope = Scope(ordinal: ord, base: c.node)
    let ip = parsed(valueNode, scope, ord, "/ip", IPAddress.parse)
    let port = parsed(c.take("port"), scope, ord, "/port", Port.parse)
    let at = timestamp(c.take("dateTime"), scope, ord, "/observedAt")
    var event: IPEventKind?
    if let (name, n) = text(c.take("eventName"), scope) {
      if let k = CyberTipVocabulary.eventKind(name) {
        event = k
        origin(ord, "/event", n)
      } else {
        event = .other
        warning("cybertip.unmapped-value", "eventName is not one NCMEC defines; mapped to other and kept as an extra", n, value: name)
        keep(n, scope)
      }
    }
    let proxy = bool(c.take("possibleProxy"), scope, ord, "/possibleProxy")
    keepLeftovers(c, scope, known: CyberTipVocabulary.captureExtras)
    guard let ip else { return .none }
    var obs = IPObservation(id: id, ip: ip)
    obs.port = port
    obs.observedAt = at
    obs.event = event
    obs.possibleProxy = proxy
    obs.sourceProvider = espName
    switch owner {
    case .person(let pid, let aid, _, _):
      obs.personId = pid
      obs.accountId = aid
    case .file(let fid, _):
      obs.fileId = fid
    case .incident:
      break
    }
    put(ord, .ipObservation(obs))
    return .observation(id: id, event: event, at: at)
  }

  // MARK: - Files

  /// An uploaded file: EvidenceFile with its hash (algorithm inferred only from an unambiguous length), tags,
  /// ESP metadata (Dropbox's "Upload Date and Time" becomes `uploadedAt`), and the IP observations of its
  /// captures (the first upload one becomes `uploadObservationId`).
  private mutating func mapFile(_ f: inout TipObject) {
    let (ord, id) = reserve()
    let scope = Scope(ordinal: ord, base: f.node)
    var file = EvidenceFile(id: id)
    file.caseId = nonEmpty(caseID)
    file.fileName = textField(&f, "filename", scope, ord, "/fileName")
    file.originalFileName = textField(&f, "originalFilename", scope, ord, "/originalFileName")
    if let (h, n) = text(f.take("verificationHash"), scope) {
      let algorithm: HashAlgorithm? =
        switch h.utf8.count {
        case 32: .md5
        case 40: .sha1
        case 64: .sha256
        default: nil
        }
      if let algorithm, case .success(let d) = HashDigest.parse(algorithm: algorithm, hex: h) {
        file.hashes = [d]
        origin(ord, "/hashes/0", n)
      } else {
        warning("cybertip.hash-algorithm-unknown", "verificationHash is not 32, 40 or 64 hex digits, so its algorithm cannot be inferred; kept as an extra", n, value: h)
        keep(n, scope)
      }
    }
    file.viewedByESP = bool(f.take("viewedByEsp"), scope, ord, "/viewedByESP")
    if let (t, n) = text(f.take("industryClassification"), scope) {
      file.category = Category(scheme: CyberTipVocabulary.industryClassificationScheme, code: t)
      origin(ord, "/category/code", n)
      if !CyberTipVocabulary.industryClassifications.contains(t) {
        warning("cybertip.unmapped-value", "industryClassification is not A1, A2, B1 or B2; kept as given", n, value: t)
      }
    }
    for g in list(f.take("ncmecTags"), inner: "groups", scope) {
      guard var group = object(g) else { continue }
      for t in list(group.take("tags"), inner: "tags", scope) {
        if let (tag, n) = text(t, scope) {
          origin(ord, "/annotations/\(file.annotations.count)", n)
          file.annotations.append(tag)
        }
      }
      keepLeftovers(group, scope, known: [])
    }
    for m in list(f.take("espMetadata"), inner: "metadatas", scope) {
      guard var pair = object(m) else { continue }
      let name = text(pair.take("name"), scope)
      let valueNode = pair.take("value")
      if let (name, _) = name, CyberTipVocabulary.isUploadTimeMetadata(name) {
        if let t = timestamp(valueNode, scope, ord, "/uploadedAt") { file.uploadedAt = t }
      } else if let valueNode {
        keep(unboxed(valueNode, scope), scope, name: name.map { "espMetadata/" + TipNode.escape($0.0) })
      }
      keepLeftovers(pair, scope, known: [])
    }
    for c in list(f.take("sourceInformation"), inner: "sourceCaptures", scope) {
      switch mapCapture(c, .file(fileID: id, scope: scope)) {
      case .observation(let oid, let event, let at) where event == .upload && file.uploadObservationId == nil:
        file.uploadObservationId = oid
        if file.uploadedAt == nil { file.uploadedAt = at }
      case .location(let url, let n):
        origin(ord, "/locations/\(file.locations.count)", n)
        file.locations.append(url)
      default: break
      }
    }
    keepInformations(&f, scope)
    keepLeftovers(f, scope, known: CyberTipVocabulary.fileExtras)
    put(ord, .evidenceFile(file))
  }

  // MARK: - Incident details

  /// Each element of each `incidentDetails` list (`webpageIncident`, `emailIncident`, ...) is an Event whose kind
  /// is the list's name; its `contents` (an e-mail's headers arrive as one text blob) are the description, kept
  /// as text and never parsed.
  private mutating func mapIncidentDetails(_ details: inout TipObject, _ caseScope: Scope) {
    for key in details.object.keys {
      guard let listNode = details.take(key) else { continue }
      for n in list(listNode, inner: key, caseScope) {
        guard var inc = object(n) else { continue }
        let (ord, id) = reserve()
        let scope = Scope(ordinal: ord, base: inc.node)
        var e = Event(id: id, kind: key)
        e.caseId = nonEmpty(caseID)
        if let cn = inc.take("contents") {
          let parts = (cn.value.stringValue != nil ? [cn] : list(cn, inner: "contents", scope)).compactMap { text($0, scope) }
          if !parts.isEmpty {
            e.description = parts.map(\.0).joined(separator: "\n\n")
            origin(ord, "/description", cn)
          }
        }
        for c in list(inc.take("sourceInformation"), inner: "sourceCaptures", scope) {
          _ = mapCapture(c, .incident(scope: scope))
        }
        keepInformations(&inc, scope)
        keepLeftovers(inc, scope, known: [])
        put(ord, .event(e))
      }
    }
  }

  // MARK: - Values

  /// A member's object, or nil (absent, or the wrong type: an error).
  private mutating func object(_ n: TipNode?) -> TipObject? {
    guard let n else { return nil }
    guard case .object(let o) = n.value else {
      typeMismatch(n, "an object")
      return nil
    }
    return TipObject(node: n, object: o)
  }

  /// An element of `emails`/`phones` as an object, or nil when it is a bare value.
  private func contactObject(_ n: TipNode) -> TipObject? {
    if case .object(let o) = n.value { return TipObject(node: n, object: o) }
    return nil
  }

  /// The elements of a list that may come doubled (`emails: {emails: [...]}`) or bare (`emails: [...]`).
  /// Null elements are absent. Other members of the wrapper are kept as extras with a warning.
  private mutating func list(_ n: TipNode?, inner: String, _ scope: Scope) -> [TipNode] {
    guard let n else { return [] }
    var arrayNode = n
    if case .object(let o) = n.value {
      var w = TipObject(node: n, object: o)
      guard let a = w.take(inner) else {
        keepLeftovers(w, scope, known: [])
        return []
      }
      keepLeftovers(w, scope, known: [])
      arrayNode = a
    }
    guard case .array(let items) = arrayNode.value else {
      typeMismatch(arrayNode, "an array")
      return []
    }
    return arrayNode.elements(items).filter { !$0.value.isNull }
  }

  /// The node holding a scalar: a `{"value": …}` box is opened (its other members are kept with a warning).
  private mutating func unboxed(_ n: TipNode, _ scope: Scope) -> TipNode {
    guard case .object(let o) = n.value, o.member("value") != nil else { return n }
    var box = TipObject(node: n, object: o)
    let inner = box.take("value") ?? TipNode(value: .null, pointer: n.pointer + "/value", keyOffset: n.keyOffset)
    keepLeftovers(box, scope, known: [])
    return inner
  }

  /// A text member mapped to a model field, its origin recorded.
  private mutating func textField(_ o: inout TipObject, _ key: String, _ scope: Scope, _ ord: Int, _ pointer: String) -> String? {
    guard let (t, n) = text(o.take(key), scope) else { return nil }
    origin(ord, pointer, n)
    return t
  }

  /// Text: a string, or a number's literal (ids often come as numbers). Empty text and null are absent.
  private mutating func text(_ n: TipNode?, _ scope: Scope) -> (String, TipNode)? {
    guard let n else { return nil }
    let v = unboxed(n, scope)
    switch v.value {
    case .null: return nil
    case .string(let s): return s.isEmpty ? nil : (s, v)
    case .number(let num): return (num.literal, v)
    default:
      typeMismatch(v, "text")
      return nil
    }
  }

  private mutating func bool(_ n: TipNode?, _ scope: Scope, _ ord: Int, _ field: String) -> Bool? {
    guard let n else { return nil }
    let v = unboxed(n, scope)
    switch v.value {
    case .null: return nil
    case .bool(let b):
      origin(ord, field, v)
      return b
    default:
      typeMismatch(v, "true or false")
      return nil
    }
  }

  /// An integer: a JSON integer, or a string of decimal digits.
  private mutating func integer(_ n: TipNode?, _ scope: Scope) -> (Int, TipNode)? {
    guard let n, let (t, v) = text(n, scope) else { return nil }
    if t.utf8.count <= 9, t.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let i = Int(t) { return (i, v) }
    error("field.invalid-integer", "\(v.name) is not a decimal integer", v, value: t)
    return nil
  }

  private mutating func timestamp(_ n: TipNode?, _ scope: Scope, _ ord: Int, _ field: String) -> Timestamp? {
    parsed(n, scope, ord, field, Timestamp.parseISO8601)
  }

  /// A strict model value parsed from text; a failure is an error naming the element.
  private mutating func parsed<T>(
    _ n: TipNode?, _ scope: Scope, _ ord: Int, _ field: String, _ parse: (String) -> Result<T, FieldError>
  ) -> T? {
    guard let (t, v) = text(n, scope) else { return nil }
    switch parse(t) {
    case .success(let x):
      origin(ord, field, v)
      return x
    case .failure(let f):
      error(f.rule, "\(v.name): \(f.message)", v, value: t)
      return nil
    }
  }

  /// A contact or address `type`; an unmapped one becomes `other` with a warning and is kept as an extra.
  private mutating func use(_ n: TipNode?, _ scope: Scope, _ ord: Int, _ field: String) -> ContactUse? {
    guard let (t, v) = text(n, scope) else { return nil }
    if let u = CyberTipVocabulary.contactUse(t) {
      origin(ord, field, v)
      return u
    }
    warning("cybertip.unmapped-value", "type is not one of NCMEC's contact or address types; mapped to other and kept as an extra", v, value: t)
    keep(v, scope)
    return .other
  }

  // MARK: - Extras, findings, entities

  /// Keeps a value as an extra of the scope's entity, named by its pointer relative to the scope's object.
  private mutating func keep(_ n: TipNode, _ scope: Scope, name: String? = nil) {
    guard let text = n.extraText else { return }
    extras[scope.ordinal].append(ExtraField(name: name ?? n.relative(to: scope.base), value: text))
  }

  /// Keeps `additionalInformations` (`[{"value": text}]`, or bare texts) as extras of the scope's entity, one
  /// per entry, named `additionalInformations/<index>`.
  private mutating func keepInformations(_ o: inout TipObject, _ scope: Scope) {
    for n in list(o.take("additionalInformations"), inner: "additionalInformations", scope) {
      keep(unboxed(n, scope), scope, name: n.relative(to: scope.base))
    }
  }

  /// Keeps every member not taken; members outside `known` also get a `cybertip.unknown-member` warning.
  private mutating func keepLeftovers(_ o: TipObject, _ scope: Scope, known: Set<String>) {
    for n in o.leftovers {
      if !known.contains(n.name) {
        warning("cybertip.unknown-member", "member is not part of the CyberTip mapping; kept as an extra", n)
      }
      keep(n, scope)
    }
  }

  private mutating func typeMismatch(_ n: TipNode, _ expected: String) {
    error("field.type-mismatch", "\(n.name.isEmpty ? "value" : n.name) must be \(expected), not \(n.value.typeName)", n, value: n.extraText)
  }

  private mutating func error(_ rule: String, _ message: String, _ n: TipNode?, value: String? = nil) {
    findings.append(Pending(rule: rule, severity: .error, message: message, field: n?.pointer.nilIfEmpty, offset: n?.keyOffset ?? 0, value: value))
  }

  private mutating func warning(_ rule: String, _ message: String, _ n: TipNode, value: String? = nil) {
    findings.append(Pending(rule: rule, severity: .warning, message: message, field: n.pointer.nilIfEmpty, offset: n.keyOffset, value: value))
  }

  private mutating func origin(_ entity: Int, _ pointer: String, _ n: TipNode) {
    origins.append((entity, pointer, n))
  }

  /// The next entity position and its id (the Case's, at position 0, is keyed by the report id, set when known).
  private mutating func reserve() -> (Int, EntityID) {
    let ord = slots.count
    slots.append(nil)
    extras.append([])
    return (ord, ord == 0 ? EntityID("") : idFor(recordIndex, ord))
  }

  private mutating func put(_ ord: Int, _ e: Entity) { slots[ord] = e }

  private func nonEmpty(_ id: EntityID) -> EntityID? { id.rawValue.isEmpty ? nil : id }

  /// Resolves positions (one pass over the tip's bytes in offset order) and builds the outcome.
  private func finish(bytes: UnsafeRawBufferPointer, base: TextPosition, baseOffset: Int) -> TipMapping {
    let positions = textPositions(of: findings.map(\.offset) + origins.map(\.node.keyOffset), in: bytes, startingAt: base)
    let diagnostics = findings.map { f in
      let p = positions[f.offset] ?? base
      return Diagnostic(
        rule: f.rule, severity: f.severity, message: f.message,
        location: SourceLocation(source: sourceName, record: recordIndex, line: p.line, column: p.column, byteOffset: baseOffset + f.offset, field: f.field),
        value: f.value)
    }
    if diagnostics.contains(where: { $0.severity == .error }) { return .rejected(diagnostics) }
    var entities: [Entity] = []
    for (k, slot) in slots.enumerated() {
      guard var e = slot else { continue }
      e.appendExtras(extras[k])
      entities.append(e)
    }
    let fieldOrigins = origins.map { o in
      let p = positions[o.node.keyOffset] ?? base
      return FieldOrigin(entity: o.entity, pointer: o.pointer, field: o.node.pointer, line: p.line, column: p.column)
    }
    return .record(entities: entities, warnings: diagnostics, origins: fieldOrigins)
  }
}

extension TipNode {
  /// The node of a member by key, for locating a finding about an absent member at its object.
  func member(_ key: String) -> TipNode {
    TipNode(value: .null, pointer: pointer + "/" + TipNode.escape(key), keyOffset: keyOffset)
  }
}

extension String {
  fileprivate var nilIfEmpty: String? { isEmpty ? nil : self }
}

extension Entity {
  /// Appends extra fields to whichever entity this is.
  mutating func appendExtras(_ more: [ExtraField]) {
    guard !more.isEmpty else { return }
    switch self {
    case .caseRecord(var e): e.extras += more; self = .caseRecord(e)
    case .agency(var e): e.extras += more; self = .agency(e)
    case .person(var e): e.extras += more; self = .person(e)
    case .roleAssignment(var e): e.extras += more; self = .roleAssignment(e)
    case .account(var e): e.extras += more; self = .account(e)
    case .onlineIdentifier(var e): e.extras += more; self = .onlineIdentifier(e)
    case .ipObservation(var e): e.extras += more; self = .ipObservation(e)
    case .ipAssignment(var e): e.extras += more; self = .ipAssignment(e)
    case .legalProcess(var e): e.extras += more; self = .legalProcess(e)
    case .evidenceFile(var e): e.extras += more; self = .evidenceFile(e)
    case .event(var e): e.extras += more; self = .event(e)
    }
  }
}
