public import Foundation
#if canImport(Glibc)
  import Glibc
#endif

/// The `casebridge` executable for child-process tests: the release build when `.ci/run` built it (under CI=true it
/// must exist), else the debug one next to the test bundle.
public enum CaseBridgeBinary {
  /// The release binary when built, else the debug one.
  public static var preferRelease: URL {
    let release = Repo.root.appendingPathComponent(".build/release/casebridge")
    if FileManager.default.isExecutableFile(atPath: release.path) { return release }
    return debug
  }

  /// The binary built beside the tests.
  public static var debug: URL {
    let candidates = [
      URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent(),
      URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().deletingLastPathComponent(),
      Repo.root.appendingPathComponent(".build/debug"),
    ]
    for c in candidates where FileManager.default.isExecutableFile(atPath: c.appendingPathComponent("casebridge").path) {
      return c.appendingPathComponent("casebridge")
    }
    return Repo.root.appendingPathComponent(".build/debug/casebridge")
  }
}

/// One run of the CLI as a child process under `timeout -s KILL`, GNU `time` and `prlimit --as`.
public struct BoundedRun: Sendable {
  /// Exit status (137 when killed by the timeout).
  public var status: Int32
  /// Standard output (dropped when the run was started with `discardStdout`).
  public var stdout: [UInt8]
  /// Standard error.
  public var stderr: String
  /// Wall time in seconds, measured around the child.
  public var wall: Double
  /// User + system CPU seconds of the child, as GNU time reports them (nil when killed).
  public var cpu: Double?
  /// Peak RSS of the child in KiB, as GNU time reports it (nil when killed).
  public var maxRSSKiB: Int?

  /// Whether the timeout killed the child.
  public var killed: Bool { status == 137 || status == 128 + 9 }

  /// The standard output as text.
  public var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
}

/// Tools the bounded runner needs; under CI=true their absence is a failure, elsewhere the caller may skip.
public let boundedRunTools = ["/usr/bin/timeout", "/usr/bin/time", "/usr/bin/prlimit"]

/// Whether the bounded runner's tools are present.
public var boundedRunToolsPresent: Bool { boundedRunTools.allSatisfy { FileManager.default.isExecutableFile(atPath: $0) } }

