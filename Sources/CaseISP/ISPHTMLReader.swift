public import CaseModel
public import CaseInterchange
public import CaseMapping
import CaseXML

/// Provider "records" pages (`isp-html`, Meta style): `div id="property-<name>"` sections of label/value rows,
/// read by label, never by position.
///
/// The page is read whole (at most 64 MiB) and parsed with CaseXML's hardened `HTMLDocument`. A label/value row is
/// any element with exactly two element children whose first child's text (a trailing colon allowed) is a label
/// the profile declares, matched ignoring ASCII case: `<tr><th>IP Address</th><td>…</td></tr>` or
/// `<div><div class="label">…</div><div class="value">…</div></div>`.
///
/// - Each property named in `layout.html.sections` is repeated: its rows split into entries (at each row of the
///   section's `entryStart` label, or, without one, wherever a label repeats), and every entry is one source record
///   mapped by the mappings with that `section`.
/// - Rows outside those properties describe the response (target, service, account identifier…): mappings with
///   `section: "response"` read them, and their entities ride with the first record, under value-derived ids, so
///   every record can reference them. Zone statements are matched against the text outside the sections.
/// - Spans: the HTML tree carries line numbers but no byte offsets, so a record's span is whole lines, from the line
///   of its first row to the line before the next entry (the last entry of a section: to the line of its last value
///   cell). Entries that share a line (a page without line breaks) share that line's bytes; beyond line 65,535
///   (where libxml2 stops counting) a record's span is the whole page. The quarantine always holds original bytes.
public struct ISPHTMLReader: RecordReader {
  private var input: WholeInput
  private let layout: ISPHTMLLayout
  private var sourceName: String { input.sourceName }
  private var profile: MappingProfile { input.profile }
  /// Prescan mode: records carry only the ids they declare (the response's entities), nothing else is mapped.
  public var prescan = false
  /// The entries of the parsed page, mapped one per outcome.
  private var emitter: PageEmitter? = nil

  /// Prepares to read a records page.
  /// - Throws: `FormatError` when the profile has no `layout.html`.
  public init(
    file: ChunkedFile, sourceName: String, profile: MappingProfile, limits: ReadLimits,
    idFor: @escaping @Sendable (Int, Int) -> EntityID, keyedID: @escaping @Sendable (String) -> EntityID
  ) throws(FormatError) {
    guard let layout = profile.ispHTML else {
      throw FormatError(rule: "profile.layout-mismatch", message: "the profile has no isp-html layout", location: SourceLocation(source: sourceName))
    }
    input = WholeInput(file: file, sourceName: sourceName, profile: profile, limits: limits, idFor: idFor, keyedID: keyedID)
    self.layout = layout
  }

  public mutating func next() throws(FormatError) -> ReadOutcome? {
    if emitter == nil { emitter = try plan() }
    return emitter!.next()
  }

  /// A label/value row.
  private struct Row {
    var column: Int?
    var label: String
    var value: String
    var line: Int
    var lastLine: Int
  }

  private struct Entry {
    var section: ISPHTMLSection
    var rows: [Row] = []
    /// The columns of its rows (whether a row starts the next entry, in constant time).
    var columns: Set<Int> = []
  }

  /// Reads and parses the page, splits it into entries and maps the response; the page's tree is released before
  /// the first entry is mapped, and entries are mapped one per outcome.
  private func plan() throws(FormatError) -> PageEmitter {
    let bytes = try input.bytes(cap: WholeInput.maxPageBytes)
    if let bad = validateUTF8(bytes, 0, bytes.count) {
      let (line, column) = lineAndColumn(bytes, bad.offset)
      throw FormatError(
        rule: bad.rule, message: "the page holds \(bad.rule == "isp.nul" ? "a NUL character" : "bytes that are not UTF-8") at line \(line), column \(column)",
        location: SourceLocation(source: sourceName, line: line, column: column, byteOffset: bad.offset, byteLength: 1))
    }
    let columns = VirtualColumns(profile: profile, extraLabels: [])

    // Split the page: rows of declared sections into entries; everything else describes the response.
    var entries: [Entry] = []
    var responseRows: [Row] = []
    var responseTexts: [String] = []
    do {
      var xmlLimits = XMLLimits(input.limits)
      xmlLimits.maxDocumentBytes = bytes.count
      let root = try HTMLDocument.parse(bytes: bytes, sourceName: sourceName, limits: xmlLimits)
      var responseUnknown: [Row] = []
      walk(root, section: nil, columns: columns, entries: &entries, response: &responseRows, unknown: &responseUnknown, texts: &responseTexts)
    }

    // The response's zone and entities.
    var zone: ZoneStatement? = nil
    var zoneConflict = false
    for t in responseTexts {
      for s in layout.zoneStatements where s.pattern.boundedMatches(t) {
        if let z = zone, z.zoneIdentifier != s.zoneIdentifier { zoneConflict = true }
        zone = zone ?? s
      }
    }
    if zoneConflict { zone = nil }
    let response = try input.mapResponse(bytes, columns, zone: zone, place: "the page") { mapper in
      row(responseRows, columns: columns, mapper: mapper, zone: zone)
    }
    var mappers: [String: SectionMapper] = [:]
    for s in layout.sections {
      mappers[s.id] = try input.bind(input.positions(s.id), columns, external: response.ids, zone: zone)
    }
    return PageEmitter(
      reader: self, entries: entries, lineStarts: lineStartOffsets(bytes), total: bytes.count, columns: columns,
      mappers: mappers, zone: zone, zoneConflict: zoneConflict, response: response)
  }

