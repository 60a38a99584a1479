import CaseInterchange
import CaseJSON
import CaseModel
import CaseNCMEC
import CaseTestSupport
import CaseValidation
import Foundation
import Testing

/// What reading one input gave.
private struct ReadResult {
  var outcomes: [ReadOutcome] = []
  var error: FormatError?

  var records: [SourceRecord] {
    outcomes.compactMap { if case .record(let r) = $0 { return r } else { return nil } }
  }
  var rejected: [RecordIssue] {
    outcomes.compactMap { if case .rejected(let r) = $0 { return r } else { return nil } }
  }
  var ignored: [IgnoredSpan] {
    outcomes.compactMap { if case .ignored(let s) = $0 { return s } else { return nil } }
  }
  var entities: [Entity] { records.flatMap(\.entities) }
  var diagnostics: [Diagnostic] { records.flatMap(\.diagnostics) + rejected.flatMap(\.diagnostics) }

  /// A text rendering of every outcome (spans, findings with positions, entities as canonical JSON).
  var rendered: String {
    var lines: [String] = []
    func span(_ s: SourceSpan) -> String { "\(s.byteOffset)+\(s.byteLength)@\(s.line):\(s.column)" }
    func diag(_ d: Diagnostic) -> String {
      "\(d.rule) \(d.severity.rawValue) \(d.location.line ?? 0):\(d.location.column ?? 0) \(d.location.field ?? "-") \(d.location.byteOffset ?? -1)"
    }
    for o in outcomes {
      switch o {
      case .record(let r):
        lines.append("record \(r.index) \(span(r.span)) \(r.pointer ?? "-") \(r.declaredIDs.map(\.rawValue))")
        lines += r.diagnostics.map(diag)
        lines += r.entities.map { String(decoding: EntityJSONEncoder().bytes($0), as: UTF8.self) }
        lines += r.origins.map { "origin \($0.entity) \($0.pointer) \($0.field) \($0.line):\($0.column)" }
      case .rejected(let i):
        lines.append("rejected \(i.index) \(span(i.span))")
        lines += i.diagnostics.map(diag)
      case .ignored(let s):
        lines.append("ignored \(s.kind) \(span(s.span)) \(s.diagnostic.map(diag) ?? "")")
      }
    }
    if let error { lines.append("error \(error.rule) \(error.location.line ?? 0):\(error.location.column ?? 0) \(error.location.byteOffset ?? -1)") }
    return lines.joined(separator: "\n")
  }
}

private func read(_ text: String, chunkSize: Int = 1 << 20, prescan: Bool = false, limits: ReadLimits = ReadLimits()) throws -> ReadResult {
  let url = makeTemporaryDirectory("cybertip").appendingPathComponent("in.json")
  try Data(text.utf8).write(to: url)
  let file = try ChunkedFile(path: url.path, chunkSize: chunkSize)
  var reader = CyberTipJSONReader(
    file: file, sourceName: "in.json", limits: limits, idFor: { EntityID("r\($0)e\($1)") }, keyedID: { EntityID("key:" + $0) })
  reader.prescan = prescan
  var result = ReadResult()
  do {
    while let o = try reader.next() { result.outcomes.append(o) }
  } catch {
    result.error = error
  }
  return result
}

/// A minimal valid tip with one reported person whose body is `person` (JSON members).
private func tip(_ id: Int, person: String = #""espUserId": "1""#, extra: String = "") -> String {
  #"{"reportId": \#(id), "reportedInformation": {"reportedPeople": {"reportedPersons": [{\#(person)}]}\#(extra)}}"#
}

private func entities<T>(_ r: ReadResult, _ pick: (Entity) -> T?) -> [T] { r.entities.compactMap(pick) }
private func observations(_ r: ReadResult) -> [IPObservation] {
  entities(r) { if case .ipObservation(let o) = $0 { return o } else { return nil } }
}
private func files(_ r: ReadResult) -> [EvidenceFile] {
  entities(r) { if case .evidenceFile(let f) = $0 { return f } else { return nil } }
}
private func persons(_ r: ReadResult) -> [Person] {
  entities(r) { if case .person(let p) = $0 { return p } else { return nil } }
}

