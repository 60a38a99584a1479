public import CaseModel
public import CaseInterchange
public import CaseMapping

/// Provider legal-process letters (`isp-text`): key-value record blocks read through a provider profile.
///
/// The input is read whole (letters are small; at most 64 MiB) and split into lines (LF, CRLF or CR). The profile's
/// `layout.text.record` pattern starts each record block; an optional `end` pattern ends the response. What comes
/// before the first block is the response header; what comes after the end marker is a trailer.
///
/// - Each record block is one source record; its span runs from its delimiter line to its last non-blank line.
///   Blank lines between blocks are ignored (`blank-line`), every header line is ignored (`header`, so quarantine
///   files carry the header), the end marker is ignored (`marker`), trailer lines are ignored (`trailer`, with an
///   `isp.trailing-text` warning when they hold text).
/// - Values come from labels (`Label: value`, recognised case-insensitively at the start of a line or after a
///   space, several per line) and from the named captures of sentence patterns matched against paragraphs (runs
///   of lines without labels, joined with single spaces). Each becomes a virtual column, and the profile's
///   `RecordMapper` maps the virtual row, so every transform and strict model rule applies; findings point at the
///   line and column of the value.
/// - The header gives the response: a `count` statement (`isp.count-mismatch` / `isp.count-missing`, warnings on
///   the header line), zone statements (the stated zone replaces the profile's default zone for timestamp fields
///   that declare none), and the entities of mappings with `section: "response"` (e.g. the LegalProcess). Those are
///   emitted once, with the first record block that decodes, under value-derived ids (the whole input's digest
///   and the mapping's position), so every record can reference them.
/// - A response whose profile declares `end` but that has no end marker is truncated: its last record block is
///   quarantined (`isp.truncated`); with no record block at all the input is rejected whole.
public struct ISPTextReader: RecordReader {
  private var input: WholeInput
  private let layout: ISPTextLayout
  private var sourceName: String { input.sourceName }
  private var profile: MappingProfile { input.profile }
  /// Prescan mode: records carry only the ids they declare (the response's entities), nothing is mapped.
  public var prescan = false

  /// Prepares to read a letter.
  /// - Parameters:
  ///   - idFor: the id of the entity at a profile position of a record.
  ///   - keyedID: value-derived ids (for the response's entities).
  /// - Throws: `FormatError` when the profile has no `layout.text`.
  public init(
    file: ChunkedFile, sourceName: String, profile: MappingProfile, limits: ReadLimits,
    idFor: @escaping @Sendable (Int, Int) -> EntityID, keyedID: @escaping @Sendable (String) -> EntityID
  ) throws(FormatError) {
    guard let layout = profile.ispText else {
      throw FormatError(rule: "profile.layout-mismatch", message: "the profile has no isp-text layout", location: SourceLocation(source: sourceName))
    }
    input = WholeInput(file: file, sourceName: sourceName, profile: profile, limits: limits, idFor: idFor, keyedID: keyedID)
    self.layout = layout
  }

  public mutating func next() throws(FormatError) -> ReadOutcome? {
    let reader = self
    return try input.next { () throws(FormatError) in try reader.plan() }
  }

  // MARK: planning

  private func span(_ l: TextLine) -> SourceSpan { SourceSpan(byteOffset: l.start, byteLength: l.end - l.start, line: l.number) }

  private func lineDiagnostic(_ rule: String, _ severity: Severity, _ message: String, _ l: TextLine, column: Int = 1) -> Diagnostic {
    Diagnostic(rule: rule, severity: severity, message: message, location: SourceLocation(source: sourceName, line: l.number, column: column, byteOffset: l.start, byteLength: l.end - l.start))
  }

  private func matches(_ r: ProfileRegex, _ l: TextLine) -> Bool {
    guard let t = l.text else { return false }
    return (try? r.regex.firstMatch(in: t)) != nil
  }

