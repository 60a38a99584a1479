// Line/column bookkeeping for byte buffers. Standard library only.

/// A 1-based line and column inside a text, counted over its UTF-8 bytes.
///
/// Only LF (0x0A) starts a new line (a lone CR does not; in CRLF the CR is the last
/// column of its line). Columns count Unicode scalars, i.e. UTF-8 lead bytes (every byte
/// that is not a continuation byte `10xxxxxx`), so invalid UTF-8 still gets a stable column.
public struct TextPosition: Sendable, Hashable, CustomStringConvertible {
  /// The 1-based line number.
  public var line: Int
  /// The 1-based column, counted in Unicode scalars from the start of the line.
  public var column: Int

  /// Line 1, column 1: the position of the first byte of an input.
  public static let start = TextPosition(line: 1, column: 1)

  /// Creates a position from a 1-based line and column.
  ///
  /// - Parameters:
  ///   - line: The 1-based line.
  ///   - column: The 1-based column, in Unicode scalars.
  public init(line: Int, column: Int) {
    self.line = line
    self.column = column
  }

  /// Returns the position just after `bytes`, assuming `bytes` starts at `self`.
  ///
  /// - Parameter bytes: UTF-8 bytes that begin at this position.
  /// - Returns: The position of the byte that would follow `bytes`.
  public func advanced(over bytes: UnsafeRawBufferPointer) -> TextPosition {
    guard let base = bytes.baseAddress, bytes.count > 0 else { return self }
    return _advancePosition(self, base.assumingMemoryBound(to: UInt8.self), bytes.count)
  }

  /// The position as `line:column`.
  public var description: String { "\(line):\(column)" }
}

/// Computes the line and column of `offset` inside `bytes`, where `bytes[0]` is at `position`.
///
/// Used to locate field-level diagnostics from `JSONMember.keyOffset`. `offset` is clamped
/// to `0...bytes.count`.
///
/// - Parameters:
///   - offset: A byte offset into `bytes`.
///   - bytes: The buffer the offset refers to (e.g. a splitter element's bytes).
///   - position: The line and column of `bytes[0]`.
/// - Returns: The line and column of `bytes[offset]`.
public func textPosition(
  of offset: Int, in bytes: UnsafeRawBufferPointer, startingAt position: TextPosition
) -> TextPosition {
  let end = Swift.min(Swift.max(offset, 0), bytes.count)
  guard end > 0, let base = bytes.baseAddress else { return position }
  return _advancePosition(position, base.assumingMemoryBound(to: UInt8.self), end)
}

/// Advances `position` over `count` bytes starting at `p` (eight bytes at a time where no LF).
@inline(__always)
func _advancePosition(_ position: TextPosition, _ p: UnsafePointer<UInt8>, _ count: Int) -> TextPosition {
  let ones: UInt64 = 0x0101_0101_0101_0101
  let highs: UInt64 = 0x8080_8080_8080_8080
  var line = position.line
  var column = position.column
  var k = 0
  while k &+ 8 <= count {
    let word = UnsafeRawPointer(p + k).loadUnaligned(as: UInt64.self)
    let lf = word ^ (ones &* 0x0A)
    if (lf &- ones) & ~lf & highs == 0 {
      // No LF: every byte that is not a continuation byte (10xxxxxx) starts a scalar.
      let continuation = word & ~(word << 1) & highs
      column &+= 8 &- continuation.nonzeroBitCount
      k &+= 8
      continue
    }
    let stop = k &+ 8
    while k < stop {
      let b = p[k]
      if b == 0x0A {
        line &+= 1
        column = 1
      } else if b & 0xC0 != 0x80 {
        column &+= 1
      }
      k &+= 1
    }
  }
  while k < count {
    let b = p[k]
    if b == 0x0A {
      line &+= 1
      column = 1
    } else if b & 0xC0 != 0x80 {
      column &+= 1
    }
    k &+= 1
  }
  return TextPosition(line: line, column: column)
}

/// The line and column of each of several offsets inside `bytes`, in one forward pass over the bytes (the offsets
/// are sorted first), so locating many findings of one record costs the record's length, not findings × length.
///
/// - Parameters:
///   - offsets: Byte offsets into `bytes` (clamped to `0...bytes.count`; duplicates allowed).
///   - bytes: The buffer the offsets refer to.
///   - position: The line and column of `bytes[0]`.
/// - Returns: The position of every given offset, keyed by the offset as given.
public func textPositions(
  of offsets: [Int], in bytes: UnsafeRawBufferPointer, startingAt position: TextPosition
) -> [Int: TextPosition] {
  var out: [Int: TextPosition] = [:]
  out.reserveCapacity(offsets.count)
  var pos = position
  var at = 0
  for o in Set(offsets).sorted() {
    let target = Swift.min(Swift.max(o, 0), bytes.count)
    if target > at, let base = bytes.baseAddress {
      pos = _advancePosition(pos, base.assumingMemoryBound(to: UInt8.self) + at, target &- at)
      at = target
    }
    out[o] = pos
  }
  return out
}