@Suite struct CyberTipFramingTests {
  @Test func prettyTipIsOneRecordSpanningTheDocument() throws {
    let text = "{\n  \"reportId\": 90000001,\n  \"reportedInformation\": {}\n}\n"
    let r = try read(text)
    #expect(r.error == nil)
    #expect(r.records.count == 1)
    let rec = try #require(r.records.first)
    #expect(rec.span == SourceSpan(byteOffset: 0, byteLength: text.utf8.count, line: 1, column: 1))
    #expect(rec.pointer == nil)
    guard case .caseRecord(let c)? = rec.entities.first else {
      Issue.record("first entity is not the case")
      return
    }
    #expect(c.id == EntityID("key:ncmec:report:90000001"))
    #expect(c.externalReferences == [ExternalReference(system: "NCMEC", identifier: "90000001")])
  }

  @Test func tipsOneAfterAnotherGiveOneRecordEachAndSpansTileTheInput() throws {
    let text = tip(1) + "\n\n" + tip(2) + "\r\n" + "{\n \"reportId\": 3\n}\n" + "  \n" + tip(4)
    let r = try read(text)
    #expect(r.error == nil)
    #expect(r.records.map(\.index) == [0, 1, 2, 3])
    #expect(r.ignored.map(\.kind) == ["blank-line", "blank-line"])
    var spans = r.outcomes.map { o -> SourceSpan in
      switch o {
      case .record(let x): x.span
      case .rejected(let x): x.span
      case .ignored(let x): x.span
      }
    }
    spans.sort { $0.byteOffset < $1.byteOffset }
    var at = 0
    for s in spans {
      #expect(s.byteOffset == at)
      at += s.byteLength
    }
    #expect(at == text.utf8.count)
    #expect(r.records[2].span.line == 4)
  }

  @Test func arrayElementsAreRecordsWithTheirPointersAndExactBytes() throws {
    let text = "[\n  " + tip(1) + ",\n  " + tip(2) + "\n]\n"
    let r = try read(text)
    #expect(r.error == nil)
    #expect(r.records.map(\.pointer) == ["/0", "/1"])
    let first = r.records[0].span
    #expect(first.byteOffset == 4)
    #expect(first.byteLength == tip(1).utf8.count)
    #expect(first.line == 2 && first.column == 3)
    #expect(r.records[1].span.line == 3)
  }

