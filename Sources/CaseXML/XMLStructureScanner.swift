import CaseInterchange

/// Why the structure scanner stopped feeding bytes to libxml2.
struct XMLScanStop {
  var rule: String
  var message: String
  var byteOffset: Int
  var line: Int
  var column: Int
}

/// One record element found by the scanner: its exact byte span, and the line and column of every start tag
/// inside it in document order (the record's own first), when positions are kept.
struct XMLScannedRecord {
  var span: SourceSpan
  /// Index of the record's first tag position in `XMLStructureScanner.tagPositions`.
  var firstTag: Int
  /// How many tag positions belong to the record (0 when positions are not kept).
  var tagCount: Int
}

/// A small byte-level structure scanner run over exactly the bytes handed to libxml2, just before they are
/// handed over.
///
/// libxml2's reader cannot tell where an element starts and ends in the input bytes, so this scanner tracks
/// element nesting itself, skipping comments, processing instructions, CDATA sections and quoted attribute values,
/// and queues the exact spans of the elements the selector picks. It runs ahead of libxml2, so when the reader
/// has finished an element, the element's span is complete. It is also the first line of defence: it stops the
/// input at a DOCTYPE (libxml2 never sees the internal subset), at the element that breaks the depth, element or
/// record limits, at the text that breaks the text limit and at the byte that breaks the document limit.
///
/// It works on code units: bytes for UTF-8 and other ASCII-compatible encodings, 16-bit units for UTF-16; all
/// offsets are bytes of the original input. Columns count Unicode scalars (UTF-8 lead bytes, UTF-16 units that
/// are not low surrogates); lines count LF.
struct XMLStructureScanner {
  enum Encoding { case utf8, utf16LE, utf16BE }
  enum Kind { case root, childrenOfRoot, path }
  enum State: UInt8 {
    /// Character data, whitespace so far; `text`: character data with other characters.
    case content, text
    case lt, startName, startNameFree, startTag, startSlash, attrD, attrS, endTag, pi, piQ, bang, bangDash, bangOther
    case comment, commentD1, commentD2, cdataOpen, cdata, cdataB1, cdataB2
  }

  let encoding: Encoding
  let kind: Kind
  /// The path's local names as code units of the input's encoding.
  let path: [[UInt32]]
  let limits: XMLLimits
  /// Whether the line and column of every start tag inside records are kept (trees need them).
  let keepsTagPositions: Bool
  /// Bytes per code unit.
  let unitWidth: Int

  private(set) var state = State.content
  /// Byte offset of the unit being processed (between `scan` calls: of the next unit).
  private(set) var offset = 0
  private var skip = 0
  private var pendingByte: UInt8?
  private(set) var line = 1
  /// Byte offset where the current line starts, and how many code units since then do not start a character
  /// (UTF-8 continuation bytes, UTF-16 low surrogates): columns are computed from them when needed.
  private var lineStart = 0
  private var cont = 0
  private(set) var depth = 0
  private(set) var elements = 0
  private var matched = 0

  private var tagOffset = 0, tagLine = 1, tagCol = 1
  private var tagIsRecord = false, tagAdvances = false
  /// Attributes (and namespace declarations) of the start tag being scanned: counted at each value's opening quote.
  private var tagAttributes = 0
  private var checkName = false, nameOK = true, namePos = 0
  private var cdataPos = 0

  private var recordOpen = false
  private var recordStart = 0, recordDepth = 0, recordElements = 0
  private var recordFirstTag = 0

  /// Text bytes of each open element (whitespace-only runs are not counted).
  private var textAt: [Int]
  /// Where the current run of character data, and the current CDATA section's text, started.
  private var runStart = 0
  private var cdataStart = 0

  private var records: [XMLScannedRecord] = []
  private var recordHead = 0
  /// (line, column) of start tags inside records, in document order.
  private(set) var tagPositions: [(line: Int, column: Int)] = []
  private var tagBase = 0

