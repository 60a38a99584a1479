import CaseBridge
import CaseTestSupport
@testable import CaseXML
import Foundation
import Testing

/// The XSD, the naming table and the Swift tables stay in step; the writer's output validates and maps back to
/// the same entities.
@Suite struct CaseBridgeXMLFormatTests {
  @Test func generatedXSDAndTablesAreUpToDate() throws {
    guard let (status, output) = try CBX.run(["python3", Repo.root.appendingPathComponent("scripts/gen_casebridge_xsd.py").path, "--check", Repo.root.path]) else { return }
    #expect(status == 0, "\(output)")
    #expect(output.contains("up to date"))
  }

  @Test func embeddedXSDIsTheCommittedFile() throws {
    #expect(CaseBridgeXMLFormat.xsd == (try readBytes(CBX.xsdURL)))
  }

  @Test func namingTableMatchesTheSwiftTables() throws {
    // Every (entity or type, key) → element pair of the naming table is in the Swift tables, and nothing else.
    guard case .object(let names) = try JSONParser().parse(readBytes(Repo.schemas.appendingPathComponent("xml/casebridge-case-1.0.names.json"))),
      case .object(let entities)? = names["entities"], case .object(let types)? = names["types"], case .object(let common)? = names["common"]
    else { Issue.record("naming table shape"); return }
    var expected: Set<String> = []
    for m in entities.members {
      guard case .object(let spec) = m.value, case .object(let members)? = spec["members"], case .string(let el)? = spec["element"] else { continue }
      expected.insert("\(m.key)=\(el)")
      for x in members.members { if case .string(let e) = x.value { expected.insert("\(m.key).\(x.key)=\(e)") } }
      for x in common.members { if case .string(let e) = x.value { expected.insert("\(m.key).\(x.key)=\(e)") } }
    }
    for t in types.members {
      guard case .object(let members) = t.value else { continue }
      for x in members.members { if case .string(let e) = x.value { expected.insert("\(t.key).\(x.key)=\(e)") } }
    }
    var actual: Set<String> = []
    for t in CaseBridgeXMLFormat.tables.types {
      if let e = t.element { actual.insert("\(t.name)=\(e)") }
      for m in t.members { actual.insert("\(t.name).\(m.key)=\(m.element)") }
    }
    #expect(actual == expected)
  }

  @Test func everyEntityTypeHasAGlobalElementInTheXSD() throws {
    let xsd = String(decoding: CaseBridgeXMLFormat.xsd, as: UTF8.self)
    for t in EntityType.allCases {
      let i = try #require(CaseBridgeXMLFormat.tables.entityByName[t.rawValue], "\(t)")
      let el = try #require(CaseBridgeXMLFormat.tables.types[i].element)
      #expect(xsd.contains("\n  <xs:element name=\"\(el)\" type=\"\(el)Type\"/>\n"), "\(el)")
    }
    #expect(xsd.contains("targetNamespace=\"urn:casebridge:xml:case:1.0\""))
    #expect(xsd.contains("elementFormDefault=\"qualified\""))
    #expect(!xsd.contains("xs:include") && !xsd.contains("xs:import"))
  }

