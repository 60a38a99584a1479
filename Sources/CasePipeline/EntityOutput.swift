public import CaseModel
public import CaseInterchange
import CaseJSON
import CaseNCMEC
import CaseXML

/// The outputs and the writer of one writable format: what `convert` writes through, and what `export` (the case
/// store) writes through, so both produce the same bytes for the same entities.
public final class EntityOutput {
  let set: OutputSet
  /// The format's writer (its sinks are temporaries until `commit`).
  public private(set) var writer: any RecordWriter
  /// The format written.
  public let format: FormatID

  init(set: OutputSet, writer: any RecordWriter, format: FormatID) {
    self.set = set
    self.writer = writer
    self.format = format
  }

  /// Creates the outputs of a writable format: `target` is a file or `-` (jsonl, json, xml, csv with an entity
  /// filter) or a directory (csv, ncmec-xml). Nil for a format without a writer.
  /// - Throws: `OutputError` when the target cannot be created.
  public static func make(format: FormatID, target: String, entityFilter: EntityType? = nil, neutralise: Bool = true)
    throws(OutputError) -> EntityOutput?
  {
    switch format {
    case .jsonl:
      let set = try OutputSet(target: target, isDirectory: false)
      return EntityOutput(set: set, writer: JSONLinesWriter(sink: try set.outputFile(named: "")), format: format)
    case .json:
      let set = try OutputSet(target: target, isDirectory: false)
      return EntityOutput(set: set, writer: CaseBundleWriter(sink: try set.outputFile(named: "")), format: format)
    case .xml:
      let set = try OutputSet(target: target, isDirectory: false)
      return EntityOutput(set: set, writer: CaseBridgeXMLWriter(sink: try set.outputFile(named: "")), format: format)
    case .csv:
      let set = try OutputSet(target: target, isDirectory: entityFilter == nil)
      return EntityOutput(set: set, writer: CSVEntityWriter(outputs: set, neutralise: neutralise, only: entityFilter), format: format)
    case .ncmecXML:
      let set = try OutputSet(target: target, isDirectory: true)
      return EntityOutput(set: set, writer: NCMECExportWriter(directory: set), format: format)
    default:
      return nil
    }
  }

  /// Writes the entities of one record.
  /// - Throws: the sink's I/O error.
  public func write(_ entities: [Entity]) throws { try writer.write(entities) }

  /// Finishes the writer and commits every file (temp, fsync, rename).
  /// - Throws: `OutputError` (a non-`OutputError` from the writer becomes `output.io-error`).
  public func commit() throws(OutputError) -> [OutputReport] {
    do {
      try writer.finish()
    } catch let e as OutputError {
      throw e
    } catch {
      throw OutputError(rule: "output.io-error", message: "output write failed")
    }
    var warnings: [String] = []
    if let r = writer as? any WarningReportingWriter { warnings += r.writerWarnings }
    return try set.commit(format: format, counts: writer.counts, warnings: warnings)
  }
}
