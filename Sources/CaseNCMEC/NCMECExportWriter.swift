public import CaseModel
public import CaseInterchange
import CaseJSON

/// Writes NCMEC CyberTipline report XML into a directory: per Case a `<report>` document, one `<fileDetails>`
/// document per EvidenceFile of the case, and `manifest.json` listing the files, their reportId and fileId values
/// and which of those are placeholders for the submitting client to fill in.
///
/// A case is small, so entities are collected and the documents are written at ``finish()``. Layout: one Case →
/// `report.xml`, `fileDetails-<k>.xml`; several → `report-<n>.xml`, `fileDetails-<n>-<k>.xml` (in input order).
/// Every model fact NCMEC's report cannot hold is counted in ``writerWarnings``.
public struct NCMECExportWriter: RecordWriter, WarningReportingWriter {
  /// The schema location every document names, as NCMEC requires.
  public static let schemaLocation = "https://report.cybertip.org/ispws/xsd"
  /// The report id written when the Case has no NCMEC reference (the manifest marks it a placeholder).
  public static let placeholderReportId = "0"

  private let directory: any ByteSinkDirectory
  private var entities: [Entity] = []
  private var written: [String: Int] = [:]
  private var warnings: [String] = []

  /// Creates a writer into a directory of named sinks.
  public init(directory: any ByteSinkDirectory) {
    self.directory = directory
  }

  /// Entities received so far (nothing is written before `finish`).
  public var count: Int { entities.count }
  /// Entities written per file, after `finish`.
  public var counts: [String: Int] { written }
  /// One line per kind of fact NCMEC cannot hold, with its count (after `finish`).
  public var writerWarnings: [String] { warnings }

  /// Collects the entities of one accepted record.
  public mutating func write(_ entities: [Entity]) throws { self.entities += entities }
  /// Nothing to flush before `finish`.
  public mutating func flush() throws {}
  /// Drops entities received after the checkpoint.
  public mutating func rollback(to checkpoint: WriterCheckpoint) {
    if entities.count > checkpoint.count { entities.removeLast(entities.count - checkpoint.count) }
  }

  /// Writes the documents and the manifest.
  /// - Throws: the sinks' errors.
  public mutating func finish() throws {
    var export = NCMECExport(entities)
    let documents = export.build()
    for d in documents.files {
      let sink = try directory.sink(named: d.name)
      try d.bytes.withUnsafeBytes { try sink.write($0) }
      written[d.name] = d.entities
    }
    warnings = documents.warnings
  }
}

/// One written file.
struct NCMECDocument {
  var name: String
  var bytes: [UInt8]
  var entities: Int
}

/// The model-to-NCMEC conversion of a run's entities.
struct NCMECExport {
  let all: [Entity]
  let byID: [EntityID: Entity]
  let b = NCMECTreeBuilder()
  /// Entities that went into some document.
  private var used = Set<EntityID>()
  /// Entities that went into the document being built.
  private var usedHere = Set<EntityID>()

  init(_ entities: [Entity]) {
    all = entities
    var map: [EntityID: Entity] = [:]
    for e in entities where map[e.id] == nil { map[e.id] = e }
    byID = map
  }

  mutating func use(_ id: EntityID) {
    used.insert(id)
    usedHere.insert(id)
  }

  func isUsed(_ id: EntityID) -> Bool { used.contains(id) }

  // MARK: entities by type

  var cases: [Case] { all.compactMap { if case .caseRecord(let e) = $0 { e } else { nil } } }
  var roles: [RoleAssignment] { all.compactMap { if case .roleAssignment(let e) = $0 { e } else { nil } } }
  var accounts: [Account] { all.compactMap { if case .account(let e) = $0 { e } else { nil } } }
  var identifiers: [OnlineIdentifier] { all.compactMap { if case .onlineIdentifier(let e) = $0 { e } else { nil } } }
  var observations: [IPObservation] { all.compactMap { if case .ipObservation(let e) = $0 { e } else { nil } } }
  var events: [Event] { all.compactMap { if case .event(let e) = $0 { e } else { nil } } }
  var files: [EvidenceFile] { all.compactMap { if case .evidenceFile(let e) = $0 { e } else { nil } } }
  var processes: [LegalProcess] { all.compactMap { if case .legalProcess(let e) = $0 { e } else { nil } } }
  func person(_ id: EntityID?) -> Person? { if let id, case .person(let p)? = byID[id] { p } else { nil } }
  func account(_ id: EntityID?) -> Account? { if let id, case .account(let a)? = byID[id] { a } else { nil } }
  func agency(_ id: EntityID?) -> Agency? { if let id, case .agency(let a)? = byID[id] { a } else { nil } }
  func observation(_ id: EntityID?) -> IPObservation? { if let id, case .ipObservation(let o)? = byID[id] { o } else { nil } }

  // MARK: the run

