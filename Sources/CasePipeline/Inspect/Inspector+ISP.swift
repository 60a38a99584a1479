import CaseModel
public import CaseInterchange
import CaseJSON
import CaseCSV
import CaseMapping
import CaseXML

/// `inspect` for provider returns: recognises a letter of record blocks (delimiter lines, `Label: value` density,
/// record-count and zone statements), a records page (`div id="property-…"`), or a file of tables (rows of `=`),
/// profiles the values of each label or column, and drafts a provider profile with what the evidence supports.
extension Inspector {
  /// Inspects a provider return.
  /// - Throws: `FormatError` when the file cannot be read (or is larger than 64 MiB).
  public static func inspectProviderReturn(path: String, encoding declared: String?) throws(FormatError) -> InspectionReport {
    let file = try ChunkedFile(path: path)
    let hasher = HasherBox()
    file.onChunk = { hasher.update($0) }
    var bytes: [UInt8] = []
    while true {
      let c = try file.nextChunk()
      if c.isEmpty { break }
      bytes.append(contentsOf: c)
      if bytes.count > 64 << 20 {
        throw FormatError(rule: "isp.too-large", message: "provider returns are inspected whole, up to 64 MiB", location: SourceLocation(source: path))
      }
    }
    let sha = hasher.hex()
    let text = String(decoding: bytes, as: UTF8.self)
    let lower = text.lowercased()
    var report: InspectionReport
    if lower.contains("id=\"property-") || lower.contains("id='property-") {
      report = try inspectPage(path: path, bytes: bytes)
    } else if lines(of: text).contains(where: isMarkerLine) {
      report = try inspectTables(path: path, encoding: declared)
    } else if let letter = inspectLetter(path: path, text: text) {
      report = letter
    } else {
      // A plain IP log: the CSV inspection, drafted as an isp-log.
      report = try inspectCSV(path: path, encoding: declared)
      report.layout = .ispLog
      if case .object(var o) = report.draftProfile, let i = o.members.firstIndex(where: { $0.key == "layout" }),
        case .object(var l) = o.members[i].value, let k = l.members.firstIndex(where: { $0.key == "kind" })
      {
        l.members[k].value = .string("isp-log")
        o.members[i].value = .object(l)
        report.draftProfile = .object(o)
      }
      report.notes.insert("no record delimiter lines, property divs or '=' rows: read as an IP log (isp-log, one row per record)", at: 0)
    }
    report.sha256 = sha
    return report
  }

  static func lines(of text: String) -> [Substring] {
    text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r" || $0 == "\r\n" })
  }

  static func isMarkerLine(_ l: Substring) -> Bool {
    var equals = 0
    for b in l.utf8 {
      if b == 0x3D { equals += 1 } else if b != 0x2C && b != 0x3B && b != 0x09 && b != 0x7C && b != 0x22 && b != 0x20 { return false }
    }
    return equals >= 3
  }

  private static func m(_ k: String, _ v: JSONValue) -> JSONMember { JSONMember(key: k, value: v) }
  private static func obj(_ members: [JSONMember]) -> JSONValue { .object(JSONObject(members)) }
  private static func s(_ x: String) -> JSONValue { .string(x) }

  /// A regular expression matching `text` literally.
  static func literalPattern(_ text: Substring) -> String {
    var out = ""
    for c in text {
      if "\\^$.|?*+()[]{}".contains(c) { out.append("\\") }
      out.append(c)
    }
    return out
  }

  /// A zone statement's IANA zone, when it names one unambiguously.
  static func statedZone(_ line: String) -> String? {
    let l = line.lowercased()
    for (word, zone) in [("eastern", "America/New_York"), ("central", "America/Chicago"), ("mountain", "America/Denver"), ("pacific", "America/Los_Angeles"), ("utc", "UTC"), ("gmt", "UTC")] where l.contains(word) {
      return zone
    }
    return nil
  }

  // MARK: letters

