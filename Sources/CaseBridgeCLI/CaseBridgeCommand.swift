public import ArgumentParser
import CaseBridge
import Logging
#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

extension FormatID: ExpressibleByArgument {}
extension EntityType: ExpressibleByArgument {}

let exitCodeTable = """
  EXIT CODES (the same for every command; several inputs: the most severe present, \
  in the order 64 > 78 > 75 > 70 > 74 > 73 > 66 > 65 > 1 > 0):
    0   every record accepted
    1   finished; some records quarantined, or an input incomplete
    64  usage error
    65  an input rejected whole (empty, not readable as its format, unknown format, hostile)
    66  an input missing or unreadable
    70  internal error
    73  cannot create an output, quarantine or report file
    74  I/O error (including an input that changed while it was read)
    75  another run holds the lock
    78  invalid profile or configuration, or a case store this build cannot use
  """

@main
struct CaseBridgeCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "casebridge",
    abstract: "Convert and validate law-enforcement case metadata; quarantine what does not conform.",
    discussion: exitCodeTable,
    version: CaseBridgeVersion.version,
    subcommands: [
      Convert.self, Validate.self, Import.self, BatchCommand.self, MatchCommand.self, Inspect.self, SearchCommand.self,
      LinksCommand.self, ExportCommand.self, HistoryCommand.self, VerifyCommand.self, PurgeCommand.self, Formats.self,
      Rules.self, ReportCommand.self,
    ])

  static func main() {
    umask(0o077)
    // A batch run's child (`casebridge --child-limits as=..,cpu=..,nofile=.. SUBCOMMAND ...`, never typed by a
    // person): its rlimits are set before anything else, and a crash ends it by the signal itself, so the parent
    // can name it.
    var arguments = Array(CommandLine.arguments.dropFirst())
    if arguments.first == "--child-limits" {
      guard arguments.count >= 2, let limits = ChildLimits.parse(arguments[1]), limits.apply() else {
        printError("--child-limits: malformed or cannot be applied [internal]")
        Glibc.exit(70)
      }
      arguments.removeFirst(2)
      crashEndsBySignal = true
    }
    var limit = rlimit(rlim_cur: 0, rlim_max: 0)
    setrlimit(Int32(RLIMIT_CORE.rawValue), &limit)  // the heap holds personal data: no core dumps
    installCrashHandler()
    if crashEndsBySignal { runChildTestHooks(arguments: arguments) }
    // A reader that goes away is a write error (EPIPE, exit 74), not a kill by SIGPIPE that leaves files behind.
    signal(SIGPIPE, SIG_IGN)
    // Over a file size limit (`ulimit -f`, systemd's LimitFSIZE=) a write fails with EFBIG (exit 74, temporary
    // files removed) instead of SIGXFSZ killing the process.
    signal(SIGXFSZ, SIG_IGN)
    reserveStandardDescriptors()
    let command: any ParsableCommand
    do {
      command = try parseAsRoot(arguments)
    } catch {
      exitEscaped(error)  // help and version exit 0, usage errors 64
    }
    do {
      var c = command
      try c.run()
    } catch let e as ExitCode {
      Glibc.exit(e.rawValue)
    } catch let e as ValidationError {
      exitEscaped(e)
    } catch let e as UsageError {
      printError("\(e.message) [usage]")
      Glibc.exit(64)
    } catch {
      // ArgumentParser's own errors (help requested for a subcommand, usage) keep its handling.
      if exitCode(for: error) != .failure { exitEscaped(error) }
      // Never print an error's raw description: it can carry values.
      printError("internal error (\(String(describing: type(of: error)))) [internal]")
      Glibc.exit(70)
    }
  }
}

extension CaseBridgeCommand {
  /// ArgumentParser's `exit(withError:)`, with every line of an error message escaped: a usage error echoes the
  /// argument it could not parse, which may be a file name from a glob (`casebridge convert *`).
  static func exitEscaped(_ error: any Error) -> Never {
    let code = exitCode(for: error)
    let text = fullMessage(for: error)
    if code == .success {
      if !text.isEmpty { print(text) }  // help and version: our own text, on stdout
    } else {
      printStderrLines(text)
    }
    Glibc.exit(code.rawValue)
  }
}

/// Makes sure descriptors 0-2 are open, so no file the run opens (an output's temporary file) becomes standard
/// output by accident. A closed stdin reads as empty and a closed stderr discards; a closed stdout is reopened
/// read-only, so writing to it fails (EBADF) and `-o -` ends with `output.io-error`, exit 74.
func reserveStandardDescriptors() {
  for fd: Int32 in 0...2 where fcntl(fd, F_GETFD) == -1 && errno == EBADF {
    let opened = open("/dev/null", (fd == 2 ? O_WRONLY : O_RDONLY) | O_NOCTTY)
    if opened >= 0 && opened != fd {
      dup2(opened, fd)
      close(opened)
    }
  }
}

/// A usage problem found after parsing (exit 64).
struct UsageError: Error {
  var message: String
}

