/// Cuts a stream of top-level JSON objects written one after another (one pretty-printed tip, several, or JSON
/// Lines of tips) into units of whole lines, without parsing them.
///
/// A unit starts at the first line holding something other than whitespace and ends at the end of the first line
/// where its brackets (outside strings) are balanced again, or where a string is still open (JSON strings cannot
/// span lines, so the unit is broken and is cut there: the parser then reports it, and the next line starts
/// afresh). A JSON Lines file therefore gives one unit per line; a pretty-printed tip one unit for the document.
/// Lines holding only whitespace between units are reported as blank. Memory is bounded by `maxBytes` per unit: a
/// longer unit is still followed to its end, but its bytes are not kept.
struct TipUnitScanner {
  /// One unit of lines.
  struct Unit {
    /// The unit's bytes, its terminator included (empty when `tooLarge`).
    var bytes: [UInt8]
    /// Input offset of its first byte.
    var offset: Int
    /// Its length in the input, terminator included.
    var length: Int
    /// Line and column of its first byte.
    var position: (line: Int, column: Int)
    /// Only whitespace: not a record.
    var isBlank: Bool
    /// Longer than the limit (bytes not kept).
    var tooLarge: Bool
  }

  private let maxBytes: Int
  private let firstLineColumn: Int
  private var offset: Int
  private var line = 1
  private var bytes: [UInt8] = []
  private var start: Int
  private var startLine = 1
  private var length = 0
  private var started = false
  private var depth = 0
  private var inString = false
  private var escaped = false
  private var tooLarge = false

  /// - Parameters:
  ///   - startOffset: the input offset of the first byte fed (after a byte order mark).
  ///   - firstLineColumn: the column of that byte on line 1.
  ///   - maxBytes: the largest unit kept.
  init(startOffset: Int, firstLineColumn: Int, maxBytes: Int) {
    offset = startOffset
    start = startOffset
    self.firstLineColumn = firstLineColumn
    self.maxBytes = maxBytes
  }

  /// Scans the next bytes; returns the units they complete.
  mutating func feed(_ chunk: UnsafeRawBufferPointer) -> [Unit] {
    var out: [Unit] = []
    var keepFrom = 0
    for i in 0..<chunk.count {
      let b = chunk[i]
      if inString {
        if escaped {
          escaped = false
        } else if b == 0x5C {
          escaped = true
        } else if b == 0x22 {
          inString = false
        }
      } else {
        switch b {
        case 0x22:
          inString = true
          started = true
        case 0x7B, 0x5B:
          depth += 1
          started = true
        case 0x7D, 0x5D:
          depth -= 1
          started = true
        case 0x20, 0x09, 0x0D, 0x0A: break
        default: started = true
        }
      }
      guard b == 0x0A else { continue }
      line += 1
      if !started || inString || depth <= 0 {
        append(UnsafeRawBufferPointer(rebasing: chunk[keepFrom...i]))
        keepFrom = i + 1
        out.append(take())
      }
    }
    if keepFrom < chunk.count { append(UnsafeRawBufferPointer(rebasing: chunk[keepFrom...])) }
    return out
  }

  /// The last unit, if the input does not end with a line terminator.
  mutating func finish() -> Unit? {
    length > 0 ? take() : nil
  }

  private mutating func append(_ piece: UnsafeRawBufferPointer) {
    length += piece.count
    offset += piece.count
    if tooLarge { return }
    if length > maxBytes {
      tooLarge = true
      bytes = []
      return
    }
    bytes.append(contentsOf: piece)
  }

  private mutating func take() -> Unit {
    let unit = Unit(
      bytes: bytes, offset: start, length: length, position: (startLine, startLine == 1 ? firstLineColumn : 1),
      isBlank: !started, tooLarge: tooLarge)
    bytes = []
    start = offset
    startLine = line
    length = 0
    started = false
    depth = 0
    inString = false
    escaped = false
    tooLarge = false
    return unit
  }
}