  /// The label pairs of a letter line: a label (see `labelColon`), its value up to two or more spaces followed by
  /// another label, and so on. One pass over the line: each run of spaces is looked past once, and a label is at
  /// most 41 characters, so the cost is linear in the line (a run of spaces after an invalid byte used to be
  /// rescanned from every space in it).
  static func labelPairs(_ line: Substring) -> [(label: String, value: String)] {
    var out: [(String, String)] = []
    var rest = line.drop { $0 == " " || $0 == "\t" }
    while let colon = labelColon(rest) {
      let label = rest[..<colon]
      let value = rest[rest.index(after: colon)...].drop { $0 == " " || $0 == "\t" }
      // The value ends at two or more spaces followed by another label.
      var end = value.endIndex
      var i = value.startIndex
      while i < value.endIndex {
        guard value[i] == " " else {
          i = value.index(after: i)
          continue
        }
        var j = value.index(after: i)
        while j < value.endIndex, value[j] == " " { j = value.index(after: j) }
        if value.index(after: i) < j, labelColon(value[j...]) != nil {
          end = i
          break
        }
        i = j
      }
      out.append((String(label), String(value[..<end]).trimmingCharacters()))
      rest = value[end...].drop { $0 == " " || $0 == "\t" }
    }
    return out
  }

  /// The colon ending a label candidate at the start of `s`: a letter, then letters, spaces and `#/().'-`, at most
  /// 40 characters and five words. Looks at no more than 41 characters.
  static func labelColon(_ s: Substring) -> Substring.Index? {
    guard let first = s.first, first.isLetter else { return nil }
    var count = 0
    var words = 0
    var previous: Character = " "
    var i = s.startIndex
    while i < s.endIndex, count <= 40 {
      let c = s[i]
      if c == ":" { return words <= 5 ? i : nil }
      guard c.isLetter || " #/().'-".contains(c) else { return nil }
      if c != " " && previous == " " { words += 1 }
      previous = c
      count += 1
      i = s.index(after: i)
    }
    return nil
  }

