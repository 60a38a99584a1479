import CaseMapping

/// The virtual columns of a key-value layout: one per label group, one per sentence capture a field reads, the
/// zone the response states, and the text nothing accounts for.
struct VirtualColumns {
  let labels: LabelTable
  /// Capture name -> column.
  let captures: [(name: String, column: Int)]
  let statedZone: Int
  let unrecognised: Int
  /// The virtual header.
  let names: [String]

  init(profile: MappingProfile, extraLabels: [String]) {
    labels = LabelTable(profile: profile, extra: extraLabels)
    var names = labels.names
    var captures: [(String, Int)] = []
    for r in profile.records {
      for f in r.fields where f.sourceKind == .sentence {
        if case .column(let name, _) = f.source, !captures.contains(where: { $0.0 == name }) {
          captures.append((name, names.count))
          names.append(name)
        }
      }
    }
    self.captures = captures
    statedZone = names.count
    names.append(statedZoneColumn)
    unrecognised = names.count
    names.append(unrecognisedTextColumn)
    self.names = names
  }
}

/// The values found in one block of lines (a record block or the response header), by virtual column.
struct BlockScan {
  var values: [String]
  var points: [TextPoint?]
  /// A column filled twice with different values: the column and where the second value starts.
  var repeated: [(column: Int, at: TextPoint)] = []
  /// The text no label or sentence accounts for, joined with newlines (kept only when asked for, and never beyond
  /// the field limit).
  var unrecognised = ""
  /// The first piece of text no label or sentence accounts for, and where it starts.
  var firstUnrecognised: (text: String, at: TextPoint)? = nil
  /// The first value (or the unrecognised text, column `unrecognisedColumn`) longer than the field limit, and
  /// where it starts: refused where it is read, so nothing written is too large to be read back.
  var tooLarge: (column: Int, at: TextPoint)? = nil
  /// The first paragraph longer than the pattern bound (not matched against sentences).
  var longParagraph: TextPoint? = nil
  /// The field limit (bytes of UTF-8).
  var maxFieldBytes = Int.max

  init(count: Int) {
    values = Array(repeating: "", count: count)
    points = Array(repeating: nil, count: count)
  }

  mutating func set(_ column: Int, _ value: String, at point: TextPoint) {
    if value.utf8.count > maxFieldBytes {
      if tooLarge == nil { tooLarge = (column, point) }
      return
    }
    if points[column] != nil {
      if values[column] != value { repeated.append((column, point)) }
      return
    }
    values[column] = value
    points[column] = point
  }

  /// Adds a piece of unrecognised text; `column` is the unrecognised-text column (for `tooLarge`).
  mutating func addUnrecognised(_ text: String, at point: TextPoint, column: Int, keep: Bool) {
    if firstUnrecognised == nil { firstUnrecognised = (text, point) }
    guard keep, tooLarge?.column != column else { return }
    let added = (unrecognised.isEmpty ? 0 : 1) + text.utf8.count
    if unrecognised.utf8.count + added > maxFieldBytes {
      if tooLarge == nil { tooLarge = (column, point) }
      unrecognised = ""
      return
    }
    if !unrecognised.isEmpty { unrecognised += "\n" }
    unrecognised += text
  }
}

