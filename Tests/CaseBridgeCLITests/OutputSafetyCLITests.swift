import CaseBridge
import CaseTestSupport
import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// Issue 11 item 4, output safety: outputs never replace an input, each other or a non-regular file; closed or
/// broken stdout ends with 74 and leaves no temporary file; no option path can block the run. Every case runs the
/// CLI as a child process under `timeout -s KILL` (and `ulimit -f` where a regression could fill the disk), with
/// TMPDIR set to a private directory that is listed afterwards. Nothing here ever names the real /dev/null as an
/// output: device cases use a private node made with mknod (as root) or a FIFO.
@Suite(.serialized) struct OutputSafetyCLITests {
  struct Run {
    var status: Int32
    var stdout: String
    var stderr: String
    var wall: Double
  }

  /// The binary under test; CASEBRIDGE_TEST_BINARY runs these cases against another build (e.g. one before a fix).
  static var binary: String { ProcessInfo.processInfo.environment["CASEBRIDGE_TEST_BINARY"] ?? CaseBridgeBinary.debug.path }

  /// Runs `bash -c script casebridge ARGS...` under `timeout -s KILL seconds`; in the script `"$0" "$@"` is the
  /// casebridge command line. TMPDIR is `tmp` when given.
  static func shell(_ script: String, _ args: [String], tmp: URL? = nil, seconds: Int = 20) throws -> Run {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/timeout")
    p.arguments = ["-s", "KILL", String(seconds), "/bin/bash", "-c", script, binary] + args
    var env = ProcessInfo.processInfo.environment
    if let tmp { env["TMPDIR"] = tmp.path }
    p.environment = env
    let out = Pipe()
    let err = Pipe()
    p.standardOutput = out
    p.standardError = err
    p.standardInput = FileHandle.nullDevice
    let start = Date()
    try p.run()
    final class Box: @unchecked Sendable { var data = Data() }
    let outBox = Box()
    let group = DispatchGroup()
    group.enter()
    DispatchQueue.global().async {
      outBox.data = out.fileHandleForReading.readToEndRetryingInterrupts()
      group.leave()
    }
    let e = err.fileHandleForReading.readToEndRetryingInterrupts()
    group.wait()
    p.waitUntilExit()
    return Run(
      status: p.terminationStatus, stdout: String(decoding: outBox.data, as: UTF8.self),
      stderr: String(decoding: e, as: UTF8.self), wall: Date().timeIntervalSince(start))
  }

