import CaseInterchange
public import CaseJSON
public import CasePipeline
import Mustache

/// The run report as one self-contained HTML page: inline CSS only (a `<style>` block), no scripts, no fonts,
/// images or links other than relative links to the run's quarantine files, and a Content-Security-Policy meta
/// element (`default-src 'none'; style-src 'unsafe-inline'`), so it works offline and from a mail attachment.
///
/// Rendered with a Mustache template whose every tag is the escaping `{{name}}` form (the template has no `{{{` or
/// `{{&`): Mustache replaces `<`, `>`, `&`, `"` and `'`. Every string that came from an input, a path or the
/// report also goes through `String.shown` first (controls, bidi controls and U+2028/9 as `\u{XXXX}`). Values from
/// diagnostics appear only when the run had `--include-values`.
public enum HTMLReport {
  /// Renders the page. `htmlPath` is where it will be written: links to quarantine files are relative to its
  /// directory (and left out when that directory or the file does not exist).
  public static func render(
    _ doc: ReportDocument, htmlPath: String?, options: ReportRenderOptions = ReportRenderOptions(),
    samples: DiagnosticSamples? = nil
  ) -> String {
    let filter = options.filter
    let (inputs, t, rules, samples) = ReportSelection.select(doc, options, samples)
    let dir = htmlPath.flatMap { LinkPaths.directory(of: $0) }
    var inputByIndex: [Int: ReportDocument.Input] = [:]
    for i in doc.inputs { inputByIndex[i.index] = i }

    func file(_ path: String) -> [String: Any] {
      let href = LinkPaths.href(fromDirectory: dir, to: path)
      return ["name": baseName(path).shown, "href": href ?? "", "hasHref": href != nil, "missing": href == nil && dir != nil]
    }
    func num(_ n: Int?) -> String { n.map(String.init) ?? "–" }

    let inputRows: [[String: Any]] = inputs.map { i in
      let err = i.errorRule.map { r in
        (i.errorLine.map { ":\($0)" } ?? "") + (i.errorColumn.map { ":\($0)" } ?? "") + " " + (i.errorMessage ?? "") + " [\(r)]"
      }
      return [
        "index": i.index, "path": i.path.shown, "format": (i.format ?? "–").shown, "profile": (i.profile ?? "–").shown,
        "disposition": i.disposition.shown, "dispClass": dispositionClass(i.disposition),
        "read": i.read, "accepted": i.accepted, "quarantined": i.quarantined, "ignored": i.ignored,
        "warnings": i.warnings, "error": (err ?? "").shown, "hasError": err != nil,
        "errorClass": i.disposition == "duplicate" ? "muted" : "bad",
        "files": i.quarantineFiles.map(file), "hasFiles": !i.quarantineFiles.isEmpty,
        "movedTo": (i.movedTo ?? "").shown, "hasMovedTo": i.movedTo != nil,
      ]
    }

    let top = Array(rules.prefix(options.topRules))
    let maxCount = max(top.map(\.count).max() ?? 1, 1)
    let barArea = 360, labelWidth = 300, rowHeight = 22
    let bars: [[String: Any]] = top.enumerated().map { n, r in
      let w = r.count == 0 ? 0 : max(2, r.count * barArea / maxCount)
      return [
        "y": n * rowHeight + 4, "textY": n * rowHeight + 17, "barWidth": w, "countX": labelWidth + w + 6,
        "label": r.id.shown, "count": r.count, "cls": severityClass(r.severity),
      ]
    }
    let ruleRows: [[String: Any]] = top.map { r in
      ["id": r.id.shown, "count": r.count, "severity": r.severity.shown, "stage": r.stage.shown,
       "summary": r.summary.shown, "advice": r.advice.shown, "cls": severityClass(r.severity)]
    }
    let moreRules = rules.count - top.count

    let diagRules: [[String: Any]] = rules.compactMap { r in
      guard let list = samples.byRule[r.id], !list.isEmpty else { return nil }
      let diags: [[String: Any]] = list.map { d in
        let input = inputByIndex[d.input]
        let path = input?.path ?? "input \(d.input)"
        let location = path + (d.line.map { ":\($0)" } ?? "") + (d.column.map { ":\($0)" } ?? "")
        let rejected = input?.quarantineFiles.first { $0.contains(".rejected.") }
        let diagnostics = input?.quarantineFiles.first { $0.hasSuffix(".diagnostics.jsonl") }
        let rejHref = rejected.flatMap { LinkPaths.href(fromDirectory: dir, to: $0) }
        let diagHref = diagnostics.flatMap { LinkPaths.href(fromDirectory: dir, to: $0) }
        let value = doc.includeValues ? d.value : nil
        return [
          "input": d.input, "location": location.shown, "record": d.record.map(String.init) ?? "–",
          "field": (d.field ?? "–").shown, "severity": d.severity.shown, "message": d.message.shown,
          "hasValue": value != nil, "value": (value ?? "").shown,
          "rejectedHref": rejHref ?? "", "hasRejected": rejHref != nil,
          "diagHref": diagHref ?? "", "hasDiag": diagHref != nil,
        ]
      }
      return [
        "id": r.id.shown, "count": r.count, "shown": diags.count, "diags": diags,
        "more": max(0, r.count - diags.count), "hasMore": r.count > diags.count,
      ]
    }

    var notes = samples.notes.map { ["text": $0.shown] }
    let anyFindings = !rules.isEmpty && rules.contains { $0.count > 0 }
    if doc.kind == .run && !doc.hasQuarantine && anyFindings {
      notes.append(["text": "This run had no --quarantine: the rejected records and their diagnostics are kept only with --quarantine DIR, so none are listed here. The counts above are complete."])
    }
    if doc.kind == .batch, doc.batchQuarantine == nil, anyFindings {
      notes.append(["text": "The batch configuration names no quarantine directory: diagnostics cannot be listed."])
    }

    var filterText = ""
    if let n = filter.input { filterText += "input \(n)" }
    if let r = filter.rule { filterText += (filterText.isEmpty ? "" : ", ") + "rule \(r)" }

    let verdict = doc.exitCode == 0 ? "ok" : doc.exitCode == 1 ? "warn" : "bad"
    let context: [String: Any] = [
      "runID": doc.runID.shown, "command": doc.command.shown, "kindLabel": doc.kind == .batch ? "Batch run" : "Run",
      "tool": "casebridge " + doc.toolVersion.shown, "startedAt": doc.startedAt.shown, "finishedAt": doc.finishedAt.shown,
      "exitCode": doc.exitCode, "exitMeaning": ExitCodeMeaning.meaning(doc.exitCode), "verdict": verdict,
      "error": (doc.error ?? "").shown, "hasError": doc.error != nil,
      "includeValues": doc.includeValues,
      "filter": filterText.shown, "hasFilter": !filterText.isEmpty,
      "t": [
        "inputs": t.inputs, "read": t.read, "accepted": t.accepted, "quarantined": t.quarantined, "ignored": t.ignored,
        "warnings": t.warnings, "hasStore": t.inserted != nil || t.updated != nil || t.unchanged != nil,
        "inserted": num(t.inserted), "updated": num(t.updated), "unchanged": num(t.unchanged),
      ] as [String: Any],
      "inputs": inputRows, "hasInputs": !inputRows.isEmpty,
      "chartHeight": max(1, top.count) * rowHeight + 8, "chartWidth": labelWidth + barArea + 80, "labelX": labelWidth - 8,
      "barX": labelWidth, "bars": bars, "hasBars": !bars.isEmpty,
      "rules": ruleRows, "hasRules": !ruleRows.isEmpty, "moreRules": moreRules, "hasMoreRules": moreRules > 0,
      "diagRules": diagRules, "hasDiagRules": !diagRules.isEmpty, "perRule": options.diagnosticsPerRule,
      "notes": notes, "hasNotes": !notes.isEmpty,
      "skipped": doc.skipped.map { ["name": $0.name.shown, "reason": $0.reason.shown] }, "hasSkipped": !doc.skipped.isEmpty,
      "outputs": doc.outputs.map { ["path": $0.path.shown, "format": $0.format.shown, "entities": $0.entities] as [String: Any] },
      "hasOutputs": !doc.outputs.isEmpty,
    ]
    return template.render(context)
  }

