public import CaseModel
public import CaseInterchange
public import Logging
import CaseJSON
#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A `RecordWriter` that keeps the accepted entities in memory instead of writing them (library use, and
/// commands such as `match` that work on the accepted entities of a run). Rolling back to a checkpoint drops what
/// an input rejected part-way had contributed, exactly as a file output is truncated.
public final class EntityCollector: RecordWriter {
  /// The entity types kept; nil keeps every type. Others are accepted and counted by the run, but not kept.
  public let types: Set<EntityType>?
  /// The kept entities, in input and record order.
  public private(set) var entities: [Entity] = []

  /// Creates a collector.
  /// - Parameter types: The entity types to keep; nil keeps all.
  public init(types: Set<EntityType>? = nil) { self.types = types }

  /// Entities kept so far.
  public var count: Int { entities.count }
  /// Entities kept so far, under the single output name `""`.
  public var counts: [String: Int] { ["": entities.count] }
  /// Keeps the entities of one accepted record (those of the kept types).
  public func write(_ record: [Entity]) {
    for e in record where types?.contains(e.type) ?? true { entities.append(e) }
  }
  /// Nothing is buffered.
  public func flush() {}
  /// Drops the entities kept after the checkpoint.
  public func rollback(to checkpoint: WriterCheckpoint) {
    if checkpoint.count < entities.count { entities.removeSubrange(checkpoint.count...) }
  }
  /// Nothing to complete.
  public func finish() {}
}

extension Pipeline {
  /// The accepted entities of a run and its report.
  public struct Collected: Sendable {
    /// The accepted entities of the kept types, in input and record order.
    public var entities: [Entity]
    /// The run report (`outputs` is empty: nothing was written).
    public var report: RunReport
  }

  /// Runs readers, mapping, validation and quarantine over the inputs exactly as `validate` does (same readers,
  /// format inference, profiles, quarantine files and report), and returns the accepted entities instead of
  /// writing them.
  /// - Parameters:
  ///   - options: The run's options; `to` and `output` are ignored.
  ///   - logger: The run's logger.
  ///   - types: The entity types to keep (nil: all).
  /// - Returns: The entities and the report; the report's exit code covers the inputs only.
  public static func collect(options: RunOptions, logger: Logger, types: Set<EntityType>? = nil) -> Collected {
    var o = options
    o.to = nil
    o.output = nil
    let collector = EntityCollector(types: types)
    let report = Pipeline(options: o, logger: logger, writer: collector).run()
    return Collected(entities: collector.entities, report: report)
  }
}

/// Writes small result files into a directory atomically (temporary file, fsync, rename, fsync directory; mode
/// 0600), never replacing a file: if any target exists nothing is written (`output.cannot-create`, exit 73).
/// - Parameters:
///   - directory: The directory; created (0700) when missing.
///   - files: File names and their bytes, written in order.
/// - Returns: The paths written.
/// - Throws: `OutputError`.
public func writeNewFiles(in directory: String, _ files: [(name: String, bytes: [UInt8])]) throws(OutputError) -> [String] {
  let set = try OutputSet(target: directory, isDirectory: true)
  var opened: [OutputFile] = []
  for f in files {
    let out = try set.outputFile(named: f.name)
    do {
      try f.bytes.withUnsafeBytes { try out.write($0) }
    } catch let e as OutputError {
      throw e
    } catch {
      throw OutputError.io(out.target)
    }
    opened.append(out)
  }
  for out in opened {
    // Checked again just before the rename, which would replace a file created meanwhile.
    var st = stat()
    if lstat(out.target, &st) == 0 { throw OutputError(rule: "output.cannot-create", message: "\(out.target): exists; outputs are never overwritten") }
    try out.commit()
  }
  return opened.map(\.target)
}

/// Writes a run report file atomically (as `convert` and `validate` do).
/// - Throws: `OutputError` (`output.cannot-create`, exit 73).
public func writeReport(_ report: RunReport, to path: String) throws(OutputError) {
  var w = JSONWriter()
  w.write(report.json)
  w.bytes.append(0x0A)
  try writeFileAtomically(path, w.bytes)
}
