import CaseModel
public import CaseInterchange
#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Reads CaseBridge JSON Lines: one entity object per line, `\n`-terminated (`\r\n` tolerated, final newline
/// optional). Every line is judged on its own: a bad line is rejected and reading goes on.
///
/// A record's span covers the line and its terminator, so accepted, rejected and ignored spans tile the input.
/// A UTF-8 BOM at the start is ignored with a `json.bom` warning; blank lines are ignored with a
/// `jsonl.blank-line` warning.
public struct JSONLinesReader: RecordReader {
  private let file: ChunkedFile
  private let sourceName: String
  private let limits: ReadLimits
  private let parser: JSONParser

  private var chunk: UnsafeRawBufferPointer = UnsafeRawBufferPointer(start: nil, count: 0)
  private var chunkPos = 0
  private var chunkBase = 0  // input offset of chunk[0]
  private var atEOF = false
  private var line: [UInt8] = []
  private var lineTooLong = false
  private var lineLength = 0  // true length, even when too long to keep

  private var offset = 0  // input offset of the next line
  private var lineNumber = 1
  private var recordIndex = 0
  private var started = false

  /// Prescan mode: records are parsed (so syntax problems are found) but not decoded; each record carries only
  /// the `id` it declares. The pipeline's first pass uses it.
  public var prescan = false

  /// Replaces entity decoding: each parsed line's value, record index, span, content bytes and starting position
  /// go to this function, which makes the outcome (JSON Lines read through a mapping profile).
  public var mapValue: ((_ value: JSONValue, _ index: Int, _ span: SourceSpan, _ content: UnsafeRawBufferPointer, _ base: TextPosition) -> ReadOutcome)?

  /// Creates a reader over an open file.
  public init(file: ChunkedFile, sourceName: String, limits: ReadLimits = ReadLimits()) {
    self.file = file
    self.sourceName = sourceName
    self.limits = limits
    var jl = JSONLimits()
    jl.maxDepth = limits.safeDepth
    jl.maxStringBytes = limits.maxFieldBytes
    jl.maxDocumentBytes = limits.maxRecordBytes
    parser = JSONParser(limits: jl)
  }

  /// Reads the next line into `line` (without its terminator). Returns the terminator length, or nil at EOF.
  private mutating func readLine() throws(FormatError) -> Int? {
    line.removeAll(keepingCapacity: true)
    lineTooLong = false
    lineLength = 0
    while true {
      if chunkPos >= chunk.count {
        if atEOF { return lineLength == 0 ? nil : 0 }
        chunkBase += chunk.count
        chunk = try file.nextChunk()
        chunkPos = 0
        if chunk.isEmpty {
          atEOF = true
          return lineLength == 0 ? nil : 0
        }
      }
      let rest = UnsafeRawBufferPointer(rebasing: chunk[chunkPos...])
      let nl = rest.isEmpty ? nil : memchr(rest.baseAddress!, 0x0A, rest.count).map { rest.baseAddress!.distance(to: UnsafeRawPointer($0)) }
      let end = nl ?? rest.count
      appendToLine(UnsafeRawBufferPointer(rebasing: rest[0..<end]))
      chunkPos += end
      if nl != nil {
        chunkPos += 1
        return 1
      }
    }
  }

  private mutating func appendToLine(_ bytes: UnsafeRawBufferPointer) {
    lineLength += bytes.count
    if lineTooLong { return }
    if lineLength - 1 > limits.maxRecordBytes {  // (not `limit + 1`: no overflow at Int.max)
      lineTooLong = true
      line.removeAll()
      return
    }
    line.append(contentsOf: bytes)
  }

  private func location(_ field: String?, _ pos: TextPosition, _ byteOffset: Int, record: Int?, length: Int? = nil) -> SourceLocation {
    SourceLocation(source: sourceName, record: record, line: pos.line, column: pos.column, byteOffset: byteOffset, byteLength: length, field: field)
  }

