// The iterative engine behind JSONParser. Standard library only.

/// One open array or object on the explicit parse stack.
struct _JSONFrame {
  var isObject: Bool
  /// Index of the container's first pending value (arrays) or member (objects).
  var start: Int
  /// The key whose value is being parsed (objects only).
  var key: String
  var keyOffset: Int
  var keyHash: UInt64
  /// Built lazily once an object has many keys, for O(1) duplicate detection.
  var keySet: Set<_ByteKey>?
}

/// FNV-1a over bytes: a cheap fingerprint that pre-filters duplicate-key comparisons.
@inline(__always)
func _fnv1a(_ p: UnsafePointer<UInt8>, _ count: Int, _ seed: UInt64 = 0xCBF2_9CE4_8422_2325) -> UInt64 {
  var h = seed
  var k = 0
  while k < count {
    h = (h ^ UInt64(p[k])) &* 0x0000_0100_0000_01B3
    k &+= 1
  }
  return h
}

/// Nonzero when some byte of `x` is < 0x20, == '"', == '\\' or >= 0x80.
@inline(__always)
func _swarStringSpecial(_ x: UInt64) -> UInt64 {
  let ones: UInt64 = 0x0101_0101_0101_0101
  let highs: UInt64 = 0x8080_8080_8080_8080
  let control = (x &- ones &* 0x20) & ~x
  let q = x ^ (ones &* 0x22)
  let quote = (q &- ones) & ~q
  let b = x ^ (ones &* 0x5C)
  let backslash = (b &- ones) & ~b
  return (control | quote | backslash | x) & highs
}

/// The parser's working state for one buffer.
///
/// Valid only during `JSONParser.parse`: it holds a pointer into the caller's buffer.
struct _JSONEngine: ~Copyable {
  let p: UnsafePointer<UInt8>
  let end: Int
  let limits: JSONLimits
  let origin: TextPosition
  /// Reused buffer for strings with escapes.
  var scratch: [UInt8] = []
  /// Pending values of open arrays.
  var values = _MoveStack<JSONValue>()
  /// Pending members of open objects, with their key fingerprints.
  var members = _MoveStack<JSONMember>()
  var hashes = _MoveStack<UInt64>()

  init(p: UnsafePointer<UInt8>, end: Int, limits: JSONLimits, origin: TextPosition) {
    self.p = p
    self.end = end
    self.limits = limits
    self.origin = origin
  }

  typealias Rule = JSONSyntaxError.Rule

  // MARK: Errors (cold)

  @inline(never)
  func error(_ rule: String, _ message: String, at offset: Int) -> JSONSyntaxError {
    let clamped = Swift.min(Swift.max(offset, 0), end)
    let pos = _advancePosition(origin, p, clamped)
    return JSONSyntaxError(rule: rule, message: message, byteOffset: offset, position: pos)
  }

  /// Classifies an unexpected byte (or end of input) at `i`.
  @inline(never)
  func unexpected(at i: Int, expected: String) -> JSONSyntaxError {
    if i >= end {
      return error(Rule.syntax, "unexpected end of input; expected \(expected)", at: end)
    }
    let c = p[i]
    if c == 0x2F, i &+ 1 < end, p[i &+ 1] == 0x2F || p[i &+ 1] == 0x2A {
      return error(Rule.comment, "comments are not allowed in JSON", at: i)
    }
    if c == 0xEF, i &+ 2 < end, p[i &+ 1] == 0xBB, p[i &+ 2] == 0xBF {
      return error(Rule.bom, "unexpected byte order mark", at: i)
    }
    if c >= 0x80 {
      return error(Rule.syntax, "unexpected non-ASCII byte outside a string; expected \(expected)", at: i)
    }
    if c < 0x20 || c == 0x7F {
      return error(Rule.syntax, "unexpected control character outside a string; expected \(expected)", at: i)
    }
    return error(Rule.syntax, "unexpected character; expected \(expected)", at: i)
  }

  // MARK: Helpers

