import CaseInterchange
import CaseValidation
#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// What `casebridge report` (and the HTML page) shows of a report: one input, one rule, or everything.
public struct ReportFilter: Sendable {
  /// Only findings of this rule id: the inputs that have them, the rule's row and its diagnostics.
  public var rule: String?
  /// Only the input with this index (the `index` member; the quarantine's NNN).
  public var input: Int?
  public init(rule: String? = nil, input: Int? = nil) {
    self.rule = rule
    self.input = input
  }
}

/// Options of both renderings.
public struct ReportRenderOptions: Sendable {
  public var filter = ReportFilter()
  /// Diagnostics shown per rule (read from the quarantine's diagnostics files).
  public var diagnosticsPerRule = 20
  /// Rules in the bar chart and the rule table.
  public var topRules = 15
  public init() {}
}

extension ReportDocument {
  /// Refuses a filter that names nothing in the report: an input index it does not have, or a rule id that is
  /// neither in the report nor in the catalogue (exit 64, a usage error). A catalogue rule without findings is
  /// allowed (it shows zero).
  public func check(_ filter: ReportFilter) throws(ReportLoadError) {
    if let n = filter.input, !inputs.contains(where: { $0.index == n }) {
      let range = inputs.isEmpty ? "the report has no inputs" : "inputs are 0 to \(inputs.map(\.index).max()!)"
      throw ReportLoadError(message: "--input \(n): no such input in run \(runID) (\(range)) [usage]", exitCode: 64)
    }
    if let r = filter.rule, ruleTotals()[r] == nil, RuleCatalogue.descriptor(r) == nil {
      throw ReportLoadError(
        message: "--rule \(r): not a rule id of the catalogue and not in this report (`casebridge rules` lists them) [usage]",
        exitCode: 64)
    }
  }

  /// The inputs a filter keeps.
  public func selectedInputs(_ filter: ReportFilter) -> [Input] {
    inputs.filter { i in
      (filter.input == nil || i.index == filter.input) && (filter.rule == nil || (i.rules[filter.rule!] ?? 0) > 0)
    }
  }
}

/// What both renderings show of a report under a filter.
enum ReportSelection {
  static func select(_ doc: ReportDocument, _ options: ReportRenderOptions, _ samples: DiagnosticSamples?)
    -> (inputs: [ReportDocument.Input], totals: ReportTotals, rules: [RuleRow], samples: DiagnosticSamples)
  {
    let inputs = doc.selectedInputs(options.filter)
    let samples = samples ?? DiagnosticSamples.collect(doc, inputs: inputs, rule: options.filter.rule, perRule: options.diagnosticsPerRule)
    return (inputs, ReportTotals(inputs), RuleRow.rows(doc, inputs, options.filter), samples)
  }
}

/// Totals over some inputs (read = accepted + quarantined for every processed or rejected input).
public struct ReportTotals: Sendable, Equatable {
  public var inputs = 0, read = 0, accepted = 0, quarantined = 0, ignored = 0, warnings = 0
  public var inserted: Int?, updated: Int?, unchanged: Int?
  public init(_ inputs: [ReportDocument.Input]) {
    self.inputs = inputs.count
    for i in inputs {
      read += i.read
      accepted += i.accepted
      quarantined += i.quarantined
      ignored += i.ignored
      warnings += i.warnings
      if let n = i.inserted { inserted = (inserted ?? 0) + n }
      if let n = i.updated { updated = (updated ?? 0) + n }
      if let n = i.unchanged { unchanged = (unchanged ?? 0) + n }
    }
  }
}

/// A rule's row: count over the selected inputs, catalogue facts and advice.
public struct RuleRow: Sendable {
  public var id: String
  public var count: Int
  public var severity: String
  public var stage: String
  public var summary: String
  public var advice: String

