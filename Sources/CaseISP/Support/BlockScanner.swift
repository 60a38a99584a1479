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
  /// Text no label or sentence accounts for, and where it starts.
  var unrecognised: [(text: String, at: TextPoint)] = []

  init(count: Int) {
    values = Array(repeating: "", count: count)
    points = Array(repeating: nil, count: count)
  }

  mutating func set(_ column: Int, _ value: String, at point: TextPoint) {
    if points[column] != nil {
      if values[column] != value { repeated.append((column, point)) }
      return
    }
    values[column] = value
    points[column] = point
  }
}

/// Finds label pairs line by line and sentence captures paragraph by paragraph (a paragraph: consecutive
/// non-blank lines without a label, joined with single spaces).
func scanBlock(_ lines: ArraySlice<TextLine>, bytes: [UInt8], columns: VirtualColumns, sentences: [ProfileRegex]) -> BlockScan {
  var scan = BlockScan(count: columns.names.count)
  var paragraph: [(line: TextLine, bytes: [UInt8])] = []
  func flush() {
    guard !paragraph.isEmpty else { return }
    if !matchSentences(paragraph, columns: columns, sentences: sentences, into: &scan) {
      for p in paragraph {
        let (s, e) = trimmed(p.bytes)
        scan.unrecognised.append((String(decoding: p.bytes[s..<e], as: UTF8.self), TextPoint(line: p.line.number, column: scalarColumn(p.bytes, upTo: s))))
      }
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
      paragraph.append((line, lb))
      continue
    }
    flush()
    let (s, _) = trimmed(lb)
    if s < pairs[0].labelStart {
      var e = pairs[0].labelStart
      while e > s && (lb[e - 1] == 0x20 || lb[e - 1] == 0x09) { e -= 1 }
      scan.unrecognised.append((String(decoding: lb[s..<e], as: UTF8.self), TextPoint(line: line.number, column: scalarColumn(lb, upTo: s))))
    }
    for p in pairs where p.valueEnd > p.valueStart {
      scan.set(p.column, String(decoding: lb[p.valueStart..<p.valueEnd], as: UTF8.self), at: TextPoint(line: line.number, column: scalarColumn(lb, upTo: p.valueStart)))
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

/// Matches every sentence against a paragraph; returns whether any matched.
private func matchSentences(_ paragraph: [(line: TextLine, bytes: [UInt8])], columns: VirtualColumns, sentences: [ProfileRegex], into scan: inout BlockScan) -> Bool {
  guard !sentences.isEmpty else { return false }
  // The flowed text and, per line, where its trimmed content starts in it.
  var flowed: [UInt8] = []
  var segments: [(flowedStart: Int, line: TextLine, bytes: [UInt8], byteStart: Int)] = []
  for p in paragraph {
    let (s, e) = trimmed(p.bytes)
    if !flowed.isEmpty { flowed.append(0x20) }
    segments.append((flowed.count, p.line, p.bytes, s))
    flowed.append(contentsOf: p.bytes[s..<e])
  }
  let text = String(decoding: flowed, as: UTF8.self)
  func point(_ index: String.Index) -> TextPoint {
    let offset = text.utf8.distance(from: text.startIndex, to: index)
    let seg = segments.last { $0.flowedStart <= offset } ?? segments[0]
    let inLine = seg.byteStart + (offset - seg.flowedStart)
    return TextPoint(line: seg.line.number, column: scalarColumn(seg.bytes, upTo: min(inLine, seg.bytes.count)))
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
