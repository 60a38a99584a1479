// Streaming splitter for one large JSON document with a top-level object.
// Standard library only.

/// Incrementally splits one JSON document whose top level is an object.
///
/// Example: `{"casebridgeVersion":"1.0","entities":[{...},{...}]}` with
/// `streamedArrayKeys: ["entities"]` yields `.member("casebridgeVersion")`, `.arrayStart`,
/// one `.element` per entity, `.arrayEnd`. Memory is bounded by the largest element (at most
/// `maxElementBytes`) plus the events of one chunk, not by the document: feed bounded chunks
/// (e.g. 1 MiB reads) and drain the returned events before feeding the next.
///
/// Boundaries are found by a small state machine (depth, inside-string, escape); each unit is
/// then parsed by `JSONParser` at its own absolute position. An element that is malformed
/// inside certain boundaries (duplicate key, lone surrogate, bad number, control character,
/// invalid UTF-8, ...) is reported as `.element` with `.failure`, and the document continues.
/// Errors that make boundaries uncertain or concern the document itself are thrown and end it:
/// mismatched or unbalanced brackets, unterminated strings, comments, bad bytes between
/// tokens, missing or trailing commas, duplicate top-level keys, a malformed top-level key or
/// non-streamed member value, depth beyond `maxDepth` anywhere, a unit above
/// `maxElementBytes`, and trailing data. After a throw, every later call throws the same error.
///
/// Keys are matched against `streamedArrayKeys` by exact scalar sequence. A streamed key
/// whose value is not an array is reported as an ordinary `.member`.
public struct JSONDocumentSplitter: Sendable {
  /// Whether a UTF-8 BOM at byte 0 is skipped instead of rejected.
  ///
  /// When true, a leading EF BB BF is skipped; offsets still count its 3 bytes, and
  /// line/column restart at 1:1 after it. When false (the default) it is `json.bom`.
  public var allowsLeadingBOM: Bool = false

  /// Whether the document may also be one top-level array, streamed element by element.
  ///
  /// When true, a document whose first value is `[` yields `.arrayStart(key: "")`, one `.element` per
  /// element and `.arrayEnd(key: "")`, and ends at its `]`. Depth counts as for a streamed member array
  /// (an element may nest `maxDepth - 2` levels). A top-level object is split as usual. Default false.
  public var allowsTopLevelArray: Bool = false

  let limits: JSONLimits
  let streamedKeys: Set<_ByteKey>
  let memberParser: JSONParser
  let elementParser: JSONParser
  let keyParser: JSONParser
  /// A key's size limit including its quotes.
  let keyMaxBytes: Int

  enum Phase: UInt8 {
    case start, bom, objectFirst, objectNext, key, colon, value, inValue, afterMember
    case arrayFirst, arrayNext, inElement, arrayAfterElement, done
  }

  var phase: Phase = .start
  var bomCount = 0
  var failure: JSONSyntaxError?

  /// Absolute offset of the current chunk's first byte (= bytes fed before it).
  var consumed = 0
  /// The position is known exactly at `baseOffset` (always >= the current chunk start).
  var baseOffset = 0
  var basePos = TextPosition.start

  var seenKeys: Set<_ByteKey> = []
  var currentKey = ""
  var commaOffset = 0
  var commaPos = TextPosition.start

  // The unit (key, member value or element) being scanned.
  var unitStart = 0
  var unitPos = TextPosition.start
  var unitIsScalar = false
  var unitBaseDepth = 0
  var pending: [UInt8] = []
  var inString = false
  var escaped = false
  var stringStart = 0
  var brackets: [UInt8] = []

  // The streamed array being split.
  var arrayKey = ""
  var topLevelArray = false
  var elementIndex = 0

  // A '/' seen as the last byte of a chunk, decided by the next byte.
  var slashOffset = -1
  var slashPos = TextPosition.start
  var slashBetweenTokens = false
  var slashRule = JSONSyntaxError.Rule.syntax
  var slashExpected = ""

