import Testing
import CaseBridge
import GRDB
@testable import CaseStore
#if canImport(Glibc)
  import Glibc
#endif

/// A synthetic store of `rows` identifier rows (4 per entity; 20,000 cases of 200 agencies): e-mails, phones,
/// usernames, accounts, IPv6 observations and md5 hashes, a few hundred values shared across cases. Built in SQL,
/// in one transaction.
func buildSyntheticStore(_ f: StoreFixture, rows: Int) throws {
  try f.store.db.write { db in
    try db.execute(
      sql: """
        WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < :rows - 1)
        INSERT INTO identifiers(kind, qualifier, value, port, port_last, at_start, at_end, entity_id, entity_version, entity_type, input_sha256)
        SELECT
          CASE i % 10 WHEN 0 THEN 'email' WHEN 1 THEN 'email' WHEN 2 THEN 'email' WHEN 3 THEN 'phone' WHEN 4 THEN 'phone'
            WHEN 5 THEN 'username' WHEN 6 THEN 'account' WHEN 7 THEN 'ip' WHEN 8 THEN 'ip' ELSE 'hash' END,
          CASE i % 10 WHEN 5 THEN 'chatapp' WHEN 6 THEN 'chatapp' WHEN 9 THEN 'md5' ELSE '' END,
          CASE
            WHEN i % 1000 = 0 THEN 'shared' || (i / 1000 % 100) || '@example.com'
            WHEN i % 10 < 3 THEN 'user' || i || '@example.com'
            WHEN i % 10 < 5 THEN '+1312555' || substr('0000' || (i % 10000), -4)
            WHEN i % 10 = 5 THEN 'user_' || i
            WHEN i % 10 = 6 THEN '' || (100000000 + i)
            WHEN i % 10 < 9 THEN '2001:db8::' || printf('%x', i % 50000)
            ELSE printf('%032x', i)
          END,
          NULL, NULL,
          CASE WHEN i % 10 IN (7, 8) THEN strftime('%Y-%m-%dT%H:%M:%SZ', 1704067200 + (i * 7919) % 31536000, 'unixepoch') END,
          CASE WHEN i % 10 IN (7, 8) THEN strftime('%Y-%m-%dT%H:%M:%SZ', 1704067200 + (i * 7919) % 31536000, 'unixepoch') END,
          'e' || (i / 4), 1, 'person', 'aa'
        FROM n
        """, arguments: ["rows": rows])
    try db.execute(
      sql: """
        WITH RECURSIVE n(k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM n WHERE k < :entities - 1)
        INSERT INTO entity_versions(id, version, type, content_sha256, json, input_sha256, record_index, run_id, valid_from)
        SELECT 'e' || k, 1, 'person', 'x', '{"type":"person","id":"e' || k || '","provenance":[{"sourceFormat":"jsonl","sourceName":"synthetic.jsonl","record":' || k || '}]}',
          'aa', k, 'run-1', '2024-01-01T00:00:00Z' FROM n
        """, arguments: ["entities": rows / 4])
    try db.execute(
      sql: """
        INSERT INTO entity_cases(entity_id, case_id) SELECT id, 'c' || (CAST(substr(id, 2) AS INTEGER) % 20000) FROM entity_versions
        """)
    try db.execute(
      sql: """
        WITH RECURSIVE n(c) AS (SELECT 0 UNION ALL SELECT c + 1 FROM n WHERE c < 19999)
        INSERT INTO cases(case_id, case_number, agency_id) SELECT 'c' || c, 'CASE-' || c, 'a' || (c % 200) FROM n
        """)
  }
  try f.store.db.write { try $0.execute(sql: "ANALYZE") }
}

func monotonicSeconds() -> Double {
  var ts = timespec()
  clock_gettime(CLOCK_MONOTONIC, &ts)
  return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

@Suite("store queries at scale")
struct ScaleTests {
  /// Small enough for every run: the plans on a store with statistics (ANALYZE) still use the indexes.
  @Test("on a 20,000-row synthetic store with statistics, search uses the identifier index and links find the shared values")
  func plansWithStatistics() throws {
    let f = try StoreFixture("scale-small")
    try buildSyntheticStore(f, rows: 20_000)
    let plan = try f.store.db.read { db in
      try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + CaseStore.lookupSQL, arguments: ["email", "", "user3@example.com"])
        .map { $0["detail"] as String }.joined(separator: "\n")
    }
    #expect(plan.contains("identifiers_lookup") && !plan.contains("SCAN identifiers"), "\(plan)")
    let r = try f.store.search(["USER30@example.com"])
    #expect(r.values[0].matches.count == 1 && r.values[0].matches[0].cases.first?.caseID == "c7")
    let links = try f.store.links()
    // 20 rows carry shared<k>@example.com for k in 0..<20, each in one entity: no value of those is shared by two
    // cases; the phones repeat every 10,000 rows (+1312555iiii for i % 10 in 3, 4), in different cases.
    #expect(!links.links.isEmpty && links.links.allSatisfy { $0.cases.count >= 2 })
  }

  /// The benchmark (CASEBRIDGE_STORE_SCALE=1): a 1M-identifier store; prints the median of 100 searches and the
  /// time of links. Figures only; the assertions are the plans and the result shapes.
  @Test(
    "1M identifier rows: search median of 100 lookups and links time (CASEBRIDGE_STORE_SCALE=1)",
    .enabled(if: getenv("CASEBRIDGE_STORE_SCALE").map { String(cString: $0) == "1" } ?? false))
  func millionRows() throws {
    let f = try StoreFixture("scale-1m")
    let t0 = monotonicSeconds()
    try buildSyntheticStore(f, rows: 1_000_000)
    let built = monotonicSeconds() - t0
    var times: [Double] = []
    for k in 0..<100 {
      let i = (k * 9973) % 1_000_000 / 10 * 10 + 1  // an e-mail row
      let t = monotonicSeconds()
      let r = try f.store.search(["user\(i)@example.com"])
      times.append(monotonicSeconds() - t)
      #expect(r.values[0].matches.count == 1)
    }
    times.sort()
    let median = (times[49] + times[50]) / 2
    let t1 = monotonicSeconds()
    let links = try f.store.links()
    let linksTime = monotonicSeconds() - t1
    print(
      "SCALE 1M identifiers: build \(Int(built * 1000)) ms; search median \(String(median * 1000)) ms (min \(times[0] * 1000), max \(times[99] * 1000)); links \(Int(linksTime * 1000)) ms, \(links.links.count) links"
    )
    #expect(!links.links.isEmpty)
  }
}