  /// Rules of the selected inputs, most findings first (ties by id), limited to one rule by the filter.
  static func rows(_ doc: ReportDocument, _ inputs: [ReportDocument.Input], _ filter: ReportFilter) -> [RuleRow] {
    var totals = doc.ruleTotals(inputs)
    if let r = filter.rule { totals = [r: totals[r] ?? 0] }
    return totals.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.map { id, count in
      let d = RuleCatalogue.descriptor(id)
      return RuleRow(
        id: id, count: count, severity: d?.severity.rawValue ?? "unknown", stage: d?.stage.rawValue ?? "unknown",
        summary: d?.summary ?? "not in this build's rule catalogue", advice: RuleAdvice.advice(for: id))
    }
  }
}

extension String {
  /// Input-derived text made safe to show: controls, bidi controls and U+2028/9 as `\u{XXXX}` (the shared
  /// terminal escaping), and any combining mark fused onto `<`, `>`, `&`, `"` or `'` written the same way, so the
  /// character-by-character HTML escaping (which compares whole grapheme clusters) always sees those five alone.
  var shown: String {
    let t = terminalEscaped
    guard t.unicodeScalars.contains(where: { $0.value > 0x7F }) else { return t }
    var out = ""
    for c in t {
      let scalars = c.unicodeScalars
      if scalars.count > 1, let first = scalars.first, "<>&\"'".unicodeScalars.contains(first) {
        out.unicodeScalars.append(first)
        for u in scalars.dropFirst() { out += "\\u{" + String(u.value, radix: 16, uppercase: true) + "}" }
      } else {
        out.append(c)
      }
    }
    return out
  }
}

/// Paths for links in a page.
enum LinkPaths {
  /// The absolute path with symlinks resolved, for a path that exists; nil otherwise.
  static func resolved(_ path: String) -> String? {
    guard let r = realpath(path, nil) else { return nil }
    defer { free(r) }
    return String(cString: r)
  }

  /// A relative, percent-encoded href from a directory to an existing file, or nil (the file is missing, or a path
  /// cannot be resolved). Every byte outside `A-Z a-z 0-9 - . _ ~` is percent-encoded, so the href has no scheme,
  /// no query or fragment and no character that ends an attribute.
  static func href(fromDirectory dir: String?, to file: String) -> String? {
    guard let dir, let target = resolved(file) else { return nil }
    let from = dir.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
    let to = target.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
    var common = 0
    while common < from.count, common < to.count - 1, from[common] == to[common] { common += 1 }
    let up = Array(repeating: "..", count: from.count - common)
    let down = to[common...].map(percentEncoded)
    let parts = up + down
    return parts.isEmpty ? nil : parts.joined(separator: "/")
  }

  static func percentEncoded(_ segment: String) -> String {
    var out = ""
    for b in segment.utf8 {
      switch b {
      case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
        UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
        out.unicodeScalars.append(Unicode.Scalar(b))
      default:
        let hex = Array("0123456789ABCDEF".utf8)
        out += "%" + String(decoding: [hex[Int(b >> 4)], hex[Int(b & 15)]], as: UTF8.self)
      }
    }
    return out
  }

  /// The directory an output file will be in, resolved: its nearest existing ancestor with symlinks resolved, then
  /// the rest of the path (the write creates those directories). Nil when nothing of it resolves.
  static func directory(of file: String) -> String? {
    var parts = file.split(separator: "/", omittingEmptySubsequences: true).map(String.init).dropLast()
    var rest: [String] = []
    while true {
      let candidate = file.hasPrefix("/") ? "/" + parts.joined(separator: "/") : (parts.isEmpty ? "." : parts.joined(separator: "/"))
      if let r = resolved(candidate) {
        var out = r == "/" ? [] : r.split(separator: "/").map(String.init)
        for c in rest.reversed() {
          if c == "." { continue }
          if c == ".." { if !out.isEmpty { out.removeLast() } } else { out.append(c) }
        }
        return "/" + out.joined(separator: "/")
      }
      guard let last = parts.popLast() else { return nil }
      rest.append(last)
    }
  }

}