  /// Set when the scanner refused to go on; no byte from `stop.byteOffset` on is handed to libxml2.
  private(set) var stop: XMLScanStop?

  init(encoding: Encoding, bomBytes: Int, selector: XMLRecordSelector, limits: XMLLimits, keepsTagPositions: Bool) {
    self.encoding = encoding
    self.limits = limits
    self.keepsTagPositions = keepsTagPositions
    unitWidth = encoding == .utf8 ? 1 : 2
    skip = bomBytes
    lineStart = bomBytes
    switch selector {
    case .root:
      kind = .root
      path = []
    case .childrenOfRoot:
      kind = .childrenOfRoot
      path = []
    case .path(let names):
      kind = .path
      path = names.map { name in
        encoding == .utf8 ? name.utf8.map { UInt32($0) } : name.utf16.map { UInt32($0) }
      }
    }
    // Grown one level at a time as elements open: never sized from the (operator-given) depth limit.
    textAt = [0, 0]
  }

  // MARK: Records

  /// The next complete record span, in document order.
  mutating func popRecord() -> XMLScannedRecord? {
    guard recordHead < records.count, !isOpenRecord(recordHead) else { return nil }
    let r = records[recordHead]
    recordHead += 1
    if recordHead >= 1024 && recordHead * 2 >= records.count {
      records.removeFirst(recordHead)
      recordHead = 0
    }
    return r
  }

  private func isOpenRecord(_ i: Int) -> Bool { i == records.count - 1 && recordOpen }

  /// The tag position at an absolute index (valid for the most recently popped record until the next pop).
  func tagPosition(_ index: Int) -> (line: Int, column: Int)? {
    let i = index - tagBase
    return i >= 0 && i < tagPositions.count ? tagPositions[i] : nil
  }

  /// Drops tag positions before an absolute index (the reader is done with them).
  mutating func releaseTagPositions(before index: Int) {
    let n = min(index - tagBase, tagPositions.count)
    guard n > 4096 && n * 2 >= tagPositions.count else { return }
    tagPositions.removeFirst(n)
    tagBase += n
  }

  // MARK: Scanning

  /// For each state and byte: bit 0 = the state machine must see the byte, bit 1 = LF, bit 2 = a UTF-8
  /// continuation byte. Bytes with no bit set are skipped by a tight loop.
  private static let table: [UInt8] = {
    var t = [UInt8](repeating: 0, count: 256 * 32)
    for st in 0..<32 {
      guard let state = State(rawValue: UInt8(st)) else { continue }
      for b in 0..<256 {
        var k: UInt8 = 0
        if b == 0x0A { k |= 2 }
        if b >= 0x80 && b < 0xC0 { k |= 4 }
        let needs: Bool
        switch state {
        case .content: needs = !(b == 0x20 || b == 0x09 || b == 0x0D || b == 0x0A)
        case .text: needs = b == 0x3C
        case .startNameFree: needs = b <= 0x20 || b == 0x3E || b == 0x2F
        case .startTag: needs = b == 0x22 || b == 0x27 || b == 0x3E || b == 0x2F
        case .attrD: needs = b == 0x22
        case .attrS: needs = b == 0x27
        case .endTag, .bangOther: needs = b == 0x3E
        case .pi: needs = b == 0x3F
        case .comment: needs = b == 0x2D
        case .cdata: needs = b == 0x5D
        default: needs = true
        }
        if needs { k |= 1 }
        t[st << 8 | b] = k
      }
    }
    return t
  }()

