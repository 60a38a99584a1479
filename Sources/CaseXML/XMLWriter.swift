public import CaseInterchange

/// Why `XMLWriter` refused to write something (nothing of the refused call was written).
public struct XMLWriterError: Error, Sendable, Hashable {
  /// `xml.unwritable-character` (a character XML 1.0 cannot carry) or `xml.invalid-name`.
  public var rule: String
  /// What is wrong, without the value.
  public var message: String
  /// The element (and attribute, as `element/@name`) being written.
  public var field: String
  /// The offending character, for `--include-values`.
  public var scalar: Unicode.Scalar?

  /// A diagnostic at a location (the field is added).
  public func diagnostic(at location: SourceLocation) -> Diagnostic {
    var location = location
    location.field = location.field ?? field
    return Diagnostic(
      rule: rule, severity: .error, message: message, location: location,
      value: scalar.map { "U+" + String($0.value, radix: 16, uppercase: true).leftPadded(to: 4) })
  }
}

extension String {
  fileprivate func leftPadded(to n: Int) -> String { count >= n ? self : String(repeating: "0", count: n - count) + self }
}

/// A streaming XML 1.0 writer into a byte buffer the caller drains (`take()`) or flushes to a `ByteSink`.
///
/// Text escapes `&`, `<`, `>` and CR (`&#13;`, which XML's line-end normalisation would otherwise turn into LF);
/// attribute values also escape `"`, TAB, LF and CR as character references, so attribute-value normalisation
/// gives back exactly the written value. A character XML 1.0 cannot carry (C0 controls other than TAB, LF, CR;
/// U+FFFE, U+FFFF) makes the call throw `xml.unwritable-character` without writing anything, so the writer never
/// emits a document that does not parse; the caller turns the error into a diagnostic (and typically rolls back
/// the record with `checkpoint()`/`rollback(to:)`).
///
/// With `indent`, element-only content is indented by two spaces per level; an element that gets text is written
/// inline. Only UTF-8 is written.
public struct XMLWriter {
  /// The bytes written and not yet taken.
  public private(set) var bytes: [UInt8]
  /// Whether element-only content is indented.
  public let indent: Bool
  private var stack: [(name: String, hasElements: Bool, hasText: Bool)] = []
  private var taken = 0

  /// A point to roll back to (valid while no bytes were taken or flushed since).
  public struct Checkpoint: Sendable, Hashable {
    let byteCount: Int
    let taken: Int
    let depth: Int
    let parentHasElements: Bool
  }

  /// Creates a writer.
  public init(indent: Bool = false, capacity: Int = 1 << 16) {
    self.indent = indent
    bytes = []
    bytes.reserveCapacity(capacity)
  }

  /// How many elements are open.
  public var depth: Int { stack.count }

  /// Writes `<?xml version="1.0" encoding="UTF-8"?>` and a newline.
  public mutating func declaration() {
    append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
  }

  /// Opens an element: `name` is a QName as written (`x:Name`), `namespaces` are declared on it (prefix nil = the
  /// default namespace), then the attributes in order.
  /// - Throws: `XMLWriterError` for an invalid name or an unwritable character (nothing is written).
  public mutating func startElement(
    _ name: String, namespaces: [(prefix: String?, uri: String)] = [], attributes: [(name: String, value: String)] = []
  ) throws(XMLWriterError) {
    try openTag(name, namespaces: namespaces, attributes: attributes)
    bytes.append(0x3E)
    stack.append((name, false, false))
  }

  /// Writes an empty-element tag `<name .../>`.
  /// - Throws: `XMLWriterError` (nothing is written).
  public mutating func emptyElement(
    _ name: String, namespaces: [(prefix: String?, uri: String)] = [], attributes: [(name: String, value: String)] = []
  ) throws(XMLWriterError) {
    try openTag(name, namespaces: namespaces, attributes: attributes)
    append("/>")
    if stack.isEmpty { bytes.append(0x0A) }
  }

  /// Writes `<name attributes>text</name>`.
  /// - Throws: `XMLWriterError` (nothing is written).
  public mutating func element(_ name: String, attributes: [(name: String, value: String)] = [], text: String) throws(XMLWriterError) {
    let mark = checkpoint()
    do throws(XMLWriterError) {
      try startElement(name, attributes: attributes)
      try self.text(text)
      endElement()
    } catch {
      rollback(to: mark)
      throw error
    }
  }

