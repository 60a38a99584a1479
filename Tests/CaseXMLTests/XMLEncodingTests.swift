import CaseInterchange
import CaseTestSupport
import Testing
@testable import CaseXML

@Suite struct XMLEncodingTests {
  static let body = "<Export><Incident id=\"1\"><Title>Caf\u{e9}</Title></Incident></Export>\n"

  @Test func declaredLatin1IsDecoded() throws {
    let bytes = Array("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<Export><Incident><Title>Caf".utf8) + [0xE9] + Array("</Title></Incident></Export>\n".utf8)
    let r = readAll(bytes)
    #expect(r.error == nil)
    #expect(r.records.first?.element.child("Title")?.text == "Caf\u{e9}")
  }

  @Test func unknownDeclaredEncoding() {
    let r = readAll(Array(("<?xml version=\"1.0\" encoding=\"x-no-such-charset\"?>\n" + Self.body).utf8))
    #expect(r.error?.rule == "xml.encoding")
  }

  @Test func declaredUTF16OnSingleByteInput() {
    let r = readAll(Array(("<?xml version=\"1.0\" encoding=\"UTF-16\"?>\n" + Self.body).utf8))
    // libxml2 ignores a UTF-16 declaration on 8-bit input it has already sniffed as ASCII-compatible: the
    // document either reads as UTF-8 or is refused; it is never misread.
    if let e = r.error { #expect(e.rule == "xml.encoding") } else { #expect(r.records.first?.element.child("Title")?.text == "Caf\u{e9}") }
  }

  @Test func utf16WithoutBOM() {
    for le in [true, false] {
      let units = Array(("<?xml version=\"1.0\" encoding=\"UTF-16\"?>\n" + Self.body).utf16)
      let bytes = units.flatMap { u in le ? [UInt8(u & 0xFF), UInt8(u >> 8)] : [UInt8(u >> 8), UInt8(u & 0xFF)] }
      let r = readAll(bytes)
      #expect(r.error == nil, "\(String(describing: r.error))")
      #expect(r.records.first?.element.child("Title")?.text == "Caf\u{e9}")
      #expect(r.records.first?.span == SourceSpan(byteOffset: 2 * 48, byteLength: 2 * 47, line: 2, column: 9))
    }
  }

  @Test func utf8BOMAndDeclarationMismatchWithUTF16BOM() {
    let withBOM = [0xEF, 0xBB, 0xBF] + Array(Self.body.utf8)
    let ok = readAll(withBOM)
    #expect(ok.error == nil)
    #expect(ok.records.first?.span.byteOffset == 11)
    #expect(ok.records.first?.span.column == 9)
    // A UTF-16 byte order mark with a UTF-8 declaration: libxml2 follows the mark.
    let units = Array(("<?xml version=\"1.0\" encoding=\"UTF-8\"?>" + Self.body).utf16)
    let bytes: [UInt8] = [0xFF, 0xFE] + units.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
    let r = readAll(bytes)
    if let e = r.error { #expect(e.rule == "xml.encoding") } else { #expect(r.records.count == 1) }
  }

  @Test func utf32AndEBCDICAreRefused() {
    #expect(readAll([0x00, 0x00, 0xFE, 0xFF, 0, 0, 0, 0x3C]).error?.rule == "xml.encoding")
    #expect(readAll([0x4C, 0x6F, 0xA7, 0x94, 0x93]).error?.rule == "xml.encoding")
  }

  @Test func invalidUTF8() {
    for bad: [UInt8] in [[0xC3], [0xFF], [0xC0, 0xAF]] {
      let bytes = Array("<Export><Incident>".utf8) + bad + Array("</Incident></Export>".utf8)
      #expect(readAll(bytes).error?.rule == "xml.encoding", "\(bad)")
    }
    // An encoded surrogate decodes (libxml2 is lenient there) to a character XML does not allow.
    let surrogate = Array("<Export><Incident>".utf8) + [0xED, 0xA0, 0x80] + Array("</Incident></Export>".utf8)
    #expect(readAll(surrogate).error?.rule == "xml.invalid-character")
  }
}
