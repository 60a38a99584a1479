import CaseModel
import CaseInterchange
import CaseCSV
import CaseJSON
import CaseMapping

/// Readers that can say which text encoding they used (for the run report).
protocol EncodingReporting {
  var encodingName: String? { get }
}

/// CSV rows through a mapping profile: the tokenizer finds records and their exact byte spans, the profile's
/// mapper turns each row into entities, and every problem is located at the row's line and the field's column.
struct MappedCSVReader: RecordReader, EncodingReporting {
  private var tokenizer: CSVTokenizer
  private let profile: MappingProfile
  private var mapper: RecordMapper?
  private let sourceName: String
  private let idFor: @Sendable (Int, Int) -> EntityID
  private var headerRow: CSVRow?
  /// Whether a header that matches CaseBridge's own CSV columns switches to reading them canonically.
  private let allowsCanonical: Bool
  /// Undo formula neutralisation in CaseBridge's own CSV.
  private let unneutralises: Bool
  /// The entity type of a CaseBridge CSV file, once its header was recognised.
  private var canonicalType: EntityType?
  /// Prescan mode: rows are tokenized but not mapped; CaseBridge CSV rows carry the id they declare.
  var prescan = false

  init(file: ChunkedFile, sourceName: String, profile: MappingProfile, encoding: String?, limits: ReadLimits,
       idFor: @escaping @Sendable (Int, Int) -> EntityID, allowsCanonical: Bool = false, unneutralises: Bool = true) throws(FormatError) {
    var dialect = CSVDialect()
    dialect.delimiter = profile.csv.delimiter
    dialect.quote = profile.csv.quote
    dialect.hasHeader = profile.csv.hasHeader
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
    self.sourceName = sourceName
    self.idFor = idFor
    self.allowsCanonical = allowsCanonical
    self.unneutralises = unneutralises
  }

  var encodingName: String? { tokenizer.encoding.rawValue }

  private mutating func bind(header: [String]?, columnCount: Int, line: Int) throws(FormatError) {
    do {
      mapper = try RecordMapper(profile: profile, header: header, columnCount: columnCount, keyedID: DeterministicID.keyedID)
    } catch {
      throw FormatError(rule: error.rule, message: error.message, location: SourceLocation(source: sourceName, line: line, column: 1, field: error.field))
    }
  }

  mutating func next() throws(FormatError) -> ReadOutcome? {
    guard let event = try tokenizer.next() else { return nil }
    switch event {
    case .bom(let length):
      return .ignored(IgnoredSpan(kind: "bom", span: SourceSpan(byteOffset: 0, byteLength: length, line: 1)))
    case .header(let row):
      let names = row.fields.map(\.value)
      if allowsCanonical, let t = CanonicalCSVColumns.byType.first(where: { $0.value.map(\.name) == names })?.key {
        canonicalType = t
      } else {
        try bind(header: names, columnCount: row.fields.count, line: row.line)
      }
      headerRow = row
      return .ignored(IgnoredSpan(kind: "header", span: SourceSpan(byteOffset: row.byteOffset, byteLength: row.byteLength, line: row.line)))
    case .blank(let offset, let length, let line):
      let span = SourceSpan(byteOffset: offset, byteLength: length, line: line)
      return .ignored(IgnoredSpan(kind: "blank-line", span: span, diagnostic: Diagnostic(
        rule: "csv.blank-row", severity: .warning, message: "blank row ignored (a blank row is not a record)",
        location: SourceLocation(source: sourceName, line: line, column: 1, byteOffset: offset, byteLength: length))))
    case .rejected(let index, let offset, let length, let line, let diagnostics):
      return .rejected(RecordIssue(index: index, span: SourceSpan(byteOffset: offset, byteLength: length, line: line), diagnostics: diagnostics))
    case .row(let row) where prescan:
      var rec = SourceRecord(index: row.index, span: SourceSpan(byteOffset: row.byteOffset, byteLength: row.byteLength, line: row.line), entities: [])
      if canonicalType != nil, let id = row.fields.first?.value, !id.isEmpty {
        rec.declaredIDs = [EntityID(unneutralises ? CSVWriter.unneutralise(id) : id)]
      }
      return .record(rec)
    case .row(let row) where canonicalType != nil:
      return canonical(row, canonicalType!)
    case .row(let row):
      if mapper == nil { try bind(header: nil, columnCount: row.fields.count, line: row.line) }
      var values = row.fields.map(\.value)
      if profile.csv.neutralised { values = values.map(CSVWriter.unneutralise) }
      let span = SourceSpan(byteOffset: row.byteOffset, byteLength: row.byteLength, line: row.line)
      let index = row.index
      let idFor = self.idFor
      switch mapper!.map(values, idFor: { idFor(index, $0) }) {
      case .entities(let entities, let warnings, let origins, let keys, let unique):
        var record = SourceRecord(index: index, span: span, entities: entities, diagnostics: warnings.map { diagnostic($0, row, .warning) })
        record.entityKeys = keys
        record.uniqueClaims = unique.map { u in
          let f = u.column.flatMap { $0 < row.fields.count ? row.fields[$0] : nil }
          return UniqueClaim(hash: u.hash, field: u.field, rule: u.rule, message: u.message, line: f?.line ?? row.line, column: f?.column ?? 1)
        }
        for (k, list) in origins.enumerated() {
          for o in list {
            let f = o.column.flatMap { $0 < row.fields.count ? row.fields[$0] : nil }
            record.origins.append(FieldOrigin(entity: k, pointer: o.pointer, field: o.field, line: f?.line ?? row.line, column: f?.column ?? 1))
          }
        }
        return .record(record)
      case .failure(let issues):
        return .rejected(RecordIssue(index: index, span: span, diagnostics: issues.map { diagnostic($0, row, .error) }))
      }
    }
  }