  @inline(__always)
  func skipWhitespace(_ i: Int) -> Int {
    var i = i
    while i < end, _isJSONWhitespace(p[i]) { i &+= 1 }
    return i
  }

  // MARK: Document

  mutating func parseDocument() throws(JSONSyntaxError) -> JSONValue {
    if end >= 3, p[0] == 0xEF, p[1] == 0xBB, p[2] == 0xBF {
      throw error(Rule.bom, "a UTF-8 byte order mark is not allowed here", at: 0)
    }
    var i = skipWhitespace(0)
    if i == end {
      throw error(Rule.empty, "no JSON value (whitespace only)", at: 0)
    }

    var frames: [_JSONFrame] = []
    let maxDepth = limits.maxDepth

    parseValue: while true {
      // Invariant: i < end and p[i] is not whitespace.
      var value: JSONValue
      let c = p[i]
      switch c {
      case 0x22:  // "
        value = .string(try parseString(&i, hashing: false).string)

      case 0x7B:  // {
        if frames.count >= maxDepth {
          throw error(Rule.depthExceeded, "objects and arrays nested deeper than \(maxDepth)", at: i)
        }
        i = skipWhitespace(i &+ 1)
        guard i < end else { throw unexpected(at: i, expected: "a key or '}'") }
        if p[i] == 0x7D {
          i &+= 1
          value = .object(JSONObject())
          break
        }
        guard p[i] == 0x22 else { throw unexpected(at: i, expected: "a string key or '}'") }
        let keyOffset = i
        let (key, hash) = try parseString(&i, hashing: true)
        i = skipWhitespace(i)
        guard i < end, p[i] == 0x3A else { throw unexpected(at: i, expected: "':'") }
        i = skipWhitespace(i &+ 1)
        guard i < end else { throw unexpected(at: i, expected: "a value") }
        if frames.capacity == 0 { frames.reserveCapacity(8) }
        frames.append(
          _JSONFrame(
            isObject: true, start: members.count, key: key, keyOffset: keyOffset, keyHash: hash, keySet: nil))
        continue parseValue

      case 0x5B:  // [
        if frames.count >= maxDepth {
          throw error(Rule.depthExceeded, "objects and arrays nested deeper than \(maxDepth)", at: i)
        }
        i = skipWhitespace(i &+ 1)
        guard i < end else { throw unexpected(at: i, expected: "a value or ']'") }
        if p[i] == 0x5D {
          i &+= 1
          value = .array([])
          break
        }
        if frames.capacity == 0 { frames.reserveCapacity(8) }
        frames.append(_JSONFrame(isObject: false, start: values.count, key: "", keyOffset: 0, keyHash: 0, keySet: nil))
        continue parseValue

      case 0x30...0x39, 0x2D, 0x2B, 0x2E, 0x49, 0x4E:  // digits - + . I N
        value = .number(try parseNumber(&i))

      case 0x74:  // t
        guard i &+ 4 <= end, p[i &+ 1] == 0x72, p[i &+ 2] == 0x75, p[i &+ 3] == 0x65,
          i &+ 4 == end || !_isIdentifierByte(p[i &+ 4])
        else { throw error(Rule.syntax, "invalid literal; expected true, false or null", at: i) }
        i &+= 4
        value = .bool(true)

      case 0x66:  // f
        guard i &+ 5 <= end, p[i &+ 1] == 0x61, p[i &+ 2] == 0x6C, p[i &+ 3] == 0x73, p[i &+ 4] == 0x65,
          i &+ 5 == end || !_isIdentifierByte(p[i &+ 5])
        else { throw error(Rule.syntax, "invalid literal; expected true, false or null", at: i) }
        i &+= 5
        value = .bool(false)

      case 0x6E:  // n
        guard i &+ 4 <= end, p[i &+ 1] == 0x75, p[i &+ 2] == 0x6C, p[i &+ 3] == 0x6C,
          i &+ 4 == end || !_isIdentifierByte(p[i &+ 4])
        else { throw error(Rule.syntax, "invalid literal; expected true, false or null", at: i) }
        i &+= 4
        value = .null

      default:
        throw unexpected(at: i, expected: "a value")
      }

      // A value is complete: attach it to its container, closing containers as needed.
      while true {
        let top = frames.count &- 1
        if top < 0 {
          i = skipWhitespace(i)
          if i < end {
            if p[i] == 0x2F, i &+ 1 < end, p[i &+ 1] == 0x2F || p[i &+ 1] == 0x2A {
              throw error(Rule.comment, "comments are not allowed in JSON", at: i)
            }
            throw error(Rule.trailingData, "unexpected data after the JSON value", at: i)
          }
          return value
        }
        i = skipWhitespace(i)
        guard i < end else {
          throw unexpected(at: i, expected: frames[top].isObject ? "',' or '}'" : "',' or ']'")
        }
        let d = p[i]
        if frames[top].isObject {
          members.push(JSONMember(key: frames[top].key, value: value, keyOffset: frames[top].keyOffset))
          hashes.push(frames[top].keyHash)
          if d == 0x2C {  // ,
            let comma = i
            i = skipWhitespace(i &+ 1)
            guard i < end, p[i] == 0x22 else {
              if i < end, p[i] == 0x7D {
                throw error(Rule.trailingComma, "trailing comma before '}'", at: comma)
              }
              throw unexpected(at: i, expected: "a string key")
            }
            let keyOffset = i
            let (key, hash) = try parseString(&i, hashing: true)
            try checkDuplicate(key, hash: hash, at: keyOffset, frame: &frames[top])
            i = skipWhitespace(i)
            guard i < end, p[i] == 0x3A else { throw unexpected(at: i, expected: "':'") }
            i = skipWhitespace(i &+ 1)
            guard i < end else { throw unexpected(at: i, expected: "a value") }
            frames[top].key = key
            frames[top].keyOffset = keyOffset
            frames[top].keyHash = hash
            continue parseValue
          } else if d == 0x7D {  // }
            let s = frames[top].start
            hashes.count = s
            value = .object(JSONObject(members.popArray(from: s)))
            frames.removeLast()
            i &+= 1
            continue
          } else {
            throw unexpected(at: i, expected: "',' or '}'")
          }
        } else {
          values.push(value)
          if d == 0x2C {  // ,
            let comma = i
            i = skipWhitespace(i &+ 1)
            guard i < end else { throw unexpected(at: i, expected: "a value") }
            if p[i] == 0x5D {
              throw error(Rule.trailingComma, "trailing comma before ']'", at: comma)
            }
            continue parseValue
          } else if d == 0x5D {  // ]
            value = .array(values.popArray(from: frames[top].start))
            frames.removeLast()
            i &+= 1
            continue
          } else {
            throw unexpected(at: i, expected: "',' or ']'")
          }
        }
      }
    }
  }

