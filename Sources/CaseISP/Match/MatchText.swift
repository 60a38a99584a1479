import CaseModel
import CaseCSV
import CaseInterchange

extension MatchReport {
  /// `match.csv`: RFC 4180, CRLF, one row per result and listed assignment (a result listing none has one row),
  /// then one row per listed member of each overlap set (`section` `overlap`, numbered; `overlapMembers` gives the
  /// set's size, which is more than its rows when members were left unlisted). Cells a spreadsheet would run as
  /// formulas are neutralised unless `neutralise` is false.
  public func csvBytes(neutralise: Bool = true) -> [UInt8] {
    var options = CSVWriter.Options()
    options.neutraliseFormulas = neutralise
    var w = CSVWriter(options: options)
    w.writeRow(Self.csvHeader)
    for r in results {
      let o = r.observation
      let observation: [String] = [
        "result", "", o.id.rawValue, o.ip.normalized, o.port.map { String($0.value) } ?? "",
        o.observedAt?.instant.iso8601 ?? "", o.observedAt?.originalText ?? "", r.status.rawValue, r.status.rule,
        String(r.toleranceSeconds), r.delta?.description ?? "", r.flags.map(\.rawValue).joined(separator: " "),
        o.provenance.first?.location ?? "",
      ]
      if r.assignments.isEmpty { w.writeRow(observation + Array(repeating: "", count: Self.assignmentColumns.count + 3)) }
      for m in r.assignments { w.writeRow(observation + m.csvCells + ["", "", ""]) }
    }
    for (n, x) in overlaps.enumerated() {
      let head = ["overlap", String(n + 1), "", x.address, "", "", "", "conflict", "match.overlap", "", "", "", ""]
      let window = [x.from?.iso8601 ?? "", x.to?.iso8601 ?? "", String(x.memberCount)]
      for m in x.assignments {
        var cells = m.csvCells
        cells[Self.assignmentColumns.firstIndex(of: "assignmentDeltaSeconds")!] = ""
        w.writeRow(head + cells + window)
      }
    }
    return w.bytes
  }

  /// The columns of `match.csv`.
  public static var csvHeader: [String] {
    [
      "section", "overlap", "observationId", "ip", "port", "observedAtUtc", "observedAtOriginal", "status", "rule",
      "toleranceSeconds", "deltaSeconds", "flags", "observationSource",
    ] + assignmentColumns + ["overlapFrom", "overlapTo", "overlapMembers"]
  }

  static let assignmentColumns = [
    "assignmentId", "provider", "assignedIp", "portFirst", "portLast", "leaseStartUtc", "leaseStartOriginal",
    "leaseEndUtc", "leaseEndOriginal", "assignmentDeltaSeconds", "subscriberPersonId", "subscriberName",
    "accountNumber", "legalProcessId", "legalProcessIdentifier", "providerReference", "assignmentSource",
  ]