  typealias Rule = JSONSyntaxError.Rule

  /// Creates a splitter that streams the array values of the given top-level keys.
  ///
  /// - Parameters:
  ///   - streamedArrayKeys: Top-level keys whose array values are reported element by element.
  ///   - limits: Depth counts the top-level object (1) and a streamed array (2);
  ///     `maxElementBytes` bounds each member value and element; `maxStringBytes` bounds keys.
  public init(streamedArrayKeys: Set<String>, limits: JSONLimits = JSONLimits()) {
    self.limits = limits
    self.streamedKeys = Set(streamedArrayKeys.map(_ByteKey.init))
    var memberLimits = limits
    memberLimits.maxDepth = Swift.max(0, limits.maxDepth &- 1)
    memberLimits.maxDocumentBytes = Int.max
    var elementLimits = limits
    elementLimits.maxDepth = Swift.max(0, limits.maxDepth &- 2)
    elementLimits.maxDocumentBytes = Int.max
    var keyLimits = limits
    keyLimits.maxDocumentBytes = Int.max
    self.memberParser = JSONParser(limits: memberLimits)
    self.elementParser = JSONParser(limits: elementLimits)
    self.keyParser = JSONParser(limits: keyLimits)
    self.keyMaxBytes = limits.maxStringBytes > Int.max &- 2 ? Int.max : limits.maxStringBytes &+ 2
  }

  /// Feeds the next chunk (any size; tokens and UTF-8 sequences may be split anywhere) and
  /// returns the events completed so far.
  ///
  /// The result depends only on the bytes, never on where the chunks were cut.
  ///
  /// - Parameter chunk: The next bytes of the document; the splitter copies what it keeps.
  /// - Returns: The events completed by this chunk, in document order.
  /// - Throws: `JSONSyntaxError` (absolute offsets) for a structural error; the splitter is
  ///   then finished and rethrows the same error on every later call.
  public mutating func feed(_ chunk: UnsafeRawBufferPointer) throws(JSONSyntaxError) -> [JSONSplitEvent] {
    if let failure { throw failure }
    let n = chunk.count
    guard n > 0, let raw = chunk.baseAddress else { return [] }
    let p = raw.assumingMemoryBound(to: UInt8.self)
    var events: [JSONSplitEvent] = []
    do throws(JSONSyntaxError) {
      try run(p, n, &events)
    } catch {
      failure = error
      throw error
    }
    return events
  }

  /// Feeds the next chunk from an array (see the buffer overload).
  ///
  /// - Parameter chunk: The next bytes of the document.
  /// - Returns: The events completed by this chunk.
  /// - Throws: `JSONSyntaxError` for a structural error.
  public mutating func feed(_ chunk: [UInt8]) throws(JSONSyntaxError) -> [JSONSplitEvent] {
    let result = chunk.withUnsafeBytes { buffer in
      Result { () throws(JSONSyntaxError) -> [JSONSplitEvent] in try feed(buffer) }
    }
    return try result.get()
  }

  /// Signals the end of input; throws if the document is incomplete.
  ///
  /// Rules: `json.empty` (nothing but whitespace), `json.unterminated-string` (inside a key or
  /// string, located at its opening quote), `json.syntax` (anything else unfinished).
  ///
  /// - Returns: Any remaining events (currently always empty: every event completes in `feed`).
  /// - Throws: `JSONSyntaxError` if the document is empty or incomplete.
  public mutating func finish() throws(JSONSyntaxError) -> [JSONSplitEvent] {
    if let failure { throw failure }
    do throws(JSONSyntaxError) {
      try finishDocument()
    } catch {
      failure = error
      throw error
    }
    return []
  }

  // MARK: - Positions and errors

  /// The position of absolute offset `abs` (>= baseOffset, within the current chunk).
  @inline(__always)
  mutating func position(at abs: Int, _ p: UnsafePointer<UInt8>) -> TextPosition {
    let from = baseOffset &- consumed
    let to = abs &- consumed
    if to > from {
      basePos = _advancePosition(basePos, p + from, to &- from)
      baseOffset = abs
    }
    return basePos
  }