  /// Runs casebridge directly (no shell), under the same timeout.
  static func run(_ args: [String], tmp: URL? = nil, seconds: Int = 20) throws -> Run {
    try shell(#"exec "$0" "$@""#, args, tmp: tmp, seconds: seconds)
  }

  static func fileType(_ path: String) -> mode_t? {
    var st = stat()
    guard lstat(path, &st) == 0 else { return nil }
    return st.st_mode & S_IFMT
  }

  static func entries(_ dir: URL) -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []).sorted()
  }

  static func copy(_ samplePath: String, to url: URL) throws {
    try Data(contentsOf: URL(fileURLWithPath: samplePath)).write(to: url)
  }

  static let valid = sample("jsonl/valid/case-0001.jsonl")
  static let mixed = sample("jsonl/invalid/mixed.jsonl")

  @Test("finding output-rename-over-device: -o writes through a character device, --report refuses it, FIFOs and directories are refused (73), nothing is renamed over them")
  func outputRenameOverDevice() throws {
    let dir = makeTemporaryDirectory("devnode")
    let tmp = makeTemporaryDirectory("devnode-tmp")
    defer {
      try? FileManager.default.removeItem(at: dir)
      try? FileManager.default.removeItem(at: tmp)
    }
    let fifo = dir.appendingPathComponent("fifo").path
    #expect(mkfifo(fifo, 0o600) == 0)
    // A private character device node (the same device numbers as null), only possible as root.
    let null = dir.appendingPathComponent("null").path
    let null2 = dir.appendingPathComponent("null2").path
    let haveDevices = mknod(null, S_IFCHR | 0o666, dev_t((1 << 8) | 3)) == 0 && mknod(null2, S_IFCHR | 0o666, dev_t((1 << 8) | 3)) == 0
    if haveDevices {
      let o = try Self.run(["convert", Self.valid, "--to", "jsonl", "-o", null], tmp: tmp)
      #expect(o.status == 0, "\(o.stderr)")
      #expect(Self.fileType(null) == S_IFCHR, "-o replaced the device node")
      let r = try Self.run(["validate", Self.valid, "--report", null2], tmp: tmp)
      #expect(r.status == 73, "\(r.stderr)")
      #expect(r.stderr.contains("[output.not-regular]"), "\(r.stderr)")
      #expect(Self.fileType(null2) == S_IFCHR, "--report replaced the device node")
    } else {
      if Repo.isCI { Issue.record("mknod failed: the device-node cases need root") }
    }
    for args in [
      ["convert", Self.valid, "--to", "jsonl", "-o", fifo],
      ["validate", Self.valid, "--report", fifo],
      ["convert", Self.valid, "--to", "jsonl", "-o", tmp.path],  // a directory
      ["convert", Self.valid, "--to", "csv", "--entity", "person", "-o", fifo],
    ] {
      let r = try Self.run(args, tmp: tmp, seconds: 10)
      #expect(r.status == 73, "\(args): \(r.stderr)")
      #expect(r.stderr.contains("[output.not-regular]"), "\(args): \(r.stderr)")
    }
    #expect(Self.fileType(fifo) == S_IFIFO, "the FIFO was replaced")
    #expect(Self.fileType(tmp.path) == S_IFDIR)
    // No temporary output left beside the targets or in TMPDIR.
    #expect(Self.entries(dir).filter { $0.hasPrefix(".casebridge") }.isEmpty, "\(Self.entries(dir))")
    #expect(Self.entries(tmp).isEmpty, "\(Self.entries(tmp))")
  }

  @Test("finding stdout-closed-disk-fill: -o - with fd 1 closed ends at once with 74 and leaves nothing in TMPDIR")
  func stdoutClosed() throws {
    let tmp = makeTemporaryDirectory("stdout-closed")
    defer { try? FileManager.default.removeItem(at: tmp) }
    // ulimit -f bounds a regression (the old code copied its temporary file into itself until the disk was full).
    let closed = #"trap '' XFSZ; ulimit -f 2048; exec "$0" "$@" >&-"#
    let r = try Self.shell(closed, ["convert", Self.valid, "--to", "jsonl", "-o", "-"], tmp: tmp, seconds: 20)
    #expect(r.status == 74, "\(r.stderr)")
    #expect(r.stderr.contains("[output.io-error]"), "\(r.stderr)")
    #expect(!r.stderr.contains("errno 27"), "the output grew until the file size limit: \(r.stderr)")
    #expect(r.wall < 5, "took \(r.wall) s")
    #expect(Self.entries(tmp).isEmpty, "\(Self.entries(tmp))")
    // A command that writes nothing to stdout does not care.
    let v = try Self.shell(closed, ["validate", Self.valid], tmp: tmp)
    #expect(v.status == 0, "\(v.stderr)")
    // Closed stdin and stderr as well: stdin reads as empty, the output still goes to its file.
    let out = tmp.appendingPathComponent("o.jsonl").path
    let all = try Self.shell(#"trap '' XFSZ; ulimit -f 2048; exec "$0" "$@" <&- >&- 2>&-"#, ["convert", Self.valid, "--to", "jsonl", "-o", out], tmp: tmp)
    #expect(all.status == 0)
    #expect(((try? Data(contentsOf: URL(fileURLWithPath: out))) ?? Data()) .count > 1000)
  }

  @Test("finding output-or-report-overwrites-input: -o, --report and --quarantine that resolve to an input or to each other are refused (64) before anything is written")
  func outputOverlapsInput() throws {
    let dir = makeTemporaryDirectory("overlap")
    defer { try? FileManager.default.removeItem(at: dir) }
    let original = try Data(contentsOf: URL(fileURLWithPath: Self.mixed))
    let input = dir.appendingPathComponent("self.jsonl")
    try original.write(to: input)
    let link = dir.appendingPathComponent("link.jsonl")
    try FileManager.default.createSymbolicLink(at: link, withDestinationURL: input)
    let hard = dir.appendingPathComponent("hard.jsonl").path
    #expect(Glibc.link(input.path, hard) == 0)
    let same = dir.appendingPathComponent("same.out").path
    let cases: [[String]] = [
      ["convert", input.path, "--to", "jsonl", "-o", input.path],
      ["validate", input.path, "--report", input.path],
      ["convert", Self.mixed, "--to", "jsonl", "-o", same, "--report", same],
      ["convert", input.path, "--to", "jsonl", "-o", link.path],  // a symlink to the input
      ["convert", link.path, "--to", "jsonl", "-o", hard],  // a hard link to it
      ["validate", input.path, "--report", dir.appendingPathComponent("./sub/../self.jsonl").path],
      ["convert", Self.mixed, "--to", "jsonl", "-o", same, "--quarantine", same],
      ["validate", Self.mixed, "--report", same, "--quarantine", same],
      ["match", input.path, "-o", dir.path, "--quarantine", dir.path],
      ["match", input.path, "--profile-for", "\(input.path)=\(same)", "--report", same],  // the report over a profile
      ["match", input.path, "--report", link.path],
    ]
    for args in cases {
      let r = try Self.run(args + ["--now", "2026-01-01T00:00:00Z"])
      #expect(r.status == 64, "\(args): \(r.stderr)")
      #expect(r.stderr.contains("[output.same-file]"), "\(args): \(r.stderr)")
      #expect(try Data(contentsOf: input) == original, "\(args) changed the input")
      #expect(Self.fileType(link.path) == S_IFLNK)
      #expect(Self.fileType(same) == nil, "\(args) wrote \(same)")
    }
    // Standard input that is a redirected input file, written to that file.
    let viaStdin = try Self.shell(#"exec "$0" "$@" < "$SELF""#.replacingOccurrences(of: "$SELF", with: input.path),
      ["convert", "-", "--from", "jsonl", "--to", "jsonl", "-o", hard])
    #expect(viaStdin.status == 64, "\(viaStdin.stderr)")
    #expect(try Data(contentsOf: input) == original)
    // A symlink output is followed, never replaced: the file it points to gets the output.
    let outLink = dir.appendingPathComponent("out-link.jsonl").path
    let real = dir.appendingPathComponent("real.jsonl").path
    #expect(symlink(real, outLink) == 0)
    let viaLink = try Self.run(["convert", Self.valid, "--to", "jsonl", "-o", outLink])
    #expect(viaLink.status == 0, "\(viaLink.stderr)")
    #expect(Self.fileType(outLink) == S_IFLNK, "the symlink was replaced")
    #expect(Self.fileType(real) == S_IFREG)
    // Distinct paths still work.
    let ok = try Self.run(["convert", input.path, "--to", "jsonl", "-o", same, "--report", same + ".report.json", "--now", "2026-01-01T00:00:00Z"])
    #expect(ok.status == 1, "\(ok.stderr)")
  }

  @Test("finding sigpipe-stdout: -o - into a pipe closed early ends with 74, not SIGPIPE, and leaves no temporary file")
  func sigpipe() throws {
    let dir = makeTemporaryDirectory("sigpipe")
    let tmp = dir.appendingPathComponent("tmp")
    try FileManager.default.createDirectory(at: tmp, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    // bigger.jsonl of the finding: case-0001.jsonl 300 times with distinct ids (1.3 MB, far beyond a pipe buffer).
    let text = try String(contentsOfFile: Self.valid, encoding: .utf8)
    let uuid = try Regex("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
    var big = ""
    for i in 0..<300 { big += text.replacing(uuid) { "x\(i)-" + String(text[$0.range]) } }
    let input = dir.appendingPathComponent("bigger.jsonl")
    try Data(big.utf8).write(to: input)
    let r = try Self.shell(
      #""$0" "$@" | head -c 10 >/dev/null; exit "${PIPESTATUS[0]}""#,
      ["convert", input.path, "--to", "jsonl", "-o", "-"], tmp: tmp, seconds: 60)
    #expect(r.status == 74, "\(r.stderr)")
    #expect(r.stderr.contains("[output.io-error]"), "\(r.stderr)")
    #expect(Self.entries(tmp).isEmpty, "\(Self.entries(tmp))")
  }

  @Test("finding stdin-spool-leak-on-write-error: a spool that cannot be written is removed (exit 66)")
  func stdinSpoolLeak() throws {
    let dir = makeTemporaryDirectory("spool")
    let tmp = dir.appendingPathComponent("tmp")
    try FileManager.default.createDirectory(at: tmp, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    // big.jsonl of the finding: mixed.jsonl 400 times (919 KB); the spool hits a 64 KiB file size limit.
    let one = try Data(contentsOf: URL(fileURLWithPath: Self.mixed))
    var big = Data()
    for _ in 0..<400 { big.append(one) }
    let input = dir.appendingPathComponent("big.jsonl")
    try big.write(to: input)
    let r = try Self.shell(
      #"trap '' XFSZ; ulimit -f 64; exec "$0" "$@" < "$BIG""#.replacingOccurrences(of: "$BIG", with: input.path),
      ["validate", "-", "--from", "jsonl"], tmp: tmp)
    #expect(r.status == 66, "\(r.stderr)")
    #expect(Self.entries(tmp).isEmpty, "spool left behind: \(Self.entries(tmp))")
  }

  @Test("finding quarantine-create-exit-code: a quarantine file that cannot be created is exit 73 with one rule id")
  func quarantineCreate() throws {
    let dir = makeTemporaryDirectory("qcreate")
    defer { try? FileManager.default.removeItem(at: dir) }
    let qfile = dir.appendingPathComponent("qfile")
    try Data("x\n".utf8).write(to: qfile)
    let a = try Self.run(["validate", Self.mixed, "--quarantine", qfile.path, "--now", "2026-01-01T00:00:00Z"])
    #expect(a.status == 73, "\(a.stderr)")
    #expect(!a.stderr.contains("] ["), "two rule ids: \(a.stderr)")
    #expect(try Data(contentsOf: qfile) == Data("x\n".utf8))
    // 000-<240 x>.diagnostics.jsonl is longer than NAME_MAX.
    let long = dir.appendingPathComponent(String(repeating: "x", count: 240) + ".json")
    try Self.copy(sample("json/invalid/truncated.json"), to: long)
    let b = try Self.run(["validate", long.path, "--quarantine", dir.appendingPathComponent("q240").path])
    #expect(b.status == 73, "\(b.stderr)")
    #expect(b.stderr.contains("[output.cannot-create]"), "\(b.stderr)")
    #expect(!b.stderr.contains("] ["), "two rule ids: \(b.stderr)")
  }

  @Test("finding profile-fifo-hang: --profile, --profile-for and inputs naming a FIFO or directory are refused at once")
  func profileFIFO() throws {
    let dir = makeTemporaryDirectory("pfifo")
    defer { try? FileManager.default.removeItem(at: dir) }
    let fifo = dir.appendingPathComponent("pf.json").path
    #expect(mkfifo(fifo, 0o600) == 0)
    let csv = sample("csv/valid/isp-subscribers-2024.csv")
    for (args, code) in [
      (["validate", csv, "--profile", fifo], Int32(78)),
      (["validate", csv, "--profile", dir.path], 78),
      (["match", csv, "--profile-for", "\(csv)=\(fifo)"], 78),
      (["validate", fifo, "--from", "jsonl"], 66),
    ] {
      let r = try Self.run(args, seconds: 10)
      #expect(r.status == code, "\(args): \(r.stderr)")
      #expect(r.stderr.contains("not a regular file"), "\(args): \(r.stderr)")
      #expect(r.wall < 5, "\(args) took \(r.wall) s")
    }
  }

  @Test("finding sparse-input-quarantine-amplification: an input rejected whole, or a record, above 64 MiB is referenced in the quarantine, not copied")
  func sparseInput() throws {
    let dir = makeTemporaryDirectory("sparse")
    defer { try? FileManager.default.removeItem(at: dir) }
    let size = (64 << 20) + 1
    func sparse(_ name: String) -> String {
      let path = dir.appendingPathComponent(name).path
      let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
      #expect(fd >= 0)
      #expect(ftruncate(fd, off_t(size)) == 0)  // no blocks on disk
      close(fd)
      return path
    }
    let q = dir.appendingPathComponent("q")
    // XML: rejected whole (xml.empty); JSON Lines: one 64 MiB line, a single quarantined record.
    for (name, code) in [("big.xml", Int32(65)), ("big.jsonl", 1)] {
      let runID = "r-" + name.replacingOccurrences(of: ".", with: "-")
      let r = try Self.run(["validate", sparse(name), "--quarantine", q.path, "--run-id", runID], seconds: 120)
      #expect(r.status == code, "\(name): \(r.stderr)")
      let run = q.appendingPathComponent(runID)
      let files = Self.entries(run)
      #expect(files.contains("000-big.rejected.ref.jsonl"), "\(name): \(files)")
      #expect(!files.contains { $0.hasPrefix("000-big.rejected.") && !$0.hasSuffix(".ref.jsonl") }, "\(name): \(files)")
      var total = 0
      for f in files {
        total += ((try? FileManager.default.attributesOfItem(atPath: run.appendingPathComponent(f).path)[.size]) as? Int) ?? 0
      }
      #expect(total < 64 << 10, "\(name): quarantine holds \(total) bytes")
      let lines = try parseJSONLines(readBytes(run.appendingPathComponent("000-big.rejected.ref.jsonl")))
      #expect(lines.count == 1)
      guard case .object(let o)? = lines.first else {
        Issue.record("\(name): the reference is not an object")
        continue
      }
      if case .number(let n)? = o["byteLength"] {
        #expect(n.description == String(size), "\(name)")
      } else {
        Issue.record("\(name): no byteLength in the reference")
      }
      #expect(o["inputSha256"] != nil && o["path"] != nil)
    }
    // Below the limit an input rejected whole is still copied verbatim.
    let small = try Self.run(["validate", sample("json/invalid/truncated.json"), "--quarantine", q.path, "--run-id", "r2"])
    #expect(small.status == 65)
    #expect(Self.entries(q.appendingPathComponent("r2")).contains("000-truncated.rejected.json"))
  }
}