  @Test(arguments: ["values", "array"])
  func byteOrderMarkIsIgnoredWithAWarning(_ kind: String) throws {
    let body = kind == "array" ? "[" + tip(1, person: #""ipAddress": "192.0.2.300""#) + "]" : tip(1, person: #""ipAddress": "192.0.2.300""#)
    let r = try read("\u{FEFF}" + body)
    #expect(r.error == nil)
    let bom = try #require(r.ignored.first)
    #expect(bom.kind == "bom")
    #expect(bom.span.byteLength == 3)
    #expect(bom.diagnostic?.rule == "json.bom")
    let bad = try #require(r.rejected.first?.diagnostics.first)
    #expect(bad.rule == "ip.invalid")
    // Columns count the mark as one scalar, as JSON Lines does.
    let column = (body.utf8.firstRange(of: Array(#""ipAddress""#.utf8))?.lowerBound).map { body.utf8.distance(from: body.utf8.startIndex, to: $0) + 2 }
    #expect(bad.location.column == column)
    #expect(bad.location.line == 1)
  }

  @Test(arguments: [1, 2, 5, 64])
  func chunkBoundariesDoNotChangeTheResult(_ size: Int) throws {
    let inputs = [
      try String(contentsOf: Repo.samples.appendingPathComponent("cybertip/valid/tip-full.json"), encoding: .utf8),
      try String(contentsOf: Repo.samples.appendingPathComponent("cybertip/invalid/bad-tips.json"), encoding: .utf8),
      try String(contentsOf: Repo.samples.appendingPathComponent("cybertip/invalid/bad-lines.json"), encoding: .utf8),
      "\u{FEFF}[" + tip(7) + ", " + tip(8) + "]",
    ]
    for text in inputs {
      let whole = try read(text)
      let pieces = try read(text, chunkSize: size)
      #expect(!whole.outcomes.isEmpty)
      #expect(pieces.rendered == whole.rendered)
    }
  }

  @Test func emptyOrNonJSONInputsAreRejectedWhole() throws {
    #expect(try read("").error?.rule == "json.empty")
    #expect(try read(" \n\t\n").error?.rule == "json.empty")
    #expect(try read("\u{FEFF}").error?.rule == "json.empty")
    let hello = try read("\n  hello")
    #expect(hello.error?.rule == "json.syntax")
    #expect(hello.error?.location.line == 2)
    #expect(hello.error?.location.column == 3)
  }

  @Test func structuralErrorInAnArrayStopsReadingAfterTheElementsBeforeIt() throws {
    // Elements completed in the chunk that fails are not reported (as for a bundle): the input is rejected whole.
    let r = try read("[" + tip(1) + ", " + tip(2) + "] x")
    #expect(r.error?.rule == "json.trailing-data")
    #expect(r.error?.location.column == tip(1).utf8.count + tip(2).utf8.count + 6)
    let split = try read("[" + tip(1) + ", " + tip(2) + "] x", chunkSize: tip(1).utf8.count + 4)
    #expect(split.records.count == 1)
    #expect(split.error?.rule == "json.trailing-data")
    let comma = try read("[" + tip(1) + ",]")
    #expect(comma.error?.rule == "json.trailing-comma")
  }

  @Test func malformedElementIsRejectedAloneAndTheArrayGoesOn() throws {
    let r = try read("[" + tip(1) + ", {\"reportId\": 2, \"reportId\": 3}, \"not a tip\", " + tip(4) + "]")
    #expect(r.error == nil)
    #expect(r.records.map(\.index) == [0, 3])
    #expect(r.rejected.map(\.index) == [1, 2])
    #expect(r.rejected.flatMap(\.diagnostics).map(\.rule) == ["json.duplicate-key", "json.not-an-object"])
  }

  @Test func brokenLineIsRejectedAndReadingResumesOnTheNextLine() throws {
    let r = try read(tip(1) + "\n{\"reportId\": \"2}\n" + tip(3) + "\n")
    #expect(r.records.map(\.index) == [0, 2])
    #expect(r.rejected.map(\.index) == [1])
    #expect(r.rejected.first?.span.line == 2)
  }

  @Test func prescanDeclaresTheKeyedCaseIDAndMapsNothing() throws {
    let r = try read(tip(90000001) + "\n" + #"{"reportedInformation": {}}"#, prescan: true)
    #expect(r.records.map(\.declaredIDs) == [[EntityID("key:ncmec:report:90000001")], []])
    #expect(r.entities.isEmpty)
  }

  @Test func tipOverTheRecordLimitIsRejectedAlone() throws {
    var limits = ReadLimits()
    limits.maxRecordBytes = 200
    let big = tip(2, person: #""gender": "\#(String(repeating: "x", count: 300))""#)
    let r = try read(tip(1) + "\n" + big + "\n" + tip(3), limits: limits)
    #expect(r.records.map(\.index) == [0, 2])
    #expect(r.rejected.first?.diagnostics.first?.rule == "json.too-large")
    #expect(r.rejected.first?.span.byteLength == big.utf8.count + 1)
  }
}

@Suite struct CyberTipMappingTests {
  @Test func wrappersBoxesAndBareValuesMapAlike() throws {
    let doubled = tip(1, person: """
      "firstName": {"value": "Testy"}, "screenName": {"value": "t"}, "espUserId": {"value": 42},
      "emails": {"emails": [{"value": "t@example.com", "verified": {"value": true}}]},
      "sourceInformation": {"sourceCaptures": [{"captureType": {"value": "IP Address"}, "value": {"value": "192.0.2.1"}, "port": {"value": 8080}}]}
      """)
    let bare = tip(1, person: """
      "firstName": "Testy", "screenName": "t", "espUserId": "42",
      "emails": [{"value": "t@example.com", "verified": true}],
      "sourceInformation": {"sourceCaptures": [{"captureType": "IP Address", "value": "192.0.2.1", "port": "8080"}]}
      """)
    let a = try read(doubled)
    let b = try read(bare)
    #expect(a.diagnostics.isEmpty)
    #expect(b.diagnostics.isEmpty)
    #expect(a.entities == b.entities)
    #expect(observations(a).first?.port == Port(8080))
  }

  @Test func nullsMissingKeysAndEmptyTextAreAbsent() throws {
    let r = try read(tip(1, person: #""firstName": null, "lastName": "", "emails": null, "phones": {"phones": null}, "sourceInformation": null, "espUserId": "9""#))
    #expect(r.diagnostics.isEmpty)
    let p = try #require(persons(r).first)
    #expect(p.names.isEmpty)
    #expect(p.emails.isEmpty && p.phones.isEmpty)
    #expect(p.extras.isEmpty)
  }

  @Test func eventNamesIgnoreCaseAndUnknownOnesBecomeOther() throws {
    let captures = ["UPLOAD", "login", " Registration ", "Chat"].map {
      #"{"captureType": "IP Address", "value": "192.0.2.1", "port": 1, "eventName": "\#($0)"}"#
    }
    let r = try read(tip(1, person: #""sourceInformation": {"sourceCaptures": [\#(captures.joined(separator: ","))]}"#))
    #expect(observations(r).map(\.event) == [.upload, .login, .registration, .other])
    let warning = try #require(r.diagnostics.first)
    #expect(warning.rule == "cybertip.unmapped-value")
    #expect(warning.location.field == "/reportedInformation/reportedPeople/reportedPersons/0/sourceInformation/sourceCaptures/3/eventName")
    #expect(observations(r).last?.extras == [ExtraField(name: "eventName", value: "Chat")])
  }

  @Test func hashAlgorithmIsInferredOnlyFromAnUnambiguousLength() throws {
    let hashes = [
      String(repeating: "A", count: 32), String(repeating: "b", count: 40), String(repeating: "c", count: 64),
      String(repeating: "d", count: 48), String(repeating: "z", count: 64),
    ]
    let list = hashes.map { #"{"filename": "f", "verificationHash": "\#($0)"}"# }.joined(separator: ",")
    let r = try read(tip(1, extra: #", "uploadedFiles": {"uploadedFiles": [\#(list)]}"#))
    #expect(r.rejected.isEmpty)
    let fs = files(r)
    #expect(fs.map { $0.hashes.first?.algorithm } == [.md5, .sha1, .sha256, nil, nil])
    #expect(fs[0].hashes.first?.hex == String(repeating: "a", count: 32))
    #expect(fs[3].extras == [ExtraField(name: "verificationHash", value: hashes[3])])
    #expect(r.diagnostics.map(\.rule) == ["cybertip.hash-algorithm-unknown", "cybertip.hash-algorithm-unknown"])
  }

  @Test func unknownMembersAreKeptWithAWarningKnownOnesSilently() throws {
    let r = try read(tip(1, person: #""gender": "F", "shoeSize": 9, "emails": {"emails": [], "note": "x"}"#, extra: #", "newSection": {"a": [1]}"#))
    #expect(r.rejected.isEmpty)
    let p = try #require(persons(r).first)
    #expect(p.extras == [ExtraField(name: "emails/note", value: "x"), ExtraField(name: "gender", value: "F"), ExtraField(name: "shoeSize", value: "9")])
    let warned = r.diagnostics.filter { $0.rule == "cybertip.unknown-member" }.compactMap(\.location.field)
    #expect(warned == [
      "/reportedInformation/reportedPeople/reportedPersons/0/emails/note",
      "/reportedInformation/reportedPeople/reportedPersons/0/shoeSize",
      "/reportedInformation/newSection",
    ])
    guard case .caseRecord(let c)? = r.entities.first else { return }
    #expect(c.extras == [ExtraField(name: "reportedInformation/newSection", value: #"{"a":[1]}"#)])
  }

  @Test func wrongJSONTypeForAKnownKeyQuarantines() throws {
    let r = try read(tip(1, person: #""emails": "t@example.com""#))
    let d = try #require(r.rejected.first?.diagnostics.first)
    #expect(d.rule == "field.type-mismatch")
    #expect(d.location.field == "/reportedInformation/reportedPeople/reportedPersons/0/emails")
  }

  @Test func zoneLessTimesAreQuarantinedAtTheirElement() throws {
    let text = """
      {"reportId": 5,
       "reportedInformation": {"reportedPeople": {"reportedPersons": [{
         "sourceInformation": {"sourceCaptures": [
           {"captureType": "IP Address", "value": "192.0.2.1", "dateTime": "2024-02-11T14:03:00"}]}}]}}}
      """
    let r = try read(text)
    let d = try #require(r.rejected.first?.diagnostics.first)
    #expect(d.rule == "timestamp.missing-zone")
    #expect(d.location.field == "/reportedInformation/reportedPeople/reportedPersons/0/sourceInformation/sourceCaptures/0/dateTime")
    #expect(d.location.line == 4)
    #expect(d.location.column == 58)
    #expect(d.value == "2024-02-11T14:03:00")
    #expect(!d.message.contains("2024"))
  }

  @Test func phonesNeedACountryCode() throws {
    let r = try read(
      [
        tip(1, person: #""phones": {"phones": [{"value": "2025550123"}]}"#),
        tip(2, person: #""phones": {"phones": [{"value": "2025550123", "countryCallingCode": "+1"}]}"#),
        tip(3, person: #""phones": {"phones": [{"value": "2025550123", "countryCallingCode": "+999"}]}"#),
      ].joined(separator: "\n"))
    #expect(r.rejected.map { $0.diagnostics.map(\.rule) } == [["phone.missing-country-code"], ["phone.unsupported-region"]])
    #expect(persons(r).first?.phones.first?.number.e164 == "+12025550123")
  }

  @Test func addressCodesOutsideTheTablesAreKeptAsExtras() throws {
    let r = try read(tip(1, person: #""addresses": {"addresses": [{"street1": "1 Example Rd", "street2": "Unit 2", "state": "Illinois", "country": "CA", "zipCode": "62701"}]}"#))
    #expect(r.rejected.isEmpty)
    let p = try #require(persons(r).first)
    let canada = try CountryCode.parse("CA").get()
    #expect(p.addresses == [Address(street: "1 Example Rd, Unit 2", postalCode: "62701", country: canada)])
    #expect(p.extras == [ExtraField(name: "addresses/addresses/0/state", value: "Illinois")])
    #expect(r.diagnostics.map(\.rule) == ["cybertip.unmapped-value"])
  }

  @Test func uploadTimeComesFromDropboxMetadataOrTheUploadCapture() throws {
    let metadata = #"{"filename": "a", "espMetadata": {"metadatas": [{"name": "Upload Date and Time", "value": "2024-03-01T10:00:00Z"}, {"name": "Path/Name", "value": "x"}]}}"#
    let capture = #"{"filename": "b", "sourceInformation": {"sourceCaptures": [{"captureType": "IP Address", "value": "192.0.2.9", "port": 2, "dateTime": "2024-03-01T11:00:00+01:00", "eventName": "UPLOAD"}]}}"#
    let r = try read(tip(1, extra: #", "uploadedFiles": {"uploadedFiles": [\#(metadata), \#(capture)]}"#))
    #expect(r.diagnostics.isEmpty)
    let fs = files(r)
    #expect(fs[0].uploadedAt?.utcText == "2024-03-01T10:00:00Z")
    #expect(fs[0].extras == [ExtraField(name: "espMetadata/Path~1Name", value: "x")])
    #expect(fs[1].uploadedAt?.utcText == "2024-03-01T10:00:00Z")
    let obs = try #require(observations(r).first)
    #expect(fs[1].uploadObservationId == obs.id)
    #expect(obs.fileId == fs[1].id)
    #expect(obs.personId == nil)
  }

  @Test func capturesWithoutAValueMakeNoObservation() throws {
    let r = try read(tip(1, person: #""sourceInformation": {"sourceCaptures": [{"captureType": "IP Address", "value": null, "dateTime": "2024-01-01T00:00:00Z"}]}"#))
    #expect(r.diagnostics.isEmpty)
    #expect(observations(r).isEmpty)
    #expect(persons(r).first?.extras == [ExtraField(name: "sourceInformation/sourceCaptures/0/dateTime", value: "2024-01-01T00:00:00Z")])
  }

  @Test func reportIDMustBeADecimalInteger() throws {
    let r = try read([#"{"reportedInformation": {}}"#, #"{"reportId": "12a"}"#, #"{"reportId": 1.5}"#, #"{"reportId": -3}"#, #"{"reportId": "0077"}"#].joined(separator: "\n"))
    #expect(r.rejected.map { $0.diagnostics.map(\.rule) } == [
      ["cybertip.missing-report-id"], ["cybertip.invalid-report-id"], ["cybertip.invalid-report-id"], ["cybertip.invalid-report-id"],
    ])
    #expect(r.records.count == 1)
  }

  @Test func entitiesOfATipReferenceEachOther() throws {
    let r = try read(
      #"{"reportId": 9, "reportedInformation": {"reportingEsp": {"espName": "Example ESP", "lastName": "Reporter"}, "#
        + #""incidentSummary": {"incidentType": "Child Sex Tourism", "incidentDateTime": "2024-01-01T00:00:00Z"}, "#
        + #""reportedPeople": {"reportedPersons": [{"espUserId": "u1", "sourceInformation": {"sourceCaptures": [{"captureType": "IP Address", "value": "192.0.2.5", "port": 9}]}}]}, "#
        + #""intendedRecipients": {"intendedRecipients": [{"firstName": "Jane"}]}}}"#)
    let es = r.entities
    let ids = Set(es.map(\.id))
    for e in es {
      for (field, id) in e.references { #expect(ids.contains(id), "\(e.type) \(field) resolves") }
    }
    #expect(es.map(\.type) == [.case, .event, .agency, .person, .roleAssignment, .person, .roleAssignment, .account, .ipObservation, .person, .roleAssignment])
    guard case .event(let incident) = es[1], case .agency(let esp) = es[2], case .ipObservation(let obs) = es[8] else {
      Issue.record("unexpected entity order")
      return
    }
    #expect(incident.participantIds == [es[6].id, es[10].id])
    #expect(esp.contactPersonIds == [es[3].id])
    #expect(obs.accountId == es[7].id && obs.personId == es[5].id)
    #expect(obs.sourceProvider == "Example ESP")
    #expect(es.map(\.id.rawValue).dropFirst() == ArraySlice((1..<es.count).map { "r0e\($0)" }))
  }

  /// Every `cybertip.*` rule the mapper and reader report is catalogued, and every catalogued one is reported.
  @Test func ruleIDsAreCatalogued() throws {
    let dir = Repo.root.appendingPathComponent("Sources/CaseNCMEC/CyberTip")
    var used: Set<String> = []
    let pattern = try Regex(#""(cybertip\.[a-z0-9-]+)""#)
    for f in try FileManager.default.contentsOfDirectory(atPath: dir.path) where f.hasSuffix(".swift") {
      let text = try String(contentsOf: dir.appendingPathComponent(f), encoding: .utf8)
      for m in text.matches(of: pattern) { used.insert(String(m.output[1].substring ?? "")) }
    }
    let catalogued = Set(RuleCatalogue.cybertip.map(\.id))
    #expect(used == catalogued)
    #expect(RuleCatalogue.cybertip.allSatisfy { RuleCatalogue.descriptor($0.id) != nil })
  }
}
