import CaseTestSupport
import Foundation
import Testing

/// One run of the CLI as the hostile-input suites run it: `runBounded` (killed after 5 s, 4 GiB address space, GNU
/// time's peak RSS) under `strace -f -e trace=network,openat`, with proxies pointing nowhere; then what the trace
/// shows: sockets, and files opened outside the run's directory.
struct HostileRun {
  var run: BoundedRun
  /// The trace's lines.
  var trace: [Substring]

  var status: Int32 { run.status }
  var stderr: String { run.stderr }
  var seconds: Double { run.wall }
  var peakKiB: Int? { run.maxRSSKiB }

  static let tools = ["/usr/bin/strace"] + boundedRunTools

  static var binary: URL { CaseBridgeBinary.preferRelease }

  /// Whether the suite can run: the tools exist (under CI=true a missing tool or a missing release build is a
  /// recorded failure, never a skip).
  static func ready() -> Bool {
    let missing = tools.filter { !FileManager.default.isExecutableFile(atPath: $0) }
    if !missing.isEmpty {
      if Repo.isCI { Issue.record("missing tools under CI=true: \(missing)") }
      return false
    }
    if Repo.isCI {
      #expect(binary.path.hasSuffix("release/casebridge"), "CI must run the hazards with the release binary")
    }
    return true
  }

  /// Runs `casebridge ARGUMENTS` with the trace written to `dir/<name>.strace`, killed after `seconds`.
  static func run(_ arguments: [String], in dir: URL, name: String, seconds: Int = 5) throws -> HostileRun {
    let trace = dir.appendingPathComponent("\(name).strace")
    let r = try runBounded(
      arguments, binary: binary, seconds: seconds,
      environment: ["http_proxy": "http://127.0.0.1:9", "https_proxy": "http://127.0.0.1:9"], discardStdout: true, trace: trace)
    let lines = ((try? String(contentsOf: trace, encoding: .utf8)) ?? "").split(separator: "\n")
    return HostileRun(run: r, trace: lines)
  }

  /// Paths the process may open: its own libraries and runtime files, the run's directory and the schemas.
  static func allowed(_ path: String, dir: String) -> Bool {
    let system = ["/etc/ld.so.cache", "/lib/", "/lib64/", "/usr/lib/", "/opt/swift/", "/proc/self/", "/sys/devices/system/cpu/", "/usr/share/zoneinfo", "/etc/localtime", "/usr/share/locale/", "/usr/lib/locale/"]
    // The binary's own directory is on its library search path (rpath).
    let own = binary.resolvingSymlinksInPath().deletingLastPathComponent().path
    return system.contains { path.hasPrefix($0) } || path.hasPrefix(dir) || path.hasPrefix(Repo.schemas.path) || path.hasPrefix(own)
  }

  /// Network calls in the trace.
  var networkCalls: [Substring] { trace.filter { $0.contains("socket(") || $0.contains("connect(") } }

  /// Files the process opened outside `allowed`, or whose path contains `forbidden`.
  func foreignFiles(dir: String, forbidden: String? = nil) -> Set<String> {
    var foreign = Set<String>()
    for l in trace {
      guard l.contains("openat("), let q1 = l.firstIndex(of: "\"") else { continue }
      let rest = l[l.index(after: q1)...]
      guard let q2 = rest.firstIndex(of: "\"") else { continue }
      var path = String(rest[..<q2])
      if !path.hasPrefix("/") { path = FileManager.default.currentDirectoryPath + "/" + path }
      if !Self.allowed(path, dir: dir) || (forbidden.map { path.contains($0) } ?? false) { foreign.insert(path) }
    }
    return foreign
  }

  /// Whether the trace shows `path` being opened.
  func opened(_ path: String) -> Bool { trace.contains { $0.contains(path) } }
}
