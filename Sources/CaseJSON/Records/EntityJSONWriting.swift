import CaseModel

// Hand-written canonical JSON for entities: the same bytes as encoding through `JSONValueEncoder` (a test keeps the
// two identical over every sample and random entities), written straight into the output buffer. Profiling showed
// the Codable route costing ~80k instructions per entity; this is the writers' hot path.

/// Writes the members of one JSON object, adding commas between them.
struct ObjectWriter {
  var first = true

  @inline(__always) mutating func key(_ k: StaticString, _ w: inout JSONWriter) {
    if first {
      first = false
    } else {
      w.bytes.append(0x2C)
    }
    w.bytes.append(0x22)
    w.writeRaw(k)
    w.bytes.append(0x22)
    w.bytes.append(0x3A)
  }

  @inline(__always) mutating func string(_ k: StaticString, _ v: String?, _ w: inout JSONWriter) {
    guard let v else { return }
    key(k, &w)
    w.writeString(v)
  }

  @inline(__always) mutating func int(_ k: StaticString, _ v: Int?, _ w: inout JSONWriter) {
    guard let v else { return }
    key(k, &w)
    w.writeInt(Int64(v))
  }

  @inline(__always) mutating func bool(_ k: StaticString, _ v: Bool?, _ w: inout JSONWriter) {
    guard let v else { return }
    key(k, &w)
    w.writeBool(v)
  }

  @inline(__always) mutating func id(_ k: StaticString, _ v: EntityID?, _ w: inout JSONWriter) {
    string(k, v?.rawValue, &w)
  }

  @inline(__always) mutating func ids(_ k: StaticString, _ v: [EntityID], _ w: inout JSONWriter) {
    array(k, v, &w) { w, x in w.writeString(x.rawValue) }
  }

  @inline(__always) mutating func strings(_ k: StaticString, _ v: [String], _ w: inout JSONWriter) {
    array(k, v, &w) { w, x in w.writeString(x) }
  }

  @inline(__always) mutating func timestamp(_ k: StaticString, _ v: Timestamp?, _ w: inout JSONWriter) {
    guard let v else { return }
    key(k, &w)
    writeTimestamp(v, &w)
  }

  @inline(__always) mutating func array<T>(_ k: StaticString, _ v: [T], _ w: inout JSONWriter, _ element: (inout JSONWriter, T) -> Void) {
    guard !v.isEmpty else { return }
    key(k, &w)
    w.bytes.append(0x5B)
    for (i, x) in v.enumerated() {
      if i > 0 { w.bytes.append(0x2C) }
      element(&w, x)
    }
    w.bytes.append(0x5D)
  }

  @inline(__always) mutating func object(_ k: StaticString, _ w: inout JSONWriter, _ body: (inout JSONWriter) -> Void) {
    key(k, &w)
    body(&w)
  }
}

@inline(__always) func writeObject(_ w: inout JSONWriter, _ body: (inout ObjectWriter, inout JSONWriter) -> Void) {
  w.bytes.append(0x7B)
  var o = ObjectWriter()
  body(&o, &w)
  w.bytes.append(0x7D)
}

func writeOriginalAndValue(original: String, value: String, _ w: inout JSONWriter) {
  if original == value {
    w.writeString(value)
  } else {
    writeObject(&w) { o, w in
      o.string("value", value, &w)
      o.string("original", original, &w)
    }
  }
}

func writeTimestamp(_ t: Timestamp, _ w: inout JSONWriter) {
  let utc = t.instant.iso8601
  if t.originalText == utc && t.zoneIdentifier == nil {
    w.writeString(utc)
    return
  }
  writeObject(&w) { o, w in
    o.string("utc", utc, &w)
    o.string("original", t.originalText, &w)
    o.string("offset", t.originalOffsetSeconds.map(formatOffsetText), &w)
    o.string("zone", t.zoneIdentifier, &w)
  }
}

func formatOffsetText(_ seconds: Int) -> String {
  let sign = seconds < 0 ? "-" : "+"
  let m = abs(seconds) / 60
  let h = m / 60, mm = m % 60
  return sign + (h < 10 ? "0" : "") + String(h) + ":" + (mm < 10 ? "0" : "") + String(mm)
}

func writeProvenance(_ p: Provenance, _ w: inout JSONWriter) {
  writeObject(&w) { o, w in
    o.string("sourceFormat", p.sourceFormat, &w)
    o.string("sourceName", p.sourceName, &w)
    o.string("sourceSha256", p.sourceSha256, &w)
    o.int("record", p.record, &w)
    o.int("line", p.line, &w)
    o.int("byteOffset", p.byteOffset, &w)
    o.int("byteLength", p.byteLength, &w)
    o.string("pointer", p.pointer, &w)
    o.string("profileId", p.profileId, &w)
    o.string("profileSha256", p.profileSha256, &w)
  }
}

func writeAddress(_ a: Address, _ w: inout JSONWriter) {
  writeObject(&w) { o, w in
    o.string("use", a.use?.rawValue, &w)
    o.string("street", a.street, &w)
    o.string("city", a.city, &w)
    o.string("postalCode", a.postalCode, &w)
    o.string("state", a.state?.code, &w)
    o.string("region", a.region, &w)
    o.string("country", a.country?.code, &w)
  }
}