  @inline(never)
  mutating func error(_ rule: String, _ message: String, at abs: Int, _ p: UnsafePointer<UInt8>) -> JSONSyntaxError {
    JSONSyntaxError(rule: rule, message: message, byteOffset: abs, position: position(at: abs, p))
  }

  @inline(never)
  mutating func depthError(at abs: Int, _ p: UnsafePointer<UInt8>) -> JSONSyntaxError {
    error(Rule.depthExceeded, "objects and arrays nested deeper than \(limits.maxDepth)", at: abs, p)
  }

  /// The error for an unexpected byte at chunk index `i` between tokens.
  @inline(never)
  mutating func unexpected(
    _ p: UnsafePointer<UInt8>, _ i: Int, _ n: Int, expected: String, rule: String = Rule.syntax
  ) -> JSONSyntaxError {
    let c = p[i]
    if c == 0x2F, i &+ 1 < n, p[i &+ 1] == 0x2F || p[i &+ 1] == 0x2A {
      return error(Rule.comment, "comments are not allowed in JSON", at: consumed &+ i, p)
    }
    if rule == Rule.trailingData {
      return error(rule, "unexpected data after the JSON document", at: consumed &+ i, p)
    }
    if c >= 0x80 {
      return error(rule, "unexpected non-ASCII byte outside a string; expected \(expected)", at: consumed &+ i, p)
    }
    if c < 0x20 || c == 0x7F {
      return error(rule, "unexpected control character outside a string; expected \(expected)", at: consumed &+ i, p)
    }
    return error(rule, "unexpected character; expected \(expected)", at: consumed &+ i, p)
  }

  /// Handles a byte that is unexpected between tokens: a '/' at the very end of the chunk is
  /// deferred (the next byte decides comment or not); anything else is thrown.
  mutating func rejectBetweenTokens(
    _ p: UnsafePointer<UInt8>, _ i: Int, _ n: Int, expected: String, rule: String = Rule.syntax
  ) throws(JSONSyntaxError) {
    if p[i] == 0x2F, i &+ 1 == n {
      slashOffset = consumed &+ i
      slashPos = position(at: slashOffset, p)
      slashBetweenTokens = true
      slashRule = rule
      slashExpected = expected
      return
    }
    throw unexpected(p, i, n, expected: expected, rule: rule)
  }

  func slashError(comment: Bool) -> JSONSyntaxError {
    if comment {
      return JSONSyntaxError(
        rule: Rule.comment, message: "comments are not allowed in JSON", byteOffset: slashOffset, position: slashPos)
    }
    if slashRule == Rule.trailingData {
      return JSONSyntaxError(
        rule: slashRule, message: "unexpected data after the JSON document", byteOffset: slashOffset,
        position: slashPos)
    }
    return JSONSyntaxError(
      rule: slashRule, message: "unexpected character; expected \(slashExpected)", byteOffset: slashOffset,
      position: slashPos)
  }

  // MARK: - Main loop

  @inline(__always)
  func skipWhitespace(_ p: UnsafePointer<UInt8>, _ i: Int, _ n: Int) -> Int {
    var i = i
    while i < n, _isJSONWhitespace(p[i]) { i &+= 1 }
    return i
  }

