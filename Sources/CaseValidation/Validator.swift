public import CaseModel
public import CaseInterchange

/// A finding of a semantic rule about one entity of a record.
public struct Finding: Sendable, Hashable {
  /// Rule id.
  public var rule: String
  /// Severity.
  public var severity: Severity
  /// What is wrong, naming fields, never values.
  public var message: String
  /// 0-based position of the entity in its record.
  public var entity: Int
  /// JSON Pointer of the field inside the entity (`/observedAt`).
  public var field: String?
  /// The value, for `--include-values` only.
  public var value: String?
  /// Creates a finding.
  public init(rule: String, severity: Severity, message: String, entity: Int, field: String?, value: String? = nil) {
    self.rule = rule
    self.severity = severity
    self.message = message
    self.entity = entity
    self.field = field
    self.value = value
  }
}

/// Settings of the semantic rules.
public struct ValidationOptions: Sendable {
  /// "Now" for must-be-in-the-past checks (`--now`, `SOURCE_DATE_EPOCH`, else the clock).
  public var now: Instant
  /// Allowed clock skew for must-be-in-the-past checks, in seconds.
  public var skewSeconds: Int64 = 300
  /// A production import: documentation and test values are reported (`data.looks-like-fixture`).
  public var isProduction = false
  /// Creates options.
  public init(now: Instant) { self.now = now }
}

/// Applies the semantic rules of the catalogue to the entities of one record.
///
/// Stateless: cross-record state (duplicate ids, the id universe for references) is passed in by the pipeline.
public struct Validator: Sendable {
  /// The options.
  public var options: ValidationOptions
  /// Creates a validator.
  public init(options: ValidationOptions) { self.options = options }

  static let onlineEpoch = Instant(seconds: 631_152_000)  // 1990-01-01T00:00:00Z

  /// Checks one record's entities.
  /// - Parameter resolves: whether a referenced id exists in the same input.
  /// - Returns: findings, in entity order.
  public func validate(_ entities: [Entity], resolves: (EntityID) -> Bool) -> [Finding] {
    var out: [Finding] = []
    for (i, entity) in entities.enumerated() {
      var c = Checker(entity: i, options: options)
      if !entity.id.isCanonicalUUID {
        c.add("id.not-uuid", .warning, "entity id is not a lower-case UUID", "/id", entity.id.rawValue)
      }
      for (field, id) in entity.references where !resolves(id) {
        c.add("ref.dangling", .error, "reference does not resolve to an entity in this input", "/" + field, id.rawValue)
      }
      c.check(entity)
      out += c.findings
    }
    return out
  }
}

struct Checker {
  let entity: Int
  let options: ValidationOptions
  var findings: [Finding] = []

  init(entity: Int, options: ValidationOptions) {
    self.entity = entity
    self.options = options
  }

  mutating func add(_ rule: String, _ severity: Severity, _ message: String, _ field: String?, _ value: String? = nil) {
    findings.append(Finding(rule: rule, severity: severity, message: message, entity: entity, field: field, value: value))
  }

  // MARK: fields

  /// An event time: not in the future, not before the internet era.
  mutating func past(_ t: Timestamp?, _ field: String) {
    guard let t else { return }
    if t.instant.seconds > options.now.seconds + options.skewSeconds {
      add("timestamp.future", .error, "\(field.dropFirst()) is later than now", field, t.originalText)
    } else if t.instant < Validator.onlineEpoch {
      add("timestamp.implausible", .warning, "\(field.dropFirst()) is before 1990", field, t.originalText)
    }
  }

  mutating func interval(_ a: Timestamp?, _ b: Timestamp?, _ field: String, rule: String = "interval.end-before-start") {
    if let a, let b, b.instant < a.instant {
      add(rule, .error, "\(field.dropFirst()) ends before it starts", field)
    }
  }

  /// Single-line text: no controls, bidi overrides or line separators.
  mutating func line(_ s: String?, _ field: String, required: Bool = false) {
    guard let s else { return }
    if required && s.isEmpty { add("text.empty", .error, "\(field.dropFirst()) is empty", field) }
    if let bad = firstForbiddenScalar(s, allowNewlines: false) {
      add("text.control-character", .error, "\(field.dropFirst()) holds control character U+\(hex4(bad))", field, s)
    }
  }

  /// Free text: newlines and tabs allowed, other controls not.
  mutating func text(_ s: String?, _ field: String) {
    guard let s, let bad = firstForbiddenScalar(s, allowNewlines: true) else { return }
    add("text.control-character", .error, "\(field.dropFirst()) holds control character U+\(hex4(bad))", field, s)
  }

  mutating func lines(_ a: [String], _ field: String) {
    for (i, s) in a.enumerated() { line(s, "\(field)/\(i)", required: true) }
  }

