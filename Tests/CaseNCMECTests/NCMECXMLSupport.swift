import CaseInterchange
import CaseModel
import CaseTestSupport
import Foundation
@testable import CaseNCMEC

/// Ids as the pipeline derives them, made readable: `r<record>e<ordinal>`.
let testIDs: @Sendable (Int, Int) -> EntityID = { EntityID("r\($0)e\($1)") }
/// Keyed ids made readable: `key:<key>`.
let testKeys: @Sendable (String) -> EntityID = { EntityID("key:" + $0) }

/// Every outcome of reading one NCMEC document.
struct NCMECRead {
  var outcomes: [ReadOutcome] = []
  var error: FormatError?

  /// The entities of the document's record (empty when it was rejected).
  var entities: [Entity] {
    for o in outcomes { if case .record(let r) = o { return r.entities } }
    return []
  }
  /// The record, when it was accepted.
  var record: SourceRecord? {
    for o in outcomes { if case .record(let r) = o { return r } }
    return nil
  }
  /// Diagnostics of the record, accepted or rejected, and of ignored spans.
  var diagnostics: [Diagnostic] {
    outcomes.flatMap { o -> [Diagnostic] in
      switch o {
      case .record(let r): r.diagnostics
      case .rejected(let i): i.diagnostics
      case .ignored(let s): s.diagnostic.map { [$0] } ?? []
      }
    }
  }
  /// Whether the record was rejected.
  var isRejected: Bool { outcomes.contains { if case .rejected = $0 { true } else { false } } }
  /// The rule ids found.
  var rules: [String] { diagnostics.map(\.rule) }
}

/// Reads an NCMEC document from a file.
func readNCMEC(path: String, prescan: Bool = false, idFor: @escaping @Sendable (Int, Int) -> EntityID = testIDs) -> NCMECRead {
  var result = NCMECRead()
  do {
    let file = try ChunkedFile(path: path)
    var reader = try NCMECReportReader(
      file: file, sourceName: "doc.xml", limits: ReadLimits(), idFor: idFor, keyedID: testKeys, prescan: prescan)
    while let o = try reader.next() { result.outcomes.append(o) }
  } catch {
    result.error = error
  }
  return result
}

/// Reads an NCMEC document from text.
func readNCMEC(_ text: String, prescan: Bool = false) -> NCMECRead {
  let url = makeTemporaryDirectory("ncmec").appendingPathComponent("doc.xml")
  try! Data(text.utf8).write(to: url)
  return readNCMEC(path: url.path, prescan: prescan)
}

/// A minimal valid report with `body` inserted after the reporter (or replacing parts, by the caller's text).
func report(summary: String? = nil, _ body: String = "", prolog: String = "") -> String {
  let s = summary ?? """
    <incidentSummary>
      <incidentType>Child Sex Trafficking</incidentType>
      <incidentDateTime>2024-03-01T12:00:00Z</incidentDateTime>
    </incidentSummary>
    """
  return """
    <?xml version="1.0" encoding="UTF-8"?>
    \(prolog)<report>
    \(s)
    <reporter><reportingPerson><email>reports@example.com</email></reportingPerson></reporter>
    \(body)
    </report>
    """
}

/// Writes entities with the NCMEC writer into memory and returns the files by name, and the warnings.
func exportNCMEC(_ entities: [Entity]) throws -> (files: [String: String], warnings: [String]) {
  let dir = MemoryByteSinkDirectory()
  var w = NCMECExportWriter(directory: dir)
  try w.write(entities)
  try w.finish()
  var files: [String: String] = [:]
  for f in dir.files { files[f.name] = String(decoding: f.sink.bytes, as: UTF8.self) }
  return (files, w.writerWarnings)
}

extension Array where Element == Entity {
  var cases: [Case] { compactMap { if case .caseRecord(let e) = $0 { e } else { nil } } }
  var persons: [Person] { compactMap { if case .person(let e) = $0 { e } else { nil } } }
  var roles: [RoleAssignment] { compactMap { if case .roleAssignment(let e) = $0 { e } else { nil } } }
  var accounts: [Account] { compactMap { if case .account(let e) = $0 { e } else { nil } } }
  var identifiers: [OnlineIdentifier] { compactMap { if case .onlineIdentifier(let e) = $0 { e } else { nil } } }
  var observations: [IPObservation] { compactMap { if case .ipObservation(let e) = $0 { e } else { nil } } }
  var events: [Event] { compactMap { if case .event(let e) = $0 { e } else { nil } } }
  var files: [EvidenceFile] { compactMap { if case .evidenceFile(let e) = $0 { e } else { nil } } }
  var processes: [LegalProcess] { compactMap { if case .legalProcess(let e) = $0 { e } else { nil } } }
  var agencies: [Agency] { compactMap { if case .agency(let e) = $0 { e } else { nil } } }
}