  /// Scans the next bytes of the input; returns how many of them may be handed to libxml2 (fewer than `count`
  /// only when the scanner stops).
  mutating func scan(_ base: UnsafePointer<UInt8>, _ count: Int) -> Int {
    guard stop == nil else { return 0 }
    var i = 0
    if skip > 0 {
      let k = min(skip, count)
      skip -= k
      offset += k
      i = k
    }
    let base0 = offset - i
    var end = count
    if limits.maxDocumentBytes > 0 && base0 + count > limits.maxDocumentBytes {
      end = max(limits.maxDocumentBytes - base0, i)
    }
    switch encoding {
    case .utf8:
      let stopped = Self.table.withUnsafeBufferPointer { table -> Bool in
        var st = Int(state.rawValue) << 8
        while i < end {
          let b = base[i]
          let k = table[st | Int(b)]
          if k == 0 {
            i += 1
            continue
          }
          if k & 1 != 0 {
            offset = base0 + i
            if !step(UInt32(b), 1) { return true }
            st = Int(state.rawValue) << 8
          }
          if k & 2 != 0 {
            line += 1
            lineStart = base0 + i + 1
            cont = 0
          } else if k & 4 != 0 {
            cont += 1
          }
          i += 1
        }
        return false
      }
      if stopped { return passed(i, base0, count) }
      offset = base0 + i
    case .utf16LE, .utf16BE:
      while i < end {
        let lo: UInt8
        let hi: UInt8
        if let p = pendingByte {
          pendingByte = nil
          (lo, hi) = encoding == .utf16LE ? (p, base[i]) : (base[i], p)
          // The unit started one byte before this buffer.
          if !unit16(UInt32(hi) << 8 | UInt32(lo), at: base0 + i - 1) { return 0 }
          i += 1
          continue
        }
        if i + 1 >= end {
          if end < count { break }
          pendingByte = base[i]
          i += 1
          break
        }
        (lo, hi) = encoding == .utf16LE ? (base[i], base[i + 1]) : (base[i + 1], base[i])
        if !unit16(UInt32(hi) << 8 | UInt32(lo), at: base0 + i) { return passed(i, base0, count) }
        i += 2
      }
      offset = base0 + i
    }
    if end < count {
      stopHere(rule: "xml.too-large", message: "the document is larger than the limit", at: offset)
      return end
    }
    if recordOpen && offset - recordStart > limits.maxRecordBytes {
      stopHere(rule: "xml.record-too-large", message: "a record is larger than the limit", at: offset)
      return count
    }
    if depth > 0 {
      let pending = state == .text ? offset - runStart : state == .cdata ? offset - cdataStart : 0
      if textAt[depth] + pending > limits.maxTextBytes {
        stopHere(rule: "xml.text-too-large", message: "an element's text is larger than the limit", at: offset)
        return count
      }
    }
    return count
  }

  /// Bytes of this buffer that may pass when the scanner stopped: those before the stop offset.
  private func passed(_ i: Int, _ base0: Int, _ count: Int) -> Int {
    guard let s = stop else { return count }
    return max(0, min(count, s.byteOffset - base0))
  }

  /// One UTF-16 code unit at `unitOffset`.
  private mutating func unit16(_ u: UInt32, at unitOffset: Int) -> Bool {
    offset = unitOffset
    guard step(u, 2) else { return false }
    if u == 0x0A {
      line += 1
      lineStart = unitOffset + 2
      cont = 0
    } else if (u & 0xFC00) == 0xDC00 {
      cont += 1
    }
    return true
  }

  /// The 1-based column (in characters) of the code unit at `offset`.
  @inline(__always)
  private func column() -> Int { (unitWidth == 1 ? offset - lineStart : (offset - lineStart) >> 1) - cont + 1 }

  @inline(__always)
  private static func isSpace(_ c: UInt32) -> Bool { c == 0x20 || c == 0x0A || c == 0x09 || c == 0x0D }

