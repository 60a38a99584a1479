// `links`: every normalised identifier shared by several cases or agencies. Set-based SQL over the identifier
// index: one grouped pass for the exact kinds, one self-join by (kind, value) for IPs (time overlap and ports),
// whose pairs are joined into groups in memory (union-find over the matching rows only).
import GRDB
import CaseJSON

/// One cross-case link: an identifier shared by several cases (or agencies).
public struct Link: Sendable {
  /// email | phone | username | account | ip | hash.
  public var kind: String
  /// The platform (username, account), the algorithm (hash), '' otherwise.
  public var qualifier: String
  public var value: String
  /// `exact` (the same normalised value) or `ip-time-overlap` (the same address, overlapping times, same port).
  public var matchKind: String
  public var cases: [CaseRef]
  /// Distinct agencies of those cases (labels: identifier, else name, else id).
  public var agencies: [String]
  /// The entities carrying the identifier (current versions).
  public var entityIDs: [String]
  /// When the store first and last received any of those entities.
  public var firstSeen: String?
  public var lastSeen: String?
  /// IP links: the earliest start and latest end of the matched observations and lease windows (nil end: open).
  public var activityFrom: String?
  public var activityTo: String?
  /// IP links: the ports and port blocks of the matched rows (`443`, `1024-2047`).
  public var ports: [String]
}

/// The links of a store (`links`).
public struct LinksResult: Sendable {
  public var links: [Link]
  public var minCases: Int
  public var windowSeconds: Int64

  public static let csvHeader = [
    "kind", "qualifier", "value", "match", "cases", "caseIds", "agencies", "firstSeen", "lastSeen", "activityFrom",
    "activityTo", "ports", "entities",
  ]

  /// Rows for `links.csv` (the caller writes them through the neutralising CSV writer).
  public var csvRows: [[String]] {
    links.map { l in
      [
        l.kind, l.qualifier, l.value, l.matchKind, l.cases.map(\.label).joined(separator: " "),
        l.cases.map(\.caseID).joined(separator: " "), l.agencies.joined(separator: " "), l.firstSeen ?? "", l.lastSeen ?? "",
        l.activityFrom ?? "", l.activityTo ?? "", l.ports.joined(separator: " "), l.entityIDs.joined(separator: " "),
      ]
    }
  }

  /// `links.json` / `links --json`.
  public var jsonBytes: [UInt8] {
    encodeJSON(
      .obj([
        ("minCases", .int(minCases)), ("windowSeconds", .int(Int(windowSeconds))),
        (
          "links",
          .array(
            links.map { l in
              .obj([
                ("kind", .string(l.kind)), ("qualifier", .string(l.qualifier)), ("value", .string(l.value)),
                ("match", .string(l.matchKind)), ("cases", .array(l.cases.map(\.json))),
                ("agencies", .array(l.agencies.map { .string($0) })), ("firstSeen", .str(l.firstSeen)),
                ("lastSeen", .str(l.lastSeen)), ("activityFrom", .str(l.activityFrom)), ("activityTo", .str(l.activityTo)),
                ("ports", .array(l.ports.map { .string($0) })), ("entities", .array(l.entityIDs.map { .string($0) })),
              ])
            })
        ),
      ]))
  }
}

extension CaseStore {
  /// Identifiers of the exact kinds (every kind but ip) in current versions, grouped by (kind, qualifier, value),
  /// kept when shared by at least `minCases` (>= 2) cases or by cases of more than one agency. Candidates first, from
  /// the covering lookup index alone: values with two or more rows, and the values of entities in two or more cases
  /// (one row can then be in two cases); only those are joined to versions, cases and agencies.
  static let exactLinksSQL = """
    WITH cand AS (
      SELECT kind, qualifier, value FROM identifiers
      WHERE kind IN ('email', 'phone', 'username', 'account', 'hash')
      GROUP BY kind, qualifier, value HAVING COUNT(*) >= 2
      UNION
      SELECT i.kind, i.qualifier, i.value
      FROM (SELECT entity_id FROM entity_cases GROUP BY entity_id HAVING COUNT(*) >= 2) m
      JOIN identifiers i ON i.entity_id = m.entity_id
      WHERE i.kind IN ('email', 'phone', 'username', 'account', 'hash')
    )
    SELECT c.kind, c.qualifier, c.value
    FROM cand c
    JOIN identifiers i ON i.kind = c.kind AND i.qualifier = c.qualifier AND i.value = c.value
    JOIN entity_versions v ON v.id = i.entity_id AND v.version = i.entity_version AND v.valid_to IS NULL
    JOIN entity_cases ec ON ec.entity_id = i.entity_id
    LEFT JOIN cases cs ON cs.case_id = ec.case_id
    GROUP BY c.kind, c.qualifier, c.value
    HAVING COUNT(DISTINCT ec.case_id) >= ? OR COUNT(DISTINCT cs.agency_id) > 1
    """

