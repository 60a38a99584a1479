public import CaseModel
public import CaseInterchange
import CaseXML

/// Reads NCMEC CyberTipline XML documents: a `<report>` or a `<fileDetails>` document is ONE source record (its
/// span is the whole root element); any other root rejects the input whole (`ncmec.unknown-root`). NCMEC's API
/// responses (`reportResponse`, `reportDoneResponse`) hold no case facts: they are ignored with a warning.
///
/// The XML is read by CaseXML's hardened reader (no DTDs, no entities, no network, limits); the mapping is
/// ``NCMECReportMapper`` and ``NCMECFileDetailsMapper``.
public struct NCMECReportReader: RecordReader {
  private let reader: XMLRecordReader
  private let file: ChunkedFile
  private let sourceName: String
  private let idFor: @Sendable (Int, Int) -> EntityID
  private let keyedID: @Sendable (String) -> EntityID
  private let prescan: Bool

  /// Opens a document.
  /// - Parameters:
  ///   - file: The input.
  ///   - sourceName: Its display name.
  ///   - limits: The run's limits.
  ///   - idFor: Ids of the entities of a record, by (record, ordinal).
  ///   - keyedID: Value-derived ids (`ncmec:report:<reportId>`).
  ///   - prescan: First-pass mode: the document is parsed without building the tree; a report's record carries
  ///     only the keyed Case id it declares.
  /// - Throws: `FormatError` when the input cannot be opened as XML.
  public init(
    file: ChunkedFile, sourceName: String, limits: ReadLimits, idFor: @escaping @Sendable (Int, Int) -> EntityID,
    keyedID: @escaping @Sendable (String) -> EntityID, prescan: Bool = false
  ) throws(FormatError) {
    reader = try XMLRecordReader(
      file: file, sourceName: sourceName, selector: .root, schema: nil, limits: XMLLimits(limits), buildsTree: !prescan)
    self.file = file
    self.sourceName = sourceName
    self.idFor = idFor
    self.keyedID = keyedID
    self.prescan = prescan
  }

  /// The document's one outcome, then nil. (The pipeline keeps the prolog in front of a quarantined document.)
  /// - Throws: `FormatError` when the XML is not well-formed, breaks a limit, or its root is not NCMEC's.
  public mutating func next() throws(FormatError) -> ReadOutcome? {
    guard let rec = try reader.next() else { return nil }
    return try recordOutcome(rec)
  }

  private func recordOutcome(_ rec: XMLRecord) throws(FormatError) -> ReadOutcome {
    let root = rec.element
    let name = root.name.namespace == nil ? root.name.local : ""
    switch name {
    case "report":
      let (reportId, issue) = try NCMECReportID.read(file, before: rec.span, sourceName: sourceName, record: rec.index)
      if let issue { return .rejected(RecordIssue(index: rec.index, span: rec.span, diagnostics: [issue])) }
      if prescan {
        var r = SourceRecord(index: rec.index, span: rec.span, entities: [])
        r.declaredIDs = reportId.map { [keyedID("ncmec:report:" + $0)] } ?? []
        return .record(r)
      }
      return outcome(rec, NCMECReportMapper.map(report: root, record: rec.index, reportId: reportId, sourceName: sourceName, idFor: idFor, keyedID: keyedID))
    case "fileDetails":
      if prescan { return .record(SourceRecord(index: rec.index, span: rec.span, entities: [])) }
      return outcome(rec, NCMECFileDetailsMapper.map(fileDetails: root, record: rec.index, sourceName: sourceName, idFor: idFor, keyedID: keyedID))
    case "reportResponse", "reportDoneResponse":
      return .ignored(IgnoredSpan(kind: "response", span: rec.span, diagnostic: Diagnostic(
        rule: "ncmec.response-document", severity: .warning,
        message: "\(name) is an NCMEC API response, not a report: it holds no case facts and is ignored",
        location: SourceLocation(source: sourceName, line: rec.span.line, column: rec.span.column, byteOffset: rec.span.byteOffset, byteLength: rec.span.byteLength))))
    default:
      throw FormatError(
        rule: "ncmec.unknown-root", message: "root element \(root.name) is not an NCMEC report or fileDetails document",
        location: SourceLocation(source: sourceName, line: rec.span.line, column: rec.span.column, byteOffset: rec.span.byteOffset))
    }
  }

  private func outcome(_ rec: XMLRecord, _ m: NCMECMapping) -> ReadOutcome {
    if m.hasErrors { return .rejected(RecordIssue(index: rec.index, span: rec.span, diagnostics: m.diagnostics)) }
    var r = SourceRecord(index: rec.index, span: rec.span, entities: m.entities, diagnostics: m.diagnostics)
    r.origins = m.origins
    return .record(r)
  }
}

extension NCMECReportID {
  /// The report id a `<?casebridge-ncmec reportId="…"?>` processing instruction in the prolog states (canonical
  /// decimal), or a located error when it states one that is not a positive decimal integer.
  static func read(_ file: ChunkedFile, before span: SourceSpan, sourceName: String, record: Int) throws(FormatError) -> (String?, Diagnostic?) {
    let length = min(span.byteOffset, 64 << 10)
    guard length > 0 else { return (nil, nil) }
    let prolog = try file.bytes(at: 0, length: length)
    let marker = Array("<?\(target)".utf8)
    guard let start = firstIndex(of: marker, in: prolog) else { return (nil, nil) }
    let bodyStart = start + marker.count
    let end = firstIndex(of: Array("?>".utf8), in: prolog, from: bodyStart) ?? prolog.count
    let body = String(decoding: prolog[bodyStart..<end], as: UTF8.self)
    let line = 1 + prolog[..<start].filter { $0 == 0x0A }.count
    let column = 1 + start - ((prolog[..<start].lastIndex(of: 0x0A)).map { $0 + 1 } ?? 0)
    let value = body.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" })
      .first { $0.hasPrefix("reportId=") }
      .map { String($0.dropFirst("reportId=".count)).trimmingQuotes }
    guard let value, let n = xsdInteger(value, bits: 64), n > 0, value.utf8.allSatisfy({ $0 &- 0x30 < 10 }) else {
      return (nil, Diagnostic(
        rule: "ncmec.invalid-report-id", severity: .error,
        message: "the \(target) processing instruction has no reportId that is a positive decimal integer",
        location: SourceLocation(source: sourceName, record: record, line: line, column: column, field: "?\(target)/@reportId"),
        value: body))
    }
    return (String(n), nil)
  }

  private static func firstIndex(of needle: [UInt8], in hay: [UInt8], from: Int = 0) -> Int? {
    guard needle.count <= hay.count else { return nil }
    var i = from
    while i + needle.count <= hay.count {
      if hay[i] == needle[0] && Array(hay[i..<(i + needle.count)]) == needle { return i }
      i += 1
    }
    return nil
  }
}

extension String {
  fileprivate var trimmingQuotes: String {
    guard utf8.count >= 2, let f = first, f == "\"" || f == "'", last == f else { return "" }
    return String(dropFirst().dropLast())
  }
}