  mutating func url(_ s: String, _ field: String) {
    let lower = s.lowercased()
    let ok = (lower.hasPrefix("http://") || lower.hasPrefix("https://")) && s.utf8.count <= 2083
      && s.unicodeScalars.count > (lower.hasPrefix("https://") ? 8 : 7)
      && !s.unicodeScalars.contains { $0.value <= 0x20 || $0.value == 0x7F || isForbidden($0, allowNewlines: false) }
    if !ok { add("url.invalid", .error, "\(field.dropFirst()) is not an absolute http(s) URL of at most 2083 characters", field, s) }
  }

  mutating func ip(_ ip: IPAddress, hasPort: Bool, _ field: String) {
    switch ip.scope {
    case .global, .documentation: break
    case .sharedCGNAT:
      if !hasPort { add("ip.cgnat-without-port", .warning, "CGNAT address without a port cannot be attributed to one subscriber", field, ip.normalized) }
    default:
      add("ip.non-public", .warning, "address is \(ip.scope.rawValue), not a public address", field, ip.normalized)
    }
    if options.isProduction && ip.scope == .documentation {
      add("data.looks-like-fixture", .warning, "address is in a documentation range", field, ip.normalized)
    }
  }

  mutating func email(_ e: EmailAddress, _ field: String) {
    guard options.isProduction else { return }
    let d = e.domain
    let fixture = ["example.com", "example.net", "example.org"].contains { d == $0 || d.hasSuffix("." + $0) }
      || d.hasSuffix(".test") || d.hasSuffix(".example") || d.hasSuffix(".invalid") || d == "example"
    if fixture { add("data.looks-like-fixture", .warning, "e-mail domain is reserved for documentation", field, e.normalized) }
  }

  mutating func phone(_ p: PhoneNumber, _ field: String) {
    guard options.isProduction, p.callingCode == "1", p.nationalNumber.count == 10 else { return }
    let n = Array(p.nationalNumber.utf8)
    // NANP fictional numbers: 555-0100 ... 555-0199
    if n[3] == 0x35 && n[4] == 0x35 && n[5] == 0x35 && n[6] == 0x30 && n[7] == 0x31 {
      add("data.looks-like-fixture", .warning, "phone number is in the fictional 555-0100...0199 block", field, p.e164)
    }
  }

  mutating func address(_ a: Address, _ field: String) {
    line(a.street, field + "/street")
    line(a.city, field + "/city")
    line(a.postalCode, field + "/postalCode")
    line(a.region, field + "/region")
  }

  mutating func provenanceAndExtras(_ p: [Provenance], _ extras: [ExtraField]) {
    for (i, x) in extras.enumerated() { line(x.name, "/extras/\(i)/name", required: true) }
    _ = p
  }

  // MARK: entities

