import CaseModel
public import CaseJSON

extension MatchReport {
  /// `match.json` (schema `Schemas/json/casebridge-match-1.1.schema.json`): deterministic, compact, one result and
  /// one overlap set per line, ending in a newline. Holds personal data (subscriber names): it is a case file.
  public var jsonBytes: [UInt8] {
    var w = JSONWriter()
    w.writeRaw("{")
    for (k, v) in head {
      w.writeKey(k)
      w.write(v)
      w.writeRaw(",")
    }
    func lines(_ key: String, _ items: [JSONValue]) {
      w.writeKey(key)
      w.writeRaw("[")
      for (i, item) in items.enumerated() {
        w.writeRaw(i == 0 ? "\n" : ",\n")
        w.write(item)
      }
      if !items.isEmpty { w.writeRaw("\n") }
      w.writeRaw("]")
    }
    lines("results", results.map(\.json))
    w.writeRaw(",")
    lines("overlaps", overlaps.map(\.json))
    w.writeRaw("}\n")
    return w.bytes
  }

  private var head: [(String, JSONValue)] {
    var summary: [(String, JSONValue)] = [("observations", num(results.count)), ("assignments", num(assignmentCount))]
    let c = counts
    for s in MatchStatus.allCases { summary.append((s.rawValue, num(c[s] ?? 0))) }
    summary.append(("overlaps", num(overlaps.count)))
    return [
      ("matchVersion", .string("1.1")),
      ("toleranceSeconds", .number(JSONNumber(toleranceSeconds))),
      ("summary", .object(summary)),
    ]
  }
}

extension MatchResult {
  /// One element of `results` in `match.json`.
  public var json: JSONValue {
    let o = observation
    let members: [(String, JSONValue)] = [
      ("observationId", .string(o.id.rawValue)),
      ("ip", .string(o.ip.normalized)),
      ("ipOriginal", .string(o.ip.original)),
      ("port", num(o.port.map { Int($0.value) })),
      ("observedAt", orNull(o.observedAt, \.json)),
      ("event", str(o.event?.rawValue)),
      ("sourceProvider", str(o.sourceProvider)),
      ("status", .string(status.rawValue)),
      ("rule", .string(status.rule)),
      ("toleranceSeconds", .number(JSONNumber(toleranceSeconds))),
      ("deltaSeconds", orNull(delta, \.json)),
      ("flags", .array(flags.map { .string($0.rawValue) })),
      ("note", .string(note)),
      ("provenance", orNull(o.provenance.first, \.matchJSON)),
      ("assignments", .array(assignments.map(\.json))),
    ]
    return .object(members)
  }
}

extension AssignmentOverlap {
  /// One element of `overlaps` in `match.json`.
  public var json: JSONValue {
    let members: [(String, JSONValue)] = [
      ("address", .string(address)),
      ("ports", orNull(ports, \.json)),
      ("from", str(from?.iso8601)),
      ("to", str(to?.iso8601)),
      ("rule", .string("match.overlap")),
      ("members", num(memberCount)),
      ("unlisted", num(unlistedCount)),
      ("assignments", .array(assignments.map(\.json))),
    ]
    return .object(members)
  }
}

extension MatchedAssignment {
  /// An assignment with its subscriber, account and legal process, as `match.json` lists it.
  public var json: JSONValue {
    let a = assignment
    var legal: JSONValue = .null
    if let id = a.legalProcessId {
      let members: [(String, JSONValue)] = [
        ("id", .string(id.rawValue)),
        ("kind", str(legalProcess?.kind.rawValue)),
        ("identifier", str(legalProcess?.identifier)),
        ("providerReference", str(legalProcess?.providerReference)),
      ]
      legal = .object(members)
    }
    let members: [(String, JSONValue)] = [
      ("assignmentId", .string(a.id.rawValue)),
      ("provider", str(a.provider)),
      ("ip", .string(a.ip.normalized)),
      ("portRange", orNull(a.portRange, \.json)),
      ("assignmentType", str(a.assignmentType?.rawValue)),
      ("leaseStart", orNull(a.leaseStart, \.json)),
      ("leaseEnd", orNull(a.leaseEnd, \.json)),
      ("deltaSeconds", orNull(delta, \.json)),
      ("subscriberPersonId", str(a.subscriberPersonId?.rawValue)),
      ("subscriberNames", .array(subscriberNames.map { .string($0) })),
      ("accountNumber", str(a.accountNumber)),
      ("legalProcess", legal),
      ("provenance", orNull(a.provenance.first, \.matchJSON)),
    ]
    return .object(members)
  }

  /// The subscriber's names as display strings (the full form when given, else given, middle and family).
  public var subscriberNames: [String] {
    (subscriber?.names ?? []).map { n in
      if let full = n.full, !full.isEmpty { return full }
      return [n.given, n.middle, n.family].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " ")
    }
  }
}

extension Timestamp {
  /// `{"utc", "original"}`: the instant compared and the text the source gave.
  var json: JSONValue {
    let members: [(String, JSONValue)] = [("utc", .string(instant.iso8601)), ("original", .string(originalText))]
    return .object(members)
  }
}

extension TimeDelta {
  /// Decimal seconds as a JSON number.
  var json: JSONValue { .number(JSONNumber(literal: description)!) }
}

extension PortRange {
  var json: JSONValue {
    let members: [(String, JSONValue)] = [("first", num(Int(first.value))), ("last", num(Int(last.value)))]
    return .object(members)
  }
}

extension Provenance {
  /// Source file name, format, record index, line and pointer of a fact.
  var matchJSON: JSONValue {
    let members: [(String, JSONValue)] = [
      ("source", str(sourceName)), ("format", .string(sourceFormat)), ("record", num(record)), ("line", num(line)),
      ("pointer", str(pointer)),
    ]
    return .object(members)
  }

  /// `name:line` (or `name#record`), for tables and CSV.
  var location: String {
    let name = sourceName ?? sourceFormat
    if let line { return "\(name):\(line)" }
    if let record { return "\(name)#\(record)" }
    return name
  }
}

private func str(_ s: String?) -> JSONValue { s.map { .string($0) } ?? .null }
private func num(_ i: Int?) -> JSONValue { i.map { .number(JSONNumber(Int64($0))) } ?? .null }
private func orNull<T>(_ x: T?, _ f: (T) -> JSONValue) -> JSONValue { x.map(f) ?? .null }

extension JSONValue {
  fileprivate static func object(_ members: [(String, JSONValue)]) -> JSONValue {
    .object(JSONObject(members.map { JSONMember(key: $0.0, value: $0.1) }))
  }
}