  /// Writes escaped character data into the open element.
  /// - Throws: `XMLWriterError` for a character XML 1.0 cannot carry (nothing is written).
  public mutating func text(_ s: String) throws(XMLWriterError) {
    guard !s.isEmpty else { return }
    let field = stack.last?.name ?? ""
    try escape(s, attribute: false, field: field)
    if !stack.isEmpty { stack[stack.count - 1].hasText = true }
  }

  /// Closes the innermost open element (a newline follows the root's end tag).
  public mutating func endElement() {
    guard let top = stack.popLast() else { return }
    if indent && top.hasElements && !top.hasText { newline(depth: stack.count) }
    append("</")
    append(top.name)
    bytes.append(0x3E)
    if stack.isEmpty { bytes.append(0x0A) }
  }

  /// Closes every open element.
  public mutating func endAll() {
    while !stack.isEmpty { endElement() }
  }

  /// Takes the buffered bytes.
  public mutating func take() -> [UInt8] {
    defer {
      taken += bytes.count
      bytes.removeAll(keepingCapacity: true)
    }
    return bytes
  }

  /// Hands the buffered bytes to a sink.
  /// - Throws: the sink's error.
  public mutating func flush(to sink: any ByteSink) throws {
    guard !bytes.isEmpty else { return }
    try bytes.withUnsafeBytes { try sink.write($0) }
    taken += bytes.count
    bytes.removeAll(keepingCapacity: true)
  }

  /// The current position.
  public func checkpoint() -> Checkpoint {
    Checkpoint(byteCount: bytes.count, taken: taken, depth: stack.count, parentHasElements: stack.last?.hasElements ?? false)
  }

  /// Drops what was written since the checkpoint and closes elements opened since. Returns false (doing nothing)
  /// when bytes were taken or flushed since the checkpoint.
  @discardableResult
  public mutating func rollback(to c: Checkpoint) -> Bool {
    guard c.taken == taken, c.byteCount <= bytes.count, c.depth <= stack.count else { return false }
    bytes.removeSubrange(c.byteCount...)
    stack.removeSubrange(c.depth...)
    if !stack.isEmpty { stack[stack.count - 1].hasElements = c.parentHasElements }
    return true
  }

  // MARK: Characters and names

  /// Whether XML 1.0 can carry a character: TAB, LF, CR, U+0020–U+D7FF, U+E000–U+FFFD, U+10000–U+10FFFF.
  public static func isXMLChar(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.value {
    case 0x9, 0xA, 0xD, 0x20...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF: true
    default: false
    }
  }

  /// The first character of a string XML 1.0 cannot carry, if any.
  public static func firstUnwritable(in s: String) -> Unicode.Scalar? {
    s.unicodeScalars.first { !isXMLChar($0) }
  }

  /// Whether a string is an XML name (a QName: `local` or `prefix:local`), checked with XML 1.0's name rules.
  public static func isName(_ s: String) -> Bool {
    var first = true
    var colons = 0
    for u in s.unicodeScalars {
      let v = u.value
      if v == 0x3A {
        colons += 1
        if first || colons > 1 { return false }
        first = true
        continue
      }
      let start =
        (v >= 0x41 && v <= 0x5A) || (v >= 0x61 && v <= 0x7A) || v == 0x5F || (v >= 0xC0 && v <= 0xD6) || (v >= 0xD8 && v <= 0xF6)
        || (v >= 0xF8 && v <= 0x2FF) || (v >= 0x370 && v <= 0x37D) || (v >= 0x37F && v <= 0x1FFF) || (v >= 0x200C && v <= 0x200D)
        || (v >= 0x2070 && v <= 0x218F) || (v >= 0x2C00 && v <= 0x2FEF) || (v >= 0x3001 && v <= 0xD7FF)
        || (v >= 0xF900 && v <= 0xFDCF) || (v >= 0xFDF0 && v <= 0xFFFD) || (v >= 0x10000 && v <= 0xEFFFF)
      if first {
        guard start else { return false }
        first = false
      } else {
        let more = start || v == 0x2D || v == 0x2E || (v >= 0x30 && v <= 0x39) || v == 0xB7 || (v >= 0x300 && v <= 0x36F) || (v >= 0x203F && v <= 0x2040)
        guard more else { return false }
      }
    }
    return !first
  }