  private func plan() throws(FormatError) -> [ReadOutcome] {
    let bytes = try input.bytes()
    var out: [ReadOutcome] = []
    var first = 0
    if bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF {
      out.append(.ignored(IgnoredSpan(kind: "bom", span: SourceSpan(byteOffset: 0, byteLength: 3, line: 1))))
      first = 3
    }
    let lines = splitLines(bytes, from: first)

    // Structure: header lines, record blocks, the end marker, trailer lines.
    var starts: [Int] = []
    var endIndex: Int? = nil
    for (i, l) in lines.enumerated() {
      guard l.text != nil else {
        if starts.isEmpty, let bad = l.badByte { throw headerByteError(bad, l, bytes) }
        continue
      }
      if let end = layout.end, matches(end, l) {
        endIndex = i
        break
      }
      if matches(layout.recordStart, l) { starts.append(i) }
    }
    let headerEnd = starts.first ?? endIndex ?? lines.count
    let stop = endIndex ?? lines.count
    var blocks: [(start: Int, last: Int)] = []
    for (k, s) in starts.enumerated() {
      var last = (k + 1 < starts.count ? starts[k + 1] : stop) - 1
      while last > s && lines[last].isBlank { last -= 1 }
      blocks.append((s, last))
    }
    if layout.end != nil && endIndex == nil && blocks.isEmpty {
      throw FormatError(
        rule: "isp.truncated", message: "the response has no record block and no end marker: it is truncated or not this provider's layout",
        location: SourceLocation(source: sourceName, line: lines.last?.number ?? 1, column: 1, byteOffset: bytes.count, byteLength: 0))
    }

    // The response: labels, sentences, statements of the header.
    let columns = VirtualColumns(profile: profile, extraLabels: layout.extraLabels)
    let header = lines[0..<headerEnd]
    let headerScan = scanBlock(header, bytes: bytes, columns: columns, sentences: layout.sentences)
    var headerNotes: [Int: Diagnostic] = [:]  // header line index -> finding
    var recordNotes: [Diagnostic] = []
    func note(_ d: Diagnostic, line index: Int?) {
      if let index, headerNotes[index] == nil { headerNotes[index] = d } else { recordNotes.append(d) }
    }
    let zone = statedZone(header, note: note)
    countCheck(header, found: blocks.count, note: note)

    let response = try input.mapResponse(bytes, columns, zone: zone, place: "the response header") { mapper in
      var scan = headerScan
      scan.fillSynthetic(columns, mapper: mapper, zone: zone)
      return scan
    }
    let recordMapper = try input.bind(input.positions(nil), columns, external: response.ids, zone: zone)

    // Emit in input order.
    for i in 0..<headerEnd {
      out.append(.ignored(IgnoredSpan(kind: "header", span: span(lines[i]), diagnostic: headerNotes[i])))
    }
    var carried = false
    var previousNumber: Int? = nil
    for (k, b) in blocks.enumerated() {
      let first = lines[b.start]
      let last = lines[b.last]
      let recordSpan = SourceSpan(byteOffset: first.start, byteLength: last.end - first.start, line: first.number)
      var a = RecordAssembly(source: sourceName, index: k, span: recordSpan)
      if k == 0 { a.diagnostics += recordNotes }
      let body = lines[b.start...b.last]
      previousNumber = numberCheck(first, previous: previousNumber, into: &a)
      if let bad = body.lazy.compactMap({ l in l.badByte.map { (l, $0) } }).first {
        let (l, (rule, offset)) = bad
        let col = scalarColumn(bytes[l.start..<offset], upTo: offset - l.start)
        a.add(rule, .error, rule == "isp.nul" ? "NUL character at line \(l.number), column \(col)" : "invalid UTF-8 at line \(l.number), column \(col)", at: TextPoint(line: l.number, column: col))
      } else if recordSpan.byteLength > input.limits.maxRecordBytes {
        a.add("isp.record-too-large", .error, "record block has \(recordSpan.byteLength) bytes, over the limit of \(input.limits.maxRecordBytes)", at: nil)
      } else {
        WholeInput.carry(response, into: &a, carried: &carried)
        if !prescan { mapRecord(body.dropFirst(), bytes: bytes, columns: columns, mapper: recordMapper, zone: zone, into: &a) }
      }
      if layout.end != nil, endIndex == nil, k == blocks.count - 1 {
        let end = lines[lines.count - 1]
        a.add("isp.truncated", .error, "the response ends without its end marker: this last record block may be cut off", at: TextPoint(line: end.number, column: scalarColumn(bytes[end.start..<end.contentEnd], upTo: end.contentEnd - end.start)))
      }
      out.append(a.outcome(prescan: prescan))
      let next = k + 1 < blocks.count ? blocks[k + 1].start : stop
      for i in (b.last + 1)..<max(b.last + 1, next) {
        out.append(.ignored(IgnoredSpan(kind: "blank-line", span: span(lines[i]))))
      }
    }
    if let endIndex {
      out.append(.ignored(IgnoredSpan(kind: "marker", span: span(lines[endIndex]), diagnostic: blocks.isEmpty ? recordNotes.first : nil)))
      var warned = false
      for l in lines[(endIndex + 1)...] {
        if l.isBlank {
          out.append(.ignored(IgnoredSpan(kind: "blank-line", span: span(l))))
          continue
        }
        out.append(.ignored(IgnoredSpan(kind: "trailer", span: span(l), diagnostic: warned ? nil : lineDiagnostic(
          "isp.trailing-text", .warning, "text after the response's end marker is not read (a signature or a second response?)", l))))
        warned = true
      }
    }
    return out
  }

