import CaseTestSupport
import Foundation
import Testing

/// Shell completions come from the command definitions (swift-argument-parser): every subcommand the CLI lists in
/// `--help` is completed by each shell's script, and the bash script parses. (The man page is generated and checked
/// by scripts/gen_docs.sh in CI: its plugin runs `swift package`, which cannot run inside `swift test`.)
@Suite struct CompletionTests {
  static func subcommands() throws -> [String] {
    let help = try CLITests.run(["--help"])
    #expect(help.status == 0)
    var names: [String] = []
    var inList = false
    for line in help.stdout.split(separator: "\n", omittingEmptySubsequences: false) {
      if line.hasPrefix("SUBCOMMANDS:") { inList = true; continue }
      if inList, line.isEmpty { break }  // the list ends at its blank line (then "See 'casebridge help ...'")
      // A subcommand's line is indented by two spaces; wrapped abstracts are indented further.
      if inList, line.hasPrefix("  "), !line.hasPrefix("   "), let name = line.split(separator: " ").first {
        names.append(String(name))
      }
    }
    return names
  }

  @Test(arguments: ["bash", "zsh", "fish"])
  func completionScriptNamesEverySubcommand(shell: String) throws {
    let names = try Self.subcommands()
    #expect(names.contains("convert") && names.contains("import") && names.count >= 10)
    let script = try CLITests.run(["--generate-completion-script", shell])
    #expect(script.status == 0)
    #expect(script.stderr.isEmpty)
    for name in names {
      #expect(script.stdout.contains(name), "\(shell) completion lacks '\(name)'")
    }
    // Options of a subcommand are completed too.
    #expect(script.stdout.contains(shell == "fish" ? "quarantine=" : "--quarantine"))
  }

  @Test func bashCompletionParses() throws {
    let script = try CLITests.run(["--generate-completion-script", "bash"])
    let dir = makeTemporaryDirectory("completion")
    let file = dir.appendingPathComponent("casebridge.bash")
    try Data(script.stdout.utf8).write(to: file)
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/bin/bash")
    p.arguments = ["-n", file.path]
    try p.run()
    p.waitUntilExit()
    #expect(p.terminationStatus == 0)
    #expect(script.stdout.contains("complete -o filenames -F _casebridge casebridge"))
  }

  @Test func unknownShellIsAUsageError() throws {
    let r = try CLITests.run(["--generate-completion-script", "tcsh"])
    #expect(r.status == 64)
  }
}
