public import CaseModel
public import CaseInterchange
import CaseJSON

/// Reads CyberTip JSON, the reports police download from the ICAC Data System (format id `cybertip-json`).
///
/// One tip is one source record. The input is either one tip object (pretty-printed or not), several tip objects
/// one after another (JSON Lines of tips), or one array of tips:
///
/// - An array (the first byte that is not whitespace is `[`) is streamed element by element with CaseJSON's
///   document splitter: a malformed element (duplicate key, invalid UTF-8, bad number, ...) is rejected alone with
///   its located `json.*` error; a structural error (unbalanced brackets, missing or trailing comma, trailing
///   data, an element over the record limit) throws `FormatError` and the input is rejected whole. A record's
///   span is the element's bytes and its pointer `/<index>`.
/// - Otherwise tips are cut into units of whole lines (`TipUnitScanner`): one unit per JSON Lines line, one for a
///   pretty-printed document. Each unit is parsed alone by the strict parser, so a broken one is rejected and
///   reading goes on. Its span covers its lines with their terminators; blank lines between tips are ignored.
///
/// A UTF-8 byte order mark at the start is ignored with a `json.bom` warning (IDS downloads are read as
/// `utf-8-sig` by the public parsers). Each parsed tip is mapped by `CyberTipMapper`.
public struct CyberTipJSONReader: RecordReader {
  private enum Mode {
    case undecided
    case array(JSONDocumentSplitter)
    case values(TipUnitScanner)
  }

  private let file: ChunkedFile
  private let sourceName: String
  private let limits: ReadLimits
  private let idFor: @Sendable (Int, Int) -> EntityID
  private let keyedID: @Sendable (String) -> EntityID
  private let parser: JSONParser
  private var mode = Mode.undecided
  private var prefix: [UInt8] = []
  private var bomLength = 0
  private var recordIndex = 0
  private var queue: [ReadOutcome] = []
  private var queueHead = 0
  private var finished = false

  /// Prescan mode: tips are parsed (so syntax problems are found) but not mapped; each record declares its Case
  /// id (value-derived from `reportId`), so a report read twice in one run is reported as a duplicate id.
  public var prescan = false

  /// Creates a reader over an open file.
  /// - Parameters:
  ///   - idFor: the id of the entity at an ordinal of a record (`ReaderContext.idFor`), so entities of one tip
  ///     reference each other.
  ///   - keyedID: value-derived ids (`ReaderContext.keyedID`); the Case of a tip is `keyedID("ncmec:report:" +
  ///     reportId)`, the same id the report gets from NCMEC XML.
  public init(
    file: ChunkedFile, sourceName: String, limits: ReadLimits = ReadLimits(),
    idFor: @escaping @Sendable (Int, Int) -> EntityID, keyedID: @escaping @Sendable (String) -> EntityID
  ) {
    self.file = file
    self.sourceName = sourceName
    self.limits = limits
    self.idFor = idFor
    self.keyedID = keyedID
    var jl = JSONLimits()
    jl.maxDepth = limits.safeDepth
    jl.maxStringBytes = limits.maxFieldBytes
    jl.maxDocumentBytes = limits.maxRecordBytes
    parser = JSONParser(limits: jl)
  }

  /// The next outcome.
  /// - Throws: `FormatError` when the input cannot be read as CyberTip JSON (empty, not starting with `{` or `[`,
  ///   a structural error in an array) or on I/O failure.
  public mutating func next() throws(FormatError) -> ReadOutcome? {
    while queueHead >= queue.count {
      if finished { return nil }
      queue.removeAll(keepingCapacity: true)
      queueHead = 0
      let chunk = try file.nextChunk()
      if chunk.isEmpty { finished = true }
      try consume(chunk)
    }
    defer { queueHead += 1 }
    return queue[queueHead]
  }

  // MARK: - Framing