func writeCategory(_ c: Category, _ w: inout JSONWriter) {
  writeObject(&w) { o, w in
    o.string("scheme", c.scheme, &w)
    o.string("code", c.code, &w)
    o.string("label", c.label, &w)
  }
}

extension ObjectWriter {
  /// `provenance` and `extras`, the last two members of every entity.
  mutating func tail(_ provenance: [Provenance], _ extras: [ExtraField], _ w: inout JSONWriter) {
    array("provenance", provenance, &w) { w, p in writeProvenance(p, &w) }
    array("extras", extras, &w) { w, x in
      writeObject(&w) { o, w in
        o.string("name", x.name, &w)
        o.string("value", x.value, &w)
      }
    }
  }
}

extension Entity {
  /// Appends this entity's canonical JSON object (`type` first, then the fields in declaration order).
  func writeCanonicalJSON(to w: inout JSONWriter) {
    writeObject(&w) { o, w in
      o.key("type", &w)
      w.writeString(type.rawValue)
      switch self {
      case .caseRecord(let e):
        o.id("id", e.id, &w)
        o.string("caseNumber", e.caseNumber, &w)
        o.string("title", e.title, &w)
        o.string("status", e.status, &w)
        o.timestamp("openedAt", e.openedAt, &w)
        o.array("offenseTypes", e.offenseTypes, &w) { w, c in writeCategory(c, &w) }
        o.id("agencyId", e.agencyId, &w)
        o.ids("legalProcessIds", e.legalProcessIds, &w)
        o.array("externalReferences", e.externalReferences, &w) { w, r in
          writeObject(&w) { o, w in
            o.string("system", r.system, &w)
            o.string("identifier", r.identifier, &w)
          }
        }
        o.tail(e.provenance, e.extras, &w)
      case .agency(let e):
        o.id("id", e.id, &w)
        o.string("name", e.name, &w)
        o.string("identifier", e.identifier, &w)
        o.string("country", e.country?.code, &w)
        o.ids("contactPersonIds", e.contactPersonIds, &w)
        o.tail(e.provenance, e.extras, &w)
      case .person(let e):
        o.id("id", e.id, &w)
        o.array("names", e.names, &w) { w, n in
          writeObject(&w) { o, w in
            o.string("given", n.given, &w)
            o.string("middle", n.middle, &w)
            o.string("family", n.family, &w)
            o.string("full", n.full, &w)
          }
        }
        o.string("dateOfBirth", e.dateOfBirth?.iso8601, &w)
        o.int("approximateAge", e.approximateAge, &w)
        o.array("addresses", e.addresses, &w) { w, a in writeAddress(a, &w) }
        o.array("phones", e.phones, &w) { w, p in
          writeObject(&w) { o, w in
            o.key("number", &w)
            writeOriginalAndValue(original: p.number.original, value: p.number.e164, &w)
            o.string("use", p.use?.rawValue, &w)
            o.bool("verified", p.verified, &w)
            o.timestamp("verifiedAt", p.verifiedAt, &w)
          }
        }
        o.array("emails", e.emails, &w) { w, m in
          writeObject(&w) { o, w in
            o.key("address", &w)
            writeOriginalAndValue(original: m.address.original, value: m.address.normalized, &w)
            o.string("use", m.use?.rawValue, &w)
            o.bool("verified", m.verified, &w)
            o.timestamp("verifiedAt", m.verifiedAt, &w)
          }
        }
        o.string("notes", e.notes, &w)
        o.tail(e.provenance, e.extras, &w)
      case .roleAssignment(let e):
        o.id("id", e.id, &w)
        o.id("personId", e.personId, &w)
        o.string("role", e.role.rawValue, &w)
        o.id("caseId", e.caseId, &w)
        o.timestamp("validFrom", e.validFrom, &w)
        o.timestamp("validTo", e.validTo, &w)
        o.tail(e.provenance, e.extras, &w)
      case .account(let e):
        o.id("id", e.id, &w)
        o.string("service", e.service, &w)
        o.string("accountIdentifier", e.accountIdentifier, &w)
        o.strings("usernames", e.usernames, &w)
        o.strings("displayNames", e.displayNames, &w)
        o.strings("profileURLs", e.profileURLs, &w)
        o.timestamp("createdAt", e.createdAt, &w)
        o.bool("isTemporarilyDisabled", e.isTemporarilyDisabled, &w)
        o.bool("isPermanentlyDisabled", e.isPermanentlyDisabled, &w)
        o.timestamp("disabledAt", e.disabledAt, &w)
        o.bool("isCompromised", e.isCompromised, &w)
        o.id("holderPersonId", e.holderPersonId, &w)
        o.array("linkedAccounts", e.linkedAccounts, &w) { w, l in
          writeObject(&w) { o, w in
            o.string("link", l.link.rawValue, &w)
            o.id("accountId", l.accountId, &w)
          }
        }
        o.tail(e.provenance, e.extras, &w)
      case .onlineIdentifier(let e):
        o.id("id", e.id, &w)
        o.string("kind", e.kind.rawValue, &w)
        o.string("value", e.value, &w)
        o.string("normalized", e.normalized, &w)
        o.string("subtype", e.subtype, &w)
        o.string("use", e.use?.rawValue, &w)
        o.bool("verified", e.verified, &w)
        o.timestamp("verifiedAt", e.verifiedAt, &w)
        o.id("personId", e.personId, &w)
        o.id("accountId", e.accountId, &w)
        o.tail(e.provenance, e.extras, &w)
      case .ipObservation(let e):
        o.id("id", e.id, &w)
        o.key("ip", &w)
        writeOriginalAndValue(original: e.ip.original, value: e.ip.normalized, &w)
        o.int("port", e.port.map { Int($0.value) }, &w)
        o.timestamp("observedAt", e.observedAt, &w)
        o.string("event", e.event?.rawValue, &w)
        o.bool("possibleProxy", e.possibleProxy, &w)
        o.id("accountId", e.accountId, &w)
        o.id("personId", e.personId, &w)
        o.id("fileId", e.fileId, &w)
        o.string("sourceProvider", e.sourceProvider, &w)
        o.tail(e.provenance, e.extras, &w)
      case .ipAssignment(let e):
        o.id("id", e.id, &w)
        o.string("provider", e.provider, &w)
        o.key("ip", &w)
        writeOriginalAndValue(original: e.ip.original, value: e.ip.normalized, &w)
        if let r = e.portRange {
          o.object("portRange", &w) { w in
            writeObject(&w) { o, w in
              o.int("first", Int(r.first.value), &w)
              o.int("last", Int(r.last.value), &w)
            }
          }
        }
        o.string("assignmentType", e.assignmentType?.rawValue, &w)
        o.timestamp("leaseStart", e.leaseStart, &w)
        o.timestamp("leaseEnd", e.leaseEnd, &w)
        o.id("subscriberPersonId", e.subscriberPersonId, &w)
        o.string("accountNumber", e.accountNumber, &w)
        if let a = e.serviceAddress { o.object("serviceAddress", &w) { w in writeAddress(a, &w) } }
        o.string("providerStatedTimeZone", e.providerStatedTimeZone, &w)
        o.id("legalProcessId", e.legalProcessId, &w)
        o.tail(e.provenance, e.extras, &w)
      case .legalProcess(let e):
        o.id("id", e.id, &w)
        o.string("kind", e.kind.rawValue, &w)
        o.string("identifier", e.identifier, &w)
        o.string("issuedBy", e.issuedBy, &w)
        o.timestamp("issuedAt", e.issuedAt, &w)
        o.string("servedTo", e.servedTo, &w)
        o.timestamp("servedAt", e.servedAt, &w)
        o.timestamp("requestedFrom", e.requestedFrom, &w)
        o.timestamp("requestedTo", e.requestedTo, &w)
        o.string("providerReference", e.providerReference, &w)
        o.string("status", e.status, &w)
        o.timestamp("responseReceivedAt", e.responseReceivedAt, &w)
        o.id("caseId", e.caseId, &w)
        o.tail(e.provenance, e.extras, &w)
      case .evidenceFile(let e):
        o.id("id", e.id, &w)
        o.string("fileName", e.fileName, &w)
        o.string("originalFileName", e.originalFileName, &w)
        if let s = e.sizeBytes {
          o.key("sizeBytes", &w)
          w.writeInt(s)
        }
        o.string("mimeType", e.mimeType, &w)
        o.array("hashes", e.hashes, &w) { w, h in
          writeObject(&w) { o, w in
            o.string("algorithm", h.algorithm.rawValue, &w)
            o.string("hex", h.hex, &w)
            if h.original != h.hex { o.string("original", h.original, &w) }
          }
        }
        o.array("perceptualHashes", e.perceptualHashes, &w) { w, p in
          writeObject(&w) { o, w in
            o.string("algorithm", p.algorithm, &w)
            o.string("encoding", p.encoding, &w)
            o.string("value", p.value, &w)
          }
        }
        if let c = e.category { o.object("category", &w) { w in writeCategory(c, &w) } }
        o.bool("viewedByESP", e.viewedByESP, &w)
        o.bool("publiclyAvailable", e.publiclyAvailable, &w)
        o.strings("annotations", e.annotations, &w)
        o.timestamp("uploadedAt", e.uploadedAt, &w)
        o.id("uploadObservationId", e.uploadObservationId, &w)
        o.strings("locations", e.locations, &w)
        o.id("caseId", e.caseId, &w)
        o.tail(e.provenance, e.extras, &w)
      case .event(let e):
        o.id("id", e.id, &w)
        o.string("kind", e.kind, &w)
        o.timestamp("at", e.at, &w)
        o.string("atDescription", e.atDescription, &w)
        o.ids("participantIds", e.participantIds, &w)
        o.string("description", e.description, &w)
        o.id("caseId", e.caseId, &w)
        o.tail(e.provenance, e.extras, &w)
      }
    }
  }
}
