import CaseInterchange
import CaseModel
import CaseTestSupport
import CaseXML
import Foundation
import Testing
@testable import CaseNCMEC

@Suite struct NCMECXMLExportTests {
  /// Entities of a sample as the pipeline would hand them over: derived ids filled in, distinct per input.
  static func imported(_ relative: String, input: Int = 0) -> [Entity] {
    let idFor: @Sendable (Int, Int) -> EntityID = { EntityID("i\(input)r\($0)e\($1)") }
    var e = readNCMEC(path: sample(relative), idFor: idFor).entities
    for k in e.indices where e[k].id.rawValue.isEmpty { e[k].id = idFor(0, k) }
    return e
  }

  /// Canonical facts of an NCMEC document: one line per leaf and attribute, `path=value`, with sibling indices on
  /// every element and presence flags normalised to `true`.
  static func facts(_ text: String) -> [String] {
    let url = makeTemporaryDirectory("facts").appendingPathComponent("d.xml")
    try! Data(text.utf8).write(to: url)
    let file = try! ChunkedFile(path: url.path)
    let reader = try! XMLRecordReader(file: file, sourceName: "d", selector: .root, limits: XMLLimits(), buildsTree: true)
    let root = try! reader.next()!.element
    var out: [String] = []
    func walk(_ e: XMLElementNode, _ path: String, flag: Bool) {
      for a in e.attributes where a.name.namespace == nil { out.append("\(path)/@\(a.name.local)=\(a.value)") }
      if e.children.isEmpty {
        out.append("\(path)=\(flag && e.text.isEmpty ? "true" : e.text)")
        return
      }
      var seen: [String: Int] = [:]
      for c in e.children {
        seen[c.name.local, default: 0] += 1
        let isFlag = ["reportAnnotations", "fileAnnotations"].contains(e.name.local)
        walk(c, "\(path)/\(c.name.local)[\(seen[c.name.local]!)]", flag: isFlag)
      }
    }
    walk(root, root.name.local, flag: false)
    return out
  }

  @Test func reportRoundTripKeepsEveryElement() throws {
    var entities = Self.imported("ncmec/valid/full-report.xml")
    entities += Self.imported("ncmec/valid/full-report-file-1.xml", input: 1)
    entities += Self.imported("ncmec/valid/full-report-file-2.xml", input: 2)
    let (files, warnings) = try exportNCMEC(entities)
    #expect(warnings == [], "an NCMEC import holds nothing NCMEC cannot: \(warnings)")
    #expect(files.keys.sorted() == ["fileDetails-1.xml", "fileDetails-2.xml", "manifest.json", "report.xml"])
    for (source, written) in [
      ("full-report.xml", "report.xml"), ("full-report-file-1.xml", "fileDetails-1.xml"), ("full-report-file-2.xml", "fileDetails-2.xml"),
    ] {
      let original = Self.facts(String(decoding: try readBytes(URL(fileURLWithPath: sample("ncmec/valid/" + source))), as: UTF8.self))
      let back = Self.facts(files[written]!)
      #expect(original.count > 5)
      #expect(back.sorted() == original.sorted(), "\(source): lost \(Set(original).subtracting(back).sorted()), gained \(Set(back).subtracting(original).sorted())")
    }
    #expect(files["report.xml"]!.hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<?casebridge-ncmec reportId=\"90000001\"?>\n<report "))
  }

  @Test func batchedAndMinimalReportsRoundTrip() throws {
    for (report, file) in [("batched-meme-report.xml", "batched-meme-file.xml"), ("minimal-report.xml", nil)] {
      var entities = Self.imported("ncmec/valid/" + report)
      if let file { entities += Self.imported("ncmec/valid/" + file, input: 1) }
      let (files, warnings) = try exportNCMEC(entities)
      #expect(warnings == [])
      let original = Self.facts(String(decoding: try readBytes(URL(fileURLWithPath: sample("ncmec/valid/" + report))), as: UTF8.self))
      #expect(Self.facts(files["report.xml"]!).sorted() == original.sorted(), "\(report)")
      #expect(files["fileDetails-1.xml"] != nil || file == nil)
    }
  }