  // MARK: Internals

  private mutating func append(_ s: String) { bytes.append(contentsOf: s.utf8) }

  private mutating func newline(depth: Int) {
    bytes.append(0x0A)
    bytes.append(contentsOf: repeatElement(0x20, count: 2 * depth))
  }

  private mutating func openTag(
    _ name: String, namespaces: [(prefix: String?, uri: String)], attributes: [(name: String, value: String)]
  ) throws(XMLWriterError) {
    let mark = bytes.count
    do throws(XMLWriterError) {
      try checkName(name, field: name)
      if let parent = stack.last {
        if indent && !parent.hasText { newline(depth: stack.count) }
        stack[stack.count - 1].hasElements = true
      }
      bytes.append(0x3C)
      append(name)
      for ns in namespaces {
        if let p = ns.prefix {
          try checkName(p, field: name + "/@xmlns:" + p)
          append(" xmlns:" + p + "=\"")
        } else {
          append(" xmlns=\"")
        }
        try escape(ns.uri, attribute: true, field: name + "/@xmlns")
        bytes.append(0x22)
      }
      for a in attributes {
        try checkName(a.name, field: name + "/@" + a.name)
        bytes.append(0x20)
        append(a.name)
        append("=\"")
        try escape(a.value, attribute: true, field: name + "/@" + a.name)
        bytes.append(0x22)
      }
    } catch {
      bytes.removeSubrange(mark...)
      throw error
    }
  }

  private func checkName(_ name: String, field: String) throws(XMLWriterError) {
    guard Self.isName(name) else {
      throw XMLWriterError(rule: "xml.invalid-name", message: "a name that is not an XML name", field: field, scalar: nil)
    }
  }

  /// Appends escaped text; on an unwritable character, removes what it appended and throws.
  private mutating func escape(_ s: String, attribute: Bool, field: String) throws(XMLWriterError) {
    var s = s
    let mark = bytes.count
    let bad: Unicode.Scalar? = s.withUTF8 { buf in
      var run = 0
      var i = 0
      let n = buf.count
      while i < n {
        let b = buf[i]
        if b > 0x3E && b != 0xEF {
          i += 1
          continue
        }
        let replacement: StaticString
        switch b {
        case 0x26: replacement = "&amp;"
        case 0x3C: replacement = "&lt;"
        case 0x3E: replacement = "&gt;"
        case 0x0D: replacement = "&#13;"
        case 0x22 where attribute: replacement = "&quot;"
        case 0x09 where attribute: replacement = "&#9;"
        case 0x0A where attribute: replacement = "&#10;"
        case 0x00..<0x20 where b != 0x09 && b != 0x0A:
          return Unicode.Scalar(b)
        case 0xEF:
          // U+FFFE and U+FFFF are EF BF BE and EF BF BF.
          if i + 2 < n && buf[i + 1] == 0xBF && (buf[i + 2] == 0xBE || buf[i + 2] == 0xBF) {
            return Unicode.Scalar(buf[i + 2] == 0xBE ? 0xFFFE : 0xFFFF)
          }
          i += 1
          continue
        default:
          i += 1
          continue
        }
        bytes.append(contentsOf: UnsafeBufferPointer(rebasing: buf[run..<i]))
        replacement.withUTF8Buffer { bytes.append(contentsOf: $0) }
        i += 1
        run = i
      }
      bytes.append(contentsOf: UnsafeBufferPointer(rebasing: buf[run..<n]))
      return nil
    }
    if let bad {
      bytes.removeSubrange(mark...)
      throw unwritable(bad, field: field)
    }
  }

  private func unwritable(_ scalar: Unicode.Scalar, field: String) -> XMLWriterError {
    XMLWriterError(rule: "xml.unwritable-character", message: "a character XML 1.0 cannot carry (a control character or a noncharacter)", field: field, scalar: scalar)
  }
}
