import CaseBridge
import CaseTestSupport
@testable import CaseXML
import Foundation
import Testing

/// Helpers of the CaseBridge XML tests: outside validators (xmllint, the generator script), sample entities and
/// the writer in memory.
enum CBX {
  static let xsdURL = Repo.schemas.appendingPathComponent("xml/casebridge-case-1.0.xsd")

  /// Runs a command; nil when it cannot be started (tool missing). In CI a missing tool is a failure.
  static func run(_ arguments: [String]) throws -> (status: Int32, output: String)? {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = arguments
    let pipe = Pipe()
    p.standardOutput = pipe
    p.standardError = pipe
    try p.run()
    let data = pipe.fileHandleForReading.readToEndRetryingInterrupts()
    p.waitUntilExit()
    let out = String(decoding: data, as: UTF8.self)
    if p.terminationStatus == 127 {
      if Repo.isCI { Issue.record("\(arguments[0]) is required in CI: \(out)") }
      return nil
    }
    return (p.terminationStatus, out)
  }

  /// Validates XML documents against the committed XSD with xmllint (libxml2's command-line validator).
  /// - Returns: nil when xmllint is missing outside CI.
  static func xmllint(_ documents: [[UInt8]]) throws -> (status: Int32, output: String)? {
    let dir = makeTemporaryDirectory("xmllint")
    var paths: [String] = []
    for (i, d) in documents.enumerated() {
      let u = dir.appendingPathComponent("doc-\(i).xml")
      try Data(d).write(to: u)
      paths.append(u.path)
    }
    return try run(["xmllint", "--noout", "--nonet", "--schema", xsdURL.path] + paths)
  }

  /// The entities of a JSON Lines file, decoded strictly.
  static func entities(_ relative: String) throws -> [Entity] {
    try parseJSONLines(readBytes(Repo.samples.appendingPathComponent(relative))).map { v in
      let (e, unknown) = try JSONValueDecoder().decode(Entity.self, from: v)
      #expect(unknown.isEmpty)
      return e
    }
  }

  /// CaseBridge XML of entities, written in memory, one record per entity.
  static func write(_ entities: [Entity]) throws -> [UInt8] {
    let sink = MemoryByteSink()
    var w = CaseBridgeXMLWriter(sink: sink)
    for e in entities { try w.write([e]) }
    try w.finish()
    return sink.bytes
  }

  /// A document's root and record elements, read with the hardened reader; with `validating`, every record is
  /// validated in-process against the XSD and must be valid.
  static func elements(_ xml: [UInt8], validating: Bool = true) throws -> (root: XMLElementNode, records: [XMLElementNode]) {
    let schema = validating ? try CaseBridgeXMLFormat.compiledSchema.get() : nil
    let r = readAll(xml, schema: schema)
    if let e = r.error { throw e }
    for rec in r.records { #expect(rec.schemaErrors.isEmpty, "\(rec.schemaErrors.map(\.rendered))") }
    return (try #require(r.root), r.records.map(\.element))
  }

  /// The canonical JSON bytes of an entity (what round trips compare).
  static func canonical(_ e: Entity) -> [UInt8] { EntityJSONEncoder().bytes(e) }
}
