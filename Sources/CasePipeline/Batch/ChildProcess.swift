#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The resource limits of one file's child process.
public struct ChildLimits: Sendable, Equatable {
  /// `RLIMIT_AS` in bytes.
  public var addressSpace: Int
  /// `RLIMIT_CPU` soft limit in seconds (SIGXCPU); the hard limit is one second more (SIGKILL).
  public var cpuSeconds: Int
  /// Wall-clock seconds before the parent kills the child (SIGKILL).
  public var wallSeconds: Int
  /// `RLIMIT_NOFILE`.
  public var openFiles: Int

  public init(addressSpace: Int, cpuSeconds: Int, wallSeconds: Int, openFiles: Int) {
    self.addressSpace = addressSpace
    self.cpuSeconds = cpuSeconds
    self.wallSeconds = wallSeconds
    self.openFiles = openFiles
  }

  /// The hidden `--child-limits` argument: `as=BYTES,cpu=SECONDS,nofile=N,wall=SECONDS`.
  public var argument: String { "as=\(addressSpace),cpu=\(cpuSeconds),nofile=\(openFiles),wall=\(wallSeconds)" }

  /// Parses `--child-limits`; nil when malformed.
  public static func parse(_ text: String) -> ChildLimits? {
    var l = ChildLimits(addressSpace: -1, cpuSeconds: -1, wallSeconds: 0, openFiles: -1)
    for part in text.split(separator: ",") {
      let kv = part.split(separator: "=", maxSplits: 1)
      guard kv.count == 2, let v = Int(kv[1]), v > 0 else { return nil }
      switch kv[0] {
      case "as": l.addressSpace = v
      case "cpu": l.cpuSeconds = v
      case "nofile": l.openFiles = v
      case "wall": l.wallSeconds = v
      default: return nil
      }
    }
    return l.addressSpace > 0 && l.cpuSeconds > 0 && l.openFiles > 0 ? l : nil
  }

  /// Applies the limits to this process (the child calls it first thing, before parsing its arguments). Core dumps
  /// are turned off as well, and an alarm two seconds after the parent's wall-clock limit ends a child whose parent
  /// was killed before it could kill the child (SIGALRM). Returns false when a limit could not be set.
  public func apply() -> Bool {
    if wallSeconds > 0 { alarm(UInt32(min(wallSeconds + 2, Int(UInt32.max)))) }
    func set(_ resource: Int32, _ soft: Int, _ hard: Int) -> Bool {
      var r = rlimit(rlim_cur: rlim_t(soft), rlim_max: rlim_t(hard))
      return setrlimit(__rlimit_resource_t(UInt32(resource)), &r) == 0
    }
    return set(Int32(RLIMIT_CORE.rawValue), 0, 0)
      && set(Int32(RLIMIT_AS.rawValue), addressSpace, addressSpace)
      && set(Int32(RLIMIT_CPU.rawValue), cpuSeconds, cpuSeconds + 1)
      && set(Int32(RLIMIT_NOFILE.rawValue), openFiles, openFiles)
  }
}

/// How a child process ended.
public enum ChildTermination: Sendable, Equatable {
  /// It exited with this status.
  case exited(Int32)
  /// A signal ended it (not the parent's timeout kill).
  case signaled(Int32)
  /// The parent killed it at the wall-clock limit.
  case timedOut
  /// It could not be started (errno of posix_spawn).
  case notStarted(Int32)
}

/// The outcome of one child run.
public struct ChildOutcome: Sendable {
  public var termination: ChildTermination
  /// User + system CPU seconds the child used.
  public var cpuSeconds: Double
  /// Wall-clock seconds.
  public var wallSeconds: Double
}

/// The path of the running executable (`/proc/self/exe` resolved; `CommandLine.arguments[0]` elsewhere).
public func currentExecutablePath() -> String {
  var buf = [UInt8](repeating: 0, count: Int(PATH_MAX) + 1)
  let n = buf.withUnsafeMutableBufferPointer { b in
    b.baseAddress!.withMemoryRebound(to: CChar.self, capacity: b.count) { readlink("/proc/self/exe", $0, b.count - 1) }
  }
  if n > 0 { return String(decoding: buf[0..<n], as: UTF8.self) }
  return CommandLine.arguments[0]
}

/// The name of a signal (`SIGSEGV`), or `signal N`.
public func signalName(_ sig: Int32) -> String {
  let names: [Int32: String] = [
    SIGHUP: "SIGHUP", SIGINT: "SIGINT", SIGQUIT: "SIGQUIT", SIGILL: "SIGILL", SIGTRAP: "SIGTRAP", SIGABRT: "SIGABRT",
    SIGBUS: "SIGBUS", SIGFPE: "SIGFPE", SIGKILL: "SIGKILL", SIGSEGV: "SIGSEGV", SIGPIPE: "SIGPIPE", SIGALRM: "SIGALRM",
    SIGTERM: "SIGTERM", SIGXCPU: "SIGXCPU", SIGXFSZ: "SIGXFSZ", SIGSYS: "SIGSYS",
  ]
  return names[sig] ?? "signal \(sig)"
}

