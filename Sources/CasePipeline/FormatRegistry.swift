public import CaseModel
public import CaseInterchange
import CaseJSON
public import CaseMapping
import CaseISP
import CaseNCMEC
import CaseXML

/// The formats this build can read and write, and format inference.
public enum FormatRegistry {
  /// Formats with a reader in this build.
  public static let readable: [FormatID] = [.json, .jsonl, .csv, .xml, .cybertipJSON, .ncmecXML, .ispText, .ispLog]
  /// Formats with a writer in this build.
  public static let writable: [FormatID] = [.json, .jsonl, .xml, .csv, .ncmecXML]
  /// Formats read through a mapping profile (the default one when none is given).
  public static let mapped: Set<FormatID> = [.csv, .ispText, .ispLog]

  /// What a reader needs besides the file.
  public struct ReaderContext: Sendable {
    /// Display name of the input.
    public var sourceName: String
    /// Limits.
    public var limits: ReadLimits
    /// The mapping profile (mapped formats).
    public var profile: MappingProfile?
    /// A declared text encoding (`--encoding`), overriding the profile's.
    public var encoding: String?
    /// Whether the profile is the built-in default (then CaseBridge's own CSV is recognised by its header).
    public var isDefaultProfile = false
    /// Undo formula neutralisation when reading CaseBridge's own CSV.
    public var unneutralises = true
    /// First-pass mode: parse and tokenize, but do not decode or map; records carry their declared ids.
    public var prescan = false
    /// Entity ids for mapped records: (record index, position of the entity mapping in the profile).
    public var idFor: @Sendable (Int, Int) -> EntityID = { _, _ in EntityID("") }
    /// Value-derived ids, for entities that documents of one standard must join on across inputs (an NCMEC report
    /// and its fileDetails documents share `reportId`): UUIDv5 in the CaseBridge namespace over the key, e.g.
    /// `ncmec:report:90000001`. The same key gives the same id in every run.
    public var keyedID: @Sendable (String) -> EntityID = { DeterministicID.keyedID($0) }
    /// Creates a context.
    public init(sourceName: String, limits: ReadLimits) {
      self.sourceName = sourceName
      self.limits = limits
    }
  }

  /// Whether this build has a reader for a format.
  public static func canRead(_ format: FormatID) -> Bool { readable.contains(format) }

  /// Makes the reader for a format.
  /// - Throws: `FormatError` when the input cannot be opened as that format at all (e.g. a declared encoding
  ///   that contradicts its byte order mark); nil when this build has no reader.
  public static func reader(for format: FormatID, file: ChunkedFile, context: ReaderContext) throws(FormatError) -> (any RecordReader)? {
    switch format {
    case .xml where context.profile?.layout == .xml:
      return try MappedXMLReader(
        file: file, sourceName: context.sourceName, profile: context.profile!, limits: context.limits, prescan: context.prescan,
        idFor: context.idFor)
    case .jsonl where context.profile?.layout == .jsonl:
      return mappedJSONLinesReader(
        file: file, sourceName: context.sourceName, profile: context.profile!, limits: context.limits, prescan: context.prescan,
        idFor: context.idFor)
    case .json where context.profile?.layout == .json:
      var r = MappedJSONDocumentReader(
        file: file, sourceName: context.sourceName, profile: context.profile!, limits: context.limits, idFor: context.idFor)
      r.prescan = context.prescan
      return r
    case .xml:
      var r = CaseBridgeXMLReader(file: file, sourceName: context.sourceName, limits: context.limits)
      r.prescan = context.prescan
      return r
    case .jsonl:
      var r = JSONLinesReader(file: file, sourceName: context.sourceName, limits: context.limits)
      r.prescan = context.prescan
      return r
    case .json:
      var r = CaseBundleReader(file: file, sourceName: context.sourceName, limits: context.limits)
      r.prescan = context.prescan
      return r
    case .csv:
      guard let profile = context.profile else { return nil }
      var r = try MappedCSVReader(
        file: file, sourceName: context.sourceName, profile: profile, encoding: context.encoding,
        limits: context.limits, idFor: context.idFor, allowsCanonical: context.isDefaultProfile,
        unneutralises: context.unneutralises)
      r.prescan = context.prescan
      return r
    case .ispText, .ispLog:
      return try ispReader(for: format, file: file, context: context)
    case .cybertipJSON:
      var r = CyberTipJSONReader(
        file: file, sourceName: context.sourceName, limits: context.limits, idFor: context.idFor, keyedID: context.keyedID)
      r.prescan = context.prescan
      return r
    case .ncmecXML:
      return try NCMECReportReader(
        file: file, sourceName: context.sourceName, limits: context.limits, idFor: context.idFor,
        keyedID: context.keyedID, prescan: context.prescan)
    default: return nil
    }
  }