  @Test func elementsAreInSchemaOrderWithTheSchemaLocation() throws {
    // Entities in an order unlike the schema's: victim before the reporter, the account before its person.
    var person = Person(id: EntityID("p"))
    person.names = [PersonName(given: "Jane", family: "Example")]
    var account = Account(id: EntityID("a"))
    account.holderPersonId = EntityID("p")
    account.accountIdentifier = "u-1"
    account.service = "ExampleChat"
    var kase = Case(id: EntityID("c"))
    kase.offenseTypes = [Category(scheme: "ncmec-incidentType", code: "Child Sex Tourism")]
    var incident = Event(id: EntityID("e"), kind: "incident")
    incident.at = try Timestamp.parseISO8601("2024-05-01T10:00:00+02:00").get()
    let (files, _) = try exportNCMEC([
      .account(account), .roleAssignment(RoleAssignment(id: EntityID("r"), personId: EntityID("p"), role: .victim)),
      .person(person), .event(incident), .caseRecord(kase),
    ])
    let xml = try #require(files["report.xml"])
    #expect(xml.contains("<report xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:noNamespaceSchemaLocation=\"https://report.cybertip.org/ispws/xsd\">"))
    let order = ["<incidentSummary>", "<incidentType>", "<incidentDateTime>2024-05-01T10:00:00+02:00<", "<reporter>", "<victim>", "<victimPerson>", "<espIdentifier>", "<espService>"]
    let positions = order.map { xml.range(of: $0)?.lowerBound }
    #expect(positions.allSatisfy { $0 != nil }, "\(xml)")
    #expect(positions.compactMap { $0 } == positions.compactMap { $0 }.sorted())
    #expect(!xml.contains("casebridge-ncmec"), "no report id, no instruction")
    let manifest = try #require(files["manifest.json"])
    #expect(manifest.contains("\"reportId\":\"0\",\"reportIdPlaceholder\":true"))
  }

  @Test func factsNCMECCannotHoldAreCountedNotWritten() throws {
    var kase = Case(id: EntityID("c"))
    kase.offenseTypes = [Category(scheme: "ncmec-incidentType", code: "Child Sex Tourism"), Category(scheme: "local", code: "X")]
    kase.title = "Title"
    var incident = Event(id: EntityID("e"), kind: "incident")
    incident.at = try Timestamp.parseISO8601("2024-05-01T10:00:00Z").get()
    var lease = IPAssignment(id: EntityID("l"), ip: try IPAddress.parse("198.51.100.9").get())
    lease.leaseStart = incident.at
    var process = LegalProcess(id: EntityID("lp"), kind: .subpoena)
    process.identifier = "GJ-1"
    process.caseId = EntityID("c")
    var agency = Agency(id: EntityID("ag"), name: "Example Agency")
    agency.identifier = "XX0000000"
    kase.agencyId = EntityID("ag")
    var person = Person(id: EntityID("p"))
    person.names = [PersonName(full: "Only A Full Name")]
    person.notes = String(repeating: "n", count: 3001)
    var file = EvidenceFile(id: EntityID("f"))
    file.caseId = EntityID("c")
    file.sizeBytes = 10
    file.annotations = ["viral", "notAnNCMECFlag"]
    let (files, warnings) = try exportNCMEC([
      .caseRecord(kase), .event(incident), .ipAssignment(lease), .legalProcess(process), .agency(agency), .person(person),
      .roleAssignment(RoleAssignment(id: EntityID("r"), personId: EntityID("p"), role: .reportedUser)), .evidenceFile(file),
    ])
    #expect(warnings.contains("1 IP assignments (subscriber records with their lease windows): NCMEC report XML has no element for them"))
    #expect(warnings.contains("1 case titles"))
    #expect(warnings.contains("1 offense types other than the first NCMEC incidentType"))
    #expect(warnings.contains("1 agency identifiers (ORI)"))
    #expect(warnings.contains { $0.hasPrefix("1 legal processes with a kind") })
    #expect(warnings.contains { $0.hasPrefix("1 names given only as one full name") })
    #expect(warnings.contains("1 values longer than NCMEC's documented limits: left out, never truncated"))
    #expect(warnings.contains("1 file sizes"))
    #expect(warnings.contains("1 file annotations NCMEC does not list"))
    let xml = try #require(files["report.xml"])
    #expect(xml.contains("<servedLegalProcessDomestic>true</servedLegalProcessDomestic>"))
    #expect(!xml.contains("nnnn"), "an over-long value is left out, never truncated")
    #expect(files["fileDetails-1.xml"]?.contains("<viral/>") == true)
  }

