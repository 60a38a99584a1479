import CaseInterchange
import CaseTestSupport
import Foundation
@testable import CaseXML

/// Writes bytes to a fresh temporary file and returns its path.
func temporaryFile(_ bytes: [UInt8], name: String = "doc.xml") -> String {
  let dir = makeTemporaryDirectory("xml")
  let url = dir.appendingPathComponent(name)
  try! Data(bytes).write(to: url)
  return url.path
}

/// What reading a whole document gave: the records before any error, and the error.
struct ReadResult {
  var records: [XMLRecord] = []
  var error: FormatError?
  var root: XMLElementNode?
  var seconds: Double = 0
}

/// Reads every record of a document.
func readAll(
  _ bytes: [UInt8], selector: XMLRecordSelector = .childrenOfRoot, schema: XMLSchema? = nil, limits: XMLLimits = XMLLimits(),
  buildsTree: Bool = true, chunkSize: Int = 1 << 18
) -> ReadResult {
  readAll(path: temporaryFile(bytes), selector: selector, schema: schema, limits: limits, buildsTree: buildsTree, chunkSize: chunkSize)
}

/// Reads every record of a file.
func readAll(
  path: String, selector: XMLRecordSelector = .childrenOfRoot, schema: XMLSchema? = nil, limits: XMLLimits = XMLLimits(),
  buildsTree: Bool = true, chunkSize: Int = 1 << 18
) -> ReadResult {
  var result = ReadResult()
  let start = DispatchTime.now().uptimeNanoseconds
  defer { result.seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 }
  do {
    let file = try ChunkedFile(path: path, chunkSize: chunkSize)
    let reader = try XMLRecordReader(
      file: file, sourceName: "doc.xml", selector: selector, schema: schema, limits: limits, buildsTree: buildsTree)
    while let r = try reader.next() { result.records.append(r) }
    result.root = reader.root
  } catch {
    result.error = error
  }
  result.seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
  return result
}

extension String {
  var bytes: [UInt8] { Array(utf8) }
}

/// A file holding a unique secret: a hostile document that manages to include it would show the secret.
func canaryFile() -> (path: String, secret: String) {
  let secret = "canary-\(UUID().uuidString)"
  return (temporaryFile(Array(secret.utf8), name: "canary.txt"), secret)
}