  private mutating func consume(_ chunk: UnsafeRawBufferPointer) throws(FormatError) {
    switch mode {
    case .undecided:
      prefix.append(contentsOf: chunk)
      guard try decide() else { return }
      let rest = prefix
      prefix = []
      var failure: FormatError?
      rest.withUnsafeBytes { all in
        do throws(FormatError) {
          try consume(UnsafeRawBufferPointer(rebasing: all[bomLength...]))
        } catch {
          failure = error
        }
      }
      if let failure { throw failure }
    case .array(var splitter):
      var events: [JSONSplitEvent] = []
      do throws(JSONSyntaxError) {
        if !chunk.isEmpty { events = try splitter.feed(chunk) }
        if finished { events += try splitter.finish() }
      } catch {
        throw FormatError(rule: error.rule, message: error.message, location: located(error))
      }
      mode = .array(splitter)
      for e in events {
        guard case .element(let index, let bytes, let offset, let pos, let result) = e else { continue }
        let base = shifted(pos)
        let span = SourceSpan(byteOffset: offset + bomLength, byteLength: bytes.count, line: base.line, column: base.column)
        queue.append(outcome(index, span, bytes, base, pointer: "/\(index)", result.mapError { shifted($0) }))
      }
    case .values(var scanner):
      var units = chunk.isEmpty ? [] : scanner.feed(chunk)
      if finished, let last = scanner.finish() { units.append(last) }
      mode = .values(scanner)
      for u in units { queue.append(unitOutcome(u)) }
    }
  }

  /// Decides the framing from the first byte that is not whitespace; false while more input is needed.
  private mutating func decide() throws(FormatError) -> Bool {
    let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
    if !finished && prefix.count < 3 && prefix.elementsEqual(bom.prefix(prefix.count)) { return false }
    bomLength = prefix.starts(with: bom) ? 3 : 0
    var i = bomLength
    while i < prefix.count, [0x20, 0x09, 0x0A, 0x0D].contains(prefix[i]) { i += 1 }
    if i == prefix.count {
      if finished {
        throw FormatError(
          rule: JSONSyntaxError.Rule.empty, message: "the input holds no CyberTip (it is empty or only whitespace)",
          location: SourceLocation(source: sourceName, line: 1, column: 1, byteOffset: 0))
      }
      if prefix.count <= limits.maxRecordBytes { return false }
      // A very long run of whitespace: read on as lines (blank ones are ignored) rather than hold it.
      mode = .values(TipUnitScanner(startOffset: bomLength, firstLineColumn: bomLength > 0 ? 2 : 1, maxBytes: limits.maxRecordBytes))
      emitBOM()
      return true
    }
    switch prefix[i] {
    case 0x5B:
      var jl = JSONLimits()
      jl.maxDepth = limits.safeDepth + 2
      jl.maxStringBytes = limits.maxFieldBytes
      jl.maxElementBytes = limits.maxRecordBytes
      var splitter = JSONDocumentSplitter(streamedArrayKeys: [], limits: jl)
      splitter.allowsTopLevelArray = true
      mode = .array(splitter)
    case 0x7B:
      mode = .values(TipUnitScanner(startOffset: bomLength, firstLineColumn: bomLength > 0 ? 2 : 1, maxBytes: limits.maxRecordBytes))
    default:
      let pos = prefix.withUnsafeBytes { textPosition(of: i - bomLength, in: UnsafeRawBufferPointer(rebasing: $0[bomLength...]), startingAt: .start) }
      throw FormatError(
        rule: JSONSyntaxError.Rule.syntax,
        message: "a CyberTip input starts with '{' (one tip, or tips one after another) or '[' (an array of tips)",
        location: located(JSONSyntaxError(rule: JSONSyntaxError.Rule.syntax, message: "", byteOffset: i - bomLength, position: pos)))
    }
    emitBOM()
    return true
  }

