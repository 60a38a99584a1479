import Testing
@testable import CaseStore

@Test("the store module builds and names its schema version")
func storeSchemaVersion() {
  #expect(CaseStoreSchema.version >= 1)
}
