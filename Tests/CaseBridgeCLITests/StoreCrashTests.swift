import CaseBridge
import CaseTestSupport
import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// Crash safety of `import`: one transaction per input, so a `kill -9` at any moment leaves the store as if the
/// interrupted input had never been started, and finishing the drop afterwards gives the same store as one clean run.
@Suite(.serialized) struct StoreCrashTests {
  static let kills = 20

  /// A drop of generated CSVs (default profile, a few bad rows each) plus unprofiled Samples/incoming files.
  static func makeDrop(_ dir: URL, rows: Int) throws -> String {
    let drop = dir.appendingPathComponent("drop").path
    try FileManager.default.createDirectory(atPath: drop, withIntermediateDirectories: true)
    for seed in 1...6 {
      let p = Process()
      p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
      p.arguments = ["python3", Repo.root.appendingPathComponent("scripts/gen_csv.py").path, "--rows", String(rows), "--seed", String(seed), "-o", drop + "/gen-\(seed).csv"]
      p.standardOutput = FileHandle.nullDevice
      p.standardError = FileHandle.nullDevice
      try p.run()
      p.waitUntilExit()
      #expect(p.terminationStatus == 0, "scripts/gen_csv.py (python3) is needed")
    }
    for f in ["cybertip-2024-11.json", "hilltop-pd-case-0303.xml", "lakeside-pd-case-0101.jsonl", "riverside-so-bundle.json"] {
      try FileManager.default.copyItem(atPath: StoreE2E.incoming + "/" + f, toPath: drop + "/" + f)
    }
    return drop
  }

  /// Starts `casebridge import DROP --store STORE`, kills it with SIGKILL after `delay` seconds (unless it ended
  /// first); true when the kill landed.
  /// The byte size of every input of the drop, by file name (as `processed_inputs.name` has it).
  static func inputSizes(_ drop: String) throws -> [String: Int] {
    var sizes: [String: Int] = [:]
    for name in try FileManager.default.contentsOfDirectory(atPath: drop) where !name.hasPrefix(".") {
      let a = try FileManager.default.attributesOfItem(atPath: drop + "/" + name)
      sizes[name] = (a[.size] as? Int) ?? 0
    }
    return sizes
  }

  static func importKilled(_ binary: URL, drop: String, store: String, after delay: Double) throws -> Bool {
    let p = Process()
    p.executableURL = binary
    p.arguments = ["import", drop, "--store", store, "--now", "2026-01-01T00:00:00Z"]
    p.standardOutput = FileHandle.nullDevice
    p.standardError = FileHandle.nullDevice
    try p.run()
    // Sleep in short steps so a run that ends before its delay does not cost the rest of it.
    let deadline = Date().addingTimeInterval(delay)
    while p.isRunning {
      let left = deadline.timeIntervalSinceNow
      if left <= 0 { break }
      usleep(useconds_t(min(left, 0.005) * 1_000_000))
    }
    let killed = p.isRunning && kill(p.processIdentifier, SIGKILL) == 0
    p.waitUntilExit()
    return killed && p.terminationReason == .uncaughtSignal
  }

