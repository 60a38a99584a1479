import CaseInterchange
import CaseTestSupport
import Testing
@testable import CaseXML

/// Random mutations of a valid document: the reader never crashes, never hangs, reports only catalogued rules,
/// and whenever libxml2 accepts a mutated document the scanner's spans still tile it and reparse to the records.
@Suite struct XMLMutationTests {
  static let base = Array("""
    <?xml version="1.0"?>
    <!-- c -->
    <Export xmlns:x="urn:x">
      <Incident id="1" a='q"x'><Title>One &amp; &#x41;</Title><x:Note><![CDATA[<b>]]></x:Note></Incident>
      <Incident id="2"/>
      <?pi a?>
      <Incident id="3"><Title>Three</Title><Empty/></Incident>
    </Export>

    """.utf8)

  static let rules: Set<String> = [
    "xml.doctype-forbidden", "xml.entity-forbidden", "xml.xinclude-forbidden", "xml.compressed-input", "xml.depth-exceeded",
    "xml.too-many-elements", "xml.too-many-attributes", "xml.text-too-large", "xml.record-too-large", "xml.too-large", "xml.not-well-formed", "xml.encoding",
    "xml.invalid-character", "xml.empty",
  ]

  @Test func mutationsNeverConfuseTheReader() {
    let seed: UInt64 = 0x5EED
    var rng = SplitMix64(seed: seed)
    let tokens: [[UInt8]] = ["<", ">", "/", "\"", "'", "<!--", "-->", "<![CDATA[", "]]>", "<?", "?>", "&", ";", "\n", "<a>", "</a>", "=", " ", "\u{e9}", "x:"].map { Array($0.utf8) }
    var accepted = 0
    for round in 0..<400 {
      var doc = Self.base
      for _ in 0..<Int.random(in: 1...3, using: &rng) {
        let at = Int.random(in: 0...doc.count, using: &rng)
        switch Int.random(in: 0..<3, using: &rng) {
        case 0: doc.insert(contentsOf: tokens[Int.random(in: 0..<tokens.count, using: &rng)], at: at)
        case 1: if at < doc.count { doc.removeSubrange(at..<min(doc.count, at + Int.random(in: 1...6, using: &rng))) }
        default: if at < doc.count { doc[at] = UInt8.random(in: 0x20...0x7E, using: &rng) }
        }
      }
      let chunk = [1, 3, 64, 1 << 18][round % 4]
      let tree = readAll(doc, chunkSize: chunk)
      let scan = readAll(doc, buildsTree: false, chunkSize: chunk)
      #expect(tree.error?.rule == scan.error?.rule, "seed \(seed) round \(round)")
      if let e = tree.error {
        #expect(Self.rules.contains(e.rule), "seed \(seed) round \(round): \(e)")
        #expect(e.message != "the record's extent cannot be determined", "seed \(seed) round \(round)")
        continue
      }
      accepted += 1
      #expect(tree.records.map(\.span) == scan.records.map(\.span), "seed \(seed) round \(round)")
      for r in tree.records {
        let own = Array(doc[r.span.byteOffset..<(r.span.byteOffset + r.span.byteLength)])
        let again = readAll(own, selector: .root)
        #expect(again.records.first?.element.name == r.element.name, "seed \(seed) round \(round)")
        #expect(again.records.first?.element.children.count == r.element.children.count, "seed \(seed) round \(round)")
      }
    }
    #expect(accepted > 15)
  }
}
