// `search`: what the store knows about an identifier value. Values are normalised to the identifier index's kinds
// and looked up through its indexes (identifiers_lookup, identifiers_value) only; the JSON of matched entities is
// read afterwards, to print their provenance.
import GRDB
public import CaseModel
import CaseJSON

/// One normalised key to look up in the identifier index.
public struct IdentifierKey: Sendable, Hashable, CustomStringConvertible {
  /// email | phone | username | account | ip | hash.
  public var kind: String
  /// The platform (username, account) or algorithm (hash); nil matches any (a bare username or account id).
  public var qualifier: String?
  /// The normalised value.
  public var value: String

  public init(kind: String, qualifier: String?, value: String) {
    self.kind = kind
    self.qualifier = qualifier
    self.value = value
  }

  public var description: String { "\(kind)\(qualifier.map { "[\($0)]" } ?? ""):\(value)" }
}

/// A value `search` cannot interpret (exit 64).
public struct SearchUsageError: Error, Sendable, CustomStringConvertible {
  public var message: String
  public var description: String { message }
}

/// Options of `search`.
public struct SearchOptions: Sendable {
  /// IP rows only: the lease window or observation (widened by `windowSeconds`) must contain this instant.
  public var at: Instant?
  /// IP rows only: the row's port (or port block) must contain it; rows without a port do not match.
  public var port: Int?
  /// Seconds an IP row's time is widened on each side for `at` (default 0).
  public var windowSeconds: Int64 = 0
  /// The region of national phone numbers (`(312) 555-0142`); without it such a value is a usage error.
  public var region: PhoneRegion?

  public init(at: Instant? = nil, port: Int? = nil, windowSeconds: Int64 = 0, region: PhoneRegion? = nil) {
    self.at = at
    self.port = port
    self.windowSeconds = windowSeconds
    self.region = region
  }
}

/// One identifier row that matched, with its entity, cases, first/last seen and provenance.
public struct SearchMatch: Sendable {
  /// The value as the user gave it.
  public var query: String
  /// The key that matched (kind, qualifier as stored, value).
  public var kind: String
  public var qualifier: String
  public var value: String
  /// IP rows: port or port block, observation time or lease window (`atEnd` nil for an open lease).
  public var port: Int?
  public var portLast: Int?
  public var atStart: String?
  public var atEnd: String?
  /// The entity and the version whose identifier matched.
  public var entityID: String
  public var entityType: String
  public var version: Int
  /// Whether that version is the entity's current one.
  public var isCurrent: Bool
  public var cases: [CaseRef]
  /// When the store first received the entity and last received it (a version or an identical re-delivery).
  public var firstSeen: String?
  public var lastSeen: String?
  public var provenance: [StoredProvenance]
}

/// The result of a search: per value, its normalised keys and its matches.
public struct SearchResult: Sendable {
  public struct PerValue: Sendable {
    public var query: String
    public var keys: [IdentifierKey]
    public var matches: [SearchMatch]
  }
  public var values: [PerValue]

  /// The JSON form (`search --json`).
  public var jsonBytes: [UInt8] {
    encodeJSON(
      .array(
        values.map { v in
          .obj([
            ("query", .string(v.query)), ("keys", .array(v.keys.map { .string($0.description) })),
            ("matches", .array(v.matches.map(\.json))),
          ])
        }))
  }
}

extension SearchMatch {
  var json: JSONValue {
    .obj([
      ("kind", .string(kind)), ("qualifier", .string(qualifier)), ("value", .string(value)), ("port", .int(port)),
      ("portLast", .int(portLast)), ("atStart", .str(atStart)), ("atEnd", .str(atEnd)), ("entityId", .string(entityID)),
      ("entityType", .string(entityType)), ("version", .int(version)), ("current", .bool(isCurrent)),
      ("cases", .array(cases.map(\.json))), ("firstSeen", .str(firstSeen)), ("lastSeen", .str(lastSeen)),
      ("provenance", .array(provenance.map(\.json))),
    ])
  }
}

