public import CaseModel
public import CaseInterchange
public import CaseJSON
import CaseCSV
public import CaseMapping
#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// What `casebridge inspect` found about a file: encoding, dialect and, per column, fill rate, distinct count and
/// detected kind with the evidence behind it; plus a draft profile. Never holds a value of the file.
public struct InspectionReport: Sendable {
  /// The input path.
  public var path: String
  /// SHA-256 of the input.
  public var sha256: String
  /// The encoding (declared, or detected from a BOM or from the bytes) and how it was decided.
  public var encoding: String
  /// Evidence for the encoding.
  public var encodingEvidence: String
  /// The delimiter and its evidence.
  public var delimiter: String
  /// Evidence for the delimiter.
  public var delimiterEvidence: String
  /// Whether the first row is a header, and why.
  public var hasHeader: Bool
  /// Evidence for the header decision.
  public var headerEvidence: String
  /// Data rows tokenized cleanly / rejected by the tokenizer.
  public var rows = 0
  /// Rows the tokenizer rejected (ragged, bad quotes, bad bytes), with their rule ids.
  public var rejectedRows: [String: Int] = [:]
  /// Per-column profiles.
  public var columns: [ColumnProfile] = []
  /// What the draft profile could not decide (zones never stated, day/month order without proof...).
  public var notes: [String] = []
  /// The draft profile (JSON), which `convert --profile` accepts as it is.
  public var draftProfile: JSONValue = .null
  /// The layout inspected (`csv`, or `json` / `jsonl` / `xml` for tree-shaped exports).
  public var layout: LayoutKind = .csv
  /// Tree layouts: where the records are (`/incidents`, `/Export/Incident`), and why.
  public var records: String?
}

/// Inspects legacy CSV files for onboarding.
public enum Inspector {
  /// Writes a draft profile file (0600, never over an existing file).
  /// - Throws: `OutputError`.
  public static func writeProfile(_ value: JSONValue, to path: String) throws(OutputError) {
    var st = stat()
    if lstat(path, &st) == 0 { throw OutputError(rule: "output.cannot-create", message: "\(path): exists; a draft never overwrites a file") }
    try writeFileAtomically(path, prettyJSON(value))
  }

  /// JSON with two-space indentation and one member per line (for files people edit).
  public static func prettyJSON(_ v: JSONValue) -> [UInt8] {
    var out = ""
    func str(_ s: String) -> String {
      var w = JSONWriter(capacity: 64)
      w.writeString(s)
      return String(decoding: w.bytes, as: UTF8.self)
    }
    func emit(_ v: JSONValue, _ indent: String) {
      switch v {
      case .object(let o) where !o.members.isEmpty:
        out += "{\n"
        for (i, m) in o.members.enumerated() {
          out += indent + "  " + str(m.key) + ": "
          emit(m.value, indent + "  ")
          out += i == o.members.count - 1 ? "\n" : ",\n"
        }
        out += indent + "}"
      case .array(let a) where !a.isEmpty:
        out += "[\n"
        for (i, x) in a.enumerated() {
          out += indent + "  "
          emit(x, indent + "  ")
          out += i == a.count - 1 ? "\n" : ",\n"
        }
        out += indent + "]"
      default:
        var w = JSONWriter(capacity: 64)
        w.write(v)
        out += String(decoding: w.bytes, as: UTF8.self)
      }
    }
    emit(v, "")
    return Array((out + "\n").utf8)
  }