  /// Pairs of IP rows (current versions, with a time) of the same address in different cases whose times overlap
  /// (widened by :w on each side; a NULL end is an open lease, or the instant itself for an observation) and whose ports agree: both without a port, or
  /// ports/blocks that overlap. Each unordered pair once (ordered by case id).
  static let ipPairsSQL = """
    WITH ipc AS MATERIALIZED (
      SELECT i.rowid AS r, i.value AS value, i.port AS p0, COALESCE(i.port_last, i.port) AS p1,
        unixepoch(i.at_start) AS s,
        CASE WHEN i.at_end IS NULL AND i.entity_type <> 'ipObservation' THEN 9000000000000
          ELSE unixepoch(COALESCE(i.at_end, i.at_start)) END AS e,
        ec.case_id AS case_id
      FROM identifiers i
      JOIN entity_versions v ON v.id = i.entity_id AND v.version = i.entity_version AND v.valid_to IS NULL
      JOIN entity_cases ec ON ec.entity_id = i.entity_id
      WHERE i.kind = 'ip' AND i.at_start IS NOT NULL
    )
    SELECT a.r, a.case_id, b.r, b.case_id
    FROM ipc a JOIN ipc b ON b.value = a.value AND b.case_id > a.case_id
    WHERE a.s IS NOT NULL AND b.s IS NOT NULL
      AND b.s - :w <= a.e + :w AND a.s - :w <= b.e + :w
      AND ((a.p0 IS NULL AND b.p0 IS NULL) OR (a.p0 IS NOT NULL AND b.p0 IS NOT NULL AND a.p0 <= b.p1 AND b.p0 <= a.p1))
    """

