import CaseTestSupport
import Foundation
import Testing

/// An empty delivery through the CLI, as a nightly job meets it: a located stderr line, exit 65; with
/// `--allow-empty`, exit 0 and 0 records.
@Suite struct EmptyInputCLITests {
  @Test func anEmptyFileExits65WithALocatedLine() throws {
    let dir = makeTemporaryDirectory("empty-cli")
    let path = dir.appendingPathComponent("nightly.csv").path
    #expect(FileManager.default.createFile(atPath: path, contents: Data()))
    let r = try CLITests.run(["validate", path])
    #expect(r.status == 65)
    #expect(r.stderr.contains("nightly.csv:1:1: error:"))
    #expect(r.stderr.contains("[input.empty]"))
    #expect(r.stderr.contains("0 read, 0 accepted, 0 quarantined"))
    let allowed = try CLITests.run(["validate", "--allow-empty", path])
    #expect(allowed.status == 0)
    #expect(!allowed.stderr.contains("input.empty"))
  }
}