  /// The records of a planned page, one per entry, made as they are asked for.
  private final class PageEmitter {
    let reader: ISPHTMLReader
    var entries: [Entry]
    let lineStarts: [Int]
    let total: Int
    let columns: VirtualColumns
    let mappers: [String: SectionMapper]
    let zone: ZoneStatement?
    let zoneConflict: Bool
    let response: (result: MappingResult?, points: [TextPoint?], ids: [Int: EntityID])
    private var k = 0
    private var carried = false
    /// The last line of the entry before.
    private var previousLast = 0

    init(
      reader: ISPHTMLReader, entries: [Entry], lineStarts: [Int], total: Int, columns: VirtualColumns, mappers: [String: SectionMapper],
      zone: ZoneStatement?, zoneConflict: Bool, response: (result: MappingResult?, points: [TextPoint?], ids: [Int: EntityID])
    ) {
      self.reader = reader
      self.entries = entries
      self.lineStarts = lineStarts
      self.total = total
      self.columns = columns
      self.mappers = mappers
      self.zone = zone
      self.zoneConflict = zoneConflict
      self.response = response
    }

    func next() -> ReadOutcome? {
      guard k < entries.count else { return nil }
      defer {
        entries[k].rows = []  // mapped: its text is no longer needed
        k += 1
      }
      let e = entries[k]
      let first = e.rows.map(\.line).min() ?? 1
      var last = e.rows.map(\.lastLine).max() ?? first
      let nextFirst = k + 1 < entries.count ? entries[k + 1].rows.map(\.line).min() : nil
      if let nextFirst, entries[k + 1].section.id == e.section.id, nextFirst > first {
        last = max(last, nextFirst - 1)
      }
      // An entry starting on a line an earlier entry's span holds gets no bytes: lines cannot tell its bytes apart,
      // and copying the shared lines for each entry would copy a one-line page once per entry. The spans never
      // overlap, so a page's quarantined bytes are at most the page.
      let shared = first <= previousLast
      let span = reader.recordSpan(first, shared ? nil : last, lineStarts: lineStarts, total: total)
      if !shared { previousLast = last }
      var a = RecordAssembly(source: reader.sourceName, index: k, span: span)
      if zoneConflict, k == 0 {
        a.add("isp.zone-statement-conflict", .warning, "the page states two different zones for its times; neither is used", at: nil)
      }
      WholeInput.carry(response, into: &a, carried: &carried)
      if !reader.prescan, let mapper = mappers[e.section.id] {
        let scan = reader.row(e.rows, columns: columns, mapper: mapper, zone: zone)
        if let t = scan.tooLarge {
          a.add("isp.field-too-large", .error, "\(columns.names[t.column]) at line \(t.at.line) is longer than the \(reader.input.limits.maxFieldBytes)-byte field limit", at: t.at, field: columns.names[t.column])
        }
        for r in scan.repeated {
          a.add("isp.repeated-value", .error, "\(columns.names[r.column]) is given twice in the entry with different values", at: r.at, field: columns.names[r.column])
        }
        if reader.profile.unmapped == .error, let u = e.rows.first(where: { $0.column == nil }) {
          a.add("isp.unrecognised-text", .error, "a row at line \(u.line) has a label no field reads and the profile says unmapped: error", at: TextPoint(line: u.line, column: 1))
        }
        let index = k
        let idFor = reader.input.idFor
        a.add(mapper.map(scan.values, idFor: { idFor(index, $0) }), points: scan.points)
      }
      return a.outcome(prescan: reader.prescan)
    }
  }

  /// The virtual row of a list of label/value rows; unknown labels go to the unrecognised-text column.
  private func row(_ rows: [Row], columns: VirtualColumns, mapper: SectionMapper, zone: ZoneStatement?) -> BlockScan {
    var scan = BlockScan(count: columns.names.count)
    scan.maxFieldBytes = input.limits.maxFieldBytes
    for r in rows {
      let at = TextPoint(line: r.line, column: 1)
      if let c = r.column {
        if !r.value.isEmpty { scan.set(c, r.value, at: at) }
      } else {
        scan.addUnrecognised("\(r.label): \(r.value)", at: at, column: columns.unrecognised, keep: profile.unmapped == .keep)
      }
    }
    scan.fillSynthetic(columns, mapper: mapper, zone: zone)
    if profile.unmapped == .keep, scan.firstUnrecognised != nil { scan.values[columns.unrecognised] = scan.unrecognised }
    return scan
  }