  /// Provider returns: the profile's layout picks the reader (letters and HTML pages are `isp-text`, IP logs and
  /// sectioned tables `isp-log`). There is no default provider profile.
  static func ispReader(for format: FormatID, file: ChunkedFile, context: ReaderContext) throws(FormatError) -> (any RecordReader)? {
    guard let profile = context.profile else {
      throw FormatError(
        rule: "isp.profile-required", message: "provider returns are read through a provider profile: give --profile (see Schemas/profiles/providers/)",
        location: SourceLocation(source: context.sourceName))
    }
    if let e = context.encoding, format == .ispText, !["utf-8", "utf8"].contains(e.lowercased()) {
      throw FormatError(rule: "isp.unsupported-encoding", message: "provider letters and pages are read as UTF-8 only", location: SourceLocation(source: context.sourceName))
    }
    switch profile.layout {
    case .ispText:
      var r = try ISPTextReader(file: file, sourceName: context.sourceName, profile: profile, limits: context.limits, idFor: context.idFor, keyedID: context.keyedID)
      r.prescan = context.prescan
      return r
    case .ispHTML:
      var r = try ISPHTMLReader(file: file, sourceName: context.sourceName, profile: profile, limits: context.limits, idFor: context.idFor, keyedID: context.keyedID)
      r.prescan = context.prescan
      return r
    case .ispSectioned:
      var r = try ISPSectionedReader(
        file: file, sourceName: context.sourceName, profile: profile, encoding: context.encoding, limits: context.limits, idFor: context.idFor,
        keyedID: context.keyedID)
      r.prescan = context.prescan
      return r
    case .ispLog, .csv:
      var r = try MappedCSVReader(
        file: file, sourceName: context.sourceName, profile: profile, encoding: context.encoding,
        limits: context.limits, idFor: context.idFor, allowsCanonical: false, unneutralises: false)
      r.prescan = context.prescan
      return r
    default:
      throw FormatError(
        rule: "profile.layout-mismatch", message: "the profile's layout '\(profile.layout.rawValue)' does not read format '\(format.rawValue)'",
        location: SourceLocation(source: context.sourceName))
    }
  }

  /// How rejected records of a format are framed in quarantine.
  public static func framing(for format: FormatID) -> QuarantineFraming {
    switch format {
    case .json, .cybertipJSON, .vicsJSON, .caseJSONLD: .jsonArray
    case .xml, .ncmecXML: .xmlDocument(prefix: nil)
    case .csv, .ispLog, .ispText: .lines(header: [])
    default: .lines(header: nil)
    }
  }

  /// The result of format inference.
  public enum Inference: Sendable, Equatable {
    /// The format, and the evidence used (`extension`, `content`).
    case format(FormatID, evidence: String)
    /// Nothing decisive.
    case unknown
  }

  /// Infers a format from the file name's extension and the content.
  ///
  /// `.json` and extension-less inputs are decided by the top-level members of the first JSON value:
  /// `@odata.context` / `odata.metadata` → vics-json, `@graph` → case-jsonld, `reportedInformation` →
  /// cybertip-json, `casebridgeVersion` → json; a first object followed by more values, with a `type` member,
  /// → jsonl. A top-level array is cybertip-json when its first element has `reportedInformation`, else unknown.
  /// XML is decided by its root element (`report`, `fileDetails` → ncmec-xml, else xml).
  public static func infer(path: String, file: ChunkedFile) throws(FormatError) -> Inference {
    let name = baseName(path).lowercased()
    let ext = name.lastIndex(of: ".").map { String(name[name.index(after: $0)...]) } ?? ""
    switch ext {
    case "jsonl", "ndjson": return .format(.jsonl, evidence: "extension")
    case "csv", "tsv": return .format(.csv, evidence: "extension")
    case "txt": return .format(.ispText, evidence: "extension")
    case "log": return .format(.ispLog, evidence: "extension")
    case "jsonld": return .format(.caseJSONLD, evidence: "extension")
    default: break
    }
    let sniff = try ContentSniffer.sniff(file)
    file.rewind()
    switch sniff {
    case .xml(let root): return .format(root == "report" || root == "fileDetails" ? .ncmecXML : .xml, evidence: "content")
    case .jsonKeys(let keys, let moreValues):
      if keys.contains("@odata.context") || keys.contains("odata.metadata") { return .format(.vicsJSON, evidence: "content") }
      if keys.contains("@graph") { return .format(.caseJSONLD, evidence: "content") }
      if keys.contains("reportedInformation") { return .format(.cybertipJSON, evidence: "content") }
      if keys.contains("casebridgeVersion") { return .format(.json, evidence: "content") }
      if moreValues && keys.contains("type") && ext != "json" { return .format(.jsonl, evidence: "content") }
      return .unknown
    case .other:
      if ext == "xml" { return .format(.xml, evidence: "extension") }
      return .unknown
    }
  }
}

