import CaseInterchange
import CaseModel
import CaseTestSupport
import CaseXML
import Foundation
import Testing
@testable import CaseNCMEC

@Suite struct NCMECXMLImportTests {
  static let full = sample("ncmec/valid/full-report.xml")

  @Test func fullReportIsOneRecord() throws {
    let r = readNCMEC(path: Self.full)
    #expect(r.error == nil)
    #expect(r.outcomes.count == 1)
    let rec = try #require(r.record)
    // The span is the root element: from `<report` on line 4 to the end of `</report>`.
    let bytes = try readBytes(URL(fileURLWithPath: Self.full))
    #expect(rec.span.line == 4)
    #expect(Array(bytes[rec.span.byteOffset..<(rec.span.byteOffset + 7)]) == Array("<report".utf8))
    #expect(rec.span.byteOffset + rec.span.byteLength == bytes.count - 1, "all but the final newline")
    #expect(r.diagnostics.isEmpty, "\(r.diagnostics.map(\.rendered))")
  }

  @Test func fullReportMapsTheCaseAndItsKeyedID() throws {
    let e = readNCMEC(path: Self.full).entities
    let c = try #require(e.cases.first)
    #expect(e.cases.count == 1)
    #expect(c.id == EntityID("key:ncmec:report:90000001"))
    #expect(c.externalReferences == [ExternalReference(system: "NCMEC", identifier: "90000001")])
    #expect(c.offenseTypes == [Category(scheme: "ncmec-incidentType", code: "Online Enticement of Children for Sexual Acts")])
    #expect(c.caseNumber == "EXAMPLE-2024-0001")
    #expect(c.agencyId == testIDs(0, e.firstIndex { $0.type == .agency }!))
    let names = Set(c.extras.map(\.name))
    #expect(names.isSuperset(of: [
      "ncmec:incidentSummary/platform", "ncmec:incidentSummary/escalateToHighPriority",
      "ncmec:incidentSummary/reportAnnotations/sextortion", "ncmec:lawEnforcement/reportedToLe",
      "ncmec:reporter/companyTemplate", "ncmec:reporter/termsOfService", "ncmec:reporter/legalURL",
    ]))
    #expect(c.extras.first { $0.name == "ncmec:incidentSummary/reportAnnotations/sextortion" }?.value == "true")
    // Every reference resolves within the record, or is the keyed case id.
    let ids = Set(e.indices.map { k in e[k].id.rawValue.isEmpty ? testIDs(0, k) : e[k].id })
    for entity in e {
      for (field, id) in entity.references { #expect(ids.contains(id), "\(entity.type) \(field) dangles") }
    }
  }

  @Test func incidentAndInternetDetailsBecomeEvents() throws {
    let e = readNCMEC(path: Self.full).entities
    let incident = try #require(e.events.first { $0.kind == "incident" })
    #expect(incident.at?.originalText == "2024-02-11T09:03:00-05:00")
    #expect(incident.at?.originalOffsetSeconds == -5 * 3600)
    #expect(incident.at?.utcText == "2024-02-11T14:03:00Z")
    #expect(incident.atDescription == "Time of the first message the ESP flagged.")
    #expect(incident.description == "Escalated by the ESP's trust and safety team.")
    #expect(e.events.map(\.kind) == [
      "incident", "webPageIncident", "emailIncident", "chatImIncident", "cellPhoneIncident", "nonInternetIncident",
      "peer2peerIncident",
    ])
    let web = e.events[1]
    #expect(web.extras.map(\.name) == ["ncmec:@thirdPartyHostedContent", "ncmec:url[1]", "ncmec:url[2]"])
    #expect(web.description == "Profile page and room where the messages were posted.")
    let p2p = try #require(e.observations.first { $0.ip.normalized == "203.0.113.77" })
    #expect(p2p.extras == [ExtraField(name: "ncmec:internetDetails", value: "6")])
    #expect(p2p.port?.value == 6881)
    #expect(p2p.accountId == nil)
  }

  @Test func lawEnforcementAndReporter() throws {
    let e = readNCMEC(path: Self.full).entities
    let agency = try #require(e.agencies.first)
    #expect(agency.name == "Example County ICAC Task Force")
    let officer = try #require(e.persons.first { agency.contactPersonIds.first == testIDs(0, e.firstIndex(of: .person($0))!) })
    #expect(officer.names.first?.family == "Officerly")
    #expect(officer.phones.first?.number.e164 == "+12025550142")
    #expect(e.processes.count == 2)
    #expect(e.processes.allSatisfy { $0.kind == .other && $0.caseId == EntityID("key:ncmec:report:90000001") })
    #expect(e.processes[1].extras == [
      ExtraField(name: "ncmec:lawEnforcement/servedLegalProcessInternational/@fleaCountry", value: "CA"),
      ExtraField(name: "ncmec:lawEnforcement/servedLegalProcessInternational", value: "true"),
    ])
    let reporter = try #require(e.roles.first { $0.role == .reporter })
    let rita = try #require(e.persons.first { testIDs(0, e.firstIndex(of: .person($0))!) == reporter.personId })
    #expect(rita.phones.first?.number.extensionDigits == "12")
    #expect(rita.phones.first?.use == .business)
    let contact = try #require(e.roles.first { $0.role == .other })
    #expect(contact.extras == [ExtraField(name: "ncmec:role", value: "reporter/contactPerson")])
  }

  @Test func reportedUserPersonAccountAndLinkedAccount() throws {
    let e = readNCMEC(path: Self.full).entities
    let role = try #require(e.roles.first { $0.role == .reportedUser })
    let k = try #require(e.indices.first { testIDs(0, $0) == role.personId })
    guard case .person(let p) = e[k] else { Issue.record("not a person"); return }
    #expect(p.names == [PersonName(given: "Testy", family: "McTestface")])
    #expect(p.emails.map(\.address.normalized) == ["testy.mctestface@example.com", "Testy.Backup@example.net"])
    #expect(p.emails.first?.verifiedAt?.utcText == "2023-11-02T10:00:00Z")
    #expect(p.emails[1].use == .recovery)
    #expect(p.addresses.first?.state?.code == "VA")
    #expect(p.approximateAge == 33)
    #expect(p.dateOfBirth?.iso8601 == "1990-05-17")
    #expect(p.notes == "The account was created three days before the incident.")
    #expect(p.extras == [ExtraField(name: "ncmec:vehicleDescription", value: "Grey hatchback")])
    let account = try #require(e.accounts.first { $0.holderPersonId == role.personId })
    #expect(account.accountIdentifier == "100000000000000001")
    #expect(account.usernames == ["testy_example"])
    #expect(account.displayNames == ["Testy", "T. Example"])
    #expect(account.isTemporarilyDisabled == true && account.isPermanentlyDisabled == true)
    #expect(account.disabledAt?.utcText == "2024-02-14T08:00:00Z", "the permanent date wins")
    let extras = Dictionary(account.extras.map { ($0.name, $0.value) }, uniquingKeysWith: { a, _ in a })
    #expect(extras["ncmec:accountTemporarilyDisabled/@disabledDate"] == "2024-02-12T08:00:00Z")
    #expect(extras["ncmec:accountPermanentlyDisabled/@userNotifiedDate"] == "2024-02-14T09:00:00Z")
    #expect(extras["ncmec:priorCTReports[2]"] == "80000002")
    #expect(extras["ncmec:estimatedLocation/@verified"] == "false")
    #expect(extras["ncmec:estimatedLocation/countryCode"] == "US")
    let accountID = testIDs(0, e.firstIndex(of: .account(account))!)
    #expect(e.observations.filter { $0.accountId == accountID }.map(\.ip.normalized) == ["198.51.100.23", "2001:db8::1"])
    let device = try #require(e.identifiers.first { $0.accountId == accountID })
    #expect(device.kind == .deviceId && device.subtype == "IMEI" && device.value == "490154203237518")
    #expect(device.extras.map(\.name) == ["ncmec:eventName", "ncmec:dateTime"])
    let link = try #require(account.linkedAccounts.first)
    #expect(link.link == .linked)
    let linked = try #require(e.accounts.first { testIDs(0, e.firstIndex(of: .account($0))!) == link.accountId })
    #expect(linked.service == "ExamplePhotos")
    #expect(linked.extras.map(\.name) == [
      "ncmec:platform/@thirdPartyUser", "ncmec:platform", "ncmec:priorCTReport[1]", "ncmec:additionalInfo",
    ])
    let holder = try #require(e.persons.first { testIDs(0, e.firstIndex(of: .person($0))!) == linked.holderPersonId })
    #expect(holder.names.first?.middle == "Q.")
  }

  @Test func recipientAndVictimKeepEveryNote() throws {
    let e = readNCMEC(path: Self.full).entities
    let jane = try #require(e.persons.first { $0.names.first?.given == "Jane" })
    #expect(jane.notes == "Recipient of the messages.")
    #expect(jane.extras == [ExtraField(name: "ncmec:additionalInfo[2]", value: "Her guardian was informed by the ESP.")])
    let vicky = try #require(e.persons.first { $0.names.first?.given == "Vicky" })
    #expect(vicky.extras == [ExtraField(name: "ncmec:schoolName", value: "Anytown Middle School")])
    #expect(e.roles.filter { $0.role == .victim }.count == 1)
  }

  @Test func fileDetailsJoinTheReportByKeyedID() throws {
    let r = readNCMEC(path: sample("ncmec/valid/full-report-file-1.xml"))
    #expect(r.rules == ["ncmec.unknown-hash-type"])
    let f = try #require(r.entities.files.first)
    #expect(f.caseId == EntityID("key:ncmec:report:90000001"))
    #expect(f.hashes.map(\.algorithm) == [.md5, .sha256])
    #expect(f.hashes.first?.hex == "0123456789abcdef0123456789abcdef")
    #expect(f.annotations == ["possibleSelfProduction", "generativeAi"])
    #expect(f.uploadedAt?.originalText == "2024-02-11T15:15:09-05:00")
    #expect(f.locations == ["https://cdn.example.com/u/0001"])
    let names = f.extras.map(\.name)
    #expect(names.contains("ncmec:fileId") && names.contains("ncmec:originalFileHash[3]/@hashType"))
    #expect(names.contains("ncmec:details[1]/nameValuePair[2]/value"))
    let o = try #require(r.entities.observations.first)
    #expect(o.fileId == testIDs(0, 0))
    #expect(f.uploadObservationId == testIDs(0, 1))
    let d = try #require(r.entities.identifiers.first)
    #expect(d.extras.first == ExtraField(name: "ncmec:fileId", value: "a1b2c3d4e5f60718293a4b5c6d7e8f90"))
  }

  @Test func prescanDeclaresOnlyTheKeyedCaseID() {
    let r = readNCMEC(path: Self.full, prescan: true)
    #expect(r.outcomes.count == 1)
    #expect(r.record?.entities.isEmpty == true)
    #expect(r.record?.declaredIDs == [EntityID("key:ncmec:report:90000001")])
    #expect(readNCMEC(path: sample("ncmec/valid/minimal-report.xml"), prescan: true).record?.declaredIDs == [])
    #expect(readNCMEC(path: sample("ncmec/valid/full-report-file-1.xml"), prescan: true).record?.declaredIDs == [])
  }

  @Test func aReportWithoutReportIDHasADerivedCaseID() throws {
    let e = readNCMEC(path: sample("ncmec/valid/minimal-report.xml")).entities
    #expect(e.cases.first?.id == EntityID(""))
    #expect(e.roles.first?.caseId == testIDs(0, 0))
    #expect(e.events.first?.caseId == testIDs(0, 0))
    #expect(e.persons.first?.emails.first?.address.normalized == "reports@example.com")
  }

  @Test func batchedReportKeepsItsReasonAndUsers() throws {
    let e = readNCMEC(path: sample("ncmec/valid/batched-meme-report.xml")).entities
    #expect(e.cases.first?.extras.first == ExtraField(name: "ncmec:batchedReport/@reason", value: "VIRAL_POTENTIAL_MEME"))
    #expect(e.accounts.map(\.accountIdentifier) == ["share-1001", "share-1002", "share-1003"])
    #expect(e.roles.filter { $0.role == .reportedUser }.count == 3)
  }

  // MARK: problems

  @Test func zonelessIncidentTimeQuarantinesTheReport() throws {
    let r = readNCMEC(report(summary: """
      <incidentSummary>
        <incidentType>Child Sex Trafficking</incidentType>
        <incidentDateTime>2024-03-01T12:00:00</incidentDateTime>
      </incidentSummary>
      """))
    #expect(r.isRejected)
    let d = try #require(r.diagnostics.first)
    #expect(d.rule == "timestamp.missing-zone")
    #expect(d.location.field == "report/incidentSummary/incidentDateTime")
    #expect(d.location.line == 5)
    #expect(d.value == "2024-03-01T12:00:00")
    #expect(!d.message.contains("2024"))
  }

  @Test func badIPIsLocatedByElementPath() throws {
    let r = readNCMEC(report("""
      <personOrUserReported>
        <espIdentifier>u1</espIdentifier>
        <ipCaptureEvent><ipAddress>198.51.100.1</ipAddress></ipCaptureEvent>
        <ipCaptureEvent><ipAddress>010.1.1.1</ipAddress></ipCaptureEvent>
      </personOrUserReported>
      """))
    #expect(r.isRejected)
    #expect(r.rules == ["ip.invalid"])
    #expect(r.diagnostics.first?.location.field == "report/personOrUserReported[1]/ipCaptureEvent[2]/ipAddress")
    #expect(r.diagnostics.first?.location.line == 11)
  }

  @Test func structureProblemsAreErrors() {
    let r = readNCMEC(report(summary: """
      <incidentSummary>
        <incidentType>child sex trafficking</incidentType>
        <platform>a</platform>
        <platform>b</platform>
      </incidentSummary>
      """, """
      <personOrUserReported colour="red"><favouriteColour>blue</favouriteColour></personOrUserReported>
      <internetDetails/>
      """))
    #expect(r.isRejected)
    #expect(Set(r.rules) == [
      "ncmec.invalid-enumeration", "ncmec.repeated-element", "ncmec.missing-element", "ncmec.unknown-attribute",
      "ncmec.unknown-element", "ncmec.choice",
    ])
    #expect(r.diagnostics.first { $0.rule == "ncmec.missing-element" }?.location.field == "report/incidentSummary/incidentDateTime")
    #expect(r.diagnostics.first { $0.rule == "ncmec.unknown-element" }?.location.field == "report/personOrUserReported[1]/favouriteColour")
  }

  @Test func fieldValuesUseTheModelsStrictParsers() {
    let r = readNCMEC(report("""
      <personOrUserReported>
        <personOrUserReportedPerson>
          <phone>2025550123</phone>
          <email>not-an-address</email>
          <address><state>XX</state><country>Germany</country></address>
        </personOrUserReportedPerson>
        <ipCaptureEvent><ipAddress>198.51.100.1</ipAddress><port>0</port></ipCaptureEvent>
      </personOrUserReported>
      <internetDetails><webPageIncident><url>ftp://example.com/x</url></webPageIncident></internetDetails>
      """))
    #expect(r.isRejected)
    #expect(Set(r.rules) == ["phone.missing-country-code", "email.invalid", "state.invalid", "country.invalid", "port.invalid", "url.invalid"])
  }

  @Test func xmlSchemaLexicalFormsAreAccepted() throws {
    let r = readNCMEC(report(summary: """
      <incidentSummary>
        <incidentType>Child Sex Trafficking</incidentType>
        <reportAnnotations><spam>1</spam></reportAnnotations>
        <incidentDateTime>
          2024-03-01T12:00:00.250+01:00
        </incidentDateTime>
      </incidentSummary>
      """, """
      <victim>
        <victimPerson><age> +014 </age><dateOfBirth>2010-01-02Z</dateOfBirth></victimPerson>
        <compromisedAccount>0</compromisedAccount>
      </victim>
      """))
    #expect(!r.isRejected, "\(r.diagnostics.map(\.rendered))")
    #expect(r.rules == ["ncmec.date-with-zone"])
    let e = r.entities
    #expect(e.persons.last?.approximateAge == 14)
    #expect(e.persons.last?.dateOfBirth?.iso8601 == "2010-01-02")
    #expect(e.accounts.first?.isCompromised == false)
    #expect(e.events.first?.at?.instant.nanoseconds == 250_000_000)
  }

  @Test func overLongValuesAreKeptWithAWarning() {
    let long = String(repeating: "x", count: 101)
    let r = readNCMEC(report("<victim><victimPerson><firstName>\(long)</firstName></victimPerson></victim>"))
    #expect(!r.isRejected)
    #expect(r.rules == ["ncmec.too-long"])
    #expect(r.entities.persons.last?.names.first?.given == long)
  }

  @Test func incidentEmailsMustBeOnAPerson() {
    let r = readNCMEC(report("<internetDetails><emailIncident><emailAddress>nobody@example.org</emailAddress></emailIncident></internetDetails>"))
    #expect(!r.isRejected)
    #expect(r.rules == ["ncmec.incident-email-unlisted"])
  }

  @Test func unknownRootRejectsTheInput() {
    let r = readNCMEC("<cyberTip><reportId>1</reportId></cyberTip>")
    #expect(r.error?.rule == "ncmec.unknown-root")
    #expect(r.outcomes.isEmpty)
    let prescan = readNCMEC("<cyberTip/>", prescan: true)
    #expect(prescan.error?.rule == "ncmec.unknown-root")
  }

  @Test func apiResponsesAreIgnoredWithAWarning() {
    let r = readNCMEC("<reportResponse><responseCode>0</responseCode><responseDescription>Success</responseDescription><reportId>90000001</reportId></reportResponse>")
    #expect(r.error == nil)
    #expect(r.record == nil)
    #expect(r.rules == ["ncmec.response-document"])
  }

  @Test func reportIDInstructionMustBeAPositiveInteger() {
    let good = readNCMEC(report(prolog: "<?casebridge-ncmec reportId=\"0090000003\"?>\n"))
    #expect(good.entities.cases.first?.id == EntityID("key:ncmec:report:90000003"))
    let bad = readNCMEC(report(prolog: "<?casebridge-ncmec reportId=\"9e7\"?>\n"))
    #expect(bad.isRejected)
    #expect(bad.rules == ["ncmec.invalid-report-id"])
    #expect(bad.diagnostics.first?.location.line == 2)
  }

  @Test func fileDetailsRules() {
    let r = readNCMEC("""
      <fileDetails><reportId>5</reportId><fileId> f-1 </fileId><exifViewedByEsp>true</exifViewedByEsp>
      <fileRelevance>Supplemental Reported</fileRelevance><potentialMeme>true</potentialMeme>
      <originalFileHash hashType="SHA-1">da39a3ee5e6b4b0d3255bfef95601890afd8070</originalFileHash></fileDetails>
      """)
    #expect(r.isRejected)
    #expect(Set(r.rules) == ["ncmec.exif-without-file-viewed", "ncmec.supplemental-annotated", "hash.length"])
    let both = readNCMEC("<fileDetails><reportId>5</reportId><fileId>f</fileId><potentialMeme>true</potentialMeme><fileAnnotations><viral/></fileAnnotations></fileDetails>")
    #expect(both.rules == ["ncmec.choice"])
  }

  /// The mapping is a pure function over an element tree.
  @Test func mapperWorksOnABuiltTree() {
    func el(_ name: String, _ text: String = "", _ children: [XMLElementNode] = [], attributes: [XMLAttribute] = []) -> XMLElementNode {
      XMLElementNode(name: XMLName(name), attributes: attributes, children: children, text: text, line: 7, column: 3)
    }
    let tree = el("report", "", [
      el("incidentSummary", "", [el("incidentType", "Child Sex Tourism"), el("incidentDateTime", "2024-01-01T00:00:00+05:30")]),
      el("reporter", "", [el("reportingPerson", "", [el("email", "a@example.com", attributes: [XMLAttribute(name: XMLName("type"), value: "Work")])])]),
    ])
    let m = NCMECReportMapper.map(report: tree, record: 3, reportId: "42", sourceName: "t", idFor: testIDs, keyedID: testKeys)
    #expect(!m.hasErrors)
    #expect(m.entities.map(\.type) == [.case, .event, .person, .roleAssignment])
    #expect(m.entities.roles.first?.personId == EntityID("r3e2"))
    #expect(m.entities.roles.first?.caseId == EntityID("key:ncmec:report:42"))
    #expect(m.entities.persons.first?.emails.first?.use == .work)
    #expect(m.origins.contains { $0.entity == 1 && $0.pointer == "/at" && $0.field == "report/incidentSummary/incidentDateTime" && $0.line == 7 })
  }
}
