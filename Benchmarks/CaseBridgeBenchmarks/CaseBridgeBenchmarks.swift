// Allocation gate (issue 6, "Keep it fast"): malloc calls of each conversion, run in-process through the same
// Pipeline the CLI runs, on the deterministic inputs that scripts/perf_gate.sh generates with scripts/gen_*.py.
//
// Each conversion runs on 1k and 10k records: the 10k figure is gated against Thresholds/ (checked in), and
// (m(10k) - m(1k)) / 9k is the steady-state allocations per record that scripts/perf_gate.sh prints.
// Run through scripts/perf_gate.sh (it makes the inputs first); see BENCHMARKS.md "Regression gates (CI)".

import Benchmark
import CaseBridge
import Foundation

/// One measured conversion.
struct Conversion: Sendable {
  /// Benchmark name prefix.
  var name: String
  var from: FormatID
  var to: FormatID
  /// The input file of `records` records in the inputs directory: <from>-<records>.<from>.
  func input(_ records: Int) -> String { "\(from.rawValue)-\(records).\(from.rawValue)" }
}

let conversions: [Conversion] = [
  Conversion(name: "csv-to-jsonl", from: .csv, to: .jsonl),
  Conversion(name: "jsonl-to-jsonl", from: .jsonl, to: .jsonl),
  Conversion(name: "xml-to-jsonl", from: .xml, to: .jsonl),
  Conversion(name: "jsonl-to-csv", from: .jsonl, to: .csv),
]

/// Record counts; thresholds are checked on every size, the per-record figure uses the two.
let sizes = [1_000, 10_000]

/// Where scripts/perf_gate.sh puts the inputs: $CASEBRIDGE_PERF_INPUTS, else <repo>/bench-out/perfgate/inputs.
let inputsDirectory: URL = {
  if let d = ProcessInfo.processInfo.environment["CASEBRIDGE_PERF_INPUTS"], !d.isEmpty {
    return URL(fileURLWithPath: d)
  }
  return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("bench-out/perfgate/inputs")
}()

/// Scratch directory for outputs, quarantine and reports; emptied before every measured run.
let scratch = FileManager.default.temporaryDirectory.appendingPathComponent(
  "casebridge-benchmarks-\(ProcessInfo.processInfo.processIdentifier)")

/// Options as `casebridge convert IN --from F --to T -o OUT --quarantine Q --report R` with a fixed run id and
/// "now" (so every run does the same work).
func options(_ c: Conversion, input: String) -> RunOptions {
  var o = RunOptions(command: "convert", inputs: [input])
  o.from = c.from
  o.to = c.to
  o.output = scratch.appendingPathComponent(c.to == .csv ? "out" : "out.\(c.to.rawValue)").path
  o.quarantineDirectory = scratch.appendingPathComponent("q").path
  o.reportPath = scratch.appendingPathComponent("report.json").path
  o.runID = "perfgate"
  o.now = Instant.parseUTC("2026-01-01T00:00:00Z")
  return o
}

/// Stops the benchmark run when a conversion did not do the whole job: fewer allocations because an input was
/// missing or rejected must not pass the gate as an improvement.
func check(_ report: RunReport, _ c: Conversion, records: Int, input: String) {
  let i = report.inputs.first
  guard let i, i.read == records, i.accepted + i.quarantined == i.read, i.accepted >= records * 99 / 100 else {
    fatalError(
      "\(c.name) \(records): expected \(records) records read and >= 99% accepted from \(input), got "
        + "read \(i?.read ?? -1), accepted \(i?.accepted ?? -1), quarantined \(i?.quarantined ?? -1) "
        + "(exit \(report.exitCode)\(report.error.map { ", " + $0 } ?? "")). Make the inputs with scripts/perf_gate.sh.")
  }
}

let benchmarks: @Sendable () -> Void = {
  // Allocation counts are deterministic for a given build: a tight tolerance (2 % of the 10k total, which is
  // mostly per-record work) fails a +10 % allocations/record regression. Improvements beyond it are reported
  // too (exit 4); scripts/perf_gate.sh passes them and asks for a re-record.
  Benchmark.defaultConfiguration = .init(
    metrics: [.mallocCountTotal],
    warmupIterations: 1,
    maxDuration: .seconds(10),
    maxIterations: 3,
    thresholds: [.mallocCountTotal: .init(relative: [.p90: 2.0])]
  )
  for c in conversions {
    for n in sizes {
      let input = inputsDirectory.appendingPathComponent(c.input(n)).path
      Benchmark("\(c.name).\(n / 1000)k") { benchmark in
        try? FileManager.default.removeItem(at: scratch)
        try? FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        let o = options(c, input: input)
        benchmark.startMeasurement()
        let report = Pipeline(options: o).run()
        benchmark.stopMeasurement()
        check(report, c, records: n, input: input)
      }
    }
  }
}
