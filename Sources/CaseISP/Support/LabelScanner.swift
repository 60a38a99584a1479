import CaseMapping

/// A `Label: value` pair found on a line: byte offsets within the line's UTF-8 content.
struct LabelPair {
  /// The virtual column of the label's group.
  var column: Int
  /// Where the label starts.
  var labelStart: Int
  /// Where the value starts (after the colon and any spaces).
  var valueStart: Int
  /// Where the value ends (trailing spaces and tabs excluded).
  var valueEnd: Int
}

/// The labels a profile declares, grouped: every spelling (the label and its aliases, compared ignoring ASCII
/// case) belongs to one group, and each group is one virtual column named by its first label.
struct LabelTable {
  /// Group names, in order of first declaration: virtual columns 0..<count.
  private(set) var names: [String] = []
  /// Folded spellings and their group, longest first.
  private var spellings: [(bytes: [UInt8], column: Int)] = []

  init(profile: MappingProfile, extra: [String]) {
    var byFolded: [[UInt8]: Int] = [:]
    func add(_ primary: String, _ aliases: [String]) {
      let all = [primary] + aliases
      let column = all.lazy.compactMap { byFolded[fold(Array($0.utf8))] }.first ?? {
        names.append(primary)
        return names.count - 1
      }()
      for s in all { byFolded[fold(Array(s.utf8))] = column }
    }
    for r in profile.records {
      for f in r.fields where f.sourceKind == .label {
        if case .column(let name, let aliases) = f.source { add(name, aliases) }
      }
    }
    for l in extra { add(l, []) }
    spellings = byFolded.map { ($0.key, $0.value) }.sorted { $0.bytes.count != $1.bytes.count ? $0.bytes.count > $1.bytes.count : $0.bytes.lexicographicallyPrecedes($1.bytes) }
  }

  /// The virtual column a label (as a field names it) is read from.
  func column(of label: String) -> Int? {
    let f = fold(Array(label.utf8))
    return spellings.first { $0.bytes == f }?.column
  }

  /// Finds the label pairs of one line. A label is recognised at the start of the line or after a space or tab,
  /// when it is followed by optional spaces and a colon; its value runs to the next recognised label or the end
  /// of the line.
  func scan(_ line: [UInt8]) -> [LabelPair] {
    var pairs: [LabelPair] = []
    var i = 0
    let n = line.count
    while i < n {
      let atBoundary = i == 0 || line[i - 1] == 0x20 || line[i - 1] == 0x09
      if atBoundary, line[i] != 0x20, line[i] != 0x09, let (column, after) = match(line, at: i) {
        if !pairs.isEmpty { pairs[pairs.count - 1].valueEnd = i }
        var v = after
        while v < n && (line[v] == 0x20 || line[v] == 0x09) { v += 1 }
        pairs.append(LabelPair(column: column, labelStart: i, valueStart: v, valueEnd: n))
        i = v
        continue
      }
      i += 1
    }
    for k in pairs.indices {
      var e = pairs[k].valueEnd
      while e > pairs[k].valueStart && (line[e - 1] == 0x20 || line[e - 1] == 0x09) { e -= 1 }
      pairs[k].valueEnd = e
    }
    return pairs
  }

  /// The group and the offset after the colon of a label starting at `i`.
  private func match(_ line: [UInt8], at i: Int) -> (Int, Int)? {
    for s in spellings where i + s.bytes.count <= line.count {
      var ok = true
      for (k, b) in s.bytes.enumerated() where foldByte(line[i + k]) != b {
        ok = false
        break
      }
      guard ok else { continue }
      var j = i + s.bytes.count
      while j < line.count && (line[j] == 0x20 || line[j] == 0x09) { j += 1 }
      if j < line.count && line[j] == 0x3A { return (s.column, j + 1) }
    }
    return nil
  }
}

@inline(__always) func foldByte(_ b: UInt8) -> UInt8 { (b &- 0x41) < 26 ? b | 0x20 : b }
func fold(_ bytes: [UInt8]) -> [UInt8] { bytes.map(foldByte) }
