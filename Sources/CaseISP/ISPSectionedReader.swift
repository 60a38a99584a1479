public import CaseModel
public import CaseInterchange
public import CaseMapping
import CaseCSV

/// Several tables in one delimited file (`isp-sectioned`, Snap style): each table is an optional quoted legend,
/// a row of `=`, a header row and data rows.
///
/// Read with CaseCSV's streaming tokenizer (without its fixed field count: each table has its own). A one-field row
/// directly followed by a `=` row is a legend (ignored, kind `legend`) unless it can be a data row of a one-column
/// table and is not quoted; the `=` row is a marker (`marker`); the row after it
/// is the table's header (`header`); the first row of a file that starts without a legend is a header too. The
/// profile's `layout.sectioned.sections` pick each table's section by legend pattern and required columns (the
/// first that matches), and the mappings naming that section map its rows; a zone statement in the legend is the
/// table's zone. Every data row is a source record: rows of a table no section matches are quarantined
/// (`isp.unknown-section`), rows with the wrong number of fields too (`csv.extra-cell`, `csv.missing-cell`).
public struct ISPSectionedReader: RecordReader {
  private var tokenizer: CSVTokenizer
  private let profile: MappingProfile
  private let layout: ISPSectionedLayout
  private let sourceName: String
  private let idFor: @Sendable (Int, Int) -> EntityID
  private let keyedID: @Sendable (String) -> EntityID
  /// Prescan mode: rows are tokenized but not mapped.
  public var prescan = false
  private var peeked: CSVEvent?? = nil
  private var expectingHeader = true
  private var pendingLegend: String? = nil
  private var legend: String? = nil
  private var table: Table? = nil
  private var recordIndex = 0

  private struct Table {
    var headerLine: Int
    var count: Int
    var mapper: SectionMapper?
    var names: [String]
  }

  /// Prepares to read a sectioned file.
  /// - Throws: `FormatError` for an unusable dialect or encoding, or a profile without `layout.sectioned`.
  public init(
    file: ChunkedFile, sourceName: String, profile: MappingProfile, encoding: String?, limits: ReadLimits,
    idFor: @escaping @Sendable (Int, Int) -> EntityID, keyedID: @escaping @Sendable (String) -> EntityID
  ) throws(FormatError) {
    guard let layout = profile.ispSectioned else {
      throw FormatError(rule: "profile.layout-mismatch", message: "the profile has no isp-sectioned layout", location: SourceLocation(source: sourceName))
    }
    var dialect = CSVDialect()
    dialect.delimiter = profile.csv.delimiter
    dialect.quote = profile.csv.quote
    dialect.hasHeader = false
    dialect.fixedFieldCount = false
    dialect.maxFieldBytes = limits.maxFieldBytes
    dialect.maxRecordBytes = limits.maxRecordBytes
    if let name = encoding ?? profile.csv.encoding {
      guard let e = TextEncoding.named(name) else {
        throw FormatError(rule: "csv.unknown-encoding", message: "encoding is not one of utf-8, utf-16le, utf-16be, windows-1252, iso-8859-1", location: SourceLocation(source: sourceName))
      }
      dialect.encoding = e
    }
    tokenizer = try CSVTokenizer(file: file, sourceName: sourceName, dialect: dialect)
    self.profile = profile
    self.layout = layout
    self.sourceName = sourceName
    self.idFor = idFor
    self.keyedID = keyedID
  }

  /// The encoding in use (for the run report).
  public var encodingName: String? { tokenizer.encoding.rawValue }

  private mutating func take() throws(FormatError) -> CSVEvent? {
    if let p = peeked {
      peeked = nil
      return p
    }
    return try tokenizer.next()
  }

  private mutating func peek() throws(FormatError) -> CSVEvent? {
    if let p = peeked { return p }
    let e = try tokenizer.next()
    peeked = .some(e)
    return e
  }

  /// A row of `=` (at least three) and nothing else but empty fields.
  private static func isMarker(_ row: CSVRow) -> Bool {
    var equals = 0
    for f in row.fields {
      for b in f.value.utf8 {
        guard b == 0x3D else { return false }
        equals += 1
      }
    }
    return equals >= 3
  }

  /// Whether a row can be a legend (when a `=` row follows it): one field, and not a data row of a one-column
  /// table unless it is quoted. A data row of a wider table followed by a `=` row stays a data row.
  private func isLegend(_ row: CSVRow) -> Bool {
    guard row.fields.count == 1 else { return false }
    guard let t = table, !expectingHeader else { return true }
    return t.count > 1 || row.fields[0].wasQuoted
  }

  private func span(_ row: CSVRow) -> SourceSpan { SourceSpan(byteOffset: row.byteOffset, byteLength: row.byteLength, line: row.line) }