  /// Rejects `key` if the open object already has a member with exactly the same scalars.
  @inline(__always)
  func checkDuplicate(
    _ key: String, hash: UInt64, at keyOffset: Int, frame: inout _JSONFrame
  ) throws(JSONSyntaxError) {
    let start = frame.start
    let count = members.count
    guard count > start, let hp = hashes.base, let mp = members.base else { return }
    if count &- start < 64, frame.keySet == nil {
      // Fingerprints first; bytes only when they match.
      var k = start
      while k < count {
        if hp[k] == hash, _sameScalars(mp[k].key, key) {
          throw error(Rule.duplicateKey, "duplicate key in object", at: keyOffset)
        }
        k &+= 1
      }
      return
    }
    if frame.keySet == nil {
      var set = Set<_ByteKey>(minimumCapacity: (count &- start) &* 2)
      for k in start..<count { set.insert(_ByteKey(mp[k].key)) }
      frame.keySet = set
    }
    if !frame.keySet!.insert(_ByteKey(key)).inserted {
      throw error(Rule.duplicateKey, "duplicate key in object", at: keyOffset)
    }
  }

  // MARK: Numbers

  mutating func parseNumber(_ i: inout Int) throws(JSONSyntaxError) -> JSONNumber {
    let s = i
    var k = i
    while k < end, _isNumberTokenByte(p[k]) { k &+= 1 }
    guard let flags = _scanNumberSyntax(p, s, k) else {
      throw error(Rule.invalidNumber, "invalid number literal", at: s)
    }
    let length = k &- s
    if length > limits.maxNumberLength {
      throw error(Rule.numberOutOfRange, "number literal longer than \(limits.maxNumberLength) characters", at: s)
    }
    let literal = String(decoding: UnsafeBufferPointer(start: p + s, count: length), as: UTF8.self)
    if flags.hasExponent || length > 300 {
      guard let d = Double(literal), d.isFinite else {
        throw error(Rule.numberOutOfRange, "number magnitude is outside the range of a double", at: s)
      }
    }
    i = k
    return JSONNumber(uncheckedLiteral: literal)
  }

