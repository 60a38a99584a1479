/// An element of an NCMEC document being written: children are added in any order and sorted into the schema's
/// sequence order before serialising, so the order is right by construction.
final class NCMECElement {
  let name: String
  /// The element's type in ``NCMECSchema/types``.
  let type: String
  var attributes: [(String, String)] = []
  var children: [NCMECElement] = []
  var text: String?

  init(_ name: String, type: String) {
    self.name = name
    self.type = type
  }

  var schemaType: NCMECSchema.ElementType? { NCMECSchema.types[type] }

  /// Whether the element holds nothing (no text, attributes or children).
  var isEmpty: Bool { (text ?? "").isEmpty && attributes.isEmpty && children.isEmpty }

  /// The children with a name.
  func children(_ name: String) -> [NCMECElement] { children.filter { $0.name == name } }
  /// The first child with a name.
  func child(_ name: String) -> NCMECElement? { children.first { $0.name == name } }
  /// An attribute's value.
  func attribute(_ name: String) -> String? { attributes.first { $0.0 == name }?.1 }

  /// Sorts the subtree into schema sequence order (stable: repeated elements keep their order).
  func sortIntoSchemaOrder() {
    if let t = schemaType {
      children = children.enumerated().sorted { a, b in
        let (oa, ob) = (t.order(of: a.element.name), t.order(of: b.element.name))
        return oa != ob ? oa < ob : a.offset < b.offset
      }.map(\.element)
    }
    for c in children { c.sortIntoSchemaOrder() }
  }

  // MARK: serialising

  /// The element as indented XML (two spaces per level), ending with a newline.
  func serialize(into out: inout [UInt8], depth: Int = 0) {
    out.append(contentsOf: repeatElement(0x20, count: depth * 2))
    out.append(0x3C)
    out.append(contentsOf: name.utf8)
    for (k, v) in attributes {
      out.append(0x20)
      out.append(contentsOf: k.utf8)
      out.append(contentsOf: "=\"".utf8)
      xmlEscape(v, attribute: true, into: &out)
      out.append(0x22)
    }
    if let text, !text.isEmpty {
      out.append(0x3E)
      xmlEscape(text, attribute: false, into: &out)
      closeTag(&out)
    } else if children.isEmpty {
      out.append(contentsOf: "/>\n".utf8)
    } else {
      out.append(contentsOf: ">\n".utf8)
      for c in children { c.serialize(into: &out, depth: depth + 1) }
      out.append(contentsOf: repeatElement(0x20, count: depth * 2))
      closeTag(&out)
    }
  }

  private func closeTag(_ out: inout [UInt8]) {
    out.append(contentsOf: "</".utf8)
    out.append(contentsOf: name.utf8)
    out.append(contentsOf: ">\n".utf8)
  }
}

/// Whether XML 1.0 can hold a string: no C0 controls other than TAB, LF and CR, no U+FFFE or U+FFFF.
func isXMLWritable(_ s: String) -> Bool {
  !s.unicodeScalars.contains { u in
    (u.value < 0x20 && u.value != 0x09 && u.value != 0x0A && u.value != 0x0D) || u.value == 0xFFFE || u.value == 0xFFFF
  }
}

/// Escapes text or an attribute value. CR is written as a character reference so it survives parsing; in
/// attributes TAB and LF are too (attribute-value normalisation would turn them into spaces).
func xmlEscape(_ s: String, attribute: Bool, into out: inout [UInt8]) {
  for b in s.utf8 {
    switch b {
    case 0x26: out.append(contentsOf: "&amp;".utf8)
    case 0x3C: out.append(contentsOf: "&lt;".utf8)
    case 0x3E: out.append(contentsOf: "&gt;".utf8)
    case 0x0D: out.append(contentsOf: "&#13;".utf8)
    case 0x22 where attribute: out.append(contentsOf: "&quot;".utf8)
    case 0x09 where attribute: out.append(contentsOf: "&#9;".utf8)
    case 0x0A where attribute: out.append(contentsOf: "&#10;".utf8)
    default: out.append(b)
    }
  }
}