  mutating func check(_ entity: Entity) {
    switch entity {
    case .caseRecord(let e):
      line(e.caseNumber, "/caseNumber")
      line(e.title, "/title")
      line(e.status, "/status")
      past(e.openedAt, "/openedAt")
      provenanceAndExtras(e.provenance, e.extras)
    case .agency(let e):
      line(e.name, "/name", required: true)
      line(e.identifier, "/identifier")
      provenanceAndExtras(e.provenance, e.extras)
    case .person(let e):
      for (i, n) in e.names.enumerated() {
        line(n.given, "/names/\(i)/given")
        line(n.middle, "/names/\(i)/middle")
        line(n.family, "/names/\(i)/family")
        line(n.full, "/names/\(i)/full")
      }
      if let dob = e.dateOfBirth {
        let secs = options.now.seconds
        let today = CalendarDate(daysSinceEpoch: secs >= 0 ? secs / 86400 : (secs - 86399) / 86400)
        if let today, dob > today {
          add("date.future", .error, "dateOfBirth is after today", "/dateOfBirth", dob.iso8601)
        } else if dob.year < 1900 {
          add("date.implausible", .warning, "dateOfBirth is before 1900", "/dateOfBirth", dob.iso8601)
        }
      }
      if let age = e.approximateAge, !(0...150).contains(age) {
        add("age.out-of-range", .error, "approximateAge is outside 0...150", "/approximateAge", String(age))
      }
      for (i, a) in e.addresses.enumerated() { address(a, "/addresses/\(i)") }
      for (i, p) in e.phones.enumerated() {
        phone(p.number, "/phones/\(i)/number")
        past(p.verifiedAt, "/phones/\(i)/verifiedAt")
      }
      for (i, m) in e.emails.enumerated() {
        email(m.address, "/emails/\(i)/address")
        past(m.verifiedAt, "/emails/\(i)/verifiedAt")
      }
      text(e.notes, "/notes")
      provenanceAndExtras(e.provenance, e.extras)
    case .roleAssignment(let e):
      interval(e.validFrom, e.validTo, "/validTo")
      provenanceAndExtras(e.provenance, e.extras)
    case .account(let e):
      line(e.service, "/service")
      line(e.accountIdentifier, "/accountIdentifier")
      lines(e.usernames, "/usernames")
      lines(e.displayNames, "/displayNames")
      for (i, u) in e.profileURLs.enumerated() { url(u, "/profileURLs/\(i)") }
      past(e.createdAt, "/createdAt")
      past(e.disabledAt, "/disabledAt")
      provenanceAndExtras(e.provenance, e.extras)
    case .onlineIdentifier(let e):
      line(e.value, "/value", required: true)
      line(e.subtype, "/subtype")
      past(e.verifiedAt, "/verifiedAt")
      switch e.kind {
      case .email:
        switch EmailAddress.parse(e.value) {
        case .success(let m):
          email(m, "/value")
          if let n = e.normalized, n != m.normalized {
            add("field.normalization-mismatch", .error, "normalized is not the normalised form of value", "/normalized")
          }
        case .failure(let f): add(f.rule, .error, f.message, "/value", e.value)
        }
      case .phone:
        switch PhoneNumber.parse(e.value, defaultRegion: nil) {
        case .success(let p):
          phone(p, "/value")
          if let n = e.normalized, n != p.e164 {
            add("field.normalization-mismatch", .error, "normalized is not the E.164 form of value", "/normalized")
          }
        case .failure(let f):
          // A national number may have been normalised with a profile's default region: accept when normalized parses.
          if let n = e.normalized, case .success = PhoneNumber.parse(n, defaultRegion: nil) {
            break
          }
          add(f.rule, .error, f.message, "/value", e.value)
        }
      case .profileURL:
        url(e.value, "/value")
      default: break
      }
      provenanceAndExtras(e.provenance, e.extras)
    case .ipObservation(let e):
      ip(e.ip, hasPort: e.port != nil, "/ip")
      past(e.observedAt, "/observedAt")
      line(e.sourceProvider, "/sourceProvider")
      provenanceAndExtras(e.provenance, e.extras)
    case .ipAssignment(let e):
      ip(e.ip, hasPort: e.portRange != nil, "/ip")
      if let r = e.portRange, r.last < r.first {
        add("port-range.reversed", .error, "portRange last is below first", "/portRange")
      }
      past(e.leaseStart, "/leaseStart")
      if e.leaseEnd == nil {
        add("lease.open-end", .warning, "lease has no end", "/leaseEnd")
      }
      interval(e.leaseStart, e.leaseEnd, "/leaseEnd", rule: "lease.end-before-start")
      line(e.provider, "/provider")
      line(e.accountNumber, "/accountNumber")
      if let a = e.serviceAddress { address(a, "/serviceAddress") }
      provenanceAndExtras(e.provenance, e.extras)
    case .legalProcess(let e):
      line(e.identifier, "/identifier")
      line(e.issuedBy, "/issuedBy")
      line(e.servedTo, "/servedTo")
      line(e.providerReference, "/providerReference")
      past(e.issuedAt, "/issuedAt")
      past(e.servedAt, "/servedAt")
      past(e.responseReceivedAt, "/responseReceivedAt")
      interval(e.requestedFrom, e.requestedTo, "/requestedTo")
      provenanceAndExtras(e.provenance, e.extras)
    case .evidenceFile(let e):
      line(e.fileName, "/fileName")
      line(e.originalFileName, "/originalFileName")
      line(e.mimeType, "/mimeType")
      if let s = e.sizeBytes, s < 0 { add("field.invalid-value", .error, "sizeBytes is negative", "/sizeBytes", String(s)) }
      for (i, h) in e.hashes.enumerated() where h.isEmptyInputDigest {
        add("hash.empty-file", .warning, "digest is that of an empty file", "/hashes/\(i)", h.hex)
      }
      past(e.uploadedAt, "/uploadedAt")
      provenanceAndExtras(e.provenance, e.extras)
    case .event(let e):
      line(e.kind, "/kind", required: true)
      past(e.at, "/at")
      text(e.atDescription, "/atDescription")
      text(e.description, "/description")
      provenanceAndExtras(e.provenance, e.extras)
    }
  }
}

func hex4(_ v: UInt32) -> String {
  let s = String(v, radix: 16, uppercase: true)
  return String(repeating: "0", count: max(0, 4 - s.count)) + s
}

@inline(__always) func isForbidden(_ u: Unicode.Scalar, allowNewlines: Bool) -> Bool {
  let v = u.value
  if v < 0x20 { return !(allowNewlines && (v == 0x09 || v == 0x0A || v == 0x0D)) }
  if v < 0x7F { return false }
  if v <= 0x9F { return true }  // DEL and C1
  switch v {
  case 0x2028, 0x2029: return !allowNewlines
  case 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069, 0x061C: return true  // bidi controls
  default: return false
  }
}

/// The first scalar a text field may not hold, or nil.
func firstForbiddenScalar(_ s: String, allowNewlines: Bool) -> UInt32? {
  var s = s
  // Fast path: pure printable ASCII.
  let ascii = s.withUTF8 { u in !u.contains { $0 < 0x20 || $0 >= 0x7F } }
  if ascii { return nil }
  for u in s.unicodeScalars where isForbidden(u, allowNewlines: allowNewlines) { return u.value }
  return nil
}