  static func inspectLetter(path: String, text: String) -> InspectionReport? {
    let all = lines(of: text)
    // Record delimiters: decorated lines with a number, grouped by shape.
    var shapes: [String: (count: Int, first: Int)] = [:]
    for (i, l) in all.enumerated() {
      let t = l.trimmingCharacters()
      guard t.contains(where: \.isNumber), t.lowercased().contains("record") || t.hasPrefix("---") || t.hasPrefix("===") || t.hasPrefix("***") else { continue }
      var shape = ""
      var inDigits = false
      var named = false
      for c in t {
        if c.isNumber {
          if !inDigits { shape += named ? "[0-9]+" : "(?<number>[0-9]+)"; named = true }
          inDigits = true
        } else {
          inDigits = false
          shape += literalPattern(Substring(String(c)))
        }
      }
      shapes["^" + shape + "$", default: (0, i)].count += 1
    }
    guard let (record, info) = shapes.max(by: { $0.value.count < $1.value.count || ($0.value.count == $1.value.count && $0.value.first > $1.value.first) }) else { return nil }
    let regex = try? ProfileRegex(record)
    let starts = all.indices.filter { i in regex.map { (try? $0.regex.wholeMatch(in: String(all[i].trimmingCharacters()))) != nil } ?? false }
    guard !starts.isEmpty else { return nil }
    var report = InspectionReport(path: path, sha256: "", encoding: "utf-8", encodingEvidence: "provider letters are read as UTF-8", delimiter: "", delimiterEvidence: "", hasHeader: false, headerEvidence: "")
    report.layout = .ispText
    report.records = "\(record) (\(starts.count) record blocks, first on line \(info.first + 1))"
    report.headerEvidence = "record blocks start at lines matching \(record)"
    report.rows = starts.count
    var notes: [String] = []
    var layout: [JSONMember] = [m("record", s(record))]
    // End marker: the last decorated line without a number after the last record start.
    func isEndMarker(_ i: Int) -> Bool {
      let t = all[i].trimmingCharacters()
      return i > starts.last! && !t.isEmpty && !t.contains(where: \.isNumber)
        && (t.hasPrefix("---") || t.hasPrefix("===") || t.lowercased().contains("end of"))
    }
    if let end = all.indices.last(where: isEndMarker) {
      layout.append(m("end", s("^" + literalPattern(all[end].trimmingCharacters()[...]) + "$")))
      notes.append("end marker on line \(end + 1): a response without it is truncated (isp.truncated)")
    } else {
      notes.append("no end marker found: truncation cannot be detected; add layout.text.end if the provider writes one")
    }
    let header = all[..<starts[0]]
    // One member per key, so the draft is always valid JSON: the first count statement is drafted (a profile has
    // one), later ones only noted; zone statements are gathered into one array.
    var countLine: Int?
    var zoneStatements: [JSONValue] = []
    let countStatement = try? Regex(#"(?i)records?\s+(produced|provided|returned|found|responsive)\s*:?\s*[0-9]+"#)
    for (i, l) in zip(header.indices, header) {
      let t = l.trimmingCharacters()
      if let countStatement, t.contains(countStatement) {
        if let first = countLine {
          notes.append("another record count on line \(i + 1): not drafted (the count of line \(first) is); check which one the provider means")
        } else {
          countLine = i + 1
          let prefix = t.prefix { !$0.isNumber }
          layout.append(m("count", s("^" + literalPattern(prefix[...]) + "(?<count>[0-9]+)")))
          notes.append("record count stated on line \(i + 1): checked against the blocks found (isp.count-mismatch)")
        }
      }
      if t.lowercased().hasPrefix("all times") {
        if let zone = statedZone(t) {
          zoneStatements.append(obj([m("pattern", s("^" + literalPattern(t[...]) + "$")), m("zone", s(zone))]))
          notes.append("line \(i + 1) states the zone of the response's times (\(zone)): confirm the IANA zone")
        } else {
          notes.append("line \(i + 1) states a zone CaseBridge cannot name: add a zoneStatements entry with its IANA zone")
        }
      }
    }
    if !zoneStatements.isEmpty { layout.append(m("zoneStatements", .array(zoneStatements))) }
    // Labels per block, and lines that are not label pairs (sentences).
    var labels: [String] = []
    var values: [String: [(String, Int)]] = [:]
    var sentenceLines: [Int] = []
    var headerLabels: [String] = []
    for (i, l) in zip(header.indices, header) {
      for p in labelPairs(l) where !headerLabels.contains(p.label) {
        headerLabels.append(p.label)
        values[p.label, default: []].append((p.value, i + 1))
      }
    }
    for (k, start) in starts.enumerated() {
      let end = k + 1 < starts.count ? starts[k + 1] : all.count
      for i in (start + 1)..<end {
        let t = all[i].trimmingCharacters()
        if t.isEmpty || (regex.map { (try? $0.regex.wholeMatch(in: t)) != nil } ?? false) { continue }
        let pairs = labelPairs(all[i])
        if pairs.isEmpty {
          sentenceLines.append(i + 1)
          continue
        }
        for p in pairs {
          if !labels.contains(p.label) { labels.append(p.label) }
          values[p.label, default: []].append((p.value, i + 1))
        }
      }
    }
    var profiler = ColumnProfiler(names: labels)
    for (k, label) in labels.enumerated() {
      for (v, line) in values[label] ?? [] {
        var row = Array(repeating: "", count: labels.count)
        row[k] = v
        profiler.add(row: row, line: line)
      }
    }
    report.columns = profiler.finish()
    if !sentenceLines.isEmpty {
      notes.append("\(sentenceLines.count) lines in record blocks are not label pairs (first: line \(sentenceLines[0])): add layout.text.sentences with named captures for their facts, e.g. \"^IP (?<ip>\\\\S+) was assigned .* from (?<start>.+?) to (?<end>.+)$\"")
    }
    report.notes = notes
    report.draftProfile = letterDraft(report, layout: layout, headerLabels: headerLabels, notes: &report.notes)
    return report
  }

  static func letterDraft(_ r: InspectionReport, layout: [JSONMember], headerLabels: [String], notes: inout [String]) -> JSONValue {
    func label(_ name: String) -> JSONValue { obj([m("label", s(name))]) }
    var person: [JSONMember] = []
    var lease: [JSONMember] = []
    var unmapped: [String] = []
    for c in r.columns {
      let n = c.name.lowercased()
      if c.kind == .ipv4 || c.kind == .ipv6, !lease.contains(where: { $0.key == "ip" }) {
        lease.append(m("ip", label(c.name)))
      } else if n.contains("name"), !person.contains(where: { $0.key == "fullName" }) {
        person.append(m("fullName", label(c.name)))
      } else if n.contains("account"), n.contains("number") || n.contains("no") || n.contains("#"), !lease.contains(where: { $0.key == "accountNumber" }) {
        lease.append(m("accountNumber", label(c.name)))
      } else if n.contains("address"), c.kind == .text, !person.contains(where: { $0.key == "street" }) {
        person.append(m("street", label(c.name)))
      } else if c.kind == .phone, !person.contains(where: { $0.key == "phone" }) {
        person.append(m("phone", label(c.name)))
        notes.append("\(c.name): phone numbers; national numbers need \"phoneRegion\" in defaults")
      } else {
        unmapped.append(c.name)
      }
    }
    var full = layout
    if !unmapped.isEmpty {
      full.append(m("labels", .array(unmapped.map { s($0) })))
      notes.append("labels recognised but not mapped (kept as extras): \(unmapped.joined(separator: ", "))")
    }
    var records: [JSONValue] = []
    if let ref = headerLabels.first(where: { $0.lowercased().contains("reference") || $0.lowercased().contains("case") }) {
      records.append(obj([m("entity", s("legalProcess")), m("section", s("response")), m("fields", obj([
        m("kind", obj([m("constant", s("other"))])), m("identifier", label(ref)),
      ]))]))
      notes.append("the header's '\(ref)' is drafted as the legal process identifier; set its kind (subpoena, 2703d, warrant...)")
    }
    let personIndex = records.count
    if !person.isEmpty {
      records.append(obj([m("entity", s("person")), m("role", s("subscriber")), m("fields", obj(person))]))
    }
    if !lease.isEmpty {
      if !person.isEmpty { lease.append(m("subscriberPersonId", obj([m("entity", .number(JSONNumber(Int64(personIndex))))]))) }
      if personIndex > 0 { lease.append(m("legalProcessId", obj([m("entity", .number(JSONNumber(0)))]))) }
      records.append(obj([m("entity", s("ipAssignment")), m("fields", obj(lease))]))
    } else {
      notes.append("no label holds an IP address: the lease is probably in a sentence; map ipAssignment from sentence captures")
    }
    if records.isEmpty {
      records.append(obj([m("entity", s("event")), m("fields", obj([m("kind", obj([m("constant", s("imported-record"))]))]))]))
    }
    return obj([
      m("profileVersion", s("1.0")), m("id", s("draft-" + (baseName(r.path).split(separator: ".").first.map(String.init) ?? "provider"))),
      m("description", s("Draft written by casebridge inspect from \(baseName(r.path)). Review every mapping.")),
      m("layout", obj([m("kind", s("isp-text")), m("text", obj(full))])),
      m("unmapped", s("keep")),
      m("records", .array(records)),
    ])
  }

  // MARK: records pages

  static func inspectPage(path: String, bytes: [UInt8]) throws(FormatError) -> InspectionReport {
    var limits = XMLLimits()
    limits.maxDocumentBytes = 64 << 20
    let root = try HTMLDocument.parse(bytes: bytes, sourceName: path, limits: limits)
    var report = InspectionReport(path: path, sha256: "", encoding: "utf-8", encodingEvidence: "records pages are read as UTF-8", delimiter: "", delimiterEvidence: "", hasHeader: false, headerEvidence: "")
    report.layout = .ispHTML
    // Property divs and their label rows.
    var properties: [(name: String, rows: [(String, String, Int)])] = []
    func rows(_ e: XMLElementNode, into out: inout [(String, String, Int)]) {
      if e.children.count == 2, e.children[0].children.isEmpty, e.children[1].children.isEmpty,
        e.children[0].name.local == "th" || (e.children[0].attribute("class") ?? "").contains("label")
      {
        var l = e.children[0].text
        if l.hasSuffix(":") { l.removeLast() }
        if !l.isEmpty { out.append((l, e.children[1].text, e.line)) }
        return
      }
      for c in e.children { rows(c, into: &out) }
    }
    func walk(_ e: XMLElementNode) {
      if let id = e.attribute("id"), id.hasPrefix("property-") {
        var out: [(String, String, Int)] = []
        rows(e, into: &out)
        properties.append((String(id.dropFirst(9)), out))
        return
      }
      for c in e.children { walk(c) }
    }
    walk(root)
    var sections: [JSONValue] = []
    var sectionIDs: [String] = []
    var records: [JSONValue] = []
    var responseLabels: [String] = []
    var names: [String] = []
    var columnValues: [[(String, Int)]] = []
    for p in properties {
      let labels = p.rows.map(\.0)
      let repeated = Set(labels).count < labels.count
      for (l, v, line) in p.rows {
        let key = repeated ? "\(p.name): \(l)" : l
        if let i = names.firstIndex(of: key) { columnValues[i].append((v, line)) } else {
          names.append(key)
          columnValues.append([(v, line)])
        }
      }
      if repeated, let first = labels.first {
        sections.append(obj([m("id", s(p.name)), m("entryStart", s(first))]))
        sectionIDs.append(p.name)
      } else {
        responseLabels += labels
      }
    }
    var profiler = ColumnProfiler(names: names)
    for (k, vs) in columnValues.enumerated() {
      for (v, line) in vs {
        var row = Array(repeating: "", count: names.count)
        row[k] = v
        profiler.add(row: row, line: line)
      }
    }
    report.columns = profiler.finish()
    let repeatedNames = Set(sectionIDs)
    report.rows = properties.filter { repeatedNames.contains($0.name) }
      .reduce(0) { total, p in total + p.rows.filter { $0.0 == p.rows.first?.0 }.count }
    report.records = "\(properties.count) property divs, \(sections.count) repeated"
    report.headerEvidence = "div id=\"property-…\" sections of label/value rows"
    var notes: [String] = []
    if let target = responseLabels.first(where: { ["target", "account identifier", "account id"].contains($0.lowercased()) }) {
      records.append(obj([m("entity", s("account")), m("section", s("response")), m("fields", obj([m("accountIdentifier", obj([m("label", s(target))]))]))]))
    }
    for id in sectionIDs {
      var fields: [JSONMember] = []
      for c in report.columns where c.name.hasPrefix(id + ": ") {
        let label = String(c.name.dropFirst(id.count + 2))
        if (c.kind == .ipv4 || c.kind == .ipv6), !fields.contains(where: { $0.key == "ip" }) {
          fields.append(m("ip", obj([m("label", s(label))])))
        } else if c.kind == .timestampWithZone || c.kind == .timestampWithoutZone || c.kind == .epoch, !fields.contains(where: { $0.key == "observedAt" }) {
          var t: [JSONMember] = []
          if let u = c.epochUnit { t.append(m("epoch", s(u.rawValue))) } else if let p = c.pattern { t.append(m("pattern", s(p))) }
          fields.append(m("observedAt", obj([m("label", s(label))] + (t.isEmpty ? [] : [m("timestamp", obj(t))]))))
          if c.kind == .timestampWithoutZone { notes.append("\(label) in \(id): times carry no zone; add a zone statement or defaults.zone") }
        }
      }
      if fields.contains(where: { $0.key == "ip" }) {
        if !records.isEmpty { fields.append(m("accountId", obj([m("entity", .number(JSONNumber(0)))]))) }
        records.append(obj([m("entity", s("ipObservation")), m("section", s(id)), m("fields", obj(fields))]))
      } else {
        notes.append("property \(id) repeats but holds no IP address: map its entries by hand")
      }
    }
    if records.isEmpty {
      records.append(obj([m("entity", s("event")), m("section", s("response")), m("fields", obj([m("kind", obj([m("constant", s("imported-page"))]))]))]))
      notes.append("no repeated property with IP addresses was found: write the records by hand")
    }
    report.notes = notes
    report.draftProfile = obj([
      m("profileVersion", s("1.0")), m("id", s("draft-" + (baseName(path).split(separator: ".").first.map(String.init) ?? "page"))),
      m("description", s("Draft written by casebridge inspect from \(baseName(path)). Review every mapping.")),
      m("layout", obj([m("kind", s("isp-html")), m("html", obj([m("sections", .array(sections))]))])),
      m("unmapped", s("keep")),
      m("records", .array(records)),
    ])
    return report
  }

  // MARK: tables

  static func inspectTables(path: String, encoding: String?) throws(FormatError) -> InspectionReport {
    let file = try ChunkedFile(path: path)
    var dialect = CSVDialect()
    dialect.hasHeader = false
    dialect.fixedFieldCount = false
    if let e = encoding.flatMap(TextEncoding.named) { dialect.encoding = e }
    var tokenizer = try CSVTokenizer(file: file, sourceName: path, dialect: dialect)
    var tables: [(header: [String], line: Int, legend: String?, rows: [([String], Int)])] = []
    var pending: CSVRow? = nil
    var expectingHeader = true
    var legend: String? = nil
    func isMarker(_ r: CSVRow) -> Bool { r.fields.allSatisfy { $0.value.allSatisfy { $0 == "=" } } && r.fields.contains { $0.value.count >= 3 } }
    func take(_ r: CSVRow) {
      if expectingHeader {
        tables.append((r.values, r.line, legend, []))
        legend = nil
        expectingHeader = false
      } else if !tables.isEmpty {
        tables[tables.count - 1].rows.append((r.values, r.line))
      }
    }
    while let e = try tokenizer.next() {
      guard case .row(let r) = e else { continue }
      if isMarker(r) {
        if let p = pending, p.fields.count == 1 { legend = p.values[0] } else if let p = pending { take(p) }
        pending = nil
        expectingHeader = true
        continue
      }
      if let p = pending { take(p) }
      pending = r
    }
    if let p = pending { take(p) }
    var report = InspectionReport(path: path, sha256: "", encoding: tokenizer.encoding.rawValue, encodingEvidence: "BOM or UTF-8", delimiter: ",", delimiterEvidence: "tables of a sectioned return", hasHeader: true, headerEvidence: "")
    report.layout = .ispSectioned
    report.records = "\(tables.count) tables separated by rows of '='"
    report.headerEvidence = "each table: an optional legend, a row of '=', a header row"
    var sections: [JSONValue] = []
    var records: [JSONValue] = []
    var allColumns: [ColumnProfile] = []
    for (k, t) in tables.enumerated() {
      let id = "table\(k + 1)"
      var profiler = ColumnProfiler(names: t.header.map { "\(id): \($0)" })
      for (row, line) in t.rows where row.count == t.header.count { profiler.add(row: row, line: line) }
      let columns = profiler.finish()
      allColumns += columns
      report.rows += t.rows.count
      var sec: [JSONMember] = [m("id", s(id)), m("columns", .array(t.header.map { s($0) }))]
      if let legend = t.legend {
        if let pattern = legendPattern(legend) {
          sec.insert(m("legend", s(pattern)), at: 1)
        } else {
          report.notes.append("\(id): its legend shares no known keyword; no legend pattern drafted (the section is picked by its columns)")
        }
      }
      sections.append(obj(sec))
      var fields: [JSONMember] = []
      for (c, name) in zip(columns, t.header) {
        if (c.kind == .ipv4 || c.kind == .ipv6), !fields.contains(where: { $0.key == "ip" }) {
          fields.append(m("ip", obj([m("column", s(name))])))
        } else if c.kind == .timestampWithZone || c.kind == .timestampWithoutZone || c.kind == .epoch, !fields.contains(where: { $0.key == "observedAt" }) {
          var ts: [JSONMember] = []
          if let u = c.epochUnit { ts.append(m("epoch", s(u.rawValue))) } else if let p = c.pattern { ts.append(m("pattern", s(p))) }
          fields.append(m("observedAt", obj([m("column", s(name))] + (ts.isEmpty ? [] : [m("timestamp", obj(ts))]))))
          if c.kind == .timestampWithoutZone { report.notes.append("\(id) \(name): times carry no zone; a legend statement or defaults.zone must give it") }
        }
      }
      if fields.isEmpty {
        records.append(obj([m("entity", s("event")), m("section", s(id)), m("fields", obj([m("kind", obj([m("constant", s("imported-row"))]))]))]))
        report.notes.append("\(id) (header on line \(t.line)) holds no IP address: map its rows by hand")
      } else {
        records.append(obj([m("entity", s("ipObservation")), m("section", s(id)), m("fields", obj(fields))]))
      }
    }
    report.columns = allColumns
    report.draftProfile = obj([
      m("profileVersion", s("1.0")), m("id", s("draft-" + (baseName(path).split(separator: ".").first.map(String.init) ?? "tables"))),
      m("description", s("Draft written by casebridge inspect from \(baseName(path)). Review every mapping.")),
      m("layout", obj([m("kind", s("isp-sectioned")), m("sectioned", obj([m("sections", .array(sections))]))])),
      m("unmapped", s("keep")),
      m("records", .array(records)),
    ])
    return report
  }
}

extension Inspector {
  /// Words a section legend may share with the known shapes of provider returns ("Subscriber Information", "IP
  /// Data", "Login History", "Chat Log"…).
  static let legendKeywords: Set<String> = [
    "access", "account", "accounts", "activity", "address", "addresses", "basic", "billing", "call", "calls", "chat",
    "chats", "connection", "connections", "contact", "contacts", "data", "details", "device", "devices", "email",
    "event", "events", "friend", "friends", "group", "groups", "history", "info", "information", "ip", "ips",
    "location", "locations", "log", "login", "logins", "logout", "logs", "media", "message", "messages", "payment",
    "payments", "phone", "profile", "purchase", "purchases", "record", "records", "registration", "security",
    "session", "sessions", "subscriber", "user", "verification",
  ]

