// The streaming CSV tokenizer. Standard library only (no Foundation).

public import CaseInterchange

/// A single-pass, streaming, byte-level CSV tokenizer for hostile input.
///
/// It reads a `ChunkedFile` chunk by chunk (never the whole file) and turns it into events: an optional `.bom`, the
/// `.header`, then `.row`, `.rejected` and `.blank` events in input order. The spans of all events tile the input
/// exactly, so every byte is either accepted, ignored (BOM, header, blank rows) or quarantined verbatim.
///
/// **Syntax (RFC 4180, strict):**
/// - Fields are separated by `dialect.delimiter`; records end with CRLF, LF or a bare CR (mixed freely). A final
///   record without a terminator is fine. A record that is only a terminator is a `.blank` row.
/// - A field is quoted only when its *first* character is the quote. Inside quotes, a doubled quote is one quote
///   and the delimiter, CR and LF are data (line breaks are kept exactly as written).
/// - `csv.stray-quote`: a quote inside an unquoted field (`a"b`, located at that quote), or anything but a
///   delimiter or line end after a closing quote (`"a"b`, located at the closing quote). Such a record ends at the
///   end of the physical line where the stray quote is; quotes after it no longer count.
/// - Nothing is trimmed, padded, truncated or joined. Control and bidi characters are data (validation decides).
///
/// **Unterminated quotes (`csv.unterminated-quote`).** When the input ends inside a quoted field, where the records
/// after the opening quote begin cannot be known (every later quote could be data or structure), so nothing is
/// guessed: the record is rejected with the line and column where that quote *opened*, and its span runs from the
/// record's start to the end of the input. Records before it stand.
///
/// **Limits.** A record whose content (terminator excluded) exceeds `maxRecordBytes` is rejected with
/// `csv.record-too-large` (located at the record's start) without buffering more than the limit: the rest of the
/// record is skipped by the same quote rules that read it, so the record ends where it really ends (its line break
/// outside quotes, or the end of the physical line of a stray quote) and the next record starts where it really
/// starts; when the input ends inside a quoted field during the skip, the record is `csv.unterminated-quote`, as
/// above. Skipping is linear in the bytes skipped. A field over `maxFieldBytes` rejects its record with
/// `csv.field-too-large`.
///
/// **Field count.** The header's field count is the expected count (without a header: the first data record that
/// has no stray quote). A record with more fields is rejected with `csv.extra-cell` at the first extra field; one
/// with fewer with `csv.missing-cell` at the end of its content. Before the count is known, a record with more than
/// `maxColumns` fields is `csv.too-many-columns` (for the header, the input is rejected). At most one field past
/// the limit is ever stored.
///
/// **Encodings.** Tokenizing runs on the original code units: bytes for UTF-8, Windows-1252 and Latin-1, 16-bit
/// units for UTF-16. Each finished field is then decoded without repair: `csv.invalid-utf8`, `csv.invalid-utf16`
/// (lone surrogate, odd trailing byte), `csv.invalid-byte` (Windows-1252's undefined bytes) and `csv.nul` reject the
/// record. An odd trailing byte of UTF-16 input joins the last record when that has no terminator (its last
/// character was cut), and is a one-byte rejected record otherwise. Offsets and lengths are bytes of the original
/// encoding; columns count Unicode scalars from the start of the line (after a BOM).
///
/// **Header.** The first non-blank record when `hasHeader` (blank rows before it are `.blank` events). A header that
/// is not a clean record (it is rejected with the record's first rule), has an empty or spaces-only name
/// (`csv.blank-header`), or repeats a name (`csv.duplicate-header`; names are compared as Swift strings, so NFC and
/// NFD spellings of one name are duplicates) rejects the input whole: `next()` throws. The header row's `index` is
/// -1.
///
/// **Diagnostics** are errors located at the offending position (source, record index, line, column, byte offset
/// and length, column name when known); their messages name the position and the problem, never field content.
///
/// Not Sendable; single pass; copies share one state (the file is a shared reference anyway).
public struct CSVTokenizer {
  private let core: _TokenizerCore