  mutating func run(_ p: UnsafePointer<UInt8>, _ n: Int, _ events: inout [JSONSplitEvent]) throws(JSONSyntaxError) {
    var i = 0
    if slashOffset >= 0 {
      let next = p[0]
      if next == 0x2F || next == 0x2A { throw slashError(comment: true) }
      if slashBetweenTokens { throw slashError(comment: false) }
      slashOffset = -1
    }

    while i < n {
      switch phase {
      case .start:
        i = skipWhitespace(p, i, n)
        guard i < n else { break }
        let c = p[i]
        if c == 0x7B {
          if limits.maxDepth < 1 {
            throw depthError(at: consumed &+ i, p)
          }
          phase = .objectFirst
          i &+= 1
        } else if c == 0x5B, allowsTopLevelArray {
          if limits.maxDepth < 2 {
            throw depthError(at: consumed &+ i, p)
          }
          let offset = consumed &+ i
          events.append(.arrayStart(key: "", byteOffset: offset, position: position(at: offset, p)))
          arrayKey = ""
          elementIndex = 0
          topLevelArray = true
          phase = .arrayFirst
          i &+= 1
        } else if c == 0xEF, consumed &+ i == 0 {
          phase = .bom
          bomCount = 1
          i &+= 1
        } else {
          try rejectBetweenTokens(p, i, n, expected: allowsTopLevelArray ? "'{' or '['" : "'{' (the top level must be an object)")
          i &+= 1
        }

      case .bom:
        let expected: UInt8 = bomCount == 1 ? 0xBB : 0xBF
        guard p[i] == expected else {
          throw JSONSyntaxError(
            rule: Rule.syntax, message: "unexpected byte; expected '{' (the top level must be an object)",
            byteOffset: 0, position: .start)
        }
        bomCount &+= 1
        i &+= 1
        if bomCount == 3 {
          guard allowsLeadingBOM else {
            throw JSONSyntaxError(
              rule: Rule.bom, message: "a UTF-8 byte order mark is not allowed here", byteOffset: 0, position: .start)
          }
          // Offsets keep counting the BOM; line/column restart after it.
          baseOffset = 3
          basePos = .start
          phase = .start
        }

      case .objectFirst, .objectNext:
        i = skipWhitespace(p, i, n)
        guard i < n else { break }
        let c = p[i]
        if c == 0x22 {
          beginUnit(at: i, p, scalar: false, baseDepth: 1)
          phase = .key
        } else if c == 0x7D {
          if phase == .objectNext {
            throw JSONSyntaxError(
              rule: Rule.trailingComma, message: "trailing comma before '}'", byteOffset: commaOffset,
              position: commaPos)
          }
          phase = .done
          i &+= 1
        } else {
          try rejectBetweenTokens(p, i, n, expected: phase == .objectFirst ? "a string key or '}'" : "a string key")
          i &+= 1
        }

      case .key:
        guard let e = try scanUnit(p, &i, n, maxBytes: keyMaxBytes) else { break }
        try finishKey(p, e)
        phase = .colon

      case .colon:
        i = skipWhitespace(p, i, n)
        guard i < n else { break }
        if p[i] == 0x3A {
          phase = .value
          i &+= 1
        } else {
          try rejectBetweenTokens(p, i, n, expected: "':'")
          i &+= 1
        }

      case .value:
        i = skipWhitespace(p, i, n)
        guard i < n else { break }
        let c = p[i]
        if c == 0x5B, streamedKeys.contains(_ByteKey(currentKey)) {
          if limits.maxDepth < 2 {
            throw depthError(at: consumed &+ i, p)
          }
          let offset = consumed &+ i
          events.append(.arrayStart(key: currentKey, byteOffset: offset, position: position(at: offset, p)))
          arrayKey = currentKey
          elementIndex = 0
          phase = .arrayFirst
          i &+= 1
        } else if c == 0x2C || c == 0x7D || c == 0x5D || c == 0x3A || c == 0x2F {
          try rejectBetweenTokens(p, i, n, expected: "a value")
          i &+= 1
        } else {
          beginUnit(at: i, p, scalar: !(c == 0x22 || c == 0x5B || c == 0x7B), baseDepth: 1)
          phase = .inValue
        }

      case .inValue:
        guard let e = try scanUnit(p, &i, n, maxBytes: limits.maxElementBytes) else { break }
        let bytes = takeUnit(p, e)
        let result = parseUnit(bytes, memberParser)
        switch result {
        case .success(let value):
          events.append(
            .member(key: currentKey, value: value, byteOffset: unitStart, byteLength: bytes.count, position: unitPos))
        case .failure(let err):
          throw err
        }
        phase = .afterMember

      case .afterMember:
        i = skipWhitespace(p, i, n)
        guard i < n else { break }
        let c = p[i]
        if c == 0x2C {
          commaOffset = consumed &+ i
          commaPos = position(at: commaOffset, p)
          phase = .objectNext
          i &+= 1
        } else if c == 0x7D {
          phase = .done
          i &+= 1
        } else {
          try rejectBetweenTokens(p, i, n, expected: "',' or '}'")
          i &+= 1
        }

      case .arrayFirst, .arrayNext:
        i = skipWhitespace(p, i, n)
        guard i < n else { break }
        let c = p[i]
        if c == 0x5D {
          if phase == .arrayNext {
            throw JSONSyntaxError(
              rule: Rule.trailingComma, message: "trailing comma before ']'", byteOffset: commaOffset,
              position: commaPos)
          }
          events.append(.arrayEnd(key: arrayKey, count: elementIndex))
          phase = topLevelArray ? .done : .afterMember
          i &+= 1
        } else if c == 0x2C || c == 0x7D || c == 0x3A || c == 0x2F {
          try rejectBetweenTokens(p, i, n, expected: phase == .arrayFirst ? "a value or ']'" : "a value")
          i &+= 1
        } else {
          beginUnit(at: i, p, scalar: !(c == 0x22 || c == 0x5B || c == 0x7B), baseDepth: 2)
          phase = .inElement
        }

      case .inElement:
        guard let e = try scanUnit(p, &i, n, maxBytes: limits.maxElementBytes) else { break }
        let bytes = takeUnit(p, e)
        let result = parseUnit(bytes, elementParser)
        events.append(
          .element(index: elementIndex, bytes: bytes, byteOffset: unitStart, position: unitPos, result: result))
        elementIndex &+= 1
        phase = .arrayAfterElement

      case .arrayAfterElement:
        i = skipWhitespace(p, i, n)
        guard i < n else { break }
        let c = p[i]
        if c == 0x2C {
          commaOffset = consumed &+ i
          commaPos = position(at: commaOffset, p)
          phase = .arrayNext
          i &+= 1
        } else if c == 0x5D {
          events.append(.arrayEnd(key: arrayKey, count: elementIndex))
          phase = topLevelArray ? .done : .afterMember
          i &+= 1
        } else {
          try rejectBetweenTokens(p, i, n, expected: "',' or ']'")
          i &+= 1
        }

      case .done:
        i = skipWhitespace(p, i, n)
        guard i < n else { break }
        try rejectBetweenTokens(p, i, n, expected: "end of input", rule: Rule.trailingData)
        i &+= 1
      }
    }

    // End of chunk: keep the unfinished unit's bytes, move the known position to the end.
    if phase == .key || phase == .inValue || phase == .inElement {
      let from = Swift.max(0, unitStart &- consumed)
      pending.append(contentsOf: UnsafeBufferPointer(start: p + from, count: n &- from))
    }
    _ = position(at: consumed &+ n, p)
    consumed &+= n
  }

