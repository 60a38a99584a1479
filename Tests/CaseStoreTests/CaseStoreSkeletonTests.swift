import Testing
import GRDB
@testable import CaseStore
#if canImport(Glibc)
  import Glibc
#endif

@Test("a new store is created 0600, migrated, and a store from a newer build is refused unchanged")
func storeOpenAndRefuseNewer() throws {
  let dir = "/tmp/casebridge-store-skeleton-\(getpid())"
  let path = dir + "/s/cases.sqlite"
  defer { _ = try? FileManagerLite.removeTree(dir) }
  _ = mkdir(dir, 0o700)
  let store = try CaseStore(path: path)
  var st = stat()
  #expect(stat(path, &st) == 0)
  #expect(st.st_mode & 0o777 == 0o600)
  #expect(stat(dir + "/s", &st) == 0 && st.st_mode & 0o777 == 0o700)
  let tables = try store.db.read { try String.fetchAll($0, sql: "SELECT name FROM sqlite_master WHERE type='table' ORDER BY name") }
  #expect(tables.contains("identifiers") && tables.contains("entity_versions") && tables.contains("processed_inputs"))
  try store.db.write { try $0.execute(sql: "INSERT INTO grdb_migrations(identifier) VALUES ('v999-future')") }
  #expect(throws: StoreError.self) { _ = try CaseStore(path: path) }
  let still = try store.db.read { try String.fetchAll($0, sql: "SELECT identifier FROM grdb_migrations") }
  #expect(still.contains("v999-future"))
}

enum FileManagerLite {
  static func removeTree(_ path: String) throws {
    _ = system("rm -rf '\(path)'")
  }
}