  /// Prepares to tokenize `file` (nothing is read yet: the BOM is detected on the first `next()`).
  /// - Parameters:
  ///   - sourceName: the input's display name, used in diagnostics.
  /// - Throws: `FormatError` `csv.invalid-dialect` when the delimiter or quote is not an ASCII byte other than CR,
  ///   LF and NUL, they are equal, or a limit is not positive.
  public init(file: ChunkedFile, sourceName: String, dialect: CSVDialect) throws(FormatError) {
    let d = dialect.delimiter
    let q = dialect.quote
    func usable(_ b: UInt8) -> Bool { b > 0 && b < 0x80 && b != 0x0A && b != 0x0D }
    guard usable(d), usable(q), d != q, dialect.maxFieldBytes > 0, dialect.maxRecordBytes > 0, dialect.maxColumns > 0
    else {
      throw FormatError(
        rule: "csv.invalid-dialect",
        message: "the CSV dialect is unusable: delimiter and quote must be distinct ASCII bytes other than CR, LF "
          + "and NUL, and limits must be positive",
        location: SourceLocation(source: sourceName))
    }
    core = _TokenizerCore(file: file, sourceName: sourceName, dialect: dialect)
  }

  /// The encoding in use: after the first `next()`, the one the BOM or the declaration selected (for the run
  /// report); before it, the declared one or UTF-8.
  public var encoding: TextEncoding { core.encoding }

  /// The header's names, once the header has been read (nil without a header).
  public var headerNames: [String]? { core.headerNames }

  /// The next event, or nil at the end of the input.
  /// - Throws: `FormatError` for I/O errors (`input.io-error`), a declared encoding contradicting the BOM
  ///   (`csv.encoding-mismatch`) and an unusable header (its rule); every problem of a data record is a `.rejected`
  ///   event instead. After a throw, every later call throws the same error.
  public mutating func next() throws(FormatError) -> CSVEvent? {
    try core.next()
  }
}

private enum _Kind {
  case utf8, singleByte, utf16LE, utf16BE
}

final class _TokenizerCore {
  let dialect: CSVDialect
  let sourceName: String
  var source: _RegionSource
  let table: UnsafeMutablePointer<UInt8>
  let carry = _ByteBuffer(capacity: 1 << 16)
  let replay = _ByteBuffer(capacity: 64)
  let acc = _ByteBuffer(capacity: 1 << 12)
  private var spans = _SpanList(capacity: 64)
  var encoding: TextEncoding
  private var kind: _Kind = .utf8
  var headerNames: [String]?
  private var started = false
  private var finished = false
  private var failure: FormatError?
  private var cur: _Region
  private var pos = 0
  private var line = 1
  private var recordIndex = 0
  private var headerDone: Bool
  private var expectedCount: Int?
  private var danglingDone = false
  private let delimiter: UInt32
  private let quote: UInt32
  private let needles: _Needles

  init(file: ChunkedFile, sourceName: String, dialect: CSVDialect) {
    self.dialect = dialect
    self.sourceName = sourceName
    source = _RegionSource(file: file)
    encoding = dialect.encoding ?? .utf8
    headerDone = !dialect.hasHeader
    table = .allocate(capacity: 256)
    table.initialize(repeating: 0, count: 256)
    table[Int(dialect.delimiter)] |= _Class.delimiter
    table[Int(dialect.quote)] |= _Class.quote
    table[0x0D] |= _Class.cr
    table[0x0A] |= _Class.lf
    cur = _Region(base: UnsafePointer(table), abs: 0, count: 0, raw: false)
    delimiter = UInt32(dialect.delimiter)
    quote = UInt32(dialect.quote)
    needles = _Needles(table: table, delimiter: dialect.delimiter, quote: dialect.quote)
  }