  /// One code unit at `offset`; false when the scanner stops here.
  private mutating func step(_ c: UInt32, _ width: Int) -> Bool {
    switch state {
    case .content, .text:
      if c == 0x3C {  // <
        if state == .text {
          textAt[depth] += offset - runStart
          if depth > 0 && textAt[depth] > limits.maxTextBytes {
            return stopHere(rule: "xml.text-too-large", message: "an element's text is larger than the limit", at: offset)
          }
        }
        tagOffset = offset
        tagLine = line
        tagCol = column()
        state = .lt
        if recordOpen && offset - recordStart > limits.maxRecordBytes {
          return stopHere(rule: "xml.record-too-large", message: "a record is larger than the limit", at: offset)
        }
      } else if !Self.isSpace(c) {
        state = .text
      }
    case .lt:
      switch c {
      case 0x2F: state = .endTag
      case 0x3F: state = .pi
      case 0x21: state = .bang
      default:
        if !beginStartTag() { return false }
        state = checkName ? .startName : .startNameFree
        nameUnit(c)
      }
    case .startName, .startNameFree:
      if Self.isSpace(c) {
        endName()
        state = .startTag
      } else if c == 0x3E {
        endName()
        closeStartTag(empty: false)
      } else if c == 0x2F {
        endName()
        state = .startSlash
      } else {
        nameUnit(c)
      }
    case .startTag:
      if c == 0x22 || c == 0x27 {
        if !beginAttributeValue() { return false }
        state = c == 0x22 ? .attrD : .attrS
      } else if c == 0x3E {
        closeStartTag(empty: false)
      } else if c == 0x2F {
        state = .startSlash
      }
    case .startSlash:
      if c == 0x3E {
        closeStartTag(empty: true)
      } else if c == 0x22 || c == 0x27 {
        if !beginAttributeValue() { return false }
        state = c == 0x22 ? .attrD : .attrS
      } else if c != 0x2F {
        state = .startTag
      }
    case .attrD:
      if c == 0x22 { state = .startTag }
    case .attrS:
      if c == 0x27 { state = .startTag }
    case .endTag:
      if c == 0x3E { closeEndTag() }
    case .pi:
      if c == 0x3F { state = .piQ }
    case .piQ:
      if c == 0x3E { toContent() } else if c != 0x3F { state = .pi }
    case .bang:
      if c == 0x2D {
        state = .bangDash
      } else if c == 0x5B {
        cdataPos = 0
        state = .cdataOpen
      } else if c == 0x44 {  // D: <!DOCTYPE
        return stopHere(rule: "xml.doctype-forbidden", message: "a document type declaration (DTD) is not allowed", at: tagOffset, line: tagLine, column: tagCol)
      } else {
        state = .bangOther
      }
    case .bangDash:
      state = c == 0x2D ? .comment : .bangOther
    case .bangOther:
      if c == 0x3E { toContent() }
    case .comment:
      if c == 0x2D { state = .commentD1 }
    case .commentD1:
      state = c == 0x2D ? .commentD2 : .comment
    case .commentD2:
      if c == 0x3E { toContent() } else if c != 0x2D { state = .comment }
    case .cdataOpen:
      let expected: UInt32
      switch cdataPos {
      case 0: expected = 0x43
      case 1: expected = 0x44
      case 2: expected = 0x41
      case 3: expected = 0x54
      case 4: expected = 0x41
      default: expected = 0x5B
      }
      if c != expected {
        state = .bangOther
      } else if cdataPos == 5 {
        state = .cdata
        cdataStart = offset + width
      } else {
        cdataPos += 1
      }
    case .cdata:
      if c == 0x5D { state = .cdataB1 }
    case .cdataB1:
      state = c == 0x5D ? .cdataB2 : .cdata
    case .cdataB2:
      if c == 0x3E {
        // The section's text ends before "]]>".
        if depth > 0 {
          textAt[depth] += offset - 2 * width - cdataStart
          if textAt[depth] > limits.maxTextBytes {
            return stopHere(rule: "xml.text-too-large", message: "an element's text is larger than the limit", at: offset)
          }
        }
        toContent()
      } else if c != 0x5D {
        state = .cdata
      }
    }
    return true
  }

  /// After a `>`: character data starts with the next unit.
  @inline(__always)
  private mutating func toContent() {
    state = .content
    runStart = offset + unitWidth
  }