  @Test func caseWithoutIncidentTypeGetsNoReport() throws {
    let (files, warnings) = try exportNCMEC([.caseRecord(Case(id: EntityID("c")))])
    #expect(files.keys.sorted() == ["manifest.json"])
    #expect(files["manifest.json"]!.contains("\"skippedCases\":[{\"case\":\"c\""))
    #expect(warnings.first?.hasPrefix("1 cases without an NCMEC incidentType") == true)
  }

  @Test func severalCasesGiveNumberedFiles() throws {
    var entities: [Entity] = []
    for n in 1...2 {
      var c = Case(id: EntityID("c\(n)"))
      c.offenseTypes = [Category(scheme: "ncmec-incidentType", code: "Child Sex Tourism")]
      var e = Event(id: EntityID("e\(n)"), kind: "incident")
      e.at = try Timestamp.parseISO8601("2024-05-0\(n)T10:00:00Z").get()
      e.caseId = c.id
      var f = EvidenceFile(id: EntityID("f\(n)"))
      f.caseId = c.id
      entities += [.caseRecord(c), .event(e), .evidenceFile(f)]
    }
    let (files, _) = try exportNCMEC(entities)
    #expect(files.keys.sorted() == ["fileDetails-1-1.xml", "fileDetails-2-1.xml", "manifest.json", "report-1.xml", "report-2.xml"])
    #expect(files["report-2.xml"]!.contains("2024-05-02T10:00:00Z"))
    #expect(files["fileDetails-2-1.xml"]!.contains("<fileId>PLACEHOLDER-FILE-2-1</fileId>"))
  }

  @Test func escapingAndRollback() throws {
    var kase = Case(id: EntityID("c"))
    kase.offenseTypes = [Category(scheme: "ncmec-incidentType", code: "Child Sex Tourism")]
    kase.caseNumber = "A&B <1>"
    kase.agencyId = EntityID("ag")
    var incident = Event(id: EntityID("e"), kind: "incident")
    incident.at = try Timestamp.parseISO8601("2024-05-01T10:00:00Z").get()
    incident.description = "line one\r\nline \"two\"\u{1}"
    let dir = MemoryByteSinkDirectory()
    var w = NCMECExportWriter(directory: dir)
    try w.write([.caseRecord(kase), .event(incident), .agency(Agency(id: EntityID("ag"), name: "Agency & Co"))])
    let checkpoint = w.checkpoint
    try w.write([.caseRecord(Case(id: EntityID("later")))])
    w.rollback(to: checkpoint)
    #expect(w.count == 3)
    try w.finish()
    let xml = String(decoding: dir.files.first { $0.name == "report.xml" }!.sink.bytes, as: UTF8.self)
    #expect(xml.contains("<caseNumber>A&amp;B &lt;1&gt;</caseNumber>"))
    #expect(xml.contains("<agencyName>Agency &amp; Co</agencyName>"))
    #expect(!xml.contains("line one"), "U+0001 cannot be written in XML 1.0: the value is left out")
    #expect(w.writerWarnings.contains("1 values holding characters XML 1.0 cannot carry: left out"))
    #expect(w.counts["report.xml"] == 3)
    #expect(!dir.files.contains { $0.name.contains("report-") })
  }

  @Test func dateTimesKeepTheirOffset() throws {
    #expect(NCMECTreeBuilder.dateTime(try Timestamp.parseISO8601("2024-02-11T09:03:00.5-05:00").get()) == "2024-02-11T09:03:00.5-05:00")
    let shifted = Timestamp(instant: Instant(seconds: 1_707_660_180), originalText: "02/11/2024 9:03 AM", originalOffsetSeconds: -18000, zoneIdentifier: "America/New_York")
    #expect(NCMECTreeBuilder.dateTime(shifted) == "2024-02-11T09:03:00-05:00")
    let utc = Timestamp(instant: Instant(seconds: 1_707_660_180), originalText: "1707660180", originalOffsetSeconds: nil, zoneIdentifier: nil)
    #expect(NCMECTreeBuilder.dateTime(utc) == "2024-02-11T14:03:00Z")
  }
}