  /// Inspects a CSV file.
  /// - Parameters:
  ///   - path: the file.
  ///   - encoding: a declared encoding, if any.
  /// - Throws: `FormatError` when the file cannot be read.
  public static func inspectCSV(path: String, encoding declared: String?) throws(FormatError) -> InspectionReport {
    let file = try ChunkedFile(path: path)
    // Sniff from the first 64 KiB.
    var head: [UInt8] = []
    while head.count < 64 << 10 {
      let c = try file.nextChunk()
      if c.isEmpty { break }
      head.append(contentsOf: c.prefix(64 << 10 - head.count))
    }
    file.rewind()
    let (encoding, encodingEvidence, notes0) = sniffEncoding(head, declared: declared)
    let text8 = asciiView(head, encoding: encoding)
    let (delimiter, delimiterEvidence) = sniffDelimiter(text8)
    var dialect = CSVDialect()
    dialect.delimiter = delimiter
    dialect.hasHeader = false
    if let e = TextEncoding.named(encoding), encoding != "utf-8" || declared != nil { dialect.encoding = e }
    var notes = notes0
    var report = InspectionReport(
      path: path, sha256: "", encoding: encoding, encodingEvidence: encodingEvidence,
      delimiter: delimiter == 0x09 ? "\t" : String(UnicodeScalar(delimiter)), delimiterEvidence: delimiterEvidence,
      hasHeader: true, headerEvidence: "")
    let hasher = HasherBox()
    file.onChunk = { hasher.update($0) }
    var tokenizer = try CSVTokenizer(file: file, sourceName: path, dialect: dialect)
    var first: CSVRow? = nil
    var profiler: ColumnProfiler? = nil
    var names: [String] = []
    while let e = try tokenizer.next() {
      switch e {
      case .row(let row):
        if first == nil {
          first = row
          let (isHeader, why) = looksLikeHeader(row.fields.map(\.value))
          report.hasHeader = isHeader
          report.headerEvidence = why
          names = isHeader ? row.fields.map(\.value) : (1...row.fields.count).map { "column \($0)" }
          profiler = ColumnProfiler(names: names)
          if isHeader { continue }
        }
        report.rows += 1
        profiler?.add(row: row.fields.map(\.value), line: row.line)
      case .rejected(_, _, _, _, let diagnostics):
        for d in diagnostics { report.rejectedRows[d.rule, default: 0] += 1 }
      default: break
      }
    }
    report.sha256 = hasher.hex()
    report.columns = profiler?.finish() ?? []
    report.draftProfile = draft(report, names: names, notes: &notes)
    report.notes = notes
    return report
  }

  static func sniffEncoding(_ head: [UInt8], declared: String?) -> (String, String, [String]) {
    if let declared { return (TextEncoding.named(declared)?.rawValue ?? declared, "declared with --encoding", []) }
    if head.starts(with: [0xEF, 0xBB, 0xBF]) { return ("utf-8", "UTF-8 byte order mark", []) }
    if head.starts(with: [0xFF, 0xFE]) { return ("utf-16le", "UTF-16 little-endian byte order mark", []) }
    if head.starts(with: [0xFE, 0xFF]) { return ("utf-16be", "UTF-16 big-endian byte order mark", []) }
    let zerosOdd = stride(from: 1, to: head.count, by: 2).filter { head[$0] == 0 }.count
    let zerosEven = stride(from: 0, to: head.count, by: 2).filter { head[$0] == 0 }.count
    if head.count >= 8 && zerosOdd > head.count / 4 {
      return ("utf-16le", "every other byte is zero (UTF-16 little-endian without a BOM)", ["the encoding was inferred from zero bytes: confirm utf-16le in the profile"])
    }
    if head.count >= 8 && zerosEven > head.count / 4 {
      return ("utf-16be", "every other byte is zero (UTF-16 big-endian without a BOM)", ["the encoding was inferred from zero bytes: confirm utf-16be in the profile"])
    }
    if String(validating: head, as: UTF8.self) != nil || head.count == 64 << 10 && validUTF8Prefix(head) {
      return ("utf-8", "the first \(head.count) bytes are valid UTF-8", [])
    }
    var line = 1
    for b in head {
      if b == 0x0A { line += 1 }
      if b >= 0x80 { break }
    }
    return ("windows-1252", "bytes that are not UTF-8 (first on line \(line)); Windows-1252 and Latin-1 cannot be told apart from bytes",
      ["the file is not UTF-8: the draft declares windows-1252 — confirm with the sender (Latin-1 differs in 0x80–0x9F)"])
  }

  static func validUTF8Prefix(_ b: [UInt8]) -> Bool {
    // A 64 KiB window may cut a multi-byte sequence: drop up to 3 trailing bytes.
    for cut in 0...3 where b.count > cut {
      if String(validating: b.dropLast(cut), as: UTF8.self) != nil { return true }
    }
    return false
  }