  deinit {
    table.deallocate()
    spans.deallocate()
  }

  func next() throws(FormatError) -> CSVEvent? {
    if let failure { throw failure }
    do throws(FormatError) {
      return try step()
    } catch {
      failure = error
      throw error
    }
  }

  private func step() throws(FormatError) -> CSVEvent? {
    if !started {
      started = true
      if let bom = try start() { return bom }
    }
    if finished { return nil }
    while pos >= cur.end {
      guard let r = try source.next() else { return try endOfInput() }
      cur = r
      pos = r.abs
    }
    switch kind {
    case .utf8: return try record(_UTF8Scheme.self)
    case .singleByte: return try record(_SingleByteScheme.self)
    case .utf16LE: return try record(_UTF16Scheme<_LittleEndian>.self)
    case .utf16BE: return try record(_UTF16Scheme<_BigEndian>.self)
    }
  }

  /// Reads at least 3 bytes (or the whole input when shorter), detects a BOM and selects the encoding.
  private func start() throws(FormatError) -> CSVEvent? {
    guard var first = try source.readChunk() else {
      finished = true
      return nil
    }
    if first.count < 3 {
      replay.reset()
      replay.append(first.base, first.count)
      while replay.count < 3, let c = try source.readChunk() { replay.append(c.base, c.count) }
      first = _Region(base: replay.base, abs: 0, count: replay.count, raw: true)
    }
    let b = first.base
    var bom: TextEncoding?
    var bomLength = 0
    if first.count >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF {
      bom = .utf8
      bomLength = 3
    } else if first.count >= 2 && b[0] == 0xFF && b[1] == 0xFE {
      bom = .utf16LE
      bomLength = 2
    } else if first.count >= 2 && b[0] == 0xFE && b[1] == 0xFF {
      bom = .utf16BE
      bomLength = 2
    }
    if let bom {
      if let declared = dialect.encoding, declared != bom {
        throw FormatError(
          rule: "csv.encoding-mismatch",
          message: "the declared encoding \(declared.rawValue) contradicts the byte-order mark at line 1, column 1, "
            + "which says \(bom.rawValue)",
          location: SourceLocation(source: sourceName, line: 1, column: 1, byteOffset: 0, byteLength: bomLength))
      }
      encoding = bom
    }
    switch encoding {
    case .utf8: kind = .utf8
    case .windows1252, .latin1: kind = .singleByte
    case .utf16LE: kind = .utf16LE
    case .utf16BE: kind = .utf16BE
    }
    source.unitWidth = encoding.unitWidth
    source.pushFront(first.dropFirst(bomLength))
    pos = bomLength
    cur = _Region(base: UnsafePointer(table), abs: bomLength, count: 0, raw: false)
    return bomLength > 0 ? .bom(byteLength: bomLength) : nil
  }

  /// End of input: an odd trailing UTF-16 byte not yet attached to a record becomes a record of its own.
  private func endOfInput() throws(FormatError) -> CSVEvent? {
    let d = source.dangling
    if d >= 0 && !danglingDone {
      danglingDone = true
      let loc = SourceLocation(
        source: sourceName, record: headerDone ? recordIndex : nil, line: line, column: 1, byteOffset: d,
        byteLength: 1)
      let diag = Diagnostic(
        rule: "csv.invalid-utf16", severity: .error,
        message: "odd trailing byte at line \(line), column 1: UTF-16 input must have an even number of bytes",
        location: loc)
      guard headerDone else { throw FormatError(rule: diag.rule, message: diag.message, location: loc) }
      let index = recordIndex
      recordIndex += 1
      return .rejected(index: index, byteOffset: d, byteLength: 1, line: line, diagnostics: [diag])
    }
    finished = true
    return nil
  }

  // MARK: - One record

