import CaseModel
import CaseInterchange
import CaseJSON
import CaseMapping

/// An agency's own JSON through a profile (`layout.kind: json`): the records are the elements of the array held by
/// one top-level member (`layout.json.records: /incidents`), streamed; each element is one source record whose
/// leaves are named by JSON Pointers relative to it. Other top-level members are document context, not records.
/// A malformed element is quarantined alone; a document whose structure breaks is rejected whole, as for bundles.
struct MappedJSONDocumentReader: RecordReader {
  private let file: ChunkedFile
  private let sourceName: String
  private let key: String
  private let mapping: TreeRecordMapping
  private var splitter: JSONDocumentSplitter
  private var queue: [ReadOutcome] = []
  private var head = 0
  private var finished = false
  private var sawRecords = false
  var prescan = false

  init(file: ChunkedFile, sourceName: String, profile: MappingProfile, limits: ReadLimits, idFor: @escaping @Sendable (Int, Int) -> EntityID) {
    self.file = file
    self.sourceName = sourceName
    key = profile.document.records.first ?? ""
    mapping = TreeRecordMapping(profile: profile, sourceName: sourceName, idFor: idFor)
    var jl = JSONLimits()
    jl.maxDepth = limits.safeDepth + 2
    jl.maxStringBytes = limits.maxFieldBytes
    jl.maxElementBytes = limits.maxRecordBytes
    splitter = JSONDocumentSplitter(streamedArrayKeys: [key], limits: jl)
  }

  mutating func next() throws(FormatError) -> ReadOutcome? {
    while head >= queue.count {
      if finished { return nil }
      queue.removeAll(keepingCapacity: true)
      head = 0
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
      for e in events { handle(e) }
      if finished && !sawRecords {
        throw FormatError(
          rule: "profile.records-missing", message: "the document has no array at the profile's records member /\(key)",
          location: SourceLocation(source: sourceName))
      }
    }
    defer { head += 1 }
    return queue[head]
  }

  private mutating func handle(_ event: JSONSplitEvent) {
    switch event {
    case .arrayStart: sawRecords = true
    case .member, .arrayEnd: break
    case .element(let index, let bytes, let offset, let pos, let result):
      let span = SourceSpan(byteOffset: offset, byteLength: bytes.count, line: pos.line, column: pos.column)
      switch result {
      case .failure(let error):
        queue.append(.rejected(RecordIssue(index: index, span: span, diagnostics: [
          Diagnostic(rule: error.rule, severity: .error, message: error.message,
            location: SourceLocation(source: sourceName, record: index, line: error.line, column: error.column, byteOffset: error.byteOffset))
        ])))
      case .success(let value) where !value.isObject:
        queue.append(notAnObject(value, index: index, span: span, sourceName: sourceName, at: pos))
      case .success where prescan:
        queue.append(.record(SourceRecord(index: index, span: span, entities: [])))
      case .success(let value):
        let leaves = bytes.withUnsafeBytes { jsonLeaves(value, bytes: $0, base: pos) }
        queue.append(mapping.map(leaves, index: index, span: span, pointer: "/\(key)/\(index)"))
      }
    }
  }
}

/// Makes the JSON Lines reader map each line through a profile (`layout.kind: jsonl`).
func mappedJSONLinesReader(file: ChunkedFile, sourceName: String, profile: MappingProfile, limits: ReadLimits, prescan: Bool, idFor: @escaping @Sendable (Int, Int) -> EntityID) -> JSONLinesReader {
  var r = JSONLinesReader(file: file, sourceName: sourceName, limits: limits)
  let mapping = TreeRecordMapping(profile: profile, sourceName: sourceName, idFor: idFor)
  r.mapValue = { value, index, span, content, base in
    // What the profile-less reader refuses, a profile-driven one refuses too: a line that is an array, a string, a
    // number, a boolean or null holds no record a profile can map.
    if !value.isObject { return notAnObject(value, index: index, span: span, sourceName: sourceName, at: base) }
    if prescan { return .record(SourceRecord(index: index, span: span, entities: [])) }
    return mapping.map(jsonLeaves(value, bytes: content, base: base), index: index, span: span, pointer: nil)
  }
  return r
}

/// A record of a JSON or JSON Lines layout that is not a JSON object: quarantined as `json.not-an-object`, as the
/// profile-less readers do (the message names the JSON type, never the value).
func notAnObject(_ value: JSONValue, index: Int, span: SourceSpan, sourceName: String, at position: TextPosition) -> ReadOutcome {
  .rejected(RecordIssue(index: index, span: span, diagnostics: [
    Diagnostic(
      rule: "json.not-an-object", severity: .error,
      message: "a record must be a JSON object, not \(value.typeName)",
      location: SourceLocation(
        source: sourceName, record: index, line: position.line, column: position.column, byteOffset: span.byteOffset))
  ]))
}

extension JSONValue {
  fileprivate var isObject: Bool {
    if case .object = self { return true }
    return false
  }
}
