// `export`: the current versions of a store's entities (or those valid at a time), optionally of one case, in a
// deterministic order (entity type in declaration order, as reports list them, then id), written through the same
// writers `convert` uses.
import GRDB
public import CaseModel
public import CasePipeline
public import CaseInterchange
import CaseJSON

/// A query problem with its CLI exit code (64 usage: an unknown case, an uninterpretable value; 70 internal).
public struct StoreQueryError: Error, Sendable, CustomStringConvertible {
  public var message: String
  public var exitCode: Int32
  public init(_ message: String, exitCode: Int32 = 64) {
    self.message = message
    self.exitCode = exitCode
  }
  public var description: String { message }
}

/// What `export` wrote.
public struct ExportResult: Sendable {
  /// Entities written.
  public var entities: Int
  /// The files (path, SHA-256, size, entities, warnings).
  public var outputs: [OutputReport]
}

extension CaseStore {
  /// The case id for `--case`: a case entity id in the store, else a case number naming exactly one case.
  /// - Throws: `StoreQueryError` (64) when it names no case or several.
  public func resolveCase(_ idOrNumber: String) throws -> String {
    try db.read { db in
      if try String.fetchOne(db, sql: "SELECT case_id FROM cases WHERE case_id = ?", arguments: [idOrNumber]) != nil
        || (try String.fetchOne(db, sql: "SELECT case_id FROM entity_cases WHERE case_id = ? LIMIT 1", arguments: [idOrNumber])) != nil
      {
        return idOrNumber
      }
      let byNumber = try String.fetchAll(db, sql: "SELECT case_id FROM cases WHERE case_number = ? LIMIT 2", arguments: [idOrNumber])
      if byNumber.count == 1 { return byNumber[0] }
      if byNumber.count > 1 {
        throw StoreQueryError("the case number '\(idOrNumber)' names several cases in the store; give the case id")
      }
      throw StoreQueryError("the store has no case '\(idOrNumber)' (neither a case id nor a case number)")
    }
  }

  /// The versions to export of one type: current ones, or those valid at `asOf`; of one case or of all.
  static func exportSQL(asOf: Bool, oneCase: Bool) -> String {
    var sql = "SELECT v.json FROM entity_versions v WHERE v.type = :type AND "
    sql += asOf ? "v.valid_from <= :t AND (v.valid_to IS NULL OR v.valid_to > :t)" : "v.valid_to IS NULL"
    if oneCase { sql += " AND (v.id = :case OR v.id IN (SELECT entity_id FROM entity_cases WHERE case_id = :case))" }
    return sql + " ORDER BY v.id"
  }

  /// Visits the entities to export in order: type (declaration order), then id.
  /// - Throws: `StoreQueryError` (70) when a stored entity no longer decodes; GRDB errors; the visitor's errors.
  public func forEachExported(caseID: String?, asOf: Instant?, _ visit: (Entity) throws -> Void) throws {
    try db.read { db in
      let sql = Self.exportSQL(asOf: asOf != nil, oneCase: caseID != nil)
      let parser = JSONParser(limits: .ownEntityJSON)
      for type in EntityType.allCases {
        var args: [String: (any DatabaseValueConvertible)?] = ["type": type.rawValue]
        if let asOf { args["t"] = asOf.iso8601 }
        if let caseID { args["case"] = caseID }
        let cursor = try String.fetchCursor(db, sql: sql, arguments: StatementArguments(args))
        while let json = try cursor.next() {
          let entity: Entity
          do {
            let value = try parser.parse(Array(json.utf8))
            entity = try JSONValueDecoder().decodeEntity(value).0
          } catch {
            throw StoreQueryError("a stored \(type.rawValue) entity does not decode with this build", exitCode: 70)
          }
          try visit(entity)
        }
      }
    }
  }

  /// Writes the export (see `forEachExported`) through the writer of `format` to `target` (file, `-` or directory,
  /// as `convert -o`). Nothing is left behind on failure (the outputs are temporaries until committed).
  /// - Throws: `OutputError` (73/74), `StoreQueryError`, GRDB errors.
  public func export(
    to format: FormatID, target: String, caseID: String? = nil, asOf: Instant? = nil, entityFilter: EntityType? = nil,
    neutralise: Bool = true
  ) throws -> ExportResult {
    guard let out = try EntityOutput.make(format: format, target: target, entityFilter: entityFilter, neutralise: neutralise) else {
      throw StoreQueryError("format '\(format.rawValue)' has no writer in this build")
    }
    var n = 0
    try forEachExported(caseID: caseID, asOf: asOf) { e in
      try out.write([e])
      n += 1
    }
    return ExportResult(entities: n, outputs: try out.commit())
  }
}