  private func headerByteError(_ bad: (rule: String, offset: Int), _ l: TextLine, _ bytes: [UInt8]) -> FormatError {
    let col = scalarColumn(bytes[l.start..<bad.offset], upTo: bad.offset - l.start)
    let what = bad.rule == "isp.nul" ? "a NUL character" : "bytes that are not UTF-8"
    return FormatError(
      rule: bad.rule, message: "the response header holds \(what) at line \(l.number), column \(col); its statements cannot be trusted",
      location: SourceLocation(source: sourceName, line: l.number, column: col, byteOffset: bad.offset, byteLength: 1))
  }

  /// The zone the header states: one statement, or several that agree. Statements naming different zones are
  /// `isp.zone-statement-conflict` (warning) and no zone is taken from them.
  private func statedZone(_ header: ArraySlice<TextLine>, note: (Diagnostic, Int?) -> Void) -> ZoneStatement? {
    var found: ZoneStatement? = nil
    for (i, l) in zip(header.indices, header) {
      for s in layout.zoneStatements where matches(s.pattern, l) {
        if let f = found, f.zoneIdentifier != s.zoneIdentifier {
          note(lineDiagnostic("isp.zone-statement-conflict", .warning, "the response states two different zones for its times; neither is used", l), i)
          return nil
        }
        found = s
      }
    }
    return found
  }

  /// Compares the header's "records produced: N" with the record blocks found.
  private func countCheck(_ header: ArraySlice<TextLine>, found: Int, note: (Diagnostic, Int?) -> Void) {
    guard let count = layout.count else { return }
    for (i, l) in zip(header.indices, header) {
      guard let t = l.text, let m = try? count.regex.firstMatch(in: t), let c = m.output["count"], let s = c.substring,
        let range = c.range
      else { continue }
      let col = scalarColumn(Array(t.utf8), upTo: t.utf8.distance(from: t.startIndex, to: range.lowerBound))
      guard let n = Int(s), n == found else {
        note(Diagnostic(
          rule: "isp.count-mismatch", severity: .warning,
          message: "the response says it holds \(s.count <= 9 ? String(s) : "more") records, \(found) record blocks were found",
          location: SourceLocation(source: sourceName, line: l.number, column: col, byteOffset: l.start, byteLength: l.end - l.start)), i)
        return
      }
      return
    }
    let firstLine = header.first
    note(Diagnostic(
      rule: "isp.count-missing", severity: .warning, message: "the response header does not state how many records it holds, so completeness cannot be checked",
      location: SourceLocation(source: sourceName, line: firstLine?.number ?? 1, column: 1, byteOffset: firstLine?.start, byteLength: firstLine.map { $0.end - $0.start })), firstLine == nil ? nil : header.startIndex)
  }

  /// The record-numbering check: a record number that does not follow the previous one is `isp.record-gap`.
  private func numberCheck(_ start: TextLine, previous: Int?, into a: inout RecordAssembly) -> Int? {
    guard layout.recordStart.hasCapture("number"), let t = start.text, let m = try? layout.recordStart.regex.firstMatch(in: t),
      let s = m.output["number"]?.substring, let n = Int(s)
    else { return previous }
    let expected = (previous ?? 0) + 1
    if n != expected {
      a.add("isp.record-gap", .warning, "record number \(n) where \(expected) was expected: records are missing or out of order", at: TextPoint(line: start.number, column: 1))
    }
    return n
  }

  private func mapRecord(_ body: ArraySlice<TextLine>, bytes: [UInt8], columns: VirtualColumns, mapper: SectionMapper, zone: ZoneStatement?, into a: inout RecordAssembly) {
    var scan = scanBlock(body, bytes: bytes, columns: columns, sentences: layout.sentences)
    for r in scan.repeated {
      a.add("isp.repeated-value", .error, "\(columns.names[r.column]) is given twice in the record with different values", at: r.at, field: columns.names[r.column])
    }
    scan.fillSynthetic(columns, mapper: mapper, zone: zone)
    var values = scan.values
    if let u = scan.unrecognised.first {
      switch profile.unmapped {
      case .keep: values[columns.unrecognised] = scan.unrecognised.map(\.text).joined(separator: "\n")
      case .drop: break
      case .error:
        a.add("isp.unrecognised-text", .error, "text at line \(u.at.line) is read by no label or sentence and the profile says unmapped: error", at: u.at, value: u.text)
      }
    }
    let index = a.index
    let idFor = input.idFor
    a.add(mapper.map(values, idFor: { idFor(index, $0) }), points: scan.points)
  }
}
