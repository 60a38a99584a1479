import CaseXML
import Foundation
#if canImport(FoundationXML)
  import FoundationXML
#endif

/// Element trees from Foundation's XMLParser: an independent parser for the writer's output in tests (trusted
/// input only; RELIABILITY.md §1.4 explains why CaseBridge never reads untrusted XML with it).
final class FoundationTreeBuilder: NSObject, XMLParserDelegate {
  private var stack: [XMLElementNode] = []
  private(set) var root: XMLElementNode?
  private(set) var error: (any Error)?

  static func parse(_ bytes: [UInt8]) -> XMLElementNode? {
    let p = XMLParser(data: Data(bytes))
    p.shouldProcessNamespaces = true
    let b = FoundationTreeBuilder()
    p.delegate = b
    guard p.parse(), b.error == nil else { return nil }
    return b.root
  }

  func parser(
    _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName qName: String?,
    attributes attributeDict: [String: String] = [:]
  ) {
    let attributes = attributeDict.sorted { $0.key < $1.key }.map { XMLAttribute(name: XMLName($0.key), value: $0.value) }
    stack.append(XMLElementNode(
      name: XMLName(elementName, namespace: namespaceURI?.isEmpty == false ? namespaceURI : nil), attributes: attributes,
      line: parser.lineNumber, column: parser.columnNumber))
  }

  func parser(_ parser: XMLParser, foundCharacters string: String) {
    if !stack.isEmpty { stack[stack.count - 1].text += string }
  }

  func parser(_ parser: XMLParser, foundCDATA CDATABlock: Data) {
    if !stack.isEmpty { stack[stack.count - 1].text += String(decoding: CDATABlock, as: UTF8.self) }
  }

  func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {
    let done = stack.removeLast()
    if stack.isEmpty { root = done } else { stack[stack.count - 1].children.append(done) }
  }

  func parser(_ parser: XMLParser, parseErrorOccurred parseError: any Error) { error = parseError }
}
