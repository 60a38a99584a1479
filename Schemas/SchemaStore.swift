public import Foundation

/// The schemas CaseBridge ships, by name and version.
public enum CaseSchema: String, Sendable, CaseIterable {
  /// JSON Schema of the case bundle (`json`).
  case bundleV1 = "json/casebridge-bundle-1.0.schema.json"
  /// JSON Schema of one JSON Lines entity (`jsonl`).
  case entityV1 = "json/casebridge-entity-1.0.schema.json"
  /// JSON Schema of mapping profiles.
  case profileV1 = "json/profile-1.0.schema.json"
  /// JSON Schema of the run report.
  case reportV1 = "json/casebridge-report-1.0.schema.json"
  /// JSON Schema of one quarantine diagnostics line.
  case diagnosticV1 = "json/casebridge-diagnostic-1.0.schema.json"
  /// JSON Schema of `match.json` (`casebridge match`).
  case matchV1 = "json/casebridge-match-1.1.schema.json"
}

/// Finds schema files: in a directory given by the caller (`--schemas DIR`), else in the bundled resources.
///
/// The only user of `Bundle` in CaseBridge. `Bundle.module` traps when the resource bundle is not beside the
/// executable, so `bundled` looks for the bundle itself and returns nil instead.
public struct SchemaStore: Sendable {
  /// The directory holding `json/`, `xml/` and `profiles/`.
  public let directory: URL

  /// A store over a directory.
  public init(directory: URL) { self.directory = directory }

  /// The store inside the package's resource bundle, when it can be found.
  public static var bundled: SchemaStore? {
    let name = "CaseBridge_CaseSchemas"
    var candidates: [URL] = []
    let exe = URL(fileURLWithPath: CommandLine.arguments.first ?? "").resolvingSymlinksInPath().deletingLastPathComponent()
    candidates.append(exe.appendingPathComponent("\(name).resources"))
    candidates.append(exe.appendingPathComponent("\(name).bundle"))
    candidates.append(Bundle.main.bundleURL.appendingPathComponent("\(name).resources"))
    for c in candidates where FileManager.default.fileExists(atPath: c.appendingPathComponent("json").path) {
      return SchemaStore(directory: c)
    }
    return nil
  }

  /// The bytes of a schema.
  /// - Throws: the file system's error when it is missing.
  public func data(_ schema: CaseSchema) throws -> Data {
    try Data(contentsOf: directory.appendingPathComponent(schema.rawValue))
  }

  /// The URL of a schema file.
  public func url(_ schema: CaseSchema) -> URL { directory.appendingPathComponent(schema.rawValue) }
}