  /// Walks the tree: label/value rows of declared sections become entries, the rest describes the response.
  private func walk(
    _ e: XMLElementNode, section: ISPHTMLSection?, columns: VirtualColumns, entries: inout [Entry], response: inout [Row],
    unknown: inout [Row], texts: inout [String]
  ) {
    var section = section
    // Whether this element opened its section (a nested element with the same id inside it opens nothing).
    var opened = false
    if section == nil, let id = e.attribute("id"), id.hasPrefix("property-") {
      let name = String(id.dropFirst("property-".count))
      if let s = layout.sections.first(where: { $0.id == name }) {
        section = s
        opened = true
        entries.append(Entry(section: s))
      }
    }
    if e.children.count == 2, let r = labelRow(e, columns: columns) {
      if let section {
        if entries.last?.section.id != section.id { entries.append(Entry(section: section)) }
        // In place: copying the entry out and back copied its rows for every row (rows² for a long entry).
        let startsEntry: Bool
        if let start = section.entryStart {
          startsEntry = r.column != nil && r.column == columns.labels.column(of: start)
        } else {
          startsEntry = r.column.map { entries[entries.count - 1].columns.contains($0) } ?? false
        }
        if startsEntry && !entries[entries.count - 1].rows.isEmpty { entries.append(Entry(section: section)) }
        entries[entries.count - 1].rows.append(r)
        if let c = r.column { entries[entries.count - 1].columns.insert(c) }
      } else if r.column != nil {
        response.append(r)
        texts.append(r.value)
      } else {
        unknown.append(r)
        texts.append(e.text)
      }
      return
    }
    if section == nil, e.children.isEmpty, !e.text.isEmpty, e.text.utf8.count <= 4096 { texts.append(e.text) }
    for c in e.children { walk(c, section: section, columns: columns, entries: &entries, response: &response, unknown: &unknown, texts: &texts) }
    if opened, let section, entries.last?.section.id == section.id, entries.last?.rows.isEmpty == true {
      entries.removeLast()
    }
  }

  /// A row whose first child's text is a label (the profile's, or any other text followed by a value).
  private func labelRow(_ e: XMLElementNode, columns: VirtualColumns) -> Row? {
    let labelCell = e.children[0]
    let valueCell = e.children[1]
    guard labelCell.children.isEmpty || labelCell.children.allSatisfy({ $0.children.isEmpty }) else { return nil }
    var label = labelCell.text
    if label.hasSuffix(":") { label.removeLast() }
    while label.hasSuffix(" ") { label.removeLast() }
    guard !label.isEmpty else { return nil }
    let column = columns.labels.column(of: label)
    // Rows with an unknown label count only when they look like label/value rows (a header cell, or a label class).
    if column == nil {
      let looksLabelled = labelCell.name.local == "th" || (labelCell.attribute("class") ?? "").contains("label")
      guard looksLabelled, valueCell.children.isEmpty else { return nil }
    }
    return Row(column: column, label: label, value: valueCell.text, line: max(e.line, 1), lastLine: max(e.line, valueCell.line, labelCell.line, 1))
  }

  /// Whole lines `first...last` as a span; with no last line, or lines the page does not have, no bytes (at the
  /// start of the first line where there is one): never the whole page, which would be quarantined once per entry.
  private func recordSpan(_ first: Int, _ last: Int?, lineStarts: [Int], total: Int) -> SourceSpan {
    guard first >= 1, first <= lineStarts.count else { return SourceSpan(byteOffset: total, byteLength: 0, line: max(first, 1)) }
    let start = lineStarts[first - 1]
    guard let last, last >= first else { return SourceSpan(byteOffset: start, byteLength: 0, line: first) }
    let end = last < lineStarts.count ? lineStarts[last] : total
    return SourceSpan(byteOffset: start, byteLength: max(end - start, 0), line: first)
  }
}

/// Offsets of the first byte of every line (LF, CRLF or CR), or of the first `upTo` lines.
func lineStartOffsets(_ bytes: [UInt8], upTo count: Int = .max) -> [Int] {
  var starts = [0]
  var i = 0
  while i < bytes.count && starts.count < count {
    if bytes[i] == 0x0A || bytes[i] == 0x0D {
      if bytes[i] == 0x0D, i + 1 < bytes.count, bytes[i + 1] == 0x0A { i += 1 }
      if i + 1 < bytes.count { starts.append(i + 1) }
    }
    i += 1
  }
  return starts
}

/// The 1-based line and column of a byte offset.
func lineAndColumn(_ bytes: [UInt8], _ offset: Int) -> (Int, Int) {
  let starts = lineStartOffsets(bytes)
  let line = (starts.lastIndex { $0 <= offset } ?? 0)
  return (line + 1, scalarColumn(bytes[starts[line]..<offset], upTo: offset - starts[line]))
}
