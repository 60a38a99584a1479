import CaseJSON
import CaseInterchange

/// One finding read back from a quarantine's `NNN-<basename>.diagnostics.jsonl`.
public struct DiagnosticSample: Sendable {
  public var input: Int
  public var rule: String
  public var severity: String
  public var line: Int?
  public var column: Int?
  public var record: Int?
  public var field: String?
  public var message: String
  /// Only when the run had `--include-values` (the report's configuration says so); otherwise always nil, even if
  /// the file holds one.
  public var value: String?
}

/// The first findings of each rule, read bounded from the quarantine files a report names.
public struct DiagnosticSamples: Sendable {
  /// Findings by rule, in file order, at most `perRule` each.
  public var byRule: [String: [DiagnosticSample]] = [:]
  /// Visible notes: a missing, unreadable, corrupt or truncated diagnostics file.
  public var notes: [String] = []
  /// Bytes read from diagnostics files.
  public var bytesRead = 0

  /// Reads the diagnostics files of the report's inputs: at most `perRule` findings per rule, at most
  /// `maxBytesPerFile` of each file and `maxBytesTotal` in all. Relative paths are taken from the current directory
  /// (where the run wrote them).
  public static func collect(
    _ doc: ReportDocument, inputs: [ReportDocument.Input]? = nil, rule: String? = nil, perRule: Int = 20,
    maxBytesPerFile: Int = 8 << 20, maxBytesTotal: Int = 64 << 20
  ) -> DiagnosticSamples {
    var out = DiagnosticSamples()
    guard perRule > 0 else { return out }
    let parser = JSONParser()
    let totals = doc.ruleTotals()
    /// Whether every rule this input has findings of is already listed as far as it will be.
    func saturated(_ input: ReportDocument.Input) -> Bool {
      let wanted = rule.map { [$0] } ?? Array(input.rules.keys)
      return wanted.allSatisfy { (out.byRule[$0]?.count ?? 0) >= min(perRule, totals[$0] ?? 0) }
    }
    for input in inputs ?? doc.inputs {
      if saturated(input) { continue }
      for path in input.quarantineFiles where path.hasSuffix(".diagnostics.jsonl") {
        let budget = min(maxBytesPerFile, maxBytesTotal - out.bytesRead)
        if budget <= 0 {
          out.notes.append("\(path): not read (the \(maxBytesTotal >> 20) MiB budget for diagnostics is spent)")
          continue
        }
        let read: (bytes: [UInt8], truncated: Bool)
        switch readBounded(path, limit: budget) {
        case .failure(let why):
          out.notes.append("\(path): \(why); its findings are not shown")
          continue
        case .success(let r): read = r
        }
        out.bytesRead += read.bytes.count
        var corrupt = 0
        var lineNumber = 0
        var start = 0
        let bytes = read.bytes
        // Complete lines only: a line cut by the byte budget is not a finding.
        while start < bytes.count {
          guard let nl = bytes[start...].firstIndex(of: 0x0A) else { break }
          lineNumber += 1
          defer { start = nl + 1 }
          if nl == start { continue }
          guard let v = try? parser.parse(Array(bytes[start..<nl])), case .object(let o) = v,
            let r = o["rule"]?.stringValue, let message = o["message"]?.stringValue
          else {
            corrupt += 1
            continue
          }
          if let rule, r != rule { continue }
          if out.byRule[r, default: []].count >= perRule { continue }
          out.byRule[r, default: []].append(DiagnosticSample(
            input: input.index, rule: r, severity: o["severity"]?.stringValue ?? "error",
            line: ReportDocument.int(o["line"]), column: ReportDocument.int(o["column"]),
            record: ReportDocument.int(o["record"]), field: o["field"]?.stringValue, message: message,
            value: doc.includeValues ? o["value"]?.stringValue : nil))
        }
        if corrupt > 0 { out.notes.append("\(path): \(corrupt) line\(corrupt == 1 ? "" : "s") not a diagnostic (corrupt); skipped") }
        if read.truncated || start < bytes.count {
          out.notes.append("\(path): read only the first \(start) bytes (limit \(budget)); later findings are not shown")
        }
      }
    }
    return out
  }
}