  /// The table `casebridge match` prints: a header line with the tolerance, one line per result (continuation
  /// lines for further assignments of an exact, within-tolerance, outside or conflict result), the overlaps, and a
  /// summary line. Subscriber names are printed (naming the subscriber is the command's purpose); control and
  /// bidi characters in any cell are printed escaped.
  public var table: String {
    var out = "tolerance: \(toleranceSeconds) s   observations: \(results.count)   assignments: \(assignmentCount)\n"
    var rows: [[String]] = [[
      "OBSERVED (UTC)", "IP", "PORT", "STATUS", "DELTA", "SUBSCRIBER", "ACCOUNT", "PROVIDER", "LEGAL PROCESS",
      "OBSERVATION", "ASSIGNMENT", "FLAGS",
    ]]
    for r in results {
      let o = r.observation
      let left = [o.observedAt?.instant.iso8601 ?? "-", o.ip.normalized, o.port.map { String($0.value) } ?? "-", r.status.rawValue]
      let flags = r.flags.isEmpty ? "-" : r.flags.map(\.rawValue).joined(separator: ",")
      let listsCandidates = r.status == .notAttributable || r.status == .noTime
      if r.assignments.isEmpty || listsCandidates {
        let who = r.assignments.isEmpty ? "-" : "(\(r.assignments.count) candidate\(r.assignments.count == 1 ? "" : "s"))"
        rows.append(left + [Self.seconds(r.delta), who, "-", "-", "-", o.provenance.first?.location ?? "-", "-", flags])
        continue
      }
      for (k, m) in r.assignments.enumerated() {
        let lead = k == 0 ? left : ["", "", "", ""]
        let source = k == 0 ? o.provenance.first?.location ?? "-" : ""
        rows.append(lead + [Self.seconds(m.delta)] + m.tableCells + [source, m.source, k == 0 ? flags : ""])
      }
    }
    out += Self.layout(rows)
    if !overlaps.isEmpty {
      out += "\noverlaps: \(overlaps.count) (sets of leases of one address and port overlapping, different subscribers)\n"
      var o: [[String]] = [["ADDRESS", "PORTS", "FROM", "TO", "SUBSCRIBER", "ACCOUNT", "PROVIDER", "LEGAL PROCESS", "ASSIGNMENT"]]
      for x in overlaps {
        for (k, m) in x.assignments.enumerated() {
          let ports = x.ports.map { "\($0.first)-\($0.last)" } ?? "all"
          let lead = k == 0 ? [x.address, ports, x.from?.iso8601 ?? "open", x.to?.iso8601 ?? "open"] : ["", "", "", ""]
          o.append(lead + m.tableCells + [m.source])
        }
        if x.unlistedCount > 0 {
          o.append(["", "", "", "", "(\(x.unlistedCount) more of \(x.memberCount) not listed)", "", "", "", ""])
        }
      }
      out += Self.layout(o)
    }
    let c = counts
    let parts = MatchStatus.allCases.map { "\(c[$0] ?? 0) \($0.rawValue)" }.joined(separator: ", ")
    out += "\nsummary: \(parts); \(overlaps.count) overlap\(overlaps.count == 1 ? "" : "s")\n"
    return out
  }

  /// `+30 s`, `-5 s`, `0 s`, or `-` when there is no delta.
  static func seconds(_ d: TimeDelta?) -> String {
    guard let d else { return "-" }
    return (d > .zero ? "+" : "") + d.description + " s"
  }

  /// Left-aligned columns two spaces apart; the last column is not padded.
  static func layout(_ rows: [[String]]) -> String {
    let cells = rows.map { $0.map(\.terminalEscaped) }
    var widths = Array(repeating: 0, count: cells.map(\.count).max() ?? 0)
    for row in cells { for (i, c) in row.enumerated() { widths[i] = max(widths[i], c.count) } }
    var out = ""
    for row in cells {
      var line = ""
      for (i, c) in row.enumerated() {
        line += c
        if i < row.count - 1 { line += String(repeating: " ", count: widths[i] - c.count + 2) }
      }
      while line.hasSuffix(" ") { line.removeLast() }
      out += line + "\n"
    }
    return out
  }
}

extension MatchedAssignment {
  /// The assignment's cells of `match.csv` (`MatchReport.assignmentColumns`).
  var csvCells: [String] {
    let a = assignment
    return [
      a.id.rawValue, a.provider ?? "", a.ip.normalized, a.portRange.map { String($0.first.value) } ?? "",
      a.portRange.map { String($0.last.value) } ?? "", a.leaseStart?.instant.iso8601 ?? "",
      a.leaseStart?.originalText ?? "", a.leaseEnd?.instant.iso8601 ?? "", a.leaseEnd?.originalText ?? "",
      delta?.description ?? "", a.subscriberPersonId?.rawValue ?? "", subscriberNames.first ?? "",
      a.accountNumber ?? "", a.legalProcessId?.rawValue ?? "", legalProcess?.identifier ?? "",
      legalProcess?.providerReference ?? "", a.provenance.first?.location ?? "",
    ]
  }

  /// SUBSCRIBER, ACCOUNT, PROVIDER and LEGAL PROCESS cells of the table.
  var tableCells: [String] {
    let a = assignment
    let who = subscriberNames.first ?? (a.subscriberPersonId == nil ? "-" : "(person not in inputs)")
    let legal = legalProcess?.identifier ?? legalProcess?.providerReference ?? (a.legalProcessId == nil ? "-" : "(not in inputs)")
    return [who, a.accountNumber ?? "-", a.provider ?? "-", legal]
  }

  /// Where the assignment came from: `file:line`.
  var source: String { assignment.provenance.first?.location ?? "-" }
}