  /// The bytes with UTF-16 zero bytes dropped, good enough to count ASCII delimiters.
  static func asciiView(_ head: [UInt8], encoding: String) -> [UInt8] {
    if encoding.hasPrefix("utf-16") { return head.filter { $0 != 0 } }
    return head
  }

  static func sniffDelimiter(_ bytes: [UInt8]) -> (UInt8, String) {
    let candidates: [UInt8] = [0x2C, 0x3B, 0x09, 0x7C]
    var lines: [[UInt8]] = []
    var cur: [UInt8] = []
    var inQuote = false
    for b in bytes {
      if b == 0x22 { inQuote.toggle() }
      if !inQuote && (b == 0x0A || b == 0x0D) {
        if !cur.isEmpty { lines.append(cur) }
        cur = []
        if lines.count >= 50 { break }
      } else if !inQuote {
        cur.append(b)
      }
    }
    if !cur.isEmpty && lines.count < 50 { lines.append(cur) }
    var best: (UInt8, Int, Int) = (0x2C, 0, 0)  // delimiter, consistent lines, count
    for c in candidates {
      let counts = lines.map { l in l.filter { $0 == c }.count }
      guard let first = counts.first, first > 0 else { continue }
      let consistent = counts.filter { $0 == first }.count
      if consistent > best.1 || (consistent == best.1 && first > best.2) { best = (c, consistent, first) }
    }
    let name = best.0 == 0x09 ? "TAB" : "'\(Character(UnicodeScalar(best.0)))'"
    if best.1 == 0 { return (0x2C, "no candidate delimiter found; assumed ','") }
    return (best.0, "\(best.1) of the first \(lines.count) lines have \(best.2) × \(name) outside quotes")
  }