  private mutating func emitBOM() {
    guard bomLength > 0 else { return }
    queue.append(.ignored(IgnoredSpan(
      kind: "bom", span: SourceSpan(byteOffset: 0, byteLength: 3, line: 1, column: 1),
      diagnostic: Diagnostic(
        rule: JSONSyntaxError.Rule.bom, severity: .warning, message: "a UTF-8 byte order mark at the start of the input was ignored",
        location: SourceLocation(source: sourceName, line: 1, column: 1, byteOffset: 0, byteLength: 3)))))
  }

  /// Array mode feeds the splitter the bytes after a byte order mark: its offsets are moved past the mark, and
  /// columns on line 1 count the mark as one scalar (as JSON Lines does).
  private func shifted(_ p: TextPosition) -> TextPosition {
    TextPosition(line: p.line, column: p.line == 1 && bomLength > 0 ? p.column + 1 : p.column)
  }

  private func shifted(_ e: JSONSyntaxError) -> JSONSyntaxError {
    JSONSyntaxError(rule: e.rule, message: e.message, byteOffset: e.byteOffset + bomLength, position: shifted(e.position))
  }

  private func located(_ e: JSONSyntaxError) -> SourceLocation {
    let s = shifted(e)
    return SourceLocation(source: sourceName, line: s.line, column: s.column, byteOffset: s.byteOffset)
  }

  private mutating func unitOutcome(_ u: TipUnitScanner.Unit) -> ReadOutcome {
    let span = SourceSpan(byteOffset: u.offset, byteLength: u.length, line: u.position.line, column: u.position.column)
    if u.isBlank { return .ignored(IgnoredSpan(kind: "blank-line", span: span)) }
    let index = recordIndex
    recordIndex += 1
    let base = TextPosition(line: u.position.line, column: u.position.column)
    if u.tooLarge {
      return .rejected(RecordIssue(index: index, span: span, diagnostics: [
        Diagnostic(
          rule: JSONSyntaxError.Rule.tooLarge, severity: .error, message: "the tip is larger than the \(limits.maxRecordBytes)-byte record limit",
          location: SourceLocation(source: sourceName, record: index, line: base.line, column: base.column, byteOffset: u.offset))
      ]))
    }
    let result = u.bytes.withUnsafeBytes { buffer in
      Result { () throws(JSONSyntaxError) -> JSONValue in try parser.parse(buffer, startingAt: base) }
    }.mapError { e in JSONSyntaxError(rule: e.rule, message: e.message, byteOffset: e.byteOffset + u.offset, position: e.position) }
    return outcome(index, span, u.bytes, base, pointer: nil, result)
  }

  // MARK: - Records

  private func outcome(
    _ index: Int, _ span: SourceSpan, _ bytes: [UInt8], _ base: TextPosition, pointer: String?,
    _ result: Result<JSONValue, JSONSyntaxError>
  ) -> ReadOutcome {
    let value: JSONValue
    switch result {
    case .failure(let e):
      return .rejected(RecordIssue(index: index, span: span, diagnostics: [
        Diagnostic(
          rule: e.rule, severity: .error, message: e.message,
          location: SourceLocation(source: sourceName, record: index, line: e.line, column: e.column, byteOffset: e.byteOffset))
      ]))
    case .success(let v): value = v
    }
    if prescan {
      var rec = SourceRecord(index: index, span: span, pointer: pointer, entities: [])
      if let id = CyberTipMapper.reportID(of: value) { rec.declaredIDs = [keyedID(CyberTipMapper.caseKey(id))] }
      return .record(rec)
    }
    var mapper = CyberTipMapper(sourceName: sourceName, recordIndex: index, idFor: idFor, keyedID: keyedID)
    let mapping = bytes.withUnsafeBytes { mapper.map(value, bytes: $0, base: base, baseOffset: span.byteOffset) }
    switch mapping {
    case .record(let entities, let warnings, let origins):
      var rec = SourceRecord(index: index, span: span, pointer: pointer, entities: entities, diagnostics: warnings)
      rec.origins = origins
      return .record(rec)
    case .rejected(let diagnostics):
      return .rejected(RecordIssue(index: index, span: span, diagnostics: diagnostics))
    }
  }
}