  /// A row of CaseBridge's own CSV: cells back into the entity's canonical JSON, decoded strictly.
  private func canonical(_ row: CSVRow, _ type: EntityType) -> ReadOutcome {
    let columns = CanonicalCSVColumns.byType[type] ?? []
    let span = SourceSpan(byteOffset: row.byteOffset, byteLength: row.byteLength, line: row.line)
    var members = [JSONMember(key: "type", value: .string(type.rawValue))]
    var issues: [MappingIssue] = []
    for (c, col) in columns.enumerated() where c < row.fields.count {
      var text = row.fields[c].value
      if unneutralises { text = CSVWriter.unneutralise(text) }
      if text.isEmpty { continue }
      let isJSON = col.kind == .json || (col.kind == .stringOrObject && text.hasPrefix("{"))
      if isJSON {
        do {
          members.append(JSONMember(key: col.name, value: try JSONParser().parse(Array(text.utf8))))
        } catch {
          issues.append(MappingIssue(rule: "csv.invalid-json-cell", message: "\(col.name): cell is not the JSON this column holds (\(error.rule))", column: c, field: col.name, value: text))
        }
      } else {
        members.append(JSONMember(key: col.name, value: .string(text)))
      }
    }
    if issues.isEmpty {
      let empty = UnsafeRawBufferPointer(start: nil, count: 0)
      switch EntityJSONDecoder().decode(.object(JSONObject(members)), bytes: empty, base: .start, baseOffset: row.byteOffset, location: { _, _, _ in SourceLocation() }) {
      case .success(let e): return .record(SourceRecord(index: row.index, span: span, entities: [e]))
      case .failure(let ds):
        for d in ds {
          let name = d.location.field.flatMap { $0.split(separator: "/").first.map(String.init) } ?? "id"
          let c = columns.firstIndex { $0.name == name }
          issues.append(MappingIssue(rule: d.rule, message: d.message, column: c, field: name, value: d.value))
        }
      }
    }
    return .rejected(RecordIssue(index: row.index, span: span, diagnostics: issues.map { diagnostic($0, row, .error) }))
  }

  private func diagnostic(_ i: MappingIssue, _ row: CSVRow, _ severity: Severity) -> Diagnostic {
    var loc = SourceLocation(source: sourceName, record: row.index, line: row.line, column: 1, byteOffset: row.byteOffset, byteLength: row.byteLength, field: i.field, recordKey: i.recordKey)
    if let c = i.column, c < row.fields.count {
      loc.line = row.fields[c].line
      loc.column = row.fields[c].column
    }
    return Diagnostic(rule: i.rule, severity: severity, message: i.message, location: loc, value: i.value)
  }
}