/// Runs `executable ARGS` with stdin from /dev/null and stdout/stderr to files in `directory` (the private temp
/// directory of the file), waits at most `wallSeconds` (then SIGKILL), and reports how it ended. The environment is
/// the parent's without `CASEBRIDGE_BACKTRACE` (a child never prints the runtime's crash report, which holds input
/// bytes) and with `SWIFT_BACKTRACE=enable=no`.
func runChild(executable: String, arguments: [String], directory: String, wallSeconds: Int) -> ChildOutcome {
  var actions = posix_spawn_file_actions_t()
  posix_spawn_file_actions_init(&actions)
  defer { posix_spawn_file_actions_destroy(&actions) }
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
  posix_spawn_file_actions_addopen(&actions, 1, directory + "/child.stdout", O_WRONLY | O_CREAT | O_TRUNC, 0o600)
  posix_spawn_file_actions_addopen(&actions, 2, directory + "/child.stderr", O_WRONLY | O_CREAT | O_TRUNC, 0o600)
  var attr = posix_spawnattr_t()
  posix_spawnattr_init(&attr)
  defer { posix_spawnattr_destroy(&attr) }
  // The child starts with default signal dispositions and an empty mask, whatever the parent ignores or blocks.
  var all = sigset_t()
  sigfillset(&all)
  var none = sigset_t()
  sigemptyset(&none)
  posix_spawnattr_setsigdefault(&attr, &all)
  posix_spawnattr_setsigmask(&attr, &none)
  posix_spawnattr_setflags(&attr, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

  var env: [String] = []
  var e = environ
  while let p = e.pointee {
    let s = String(cString: p)
    if !s.hasPrefix("CASEBRIDGE_BACKTRACE=") && !s.hasPrefix("SWIFT_BACKTRACE=") { env.append(s) }
    e += 1
  }
  env.append("SWIFT_BACKTRACE=enable=no")

  let argv = ([executable] + arguments).map { strdup($0) } + [nil]
  let envp = env.map { strdup($0) } + [nil]
  defer {
    for p in argv { free(p) }
    for p in envp { free(p) }
  }
  let start = monotonicSeconds()
  var pid: pid_t = 0
  let rc = posix_spawn(&pid, executable, &actions, &attr, argv, envp)
  guard rc == 0 else { return ChildOutcome(termination: .notStarted(rc), cpuSeconds: 0, wallSeconds: 0) }

  let deadline = start + Double(wallSeconds)
  var status: Int32 = 0
  var usage = rusage()
  var killed = false
  while true {
    let r = wait4(pid, &status, killed ? 0 : WNOHANG, &usage)
    if r == pid { break }
    if r < 0 && errno != EINTR { break }
    if !killed && monotonicSeconds() >= deadline {
      kill(pid, SIGKILL)
      killed = true
      continue
    }
    if !killed { usleep(10_000) }
  }
  let wall = monotonicSeconds() - start
  let cpu = Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
  let term: ChildTermination
  let sig = status & 0x7f
  if killed && sig == SIGKILL {
    term = .timedOut
  } else if sig == 0 {
    term = .exited((status >> 8) & 0xff)
  } else {
    term = .signaled(sig)
  }
  return ChildOutcome(termination: term, cpuSeconds: cpu, wallSeconds: wall)
}

func monotonicSeconds() -> Double {
  var ts = timespec()
  clock_gettime(CLOCK_MONOTONIC, &ts)
  return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

/// Test hooks of the child process (honoured only with `--child-limits`, i.e. in a batch child): when the base name
/// of one of the child's arguments equals `CASEBRIDGE_TEST_CRASH_ON`, the child traps; `CASEBRIDGE_TEST_HANG_ON`,
/// it sleeps for ever; `CASEBRIDGE_TEST_SPIN_ON`, it burns CPU for ever. They let tests prove that one bad file
/// costs only itself.
public func runChildTestHooks(arguments: [String]) {
  func matches(_ variable: String) -> Bool {
    guard let v = getenv(variable) else { return false }
    let name = String(cString: v)
    return !name.isEmpty && arguments.contains { baseName($0) == name }
  }
  if matches("CASEBRIDGE_TEST_CRASH_ON") {
    let empty: [Int] = []
    _ = empty[arguments.count]  // an index out of range: a Swift trap, as a parser bug would be
  }
  if matches("CASEBRIDGE_TEST_HANG_ON") {
    while true { sleep(3600) }
  }
  if matches("CASEBRIDGE_TEST_SPIN_ON") {
    var x: UInt64 = 1
    while x != 0 { x = x &* 6364136223846793005 &+ 1442695040888963407 }
  }
}
