// Byte storage and the region source that feeds the CSV tokenizer. Standard library only (plus memcpy).

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
import CaseInterchange

/// A growable byte buffer with a stable base pointer between appends (manual allocation, no copy-on-write).
final class _ByteBuffer {
  private(set) var base: UnsafeMutablePointer<UInt8>
  private(set) var count = 0
  private(set) var capacity: Int

  init(capacity: Int) {
    self.capacity = max(capacity, 16)
    base = .allocate(capacity: self.capacity)
  }

  deinit { base.deallocate() }

  @inline(__always) func reset() { count = 0 }

  func setPair(_ a: UInt8, _ b: UInt8) {
    reserve(2)
    base[0] = a
    base[1] = b
    count = 2
  }

  func append(_ p: UnsafePointer<UInt8>, _ n: Int) {
    guard n > 0 else { return }
    reserve(count + n)
    memcpy(base + count, p, n)
    count += n
  }

  func reserve(_ n: Int) {
    guard n > capacity else { return }
    var c = capacity
    while c < n { c = c &* 2 }
    let nb = UnsafeMutablePointer<UInt8>.allocate(capacity: c)
    if count > 0 { memcpy(nb, base, count) }
    base.deallocate()
    base = nb
    capacity = c
  }

  /// Releases a large allocation once it is no longer needed (after a huge record), keeping memory flat.
  func shrink(to n: Int) {
    guard capacity > n, count <= n else { return }
    let nb = UnsafeMutablePointer<UInt8>.allocate(capacity: n)
    if count > 0 { memcpy(nb, base, count) }
    base.deallocate()
    base = nb
    capacity = n
  }
}

/// A contiguous run of input bytes at a known absolute offset.
struct _Region {
  var base: UnsafePointer<UInt8>
  /// Absolute offset of `base[0]` in the input.
  var abs: Int
  var count: Int
  /// Not yet aligned to code units (fresh file chunks and the start-up prefix).
  var raw: Bool

  @inline(__always) var end: Int { abs &+ count }

  func dropFirst(_ n: Int) -> _Region {
    _Region(base: base + n, abs: abs + n, count: count - n, raw: raw)
  }
}

/// Hands the tokenizer the input as a sequence of regions, each holding whole code units.
///
/// Regions come from, in order: regions pushed back (a replay buffer, the rest of a chunk), then fresh chunks of the
/// `ChunkedFile` (zero copy: a region points into the file's chunk buffer, valid until the next chunk is read, which
/// happens only when nothing is pushed back). For UTF-16 a chunk that ends in the middle of a code unit keeps its
/// last byte back and the next chunk starts with a two-byte "bridge" region; a byte left over at end of input is
/// `dangling` (an odd trailing byte).
struct _RegionSource {
  let file: ChunkedFile
  var unitWidth = 1
  private var pending: [_Region] = []
  private(set) var eof = false
  private var streamAbs = 0
  private var held: UInt8 = 0
  private var heldAbs = -1
  private let bridge: _ByteBuffer
  /// Absolute offset of an odd trailing byte of a UTF-16 input, once the end has been reached.
  var dangling = -1

  init(file: ChunkedFile) {
    self.file = file
    bridge = _ByteBuffer(capacity: 16)
    pending.reserveCapacity(4)
  }

  /// Reads the next raw chunk (nil at end of input).
  mutating func readChunk() throws(FormatError) -> _Region? {
    if eof { return nil }
    let c = try file.nextChunk()
    if c.isEmpty {
      eof = true
      return nil
    }
    let r = _Region(
      base: c.baseAddress!.assumingMemoryBound(to: UInt8.self), abs: streamAbs, count: c.count, raw: true)
    streamAbs += c.count
    return r
  }

  /// Pushes a region to be returned before anything else.
  mutating func pushFront(_ r: _Region) {
    if r.count > 0 { pending.insert(r, at: 0) }
  }

  /// The next non-empty region of whole code units, or nil at end of input.
  mutating func next() throws(FormatError) -> _Region? {
    while true {
      var r: _Region
      if !pending.isEmpty {
        r = pending.removeFirst()
        if !r.raw { return r }
      } else {
        guard let c = try readChunk() else {
          if heldAbs >= 0 {
            dangling = heldAbs
            heldAbs = -1
          }
          return nil
        }
        r = c
      }
      r.raw = false
      if unitWidth == 1 {
        if r.count > 0 { return r }
        continue
      }
      if r.count == 0 { continue }
      if heldAbs >= 0 {
        // The held byte and this region's first byte form one code unit.
        bridge.setPair(held, r.base[0])
        let out = _Region(base: UnsafePointer(bridge.base), abs: heldAbs, count: 2, raw: false)
        heldAbs = -1
        var rest = r.dropFirst(1)
        rest.raw = true
        pushFront(rest)
        return out
      }
      if r.count & 1 == 1 {
        held = r.base[r.count - 1]
        heldAbs = r.abs + r.count - 1
        r.count -= 1
      }
      if r.count > 0 { return r }
    }
  }
}
