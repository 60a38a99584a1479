/// The format ids every command and report uses.
public enum FormatID: String, Sendable, Hashable, Codable, CaseIterable {
  /// CaseBridge case bundle: one JSON document with `casebridgeVersion` and `entities`.
  case json
  /// CaseBridge JSON Lines: one entity per line.
  case jsonl
  /// CaseBridge XML (own XSD).
  case xml
  /// CSV with a mapping profile.
  case csv
  /// NCMEC CyberTipline report XML.
  case ncmecXML = "ncmec-xml"
  /// CyberTip JSON as police receive it.
  case cybertipJSON = "cybertip-json"
  /// Provider legal-process letters (key-value text).
  case ispText = "isp-text"
  /// Provider IP logs.
  case ispLog = "isp-log"
  /// CASE/UCO JSON-LD.
  case caseJSONLD = "case-jsonld"
  /// Project VIC (VICS) JSON.
  case vicsJSON = "vics-json"

  /// One-line description.
  public var summary: String {
    switch self {
    case .json: "CaseBridge case bundle (JSON document with casebridgeVersion)"
    case .jsonl: "CaseBridge JSON Lines (one entity per line)"
    case .xml: "CaseBridge XML (casebridge-case-1.0.xsd)"
    case .csv: "CSV through a mapping profile"
    case .ncmecXML: "NCMEC CyberTipline report XML"
    case .cybertipJSON: "CyberTip JSON as downloaded from IDS"
    case .ispText: "provider legal-process return, key-value letter"
    case .ispLog: "provider IP log (CSV/TSV)"
    case .caseJSONLD: "CASE/UCO ontology JSON-LD"
    case .vicsJSON: "Project VIC (VICS) JSON"
    }
  }

  /// File name extensions that suggest this format (without the dot).
  public var extensions: [String] {
    switch self {
    case .json: ["json"]
    case .jsonl: ["jsonl", "ndjson"]
    case .xml: ["xml"]
    case .csv: ["csv", "tsv"]
    case .ncmecXML: []
    case .cybertipJSON: []
    case .ispText: ["txt"]
    case .ispLog: ["log"]
    case .caseJSONLD: ["jsonld"]
    case .vicsJSON: []
    }
  }

  /// The extension used for quarantine files of this format.
  public var quarantineExtension: String {
    switch self {
    case .json, .cybertipJSON, .vicsJSON: "json"
    case .jsonl: "jsonl"
    case .xml, .ncmecXML: "xml"
    case .csv: "csv"
    case .ispText: "txt"
    case .ispLog: "log"
    case .caseJSONLD: "jsonld"
    }
  }
}