extension CaseStore {
  /// Normalises a search value to the identifier index's keys (see README "Searching and linking").
  /// - Throws: `SearchUsageError` for a phone number that does not parse, or a national number without a region.
  public static func searchKeys(_ raw: String, region: PhoneRegion?) throws(SearchUsageError) -> [IdentifierKey] {
    let text = raw.trimmingSpaces
    guard !text.isEmpty else { throw SearchUsageError(message: "an empty search value") }
    // E-mail: lower-cased whole, domain in A-label form.
    if text.contains("@"), case .success(let e) = EmailAddress.parse(text) {
      return [IdentifierKey(kind: "email", qualifier: "", value: e.normalized.lowercased())]
    }
    // IP (an IPv4-mapped IPv6 address is stored as its IPv4).
    if case .success(let ip) = IPAddress.parse(text) {
      return [IdentifierKey(kind: "ip", qualifier: "", value: ip.mappedIPv4 ?? ip.normalized)]
    }
    var keys: [IdentifierKey] = []
    // `algorithm:hex`, or bare hex of a digest's length (every algorithm of that length).
    if let colon = text.firstIndex(of: ":"), let alg = HashAlgorithm.named(String(text[..<colon])) {
      let hex = String(text[text.index(after: colon)...]).lowercased()
      if hex.count == alg.hexLength, hex.allSatisfy(\.isHexDigit) {
        return [IdentifierKey(kind: "hash", qualifier: alg.rawValue, value: hex)]
      }
    }
    if text.allSatisfy(\.isHexDigit) {
      for alg in HashAlgorithm.allCases where alg.hexLength == text.count {
        keys.append(IdentifierKey(kind: "hash", qualifier: alg.rawValue, value: text.lowercased()))
      }
    }
    // Phones: `+…` and `00…` are international; digits with separators are national (need a region); plain digits
    // are an account id or username, and with a region also a national number.
    let phoneChars = text.allSatisfy { $0.isASCII && ($0.isNumber || " .-/()+".contains($0)) }
    let allDigits = text.allSatisfy { $0.isASCII && $0.isNumber }
    if phoneChars && (text.hasPrefix("+") || (text.hasPrefix("00") && !allDigits)) {
      switch PhoneNumber.parse(text, defaultRegion: nil) {
      case .success(let p): return [IdentifierKey(kind: "phone", qualifier: "", value: p.e164)]
      case .failure(let e): throw SearchUsageError(message: "'\(raw)' is not a phone number this build can read (\(e.rule))")
      }
    }
    if allDigits && text.hasPrefix("00"), case .success(let p) = PhoneNumber.parse(text, defaultRegion: nil) {
      keys.append(IdentifierKey(kind: "phone", qualifier: "", value: p.e164))
    }
    if phoneChars && !allDigits {
      guard let region else {
        throw SearchUsageError(message: "'\(raw)' is a national phone number: give --region (e.g. --region US); it is never guessed")
      }
      switch PhoneNumber.parse(text, defaultRegion: region) {
      case .success(let p): return [IdentifierKey(kind: "phone", qualifier: "", value: p.e164)]
      case .failure(let e): throw SearchUsageError(message: "'\(raw)' is not a phone number of region \(region.code) (\(e.rule))")
      }
    }
    if allDigits, !text.hasPrefix("00"), let region, case .success(let p) = PhoneNumber.parse(text, defaultRegion: region) {
      keys.append(IdentifierKey(kind: "phone", qualifier: "", value: p.e164))
    }
    // `service:name` (a platform and a username or account id), else a bare username or account id on any platform.
    if let colon = text.firstIndex(of: ":"), colon != text.startIndex, text.index(after: colon) != text.endIndex,
      text[..<colon].allSatisfy({ $0.isLetter || $0.isNumber || "._-".contains($0) })
    {
      let service = String(text[..<colon]).lowercased()
      let name = String(text[text.index(after: colon)...])
      keys.append(IdentifierKey(kind: "username", qualifier: service, value: name.lowercased()))
      keys.append(IdentifierKey(kind: "account", qualifier: service, value: name))
    } else {
      keys.append(IdentifierKey(kind: "username", qualifier: nil, value: text.lowercased()))
      keys.append(IdentifierKey(kind: "account", qualifier: nil, value: text))
    }
    return keys
  }