/// Every stderr line goes through `terminalEscaped`: paths, header names and labels come from inputs and the
/// command line, and must neither forge a line nor drive the terminal; and through `StandardError`, which clears a
/// progress line first.
func printError(_ message: String) {
  StandardError.emit("casebridge: error: " + message.terminalEscaped + "\n")
}

/// Several lines on stderr, each escaped on its own (the line breaks between them are kept).
func printStderrLines(_ text: String) {
  var out = text.split(separator: "\n", omittingEmptySubsequences: false).map { String($0).terminalEscaped }
    .joined(separator: "\n")
  if !out.hasSuffix("\n") { out += "\n" }
  StandardError.emit(out)
}

func printStderr(_ message: String) {
  StandardError.emit(message.terminalEscaped + "\n")
}

struct GlobalOptions: ParsableArguments {
  @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
  var logLevel: String = "warning"

  @Option(help: "Log format: text or json (one JSON object per line on stderr).")
  var logFormat: String = "text"

  func bootstrap() throws -> Logger {
    guard let level = Logger.Level(rawValue: logLevel) else { throw UsageError(message: "--log-level must be one of trace, debug, info, notice, warning, error, critical") }
    switch logFormat {
    case "text": LoggingSystem.bootstrap { TextLogHandler(label: $0) }
    case "json": LoggingSystem.bootstrap { JSONLogHandler(label: $0) }
    default: throw UsageError(message: "--log-format must be text or json")
    }
    var logger = Logger(label: "casebridge")
    logger.logLevel = level
    return logger
  }
}

/// Set in a batch run's child (`--child-limits`): a crash ends the process by its signal instead of exit 70.
nonisolated(unsafe) var crashEndsBySignal = false

/// The one line a crash prints. Swift's own crash report dumps registers and memory, which hold input bytes
/// (personal data), so a crash prints only this and exits 70; `CASEBRIDGE_BACKTRACE=1` keeps Swift's report for a
/// developer reproducing a crash on synthetic data.
private let crashMessage: StaticString = "casebridge: error: internal error: the process crashed; no input data is printed (set CASEBRIDGE_BACKTRACE=1 to debug on synthetic data) [internal]\n"

/// Replaces the runtime's crash handlers (installed before `main`) for the fatal signals: write `crashMessage`,
/// exit 70. Runs on its own signal stack, so a stack overflow is reported the same way. Interrupts remove the run's
/// temporary files, then end the process as the signal would have.
func installCrashHandler() {
  TemporaryFiles.prepare()
  TemporaryFiles.installAlternateSignalStack()  // the read-ahead thread installs its own
  installInterruptHandler()
  if let v = getenv("CASEBRIDGE_BACKTRACE"), String(cString: v) == "1" { return }
  _ = crashMessage.utf8CodeUnitCount  // initialise the global here, not inside the handler
  var action = sigaction()
  action.__sigaction_handler.sa_handler = { sig in
    TemporaryFiles.removeAllAfterCrash()
    _ = write(2, crashMessage.utf8Start, crashMessage.utf8CodeUnitCount)
    if crashEndsBySignal {
      // A batch child: end by the signal (no core: RLIMIT_CORE is 0), so the parent's report names it.
      signal(sig, SIG_DFL)
      raise(sig)
      return
    }
    _exit(70)
  }
  action.sa_flags = Int32(SA_ONSTACK)
  sigemptyset(&action.sa_mask)
  // A parent may hand down a mask that blocks them (a faulting thread with a blocked SIGSEGV is killed without
  // a handler); threads started later inherit the main thread's mask.
  var unblock = sigset_t()
  sigemptyset(&unblock)
  for sig in [SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP, SIGABRT] {
    sigaction(sig, &action, nil)
    sigaddset(&unblock, sig)
  }
  pthread_sigmask(SIG_UNBLOCK, &unblock, nil)
}

/// Interrupted (Ctrl-C, a kill, a closed terminal): remove the temporary files, then end as the signal would.
private func installInterruptHandler() {
  var stop = sigaction()
  stop.__sigaction_handler.sa_handler = { sig in
    TemporaryFiles.removeAllAfterCrash()
    signal(sig, SIG_DFL)
    raise(sig)
  }
  stop.sa_flags = Int32(SA_ONSTACK)
  sigemptyset(&stop.sa_mask)
  var unblock = sigset_t()
  sigemptyset(&unblock)
  for sig in [SIGINT, SIGTERM, SIGHUP] {
    var old = sigaction()
    // A signal ignored by the parent (nohup, a shell's background job) stays ignored.
    if sigaction(sig, nil, &old) == 0, let h = old.__sigaction_handler.sa_handler,
      unsafeBitCast(h, to: Int.self) == 1  // SIG_IGN
    { continue }
    sigaction(sig, &stop, nil)
    sigaddset(&unblock, sig)  // a mask handed down by the parent would leave it pending for ever
  }
  pthread_sigmask(SIG_UNBLOCK, &unblock, nil)
}