  // MARK: Strings

  /// Parses the string whose opening quote is at `i`, leaving `i` after the closing quote.
  ///
  /// With `hashing`, also returns the FNV-1a fingerprint of the decoded UTF-8 bytes.
  @inline(__always)
  mutating func parseString(_ i: inout Int, hashing: Bool) throws(JSONSyntaxError) -> (string: String, hash: UInt64) {
    let quote = i
    let contentStart = i &+ 1
    // `stop` is one byte beyond the allowed content: reaching it without a closing quote
    // means the string is too large (or, when it is the buffer end, unterminated).
    let limited = limits.maxStringBytes < end &- contentStart
    let stop = limited ? contentStart &+ limits.maxStringBytes &+ 1 : end
    var j = contentStart

    // Fast path: printable ASCII without escapes, eight bytes at a time.
    while j &+ 8 <= stop {
      let word = UnsafeRawPointer(p + j).loadUnaligned(as: UInt64.self)
      if _swarStringSpecial(word) != 0 { break }
      j &+= 8
    }
    while j < stop {
      let c = p[j]
      if c == 0x22 || c == 0x5C || c < 0x20 || c >= 0x80 { break }
      j &+= 1
    }
    if j < stop, p[j] == 0x22 {
      i = j &+ 1
      let count = j &- contentStart
      let string = String(decoding: UnsafeBufferPointer(start: p + contentStart, count: count), as: UTF8.self)
      return (string, hashing ? _fnv1a(p + contentStart, count) : 0)
    }
    return try parseStringSlow(&i, quote: quote, from: j, stop: stop, limited: limited, hashing: hashing)
  }

  /// The string slow path: escapes, validated multi-byte UTF-8, and every string error.
  @inline(never)
  mutating func parseStringSlow(
    _ i: inout Int, quote: Int, from start: Int, stop: Int, limited: Bool, hashing: Bool
  ) throws(JSONSyntaxError) -> (string: String, hash: UInt64) {
    let contentStart = quote &+ 1
    var j = start
    var hasEscape = false
    var runStart = contentStart
    while true {
      guard j < stop else {
        if !limited {
          throw error(Rule.unterminatedString, "string is not terminated", at: quote)
        }
        throw error(Rule.tooLarge, "string is longer than \(limits.maxStringBytes) bytes", at: quote)
      }
      let c = p[j]
      if c >= 0x20, c < 0x80, c != 0x22, c != 0x5C {
        j &+= 1
        continue
      }
      if c == 0x22 { break }
      if c == 0x5C {
        if !hasEscape {
          hasEscape = true
          scratch.removeAll(keepingCapacity: true)
        }
        scratch.append(contentsOf: UnsafeBufferPointer(start: p + runStart, count: j &- runStart))
        j = try decodeEscape(at: j, quote: quote)
        runStart = j
        continue
      }
      if c < 0x20 {
        throw error(Rule.controlCharacter, "raw control character in string (must be escaped)", at: j)
      }
      let length = _utf8SequenceLength(p, j, end)
      if length == 0 {
        throw error(Rule.invalidUTF8, "ill-formed UTF-8 in string", at: j)
      }
      j &+= length
    }
    // The closing quote is at j (and j < stop, so the content is within the limit).
    i = j &+ 1
    if hasEscape {
      scratch.append(contentsOf: UnsafeBufferPointer(start: p + runStart, count: j &- runStart))
      var hash: UInt64 = 0
      if hashing {
        hash = scratch.withUnsafeBufferPointer { buffer in
          guard let base = buffer.baseAddress else { return _fnv1a(p, 0) }
          return _fnv1a(base, buffer.count)
        }
      }
      return (String(decoding: scratch, as: UTF8.self), hash)
    }
    let count = j &- contentStart
    let string = String(decoding: UnsafeBufferPointer(start: p + contentStart, count: count), as: UTF8.self)
    return (string, hashing ? _fnv1a(p + contentStart, count) : 0)
  }

