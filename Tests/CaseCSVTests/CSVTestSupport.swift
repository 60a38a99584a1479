import CaseCSV
import CaseInterchange
import Foundation
import Testing

/// A per-process scratch directory for the test inputs (ChunkedFile reads real files).
enum Scratch {
  static let directory: URL = {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent(
      "casecsv-tests-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)")
    try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }()

  static func write(_ bytes: [UInt8]) -> String {
    let url = directory.appendingPathComponent(UUID().uuidString + ".csv")
    try! Data(bytes).write(to: url)
    return url.path
  }
}

/// What a test input tokenizes to.
struct Tokenized {
  var events: [CSVEvent] = []
  var error: FormatError?
  var encoding: TextEncoding = .utf8
  var headerNames: [String]?

  var rows: [CSVRow] {
    events.compactMap { if case .row(let r) = $0 { r } else { nil } }
  }
  var values: [[String]] { rows.map(\.values) }
  var header: CSVRow? {
    for e in events { if case .header(let r) = e { return r } }
    return nil
  }
  var rejected: [(index: Int, byteOffset: Int, byteLength: Int, line: Int, diagnostics: [Diagnostic])] {
    events.compactMap {
      if case .rejected(let i, let o, let l, let line, let d) = $0 { (i, o, l, line, d) } else { nil }
    }
  }
  var blanks: [(byteOffset: Int, byteLength: Int, line: Int)] {
    events.compactMap { if case .blank(let o, let l, let line) = $0 { (o, l, line) } else { nil } }
  }
  /// The first diagnostic of the only rejected record.
  var onlyDiagnostic: Diagnostic? {
    let r = rejected
    guard r.count == 1, r[0].diagnostics.count == 1 else { return nil }
    return r[0].diagnostics[0]
  }
}

func tokenize(_ bytes: [UInt8], dialect: CSVDialect = CSVDialect(), chunkSize: Int = 1 << 20) -> Tokenized {
  let path = Scratch.write(bytes)
  defer { try? FileManager.default.removeItem(atPath: path) }
  var out = Tokenized()
  do {
    let file = try ChunkedFile(path: path, chunkSize: chunkSize)
    var tokenizer = try CSVTokenizer(file: file, sourceName: "test.csv", dialect: dialect)
    do {
      while let e = try tokenizer.next() { out.events.append(e) }
    } catch {
      out.error = error
      // A failed tokenizer keeps failing with the same error.
      do {
        _ = try tokenizer.next()
        Issue.record("next() after a FormatError did not throw")
      } catch { #expect(error.rule == out.error?.rule) }
    }
    out.encoding = tokenizer.encoding
    out.headerNames = tokenizer.headerNames
  } catch {
    out.error = error
  }
  return out
}

func tokenize(_ text: String, dialect: CSVDialect = CSVDialect(), chunkSize: Int = 1 << 20) -> Tokenized {
  tokenize(Array(text.utf8), dialect: dialect, chunkSize: chunkSize)
}

func dialect(_ edit: (inout CSVDialect) -> Void) -> CSVDialect {
  var d = CSVDialect()
  edit(&d)
  return d
}

/// Checks a diagnostic's rule and exact location.
func expectDiagnostic(
  _ d: Diagnostic?, rule: String, line: Int, column: Int, byteOffset: Int, record: Int?,
  sourceLocation: Testing.SourceLocation = #_sourceLocation
) {
  guard let d else {
    Issue.record("no diagnostic (expected \(rule))", sourceLocation: sourceLocation)
    return
  }
  #expect(d.rule == rule, sourceLocation: sourceLocation)
  #expect(d.severity == .error, sourceLocation: sourceLocation)
  #expect(d.location.line == line, "line", sourceLocation: sourceLocation)
  #expect(d.location.column == column, "column", sourceLocation: sourceLocation)
  #expect(d.location.byteOffset == byteOffset, "byteOffset", sourceLocation: sourceLocation)
  #expect(d.location.record == record, "record", sourceLocation: sourceLocation)
  #expect(d.location.source == "test.csv", sourceLocation: sourceLocation)
  #expect(d.message.contains("line \(line)"), "message names the line: \(d.message)", sourceLocation: sourceLocation)
}

/// Checks that the events' spans tile `0..<count` exactly.
func expectTiling(_ events: [CSVEvent], count: Int, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
  var at = 0
  for e in events {
    let (o, l) = e.span
    #expect(o == at, "gap or overlap at \(at) (event starts at \(o))", sourceLocation: sourceLocation)
    #expect(l > 0, "empty span at \(o)", sourceLocation: sourceLocation)
    at = o + l
  }
  #expect(at == count, "spans end at \(at), input has \(count) bytes", sourceLocation: sourceLocation)
}

/// UTF-16 bytes of a string.
func utf16Bytes(_ s: String, bigEndian: Bool, bom: Bool) -> [UInt8] {
  var out: [UInt8] = []
  if bom { out += bigEndian ? [0xFE, 0xFF] : [0xFF, 0xFE] }
  for u in s.utf16 {
    let hi = UInt8(u >> 8)
    let lo = UInt8(u & 0xFF)
    out += bigEndian ? [hi, lo] : [lo, hi]
  }
  return out
}

/// SplitMix64: a small, seeded, reproducible generator.
struct SplitMix64: RandomNumberGenerator {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}
