import CaseModel
import CaseInterchange
import CaseMapping
import CaseXML

/// An agency's own XML through a profile (`layout.kind: xml`): the record elements are found by their path from
/// the root (`layout.xml.records: /Export/Incidents/Incident`), read by the hardened streaming reader with their
/// exact byte spans, and each record's elements and attributes become leaves named by their path relative to the
/// record (`Subject/Name`, `Subject/@type`, `@id`; the second `Email` sibling is `Email[2]`). Namespaces are
/// ignored in paths (local names only). A document that is not well-formed, has a DOCTYPE or breaks a limit is
/// rejected whole (the pipeline's first pass proves it before anything is written).
struct MappedXMLReader: RecordReader {
  private let reader: XMLRecordReader
  private let mapping: TreeRecordMapping
  private let recordPath: String

  init(file: ChunkedFile, sourceName: String, profile: MappingProfile, limits: ReadLimits, prescan: Bool, idFor: @escaping @Sendable (Int, Int) -> EntityID) throws(FormatError) {
    reader = try XMLRecordReader(
      file: file, sourceName: sourceName, selector: .path(profile.document.records), limits: XMLLimits(limits), buildsTree: !prescan)
    mapping = TreeRecordMapping(profile: profile, sourceName: sourceName, idFor: idFor)
    recordPath = "/" + profile.document.records.joined(separator: "/")
  }

  mutating func next() throws(FormatError) -> ReadOutcome? {
    guard let r = try reader.next() else {
      if reader.recordCount == 0 && reader.root != nil {
        throw FormatError(
          rule: "profile.records-missing", message: "the document has no element at the profile's records path \(recordPath)",
          location: SourceLocation(source: reader.sourceName))
      }
      return nil
    }
    let pointer = "\(recordPath)[\(r.index + 1)]"
    guard reader.buildsTree else { return .record(SourceRecord(index: r.index, span: r.span, pointer: pointer, entities: [])) }
    return mapping.map(xmlLeaves(r.element), index: r.index, span: r.span, pointer: pointer)
  }
}

/// The leaves of an XML record: the text of every element that has text, and every attribute, by path relative to
/// the record element (local names; repeated siblings numbered from the second: `Email`, `Email[2]`).
func xmlLeaves(_ record: XMLElementNode) -> [TreeLeaf] {
  var out: [TreeLeaf] = []
  func walk(_ e: XMLElementNode, _ path: String) {
    let prefix = path.isEmpty ? "" : path + "/"
    for a in e.attributes {
      out.append(TreeLeaf(name: prefix + "@" + a.name.local, value: a.value, line: e.line, column: max(e.column, 1)))
    }
    if !path.isEmpty && !e.text.isEmpty && (e.children.isEmpty || !e.text.allSatisfy { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" }) {
      out.append(TreeLeaf(name: path, value: e.text, line: e.line, column: max(e.column, 1)))
    }
    var seen: [String: Int] = [:]
    for c in e.children {
      let n = (seen[c.name.local] ?? 0) + 1
      seen[c.name.local] = n
      walk(c, prefix + c.name.local + (n > 1 ? "[\(n)]" : ""))
    }
  }
  walk(record, "")
  return out
}
