import CaseBridge
import CaseTestSupport
import Foundation
import GRDB
import Testing
@testable import CaseStore

/// The secondary indexes of a store: name → CREATE statement.
private func indexes(_ store: CaseStore) throws -> [String: String] {
  try store.db.read { db in
    var out: [String: String] = [:]
    for r in try Row.fetchAll(db, sql: "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL") {
      out[r[0]] = r[1]
    }
    return out
  }
}

@Suite(.serialized) struct DeferredIndexTests {
  private func input(_ runID: String, _ sha: Character) -> StoreInput {
    StoreInput(
      runID: runID, command: "import", configurationSha256: "", runStartedAt: Instant(seconds: 0), index: 0,
      name: "x.jsonl", sha256: String(repeating: sha, count: 64), bytes: 1, format: .jsonl, profileID: nil,
      profileSha256: "", parserVersion: CaseStoreParserVersion)
  }

  @Test("into a store without entities the secondary indexes are dropped inside the input's transaction, rebuilt before COMMIT, restored by a rollback")
  func deferredIndexes() throws {
    let dir = makeTemporaryDirectory("store-deferred").path
    let store = try CaseStore(path: dir + "/cases.sqlite")
    let schema = try indexes(store)
    for name in StoreIngest.deferrableIndexes { #expect(schema[name] != nil, "\(name)") }
    let span = SourceSpan(byteOffset: 0, byteLength: 1, line: 1, column: 1)
    var p = Person(id: EntityID("person-deferred"))
    p.emails = [ContactEmail(address: try EmailAddress.parse("Pat.Placeholder@example.org").get())]
    let person = Entity.person(p)

    // A rollback: the indexes are back and no row stays.
    let ingest = StoreIngest(store: store)
    try ingest.beginInput(input("rolled-back", "a"))
    let inside = try indexes(store)
    for name in StoreIngest.deferrableIndexes { #expect(inside[name] == nil, "\(name) still maintained row by row") }
    try ingest.accept([person], recordIndex: 0, span: span, entityKeys: [])
    ingest.rollbackInput()
    #expect(try indexes(store) == schema)
    #expect(try count(store, "entity_versions") == 0)

    // A commit: the same indexes (same definitions) hold the input's rows, and the lookup reads them.
    try ingest.beginInput(input("committed", "b"))
    try ingest.accept([person], recordIndex: 0, span: span, entityKeys: [])
    var report = InputReport(index: 0, path: "x.jsonl")
    report.read = 1
    report.accepted = 1
    #expect(try ingest.commitInput(report).inserted == 1)
    #expect(try indexes(store) == schema)
    let hits = try store.db.read { db in
      try Int.fetchOne(db, sql: "SELECT count(*) FROM identifiers INDEXED BY identifiers_lookup WHERE kind = 'email' AND qualifier = '' AND value = ?", arguments: ["pat.placeholder@example.org"])
    }
    #expect(hits == 1)
    #expect(try store.db.read { try String.fetchOne($0, sql: "PRAGMA integrity_check") } == "ok")

    // A store that has entities keeps its indexes during the next input's transaction.
    try ingest.beginInput(input("second", "c"))
    #expect(try indexes(store) == schema)
    ingest.rollbackInput()
  }
}