  /// Reads four hex digits at `k`; -1 when one is not hex, -2 when the input ends first.
  @inline(__always)
  func hex4(at k: Int) -> Int {
    var v = 0
    var m = k
    while m < k &+ 4 {
      if m >= end { return -2 }
      let h = _hexValue(p[m])
      if h < 0 { return -1 }
      v = (v << 4) | h
      m &+= 1
    }
    return v
  }

  /// Decodes the escape whose backslash is at `j` into `scratch`; returns the index after it.
  mutating func decodeEscape(at j: Int, quote: Int) throws(JSONSyntaxError) -> Int {
    guard j &+ 1 < end else {
      throw error(Rule.unterminatedString, "string is not terminated", at: quote)
    }
    let e = p[j &+ 1]
    switch e {
    case 0x22: scratch.append(0x22)
    case 0x5C: scratch.append(0x5C)
    case 0x2F: scratch.append(0x2F)
    case 0x62: scratch.append(0x08)
    case 0x66: scratch.append(0x0C)
    case 0x6E: scratch.append(0x0A)
    case 0x72: scratch.append(0x0D)
    case 0x74: scratch.append(0x09)
    case 0x75:  // u
      let v = hex4(at: j &+ 2)
      if v == -2 { throw error(Rule.unterminatedString, "string is not terminated", at: quote) }
      if v < 0 { throw error(Rule.invalidEscape, "\\u must be followed by four hex digits", at: j) }
      if v >= 0xDC00, v <= 0xDFFF {
        throw error(Rule.loneSurrogate, "low surrogate escape without a preceding high surrogate", at: j)
      }
      if v >= 0xD800, v <= 0xDBFF {
        let k = j &+ 6
        if k &+ 1 < end, p[k] == 0x5C, p[k &+ 1] == 0x75 {
          let w = hex4(at: k &+ 2)
          if w == -2 { throw error(Rule.unterminatedString, "string is not terminated", at: quote) }
          if w < 0 { throw error(Rule.invalidEscape, "\\u must be followed by four hex digits", at: k) }
          guard w >= 0xDC00, w <= 0xDFFF else {
            throw error(Rule.loneSurrogate, "high surrogate escape not followed by a low surrogate escape", at: j)
          }
          let scalar = 0x10000 &+ ((UInt32(v) &- 0xD800) << 10) &+ (UInt32(w) &- 0xDC00)
          _appendUTF8(scalar, to: &scratch)
          return j &+ 12
        }
        if k >= end { throw error(Rule.unterminatedString, "string is not terminated", at: quote) }
        throw error(Rule.loneSurrogate, "high surrogate escape not followed by a low surrogate escape", at: j)
      }
      _appendUTF8(UInt32(v), to: &scratch)
      return j &+ 6
    default:
      throw error(Rule.invalidEscape, "invalid escape sequence in string", at: j)
    }
    return j &+ 2
  }
}
