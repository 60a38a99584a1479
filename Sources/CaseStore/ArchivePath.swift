import GRDB
import CasePipeline

extension CaseStore {
  /// Records where batch archives the inputs it merged (`processed_inputs.archive_path`), so `verify` re-hashes
  /// them there. Duplicates keep the path of their first delivery.
  public func recordArchivePath(_ path: String, for inputs: [MergedInput]) throws(StoreError) {
    do {
      try db.write { db in
        for m in inputs where m.disposition != .duplicate {
          try db.execute(
            sql: "UPDATE processed_inputs SET archive_path = ? WHERE input_sha256 = ? AND profile_sha256 = ? AND parser_version = ?",
            arguments: [path, m.inputSha256, m.profileSha256, m.parserVersion])
        }
      }
    } catch {
      throw StoreError(rule: "store.io-error", message: "cannot record the archive path in the store", exitCode: 74)
    }
  }
}