  // MARK: - Units

  mutating func beginUnit(at i: Int, _ p: UnsafePointer<UInt8>, scalar: Bool, baseDepth: Int) {
    unitStart = consumed &+ i
    unitPos = position(at: unitStart, p)
    unitIsScalar = scalar
    unitBaseDepth = baseDepth
    inString = false
    escaped = false
    brackets.removeAll(keepingCapacity: true)
    pending.removeAll(keepingCapacity: true)
  }

  /// The complete unit's bytes: earlier chunks' part from `pending` plus `p[..<e]`.
  mutating func takeUnit(_ p: UnsafePointer<UInt8>, _ e: Int) -> [UInt8] {
    let from = Swift.max(0, unitStart &- consumed)
    if pending.isEmpty {
      return Array(UnsafeBufferPointer(start: p + from, count: e &- from))
    }
    pending.append(contentsOf: UnsafeBufferPointer(start: p + from, count: e &- from))
    let bytes = pending
    pending = []
    return bytes
  }

  func parseUnit(_ bytes: [UInt8], _ parser: JSONParser) -> Result<JSONValue, JSONSyntaxError> {
    let start = unitStart
    let result = bytes.withUnsafeBytes { buffer in
      Result { () throws(JSONSyntaxError) -> JSONValue in try parser.parse(buffer, startingAt: unitPos) }
    }
    return result.mapError { err in
      var err = err
      err.byteOffset &+= start
      return err
    }
  }

