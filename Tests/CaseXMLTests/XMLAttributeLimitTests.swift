import CaseInterchange
import CaseTestSupport
import Testing
@testable import CaseXML

/// The structure scanner's attribute cap (`xml.too-many-attributes`, 256 per element): counted at each value's
/// opening quote, single or double, in UTF-8 and UTF-16, whatever the chunking; located at the element's `<`.
@Suite struct XMLAttributeLimitTests {
  static func doc(_ n: Int, quote: String = "\"") -> String {
    let a = (0..<n).map { "a\($0)=\(quote)v\(quote)" }.joined(separator: " ")
    return "<?xml version=\"1.0\"?>\n<Export>\n  <Incident \(a)/>\n</Export>\n"
  }

  @Test func atTheLimitReadsAndAboveIsRefusedAtTheElement() {
    for chunk in [1, 7, 1 << 18] {
      for quote in ["\"", "'"] {
        let ok = readAll(Array(Self.doc(256, quote: quote).utf8), chunkSize: chunk)
        #expect(ok.error == nil, "chunk \(chunk): \(String(describing: ok.error))")
        #expect(ok.records.first?.element.attributes.count == 256)
        for buildsTree in [true, false] {
          let over = readAll(Array(Self.doc(257, quote: quote).utf8), buildsTree: buildsTree, chunkSize: chunk)
          #expect(over.error?.rule == "xml.too-many-attributes", "chunk \(chunk): \(String(describing: over.error))")
          #expect(over.error?.location.line == 3 && over.error?.location.column == 3)
          #expect(over.error?.location.byteOffset == 33)
        }
      }
    }
  }

  @Test func namespaceDeclarationsCountAndUTF16IsCounted() {
    let ns = (0..<300).map { "xmlns:p\($0)=\"urn:x:\($0)\"" }.joined(separator: " ")
    let r = readAll(Array("<?xml version=\"1.0\"?>\n<Export \(ns)/>\n".utf8))
    #expect(r.error?.rule == "xml.too-many-attributes")
    var utf16: [UInt8] = [0xFF, 0xFE]
    for u in Self.doc(300).utf16 { utf16 += [UInt8(u & 0xFF), UInt8(u >> 8)] }
    #expect(readAll(utf16, chunkSize: 5).error?.rule == "xml.too-many-attributes")
  }

  @Test func theLimitIsAdjustable() {
    var limits = XMLLimits()
    limits.maxAttributes = 2
    #expect(readAll(Array(Self.doc(3).utf8), limits: limits).error?.rule == "xml.too-many-attributes")
    #expect(readAll(Array(Self.doc(2).utf8), limits: limits).error == nil)
    #expect(XMLLimits.defaultMaxAttributes == 256)
  }

  /// `--max-depth` once sized an array up front (1e9 levels: 7.8 GB); levels are now added as elements open.
  @Test func aHugeDepthLimitAllocatesNothingUpFront() {
    var limits = XMLLimits()
    limits.maxDepth = 1 << 40
    let r = readAll(Array("<?xml version=\"1.0\"?>\n<Export><a><b><c>x</c></b></a></Export>\n".utf8), limits: limits)
    #expect(r.error == nil)
    #expect(r.records.count == 1)
  }
}