  /// The rows of the identifier index for a key, through its indexes.
  static let lookupSQL = """
    SELECT kind, qualifier, value, port, port_last, at_start, at_end, entity_id, entity_version, entity_type
    FROM identifiers WHERE kind = ? AND qualifier = ? AND value = ?
    """
  static let lookupAnyQualifierSQL = """
    SELECT kind, qualifier, value, port, port_last, at_start, at_end, entity_id, entity_version, entity_type
    FROM identifiers WHERE kind = ? AND value = ?
    """

  /// Searches every value (see `searchKeys`).
  /// - Throws: `SearchUsageError` (exit 64) for a value that cannot be interpreted; GRDB errors.
  public func search(_ values: [String], options: SearchOptions = SearchOptions()) throws -> SearchResult {
    var keysPerValue: [[IdentifierKey]] = []
    for v in values { keysPerValue.append(try Self.searchKeys(v, region: options.region)) }
    return try db.read { db in
      var reader = StoreReader(db)
      var out: [SearchResult.PerValue] = []
      for (raw, keys) in zip(values, keysPerValue) {
        var matches: [SearchMatch] = []
        for key in keys {
          let rows: [Row]
          if let q = key.qualifier {
            rows = try Row.fetchAll(db.cachedStatement(sql: Self.lookupSQL), arguments: [key.kind, q, key.value])
          } else {
            rows = try Row.fetchAll(db.cachedStatement(sql: Self.lookupAnyQualifierSQL), arguments: [key.kind, key.value])
          }
          for r in rows {
            let port: Int? = r[3]
            let portLast: Int? = r[4]
            let atStart: String? = r[5]
            let atEnd: String? = r[6]
            if key.kind == "ip" {
              if let p = options.port, !portContains(port, portLast, p) { continue }
              // An observation's end is its instant (should a row lack it); a NULL end is otherwise an open lease.
              let end = atEnd ?? ((r[9] as String) == "ipObservation" ? atStart : nil)
              if let at = options.at, !timeContains(atStart, end, at.seconds, widen: options.windowSeconds) { continue }
            }
            let entityID: String = r[7]
            let version: Int = r[8]
            let v = try Row.fetchOne(
              db,
              sql: "SELECT json, input_sha256, record_index, record_key, source_system, valid_to FROM entity_versions WHERE id = ? AND version = ?",
              arguments: [entityID, version])
            let seen = try reader.seen(entityID)
            let provenance: [StoredProvenance] =
              if let v { try reader.provenance(json: v[0], inputSha256: v[1], recordIndex: v[2], recordKey: v[3], sourceSystem: v[4]) } else { [] }
            let validTo: String? = v?[5]
            matches.append(
              SearchMatch(
                query: raw, kind: r[0], qualifier: r[1], value: r[2], port: port, portLast: portLast, atStart: atStart,
                atEnd: atEnd, entityID: entityID, entityType: r[9], version: version, isCurrent: v != nil && validTo == nil,
                cases: try reader.cases(of: entityID), firstSeen: seen.first, lastSeen: seen.last, provenance: provenance))
          }
        }
        out.append(SearchResult.PerValue(query: raw, keys: keys, matches: matches))
      }
      return SearchResult(values: out)
    }
  }
}

/// Whether an IP row's port (or block `port...portLast`) contains `p`; a row without a port contains none.
func portContains(_ port: Int?, _ last: Int?, _ p: Int) -> Bool {
  guard let port else { return false }
  return port <= p && p <= (last ?? port)
}

/// Whether an IP row's time widened by `widen` seconds contains `t`: an observation (at_end = at_start) or a lease
/// window; a NULL at_end is an open lease (still running). A row without a time contains nothing.
func timeContains(_ start: String?, _ end: String?, _ t: Int64, widen: Int64) -> Bool {
  guard let s = epochSeconds(start), s - widen <= t else { return false }
  guard let end else { return true }
  guard let e = epochSeconds(end) else { return false }
  return t <= e + widen
}

extension String {
  var trimmingSpaces: String {
    var s = Substring(self)
    while let f = s.first, f.isWhitespace { s.removeFirst() }
    while let l = s.last, l.isWhitespace { s.removeLast() }
    return String(s)
  }
}
