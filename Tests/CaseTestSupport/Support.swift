public import CaseBridge
public import Foundation

/// Paths of the repository, found from this file's location.
public enum Repo {
  /// The repository root.
  public static let root: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
  /// The Samples/ folder.
  public static var samples: URL { root.appendingPathComponent("Samples") }
  /// The Schemas/ folder.
  public static var schemas: URL { root.appendingPathComponent("Schemas") }
  /// Whether golden files are being re-recorded (`RECORD_GOLDENS=1`).
  public static var isRecording: Bool { ProcessInfo.processInfo.environment["RECORD_GOLDENS"] == "1" }
  /// Whether this is CI (tests needing outside tools fail instead of skipping).
  public static var isCI: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }
}

/// A fresh private temporary directory.
public func makeTemporaryDirectory(_ name: String = "t") -> URL {
  let u = FileManager.default.temporaryDirectory.appendingPathComponent("casebridge-tests-\(name)-\(UUID().uuidString)")
  try! FileManager.default.createDirectory(at: u, withIntermediateDirectories: true)
  return u
}

/// A seeded SplitMix64 generator: property tests print the seed so a failure can be replayed.
public struct SplitMix64: RandomNumberGenerator {
  private var state: UInt64
  /// Creates a generator from a seed.
  public init(seed: UInt64) { state = seed }
  /// The next 64 random bits.
  public mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}

/// Reads a file's bytes.
public func readBytes(_ url: URL) throws -> [UInt8] { [UInt8](try Data(contentsOf: url)) }

/// Parses JSON Lines bytes into JSON objects with CaseBridge's strict parser.
public func parseJSONLines(_ bytes: [UInt8]) throws -> [JSONValue] {
  var out: [JSONValue] = []
  var start = 0
  for i in bytes.indices where bytes[i] == 0x0A {
    if i > start { out.append(try JSONParser().parse(Array(bytes[start..<i]))) }
    start = i + 1
  }
  if start < bytes.count { out.append(try JSONParser().parse(Array(bytes[start...]))) }
  return out
}
