import CaseInterchange
import CaseTestSupport
import Foundation
import Testing
@testable import CaseXML

@Suite struct HTMLDocumentTests {
  static let page = """
    <!DOCTYPE html>
    <html><head><title>Records</title><script>var secret = "<td>not data</td>";</script><style>td{}</style></head>
    <BODY>
    <table id="records">
      <tr><th>Account</th><th>IP</th></tr>
      <tr><TD class="acct">jane.example@example.com</td><td>192.0.2.10<br>198.51.100.7</td></tr>
      <tr><td>Testy <b>Mc</b>Testface &amp; co&nbsp;&lt;x&gt;</td><td>2001:db8::1
    </table>
    <!-- comment -->
    </body></html>
    """

  @Test func parsesIntoALowerCasedTree() throws {
    let root = try HTMLDocument.parse(bytes: Array(Self.page.utf8), sourceName: "records.html", limits: XMLLimits())
    #expect(root.name.local == "html")
    let body = try #require(root.child("body"))
    let table = try #require(body.child("table"))
    #expect(table.attribute("id") == "records")
    let rows = table.children("tbody").first?.children("tr") ?? table.children("tr")
    #expect(rows.count == 3)
    #expect(rows[1].children("td").first?.attribute("class") == "acct")
    #expect(rows[1].children("td").map(\.text) == ["jane.example@example.com", "192.0.2.10 198.51.100.7"])
    #expect(rows[2].children("td").map(\.text) == ["Testy McTestface & co <x>", "2001:db8::1"])
    #expect(root.child("head")?.children.map(\.name.local) == ["title"])
    #expect(!root.text.contains("secret"))
  }

  @Test func limits() {
    var limits = XMLLimits()
    limits.maxDocumentBytes = 100
    #expect(throws: FormatError.self) { try HTMLDocument.parse(bytes: Array(Self.page.utf8), sourceName: "p.html", limits: limits) }
    limits = XMLLimits()
    limits.maxDepth = 20
    let deep = Array((String(repeating: "<div>", count: 5000) + "x").utf8)
    do {
      _ = try HTMLDocument.parse(bytes: deep, sourceName: "p.html", limits: limits)
      Issue.record("no error")
    } catch {
      #expect(error.rule == "html.depth-exceeded")
    }
  }

  @Test func entityDeclarationsDoNothing() throws {
    let canary = canaryFile()
    let page = "<!DOCTYPE html [<!ENTITY xxe SYSTEM \"file://\(canary.path)\">]><html><body><p>&xxe;</p></body></html>"
    let root = try HTMLDocument.parse(bytes: Array(page.utf8), sourceName: "p.html", limits: XMLLimits())
    #expect(root.child("body")?.child("p") != nil)
    #expect(!allText(root).contains(canary.secret))
  }
}

/// Every text of a tree.
func allText(_ e: XMLElementNode) -> String { e.text + e.attributes.map(\.value).joined() + e.children.map(allText).joined() }
