// The record state machine: finds one record's extent and its fields' spans. Standard library only.

/// A field's span in absolute offsets (end exclusive; a quoted field's span includes both quotes).
struct _Span {
  var start: Int
  var end: Int
  var quoted: Bool
  /// The quoted content holds doubled quotes.
  var escaped: Bool
}

/// The spans of the record being scanned: a manually managed buffer (no copy-on-write or uniqueness checks in the
/// scan loop). Spans past `limit` are counted (`_ScanState.fieldCount`) but not stored, so a hostile record of
/// millions of empty fields cannot exhaust memory.
struct _SpanList {
  private(set) var base: UnsafeMutablePointer<_Span>
  private(set) var count = 0
  private var capacity: Int
  /// How many spans are stored at most.
  var limit = Int.max

  init(capacity: Int) {
    self.capacity = capacity
    base = .allocate(capacity: capacity)
  }

  func deallocate() { base.deallocate() }

  @inline(__always) mutating func append(_ s: _Span, _ st: inout _ScanState) {
    st.fieldCount &+= 1
    guard count < limit else { return }
    if count == capacity { grow() }
    (base + count).initialize(to: s)
    count &+= 1
  }

  @inline(never) private mutating func grow() {
    let c = capacity * 2
    let b = UnsafeMutablePointer<_Span>.allocate(capacity: c)
    b.moveInitialize(from: base, count: count)
    base.deallocate()
    base = b
    capacity = c
  }

  /// Empties the list; a large allocation left by a hostile record is given back.
  mutating func removeAll() {
    count = 0
    if capacity > 1 << 16 {
      base.deallocate()
      capacity = 64
      base = .allocate(capacity: capacity)
    }
  }

  @inline(__always) var isEmpty: Bool { count == 0 }
  @inline(__always) subscript(i: Int) -> _Span { base[i] }
}

enum _Phase: UInt8 {
  /// Before a field's first unit.
  case fieldStart
  /// Inside an unquoted field.
  case unquoted
  /// Inside a quoted field.
  case quoted
  /// Just after a quote inside a quoted field: a closing quote, or the first of a doubled pair.
  case quoteInQuoted
  /// After a stray quote: the record ends at the end of this physical line, quotes no longer count.
  case lenient
  /// After a CR that ends the record: an LF right after it belongs to the terminator.
  case afterCR
}

/// The state of one record's scan; it survives region boundaries.
struct _ScanState {
  var phase: _Phase = .fieldStart
  var recordStart = 0
  var fieldStart = 0
  var escaped = false
  /// Fields found so far (stored or not).
  var fieldCount = 0
  /// Absolute offset of the first stray quote, or -1.
  var stray = -1
  /// Where the terminator starts (the end of the record's content), once known.
  var contentEnd = -1
  /// Where the record ends (after its terminator), once complete.
  var recordEnd = -1
}

enum _ScanOutcome {
  /// The record is complete: `st.contentEnd` and `st.recordEnd` are set.
  case complete
  /// The buffer ended before the record did (the caller appends more, or finishes at end of input).
  case needMore
  /// The record's content exceeds the record limit (`pos` is where the scan stopped).
  case cap
}

enum _EOFOutcome {
  case complete
  /// End of input inside a quoted field opened at `st.fieldStart`.
  case unterminated
  /// Nothing was read for this record.
  case empty
}