  static func severityClass(_ s: String) -> String {
    switch s {
    case "error": return "err"
    case "warning": return "warn"
    case "info": return "info"
    default: return "unk"
    }
  }

  static func dispositionClass(_ d: String) -> String {
    switch d {
    case "processed": return "ok"
    case "duplicate", "skipped": return "muted"
    default: return "bad"
    }
  }

  static func baseName(_ p: String) -> String { p.split(separator: "/").last.map(String.init) ?? p }

  /// The template, parsed once. Only `{{name}}` tags (HTML-escaped); a test asserts there is no `{{{` or `{{&`.
  static let template: MustacheTemplate = {
    do {
      return try MustacheTemplate(string: templateSource)
    } catch {
      fatalError("the built-in HTML report template does not parse")
    }
  }()

  static let templateSource = #"""
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>CaseBridge {{command}} {{runID}}: exit {{exitCode}}</title>
<style>
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:1.5em auto;max-width:72em;padding:0 1em;color:#1b1f24;background:#fff}
h1{font-size:1.4em;margin:0 0 .3em}h2{font-size:1.15em;margin:1.6em 0 .5em;border-bottom:1px solid #d0d7de;padding-bottom:.2em}
h3{font-size:1em;margin:1.2em 0 .3em}
table{border-collapse:collapse;width:100%;margin:.3em 0}th,td{border:1px solid #d0d7de;padding:.25em .5em;text-align:left;vertical-align:top}
th{background:#f3f5f7}td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
code,.mono{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.92em;overflow-wrap:anywhere}
td.rule-id{white-space:nowrap}td.input-path{min-width:16em}
.verdict{padding:.6em .8em;border-radius:4px;margin:.6em 0;font-weight:600}
.verdict.ok{background:#dafbe1;border:1px solid #4ac26b}.verdict.warn{background:#fff8c5;border:1px solid #d4a72c}.verdict.bad{background:#ffebe9;border:1px solid #ff8182}
.totals{display:flex;flex-wrap:wrap;gap:.6em;margin:.6em 0}.totals div{border:1px solid #d0d7de;border-radius:4px;padding:.3em .7em;min-width:7em}
.totals b{display:block;font-size:1.3em}
.note{background:#f6f8fa;border-left:4px solid #8c959f;padding:.4em .7em;margin:.4em 0}
.err{color:#a40e26}.warn{color:#7d4e00}.info{color:#0550ae}.unk{color:#57606a}.muted{color:#57606a}.ok{color:#116329}.bad{color:#a40e26}
svg .bar.err{fill:#cf222e}svg .bar.warn{fill:#d4a72c}svg .bar.info{fill:#218bff}svg .bar.unk{fill:#8c959f}
svg text{font:12px ui-monospace,Menlo,Consolas,monospace;fill:#1b1f24}
.value{background:#fff8c5}
footer{margin-top:2em;color:#57606a;font-size:.9em}
@media print{a{color:inherit}}
</style>
</head>
<body>
<header>
<h1>{{kindLabel}} <span class="mono" id="run-id">{{runID}}</span> — <span id="command">{{command}}</span></h1>
<p>{{tool}} · started {{startedAt}} · finished {{finishedAt}}{{#hasFilter}} · <b>filtered: {{filter}}</b>{{/hasFilter}}</p>
<div class="verdict {{verdict}}" id="verdict">Exit <span id="exit-code">{{exitCode}}</span>: {{exitMeaning}}</div>
{{#hasError}}<div class="note bad" id="run-error">Run error: <span class="mono">{{error}}</span></div>{{/hasError}}
</header>
{{#t}}
<section id="totals">
<h2>Summary</h2>
<div class="totals">
<div>inputs<b id="total-inputs">{{inputs}}</b></div>
<div>read<b id="total-read">{{read}}</b></div>
<div>accepted<b id="total-accepted">{{accepted}}</b></div>
<div>quarantined<b id="total-quarantined">{{quarantined}}</b></div>
<div>ignored<b id="total-ignored">{{ignored}}</b></div>
<div>warnings<b id="total-warnings">{{warnings}}</b></div>
{{#hasStore}}<div>store<b>{{inserted}} / {{updated}} / {{unchanged}}</b>inserted / updated / unchanged</div>{{/hasStore}}
</div>
<p>Every record read is either accepted or quarantined: read = accepted + quarantined, per input and in total.</p>
</section>
{{/t}}
{{#hasNotes}}<section id="notes">{{#notes}}<p class="note">{{text}}</p>{{/notes}}</section>{{/hasNotes}}
<section id="inputs">
<h2>Inputs</h2>
{{#hasInputs}}
<table>
<thead><tr><th class="n">#</th><th>input</th><th>format</th><th>profile</th><th>disposition</th><th class="n">read</th><th class="n">accepted</th><th class="n">quarantined</th><th class="n">ignored</th><th class="n">warnings</th><th>quarantine files</th></tr></thead>
<tbody>
{{#inputs}}
<tr class="input-row">
<td class="n">{{index}}</td><td class="mono input-path">{{path}}{{#hasError}}<br><span class="{{errorClass}} input-error">{{error}}</span>{{/hasError}}{{#hasMovedTo}}<br><span class="muted">moved to {{movedTo}}</span>{{/hasMovedTo}}</td>
<td>{{format}}</td><td class="mono">{{profile}}</td><td class="{{dispClass}}">{{disposition}}</td>
<td class="n input-read">{{read}}</td><td class="n input-accepted">{{accepted}}</td><td class="n input-quarantined">{{quarantined}}</td><td class="n">{{ignored}}</td><td class="n">{{warnings}}</td>
<td>{{#files}}{{#hasHref}}<a class="qfile" href="{{href}}">{{name}}</a><br>{{/hasHref}}{{^hasHref}}<span class="mono">{{name}}</span>{{#missing}} <span class="muted">(missing)</span>{{/missing}}<br>{{/hasHref}}{{/files}}{{^hasFiles}}–{{/hasFiles}}</td>
</tr>
{{/inputs}}
</tbody>
</table>
{{/hasInputs}}
{{^hasInputs}}<p>No inputs{{#hasFilter}} match the filter{{/hasFilter}}.</p>{{/hasInputs}}
</section>
{{#hasSkipped}}
<section id="skipped">
<h2>Inbox entries not taken</h2>
<table><thead><tr><th>name</th><th>reason</th></tr></thead><tbody>
{{#skipped}}<tr><td class="mono">{{name}}</td><td>{{reason}}</td></tr>{{/skipped}}
</tbody></table>
</section>
{{/hasSkipped}}
{{#hasOutputs}}
<section id="outputs">
<h2>Outputs</h2>
<table><thead><tr><th>path</th><th>format</th><th class="n">entities</th></tr></thead><tbody>
{{#outputs}}<tr><td class="mono">{{path}}</td><td>{{format}}</td><td class="n">{{entities}}</td></tr>{{/outputs}}
</tbody></table>
</section>
{{/hasOutputs}}
<section id="rules">
<h2>Findings by rule</h2>
{{#hasBars}}
<svg width="{{chartWidth}}" height="{{chartHeight}}" role="img" aria-label="Findings by rule">
{{#bars}}<text x="{{labelX}}" y="{{textY}}" text-anchor="end">{{label}}</text><rect class="bar {{cls}}" x="{{barX}}" y="{{y}}" width="{{barWidth}}" height="16"></rect><text x="{{countX}}" y="{{textY}}">{{count}}</text>
{{/bars}}
</svg>
<p class="muted">Bars: findings (errors quarantine their record; warnings and infos do not), coloured by the rule's severity.</p>
<table id="rule-table">
<thead><tr><th>rule</th><th class="n">findings</th><th>severity</th><th>stage</th><th>what it means</th><th>what to do</th></tr></thead>
<tbody>
{{#rules}}<tr class="rule-row"><td class="mono rule-id">{{id}}</td><td class="n rule-count">{{count}}</td><td class="{{cls}}">{{severity}}</td><td>{{stage}}</td><td>{{summary}}</td><td>{{advice}}</td></tr>
{{/rules}}
</tbody>
</table>
{{#hasMoreRules}}<p>…and {{moreRules}} more rules (see the JSON report, or <code>casebridge report --rule ID</code>).</p>{{/hasMoreRules}}
{{/hasBars}}
{{^hasBars}}<p>No findings.</p>{{/hasBars}}
</section>
<section id="diagnostics">
<h2>Diagnostics (first {{perRule}} per rule)</h2>
{{^includeValues}}<p class="muted">Values are not shown: the run did not have --include-values.</p>{{/includeValues}}
{{#diagRules}}
<h3><code>{{id}}</code> — {{shown}} of {{count}}</h3>
<table class="diag-table">
<thead><tr><th>location</th><th class="n">record</th><th>field</th><th>severity</th><th>message</th>{{#includeValues}}<th>value</th>{{/includeValues}}<th>quarantine</th></tr></thead>
<tbody>
{{#diags}}<tr class="diag-row"><td class="mono">{{location}}</td><td class="n">{{record}}</td><td class="mono">{{field}}</td><td>{{severity}}</td><td>{{message}}</td>{{#includeValues}}<td class="mono value">{{#hasValue}}{{value}}{{/hasValue}}</td>{{/includeValues}}<td>{{#hasRejected}}<a class="rejected-link" href="{{rejectedHref}}">rejected</a> {{/hasRejected}}{{#hasDiag}}<a class="diagnostics-link" href="{{diagHref}}">diagnostics</a>{{/hasDiag}}</td></tr>
{{/diags}}
</tbody>
</table>
{{#hasMore}}<p class="muted">{{more}} more in the diagnostics file.</p>{{/hasMore}}
{{/diagRules}}
{{^hasDiagRules}}<p>No diagnostics to list.</p>{{/hasDiagRules}}
</section>
<footer>Generated by CaseBridge from the run's JSON report. This page has no scripts and loads nothing from the network; links open the run's quarantine files.</footer>
</body>
</html>
"""#
}

extension HTMLReport {
  /// The page of a run that just finished, rendered from its canonical JSON (`RunReport.json`), as written by
  /// `--report-html` (`Pipeline.renderHTMLReport`).
  public static func page(run report: RunReport, path: String) -> [UInt8] {
    page(json: report.json, path: path)
  }

  /// The page of a run or batch report's canonical JSON (batch: `REPORTS/<run-id>.html`, `BatchRunner.renderHTML`).
  public static func page(json: JSONValue, path: String) -> [UInt8] {
    do {
      var doc = try ReportDocument.parse(json)
      if doc.kind == .batch { doc.attachBatchQuarantine() }
      return Array(render(doc, htmlPath: path).utf8)
    } catch {
      // Not reachable for reports this build writes; a page that says so rather than none.
      return Array(errorPage(error.message).utf8)
    }
  }

  static func errorPage(_ message: String) -> String {
    let t = (try? MustacheTemplate(string: "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'\"><title>CaseBridge report</title></head><body><p>{{m}}</p></body></html>"))
    return t?.render(["m": message.shown]) ?? ""
  }
}