  @Test func patternsMatchAsXSDWould() {
    let timestamp = XMLPattern("[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,9})?(Z|[+\\-][0-9]{2}:[0-9]{2})")
    for ok in ["2024-02-11T20:15:09Z", "2024-02-11T20:15:09.123456789+05:30", "2024-02-11T20:15:09-00:00"] {
      #expect(timestamp.matches(ok), "\(ok)")
    }
    for bad in ["2024-02-11T20:15:09", "2024-02-11T20:15:09.Z", "2024-02-11T20:15:09.1234567890Z", "2024-02-11 20:15:09Z", "2024-02-11T20:15:09z", "x2024-02-11T20:15:09Z", "2024-02-11T20:15:09Zx", "２０２４-02-11T20:15:09Z"] {
      #expect(!timestamp.matches(bad), "\(bad)")
    }
    let hex = XMLPattern("[0-9a-f]+")
    #expect(hex.matches("0a") && !hex.matches("") && !hex.matches("0A"))
    let alt = XMLPattern("true|false")
    #expect(alt.matches("true") && alt.matches("false") && !alt.matches("truefalse") && !alt.matches("1"))
    let country = XMLPattern("[A-Z0-9]{2}")
    #expect(country.matches("US") && country.matches("Q1") && !country.matches("USA") && !country.matches("us"))
    // Every pattern of the tables compiles (a new JSON Schema pattern outside the supported subset fails here).
    var patterns = 0
    for t in CaseBridgeXMLFormat.tables.types {
      for m in t.members {
        switch m.kind {
        case .value(let f): patterns += f.pattern == nil ? 0 : 1
        case .attributed(_, let f, let a): patterns += (f.pattern == nil ? 0 : 1) + a.filter { $0.1.pattern != nil }.count
        case .object: break
        }
      }
    }
    #expect(patterns > 20)
  }