/// Finds label pairs line by line and sentence captures paragraph by paragraph (a paragraph: consecutive
/// non-blank lines without a label, joined with single spaces).
///
/// Memory stays bounded by the longest line and the pattern bound: a paragraph is kept only while it fits the
/// bound (beyond it, its lines are unrecognised text as they come), and unrecognised text is joined as it is found,
/// only when `keepUnrecognised`, and never beyond `maxFieldBytes`.
func scanBlock(
  _ lines: some Sequence<TextLine>, bytes: [UInt8], columns: VirtualColumns, sentences: [ProfileRegex],
  maxFieldBytes: Int, keepUnrecognised: Bool
) -> BlockScan {
  var scan = BlockScan(count: columns.names.count)
  scan.maxFieldBytes = maxFieldBytes
  let u = columns.unrecognised
  var paragraph: [(line: TextLine, bytes: [UInt8])] = []
  var paragraphBytes = 0
  var overflowing = false  // the current paragraph is past the pattern bound
  func unrecognised(_ lb: [UInt8], _ line: TextLine) {
    let (s, e) = trimmed(lb)
    scan.addUnrecognised(String(decoding: lb[s..<e], as: UTF8.self), at: TextPoint(line: line.number, column: scalarColumn(lb, upTo: s)), column: u, keep: keepUnrecognised)
  }
  func flush() {
    overflowing = false
    paragraphBytes = 0
    guard !paragraph.isEmpty else { return }
    if !matchSentences(paragraph, columns: columns, sentences: sentences, into: &scan) {
      for p in paragraph { unrecognised(p.bytes, p.line) }
    }
    paragraph = []
  }
  for line in lines {
    guard line.text != nil, !line.isBlank else {
      flush()
      continue
    }
    let lb = Array(bytes[line.start..<line.contentEnd])
    let pairs = columns.labels.scan(lb)
    if pairs.isEmpty {
      if overflowing || sentences.isEmpty {
        unrecognised(lb, line)
        continue
      }
      let (s, e) = trimmed(lb)
      paragraphBytes += (paragraph.isEmpty ? 0 : 1) + (e - s)
      paragraph.append((line, lb))
      if paragraphBytes > PatternBound.maxBytes {
        // Too long to be matched in bounded time: its lines are unrecognised text.
        if scan.longParagraph == nil { scan.longParagraph = TextPoint(line: paragraph[0].line.number, column: 1) }
        for p in paragraph { unrecognised(p.bytes, p.line) }
        paragraph = []
        overflowing = true
      }
      continue
    }
    flush()
    let (s, _) = trimmed(lb)
    if s < pairs[0].labelStart {
      var e = pairs[0].labelStart
      while e > s && (lb[e - 1] == 0x20 || lb[e - 1] == 0x09) { e -= 1 }
      scan.addUnrecognised(String(decoding: lb[s..<e], as: UTF8.self), at: TextPoint(line: line.number, column: scalarColumn(lb, upTo: s)), column: u, keep: keepUnrecognised)
    }
    // Columns in one forward pass (pairs come in line order): counting from the line's start for each pair would
    // cost pairs × line length.
    var offset = 0
    var col = 1
    for p in pairs where p.valueEnd > p.valueStart {
      if p.valueStart < offset { (offset, col) = (0, 1) }
      while offset < p.valueStart && offset < lb.count {
        if lb[offset] & 0xC0 != 0x80 { col += 1 }
        offset += 1
      }
      scan.set(p.column, String(decoding: lb[p.valueStart..<p.valueEnd], as: UTF8.self), at: TextPoint(line: line.number, column: col))
    }
  }
  flush()
  return scan
}

/// Leading and trailing spaces and tabs excluded.
func trimmed(_ b: [UInt8]) -> (Int, Int) {
  var s = 0
  var e = b.count
  while s < e && (b[s] == 0x20 || b[s] == 0x09) { s += 1 }
  while e > s && (b[e - 1] == 0x20 || b[e - 1] == 0x09) { e -= 1 }
  return (s, e)
}

/// Matches every sentence against a paragraph (within the pattern bound); returns whether any matched.
private func matchSentences(_ paragraph: [(line: TextLine, bytes: [UInt8])], columns: VirtualColumns, sentences: [ProfileRegex], into scan: inout BlockScan) -> Bool {
  guard !sentences.isEmpty else { return false }
  // The flowed text: the trimmed lines joined by one space, and every run of spaces and tabs within them one space
  // too (as at the line breaks), so patterns separate words by one space; per flowed byte, its line and offset.
  var flowed: [UInt8] = []
  var origins: [(segment: Int, offset: Int)] = []
  for (k, p) in paragraph.enumerated() {
    let (s, e) = trimmed(p.bytes)
    if !flowed.isEmpty {
      flowed.append(0x20)
      origins.append((k, s))
    }
    var i = s
    while i < e {
      let b = p.bytes[i]
      if b == 0x20 || b == 0x09 {
        flowed.append(0x20)
        origins.append((k, i))
        while i < e && (p.bytes[i] == 0x20 || p.bytes[i] == 0x09) { i += 1 }
      } else {
        flowed.append(b)
        origins.append((k, i))
        i += 1
      }
    }
  }
  guard flowed.count <= PatternBound.maxBytes, !origins.isEmpty else { return false }
  let text = String(decoding: flowed, as: UTF8.self)
  func point(_ index: String.Index) -> TextPoint {
    let offset = text.utf8.distance(from: text.startIndex, to: index)
    let o = offset < origins.count ? origins[offset] : (origins[origins.count - 1].segment, origins[origins.count - 1].offset + 1)
    let bytes = paragraph[o.segment].bytes
    return TextPoint(line: paragraph[o.segment].line.number, column: scalarColumn(bytes, upTo: min(o.offset, bytes.count)))
  }
  var matched = false
  for s in sentences {
    for m in text.matches(of: s.regex) {
      matched = true
      for (name, column) in columns.captures {
        guard let element = m.output[name], let sub = element.substring, let range = element.range else { continue }
        scan.set(column, String(sub), at: point(range.lowerBound))
      }
    }
  }
  return matched
}
