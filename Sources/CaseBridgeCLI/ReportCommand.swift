import ArgumentParser
import CaseBridge
#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// `casebridge report FILE.json`: an existing run or batch report for people — aligned text on stdout (colour on a
/// terminal unless NO_COLOR), or the HTML page with `--html OUT`.
struct ReportCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "report",
    abstract: "Show a JSON run or batch report for people: text on the terminal, or an HTML page with --html.",
    usage: "casebridge report FILE.json [--html OUT] [--rule ID] [--input N] [--diagnostics N]",
    discussion: """
      EXIT CODES: 0 shown (whatever the run's own exit code was); 64 usage error, including --input N that the \
      report does not have and --rule ID that is neither in the report nor in the rule catalogue; 65 the file is not \
      JSON (located by line and column) or not a CaseBridge run or batch report; 66 the file is missing, unreadable, \
      not a regular file or larger than 256 MiB; 73 the page cannot be created; 74 an I/O error writing it.
      """)

  @Argument(help: ArgumentHelp("A run report (--report) or a batch report (REPORTS/<run-id>.json).", valueName: "FILE.json"))
  var file: String

  @Option(help: ArgumentHelp("Write the HTML page to this file instead of printing text.", valueName: "OUT"))
  var html: String?

  @Option(help: ArgumentHelp("Only this rule: the inputs with its findings, its row and its diagnostics.", valueName: "ID"))
  var rule: String?

  @Option(help: ArgumentHelp("Only the input with this index (the quarantine's NNN).", valueName: "N"))
  var input: Int?

  @Option(help: ArgumentHelp("Diagnostics listed per rule (0 to 1000).", valueName: "N"))
  var diagnostics: Int = 20

  func run() throws {
    guard (0...1000).contains(diagnostics) else { throw UsageError(message: "--diagnostics must be 0 to 1000") }
    if let html {
      let check = checkOutputPaths(reading: [("FILE.json", file)], writing: [OutputPath(option: "--html", path: html, kind: .file)])
      if let e = check {
        printError(e.description)
        throw ExitCode(e.exitCode)
      }
    }
    let doc: ReportDocument
    do {
      doc = try ReportDocument.load(path: file)
    } catch {
      printError(error.message)
      throw ExitCode(error.exitCode)
    }
    var options = ReportRenderOptions()
    options.filter = ReportFilter(rule: rule, input: input)
    options.diagnosticsPerRule = diagnostics
    do {
      try doc.check(options.filter)
    } catch {
      printError(error.message)
      throw ExitCode(error.exitCode)
    }
    if let html {
      let page = HTMLReport.render(doc, htmlPath: html, options: options)
      do {
        try writeFileAtomically(html, Array(page.utf8))
      } catch {
        printError(error.description)
        throw ExitCode(error.exitCode)
      }
      return
    }
    let colour = TerminalReport.wantsColour(isTerminal: isatty(1) == 1, noColor: getenv("NO_COLOR").map { String(cString: $0) })
    var text = TerminalReport.render(doc, options: options, colour: colour)
    text.withUTF8 { b in
      var off = 0
      while off < b.count {
        let n = write(1, b.baseAddress! + off, b.count - off)
        if n < 0 {
          if errno == EINTR { continue }
          return
        }
        off += n
      }
    }
  }
}
