public import CaseModel
import CaseInterchange
public import CaseXML

/// Maps an NCMEC `<fileDetails>` element tree (what an ESP posts to `/fileinfo` for one uploaded file) to an
/// EvidenceFile, the IPObservation of its `ipCaptureEvent` and OnlineIdentifiers for its device ids.
///
/// The file's `caseId` is the keyed id `ncmec:report:<reportId>`, the id of the Case its report maps to, so a
/// report and its fileDetails documents join across inputs of one run.
public enum NCMECFileDetailsMapper {
  /// Maps a fileDetails document.
  /// - Parameters:
  ///   - root: The `fileDetails` element.
  ///   - record: The record's index in its input.
  ///   - sourceName: The input's display name, for diagnostics.
  ///   - idFor: Ids of the entities of a record, by (record, ordinal).
  ///   - keyedID: Value-derived ids (`ncmec:report:<reportId>`).
  /// - Returns: The entities, or the errors that quarantine the document.
  public static func map(
    fileDetails root: XMLElementNode, record: Int, sourceName: String,
    idFor: @escaping @Sendable (Int, Int) -> EntityID, keyedID: @Sendable (String) -> EntityID
  ) -> NCMECMapping {
    var m = NCMECImport(sourceName: sourceName, record: record, idFor: idFor)
    let node = NCMECNode(root: root)
    m.checkStructure(node)
    var file = EvidenceFile(id: EntityID(""))
    let k = m.append(.evidenceFile(file), from: node)
    if let r = node.child("reportId"), let id = xsdInteger(r.text, bits: 64) {
      file.caseId = keyedID("ncmec:report:\(id)")
      m.origin(k, "/caseId", r)
    }
    let fileId = node.child("fileId").map { xsdCollapsed($0.text) }
    if let fileId { file.extras.append(ExtraField(name: NCMECExtras.fileId, value: fileId)) }
    file.fileName = m.text("fileName", of: node, entity: k, "/fileName")
    file.originalFileName = m.text("originalFileName", of: node, entity: k, "/originalFileName")
    file.locations = m.text("locationOfFile", of: node, entity: k, "/locations/0").map { [$0] } ?? []
    var annotations: [String] = []
    for c in node.allChildren {
      switch c.name {
      case "uploadedToEspTimestamp":
        file.uploadedAt = m.timestamp(c)
        m.origin(k, "/uploadedAt", c)
      case "fileViewedByEsp":
        file.viewedByESP = m.bool(c)
        m.origin(k, "/viewedByESP", c)
      case "publiclyAvailable":
        file.publiclyAvailable = m.bool(c)
        m.origin(k, "/publiclyAvailable", c)
      case "fileAnnotations":
        annotations += c.allChildren.map(\.name).filter { NCMECSchema.fileAnnotations.contains($0) }
        m.origin(k, "/annotations", c)
      case "industryClassification":
        file.category = Category(scheme: NCMECReportMapper.industryClassificationScheme, code: c.text)
        m.origin(k, "/category", c)
      case "originalFileHash":
        hash(c, below: node, &file, &m, k)
      case "exifViewedByEsp", "fileRelevance", "potentialMeme", "details", "additionalInfo":
        m.flatten(c, below: node, into: &file.extras)
      default: break  // names and ids above; ipCaptureEvent and deviceId below
      }
    }
    file.annotations = annotations
    m.set(k, .evidenceFile(file))
    if let e = node.child("ipCaptureEvent"), let o = ipObservationMapping(&m, e, account: nil, file: k, extras: []) {
      if e.child("eventName")?.text == "Upload" {
        file.uploadObservationId = m.id(o)
        m.set(k, .evidenceFile(file))
      }
    }
    let deviceExtras = fileId.map { [ExtraField(name: NCMECExtras.fileId, value: $0)] } ?? []
    for d in node.children("deviceId") { deviceIDMapping(&m, d, account: nil, extras: deviceExtras) }
    rules(node, &m)
    return m.result
  }

  /// A digest of the file as uploaded: a known algorithm is parsed strictly (hash.not-hex, hash.length); an
  /// unknown `hashType` keeps the element as extras with a warning.
  private static func hash(_ c: NCMECNode, below root: NCMECNode, _ file: inout EvidenceFile, _ m: inout NCMECImport, _ k: Int) {
    guard let type = c.attribute("hashType") else { return }
    guard let algorithm = HashAlgorithm.named(type) else {
      m.report("ncmec.unknown-hash-type", .warning, "originalFileHash has a hashType CaseBridge does not know; the digest is kept as extras", at: c, path: c.attributePath("hashType"), value: type)
      m.flatten(c, below: root, into: &file.extras)
      return
    }
    switch HashDigest.parse(algorithm: algorithm, hex: c.text) {
    case .success(let d):
      m.origin(k, "/hashes/\(file.hashes.count)", c)
      file.hashes.append(d)
    case .failure(let e):
      m.report(e, at: c, value: c.text)
    }
  }

  /// NCMEC's rules for a file (checked at `/finish`): findings are warnings on import.
  private static func rules(_ node: NCMECNode, _ m: inout NCMECImport) {
    if let exif = node.child("exifViewedByEsp"), xsdBoolean(exif.text) == true, node.child("fileViewedByEsp").flatMap({ xsdBoolean($0.text) }) != true {
      m.report("ncmec.exif-without-file-viewed", .warning, "exifViewedByEsp is true but fileViewedByEsp is not; NCMEC requires the file viewed too", at: exif)
    }
    if let r = node.child("fileRelevance"), r.text == "Supplemental Reported" {
      let meme = node.child("potentialMeme").flatMap { xsdBoolean($0.text) } == true
        || node.child("fileAnnotations")?.child("potentialMeme") != nil || node.child("fileAnnotations")?.child("viral") != nil
      if meme || node.child("industryClassification") != nil {
        m.report("ncmec.supplemental-annotated", .warning, "a Supplemental Reported file may carry no meme annotation and no industryClassification", at: r)
      }
    }
  }
}