  @Test(arguments: [UInt64(1), 2, 3])
  func patternsAgreeWithSwiftRegex(seed: UInt64) throws {
    // The NFA matcher and the standard library's regex engine agree on every pattern of the tables, over valid
    // values, one-character mutations of them and random strings.
    var patterns: Set<String> = []
    for t in CaseBridgeXMLFormat.tables.types {
      for m in t.members {
        switch m.kind {
        case .value(let f): if let p = f.pattern { patterns.insert(p.source) }
        case .attributed(_, let f, let a):
          if let p = f.pattern { patterns.insert(p.source) }
          for (_, af) in a { if let p = af.pattern { patterns.insert(p.source) } }
        case .object: break
        }
      }
    }
    let seeds = ["2024-02-11T20:15:09Z", "2024-02-11T20:15:09.123+05:30", "-05:00", "Z", "1990-05-17", "US", "VA", "0a1b", String(repeating: "ab", count: 32)]
    let alphabet = Array("0123456789-+:.TZzafAFUS \u{FF10}")
    var rng = SplitMix64(seed: seed)
    var checked = 0
    for source in patterns.sorted() {
      let mine = XMLPattern(source)
      let reference = try Regex(source)
      var inputs = seeds
      for s in seeds {
        for _ in 0..<20 {
          var chars = Array(s)
          let i = chars.isEmpty ? 0 : Int(rng.next() % UInt64(chars.count))
          switch rng.next() % 3 {
          case 0 where !chars.isEmpty: chars[i] = alphabet[Int(rng.next() % UInt64(alphabet.count))]
          case 1: chars.insert(alphabet[Int(rng.next() % UInt64(alphabet.count))], at: i)
          default: if !chars.isEmpty { chars.remove(at: i) }
          }
          inputs.append(String(chars))
        }
      }
      for _ in 0..<100 {
        inputs.append(String((0..<Int(rng.next() % 12)).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] }))
      }
      for text in inputs {
        #expect(mine.matches(text) == ((try? reference.wholeMatch(in: text)) != nil), "seed \(seed): \(source) on \(text)")
        checked += 1
      }
    }
    #expect(checked > 1000)
  }

  // MARK: writing

  static let jsonlSamples = ["jsonl/valid/case-0001.jsonl", "xml/roundtrip/all-fields.jsonl"]

  @Test(arguments: jsonlSamples)
  func writerOutputValidatesAgainstTheXSD(_ relative: String) throws {
    let xml = try CBX.write(try CBX.entities(relative))
    guard let (status, output) = try CBX.xmllint([xml]) else { return }
    #expect(status == 0, "\(output)")
  }

  @Test(arguments: jsonlSamples)
  func writerOutputMapsBackToTheSameEntities(_ relative: String) throws {
    let entities = try CBX.entities(relative)
    let xml = try CBX.write(entities)
    let (root, records) = try CBX.elements(xml)
    #expect(root.name.local == "CaseBundle" && root.name.namespace == CaseBridgeXMLFormat.namespace)
    #expect(root.attribute("casebridgeVersion") == "1.0")
    #expect(records.count == entities.count)
    for (e, element) in zip(entities, records) {
      let mapped = CaseBridgeXMLMapping.read(element)
      #expect(mapped.problems.isEmpty, "\(mapped.problems)")
      let (back, unknown) = try JSONValueDecoder().decode(Entity.self, from: mapped.json)
      #expect(unknown.isEmpty)
      #expect(CBX.canonical(back) == CBX.canonical(e), "\(e.type) \(e.id.rawValue)")
    }
  }

  @Test func everyTableMemberAppearsInTheAllFieldsSample() throws {
    // The all-fields sample exercises every element and attribute of the XSD (so xmllint checks them all).
    let xml = String(decoding: try CBX.write(try CBX.entities("xml/roundtrip/all-fields.jsonl")), as: UTF8.self)
    for t in CaseBridgeXMLFormat.tables.types {
      if let e = t.element { #expect(xml.contains("<\(e) id=\""), "\(e)") }
      for m in t.members {
        #expect(xml.contains("<\(m.element)>") || xml.contains("<\(m.element) ") || xml.contains("<\(m.element)/>"), "\(t.name).\(m.key)")
      }
    }
    for a in ["original=\"", "offset=\"", "zone=\""] { #expect(xml.contains(a), "\(a)") }
  }

  @Test func outputIsDeterministicAndIndented() throws {
    let entities = try CBX.entities("jsonl/valid/case-0001.jsonl")
    let a = try CBX.write(entities)
    #expect(a == (try CBX.write(entities)))
    let text = String(decoding: a, as: UTF8.self)
    #expect(text.hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<CaseBundle xmlns=\"urn:casebridge:xml:case:1.0\" casebridgeVersion=\"1.0\">\n  <Case id=\"36a918b3-a5f9-5d64-a789-47fe116162b6\">\n    <CaseNumberID>EXAMPLE-2024-0001</CaseNumberID>\n"))
    #expect(text.contains("\n    <ObservationDateTime original=\"2024-02-11T09:03:00-05:00\" offset=\"-05:00\">2024-02-11T14:03:00Z</ObservationDateTime>\n"))
    #expect(text.contains("\n    <IPAddress original=\"2001:DB8:0:0:0:0:0:1\">2001:db8::1</IPAddress>\n"))
    #expect(text.hasSuffix("  </Event>\n</CaseBundle>\n"))
    let empty = try CBX.write([])
    #expect(String(decoding: empty, as: UTF8.self) == "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<CaseBundle xmlns=\"urn:casebridge:xml:case:1.0\" casebridgeVersion=\"1.0\"></CaseBundle>\n")
    guard let (status, output) = try CBX.xmllint([empty]) else { return }
    #expect(status == 0, "\(output)")
  }

  @Test func textIsEscapedAndWhitespaceSurvives() throws {
    var p = Person(id: EntityID("p-1"))
    p.notes = "a & b < c > d ]]> \"q\" 'a'\r\n\ttab  "
    p.extras = [ExtraField(name: "k", value: " \n ")]
    let t = Timestamp(
      instant: Instant.parseUTC("2024-01-01T00:00:00Z")!, originalText: "1 Jan 2024\t00:00\r\n\"UTC\" & <more>",
      originalOffsetSeconds: nil, zoneIdentifier: nil)
    var ev = Event(id: EntityID("e-1"), kind: "k")
    ev.at = t
    let xml = try CBX.write([.person(p), .event(ev)])
    let text = String(decoding: xml, as: UTF8.self)
    #expect(text.contains("<PersonNotesText>a &amp; b &lt; c &gt; d ]]&gt; \"q\" 'a'&#13;\n\ttab  </PersonNotesText>"))
    #expect(text.contains("original=\"1 Jan 2024&#9;00:00&#13;&#10;&quot;UTC&quot; &amp; &lt;more&gt;\""))
    let records = try CBX.elements(xml).records
    #expect(records.count == 2)
    for (e, el) in zip([Entity.person(p), .event(ev)], records) {
      let (back, _) = try JSONValueDecoder().decode(Entity.self, from: CaseBridgeXMLMapping.read(el).json)
      #expect(CBX.canonical(back) == CBX.canonical(e))
    }
    guard let (status, output) = try CBX.xmllint([xml]) else { return }
    #expect(status == 0, "\(output)")
  }

  @Test func valuesTheXSDCannotCarryAreRefusedBeforeAnythingIsWritten() throws {
    var control = Person(id: EntityID("p"))
    control.extras = [ExtraField(name: "x", value: "bell\u{07}")]
    var nonCharacter = Person(id: EntityID("p"))
    nonCharacter.notes = "\u{FFFE}"
    var emptyRef = RoleAssignment(id: EntityID("r"), personId: EntityID(""), role: .victim)
    emptyRef.caseId = nil
    var negative = EvidenceFile(id: EntityID("f"))
    negative.sizeBytes = -1
    var yearZero = Event(id: EntityID("e"), kind: "k")
    yearZero.at = try Timestamp.parseISO8601("0001-01-01T00:30:00+01:00").get()
    var badProvenance = Agency(id: EntityID("a"), name: "A")
    badProvenance.provenance = [Provenance(sourceFormat: "csv", sourceSha256: "ABC")]
    let cases: [(Entity, String, String)] = [
      (.person(control), "Person/Extra/ExtraValueText", "U+0007"),
      (.person(nonCharacter), "Person/PersonNotesText", "U+FFFE"),
      (.roleAssignment(emptyRef), "RoleAssignment/RolePersonID", "shorter than 1"),
      (.evidenceFile(negative), "EvidenceFile/FileSizeByteQuantity", "minimum 0"),
      (.event(yearZero), "Event/EventDateTime", "year 0000"),
      (.agency(badProvenance), "Agency/Provenance/SourceSHA256Text", "pattern"),
    ]
    for (entity, path, message) in cases {
      let sink = MemoryByteSink()
      var w = CaseBridgeXMLWriter(sink: sink)
      try w.write([.person(Person(id: EntityID("ok")))])
      let before = w.count
      #expect {
        try w.write([.person(Person(id: EntityID("also-ok"))), entity])
      } throws: { error in
        guard let e = error as? FormatError else { return false }
        #expect(e.rule == (message.hasPrefix("U+") ? "xml.unwritable-character" : "xml.unwritable"))
        #expect(e.location.field == path, "\(e)")
        #expect(e.message.contains(message), "\(e.message)")
        return true
      }
      #expect(w.count == before)
      try w.finish()
      let text = String(decoding: sink.bytes, as: UTF8.self)
      #expect(text.contains("id=\"ok\"") && !text.contains("also-ok"))
    }
  }

  // MARK: reading (the mapping alone)

  static func element(_ xml: String) throws -> XMLElementNode {
    let doc = "<CaseBundle xmlns=\"urn:casebridge:xml:case:1.0\" casebridgeVersion=\"1.0\">\(xml)</CaseBundle>"
    return try #require(try CBX.elements(Array(doc.utf8), validating: false).records.first)
  }

  @Test func typedTextIsTrimmedAsTheValidatorTrimsIt() throws {
    let e = try Self.element("<IPObservation id=\"o\"><IPAddress> 192.0.2.1</IPAddress><IPPortNumber>\n 443 </IPPortNumber><ObservationDateTime> 2024-01-01T00:00:00Z\n</ObservationDateTime><PossibleProxyIndicator> true </PossibleProxyIndicator></IPObservation>")
    let m = CaseBridgeXMLMapping.read(e)
    #expect(m.problems.isEmpty)
    var w = JSONWriter()
    w.write(m.json)
    #expect(String(decoding: w.bytes, as: UTF8.self) == #"{"type":"ipObservation","id":"o","ip":" 192.0.2.1","port":443,"observedAt":"2024-01-01T00:00:00Z","possibleProxy":true}"#)
    // Strings are kept exactly: the strict IP parser, not the mapping, rejects the space.
    guard case .object(let o) = m.json else { return }
    #expect(throws: JSONFieldError.self) { try JSONValueDecoder().decode(Entity.self, from: .object(o)) }
  }

  @Test func attributesSelectTheObjectForm() throws {
    let plain = CaseBridgeXMLMapping.read(try Self.element("<Event id=\"e\"><EventCategoryText>k</EventCategoryText><EventDateTime>2024-01-01T00:00:00Z</EventDateTime></Event>"))
    let zoned = CaseBridgeXMLMapping.read(try Self.element("<Event id=\"e\"><EventCategoryText>k</EventCategoryText><EventDateTime zone=\"Europe/Paris\" original=\"2024-01-01 01:00\">2024-01-01T00:00:00Z</EventDateTime></Event>"))
    var a = JSONWriter()
    a.write(plain.json)
    var b = JSONWriter()
    b.write(zoned.json)
    #expect(String(decoding: a.bytes, as: UTF8.self) == #"{"type":"event","id":"e","kind":"k","at":"2024-01-01T00:00:00Z"}"#)
    // Attributes come out in canonical order (utc, original, offset, zone), whatever their order in the document.
    #expect(String(decoding: b.bytes, as: UTF8.self) == #"{"type":"event","id":"e","kind":"k","at":{"utc":"2024-01-01T00:00:00Z","original":"2024-01-01 01:00","zone":"Europe/Paris"}}"#)
    #expect(zoned.origins.contains { $0.pointer == "/at/zone" && $0.field == "Event/EventDateTime/@zone" })
  }

  @Test func contentOutsideTheFormatIsReportedNotDropped() throws {
    let e = try Self.element("<Person id=\"p\" colour=\"blue\">stray<PersonName><PersonGivenName x=\"1\">A</PersonGivenName><Nickname>B</Nickname></PersonName><PersonBirthDate>2000-01-01</PersonBirthDate><PersonBirthDate>2000-01-02</PersonBirthDate><PersonBirthDate>2000-01-03</PersonBirthDate><Other xmlns=\"urn:other\"/></Person>")
    let m = CaseBridgeXMLMapping.read(e)
    #expect(m.problems.map(\.path) == ["Person/@colour", "Person", "Person/PersonName/PersonGivenName/@x", "Person/PersonName/Nickname", "Person/PersonBirthDate[2]", "Person/PersonBirthDate[3]", "Person/Other"])
    let notEntity = CaseBridgeXMLMapping.read(try Self.element("<Suspect id=\"s\"/>"))
    #expect(notEntity.problems.count == 1)
  }

  @Test func originsNameElementPathsAndLines() throws {
    let xml = try CBX.write(try CBX.entities("jsonl/valid/case-0001.jsonl"))
    let records = try CBX.elements(xml).records
    let person = CaseBridgeXMLMapping.read(records[3])
    let given = try #require(person.origins.first { $0.pointer == "/names/0/given" })
    #expect(given.field == "Person/PersonName/PersonGivenName")
    #expect(given.line == records[3].line + 2 && given.column == 7)
    #expect(person.origins.contains { $0.pointer == "/emails/0/verifiedAt" && $0.field == "Person/ContactEmail/EmailVerifiedDateTime" })
    #expect(person.origins.contains { $0.pointer == "/id" && $0.field == "Person/@id" })
    // Every origin's path is what path(forPointer:) derives from its pointer.
    for o in person.origins { #expect(CaseBridgeXMLMapping.path(forPointer: o.pointer, in: "person") == o.field, "\(o.pointer)") }
    #expect(CaseBridgeXMLMapping.path(forPointer: "/names/1/given", in: "person") == "Person/PersonName[2]/PersonGivenName")
    #expect(CaseBridgeXMLMapping.path(forPointer: "/ip/original", in: "ipObservation") == "IPObservation/IPAddress/@original")
    #expect(CaseBridgeXMLMapping.path(forPointer: "/observedAt/utc", in: "ipObservation") == "IPObservation/ObservationDateTime")
    #expect(CaseBridgeXMLMapping.path(forPointer: "", in: "event") == "Event")
  }
}