  mutating func build() -> (files: [NCMECDocument], warnings: [String]) {
    let cases = self.cases
    var out: [NCMECDocument] = []
    var manifestReports: [JSONValue] = []
    var skipped: [JSONValue] = []
    for (n, c) in cases.enumerated() {
      let single = cases.count == 1
      let reportName = single ? "report.xml" : "report-\(n + 1).xml"
      usedHere = []
      guard let report = report(c, single: single) else {
        skipped.append(.object(JSONObject([
          JSONMember(key: "case", value: .string(c.id.rawValue)),
          JSONMember(key: "reason", value: .string("no NCMEC incidentType or no incident time")),
        ])))
        continue
      }
      let reportId = Self.reportId(of: c)
      out.append(NCMECDocument(name: reportName, bytes: document(report, reportId: reportId), entities: usedHere.count))
      var fileEntries: [JSONValue] = []
      for (k, f) in files.filter({ belongs($0.caseId, c, single) }).enumerated() {
        usedHere = []
        let name = single ? "fileDetails-\(k + 1).xml" : "fileDetails-\(n + 1)-\(k + 1).xml"
        let placeholderFileId = "PLACEHOLDER-FILE-\(single ? "" : "\(n + 1)-")\(k + 1)"
        let fileId = f.extras.first { $0.name == NCMECExtras.fileId }?.value
        let details = fileDetails(f, reportId: reportId ?? NCMECExportWriter.placeholderReportId, fileId: fileId ?? placeholderFileId)
        out.append(NCMECDocument(name: name, bytes: document(details, reportId: nil), entities: usedHere.count))
        fileEntries.append(.object(JSONObject([
          JSONMember(key: "file", value: .string(name)),
          JSONMember(key: "evidenceFile", value: .string(f.id.rawValue)),
          JSONMember(key: "fileId", value: .string(fileId ?? placeholderFileId)),
          JSONMember(key: "fileIdPlaceholder", value: .bool(fileId == nil)),
        ])))
      }
      manifestReports.append(.object(JSONObject([
        JSONMember(key: "file", value: .string(reportName)),
        JSONMember(key: "case", value: .string(c.id.rawValue)),
        JSONMember(key: "reportId", value: .string(reportId ?? NCMECExportWriter.placeholderReportId)),
        JSONMember(key: "reportIdPlaceholder", value: .bool(reportId == nil)),
        JSONMember(key: "fileDetails", value: .array(fileEntries)),
      ])))
    }
    if cases.isEmpty && !all.isEmpty { b.drop("entities written nowhere: the run has no Case, and an NCMEC report is written per Case", all.count) }
    countUnused()
    var manifest = JSONWriter()
    manifest.write(.object(JSONObject([
      JSONMember(key: "format", value: .string("ncmec-xml")),
      JSONMember(key: "schemaLocation", value: .string(NCMECExportWriter.schemaLocation)),
      JSONMember(key: "reports", value: .array(manifestReports)),
      JSONMember(key: "skippedCases", value: .array(skipped)),
      JSONMember(key: "placeholders", value: .string(
        "reportId \(NCMECExportWriter.placeholderReportId) and fileId PLACEHOLDER-FILE-* stand for the values NCMEC returns from /submit and /upload; replace them before posting fileDetails to /fileinfo")),
    ])))
    manifest.bytes.append(0x0A)
    out.append(NCMECDocument(name: "manifest.json", bytes: manifest.bytes, entities: 0))
    return (out, b.warnings)
  }

  /// Whether an entity's case reference puts it in a case (a missing reference does when the run has one case).
  func belongs(_ caseId: EntityID?, _ c: Case, _ single: Bool) -> Bool {
    caseId == c.id || (caseId == nil && single)
  }

  private func document(_ root: NCMECElement, reportId: String?) -> [UInt8] {
    b.prune(root)
    root.sortIntoSchemaOrder()
    root.attributes.insert(("xsi:noNamespaceSchemaLocation", NCMECExportWriter.schemaLocation), at: 0)
    root.attributes.insert(("xmlns:xsi", NCMECImport.xsiNamespace), at: 0)
    var out = Array("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n".utf8)
    if let reportId { out += Array("<?\(NCMECReportID.target) reportId=\"\(reportId)\"?>\n".utf8) }
    root.serialize(into: &out)
    return out
  }

  /// Facts of entities that went into no document.
  private mutating func countUnused() {
    var byType: [EntityType: Int] = [:]
    for e in all where !used.contains(e.id) { byType[e.type, default: 0] += 1 }
    for (t, n) in byType {
      switch t {
      case .ipAssignment: b.drop("IP assignments (subscriber records with their lease windows): NCMEC report XML has no element for them", n)
      default: b.drop("\(t.rawValue) entities not connected to a written report or file", n)
      }
    }
  }
}

/// The processing instruction that carries a report's NCMEC id in a `<report>` document (NCMEC's schema has no
/// element for it: NCMEC assigns it on `/submit`): `<?casebridge-ncmec reportId="90000001"?>` before the root.
public enum NCMECReportID {
  /// The processing instruction's target.
  public static let target = "casebridge-ncmec"
}
