public import Foundation

/// Runs `scripts/validate_schemas.py` over `KIND FILE` pairs against Schemas/json/ (Python's `jsonschema`, an
/// independent implementation). Returns the exit status (0 valid, 1 violations, 3 jsonschema missing, 127 no
/// python3) and the script's combined output.
public func runSchemaValidator(_ args: [String]) throws -> (Int32, String) {
  let p = Process()
  p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
  p.arguments = ["python3", Repo.root.appendingPathComponent("scripts/validate_schemas.py").path, Repo.schemas.appendingPathComponent("json").path] + args
  let pipe = Pipe()
  p.standardOutput = pipe
  p.standardError = pipe
  try p.run()
  let data = pipe.fileHandleForReading.readToEndRetryingInterrupts()
  p.waitUntilExit()
  return (p.terminationStatus, String(decoding: data, as: UTF8.self))
}