  private mutating func beginStartTag() -> Bool {
    elements += 1
    if elements > limits.maxElements {
      return stopHere(rule: "xml.too-many-elements", message: "the document has more elements than the limit", at: tagOffset, line: tagLine, column: tagCol)
    }
    if depth + 1 > limits.maxDepth {
      return stopHere(rule: "xml.depth-exceeded", message: "elements are nested deeper than the limit", at: tagOffset, line: tagLine, column: tagCol)
    }
    if recordOpen {
      recordElements += 1
      if recordElements > limits.maxRecordElements {
        return stopHere(rule: "xml.record-too-large", message: "a record has more elements than the limit", at: tagOffset, line: tagLine, column: tagCol)
      }
      if keepsTagPositions { tagPositions.append((tagLine, tagCol)) }
    }
    tagIsRecord = false
    tagAdvances = false
    tagAttributes = 0
    checkName = false
    switch kind {
    case .root:
      tagIsRecord = depth == 0
    case .childrenOfRoot:
      tagIsRecord = depth == 1
    case .path:
      checkName = matched == depth && depth < path.count
      nameOK = true
      namePos = 0
    }
    return true
  }

  /// An attribute value's opening quote in a start tag: one more attribute. libxml2 2.9 checks an element's
  /// attributes for duplicates pairwise (and again per namespace), so an element with tens of thousands of them
  /// costs seconds to minutes; the element is refused here, before libxml2 sees it.
  private mutating func beginAttributeValue() -> Bool {
    tagAttributes += 1
    if tagAttributes > limits.maxAttributes {
      return stopHere(rule: "xml.too-many-attributes", message: "an element has more attributes than the limit (\(limits.maxAttributes))", at: tagOffset, line: tagLine, column: tagCol)
    }
    return true
  }

  @inline(__always)
  private mutating func nameUnit(_ c: UInt32) {
    guard checkName else { return }
    if c == 0x3A {  // ':' ends the prefix; the local name starts again
      nameOK = true
      namePos = 0
    } else if nameOK && namePos < path[depth].count && path[depth][namePos] == c {
      namePos += 1
    } else {
      nameOK = false
    }
  }

  private mutating func endName() {
    guard checkName else { return }
    checkName = false
    if nameOK && namePos == path[depth].count {
      if depth == path.count - 1 { tagIsRecord = true } else { tagAdvances = true }
    }
  }

  private mutating func closeStartTag(empty: Bool) {
    toContent()
    if tagIsRecord {
      let first = tagBase + tagPositions.count
      if keepsTagPositions { tagPositions.append((tagLine, tagCol)) }
      if empty {
        records.append(XMLScannedRecord(
          span: SourceSpan(byteOffset: tagOffset, byteLength: offset + unitWidth - tagOffset, line: tagLine, column: tagCol),
          firstTag: first, tagCount: keepsTagPositions ? 1 : 0))
      } else {
        recordOpen = true
        recordStart = tagOffset
        recordDepth = depth
        recordElements = 1
        recordFirstTag = first
        records.append(XMLScannedRecord(span: SourceSpan(byteOffset: tagOffset, byteLength: 0, line: tagLine, column: tagCol), firstTag: first, tagCount: 0))
      }
    }
    if !empty {
      if tagAdvances { matched = depth + 1 }
      depth += 1
      if depth < textAt.count { textAt[depth] = 0 } else { textAt.append(0) }
    }
    tagIsRecord = false
    tagAdvances = false
  }

  private mutating func closeEndTag() {
    toContent()
    guard depth > 0 else { return }
    depth -= 1
    if matched > depth { matched = depth }
    if recordOpen && depth == recordDepth {
      recordOpen = false
      let last = records.count - 1
      records[last].span.byteLength = offset + unitWidth - recordStart
      records[last].tagCount = keepsTagPositions ? tagBase + tagPositions.count - recordFirstTag : 0
    }
  }

  @discardableResult
  private mutating func stopHere(rule: String, message: String, at byteOffset: Int, line: Int? = nil, column: Int? = nil) -> Bool {
    if stop == nil {
      stop = XMLScanStop(rule: rule, message: message, byteOffset: byteOffset, line: line ?? self.line, column: column ?? self.column())
    }
    return false
  }
}
