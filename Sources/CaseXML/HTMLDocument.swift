public import CaseInterchange
import CLibXML2

/// Hardened HTML parsing for provider "records" pages: libxml2's HTML parser on bytes in memory, with no network,
/// no error output and no entity loading, copied into an `XMLElementNode` tree and freed.
public enum HTMLDocument {
  /// Parses an HTML page.
  ///
  /// The tree: element names are lower-case (libxml2's HTML parser folds them), attributes are kept in order,
  /// comments are dropped, and `script`, `style`, `template` and `noscript` elements are dropped with their content.
  /// Unlike XML trees, an HTML element's `text` is its whole text content in document order, descendants included,
  /// with runs of whitespace collapsed to one space and trimmed (a `br` and the bounds of non-inline elements count
  /// as a space): what a table cell
  /// shows. The limits: the page may be at most `maxDocumentBytes` bytes (or `maxRecordBytes` when that is 0),
  /// nested at most `maxDepth` deep.
  /// - Throws: `FormatError` with `html.too-large`, `html.depth-exceeded` or `html.unparseable`.
  public static func parse(bytes: [UInt8], sourceName: String, limits: XMLLimits) throws(FormatError) -> XMLElementNode {
    XMLSecurity.install()
    let cap = limits.maxDocumentBytes > 0 ? limits.maxDocumentBytes : limits.maxRecordBytes
    guard bytes.count <= cap, bytes.count < Int(Int32.max) else {
      throw FormatError(rule: "html.too-large", message: "the HTML page is larger than the limit", location: SourceLocation(source: sourceName, byteLength: bytes.count))
    }
    let options =
      Int32(bitPattern: HTML_PARSE_NONET.rawValue) | Int32(bitPattern: HTML_PARSE_NOERROR.rawValue)
      | Int32(bitPattern: HTML_PARSE_NOWARNING.rawValue) | Int32(bitPattern: HTML_PARSE_NOBLANKS.rawValue)
    // Through a context rather than htmlReadMemory: libxml2 (2.9) keeps line numbers past 65,535 only with
    // XML_PARSE_BIG_LINES in the context's options, which htmlCtxtUseOptions does not carry over.
    let doc: htmlDocPtr? = bytes.withUnsafeBufferPointer { b in
      b.withMemoryRebound(to: CChar.self) { c -> htmlDocPtr? in
        guard let ctxt = htmlCreateMemoryParserCtxt(c.baseAddress, Int32(c.count)) else { return nil }
        defer { htmlFreeParserCtxt(ctxt) }
        _ = htmlCtxtUseOptions(ctxt, options)
        ctxt.pointee.options |= Int32(bitPattern: XML_PARSE_BIG_LINES.rawValue)
        _ = htmlParseDocument(ctxt)
        let doc = ctxt.pointee.myDoc
        ctxt.pointee.myDoc = nil
        return doc
      }
    }
    guard let doc else { throw unparseable(sourceName) }
    defer { xmlFreeDoc(doc) }
    guard let root = xmlDocGetRootElement(doc) else { throw unparseable(sourceName) }
    var copier = HTMLCopier(maxDepth: limits.maxDepth, source: sourceName)
    return try copier.element(root, depth: 1)
  }

  private static func unparseable(_ source: String) -> FormatError {
    FormatError(rule: "html.unparseable", message: "the HTML page cannot be parsed", location: SourceLocation(source: source))
  }
}

private struct HTMLCopier {
  let maxDepth: Int
  let source: String

  static let dropped: Set<String> = ["script", "style", "template", "noscript"]
  /// Inline elements: their text joins the surrounding text without a space.
  static let inline: Set<String> = [
    "a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "dfn", "em", "font", "i", "kbd", "mark", "q", "s", "samp",
    "small", "span", "strong", "sub", "sup", "time", "tt", "u", "var", "wbr",
  ]

  mutating func element(_ node: xmlNodePtr, depth: Int) throws(FormatError) -> XMLElementNode {
    guard depth <= maxDepth else {
      throw FormatError(
        rule: "html.depth-exceeded", message: "HTML elements are nested deeper than the limit",
        location: SourceLocation(source: source, line: Int(xmlGetLineNo(node))))
    }
    var element = XMLElementNode(name: XMLName(lower(node.pointee.name)), line: Int(xmlGetLineNo(node)))
    var a = node.pointee.properties
    while let attr = a {
      var value = ""
      var c = attr.pointee.children
      while let t = c {
        if let content = t.pointee.content { value += String(cString: content) }
        c = t.pointee.next
      }
      element.attributes.append(XMLAttribute(name: XMLName(lower(attr.pointee.name)), value: value))
      a = attr.pointee.next
    }
    var text: [UInt8] = []
    var child = node.pointee.children
    while let c = child {
      switch c.pointee.type {
      case XML_ELEMENT_NODE:
        let name = lower(c.pointee.name)
        if name == "br" {
          text.append(0x20)
        } else if !Self.dropped.contains(name) {
          let sub = try self.element(c, depth: depth + 1)
          let block = !Self.inline.contains(name)
          if block { text.append(0x20) }
          text.append(contentsOf: sub.text.utf8)
          if block { text.append(0x20) }
          element.children.append(sub)
        }
      case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
        if let content = c.pointee.content {
          var p = content
          while p.pointee != 0 {
            text.append(p.pointee)
            p += 1
          }
        }
      default:
        break
      }
      child = c.pointee.next
    }
    element.text = collapse(text)
    return element
  }

  private func lower(_ p: UnsafePointer<xmlChar>?) -> String {
    guard let p else { return "" }
    return String(cString: p).lowercased()
  }

  /// Collapses runs of ASCII whitespace (and NBSP) to one space and trims.
  private func collapse(_ b: [UInt8]) -> String {
    var out: [UInt8] = []
    out.reserveCapacity(b.count)
    var space = false
    var i = 0
    while i < b.count {
      let c = b[i]
      if c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D || c == 0x0C {
        space = true
        i += 1
        continue
      }
      if c == 0xC2 && i + 1 < b.count && b[i + 1] == 0xA0 {
        space = true
        i += 2
        continue
      }
      if space && !out.isEmpty { out.append(0x20) }
      space = false
      out.append(c)
      i += 1
    }
    return String(decoding: out, as: UTF8.self)
  }
}