/// Reads just enough of an input to tell its format: the top-level member names of the first JSON value, or the
/// root element name of an XML document. Streams; stops at the first decisive member.
enum ContentSniffer {
  enum Result {
    case jsonKeys(Set<String>, moreValues: Bool)
    case xml(root: String)
    case other
  }

  static let decisive: Set<String> = ["@odata.context", "odata.metadata", "@graph", "reportedInformation", "casebridgeVersion"]

  static func sniff(_ file: ChunkedFile) throws(FormatError) -> Result {
    var keys = Set<String>()
    var depth = 0
    var inString = false
    var escape = false
    var current: [UInt8] = []
    var expectKey = false
    var started = false
    var first = true
    var xmlName: [UInt8]? = nil
    var inXMLDecl = false
    var valueEnded = false
    var scanned = 0
    var inArray = false
    func keyed(_ keys: Set<String>, _ more: Bool) -> Result {
      guard inArray else { return .jsonKeys(keys, moreValues: more) }
      return keys.contains("reportedInformation") ? .jsonKeys(["reportedInformation"], moreValues: false) : .other
    }
    while true {
      let chunk = try file.nextChunk()
      if chunk.isEmpty { break }
      for b in chunk {
        scanned += 1
        if first {
          if b == 0xEF || b == 0xBB || b == 0xBF || b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D { continue }
          if b == 0x5B && !inArray {
            // A top-level array is sniffed by its first element, and only CyberTip JSON comes as one.
            inArray = true
            continue
          }
          first = false
          if b == 0x3C && !inArray { xmlName = [] ; continue }
          if b != 0x7B { return .other }
          started = true
          depth = 1
          expectKey = true
          continue
        }
        if var name = xmlName {
          // Skip <?...?>, <!-- -->, <!DOCTYPE> (the XML reader rejects it later), then read the root name.
          if inXMLDecl {
            if b == 0x3E { inXMLDecl = false; name = [] }
            xmlName = name
            continue
          }
          if name.isEmpty && (b == 0x3F || b == 0x21) { inXMLDecl = true; xmlName = name; continue }
          if name.isEmpty && (b == 0x3C || b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09) { continue }
          if b == 0x3E || b == 0x20 || b == 0x2F || b == 0x0A || b == 0x0D || b == 0x09 {
            let full = String(decoding: name, as: UTF8.self)
            let local = full.split(separator: ":").last.map(String.init) ?? full
            return .xml(root: local)
          }
          name.append(b)
          if name.count > 256 { return .other }
          xmlName = name
          continue
        }
        if valueEnded {
          if b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D { continue }
          return keyed(keys, true)
        }
        if inString {
          if escape { escape = false; if depth == 1 && expectKey { current.append(b) }; continue }
          if b == 0x5C { escape = true; if depth == 1 && expectKey { current.append(b) }; continue }
          if b == 0x22 {
            inString = false
            if depth == 1 && expectKey {
              let k = String(decoding: current, as: UTF8.self)
              keys.insert(k)
              if decisive.contains(k) { return keyed(keys, false) }
              expectKey = false
            }
            continue
          }
          if depth == 1 && expectKey && current.count < 256 { current.append(b) }
          continue
        }
        switch b {
        case 0x22:
          inString = true
          current.removeAll(keepingCapacity: true)
        case 0x7B, 0x5B: depth += 1
        case 0x7D, 0x5D:
          depth -= 1
          if depth == 0 && started { valueEnded = true }
        case 0x2C: if depth == 1 { expectKey = true }
        default: break
        }
        if scanned > 64 << 20 { return keyed(keys, false) }
      }
    }
    if started { return keyed(keys, false) }
    return .other
  }
}

extension ISPSectionedReader: EncodingReporting {}