  @Test("20 kill -9 during imports of one drop, then one full import: the same store as one clean run")
  func killedImportsLeaveNoTrace() throws {
    let binary = CaseBridgeBinary.preferRelease
    let dir = makeTemporaryDirectory("e2e-crash")
    defer { try? FileManager.default.removeItem(at: dir) }
    let rows = Int(ProcessInfo.processInfo.environment["CASEBRIDGE_CRASH_ROWS"] ?? "") ?? 1500
    let drop = try Self.makeDrop(dir, rows: rows)
    let storeA = dir.appendingPathComponent("a.sqlite").path
    let storeB = dir.appendingPathComponent("b.sqlite").path

    let started = Date()
    let clean = try StoreE2E.cli(["import", drop, "--store", storeA, "--now", "2026-01-01T00:00:00Z"], binary: binary, seconds: 600)
    let t = Date().timeIntervalSince(started)
    #expect(clean.status == 1, "\(clean.stderr)")  // the generated CSVs and the samples carry bad records
    print("StoreCrashTests: clean import of \(rows)-row CSVs x6 + 4 samples took \(String(format: "%.2f", t)) s with \(binary.path)")

    // Each run resumes where the last one committed (committed inputs are `duplicate`), so each delay is a fraction
    // of the time the run still has to go, estimated from the bytes of the inputs not yet committed; the fractions
    // are spread over (0, 0.9). Attempts go on until 20 kills have landed (a run that ends before its kill adds
    // nothing and is retried with the next fraction).
    let sizes = try Self.inputSizes(drop)
    let total = Double(sizes.values.reduce(0, +))
    var afterFirstCommit = 0
    var landed = 0
    var seen: [String] = []
    var attempt = 0
    while landed < Self.kills && attempt < 3 * Self.kills {
      let committedNames = FileManager.default.fileExists(atPath: storeB)
        ? try StoreE2E.rows(storeB, "SELECT name FROM processed_inputs").compactMap(\.first) : []
      let left = Double(sizes.filter { !committedNames.contains($0.key) }.values.reduce(0, +))
      if left == 0 { break }  // everything committed: no run is long enough to kill any more
      let fraction = 0.9 * (Double((attempt * 7) % Self.kills) + 0.5) / Double(Self.kills)
      let delay = t * left / total * fraction
      attempt += 1
      let killed = try Self.importKilled(binary, drop: drop, store: storeB, after: delay)
      let committed = FileManager.default.fileExists(atPath: storeB) ? try StoreE2E.count(storeB, "SELECT COUNT(*) FROM processed_inputs") : 0
      seen.append("\(committed)\(killed ? "k" : "")")
      if killed {
        landed += 1
        if committed > 0 { afterFirstCommit += 1 }
        // The file stays a sound database after every kill, and nothing of an uncommitted input is in it.
        if committed > 0 {
          #expect(try StoreE2E.rows(storeB, "PRAGMA integrity_check") == [["ok"]])
          for table in ["entity_versions", "entity_sightings", "identifiers", "quarantine"] {
            let orphans = try StoreE2E.count(storeB, "SELECT COUNT(*) FROM \(table) WHERE input_sha256 NOT IN (SELECT input_sha256 FROM processed_inputs)")
            #expect(orphans == 0, "kill \(landed): \(orphans) \(table) rows of an uncommitted input")
          }
        }
      }
    }
    #expect(landed >= Self.kills, "only \(landed) of \(attempt) kills landed: \(seen)")
    print("StoreCrashTests: \(landed) kills landed; processed_inputs after each run (k: killed): \(seen)")
    #expect(afterFirstCommit >= 5, "only \(afterFirstCommit) kills landed after the first commit: \(seen)")

    let finish = try StoreE2E.cli(["import", drop, "--store", storeB, "--now", "2026-01-01T00:00:00Z"], binary: binary, seconds: 600)
    #expect(finish.status == 0 || finish.status == 1, "\(finish.stderr)")

    let a = try StoreE2E.export(storeA, to: dir.appendingPathComponent("a.jsonl").path, binary: binary)
    let b = try StoreE2E.export(storeB, to: dir.appendingPathComponent("b.jsonl").path, binary: binary)
    #expect(!a.isEmpty && a == b, "the killed-and-finished store exports differently from the clean one (\(a.count) vs \(b.count) bytes)")
    let pi = "SELECT input_sha256, profile_sha256, name, read, accepted, quarantined, ignored, inserted, updated, unchanged FROM processed_inputs ORDER BY input_sha256"
    let rowsA = try StoreE2E.rows(storeA, pi)
    #expect(rowsA.count == 10)  // one row per input
    #expect(rowsA == (try StoreE2E.rows(storeB, pi)))
    let q = "SELECT input_sha256, COUNT(*) FROM quarantine GROUP BY input_sha256 ORDER BY input_sha256"
    #expect(try StoreE2E.rows(storeA, q) == (try StoreE2E.rows(storeB, q)))
    for t in ["entity_versions", "entity_sightings", "identifiers", "entity_cases", "cases", "quarantine"] {
      #expect(try StoreE2E.count(storeA, "SELECT COUNT(*) FROM \(t)") == (try StoreE2E.count(storeB, "SELECT COUNT(*) FROM \(t)")), "\(t)")
    }
    #expect(try StoreE2E.rows(storeB, "PRAGMA integrity_check") == [["ok"]])
  }
}