  /// Every identifier shared by at least `minCases` distinct cases or by cases of more than one agency (see README
  /// "Searching and linking").
  /// - Throws: `StoreQueryError` (64) for `minCases` below 2; GRDB errors.
  public func links(minCases: Int = 2, windowSeconds: Int64 = 0) throws -> LinksResult {
    guard minCases >= 2 else { throw StoreQueryError("--min-cases must be at least 2 (a link joins cases)") }
    return try db.read { db in
      var reader = StoreReader(db)
      var links: [Link] = []
      // Exact kinds: one grouped pass, then the details of each kept group through the lookup index.
      let groups = try Row.fetchAll(db, sql: Self.exactLinksSQL, arguments: [minCases])
      for g in groups {
        let kind: String = g[0]
        let qualifier: String = g[1]
        let value: String = g[2]
        let entities = try String.fetchAll(
          db,
          sql: """
            SELECT DISTINCT i.entity_id FROM identifiers i
            JOIN entity_versions v ON v.id = i.entity_id AND v.version = i.entity_version AND v.valid_to IS NULL
            WHERE i.kind = ? AND i.qualifier = ? AND i.value = ? ORDER BY i.entity_id
            """, arguments: [kind, qualifier, value])
        var link = Link(
          kind: kind, qualifier: qualifier, value: value, matchKind: "exact", cases: [], agencies: [], entityIDs: entities,
          ports: [])
        try fill(&link, &reader, cases: nil)
        links.append(link)
      }
      // IPs: pairs, joined into groups (union-find over (row, case) nodes).
      let pairs = try Row.fetchAll(db, sql: Self.ipPairsSQL, arguments: ["w": windowSeconds])
      var uf = UnionFind()
      for p in pairs {
        let a = uf.node(IPNode(row: p[0], caseID: p[1]))
        let b = uf.node(IPNode(row: p[2], caseID: p[3]))
        uf.union(a, b)
      }
      for component in uf.components() {
        let caseIDs = Set(component.map(\.caseID))
        let rows = Set(component.map(\.row)).sorted()
        var value = ""
        var entities = Set<String>()
        var ports = Set<String>()
        var from: String? = nil
        var to: String? = nil
        var open = false
        for r in rows {
          guard
            let row = try Row.fetchOne(
              db,
              sql: "SELECT value, port, port_last, at_start, COALESCE(at_end, CASE WHEN entity_type = 'ipObservation' THEN at_start END), entity_id FROM identifiers WHERE rowid = ?",
              arguments: [r])
          else { continue }
          value = row[0]
          let p: Int? = row[1]
          let pl: Int? = row[2]
          if let p { ports.insert(pl.map { $0 != p ? "\(p)-\($0)" : "\(p)" } ?? "\(p)") }
          let s: String? = row[3]
          let e: String? = row[4]
          if let s, from == nil || epochSeconds(s)! < epochSeconds(from)! { from = s }
          if let e {
            if to == nil || epochSeconds(e)! > epochSeconds(to)! { to = e }
          } else {
            open = true
          }
          entities.insert(row[5])
        }
        var link = Link(
          kind: "ip", qualifier: "", value: value, matchKind: "ip-time-overlap", cases: [], agencies: [],
          entityIDs: entities.sorted(), activityFrom: from, activityTo: open ? nil : to,
          ports: ports.sorted { ($0.count, $0) < ($1.count, $1) })
        try fill(&link, &reader, cases: caseIDs)
        if link.cases.count >= minCases || Set(link.cases.compactMap(\.agencyID)).count > 1 { links.append(link) }
      }
      let order = ["email", "phone", "username", "account", "ip", "hash"]
      links.sort {
        (order.firstIndex(of: $0.kind) ?? 9, $0.qualifier, $0.value, $0.activityFrom ?? "")
          < (order.firstIndex(of: $1.kind) ?? 9, $1.qualifier, $1.value, $1.activityFrom ?? "")
      }
      return LinksResult(links: links, minCases: minCases, windowSeconds: windowSeconds)
    }
  }

  /// Cases (all of the entities', or the given ones), agencies and first/last seen of a link: a few queries per
  /// link, whatever the number of its entities.
  private func fill(_ link: inout Link, _ reader: inout StoreReader, cases only: Set<String>?) throws {
    link.cases = try reader.cases(ofAll: link.entityIDs).filter { only?.contains($0.caseID) ?? true }
    let seen = try reader.seen(ofAll: link.entityIDs)
    var agencies: [String] = []
    var seenAgencies = Set<String>()
    for c in link.cases {
      guard let a = c.agencyID, seenAgencies.insert(a).inserted else { continue }
      agencies.append(c.agency ?? a)
    }
    link.agencies = agencies
    link.firstSeen = seen.first
    link.lastSeen = seen.last
  }
}

/// An IP identifier row in one of its entity's cases.
struct IPNode: Hashable {
  var row: Int64
  var caseID: String
}

/// Union-find over IP nodes (path halving, union by size).
struct UnionFind {
  private var index: [IPNode: Int] = [:]
  private var nodes: [IPNode] = []
  private var parent: [Int] = []
  private var size: [Int] = []

  mutating func node(_ n: IPNode) -> Int {
    if let i = index[n] { return i }
    let i = nodes.count
    index[n] = i
    nodes.append(n)
    parent.append(i)
    size.append(1)
    return i
  }

  mutating func find(_ x: Int) -> Int {
    var x = x
    while parent[x] != x {
      parent[x] = parent[parent[x]]
      x = parent[x]
    }
    return x
  }

  mutating func union(_ a: Int, _ b: Int) {
    var ra = find(a)
    var rb = find(b)
    if ra == rb { return }
    if size[ra] < size[rb] { swap(&ra, &rb) }
    parent[rb] = ra
    size[ra] += size[rb]
  }

  /// The groups, each in node creation order, in order of their first node.
  mutating func components() -> [[IPNode]] {
    var groups: [Int: Int] = [:]
    var out: [[IPNode]] = []
    for i in nodes.indices {
      let r = find(i)
      if let g = groups[r] {
        out[g].append(nodes[i])
      } else {
        groups[r] = out.count
        out.append([nodes[i]])
      }
    }
    return out
  }
}
