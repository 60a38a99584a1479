import ArgumentParser
import Foundation
import CaseBridge
#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

struct Inspect: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Sniff a legacy file's encoding, dialect and column kinds, and draft a mapping profile.",
    discussion: """
      Prints, per column, the fill rate, distinct count and detected kind with the evidence (the line that proves a \
      day/month order, the digit count of epoch values). Values of the file are never printed. \
      --write-profile writes a draft that `convert --profile` accepts as it is; what the evidence cannot decide \
      (a zone never stated, a day/month order nothing proves) is listed as notes and left so that convert \
      quarantines the affected values instead of guessing.

      """ + exitCodeTable)

  @Argument(help: "The file to inspect.")
  var input: String

  @Option(help: "Input format: csv, or json, jsonl, xml (an agency's own export), isp-text or isp-log (a provider return: letter, records page, sectioned tables or IP log); default: from the file's extension (.txt/.html: isp-text, .log: isp-log), else csv.")
  var from: FormatID?

  @Option(help: "Declared text encoding (skips detection).")
  var encoding: String?

  @Option(help: "Write the draft profile to this file (never overwrites).")
  var writeProfile: String?

  @Flag(help: "Print the inspection as JSON.")
  var json = false

  @OptionGroup var global: GlobalOptions

  func run() throws {
    _ = try global.bootstrap()
    let lower = input.lowercased()
    let providerText = lower.hasSuffix(".txt") || lower.hasSuffix(".html") || lower.hasSuffix(".htm")
    let format = from ?? (lower.hasSuffix(".json") ? .json : lower.hasSuffix(".jsonl") || lower.hasSuffix(".ndjson") ? .jsonl : lower.hasSuffix(".xml") ? .xml : providerText ? .ispText : lower.hasSuffix(".log") ? .ispLog : .csv)
    guard [.csv, .json, .jsonl, .xml, .ispText, .ispLog].contains(format) else { throw UsageError(message: "inspect reads csv, json, jsonl, xml, isp-text and isp-log in this build") }
    var st = stat()
    guard stat(input, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else {
      printError("\(input): cannot read the input [input.unreadable]")
      throw ExitCode(66)
    }
    let report: InspectionReport
    do {
      switch format {
      case .csv: report = try Inspector.inspectCSV(path: input, encoding: encoding)
      case .xml: report = try Inspector.inspectXML(path: input)
      case .ispText, .ispLog: report = try Inspector.inspectProviderReturn(path: input, encoding: encoding)
      default: report = try Inspector.inspectJSON(path: input, lines: format == .jsonl)
      }
    } catch {
      printStderr(error.description)
      throw ExitCode(65)
    }
    if json {
      print(String(decoding: Inspector.prettyJSON(jsonReport(report)), as: UTF8.self), terminator: "")
    } else {
      printText(report)
    }
    if let writeProfile {
      do {
        try Inspector.writeProfile(report.draftProfile, to: writeProfile)
        printStderr("casebridge inspect: draft profile written to \(writeProfile)")
      } catch {
        printError(error.description)
        throw ExitCode(73)
      }
    }
  }

  func printText(_ r: InspectionReport) {
    print("file:      \(r.path)")
    print("sha256:    \(r.sha256)")
    print("encoding:  \(r.encoding)  (\(r.encodingEvidence))")
    if r.layout == .csv {
      print("delimiter: \(r.delimiter == "\t" ? "TAB" : r.delimiter)  (\(r.delimiterEvidence))")
      print("header:    \(r.hasHeader ? "yes" : "no")  (\(r.headerEvidence))")
    } else {
      print("layout:    \(r.layout.rawValue)" + (r.records.map { "  records \($0)" } ?? "  (one record per line)"))
      print("paths:     \(r.headerEvidence)")
    }
    print("rows:      \(r.rows)" + (r.rejectedRows.isEmpty ? "" : "  (+ rejected by the tokenizer: " + r.rejectedRows.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ") + ")"))
    print("")
    print("  #  column                        fill   distinct  kind")
    for c in r.columns {
      var kind = c.kind.rawValue
      if c.kind != .empty && c.kind != .text { kind += String(format: " (%.0f%%)", c.kindShare * 100) }
      if let p = c.pattern { kind += " pattern \(p)" }
      switch c.dayMonth {
      case .monthFirst(line: let l)?: kind += ", month-first (proved by line \(l))"
      case .dayFirst(line: let l)?: kind += ", day-first (proved by line \(l))"
      case .unknown?: kind += ", day/month order not proved"
      default: break
      }
      if let u = c.epochUnit { kind += ", \(c.epochDigits ?? 0) digits → \(u.rawValue)?" }
      if !c.hashAlgorithms.isEmpty { kind += " " + c.hashAlgorithms.joined(separator: "/") }
      let distinct = (c.distinctIsLowerBound ? "≥" : "") + String(c.distinct)
      let idx = String(c.index + 1)
      print(String(repeating: " ", count: max(0, 3 - idx.count)) + idx + "  " + c.name.terminalEscaped.padding(28) + "  " + String(format: "%4.0f%%", c.fillRate * 100) + "  " + distinct.padding(8) + "  " + kind)
    }
    if !r.notes.isEmpty {
      print("")
      print("notes:")
      for n in r.notes { print("  - \(n.terminalEscaped)") }
    }
  }

  func jsonReport(_ r: InspectionReport) -> JSONValue {
    func m(_ k: String, _ v: JSONValue) -> JSONMember { JSONMember(key: k, value: v) }
    func n(_ i: Int) -> JSONValue { .number(JSONNumber(Int64(i))) }
    let columns: [JSONValue] = r.columns.map { c in
      var members = [
        m("index", n(c.index)), m("name", .string(c.name)), m("count", n(c.count)), m("filled", n(c.filled)),
        m("distinct", n(c.distinct)), m("distinctIsLowerBound", .bool(c.distinctIsLowerBound)),
        m("kind", .string(c.kind.rawValue)), m("kindShare", .number(JSONNumber(literal: String(format: "%.4f", c.kindShare))!)),
      ]
      if let p = c.pattern { members.append(m("pattern", .string(p))) }
      switch c.dayMonth {
      case .monthFirst(line: let l)?: members.append(m("dayMonth", .object(JSONObject([m("order", .string("month-first")), m("line", n(l))]))))
      case .dayFirst(line: let l)?: members.append(m("dayMonth", .object(JSONObject([m("order", .string("day-first")), m("line", n(l))]))))
      case .unknown?: members.append(m("dayMonth", .object(JSONObject([m("order", .string("unknown"))]))))
      default: break
      }
      if let u = c.epochUnit { members.append(m("epochUnit", .string(u.rawValue))) }
      if let d = c.epochDigits { members.append(m("epochDigits", n(d))) }
      if !c.hashAlgorithms.isEmpty { members.append(m("hashAlgorithms", .array(c.hashAlgorithms.map { .string($0) }))) }
      return .object(JSONObject(members))
    }
    return .object(JSONObject([
      m("path", .string(r.path)), m("sha256", .string(r.sha256)), m("encoding", .string(r.encoding)),
      m("encodingEvidence", .string(r.encodingEvidence)), m("delimiter", .string(r.delimiter)),
      m("delimiterEvidence", .string(r.delimiterEvidence)), m("header", .bool(r.hasHeader)),
      m("headerEvidence", .string(r.headerEvidence)), m("rows", n(r.rows)),
      m("rejectedRows", .object(JSONObject(r.rejectedRows.sorted { $0.key < $1.key }.map { m($0.key, n($0.value)) }))),
      m("columns", .array(columns)), m("notes", .array(r.notes.map { .string($0) })), m("draftProfile", r.draftProfile),
    ]))
  }
}
