import CaseModel
public import CaseInterchange

/// The versions of the case bundle format this build reads and writes.
public enum CaseBundleFormat {
  /// The version written by this build.
  public static let version = "1.0"
  /// Versions this build reads.
  public static let readableVersions: Set<String> = ["1.0"]
}

/// Reads a CaseBridge case bundle, `{"casebridgeVersion":"1.0","entities":[...]}`, streaming: memory is bounded
/// by the largest entity, not the document.
///
/// Each element of `entities` is one source record; a bad element is rejected on its own while the document is
/// well-formed. A syntax error in the document's structure, a missing or unsupported `casebridgeVersion`, or an
/// unknown top-level member throws `FormatError`: the input is rejected whole.
public struct CaseBundleReader: RecordReader {
  private let file: ChunkedFile
  private let sourceName: String
  private var splitter: JSONDocumentSplitter
  private var queue: [ReadOutcome] = []
  private var queueHead = 0
  private var finished = false
  private var sawVersion = false
  private var sawEntities = false

  /// Prescan mode: elements are parsed but not decoded; each record carries only the `id` it declares.
  public var prescan = false

  /// Creates a reader over an open file.
  public init(file: ChunkedFile, sourceName: String, limits: ReadLimits = ReadLimits()) {
    self.file = file
    self.sourceName = sourceName
    var jl = JSONLimits()
    jl.maxDepth = limits.safeDepth + 2
    jl.maxStringBytes = limits.maxFieldBytes
    jl.maxElementBytes = limits.maxRecordBytes
    splitter = JSONDocumentSplitter(streamedArrayKeys: ["entities"], limits: jl)
    splitter.allowsLeadingBOM = false
  }

  private func fatal(_ rule: String, _ message: String, _ offset: Int?, _ pos: TextPosition?) -> FormatError {
    FormatError(rule: rule, message: message, location: SourceLocation(source: sourceName, line: pos?.line, column: pos?.column, byteOffset: offset))
  }

  /// The next outcome.
  /// - Throws: `FormatError` when the document cannot be read as a bundle.
  public mutating func next() throws(FormatError) -> ReadOutcome? {
    while queueHead >= queue.count {
      if finished { return nil }
      queue.removeAll(keepingCapacity: true)
      queueHead = 0
      let chunk = try file.nextChunk()
      let events: [JSONSplitEvent]
      do {
        if chunk.isEmpty {
          finished = true
          events = try splitter.finish()
        } else {
          events = try splitter.feed(chunk)
        }
      } catch {
        throw FormatError(rule: error.rule, message: error.message, location: SourceLocation(source: sourceName, line: error.line, column: error.column, byteOffset: error.byteOffset))
      }
      for e in events { try handle(e) }
      if finished {
        if !sawVersion { throw fatal("bundle.missing-version", "the document has no casebridgeVersion member", nil, nil) }
        if !sawEntities { throw fatal("bundle.missing-entities", "the document has no entities array", nil, nil) }
      }
    }
    defer { queueHead += 1 }
    return queue[queueHead]
  }

  private mutating func handle(_ event: JSONSplitEvent) throws(FormatError) {
    switch event {
    case .member(let key, let value, let offset, _, let pos):
      switch key {
      case "casebridgeVersion":
        guard case .string(let v) = value else {
          throw fatal("bundle.unsupported-version", "casebridgeVersion must be a string", offset, pos)
        }
        guard CaseBundleFormat.readableVersions.contains(v) else {
          throw fatal("bundle.unsupported-version", "casebridgeVersion is not one this build reads (1.0)", offset, pos)
        }
        sawVersion = true
      case "entities":
        throw fatal("bundle.invalid", "entities must be an array", offset, pos)
      default:
        throw fatal("bundle.unknown-member", "the document has a top-level member that is not part of a case bundle", offset, pos)
      }
    case .arrayStart:
      sawEntities = true
    case .arrayEnd:
      break
    case .element(let index, let bytes, let offset, let pos, let result):
      let span = SourceSpan(byteOffset: offset, byteLength: bytes.count, line: pos.line, column: pos.column)
      let recordPointer = "/entities/\(index)"
      let sourceName = self.sourceName
      switch result {
      case .failure(let error):
        queue.append(.rejected(RecordIssue(index: index, span: span, diagnostics: [
          Diagnostic(rule: error.rule, severity: .error, message: error.message,
            location: SourceLocation(source: sourceName, record: index, line: error.line, column: error.column, byteOffset: error.byteOffset))
        ])))
      case .success(let value) where prescan:
        var rec = SourceRecord(index: index, span: span, pointer: recordPointer, entities: [])
        if case .object(let o) = value, case .string(let id)? = o["id"], !id.isEmpty { rec.declaredIDs = [EntityID(id)] }
        queue.append(.record(rec))
      case .success(let value):
        let outcome: ReadOutcome = bytes.withUnsafeBytes { raw in
          let r = EntityJSONDecoder().decode(value, bytes: raw, base: pos, baseOffset: offset) { field, p, off in
            SourceLocation(source: sourceName, record: index, line: p.line, column: p.column, byteOffset: off, field: field)
          }
          switch r {
          case .success(let entity): return .record(SourceRecord(index: index, span: span, pointer: recordPointer, entities: [entity]))
          case .failure(let d): return .rejected(RecordIssue(index: index, span: span, diagnostics: d))
          }
        }
        queue.append(outcome)
      }
    }
  }
}