/// Runs `casebridge ARGS` as a child process with a wall-time limit (killed after `seconds`), an address-space limit
/// and GNU time's CPU and peak-RSS figures.
/// - Parameters:
///   - binary: the executable (default: the release build when present).
///   - stdin: bytes for standard input (default: none, closed).
///   - seconds: the kill timeout.
///   - addressSpace: the `prlimit --as` bound in bytes (default 4 GiB).
///   - environment: extra environment variables.
///   - discardStdout: send stdout to /dev/null instead of capturing it.
///   - trace: when given, the child runs under `strace -f -e trace=network,openat` writing this file (the
///     hostile-input suites read it for sockets and foreign files).
public func runBounded(
  _ args: [String], binary: URL = CaseBridgeBinary.preferRelease, stdin: Data? = nil, seconds: Int = 10,
  addressSpace: Int = 4 << 30, environment: [String: String] = [:], discardStdout: Bool = false,
  currentDirectory: URL? = nil, trace: URL? = nil
) throws -> BoundedRun {
  let dir = makeTemporaryDirectory("bounded")
  defer { try? FileManager.default.removeItem(at: dir) }
  let timeFile = dir.appendingPathComponent("time.txt")
  let p = Process()
  p.executableURL = URL(fileURLWithPath: "/usr/bin/timeout")
  p.arguments = [
    "-s", "KILL", String(seconds), "/usr/bin/time", "-o", timeFile.path, "-f", "%U %S %M",
  ] + (trace.map { ["/usr/bin/strace", "-f", "-qq", "-e", "trace=network,openat", "-o", $0.path] } ?? []) + [
    "/usr/bin/prlimit", "--as=\(addressSpace)", "--", binary.path,
  ] + args
  var env = ProcessInfo.processInfo.environment
  for (k, v) in environment { env[k] = v }
  p.environment = env
  if let currentDirectory { p.currentDirectoryURL = currentDirectory }
  let out = Pipe()
  let err = Pipe()
  p.standardOutput = discardStdout ? FileHandle.nullDevice : out
  p.standardError = err
  let input = Pipe()
  p.standardInput = input
  let start = Date()
  try p.run()
  // Read both pipes concurrently so a chatty child never blocks on a full pipe.
  final class Box: @unchecked Sendable { var data = Data() }
  let outBox = Box()
  let group = DispatchGroup()
  if !discardStdout {
    group.enter()
    DispatchQueue.global().async {
      outBox.data = out.fileHandleForReading.readToEndRetryingInterrupts()
      group.leave()
    }
  }
  if let stdin { input.fileHandleForWriting.write(stdin) }
  try? input.fileHandleForWriting.close()
  let e = err.fileHandleForReading.readToEndRetryingInterrupts()
  group.wait()
  p.waitUntilExit()
  let wall = Date().timeIntervalSince(start)
  var cpu: Double?
  var rss: Int?
  if let t = try? String(contentsOf: timeFile, encoding: .utf8) {
    // GNU time writes "Command exited with non-zero status N" before the format line when the status is not 0.
    let line = t.split(separator: "\n").last { $0.split(separator: " ").count == 3 } ?? ""
    let parts = line.split(separator: " ")
    if parts.count == 3, let u = Double(parts[0]), let s = Double(parts[1]), let m = Int(parts[2]) {
      cpu = u + s
      rss = m
    }
  }
  return BoundedRun(
    status: p.terminationStatus, stdout: [UInt8](outBox.data), stderr: String(decoding: e, as: UTF8.self), wall: wall,
    cpu: cpu, maxRSSKiB: rss)
}

/// What a doubling check measured.
public struct DoublingResult: Sendable {
  /// cost(2n) / cost(n) for each doubling.
  public var ratios: [Double]
  /// The geometric mean of the ratios: the growth per doubling over the whole range.
  public var perDoubling: Double
  /// Sizes (after scaling), costs and ratios, for a failure message.
  public var table: String
  /// Linear within the issue's bound: at most 2.2× per doubling over the whole range, and no single doubling over
  /// 3× (one step may carry a cache or allocator threshold, or a disturbed run; a quadratic cost is 4× every step, 64× over three).
  public var isLinear: Bool { perDoubling <= 2.2 && ratios.allSatisfy { $0 <= 3.0 } }
}

/// One doubling check at a time in the test process: they measure CPU time, which parallel tests on two cores
/// inflate unevenly.
private let doublingLock = NSLock()

