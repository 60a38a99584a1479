public import CaseModel

/// One row of the store's identifier index (`identifiers`): what `search` and `links` match on.
public struct IdentifierRow: Sendable, Hashable, CustomStringConvertible {
  /// `email`, `phone`, `username`, `account`, `ip` or `hash`.
  public var kind: String
  /// The platform (username, account; lower-cased), the algorithm (hash), '' otherwise.
  public var qualifier: String
  /// The normalised matching value.
  public var value: String
  /// IP rows: the port, or the first port of a block.
  public var port: Int?
  /// IP rows: the last port of a block.
  public var portLast: Int?
  /// IP rows: the observation time, or the lease start (UTC, `…Z`).
  public var atStart: String?
  /// IP rows: the observation time, or the lease end (nil: open).
  public var atEnd: String?

  /// Creates a row.
  public init(
    kind: String, qualifier: String = "", value: String, port: Int? = nil, portLast: Int? = nil, atStart: String? = nil,
    atEnd: String? = nil
  ) {
    self.kind = kind
    self.qualifier = qualifier
    self.value = value
    self.port = port
    self.portLast = portLast
    self.atStart = atStart
    self.atEnd = atEnd
  }

  public var description: String {
    var s = "\(kind):\(qualifier):\(value)"
    if let port { s += " port \(port)" + (portLast.map { $0 == port ? "" : "-\($0)" } ?? "") }
    if atStart != nil || atEnd != nil { s += " \(atStart ?? "-")..\(atEnd ?? "-")" }
    return s
  }
}

/// Extraction and normalisation of identifier values (README "Case store", "Identifier index"). `search` normalises
/// what the user types with the same functions, so both sides compare equal forms.
public enum StoreIdentifiers {
  /// The identifier rows of an entity.
  public static func rows(for entity: Entity) -> [IdentifierRow] {
    var out: [IdentifierRow] = []
    func add(_ kind: String, _ qualifier: String, _ value: String?) {
      guard let value, !value.isEmpty else { return }
      let row = IdentifierRow(kind: kind, qualifier: qualifier, value: value)
      if !out.contains(row) { out.append(row) }
    }
    switch entity {
    case .person(let p):
      for e in p.emails { add("email", "", email(e.address)) }
      for t in p.phones { add("phone", "", t.number.e164) }
    case .onlineIdentifier(let o):
      switch o.kind {
      case .email: add("email", "", email(o.normalized ?? o.value) ?? email(o.value))
      case .phone: add("phone", "", phone(o.normalized ?? o.value) ?? phone(o.value))
      case .username: add("username", "", username(o.value))
      case .platformUserId: add("account", "", o.value)
      default: break
      }
    case .account(let a):
      let service = platform(a.service)
      add("account", service, a.accountIdentifier)
      for u in a.usernames { add("username", service, username(u)) }
    case .ipObservation(let o):
      let at = o.observedAt?.utcText
      out.append(IdentifierRow(
        kind: "ip", value: ip(o.ip), port: o.port.map { Int($0.value) }, portLast: o.port.map { Int($0.value) },
        atStart: at, atEnd: at))
    case .ipAssignment(let a):
      out.append(IdentifierRow(
        kind: "ip", value: ip(a.ip), port: a.portRange.map { Int($0.first.value) },
        portLast: a.portRange.map { Int($0.last.value) }, atStart: a.leaseStart?.utcText, atEnd: a.leaseEnd?.utcText))
    case .evidenceFile(let f):
      for h in f.hashes { add("hash", h.algorithm.rawValue, h.hex.lowercased()) }
    default:
      break
    }
    return out
  }

  /// An e-mail address as indexed: the whole address lower-cased, its domain in A-label form.
  public static func email(_ address: EmailAddress) -> String { address.normalized.lowercased() }

  /// `email(_:)` of a text, or nil when it is not an e-mail address.
  public static func email(_ text: String) -> String? {
    guard case .success(let a) = EmailAddress.parse(text) else { return nil }
    return email(a)
  }

  /// A telephone number as indexed: E.164 (`+…`), or nil when the text is not a number with a country code.
  public static func phone(_ text: String) -> String? {
    guard case .success(let p) = PhoneNumber.parse(text, defaultRegion: nil) else { return nil }
    return p.e164
  }

  /// An IP address as indexed: an IPv4-mapped IPv6 address as its IPv4 dotted quad, else the canonical form
  /// (dotted quad, RFC 5952).
  public static func ip(_ address: IPAddress) -> String { address.mappedIPv4 ?? address.normalized }

  /// `ip(_:)` of a text, or nil when it is not an IP address.
  public static func ip(_ text: String) -> String? {
    guard case .success(let a) = IPAddress.parse(text) else { return nil }
    return ip(a)
  }

  /// A username as indexed: lower-cased.
  public static func username(_ text: String) -> String { text.lowercased() }

  /// A platform (service) name as a qualifier: lower-cased, '' when absent.
  public static func platform(_ service: String?) -> String { service?.lowercased() ?? "" }

  /// A hash digest as indexed: lower-case hex.
  public static func hash(_ hex: String) -> String { hex.lowercased() }
}