  /// The next outcome.
  /// - Throws: `FormatError` on I/O failure only.
  public mutating func next() throws(FormatError) -> ReadOutcome? {
    if let q = queued {
      queued = nil
      return q
    }
    guard let terminator = try readLine() else { return nil }
    if !started {
      started = true
      if line.count >= 3 && line[0] == 0xEF && line[1] == 0xBB && line[2] == 0xBF {
        // The BOM is reported as ignored bytes first; the rest of the line follows on the next call.
        queued = try lineOutcome(terminator: terminator, contentStart: 3)
        let span = SourceSpan(byteOffset: 0, byteLength: 3, line: 1, column: 1)
        let d = Diagnostic(
          rule: "json.bom", severity: .warning, message: "a UTF-8 byte order mark at the start of the input was ignored",
          location: location(nil, .start, 0, record: nil, length: 3))
        return .ignored(IgnoredSpan(kind: "bom", span: span, diagnostic: d))
      }
    }
    return try lineOutcome(terminator: terminator, contentStart: 0)
  }

  private var queued: ReadOutcome? = nil

  private mutating func lineOutcome(terminator: Int, contentStart: Int) throws(FormatError) -> ReadOutcome {
    let start = offset + contentStart
    let length = lineLength - contentStart + terminator
    let lineNo = lineNumber
    let column = contentStart > 0 ? 2 : 1  // after a BOM, which is one scalar
    offset += lineLength + terminator
    lineNumber += 1
    let span = SourceSpan(byteOffset: start, byteLength: length, line: lineNo, column: column)
    let basePos = TextPosition(line: lineNo, column: column)

    if lineTooLong {
      let index = recordIndex
      recordIndex += 1
      return .rejected(RecordIssue(index: index, span: span, diagnostics: [
        Diagnostic(rule: "json.too-large", severity: .error, message: "line is longer than the \(limits.maxRecordBytes)-byte record limit", location: location(nil, basePos, start, record: index, length: length))
      ]))
    }
    var contentEnd = line.count
    if contentEnd > contentStart && line[contentEnd - 1] == 0x0D { contentEnd -= 1 }
    let isBlank = line[contentStart..<contentEnd].allSatisfy { $0 == 0x20 || $0 == 0x09 }
    if isBlank {
      return .ignored(IgnoredSpan(kind: "blank-line", span: span, diagnostic: Diagnostic(
        rule: "jsonl.blank-line", severity: .warning, message: "blank line ignored (a blank line is not a record)",
        location: location(nil, basePos, start, record: nil, length: length))))
    }
    let index = recordIndex
    recordIndex += 1
    let sourceName = self.sourceName
    return line.withUnsafeBytes { all -> ReadOutcome in
      let content = UnsafeRawBufferPointer(rebasing: all[contentStart..<contentEnd])
      let value: JSONValue
      do throws(JSONSyntaxError) {
        value = try parser.parse(content, startingAt: basePos)
      } catch {
        return .rejected(RecordIssue(index: index, span: span, diagnostics: [
          Diagnostic(rule: error.rule, severity: .error, message: error.message,
            location: SourceLocation(source: sourceName, record: index, line: error.line, column: error.column, byteOffset: start + error.byteOffset, byteLength: nil, field: nil))
        ]))
      }
      if let mapValue {
        return mapValue(value, index, span, content, basePos)
      }
      if prescan {
        var rec = SourceRecord(index: index, span: span, entities: [])
        if case .object(let o) = value, case .string(let id)? = o["id"], !id.isEmpty { rec.declaredIDs = [EntityID(id)] }
        return .record(rec)
      }
      let result = EntityJSONDecoder().decode(value, bytes: content, base: basePos, baseOffset: start) { field, pos, off in
        SourceLocation(source: sourceName, record: index, line: pos.line, column: pos.column, byteOffset: off, byteLength: nil, field: field)
      }
      switch result {
      case .success(let entity):
        return .record(SourceRecord(index: index, span: span, entities: [entity]))
      case .failure(let diagnostics):
        return .rejected(RecordIssue(index: index, span: span, diagnostics: diagnostics))
      }
    }
  }
}