  mutating func finishKey(_ p: UnsafePointer<UInt8>, _ e: Int) throws(JSONSyntaxError) {
    let from = Swift.max(0, unitStart &- consumed)
    let value: JSONValue
    if pending.isEmpty {
      value = try parseUnit(p + from, e &- from, keyParser).get()
    } else {
      pending.append(contentsOf: UnsafeBufferPointer(start: p + from, count: e &- from))
      let r = pending.withUnsafeBytes { buffer in
        parseUnit(buffer.baseAddress!.assumingMemoryBound(to: UInt8.self), buffer.count, keyParser)
      }
      pending.removeAll(keepingCapacity: true)
      value = try r.get()
    }
    guard case .string(let key) = value else {
      throw JSONSyntaxError(
        rule: Rule.syntax, message: "expected a string key", byteOffset: unitStart, position: unitPos)
    }
    if !seenKeys.insert(_ByteKey(key)).inserted {
      throw JSONSyntaxError(
        rule: Rule.duplicateKey, message: "duplicate key in the top-level object", byteOffset: unitStart,
        position: unitPos)
    }
    currentKey = key
  }

  func parseUnit(_ p: UnsafePointer<UInt8>, _ count: Int, _ parser: JSONParser) -> Result<JSONValue, JSONSyntaxError> {
    let start = unitStart
    let pos = unitPos
    let result = Result { () throws(JSONSyntaxError) -> JSONValue in
      try parser.parse(UnsafeRawBufferPointer(start: p, count: count), startingAt: pos)
    }
    return result.mapError { err in
      var err = err
      err.byteOffset &+= start
      return err
    }
  }

