public import CaseInterchange
import CaseJSON
import CaseMapping
import CaseXML

extension Inspector {
  /// Most distinct leaf paths profiled in a tree-shaped export (the rest are counted in a note).
  static let maxTreePaths = 512

  /// Inspects an agency's JSON document or JSON Lines export: finds the records (JSON Lines: every line; a
  /// document: the top-level member holding the longest array of objects), names every leaf by its JSON Pointer
  /// relative to the record, profiles each path like a CSV column, and drafts a `json` / `jsonl` profile.
  /// - Throws: `FormatError` when the file cannot be read or holds no records.
  public static func inspectJSON(path: String, lines: Bool) throws(FormatError) -> InspectionReport {
    var report = InspectionReport(
      path: path, sha256: "", encoding: "utf-8", encodingEvidence: "JSON is UTF-8 (RFC 8259)", delimiter: "",
      delimiterEvidence: "", hasHeader: true, headerEvidence: "leaves are named by JSON Pointers relative to each record")
    report.layout = lines ? .jsonl : .json
    let key: String?
    if lines {
      key = nil
    } else {
      var counts: [String: Int] = [:]
      var order: [String] = []
      try forEachJSONRecord(path: path, key: nil) { k, _, _ in
        if counts[k] == nil { order.append(k) }
        counts[k, default: 0] += 1
      }
      guard let best = order.max(by: { counts[$0]! < counts[$1]! || (counts[$0]! == counts[$1]! && $0 > $1) }) else {
        throw FormatError(rule: "profile.records-missing", message: "no top-level member holds an array of objects", location: SourceLocation(source: path))
      }
      key = best
      report.records = "/" + best
      report.notes.append("records: the top-level member \"\(best)\" holds \(counts[best]!) objects" + (order.count > 1 ? " (other arrays: " + order.filter { $0 != best }.map { "\"\($0)\" \(counts[$0]!)" }.joined(separator: ", ") + ")" : ""))
    }
    // Pass 1: the leaf paths, in order of first appearance.
    var names: [String] = []
    var index: [String: Int] = [:]
    var dropped = 0
    try forEachJSONRecord(path: path, key: key, lines: lines) { _, leaves, _ in
      for l in leaves where index[l.name] == nil {
        if names.count >= maxTreePaths { dropped += 1; continue }
        index[l.name] = names.count
        names.append(l.name)
      }
    }
    if dropped > 0 { report.notes.append("\(dropped) more leaf paths beyond the first \(maxTreePaths) were not profiled") }
    // Pass 2: profile each path as a column.
    var profiler = ColumnProfiler(names: names)
    let hasher = HasherBox()
    try forEachJSONRecord(path: path, key: key, lines: lines, hasher: hasher) { _, leaves, line in
      var row = [String](repeating: "", count: names.count)
      for l in leaves { if let i = index[l.name] { row[i] = l.value } }
      profiler.add(row: row, line: line)
      report.rows += 1
    } rejected: { rule in
      report.rejectedRows[rule, default: 0] += 1
    }
    report.sha256 = hasher.hex()
    report.columns = profiler.finish()
    var notes = report.notes
    report.draftProfile = draft(report, names: names, notes: &notes)
    report.notes = notes
    return report
  }

  /// Calls `body` with every record of a JSON document (the elements of the arrays of top-level members, all of
  /// them when `key` is nil) or of JSON Lines (`key` nil and lines), as leaves and the record's first line.
  static func forEachJSONRecord(
    path: String, key: String?, lines: Bool = false, hasher: HasherBox? = nil,
    _ body: (String, [TreeLeaf], Int) throws(FormatError) -> Void, rejected: (String) -> Void = { _ in }
  ) throws(FormatError) {
    let file = try ChunkedFile(path: path)
    if let hasher { file.onChunk = { hasher.update($0) } }
    if lines {
      var r = JSONLinesReader(file: file, sourceName: path)
      var pending: [(Int, [TreeLeaf])] = []
      r.mapValue = { value, _, span, content, base in
        pending.append((span.line, jsonLeaves(value, bytes: content, base: base)))
        return .record(SourceRecord(index: 0, span: span, entities: []))
      }
      while let o = try r.next() {
        if case .rejected(let issue) = o { for d in issue.diagnostics { rejected(d.rule) } }
        for (line, leaves) in pending { try body("", leaves, line) }
        pending.removeAll()
      }
      return
    }
    // A document: stream the arrays of every top-level member (or of `key`).
    var keys: Set<String> = []
    if let key { keys = [key] } else {
      switch try ContentSniffer.sniff(file) {
      case .jsonKeys(let k, _): keys = k
      default: throw FormatError(rule: "json.not-an-object", message: "the document's top level is not an object", location: SourceLocation(source: path))
      }
      file.rewind()
    }
    var splitter = JSONDocumentSplitter(streamedArrayKeys: keys)
    var current = ""
    while true {
      let chunk = try file.nextChunk()
      let events: [JSONSplitEvent]
      do { events = chunk.isEmpty ? try splitter.finish() : try splitter.feed(chunk) } catch {
        throw FormatError(rule: error.rule, message: error.message, location: SourceLocation(source: path, line: error.line, column: error.column, byteOffset: error.byteOffset))
      }
      for e in events {
        switch e {
        case .arrayStart(let k, _, _): current = k
        case .element(_, let bytes, _, let pos, let result):
          switch result {
          case .success(let value):
            guard case .object = value else { continue }
            try body(current, bytes.withUnsafeBytes { jsonLeaves(value, bytes: $0, base: pos) }, pos.line)
          case .failure(let error): rejected(error.rule)
          }
        default: break
        }
      }
      if chunk.isEmpty { return }
    }
  }
}

