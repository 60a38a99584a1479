import CaseModel

extension NCMECExport {
  // MARK: reported users, intended recipients, victims

  /// One block per account the person holds (one without an account when they hold none); the person is
  /// repeated in each block.
  mutating func userBlocks(_ root: NCMECElement, _ element: String, _ r: RoleAssignment, _ c: Case) {
    guard let p = person(r.personId) else { return }
    use(r.id)
    use(p.id)
    roleLeftovers(r)
    let linked = Set(accounts.flatMap { $0.linkedAccounts.map(\.accountId) })
    let own = accounts.filter { $0.holderPersonId == p.id && !linked.contains($0.id) }
    let personElement = element == "personOrUserReported" ? "personOrUserReportedPerson" : element + "Person"
    for (i, a) in (own.isEmpty ? [nil] : own.map(Optional.some)).enumerated() {
      guard let block = b.element(root, element), let pe = b.element(block, personElement) else { return }
      personFields(pe, p)
      b.leaf(block, "additionalInfo", p.notes)
      b.insert(p.extras, at: block)
      if let a { accountFields(block, a, contact: pe) }
      if i == 0 {
        for id in identifiers where id.personId == p.id && id.accountId == nil { identifier(id, block: block, contact: pe) }
        for o in observations where o.personId == p.id && o.accountId == nil { ipCaptureEvent(block, o) }
      }
      if pe.isEmpty && element != "victim" { block.children.removeAll { $0 === pe } }
    }
  }

  /// An account's fields into a user block or an associatedAccount element; e-mails and phones held by the
  /// account go into `contact` (the block's person, or the associatedAccount itself).
  mutating func accountFields(_ e: NCMECElement, _ a: Account, contact: NCMECElement) {
    use(a.id)
    b.leaf(e, "espIdentifier", a.accountIdentifier)
    b.leaf(e, "espService", a.service)
    b.leaf(e, "compromisedAccount", a.isCompromised)
    b.leaf(e, "screenName", a.usernames.first)
    b.drop("usernames beyond an account's first (NCMEC has one screenName)", max(0, a.usernames.count - 1))
    for d in a.displayNames { b.leaf(e, "displayName", d) }
    for u in a.profileURLs { b.leaf(e, "profileUrl", u) }
    if let t = a.isTemporarilyDisabled, let d = b.leaf(e, "accountTemporarilyDisabled", t), a.isPermanentlyDisabled == nil {
      b.attribute(d, "disabledDate", a.disabledAt.map(NCMECTreeBuilder.dateTime))
    }
    if let t = a.isPermanentlyDisabled, let d = b.leaf(e, "accountPermanentlyDisabled", t) {
      b.attribute(d, "disabledDate", a.disabledAt.map(NCMECTreeBuilder.dateTime))
    }
    b.drop("account disabled times without a disabled flag", a.disabledAt != nil && a.isTemporarilyDisabled == nil && a.isPermanentlyDisabled == nil ? 1 : 0)
    b.drop("account creation times", a.createdAt == nil ? 0 : 1)
    b.insert(a.extras, at: e)
    for o in observations where o.accountId == a.id { ipCaptureEvent(e, o) }
    for id in identifiers where id.accountId == a.id { identifier(id, block: e, contact: contact) }
    for l in a.linkedAccounts {
      guard let target = account(l.accountId) else { continue }
      guard e.type != "associatedAccount", let x = b.element(e, "associatedAccount") else {
        b.drop(e.type == "associatedAccount" ? "accounts linked to linked accounts (NCMEC nests one level)" : "linked accounts of intended recipients (NCMEC has no associatedAccount there)")
        continue
      }
      b.attribute(x, "type", NCMECVocabulary.associatedAccountType(l.link))
      if let h = person(target.holderPersonId) {
        use(h.id)
        personFields(x, h)
        personLeftovers(h)
      }
      accountFields(x, target, contact: x)
    }
  }

  // MARK: identifiers and observations

  /// An online identifier into the block it belongs to: e-mails and phones to the contact element, device ids,
  /// and usernames, display names, profile URLs and platform ids to the account's fields when there is room.
  mutating func identifier(_ id: OnlineIdentifier, block: NCMECElement, contact: NCMECElement) {
    use(id.id)
    switch id.kind {
    case .email:
      guard case .success(let m) = EmailAddress.parse(id.value) else { return b.drop("online identifiers whose value does not parse") }
      // The same address in another letter case is the same mailbox for a report (never rewritten, only compared).
      let present = contact.children("email").contains { x in
        (try? EmailAddress.parse(x.text ?? "").get())?.normalized.lowercased() == m.normalized.lowercased()
      }
      if !present { email(contact, id.value, use: id.use, verified: id.verified, verifiedAt: id.verifiedAt) }
    case .phone:
      guard case .success(let p) = PhoneNumber.parse(id.normalized ?? id.value, defaultRegion: nil) else { return b.drop("online identifiers whose value does not parse") }
      let present = contact.children("phone").contains { x in
        let text = (x.attribute("countryCallingCode").map { $0 + " " } ?? "") + (x.text ?? "")
        return (try? PhoneNumber.parse(text, defaultRegion: nil).get())?.e164 == p.e164
      }
      if !present { phone(contact, p, use: id.use, verified: id.verified, verifiedAt: id.verifiedAt) }
    case .deviceId:
      deviceId(block, id)
      return
    case .username where block.child("screenName") == nil: b.leaf(block, "screenName", id.value)
    case .displayName where !block.children("displayName").contains { $0.text == id.value }: b.leaf(block, "displayName", id.value)
    case .profileURL where !block.children("profileUrl").contains { $0.text == id.value }: b.leaf(block, "profileUrl", id.value)
    case .platformUserId where block.child("espIdentifier") == nil: b.leaf(block, "espIdentifier", id.value)
    case .username, .displayName, .profileURL, .platformUserId: break  // already there
    case .mac, .other: b.drop("online identifiers of kinds NCMEC has no element for (MAC, other)")
    }
    if id.kind != .email && id.kind != .phone {
      b.drop("verification flags and times of identifiers other than e-mails and phones", id.verified == nil && id.verifiedAt == nil ? 0 : 1)
    }
    b.dropExtras(id.extras)
  }