  private func record<S: _Scheme>(_: S.Type) throws(FormatError) -> CSVEvent? {
    // The scan works on locals (no dynamic exclusivity checks on class properties in the loop); they are written
    // back before anything else can look at them.
    var p = pos
    var region = cur
    var spans = self.spans
    defer { self.spans = spans }
    spans.removeAll()
    spans.limit = (expectedCount ?? dialect.maxColumns) + 1
    var st = _ScanState()
    st.recordStart = p
    st.fieldStart = p
    let recordLine = line
    let w = S.width
    // Saturating: a limit near Int.max (a library caller's; the CLI refuses it) must not trap.
    let room = (dialect.maxRecordBytes / w) * w
    let capEnd = room > Int.max - w - p ? Int.max : p + room + w
    let carry = self.carry
    var inCarry = false
    var taken = 0  // bytes of `region` in the carry
    while true {
      let outcome: _ScanOutcome
      if inCarry {
        outcome = _Scanner.scan(
          S.self, &st, &spans, base: carry.base, baseAbs: st.recordStart, pos: &p,
          end: st.recordStart + carry.count, capEnd: capEnd, delimiter: delimiter, quote: quote, needles: needles)
      } else {
        outcome = _Scanner.scan(
          S.self, &st, &spans, base: region.base, baseAbs: region.abs, pos: &p, end: region.end, capEnd: capEnd,
          delimiter: delimiter, quote: quote, needles: needles)
      }
      switch outcome {
      case .complete:
        pos = p
        cur = region
        if inCarry {
          return try finish(S.self, st, spans, base: carry.base, baseAbs: st.recordStart, recordLine: recordLine)
        }
        return try finish(S.self, st, spans, base: region.base, baseAbs: region.abs, recordLine: recordLine)
      case .cap:
        pos = p
        cur = region
        return try resync(S.self, st, inCarry: inCarry, recordLine: recordLine, stop: p, atEOF: false)
      case .needMore:
        // The record continues past this buffer: gather it in the carry, the rest of the current region first,
        // then the next regions, in geometrically growing pieces (only what the record needs gets copied).
        if !inCarry {
          carry.reset()
          if carry.capacity > (4 << 20) { carry.shrink(to: 1 << 20) }
          carry.append(region.base + (st.recordStart - region.abs), region.end - st.recordStart)
          taken = region.count
          inCarry = true
        }
        if taken < region.count {
          let n = min(region.count - taken, max(4096, carry.count))
          carry.append(region.base + taken, n)
          taken += n
          continue
        }
        guard let r = try source.next() else {
          pos = p
          cur = region
          switch _Scanner.finishAtEOF(&st, &spans, pos: p) {
          case .complete:
            return try finish(S.self, st, spans, base: carry.base, baseAbs: st.recordStart, recordLine: recordLine)
          case .empty:  // not reachable: a record starts only where a unit is available
            return try endOfInput()
          case .unterminated:
            return try resync(S.self, st, inCarry: true, recordLine: recordLine, stop: p, atEOF: true)
          }
        }
        region = r
        taken = min(r.count, max(4096, carry.count))
        carry.append(r.base, taken)
      }
    }
  }

  /// Whether the record ending at `end` without a terminator takes the input's odd trailing byte.
  private func takesDangling(end: Int) -> Bool {
    let d = source.dangling
    guard d >= 0, !danglingDone, end == d else { return false }
    danglingDone = true
    return true
  }

  private func location(
    record: Int?, line: Int, column: Int, byteOffset: Int, byteLength: Int, fieldIndex: Int? = nil
  ) -> SourceLocation {
    var field: String?
    if let fieldIndex, let names = headerNames, fieldIndex < names.count { field = names[fieldIndex] }
    return SourceLocation(
      source: sourceName, record: record, line: line, column: column, byteOffset: byteOffset, byteLength: byteLength,
      field: field)
  }

  private func error(_ rule: String, _ message: String, _ loc: SourceLocation) -> Diagnostic {
    Diagnostic(rule: rule, severity: .error, message: message, location: loc)
  }

