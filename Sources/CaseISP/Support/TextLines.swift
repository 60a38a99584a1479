import CaseInterchange

/// One physical line of a text input: its bytes, terminator excluded, and its decoded text.
struct TextLine {
  /// 1-based line number.
  var number: Int
  /// Offset of the first byte.
  var start: Int
  /// Offset just past the content (before CR/LF).
  var contentEnd: Int
  /// Offset just past the terminator.
  var end: Int
  /// The decoded content, or nil when the bytes are not UTF-8 or hold a NUL (see `badByte`).
  var text: String?
  /// The rule and absolute offset of the first byte that could not be decoded.
  var badByte: (rule: String, offset: Int)?

  /// Whether the line holds only spaces and tabs (or nothing).
  var isBlank: Bool {
    guard let text else { return false }
    return text.utf8.allSatisfy { $0 == 0x20 || $0 == 0x09 }
  }
}

/// Reads an input whole (provider letters and pages are small) with a size cap.
func readWhole(_ file: ChunkedFile, sourceName: String, cap: Int) throws(FormatError) -> [UInt8] {
  var bytes: [UInt8] = []
  while true {
    let chunk = try file.nextChunk()
    if chunk.isEmpty { break }
    bytes.append(contentsOf: chunk)
    if bytes.count > cap {
      throw FormatError(
        rule: "isp.too-large", message: "the response is larger than \(cap) bytes, the limit for this format (it is read whole)",
        location: SourceLocation(source: sourceName, byteOffset: cap))  // file-level: where reading stopped, no length
    }
  }
  return bytes
}

/// The lines of a byte range, split on LF, CRLF or a bare CR and decoded as strict UTF-8 (no replacement
/// characters), one at a time: nothing is kept, so walking a letter costs no memory beyond the line at hand.
struct LineCursor: Sequence, IteratorProtocol {
  let bytes: [UInt8]
  /// Offset of the next line.
  private(set) var offset: Int
  /// Number of the next line.
  private(set) var number: Int
  /// Where the lines stop (exclusive): a line starting at or after it is not produced.
  let limit: Int

  init(_ bytes: [UInt8], from offset: Int, line number: Int = 1, to limit: Int? = nil) {
    self.bytes = bytes
    self.offset = offset
    self.number = number
    self.limit = Swift.min(limit ?? bytes.count, bytes.count)
  }

  /// The lines after `line` up to `limit`.
  init(_ bytes: [UInt8], after line: TextLine, to limit: Int? = nil) {
    self.init(bytes, from: line.end, line: line.number + 1, to: limit)
  }

  mutating func next() -> TextLine? {
    let i = offset
    guard i < limit else { return nil }
    let n = bytes.count
    var j = i
    while j < n && bytes[j] != 0x0A && bytes[j] != 0x0D { j += 1 }
    var end = j
    if j < n { end = (bytes[j] == 0x0D && j + 1 < n && bytes[j + 1] == 0x0A) ? j + 2 : j + 1 }
    var line = TextLine(number: number, start: i, contentEnd: j, end: end)
    switch validateUTF8(bytes, i, j) {
    case .none: line.text = String(decoding: bytes[i..<j], as: UTF8.self)
    case .some(let bad): line.badByte = bad
    }
    number += 1
    offset = end
    return line
  }
}

/// The first problem of a byte range as UTF-8: an invalid sequence (`isp.invalid-utf8`) or a NUL (`isp.nul`).
func validateUTF8(_ b: [UInt8], _ from: Int, _ to: Int) -> (rule: String, offset: Int)? {
  var i = from
  while i < to {
    let c = b[i]
    if c == 0 { return ("isp.nul", i) }
    if c < 0x80 {
      i += 1
      continue
    }
    let need: Int
    let minScalar: UInt32
    var scalar: UInt32
    switch c {
    case 0xC2...0xDF: (need, minScalar, scalar) = (1, 0x80, UInt32(c & 0x1F))
    case 0xE0...0xEF: (need, minScalar, scalar) = (2, 0x800, UInt32(c & 0x0F))
    case 0xF0...0xF4: (need, minScalar, scalar) = (3, 0x10000, UInt32(c & 0x07))
    default: return ("isp.invalid-utf8", i)
    }
    guard i + need < to else { return ("isp.invalid-utf8", i) }
    for k in 1...need {
      let x = b[i + k]
      guard x & 0xC0 == 0x80 else { return ("isp.invalid-utf8", i) }
      scalar = scalar << 6 | UInt32(x & 0x3F)
    }
    if scalar < minScalar || scalar > 0x10FFFF || (0xD800...0xDFFF).contains(scalar) { return ("isp.invalid-utf8", i) }
    i += need + 1
  }
  return nil
}

/// The 1-based column (in Unicode scalars) of byte `offset` of a line's UTF-8 bytes.
func scalarColumn<C: Collection>(_ utf8: C, upTo offset: Int) -> Int where C.Element == UInt8 {
  var column = 1
  for (k, b) in utf8.enumerated() {
    if k >= offset { break }
    if b & 0xC0 != 0x80 { column += 1 }
  }
  return column
}