  /// Scans the current unit from chunk index `i`.
  ///
  /// Returns the chunk index just past the unit when it completes (leaving `i` there), or nil
  /// when the chunk ends first (`i` = `n`).
  mutating func scanUnit(
    _ p: UnsafePointer<UInt8>, _ i: inout Int, _ n: Int, maxBytes: Int
  ) throws(JSONSyntaxError) -> Int? {
    // Chunk index of the first byte beyond the allowance; the scan may look at it (a scalar's
    // delimiter) but a unit that needs it is too large.
    let (sum, overflow) = (unitStart &- consumed).addingReportingOverflow(maxBytes)
    let limitIndex = overflow ? Int.max &- 1 : sum
    let stop = limitIndex < n ? limitIndex &+ 1 : n
    var j = i
    var complete = false

    if unitIsScalar {
      while j < stop {
        let c = p[j]
        if _isJSONWhitespace(c) || c == 0x2C || c == 0x5D || c == 0x7D || c == 0x5B || c == 0x7B
          || c == 0x22 || c == 0x3A || c == 0x2F
        {
          complete = true
          break
        }
        j &+= 1
      }
    } else {
      var inStr = inString
      var esc = escaped
      let maxDepth = limits.maxDepth
      let ones: UInt64 = 0x0101_0101_0101_0101
      let highs: UInt64 = 0x8080_8080_8080_8080
      scan: while j < stop {
        if inStr {
          if esc {
            esc = false
            j &+= 1
            continue
          }
          // Skip string content eight bytes at a time up to a quote or backslash.
          while j &+ 8 <= stop {
            let word = UnsafeRawPointer(p + j).loadUnaligned(as: UInt64.self)
            let q = word ^ (ones &* 0x22)
            let b = word ^ (ones &* 0x5C)
            if ((q &- ones) & ~q | (b &- ones) & ~b) & highs != 0 { break }
            j &+= 8
          }
          while j < stop {
            let c = p[j]
            j &+= 1
            if c == 0x5C {
              esc = true
              continue scan
            }
            if c == 0x22 {
              inStr = false
              if brackets.isEmpty {
                complete = true
                break scan
              }
              continue scan
            }
          }
          continue
        }
        let c = p[j]
        switch c {
        case 0x22:
          inStr = true
          stringStart = consumed &+ j
        case 0x5B, 0x7B:
          if unitBaseDepth &+ brackets.count &+ 1 > maxDepth {
            inString = inStr
            escaped = esc
            throw depthError(at: consumed &+ j, p)
          }
          brackets.append(c)
        case 0x5D, 0x7D:
          guard let open = brackets.last, open &+ 2 == c else {
            inString = inStr
            escaped = esc
            throw error(Rule.syntax, "mismatched closing bracket", at: consumed &+ j, p)
          }
          brackets.removeLast()
          if brackets.isEmpty {
            j &+= 1
            complete = true
            break scan
          }
        case 0x2F:
          if j &+ 1 < n {
            let d = p[j &+ 1]
            if d == 0x2F || d == 0x2A {
              throw error(Rule.comment, "comments are not allowed in JSON", at: consumed &+ j, p)
            }
          } else {
            slashOffset = consumed &+ j
            slashPos = position(at: slashOffset, p)
            slashBetweenTokens = false
          }
        default:
          break
        }
        j &+= 1
      }
      inString = inStr
      escaped = esc
    }

    if complete {
      if j &+ consumed &- unitStart > maxBytes { throw tooLarge() }
      i = j
      return j
    }
    if j > limitIndex { throw tooLarge() }
    i = n
    return nil
  }

  func tooLarge() -> JSONSyntaxError {
    let what =
      phase == .key
      ? "key is longer than \(limits.maxStringBytes) bytes" : "value is larger than \(limits.maxElementBytes) bytes"
    return JSONSyntaxError(rule: Rule.tooLarge, message: what, byteOffset: unitStart, position: unitPos)
  }

  // MARK: - End of input

  mutating func finishDocument() throws(JSONSyntaxError) {
    if slashOffset >= 0, slashBetweenTokens { throw slashError(comment: false) }
    let endOffset = consumed
    let endPos = basePos
    func endError(_ expected: String) -> JSONSyntaxError {
      JSONSyntaxError(
        rule: Rule.syntax, message: "unexpected end of input; expected \(expected)", byteOffset: endOffset,
        position: endPos)
    }
    switch phase {
    case .done:
      return
    case .start:
      throw JSONSyntaxError(rule: Rule.empty, message: "no JSON value (empty input)", byteOffset: 0, position: .start)
    case .bom:
      throw JSONSyntaxError(
        rule: Rule.syntax, message: "unexpected end of input inside a byte order mark", byteOffset: 0, position: .start)
    case .key, .inValue, .inElement:
      if !unitIsScalar, inString {
        let quote = phase == .key ? unitStart : stringStart
        let pos = pending.withUnsafeBytes { buffer in
          textPosition(of: quote &- unitStart, in: buffer, startingAt: unitPos)
        }
        throw JSONSyntaxError(
          rule: Rule.unterminatedString, message: "string is not terminated", byteOffset: quote, position: pos)
      }
      throw endError(phase == .inElement ? "the end of the array element" : "the end of the value")
    case .objectFirst:
      throw endError("a string key or '}'")
    case .objectNext:
      throw endError("a string key")
    case .colon:
      throw endError("':'")
    case .value:
      throw endError("a value")
    case .afterMember:
      throw endError("',' or '}'")
    case .arrayFirst:
      throw endError("a value or ']'")
    case .arrayNext:
      throw endError("a value")
    case .arrayAfterElement:
      throw endError("',' or ']'")
    }
  }
}