  /// Builds the event of a complete record whose bytes are `base[recordStart - baseAbs ..< recordEnd - baseAbs]`.
  private func finish<S: _Scheme>(
    _: S.Type, _ st: _ScanState, _ spans: _SpanList, base: UnsafePointer<UInt8>, baseAbs: Int, recordLine: Int
  ) throws(FormatError) -> CSVEvent {
    let w = S.width
    let start = st.recordStart
    let contentEnd = st.contentEnd
    let hasTerminator = st.recordEnd > contentEnd
    var length = st.recordEnd - start
    let dangling = !hasTerminator && takesDangling(end: st.recordEnd)
    if dangling { length += 1 }

    if contentEnd == start && !dangling {
      line = recordLine + 1
      return .blank(byteOffset: start, byteLength: length, line: recordLine)
    }

    let inHeader = !headerDone
    let index: Int? = inHeader ? nil : recordIndex
    var diagnostics: [Diagnostic] = []

    @inline(__always) func position(_ abs: Int) -> (Int, Int) {
      var l = recordLine
      var c = 1
      S.advance(base, start - baseAbs, abs - baseAbs, line: &l, column: &c)
      return (l, c)
    }

    if st.stray >= 0 {
      let (l, c) = position(st.stray)
      diagnostics.append(
        error(
          "csv.stray-quote",
          "stray quote at line \(l), column \(c): a quote inside an unquoted field or not followed by a delimiter "
            + "or line end after a closing quote",
          location(record: index, line: l, column: c, byteOffset: st.stray, byteLength: w)))
    }
    let z = S.findNUL(base, start - baseAbs, contentEnd - baseAbs)
    if z < contentEnd - baseAbs {
      let (l, c) = position(z + baseAbs)
      diagnostics.append(
        error(
          "csv.nul", "NUL character at line \(l), column \(c)",
          location(record: index, line: l, column: c, byteOffset: z + baseAbs, byteLength: w)))
    }
    if dangling {
      let (l, c) = position(st.recordEnd)
      diagnostics.append(
        error(
          "csv.invalid-utf16",
          "odd trailing byte at line \(l), column \(c): UTF-16 input must have an even number of bytes",
          location(record: index, line: l, column: c, byteOffset: st.recordEnd, byteLength: 1)))
    }

    var fields: [CSVField] = []
    var endLine = recordLine
    let fieldCount = st.fieldCount
    // Over the limit: fields past the expected count were not kept, or there is no count yet and the record has
    // more columns than allowed (the limit's first excess field is kept for the location).
    let overLimit = expectedCount == nil ? fieldCount > dialect.maxColumns : fieldCount > spans.count
    if st.stray < 0 && !overLimit {
      let encoding = self.encoding
      fields.reserveCapacity(spans.count)
      var l = recordLine
      var c = 1
      var decodeFailed = false
      var tooLarge = false
      let maxField = dialect.maxFieldBytes
      let last = spans.count - 1
      for k in 0..<spans.count {
        let sp = spans[k]
        let cs = sp.quoted ? sp.start + w : sp.start
        let ce = sp.quoted ? sp.end - w : sp.end
        var value = ""
        var scalars = -1
        if ce - cs > maxField {
          if !tooLarge {
            tooLarge = true
            diagnostics.append(
              error(
                "csv.field-too-large",
                "field \(k + 1) at line \(l), column \(c) has \(ce - cs) bytes, over the limit of \(maxField)",
                location(
                  record: index, line: l, column: c, byteOffset: sp.start, byteLength: sp.end - sp.start,
                  fieldIndex: k)))
          }
        } else if !decodeFailed {
          switch S.decode(
            base, cs - baseAbs, ce - baseAbs, escaped: sp.escaped, quote: quote, encoding: encoding, acc: acc)
          {
          case .ok(let s, let n):
            value = s
            scalars = n
          case .bad(let rule, let at):
            decodeFailed = true
            var el = l
            var ec = c
            S.advance(base, sp.start - baseAbs, at, line: &el, column: &ec)
            let what =
              switch rule {
              case "csv.invalid-utf8": "invalid UTF-8"
              case "csv.invalid-utf16": "invalid UTF-16 (lone surrogate)"
              default: "a byte undefined in \(encoding.rawValue)"
              }
            diagnostics.append(
              error(
                rule, "\(what) at line \(el), column \(ec) in field \(k + 1)",
                location(record: index, line: el, column: ec, byteOffset: at + baseAbs, byteLength: w, fieldIndex: k)))
          }
        }
        fields.append(
          CSVField(
            value: value, byteOffset: sp.start, byteLength: sp.end - sp.start, column: c, line: l,
            wasQuoted: sp.quoted))
        if sp.quoted {
          S.advance(base, sp.start - baseAbs, sp.end - baseAbs, line: &l, column: &c)
        } else if scalars >= 0 {
          c &+= scalars
        } else {
          c &+= S.scalarCount(base, sp.start - baseAbs, sp.end - baseAbs)
        }
        if k < last { c &+= 1 }
      }
      endLine = l
      if !inHeader && dialect.fixedFieldCount {
        if expectedCount == nil { expectedCount = fieldCount }
        let expected = expectedCount!
        if fieldCount > expected {
          let f = fields[expected]
          diagnostics.append(
            error(
              "csv.extra-cell",
              "record at line \(recordLine) has \(fieldCount) fields, expected \(expected); the first extra field "
                + "is at line \(f.line), column \(f.column)",
              location(
                record: index, line: f.line, column: f.column, byteOffset: f.byteOffset, byteLength: f.byteLength,
                fieldIndex: expected)))
        } else if fieldCount < expected {
          diagnostics.append(
            error(
              "csv.missing-cell",
              "record at line \(recordLine) has \(fieldCount) fields, expected \(expected); it ends at line \(l), "
                + "column \(c)",
              location(record: index, line: l, column: c, byteOffset: contentEnd, byteLength: 0)))
        }
      }
    } else {
      endLine = position(contentEnd).0
      if st.stray < 0 {
        // More fields than are kept: past the expected count, or past the column limit while there is none.
        let kept = spans.count - 1
        let sp = spans[kept]
        let (l, c) = position(sp.start)
        if !inHeader, let expected = expectedCount {
          diagnostics.append(
            error(
              "csv.extra-cell",
              "record at line \(recordLine) has \(fieldCount) fields, expected \(expected); the first extra field "
                + "is at line \(l), column \(c)",
              location(
                record: index, line: l, column: c, byteOffset: sp.start, byteLength: sp.end - sp.start,
                fieldIndex: kept)))
        } else {
          diagnostics.append(
            error(
              "csv.too-many-columns",
              "record at line \(recordLine) has \(fieldCount) fields, over the limit of \(dialect.maxColumns); "
                + "field \(kept + 1) is at line \(l), column \(c)",
              location(
                record: index, line: l, column: c, byteOffset: sp.start, byteLength: sp.end - sp.start)))
        }
      }
    }
    line = endLine + (hasTerminator ? 1 : 0)

    if inHeader {
      if let d = diagnostics.first {
        throw FormatError(rule: d.rule, message: "header: " + d.message, location: d.location)
      }
      var seen: [String: Int] = [:]
      for (k, f) in fields.enumerated() {
        if f.value.utf8.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) {
          throw FormatError(
            rule: "csv.blank-header",
            message: "header column \(k + 1) at line \(f.line), column \(f.column) has an empty name",
            location: location(
              record: nil, line: f.line, column: f.column, byteOffset: f.byteOffset, byteLength: f.byteLength))
        }
        if let j = seen[f.value] {
          throw FormatError(
            rule: "csv.duplicate-header",
            message: "header column \(k + 1) at line \(f.line), column \(f.column) repeats the name of column \(j + 1)",
            location: location(
              record: nil, line: f.line, column: f.column, byteOffset: f.byteOffset, byteLength: f.byteLength))
        }
        seen[f.value] = k
      }
      headerDone = true
      headerNames = fields.map(\.value)
      expectedCount = fields.count
      return .header(CSVRow(index: -1, fields: fields, byteOffset: start, byteLength: length, line: recordLine))
    }

