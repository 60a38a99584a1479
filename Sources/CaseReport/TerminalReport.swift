import CaseInterchange

/// The run report as aligned text for a terminal. Every input-derived string goes through the shared escaping
/// (`terminalEscaped`); colour (ANSI SGR) only when asked for — `casebridge report` asks when stdout is a terminal
/// and `NO_COLOR` is unset or empty.
public enum TerminalReport {
  /// Whether to colour output written to `fd`: a terminal, and `NO_COLOR` unset or empty.
  public static func wantsColour(isTerminal: Bool, noColor: String?) -> Bool {
    isTerminal && (noColor ?? "").isEmpty
  }

  public static func render(
    _ doc: ReportDocument, options: ReportRenderOptions = ReportRenderOptions(), colour: Bool = false,
    samples: DiagnosticSamples? = nil
  ) -> String {
    let filter = options.filter
    let (inputs, t, rules, samples) = ReportSelection.select(doc, options, samples)
    func c(_ code: String, _ s: String) -> String { colour ? "\u{1B}[\(code)m" + s + "\u{1B}[0m" : s }
    func sev(_ s: String, _ text: String) -> String {
      switch s {
      case "error": return c("31", text)
      case "warning": return c("33", text)
      default: return text
      }
    }
    var out: [String] = []
    let kind = doc.kind == .batch ? "batch run" : "run"
    out.append(c("1", "casebridge \(doc.command.shown) \(kind) \(doc.runID.shown)") + "  (casebridge \(doc.toolVersion.shown))")
    out.append("started \(doc.startedAt.shown)  finished \(doc.finishedAt.shown)")
    let verdict = "exit \(doc.exitCode): \(ExitCodeMeaning.meaning(doc.exitCode))"
    out.append(doc.exitCode == 0 ? c("32", verdict) : doc.exitCode == 1 ? c("33", verdict) : c("31", verdict))
    if let e = doc.error { out.append(c("31", "run error: ") + e.shown) }
    var f: [String] = []
    if let n = filter.input { f.append("input \(n)") }
    if let r = filter.rule { f.append("rule \(r.shown)") }
    if !f.isEmpty { out.append("filtered: " + f.joined(separator: ", ")) }
    out.append("")
    var totals = "totals: \(t.inputs) input\(t.inputs == 1 ? "" : "s"), \(t.read) read = \(t.accepted) accepted + \(t.quarantined) quarantined, \(t.ignored) ignored, \(t.warnings) warnings"
    if t.inserted != nil || t.updated != nil || t.unchanged != nil {
      totals += "; store: \(t.inserted ?? 0) inserted, \(t.updated ?? 0) updated, \(t.unchanged ?? 0) unchanged"
    }
    out.append(totals)

    out.append("")
    out.append(c("1", "inputs"))
    let header = ["#", "disposition", "read", "accepted", "quarantined", "ignored", "warnings", "format", doc.kind == .batch ? "name" : "path"]
    var rows: [[String]] = [header]
    for i in inputs {
      rows.append([
        "\(i.index)", i.disposition.shown, "\(i.read)", "\(i.accepted)", "\(i.quarantined)", "\(i.ignored)", "\(i.warnings)",
        (i.format ?? "-").shown, i.path.shown,
      ])
    }
    out += table(rows, rightAligned: [0, 2, 3, 4, 5, 6]).map { "  " + $0 }
    for i in inputs {
      if let r = i.errorRule {
        let loc = (i.errorLine.map { ":\($0)" } ?? "") + (i.errorColumn.map { ":\($0)" } ?? "")
        let label = i.disposition == "duplicate" ? "note" : c("31", "error")
        out.append("  " + label + ": " + "\(i.path)\(loc): \(i.errorMessage ?? "") [\(r)]".shown)
      }
    }
    if inputs.isEmpty { out.append("  (none)") }

    if !doc.skipped.isEmpty && filter.input == nil && filter.rule == nil {
      out.append("")
      out.append(c("1", "not taken"))
      out += table([["name", "reason"]] + doc.skipped.map { [$0.name.shown, $0.reason.shown] }, rightAligned: []).map { "  " + $0 }
    }

    out.append("")
    out.append(c("1", "findings by rule"))
    if rules.isEmpty {
      out.append("  (none)")
    } else {
      let top = Array(rules.prefix(options.topRules))
      let rows = [["rule", "findings", "severity", "summary"]] + top.map { [$0.id.shown, "\($0.count)", $0.severity, $0.summary] }
      let lines = table(rows, rightAligned: [1])
      out.append("  " + lines[0])
      for (n, r) in top.enumerated() {
        out.append("  " + sev(r.severity, lines[n + 1]))
        out.append("      what to do: " + r.advice)
      }
      if rules.count > top.count { out.append("  ...and \(rules.count - top.count) more rules") }
    }

    out.append("")
    out.append(c("1", "diagnostics (first \(options.diagnosticsPerRule) per rule)") + (doc.includeValues ? "" : "; values are shown only for runs with --include-values"))
    var any = false
    var byIndex: [Int: String] = [:]
    for i in doc.inputs { byIndex[i.index] = i.path }
    for r in rules {
      guard let list = samples.byRule[r.id], !list.isEmpty else { continue }
      any = true
      out.append("  " + sev(r.severity, r.id.shown) + " (\(list.count) of \(r.count))")
      for d in list {
        let loc = (byIndex[d.input] ?? "input \(d.input)") + (d.line.map { ":\($0)" } ?? "") + (d.column.map { ":\($0)" } ?? "")
        var line = "    " + loc.shown + ": " + d.severity.shown + ": " + d.message.shown
        if let field = d.field { line += " (field " + field.shown + ")" }
        if doc.includeValues, let v = d.value { line += " value: " + v.shown }
        out.append(line)
      }
    }
    if !any { out.append("  (none)") }
    if doc.kind == .run && !doc.hasQuarantine && rules.contains(where: { $0.count > 0 }) {
      out.append("  note: this run had no --quarantine; diagnostics are kept only with --quarantine DIR")
    }
    for n in samples.notes { out.append("  note: " + n.shown) }
    return out.joined(separator: "\n") + "\n"
  }

  /// Columns padded to their widest cell (by characters), numbers right-aligned.
  static func table(_ rows: [[String]], rightAligned: Set<Int>) -> [String] {
    guard let first = rows.first else { return [] }
    var widths = Array(repeating: 0, count: first.count)
    for r in rows { for (k, cell) in r.enumerated() where k < widths.count { widths[k] = max(widths[k], cell.count) } }
    return rows.map { r in
      r.enumerated().map { k, cell in
        let pad = String(repeating: " ", count: max(0, widths[k] - cell.count))
        if k == r.count - 1 && !rightAligned.contains(k) { return cell }
        return rightAligned.contains(k) ? pad + cell : cell + pad
      }.joined(separator: "  ")
    }
  }
}

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