/// The doubling check of issue 11: the cost of a run grows at most 2.2× each time its adversarial input doubles
/// (`DoublingResult.isLinear`). `cost(n)` builds the input of scale `n` and returns what one run cost (CPU seconds
/// of a child, or instructions); each size is measured `repetitions` times and the least is kept, which removes
/// most of the noise of a shared machine. A ratio over 2.2 is measured once more before it counts, so one disturbed
/// run does not fail the check.
///
/// The same test runs a debug binary locally and the release binary in CI, which is 3-10× faster: the sizes are
/// first scaled by the smallest power of two (at most `maxScale`) that makes the first size cost at least
/// `minimumCost`, so no ratio is read off runs as short as the clock's resolution (GNU time counts 10 ms steps).
public func doublingRatios(
  sizes: [Int], repetitions: Int = 3, minimumCost: Double = 0.15, maxScale: Int = 64, cost: (Int) throws -> Double
) rethrows -> DoublingResult {
  doublingLock.lock()
  defer { doublingLock.unlock() }
  func measure(_ n: Int) throws -> Double {
    var best = Double.infinity
    for _ in 0..<repetitions { best = min(best, try cost(n)) }
    return best
  }
  var scale = 1
  while scale < maxScale, try cost(sizes[0] * scale) < minimumCost { scale *= 2 }
  let scaled = sizes.map { $0 * scale }
  var costs: [Double] = []
  for n in scaled { costs.append(try measure(n)) }
  var ratios: [Double] = []
  for i in 1..<costs.count {
    var r = costs[i] / max(costs[i - 1], 1e-6)
    if r > 2.2 {
      costs[i - 1] = min(costs[i - 1], try measure(scaled[i - 1]))
      costs[i] = min(costs[i], try measure(scaled[i]))
      r = costs[i] / max(costs[i - 1], 1e-6)
    }
    ratios.append(r)
  }
  let perDoubling = ratios.isEmpty ? 1 : exp(ratios.map { log($0) }.reduce(0, +) / Double(ratios.count))
  let table = "scale \(scale): " + zip(scaled, costs).map { "n=\($0.0): \(String(format: "%.4f", $0.1))" }.joined(separator: ", ")
    + "; ratios " + ratios.map { String(format: "%.2f", $0) }.joined(separator: ", ")
    + String(format: "; per doubling %.2f", perDoubling)
  return DoublingResult(ratios: ratios, perDoubling: perDoubling, table: table)
}

/// Instructions one run of `casebridge ARGS` executes, counted by `valgrind --tool=callgrind` on a copy of the binary
/// stripped of debug info (valgrind cannot read Swift's DWARF): deterministic and blind to caches and load, for a
/// doubling check whose CPU time grows faster than its work once the input leaves the caches. Nil when valgrind or
/// strip is missing (a failure under CI=true is the caller's to record).
public func instructionCount(_ args: [String], binary: URL = CaseBridgeBinary.preferRelease) throws -> Double? {
  let valgrind = "/usr/bin/valgrind"
  let strip = "/usr/bin/strip"
  guard FileManager.default.isExecutableFile(atPath: valgrind), FileManager.default.isExecutableFile(atPath: strip) else {
    return nil
  }
  let dir = makeTemporaryDirectory("callgrind")
  defer { try? FileManager.default.removeItem(at: dir) }
  let stripped = dir.appendingPathComponent("casebridge")
  func run(_ tool: String, _ arguments: [String]) throws -> (Int32, String) {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: tool)
    p.arguments = arguments
    let err = Pipe()
    p.standardError = err
    p.standardOutput = FileHandle.nullDevice
    try p.run()
    let e = err.fileHandleForReading.readToEndRetryingInterrupts()
    p.waitUntilExit()
    return (p.terminationStatus, String(decoding: e, as: UTF8.self))
  }
  guard try run(strip, ["-o", stripped.path, binary.path]).0 == 0 else { return nil }
  let (_, log) = try run(valgrind, [
    "--tool=callgrind", "--callgrind-out-file=\(dir.appendingPathComponent("out").path)", stripped.path,
  ] + args)
  guard let line = log.split(separator: "\n").first(where: { $0.contains("Collected :") }),
    let n = line.split(separator: " ").last.flatMap({ Double($0) })
  else { return nil }
  return n
}

extension FileHandle {
  /// Everything up to end of file, read with `read(2)` and retried on EINTR. Foundation's `readDataToEndOfFile()`
  /// traps (`try!`) when a read is interrupted by a signal — the SIGCHLD of another test's child process is enough
  /// on a busy machine — and takes the whole test process down with it.
  public func readToEndRetryingInterrupts() -> Data {
    var out = Data()
    var buffer = [UInt8](repeating: 0, count: 65536)
    let fd = fileDescriptor
    while true {
      let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
      if n > 0 {
        out.append(contentsOf: buffer[0..<n])
      } else if n == 0 {
        return out
      } else if errno != EINTR {
        return out
      }
    }
  }
}