  static func looksLikeHeader(_ cells: [String]) -> (Bool, String) {
    if cells.contains(where: \.isEmpty) { return (false, "the first row has empty cells") }
    // A cell spanning lines is no column name: most likely the quoted legend of a provider's sectioned return. Read
    // as data, it is profiled like any value and never printed as a name.
    if let i = cells.firstIndex(where: { $0.unicodeScalars.contains { $0 == "\n" || $0 == "\r" } }) {
      return (false, "cell \(i + 1) of the first row spans lines (the legend of a sectioned return? try --from isp-log)")
    }
    for (i, c) in cells.enumerated() {
      if case .success = IPAddress.parse(c) { return (false, "column \(i + 1) of the first row is an IP address") }
      if case .success = EmailAddress.parse(c) { return (false, "column \(i + 1) of the first row is an e-mail address") }
      if c.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) { return (false, "column \(i + 1) of the first row is a number") }
    }
    if Set(cells).count != cells.count { return (false, "the first row repeats a value") }
    return (true, "the first row holds distinct non-empty labels, none an IP, e-mail or number")
  }

  /// The draft's `layout` members.
  static func layoutMembers(_ r: InspectionReport, csv: [JSONMember]) -> [JSONMember] {
    switch r.layout {
    case .csv: return [JSONMember(key: "kind", value: .string("csv")), JSONMember(key: "csv", value: .object(JSONObject(csv)))]
    case .json, .xml:
      let options = JSONObject([JSONMember(key: "records", value: .string(r.records ?? "/"))])
      return [JSONMember(key: "kind", value: .string(r.layout.rawValue)), JSONMember(key: r.layout.rawValue, value: .object(options))]
    default: return [JSONMember(key: "kind", value: .string(r.layout.rawValue))]
    }
  }

  /// The draft profile: what the evidence supports, and nothing it does not.
  static func draft(_ r: InspectionReport, names: [String], notes: inout [String]) -> JSONValue {
    func m(_ k: String, _ v: JSONValue) -> JSONMember { JSONMember(key: k, value: v) }
    func s(_ x: String) -> JSONValue { .string(x) }
    func column(_ c: ColumnProfile) -> JSONMember {
      r.hasHeader ? m("column", s(c.name)) : m("index", .number(JSONNumber(Int64(c.index))))
    }
    var csv: [JSONMember] = [m("delimiter", s(r.delimiter)), m("header", .bool(r.hasHeader))]
    if r.encoding != "utf-8" { csv.append(m("encoding", s(r.encoding))) }
    var observation: [JSONMember] = []
    var identifiers: [JSONValue] = []
    var file: [JSONMember] = []
    var person: [JSONMember] = []
    for c in r.columns {
      switch c.kind {
      case .ipv4, .ipv6:
        if !observation.contains(where: { $0.key == "ip" }) { observation.append(m("ip", .object(JSONObject([column(c)])))) }
      case .timestampWithZone, .timestampWithoutZone, .epoch:
        guard !observation.contains(where: { $0.key == "observedAt" }) else {
          notes.append("\(c.name): also holds times (\(c.kind.rawValue)); not mapped by the draft — map it where it belongs, or it is kept as an extra")
          continue
        }
        var t: [JSONMember] = []
        if c.kind == .epoch, let u = c.epochUnit {
          t.append(m("epoch", s(u.rawValue)))
          notes.append("\(c.name): epoch unit \(u.rawValue) suggested by \(c.epochDigits ?? 0)-digit values — confirm it")
        } else if let p = c.pattern {
          t.append(m("pattern", s(p)))
        }
        if c.kind == .timestampWithoutZone {
          notes.append("\(c.name): times carry no zone and none is stated; add \"zone\" (an IANA zone such as America/New_York) or every value is quarantined (timestamp.missing-zone)")
        }
        var field = [column(c)]
        if !t.isEmpty { field.append(m("timestamp", .object(JSONObject(t)))) }
        observation.append(m("observedAt", .object(JSONObject(field))))
      case .email:
        identifiers.append(.object(JSONObject([m("entity", s("onlineIdentifier")), m("optional", .bool(true)), m("fields", .object(JSONObject([
          m("kind", .object(JSONObject([m("constant", s("email"))]))), m("value", .object(JSONObject([column(c)]))),
        ])))])))
      case .phone:
        notes.append("\(c.name): phone numbers; national numbers need \"phoneRegion\" (e.g. US) on this field or in defaults, else they are quarantined (phone.missing-country-code)")
        identifiers.append(.object(JSONObject([m("entity", s("onlineIdentifier")), m("optional", .bool(true)), m("fields", .object(JSONObject([
          m("kind", .object(JSONObject([m("constant", s("phone"))]))), m("value", .object(JSONObject([column(c)]))),
        ])))])))
      case .hash:
        if let alg = c.hashAlgorithms.first, !file.contains(where: { $0.key == alg }) {
          file.append(m(alg, .object(JSONObject([column(c)]))))
        }
      case .date:
        guard !person.contains(where: { $0.key == "dateOfBirth" }) else { continue }
        var d: [JSONMember] = []
        if let p = c.pattern { d.append(m("pattern", s(p))) }
        switch c.dayMonth {
        case .monthFirst(line: let line)?: notes.append("\(c.name): month-first, proved by line \(line)")
        case .dayFirst(line: let line)?: notes.append("\(c.name): day-first, proved by line \(line)")
        default:
          if c.pattern?.contains("MM") == true && c.pattern?.contains("dd") == true && c.pattern?.hasPrefix("yyyy") != true {
            d.append(m("dayMonth", s("unknown")))
            notes.append("\(c.name): no value proves day/month order; ambiguous dates will be quarantined (date.ambiguous-day-month) until the profile fixes the order")
          }
        }
        var field = [column(c)]
        if !d.isEmpty { field.append(m("date", .object(JSONObject(d)))) }
        person.append(m("dateOfBirth", .object(JSONObject(field))))
      default: break
      }
    }
    var records: [JSONValue] = []
    if !person.isEmpty {
      records.append(.object(JSONObject([m("entity", s("person")), m("optional", .bool(true)), m("fields", .object(JSONObject(person)))])))
      // Everything else in the row belongs to that person.
      let ref = m("personId", .object(JSONObject([m("entity", .number(JSONNumber(0)))])))
      if !observation.isEmpty { observation.append(ref) }
      identifiers = identifiers.map { v in
        guard case .object(var o) = v, let i = o.members.firstIndex(where: { $0.key == "fields" }), case .object(var f) = o.members[i].value else { return v }
        f.members.append(ref)
        o.members[i].value = .object(f)
        return .object(o)
      }
    }
    if !observation.isEmpty {
      records.append(.object(JSONObject([m("entity", s("ipObservation")), m("optional", .bool(true)), m("fields", .object(JSONObject(observation)))])))
    }
    records += identifiers
    if !file.isEmpty {
      records.append(.object(JSONObject([m("entity", s("evidenceFile")), m("optional", .bool(true)), m("fields", .object(JSONObject(file)))])))
    }
    if records.isEmpty {
      notes.append("no column was recognised as an IP, time, e-mail, phone, hash or date: write the records by hand")
      records.append(.object(JSONObject([m("entity", s("event")), m("fields", .object(JSONObject([m("kind", .object(JSONObject([m("constant", s("imported-row"))])))])))])))
    }
    let keyed = proposeKey(r, records: &records, notes: &notes)
    let base = baseName(r.path)
    let id = "draft-" + (base.split(separator: ".").first.map(String.init) ?? "profile")
    var members = [
      m("profileVersion", s("1.0")), m("id", s(id)),
      m("description", s("Draft written by casebridge inspect from \(base) (SHA-256 \(r.sha256)). Review every mapping; columns not mapped are kept as extras.")),
    ]
    if keyed { members.append(m("sourceSystem", s(draftSourceSystem))) }
    members += [
      m("layout", .object(JSONObject(layoutMembers(r, csv: csv)))),
      m("unmapped", s("keep")),
      m("records", .array(records)),
    ]
    return .object(JSONObject(members))
  }

  /// The placeholder `sourceSystem` of a draft that proposes a key: valid as it is, and plainly to be replaced.
  public static let draftSourceSystem = "REVIEW: name of the system these records come from"

  /// Record keys: a column unique and filled in every inspected row (at least two) that can identify a record in its
  /// source system (text, integers, e-mails, phones, hashes — not times, dates, IPs or flags, which repeat by
  /// nature and are unique only by chance). The first such column a draft entity reads becomes that entity's `key`
  /// (and the draft gets a placeholder `sourceSystem`); candidates no draft field reads are named in the notes.
  /// Every proposal is a note to confirm: uniqueness over the inspected rows is evidence, not proof.
  /// - Returns: whether the draft declares a key.
  static func proposeKey(_ r: InspectionReport, records: inout [JSONValue], notes: inout [String]) -> Bool {
    let kinds: Set<ColumnKind> = [.text, .integer, .email, .phone, .hash]
    let candidates = r.columns.filter {
      kinds.contains($0.kind) && $0.count >= 2 && $0.filled == $0.count && $0.distinct == $0.filled && !$0.distinctIsLowerBound
    }
    guard !candidates.isEmpty else { return false }
    func reads(_ v: JSONValue, _ c: ColumnProfile) -> Bool {
      guard case .object(let o) = v, case .object(let fields)? = o["fields"] else { return false }
      return fields.members.contains { f in
        guard case .object(let src) = f.value else { return false }
        if case .string(let name)? = src["column"] { return r.hasHeader && name == c.name }
        if case .number(let n)? = src["index"] { return !r.hasHeader && n.int64Value == Int64(c.index) }
        return false
      }
    }
    var keyed = false
    for c in candidates {
      if !keyed, r.hasHeader, let k = records.firstIndex(where: { reads($0, c) }), case .object(var o) = records[k] {
        o.members.append(JSONMember(key: "key", value: .array([.string(c.name)])))
        records[k] = .object(o)
        keyed = true
        let entity = o["entity"].flatMap { v -> String? in if case .string(let t) = v { t } else { nil } } ?? "entity"
        notes.append("\(c.name): unique and filled in all \(c.count) rows: proposed as the record key of the \(entity) (entity \(k)) — confirm it identifies that entity in the source system, and replace the placeholder sourceSystem")
      } else {
        notes.append("\(c.name): unique and filled in all \(c.count) rows: a candidate record key — map it to a field of the entity it identifies and add \"key\": [\"\(c.name)\"] and a \"sourceSystem\" (see README, Record keys)")
      }
    }
    return keyed
  }
}