  /// A drafted legend pattern that holds no value of the legend: the longest run of known keywords (separated by
  /// spaces only) on the legend's first line, before any colon, lowercased and joined by `\s+` (legends are
  /// matched ignoring case). Nothing else of the legend — the provider's name, a target account, a requester — is
  /// kept, so the pattern matches the same provider's return for another account. Nil when no keyword is there.
  public static func legendPattern(_ legend: String) -> String? {
    // The first line; "\r\n" is one Character in Swift, so split on unicode scalars.
    let firstLine = legend.unicodeScalars.prefix { $0 != "\n" && $0 != "\r" && $0 != "\u{2028}" && $0 != "\u{85}" }
    let head = String(String.UnicodeScalarView(firstLine.prefix { $0 != ":" }))
    var best: [String] = []
    var run: [String] = []
    var word = ""
    var gapIsSpaces = true
    func endWord() {
      guard !word.isEmpty else { return }
      let w = word.lowercased()
      word = ""
      if Self.legendKeywords.contains(w) {
        if !gapIsSpaces { run = [] }
        run.append(w)
        if run.count > best.count { best = run }
      } else {
        run = []
      }
      gapIsSpaces = true
    }
    for c in head {
      if c.isLetter || c.isNumber {
        word.append(c)
      } else {
        endWord()
        if c != " " && c != "\t" { gapIsSpaces = false }
      }
    }
    endWord()
    return best.isEmpty ? nil : best.joined(separator: "\\s+")
  }
}

extension StringProtocol {
  /// Without leading and trailing spaces and tabs.
  func trimmingCharacters() -> String {
    var s = Substring(self)
    while let c = s.first, c == " " || c == "\t" { s = s.dropFirst() }
    while let c = s.last, c == " " || c == "\t" { s = s.dropLast() }
    return String(s)
  }
}