    let i = recordIndex
    recordIndex += 1
    if diagnostics.isEmpty {
      return .row(CSVRow(index: i, fields: fields, byteOffset: start, byteLength: length, line: recordLine))
    }
    return .rejected(index: i, byteOffset: start, byteLength: length, line: recordLine, diagnostics: diagnostics)
  }

  // MARK: - Resynchronisation

  /// Rejects a record that hit the record limit (`atEOF` false) or the end of input inside a quoted field, and
  /// repositions after the record's real end (see the type's documentation for the rule).
  private func resync<S: _Scheme>(
    _: S.Type, _ st: _ScanState, inCarry: Bool, recordLine: Int, stop: Int, atEOF: Bool
  ) throws(FormatError) -> CSVEvent {
    let w = S.width
    let start = st.recordStart
    let base: UnsafePointer<UInt8> = inCarry ? UnsafePointer(carry.base) : cur.base
    let baseAbs = inCarry ? start : cur.abs
    let inQuotes = st.phase == .quoted || st.phase == .quoteInQuoted
    let index: Int? = headerDone ? recordIndex : nil

    var quoteLine = 0
    var quoteColumn = 0
    if inQuotes {
      let q = st.fieldStart
      quoteLine = recordLine
      quoteColumn = 1
      S.advance(base, start - baseAbs, q - baseAbs, line: &quoteLine, column: &quoteColumn)
    }
    var endLine = recordLine
    var endColumn = 1
    S.advance(base, start - baseAbs, stop - baseAbs, line: &endLine, column: &endColumn)

    // Where the record ends is never guessed: past the limit, the rest of the record is skipped by the same quote
    // rules that read it (nothing is buffered), so the next record starts where it really starts. An input that
    // ends inside a quoted field makes everything from the record's start to the end one rejected span.
    var unterminated = atEOF
    var quoteOffset = st.fieldStart
    pos = stop
    if !atEOF {
      let afterCR = stop > start && S.unit(base, stop - w - baseAbs) == 0x0D
      let lineAtStop = endLine
      let skipped = try skipRestOfRecord(S.self, from: st.phase, afterCR: afterCR, column: endColumn)
      endLine += skipped.lines
      if !skipped.ended {
        unterminated = true
        if let open = skipped.open {  // a quote opened after the limit is the one never closed
          quoteOffset = open.offset
          quoteLine = lineAtStop + open.lines
          quoteColumn = open.column
        }
      }
    }
    let terminated = try consumeTerminator(S.self)
    var length = pos - start
    if !terminated && takesDangling(end: pos) { length += 1 }
    line = endLine + (terminated ? 1 : 0)

    let diag: Diagnostic
    if unterminated {
      diag = error(
        "csv.unterminated-quote",
        "quote opened at line \(quoteLine), column \(quoteColumn) is never closed; where the records after it begin "
          + "cannot be known, so everything from this record to the end of the input is rejected",
        location(record: index, line: quoteLine, column: quoteColumn, byteOffset: quoteOffset, byteLength: w))
    } else {
      let message = "record at line \(recordLine) is over the limit of \(dialect.maxRecordBytes) bytes"
      diag = error(
        "csv.record-too-large", message,
        location(record: index, line: recordLine, column: 1, byteOffset: start, byteLength: length))
    }
    guard headerDone else {
      throw FormatError(rule: diag.rule, message: "header: " + diag.message, location: diag.location)
    }
    recordIndex += 1
    return .rejected(
      index: index!, byteOffset: start, byteLength: length, line: recordLine, diagnostics: [diag])
  }

  /// Makes `pos` point at a unit, fetching regions as needed; false at end of input.
  private func ensureData() throws(FormatError) -> Bool {
    while pos >= cur.end {
      guard let r = try source.next() else { return false }
      cur = r
      pos = r.abs
    }
    return true
  }

  /// Moves `pos` past the rest of a record that went over the limit, by the same quote rules that read it,
  /// discarding what it passes (nothing is buffered; linear in the bytes skipped): to the CR or LF that ends the
  /// record, or, after a stray quote, to the end of that physical line. `phase` is the scan's phase where it stopped,
  /// `afterCR` whether the unit before `pos` is a CR inside a quoted field (so a following LF is not a second line),
  /// `column` the column at `pos`. Returns whether the record ended (false: the input ended inside a quoted field),
  /// the line breaks passed inside the record, and where the quote opened when that unclosed quote opened after `pos`.
  private func skipRestOfRecord<S: _Scheme>(
    _: S.Type, from phase: _Phase, afterCR: Bool, column: Int
  ) throws(FormatError) -> (ended: Bool, lines: Int, open: (offset: Int, lines: Int, column: Int)?) {
    let w = S.width
    var phase = phase
    var afterCR = afterCR
    var lines = 0
    var column = column
    var open: (offset: Int, lines: Int, column: Int)? = nil
    if phase == .lenient {
      try skipToLineEnd(S.self)
      return (true, 0, nil)
    }
    while try ensureData() {
      let base = cur.base
      let abs = cur.abs
      var k = pos - abs
      while k < cur.count {
        let u = S.unit(base, k)
        switch phase {
        case .quoted:
          if u == quote {
            phase = .quoteInQuoted
          } else if u == 0x0D {
            lines += 1
            column = 0
          } else if u == 0x0A {
            if !afterCR { lines += 1 }
            column = 0
          }
          afterCR = u == 0x0D
        case .quoteInQuoted:
          if u == quote {
            phase = .quoted
          } else if u == delimiter {
            phase = .fieldStart
          } else if u == 0x0D || u == 0x0A {
            pos = abs + k
            return (true, lines, nil)
          } else {  // junk after a closing quote: a stray quote, the record ends with its physical line
            pos = abs + k
            try skipToLineEnd(S.self)
            return (true, lines, nil)
          }
        case .fieldStart, .unquoted, .afterCR:
          if u == delimiter {
            phase = .fieldStart
          } else if u == 0x0D || u == 0x0A {
            pos = abs + k
            return (true, lines, nil)
          } else if u == quote {
            if phase != .fieldStart {  // a quote inside an unquoted field: stray
              pos = abs + k
              try skipToLineEnd(S.self)
              return (true, lines, nil)
            }
            phase = .quoted
            afterCR = false
            open = (abs + k, lines, column)
          } else {
            phase = .unquoted
          }
        case .lenient:
          break
        }
        if S.startsScalar(u) { column += 1 }
        k += w
      }
      pos = abs + cur.count
    }
    let inQuotes = phase == .quoted
    return (!inQuotes, lines, inQuotes ? open : nil)
  }

  /// Moves `pos` to the next CR or LF (or the end of input), discarding what it passes.
  private func skipToLineEnd<S: _Scheme>(_: S.Type) throws(FormatError) {
    while try ensureData() {
      let j = S.find(cur.base, pos - cur.abs, cur.count, needles, _Class.lineBreak)
      pos = j + cur.abs
      if j < cur.count { return }
    }
  }

  /// Consumes CR, LF or CRLF at `pos`; false when there is none (end of input).
  private func consumeTerminator<S: _Scheme>(_: S.Type) throws(FormatError) -> Bool {
    guard try ensureData() else { return false }
    let u = S.unit(cur.base, pos - cur.abs)
    guard u == 0x0D || u == 0x0A else { return false }
    pos += S.width
    if u == 0x0D, try ensureData(), S.unit(cur.base, pos - cur.abs) == 0x0A { pos += S.width }
    return true
  }
}