  public mutating func next() throws(FormatError) -> ReadOutcome? {
    guard let event = try take() else { return nil }
    switch event {
    case .bom(let length):
      return .ignored(IgnoredSpan(kind: "bom", span: SourceSpan(byteOffset: 0, byteLength: length, line: 1)))
    case .blank(let offset, let length, let line):
      return .ignored(IgnoredSpan(kind: "blank-line", span: SourceSpan(byteOffset: offset, byteLength: length, line: line)))
    case .header(let row):
      // Not produced (the dialect has no header); treat it as a table header anyway.
      try startTable(row)
      return .ignored(IgnoredSpan(kind: "header", span: span(row)))
    case .rejected(_, let offset, let length, let line, let diagnostics):
      // A table's header that is not a clean row (or a broken first row, which would be its header or legend)
      // leaves the table unreadable: the input is rejected whole, as for a CSV header.
      if expectingHeader, let d = diagnostics.first {
        throw FormatError(rule: d.rule, message: "table header: " + d.message, location: d.location)
      }
      let index = recordIndex
      recordIndex += 1
      let ds = diagnostics.map { d -> Diagnostic in
        var d = d
        d.location.record = index
        return d
      }
      return .rejected(RecordIssue(index: index, span: SourceSpan(byteOffset: offset, byteLength: length, line: line), diagnostics: ds))
    case .row(let row):
      if Self.isMarker(row) {
        legend = pendingLegend
        pendingLegend = nil
        expectingHeader = true
        table = nil
        return .ignored(IgnoredSpan(kind: "marker", span: span(row)))
      }
      if isLegend(row), let following = try peek(), case .row(let n) = following, Self.isMarker(n) {
        pendingLegend = row.values.joined(separator: ",")
        return .ignored(IgnoredSpan(kind: "legend", span: span(row)))
      }
      if expectingHeader {
        try startTable(row)
        return .ignored(IgnoredSpan(kind: "header", span: span(row)))
      }
      return dataRow(row)
    }
  }

  private mutating func startTable(_ row: CSVRow) throws(FormatError) {
    expectingHeader = false
    let names = row.values
    var seen: [String: Int] = [:]
    for (k, f) in row.fields.enumerated() {
      let loc = SourceLocation(source: sourceName, line: f.line, column: f.column, byteOffset: f.byteOffset, byteLength: f.byteLength)
      if f.value.utf8.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) {
        throw FormatError(rule: "csv.blank-header", message: "table header column \(k + 1) at line \(f.line), column \(f.column) has an empty name", location: loc)
      }
      if let j = seen[f.value] {
        throw FormatError(rule: "csv.duplicate-header", message: "table header column \(k + 1) at line \(f.line), column \(f.column) repeats the name of column \(j + 1)", location: loc)
      }
      seen[f.value] = k
    }
    var t = Table(headerLine: row.line, count: names.count, mapper: nil, names: names)
    let legend = self.legend
    let section = layout.sections.first { s in
      if let p = s.legend {
        guard let legend, p.boundedMatches(legend) else { return false }
      }
      return s.columns.allSatisfy { c in names.contains { foldedEqual($0, c) } }
    }
    if let section {
      let zone = legend.flatMap { l in layout.zoneStatements.first { $0.pattern.boundedMatches(l) } }
      let positions = profile.records.indices.filter { profile.records[$0].section == section.id }
      do {
        t.mapper = try SectionMapper(profile: profile, positions: positions, header: names, external: [:], zone: zone, unmapped: profile.unmapped, keyedID: keyedID)
      } catch {
        throw FormatError(rule: error.rule, message: "table at line \(row.line), section '\(section.id)': " + error.message, location: SourceLocation(source: sourceName, line: row.line, column: 1, field: error.field))
      }
    }
    table = t
    self.legend = nil
  }

  private mutating func dataRow(_ row: CSVRow) -> ReadOutcome {
    let index = recordIndex
    recordIndex += 1
    var a = RecordAssembly(source: sourceName, index: index, span: span(row))
    guard let t = table else { return a.outcome(prescan: prescan) }
    if row.fields.count > t.count {
      let f = row.fields[t.count]
      a.add("csv.extra-cell", .error, "record at line \(row.line) has \(row.fields.count) fields, its table (header at line \(t.headerLine)) has \(t.count); the first extra field is at line \(f.line), column \(f.column)", at: TextPoint(line: f.line, column: f.column))
    } else if row.fields.count < t.count {
      let f = row.fields[row.fields.count - 1]
      a.add("csv.missing-cell", .error, "record at line \(row.line) has \(row.fields.count) fields, its table (header at line \(t.headerLine)) has \(t.count)", at: TextPoint(line: f.line, column: f.column))
    } else if t.mapper == nil {
      a.add("isp.unknown-section", .error, "the table whose header is at line \(t.headerLine) matches no section of the profile", at: nil)
    } else if !prescan, let mapper = t.mapper {
      let idFor = self.idFor
      a.add(mapper.map(row.values, idFor: { idFor(index, $0) }), points: row.fields.map { TextPoint(line: $0.line, column: $0.column) })
    }
    return a.outcome(prescan: prescan)
  }
}

/// Equal ignoring ASCII case and surrounding spaces (how header names are matched).
func foldedEqual(_ a: String, _ b: String) -> Bool {
  let (s1, e1) = trimmed(Array(a.utf8))
  let (s2, e2) = trimmed(Array(b.utf8))
  return fold(Array(Array(a.utf8)[s1..<e1])) == fold(Array(Array(b.utf8)[s2..<e2]))
}
