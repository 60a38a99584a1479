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
  private let input: WholeInput
  private let layout: ISPTextLayout
  private var sourceName: String { input.sourceName }
  private var profile: MappingProfile { input.profile }
  /// Prescan mode: records carry only the ids they declare (the response's entities), nothing is mapped.
  public var prescan = false
  /// The outcomes, made one at a time once the letter's structure and header are known.
  private var emitter: LetterEmitter? = nil

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
    if emitter == nil { emitter = try plan() }
    return emitter!.next()
  }

  // MARK: planning

  private func span(_ l: TextLine) -> SourceSpan { SourceSpan(byteOffset: l.start, byteLength: l.end - l.start, line: l.number) }

  private func lineDiagnostic(_ rule: String, _ severity: Severity, _ message: String, _ l: TextLine, column: Int = 1) -> Diagnostic {
    Diagnostic(rule: rule, severity: severity, message: message, location: SourceLocation(source: sourceName, line: l.number, column: column, byteOffset: l.start, byteLength: l.end - l.start))
  }

  /// Reads the letter, finds its structure (header, record blocks, end marker) in one pass that keeps no line, and
  /// maps the response header. Record blocks are mapped later, one per outcome, so memory stays the input's bytes
  /// plus one block's work.
  private func plan() throws(FormatError) -> LetterEmitter {
    let bytes = try input.bytes(cap: WholeInput.maxLetterBytes)
    var first = 0
    if bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF { first = 3 }

    // Structure: header lines, record blocks, the end marker, trailer lines.
    var blockCount = 0
    var firstStart: TextLine? = nil
    var endMarker: TextLine? = nil
    var lastLine: TextLine? = nil
    for l in LineCursor(bytes, from: first) {
      lastLine = l
      guard l.text != nil else {
        if blockCount == 0, let bad = l.badByte { throw headerByteError(bad, l, bytes) }
        continue
      }
      if let end = layout.end, end.matches(l) {
        endMarker = l
        break
      }
      if layout.recordStart.matches(l) {
        if blockCount == 0 { firstStart = l }
        blockCount += 1
      }
    }
    let headerEnd = firstStart?.start ?? endMarker?.start ?? bytes.count
    if layout.end != nil && endMarker == nil && blockCount == 0 {
      throw FormatError(
        rule: "isp.truncated", message: "the response has no record block and no end marker: it is truncated or not this provider's layout",
        location: SourceLocation(source: sourceName, line: lastLine?.number ?? 1, column: 1, byteOffset: bytes.count, byteLength: 0))
    }

    // The response: labels, sentences, statements of the header.
    let columns = VirtualColumns(profile: profile, extraLabels: layout.extraLabels)
    let header = LineCursor(bytes, from: first, to: headerEnd)
    let headerScan = scanBlock(header, bytes: bytes, columns: columns, sentences: layout.sentences, maxFieldBytes: input.limits.maxFieldBytes, keepUnrecognised: false)
    var headerNotes: [Int: Diagnostic] = [:]  // header line number -> finding
    var recordNotes: [Diagnostic] = []
    func note(_ d: Diagnostic, line number: Int?) {
      if let number, headerNotes[number] == nil { headerNotes[number] = d } else { recordNotes.append(d) }
    }
    let zone = statedZone(header, note: note)
    countCheck(header, found: blockCount, note: note)
    if let p = headerScan.longParagraph { note(paragraphTooLong(p), line: p.line) }

    let response = try input.mapResponse(bytes, columns, zone: zone, place: "the response header") { mapper in
      var scan = headerScan
      scan.fillSynthetic(columns, mapper: mapper, zone: zone)
      return scan
    }
    let recordMapper = try input.bind(input.positions(nil), columns, external: response.ids, zone: zone)
    return LetterEmitter(
      reader: self, bytes: bytes, first: first, headerEnd: headerEnd, blockCount: blockCount, endMarker: endMarker,
      lastLine: lastLine, headerNotes: headerNotes, recordNotes: recordNotes, columns: columns, recordMapper: recordMapper,
      zone: zone, response: response)
  }

  /// The outcomes of a planned letter, in input order, made as they are asked for.
  private final class LetterEmitter {
    let reader: ISPTextReader
    let bytes: [UInt8]
    let first: Int
    let headerEnd: Int
    let blockCount: Int
    let endMarker: TextLine?
    let lastLine: TextLine?
    let headerNotes: [Int: Diagnostic]
    let recordNotes: [Diagnostic]
    let columns: VirtualColumns
    let recordMapper: SectionMapper
    let zone: ZoneStatement?
    let response: (result: MappingResult?, points: [TextPoint?], ids: [Int: EntityID])

    private enum Phase { case bom, header, block, blanks, marker, trailer, done }
    private var phase = Phase.bom
    private var cursor: LineCursor
    /// Where the blank lines after a block stop (the next block, the end marker or the end of input).
    private var blanksEnd = 0
    private var block = 0
    private var carried = false
    private var previousNumber: Int? = nil
    private var warnedTrailer = false
    /// Whether the delimiter numbers its records (asked once: the question builds the pattern's capture list).
    private let numbered: Bool

    init(
      reader: ISPTextReader, bytes: [UInt8], first: Int, headerEnd: Int, blockCount: Int, endMarker: TextLine?,
      lastLine: TextLine?, headerNotes: [Int: Diagnostic], recordNotes: [Diagnostic], columns: VirtualColumns,
      recordMapper: SectionMapper, zone: ZoneStatement?, response: (result: MappingResult?, points: [TextPoint?], ids: [Int: EntityID])
    ) {
      self.reader = reader
      self.bytes = bytes
      self.first = first
      self.headerEnd = headerEnd
      self.blockCount = blockCount
      self.endMarker = endMarker
      self.lastLine = lastLine
      self.headerNotes = headerNotes
      self.recordNotes = recordNotes
      self.columns = columns
      self.recordMapper = recordMapper
      self.zone = zone
      self.response = response
      cursor = LineCursor(bytes, from: first, to: headerEnd)
      numbered = reader.layout.recordStart.hasCapture("number")
    }

    func next() -> ReadOutcome? {
      while true {
        switch phase {
        case .bom:
          phase = .header
          if first == 3 { return .ignored(IgnoredSpan(kind: "bom", span: SourceSpan(byteOffset: 0, byteLength: 3, line: 1))) }
        case .header:
          if let l = cursor.next() {
            // A header finding made without the line's bytes (a long paragraph's) carries the line's span too.
            var note = headerNotes[l.number]
            if note?.location.byteOffset == nil { note?.location.byteOffset = l.start }
            if note?.location.byteLength == nil { note?.location.byteLength = l.end - l.start }
            return .ignored(IgnoredSpan(kind: "header", span: reader.span(l), diagnostic: note))
          }
          cursor = LineCursor(bytes, from: headerEnd, line: cursor.number)
          phase = blockCount > 0 ? .block : .marker
        case .block:
          guard block < blockCount, let start = cursor.next() else {
            phase = .marker
            continue
          }
          return nextBlock(start)
        case .blanks:
          if let l = cursor.next() { return .ignored(IgnoredSpan(kind: "blank-line", span: reader.span(l))) }
          cursor = LineCursor(bytes, from: blanksEnd, line: cursor.number)
          phase = .block
        case .marker:
          guard let endMarker else {
            phase = .done
            continue
          }
          phase = .trailer
          cursor = LineCursor(bytes, after: endMarker)
          return .ignored(IgnoredSpan(kind: "marker", span: reader.span(endMarker), diagnostic: blockCount == 0 ? recordNotes.first : nil))
        case .trailer:
          guard let l = cursor.next() else {
            phase = .done
            continue
          }
          if l.isBlank { return .ignored(IgnoredSpan(kind: "blank-line", span: reader.span(l))) }
          let warned = warnedTrailer
          warnedTrailer = true
          return .ignored(IgnoredSpan(kind: "trailer", span: reader.span(l), diagnostic: warned ? nil : reader.lineDiagnostic(
            "isp.trailing-text", .warning, "text after the response's end marker is not read (a signature or a second response?)", l)))
        case .done:
          return nil
        }
      }
    }

    /// The record of the block starting at `start`; the cursor is left on the blank lines after it.
    private func nextBlock(_ start: TextLine) -> ReadOutcome {
      let layout = reader.layout
      // Find the block's last non-blank line and where the next block (or the end marker) starts.
      var last = start
      var boundary = LineCursor(bytes, after: start)
      var stop = bytes.count
      while let l = boundary.next() {
        if l.text != nil, (layout.end?.matches(l) ?? false) || layout.recordStart.matches(l) {
          stop = l.start
          break
        }
        if !l.isBlank { last = l }
      }
      let k = block
      block += 1
      let recordSpan = SourceSpan(byteOffset: start.start, byteLength: last.end - start.start, line: start.number)
      var a = RecordAssembly(source: reader.sourceName, index: k, span: recordSpan)
      if k == 0 { a.diagnostics += recordNotes }
      if numbered { previousNumber = reader.numberCheck(start, previous: previousNumber, into: &a) }
      let body = LineCursor(bytes, from: start.start, line: start.number, to: last.end)
      if let (l, (rule, offset)) = body.lazy.compactMap({ l in l.badByte.map { (l, $0) } }).first {
        let col = scalarColumn(bytes[l.start..<offset], upTo: offset - l.start)
        a.add(rule, .error, rule == "isp.nul" ? "NUL character at line \(l.number), column \(col)" : "invalid UTF-8 at line \(l.number), column \(col)", at: TextPoint(line: l.number, column: col))
      } else if recordSpan.byteLength > reader.input.limits.maxRecordBytes {
        a.add("isp.record-too-large", .error, "record block has \(recordSpan.byteLength) bytes, over the limit of \(reader.input.limits.maxRecordBytes)", at: nil)
      } else {
        WholeInput.carry(response, into: &a, carried: &carried)
        if !reader.prescan {
          reader.mapRecord(LineCursor(bytes, after: start, to: last.end), bytes: bytes, columns: columns, mapper: recordMapper, zone: zone, into: &a)
        }
      }
      if layout.end != nil, endMarker == nil, k == blockCount - 1, let end = lastLine {
        a.add("isp.truncated", .error, "the response ends without its end marker: this last record block may be cut off", at: TextPoint(line: end.number, column: scalarColumn(bytes[end.start..<end.contentEnd], upTo: end.contentEnd - end.start)))
      }
      cursor = LineCursor(bytes, after: last, to: stop)
      blanksEnd = stop
      phase = .blanks
      return a.outcome(prescan: reader.prescan)
    }
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
  private func statedZone(_ header: LineCursor, note: (Diagnostic, Int?) -> Void) -> ZoneStatement? {
    var found: ZoneStatement? = nil
    for l in header {
      for s in layout.zoneStatements where s.pattern.matches(l) {
        if let f = found, f.zoneIdentifier != s.zoneIdentifier {
          note(lineDiagnostic("isp.zone-statement-conflict", .warning, "the response states two different zones for its times; neither is used", l), l.number)
          return nil
        }
        found = s
      }
    }
    return found
  }

  /// Compares the header's "records produced: N" with the record blocks found.
  private func countCheck(_ header: LineCursor, found: Int, note: (Diagnostic, Int?) -> Void) {
    guard let count = layout.count else { return }
    var firstLine: TextLine? = nil
    for l in header {
      if firstLine == nil { firstLine = l }
      guard let t = l.text, let m = count.boundedFirstMatch(in: t), let c = m.output["count"], let s = c.substring,
        let range = c.range
      else { continue }
      let col = scalarColumn(Array(t.utf8), upTo: t.utf8.distance(from: t.startIndex, to: range.lowerBound))
      guard let n = Int(s), n == found else {
        note(Diagnostic(
          rule: "isp.count-mismatch", severity: .warning,
          message: "the response says it holds \(s.count <= 9 ? String(s) : "more") records, \(found) record blocks were found",
          location: SourceLocation(source: sourceName, line: l.number, column: col, byteOffset: l.start, byteLength: l.end - l.start)), l.number)
        return
      }
      return
    }
    note(Diagnostic(
      rule: "isp.count-missing", severity: .warning, message: "the response header does not state how many records it holds, so completeness cannot be checked",
      location: SourceLocation(source: sourceName, line: firstLine?.number ?? 1, column: 1, byteOffset: firstLine?.start, byteLength: firstLine.map { $0.end - $0.start })), firstLine?.number)
  }

  /// The record-numbering check (for a `record` pattern with a `number` capture): a record number that does not
  /// follow the previous one is `isp.record-gap`. The number may be as large as `Int.max`: the expected one is
  /// computed without overflow.
  private func numberCheck(_ start: TextLine, previous: Int?, into a: inout RecordAssembly) -> Int? {
    guard let t = start.text, let m = layout.recordStart.boundedFirstMatch(in: t),
      let s = m.output["number"]?.substring, let n = Int(s)
    else { return previous }
    let (expected, overflow) = (previous ?? 0).addingReportingOverflow(1)
    if overflow {
      a.add("isp.record-gap", .warning, "record number \(n) follows the largest record number there can be: records are out of order", at: TextPoint(line: start.number, column: 1))
    } else if n != expected {
      a.add("isp.record-gap", .warning, "record number \(n) where \(expected) was expected: records are missing or out of order", at: TextPoint(line: start.number, column: 1))
    }
    return n
  }

  /// `isp.paragraph-too-long`: a paragraph past the pattern bound, read as unrecognised text.
  private func paragraphTooLong(_ p: TextPoint) -> Diagnostic {
    Diagnostic(
      rule: "isp.paragraph-too-long", severity: .warning,
      message: "the paragraph at line \(p.line) is longer than the \(PatternBound.maxBytes) bytes sentence patterns are matched against; it is read as unrecognised text",
      location: SourceLocation(source: sourceName, line: p.line, column: p.column))
  }

  private func mapRecord(_ body: LineCursor, bytes: [UInt8], columns: VirtualColumns, mapper: SectionMapper, zone: ZoneStatement?, into a: inout RecordAssembly) {
    var scan = scanBlock(
      body, bytes: bytes, columns: columns, sentences: layout.sentences, maxFieldBytes: input.limits.maxFieldBytes,
      keepUnrecognised: profile.unmapped == .keep)
    if let p = scan.longParagraph {
      var d = paragraphTooLong(p)
      d.location = a.diagnostic(d.rule, d.severity, d.message, at: p).location
      a.diagnostics.append(d)
    }
    if let t = scan.tooLarge {
      a.add("isp.field-too-large", .error, "\(columns.names[t.column]) at line \(t.at.line) is longer than the \(input.limits.maxFieldBytes)-byte field limit", at: t.at, field: columns.names[t.column])
    }
    for r in scan.repeated {
      a.add("isp.repeated-value", .error, "\(columns.names[r.column]) is given twice in the record with different values", at: r.at, field: columns.names[r.column])
    }
    scan.fillSynthetic(columns, mapper: mapper, zone: zone)
    var values = scan.values
    if let u = scan.firstUnrecognised {
      switch profile.unmapped {
      case .keep: values[columns.unrecognised] = scan.unrecognised
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

extension ProfileRegex {
  /// Whether a line (decoded, within the pattern bound) matches.
  fileprivate func matches(_ l: TextLine) -> Bool {
    guard let t = l.text else { return false }
    return boundedMatches(t)
  }
}