enum _Scanner {
  /// Runs the state machine over `base[pos - baseAbs ..< end - baseAbs]`, never examining a unit that starts at or
  /// after `capEnd` (so `capEnd` reached without a terminator means the record is too large).
  ///
  /// States: fieldStart, unquoted, quoted, quoteInQuoted (plus lenient after a stray quote and afterCR for CRLF).
  /// Unquoted runs and quoted runs are skipped with `find`/`findUnit` (a table scan / memchr), not unit by unit.
  @inline(__always)
  static func scan<S: _Scheme>(
    _: S.Type, _ st: inout _ScanState, _ spans: inout _SpanList, base p: UnsafePointer<UInt8>, baseAbs: Int,
    pos: inout Int, end: Int, capEnd: Int, delimiter: UInt32, quote: UInt32, needles: _Needles
  ) -> _ScanOutcome {
    let w = S.width
    var i = pos &- baseAbs
    let regionEnd = end &- baseAbs
    let lim = min(end, capEnd) &- baseAbs
    var outcome = _ScanOutcome.needMore

    @inline(__always) func terminator(_ j: Int, _ u: UInt32) -> Bool {
      st.contentEnd = j &+ baseAbs
      if u == 0x0A {
        i = j &+ w
        st.recordEnd = i &+ baseAbs
        return true
      }
      i = j &+ w
      st.phase = .afterCR
      return false
    }

    loop: while true {
      switch st.phase {
      case .fieldStart:
        if i &+ w > lim { break loop }
        let u = S.unit(p, i)
        if u == quote {
          st.fieldStart = i &+ baseAbs
          st.escaped = false
          st.phase = .quoted
          i &+= w
        } else if u == delimiter {
          let a = i &+ baseAbs
          spans.append(_Span(start: a, end: a, quoted: false, escaped: false), &st)
          i &+= w
        } else if u == 0x0D || u == 0x0A {
          let a = i &+ baseAbs
          spans.append(_Span(start: a, end: a, quoted: false, escaped: false), &st)
          if terminator(i, u) {
            outcome = .complete
            break loop
          }
        } else {
          st.fieldStart = i &+ baseAbs
          st.phase = .unquoted
          i &+= w
        }

      case .unquoted:
        let j = S.find(p, i, lim, needles, _Class.unquotedStop)
        if j >= lim {
          i = lim
          break loop
        }
        let u = S.unit(p, j)
        if u == delimiter {
          spans.append(_Span(start: st.fieldStart, end: j &+ baseAbs, quoted: false, escaped: false), &st)
          st.phase = .fieldStart
          i = j &+ w
        } else if u == quote {
          if st.stray < 0 { st.stray = j &+ baseAbs }
          st.phase = .lenient
          i = j &+ w
        } else {
          spans.append(_Span(start: st.fieldStart, end: j &+ baseAbs, quoted: false, escaped: false), &st)
          if terminator(j, u) {
            outcome = .complete
            break loop
          }
        }

      case .lenient:
        let j = S.find(p, i, lim, needles, _Class.lineBreak)
        if j >= lim {
          i = lim
          break loop
        }
        spans.append(_Span(start: st.fieldStart, end: j &+ baseAbs, quoted: false, escaped: false), &st)
        if terminator(j, S.unit(p, j)) {
          outcome = .complete
          break loop
        }

      case .quoted:
        let j = S.findUnit(p, i, lim, quote)
        if j >= lim {
          i = lim
          break loop
        }
        i = j &+ w
        st.phase = .quoteInQuoted

      case .quoteInQuoted:
        if i &+ w > lim { break loop }
        let u = S.unit(p, i)
        if u == quote {
          st.escaped = true
          st.phase = .quoted
          i &+= w
        } else if u == delimiter {
          spans.append(_Span(start: st.fieldStart, end: i &+ baseAbs, quoted: true, escaped: st.escaped), &st)
          st.phase = .fieldStart
          i &+= w
        } else if u == 0x0D || u == 0x0A {
          spans.append(_Span(start: st.fieldStart, end: i &+ baseAbs, quoted: true, escaped: st.escaped), &st)
          if terminator(i, u) {
            outcome = .complete
            break loop
          }
        } else {
          // Junk after a closing quote (`"a"b`): the stray quote is the closing one.
          if st.stray < 0 { st.stray = i &- w &+ baseAbs }
          st.phase = .lenient
        }

      case .afterCR:
        if i &+ w > regionEnd { break loop }
        if S.unit(p, i) == 0x0A { i &+= w }
        st.recordEnd = i &+ baseAbs
        outcome = .complete
        break loop
      }
    }
    pos = i &+ baseAbs
    if outcome == .needMore && st.phase != .afterCR && capEnd <= end && i &+ w > lim {
      return .cap
    }
    return outcome
  }

  /// Ends the record at end of input, at absolute offset `pos`.
  static func finishAtEOF(_ st: inout _ScanState, _ spans: inout _SpanList, pos: Int) -> _EOFOutcome {
    switch st.phase {
    case .fieldStart:
      if st.fieldCount == 0 && pos == st.recordStart { return .empty }
      spans.append(_Span(start: pos, end: pos, quoted: false, escaped: false), &st)
      st.contentEnd = pos
    case .unquoted, .lenient:
      spans.append(_Span(start: st.fieldStart, end: pos, quoted: false, escaped: false), &st)
      st.contentEnd = pos
    case .quoteInQuoted:
      spans.append(_Span(start: st.fieldStart, end: pos, quoted: true, escaped: st.escaped), &st)
      st.contentEnd = pos
    case .quoted:
      return .unterminated
    case .afterCR:
      break
    }
    st.recordEnd = pos
    return .complete
  }
}