  /// A device id (`idType` from the identifier's subtype).
  mutating func deviceId(_ parent: NCMECElement, _ id: OnlineIdentifier) {
    use(id.id)
    guard let type = id.subtype else { return b.drop("device ids without a type (NCMEC requires idType)") }
    guard b.writable("idType", type), b.writable("idValue", id.value), let e = b.element(parent, "deviceId") else { return }
    b.leaf(e, "idType", type)
    b.leaf(e, "idValue", id.value)
    b.drop("verification flags and times of identifiers other than e-mails and phones", id.verified == nil && id.verifiedAt == nil ? 0 : 1)
    b.insert(id.extras, at: e, skip: [NCMECExtras.fileId])
  }

  /// An IP observation as an ipCaptureEvent (facts NCMEC lacks are counted once, however often it is written).
  mutating func ipCaptureEvent(_ parent: NCMECElement, _ o: IPObservation) {
    let first = !isUsed(o.id)
    use(o.id)
    guard let e = b.element(parent, "ipCaptureEvent") else { return }
    b.leaf(e, "ipAddress", o.ip.original)
    if let k = o.event {
      let name = NCMECVocabulary.eventName(k)
      if name == nil && first { b.drop("IP event kinds NCMEC does not list (logout, session): written as Other") }
      b.leaf(e, "eventName", name ?? "Other")
    }
    b.leaf(e, "dateTime", o.observedAt.map(NCMECTreeBuilder.dateTime))
    b.leaf(e, "possibleProxy", o.possibleProxy)
    b.leaf(e, "port", o.port.map { String($0.value) })
    if first {
      b.drop("source providers of IP observations", o.sourceProvider == nil ? 0 : 1)
      b.dropExtras(o.extras, skip: [NCMECExtras.internetDetails])
    }
  }

  // MARK: fileDetails

  /// The `<fileDetails>` of an evidence file.
  mutating func fileDetails(_ f: EvidenceFile, reportId: String, fileId: String) -> NCMECElement {
    let root = NCMECElement("fileDetails", type: "fileDetails")
    use(f.id)
    b.leaf(root, "reportId", reportId)
    b.leaf(root, "fileId", fileId)
    b.leaf(root, "fileName", f.fileName)
    b.leaf(root, "originalFileName", f.originalFileName)
    b.leaf(root, "uploadedToEspTimestamp", f.uploadedAt.map(NCMECTreeBuilder.dateTime))
    b.leaf(root, "locationOfFile", f.locations.first)
    b.drop("file locations beyond the first (NCMEC has one locationOfFile)", max(0, f.locations.count - 1))
    b.leaf(root, "fileViewedByEsp", f.viewedByESP)
    b.leaf(root, "publiclyAvailable", f.publiclyAvailable)
    for a in f.annotations {
      if NCMECSchema.fileAnnotations.contains(a), let x = b.single(root, "fileAnnotations") {
        if x.child(a) == nil { b.leaf(x, a, "true") }
      } else {
        b.drop("file annotations NCMEC does not list")
      }
    }
    if let c = f.category, c.scheme == NCMECReportMapper.industryClassificationScheme, NCMECSchema.industryClassifications.contains(c.code) {
      b.leaf(root, "industryClassification", c.code)
    } else {
      b.drop("file categories other than NCMEC's industryClassification (e.g. Project VIC)", f.category == nil ? 0 : 1)
    }
    for h in f.hashes {
      if let e = b.leaf(root, "originalFileHash", h.original) { b.attribute(e, "hashType", NCMECVocabulary.hashType(h.algorithm)) }
    }
    b.drop("file sizes", f.sizeBytes == nil ? 0 : 1)
    b.drop("file MIME types", f.mimeType == nil ? 0 : 1)
    b.drop("perceptual hashes (PhotoDNA...)", f.perceptualHashes.count)
    if let o = observation(f.uploadObservationId) ?? observations.first(where: { $0.fileId == f.id }) {
      ipCaptureEvent(root, o)
    }
    let beyond = observations.filter { $0.fileId == f.id && !isUsed($0.id) }
    b.drop("IP observations of a file beyond the one fileDetails holds", beyond.count)
    for o in beyond { use(o.id) }
    if let known = f.extras.first(where: { $0.name == NCMECExtras.fileId })?.value {
      for id in identifiers where id.kind == .deviceId && id.extras.contains(where: { $0.name == NCMECExtras.fileId && $0.value == known }) {
        deviceId(root, id)
      }
    }
    var extras = f.extras
    if root.child("fileAnnotations") != nil, extras.contains(where: { $0.name == "ncmec:potentialMeme" }) {
      extras.removeAll { $0.name == "ncmec:potentialMeme" }
      b.drop("potentialMeme flags of files with fileAnnotations (NCMEC takes one of them)")
    }
    b.insert(extras, at: root, skip: [NCMECExtras.fileId])
    return root
  }
}