extension Inspector {
  /// Inspects an agency's XML export: finds the record elements (the most repeated element under the root,
  /// descending through single wrapper elements such as `Incidents`), names every element text and attribute by
  /// its path relative to the record (`Subject/Name`, `@number`), profiles each path like a CSV column, and drafts
  /// an `xml` profile. Reads through the same hardened reader as `convert` (no DTD, no entities, limits).
  /// - Throws: `FormatError` when the file cannot be read or holds no repeated element.
  public static func inspectXML(path: String, limits: ReadLimits = ReadLimits()) throws(FormatError) -> InspectionReport {
    var report = InspectionReport(
      path: path, sha256: "", encoding: "", encodingEvidence: "", delimiter: "", delimiterEvidence: "",
      hasHeader: true, headerEvidence: "leaves are named by element paths relative to each record (local names; @ for attributes)")
    report.layout = .xml
    // Pass 1: the record path.
    var recordPath: [String] = []
    var why = ""
    do {
      let file = try ChunkedFile(path: path)
      let reader = try XMLRecordReader(file: file, sourceName: path, selector: .childrenOfRoot, limits: XMLLimits(limits))
      var counts: [String: Int] = [:]
      var order: [String] = []
      var samples: [String: XMLElementNode] = [:]
      while let r = try reader.next() {
        let n = r.element.name.local
        if counts[n] == nil { order.append(n); samples[n] = r.element }
        counts[n, default: 0] += 1
      }
      guard let root = reader.root?.name.local, let top = order.max(by: { counts[$0]! < counts[$1]! }) else {
        throw FormatError(rule: "profile.records-missing", message: "the document has no element under its root", location: SourceLocation(source: path))
      }
      // Each top-level element name leads to a candidate: itself when repeated, else the most repeated children
      // found by descending through single wrappers. The candidate with the most occurrences wins.
      func candidate(_ name: String) -> ([String], Int) {
        var path = [root, name]
        var count = counts[name]!
        var node = samples[name]!
        while count == 1 {
          var c: [String: Int] = [:]
          for ch in node.children { c[ch.name.local, default: 0] += 1 }
          guard let best = c.max(by: { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) }), best.value >= 2 else { break }
          path.append(best.key)
          count = best.value
          node = node.children.first { $0.name.local == best.key }!
        }
        return (path, count)
      }
      _ = top
      let best = order.map(candidate).max { $0.1 < $1.1 }!
      recordPath = best.0
      let count = best.1
      why = "records: /\(recordPath.joined(separator: "/")) occurs \(count) times"
    }
    report.records = "/" + recordPath.joined(separator: "/")
    report.notes.append(why)
    // Pass 2: leaf paths; pass 3: profile them.
    func forEachRecord(_ hasher: HasherBox?, _ body: ([TreeLeaf], Int) -> Void) throws(FormatError) {
      let file = try ChunkedFile(path: path)
      if let hasher { file.onChunk = { hasher.update($0) } }
      let reader = try XMLRecordReader(file: file, sourceName: path, selector: .path(recordPath), limits: XMLLimits(limits))
      while let r = try reader.next() { body(xmlLeaves(r.element), r.span.line) }
    }
    var names: [String] = []
    var index: [String: Int] = [:]
    var dropped = 0
    try forEachRecord(nil) { leaves, _ in
      for l in leaves where index[l.name] == nil {
        if names.count >= maxTreePaths { dropped += 1; continue }
        index[l.name] = names.count
        names.append(l.name)
      }
    }
    if dropped > 0 { report.notes.append("\(dropped) more leaf paths beyond the first \(maxTreePaths) were not profiled") }
    var profiler = ColumnProfiler(names: names)
    let hasher = HasherBox()
    try forEachRecord(hasher) { leaves, line in
      var row = [String](repeating: "", count: names.count)
      for l in leaves { if let i = index[l.name] { row[i] = l.value } }
      profiler.add(row: row, line: line)
      report.rows += 1
    }
    report.sha256 = hasher.hex()
    report.encoding = "xml"
    report.encodingEvidence = "as the document declares it (UTF-8, or UTF-16 by byte order mark)"
    report.columns = profiler.finish()
    var notes = report.notes
    report.draftProfile = draft(report, names: names, notes: &notes)
    report.notes = notes
    return report
  }
}
