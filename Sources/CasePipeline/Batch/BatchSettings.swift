public import CaseJSON
public import CaseInterchange
import CaseMapping
#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// How the limits of a file's child process scale with the file's size (`limits` in the batch config).
///
/// For a file of `size` bytes, `MiB = ceil(size / 1 MiB)`:
/// - address space (`RLIMIT_AS`) = `addressSpaceMiB` MiB + `addressSpacePerInputByte` × size;
/// - CPU time (`RLIMIT_CPU`, soft; the hard limit is one second more) = `cpuSeconds` + `cpuSecondsPerMiB` × MiB;
/// - wall clock (the parent kills the child with SIGKILL) = `wallSeconds` + `wallSecondsPerMiB` × MiB;
/// - open files (`RLIMIT_NOFILE`) = `openFiles`; core dumps (`RLIMIT_CORE`) 0.
///
/// `read` holds the reader limits every child runs with (`maxInputBytes`, `maxRecordBytes`, `maxFieldBytes`,
/// `maxDepth`, `maxElements`, `maxRecordElements`, `maxAttributes` in the config; the same ranges as the
/// `convert` options of the same names): a child gets a `--max-…` option for each one that is not the default.
public struct BatchLimits: Sendable, Equatable {
  public var addressSpaceMiB = 1024
  public var addressSpacePerInputByte = 8
  public var cpuSeconds = 10
  public var cpuSecondsPerMiB = 2
  public var wallSeconds = 60
  public var wallSecondsPerMiB = 4
  public var openFiles = 256
  /// The reader limits of every child.
  public var read = ReadLimits()

  public init() {}

  /// The child's `--max-…` options: one for each reader limit that is not the default.
  public var readArguments: [String] {
    let d = ReadLimits()
    var a: [String] = []
    func add(_ option: String, _ value: Int, _ fallback: Int) { if value != fallback { a += [option, String(value)] } }
    add("--max-input-bytes", read.maxInputBytes, d.maxInputBytes)
    add("--max-record-bytes", read.maxRecordBytes, d.maxRecordBytes)
    add("--max-field-bytes", read.maxFieldBytes, d.maxFieldBytes)
    add("--max-depth", read.maxDepth, d.maxDepth)
    add("--max-elements", read.maxElements, d.maxElements)
    add("--max-record-elements", read.maxRecordElements, d.maxRecordElements)
    add("--max-attributes", read.maxAttributes, d.maxAttributes)
    return a
  }

  /// The limits for a file of `size` bytes.
  public func forInput(bytes size: Int) -> ChildLimits {
    let mib = (max(size, 0) + (1 << 20) - 1) >> 20
    let (asExtra, o1) = size.multipliedReportingOverflow(by: addressSpacePerInputByte)
    let asBytes = o1 ? Int.max : (addressSpaceMiB << 20).addingReportingOverflow(asExtra).partialValue
    return ChildLimits(
      addressSpace: asBytes < 0 ? Int.max : asBytes, cpuSeconds: cpuSeconds + cpuSecondsPerMiB * mib,
      wallSeconds: wallSeconds + wallSecondsPerMiB * mib, openFiles: openFiles)
  }

  /// The config key of a `--max-…` option (`--max-record-bytes` → `maxRecordBytes`).
  static func readKey(option: String) -> String {
    var key = ""
    var upper = false
    for c in option.dropFirst(2) {
      if c == "-" { upper = true; continue }
      key.append(upper ? Character(c.uppercased()) : c)
      upper = false
    }
    return key
  }

  var json: JSONValue {
    func n(_ i: Int) -> JSONValue { .number(JSONNumber(Int64(i))) }
    return .object(JSONObject([
      JSONMember(key: "addressSpaceMiB", value: n(addressSpaceMiB)),
      JSONMember(key: "addressSpacePerInputByte", value: n(addressSpacePerInputByte)),
      JSONMember(key: "cpuSeconds", value: n(cpuSeconds)), JSONMember(key: "cpuSecondsPerMiB", value: n(cpuSecondsPerMiB)),
      JSONMember(key: "wallSeconds", value: n(wallSeconds)), JSONMember(key: "wallSecondsPerMiB", value: n(wallSecondsPerMiB)),
      JSONMember(key: "openFiles", value: n(openFiles)),
    ] + stride(from: 0, to: readArguments.count, by: 2).map { i in
      // Only the reader limits that are set, so reports of configs without them keep their bytes.
      JSONMember(key: Self.readKey(option: readArguments[i]), value: n(Int(readArguments[i + 1]) ?? 0))
    }))
  }
}

/// A `profiles` entry of the batch config: files whose name matches `glob` (fnmatch(3), on the name only) are read
/// with `profile`. The first matching entry wins; a file no entry matches is read without a profile (CSV then uses
/// the default profile).
public struct BatchProfileRule: Sendable, Equatable {
  public var glob: String
  public var profile: String
  public init(glob: String, profile: String) {
    self.glob = glob
    self.profile = profile
  }
}

/// Everything a batch run needs. Built from the config file (if any), then the command-line flags on top.
public struct BatchSettings: Sendable {
  public var inbox: String?
  public var store: String?
  public var archive: String?
  public var quarantine: String?
  public var reports: String?
  /// Seconds a file's mtime must lie in the past (and its size and mtime stay unchanged between the scan and the
  /// open) before it is taken without a `.ready` marker.
  public var settle = 60
  public var runID: String?
  public var limits = BatchLimits()
  public var profiles: [BatchProfileRule] = []
  /// The config file, when one was given.
  public var configPath: String?

  public init() {}

  /// The profile for a file name: the first `profiles` entry whose glob matches.
  public func profile(forName name: String) -> String? {
    profiles.first { fnmatch($0.glob, name, 0) == 0 }?.profile
  }

  /// The settings that change results, as canonical JSON (hashed into the report's `configurationSha256`).
  public var configuration: JSONValue {
    func s(_ v: String?) -> JSONValue { v.map { .string($0) } ?? .null }
    return .object(JSONObject([
      JSONMember(key: "command", value: .string("batch")),
      JSONMember(key: "inbox", value: s(inbox)), JSONMember(key: "store", value: s(store)),
      JSONMember(key: "archive", value: s(archive)), JSONMember(key: "quarantine", value: s(quarantine)),
      JSONMember(key: "reports", value: s(reports)),
      JSONMember(key: "settle", value: .number(JSONNumber(Int64(settle)))),
      JSONMember(key: "limits", value: limits.json),
      JSONMember(key: "profiles", value: .array(profiles.map {
        .object(JSONObject([JSONMember(key: "glob", value: .string($0.glob)), JSONMember(key: "profile", value: .string($0.profile))]))
      })),
      JSONMember(key: "childCommand", value: .string(BatchChildCommand.current.name)),
    ]))
  }
}

/// A batch configuration problem (exit 78), located when it is in the file.
public struct BatchConfigError: Error, Sendable, CustomStringConvertible {
  public var message: String
  public var description: String { message + " [config.invalid]" }
  public init(_ message: String) { self.message = message }
}

extension BatchSettings {
  /// The keys the config file may hold.
  public static let configKeys: Set<String> = ["inbox", "store", "archive", "quarantine", "reports", "settle", "runId", "limits", "profiles"]
  static let limitKeys: Set<String> = [
    "addressSpaceMiB", "addressSpacePerInputByte", "cpuSeconds", "cpuSecondsPerMiB", "wallSeconds", "wallSecondsPerMiB", "openFiles",
    "maxInputBytes", "maxRecordBytes", "maxFieldBytes", "maxDepth", "maxElements", "maxRecordElements", "maxAttributes",
  ]

  /// Reads a config file (JSON; YAML when it ends in `.yaml`/`.yml`; at most 4 MiB; YAML anchors and aliases are
  /// refused). Relative paths in it (`inbox`, `store`, `archive`, `quarantine`, `reports`, each `profile`) resolve
  /// against the directory of the config file, not the current directory. Unknown keys are errors naming the line.
  public static func load(configPath path: String) throws(BatchConfigError) -> BatchSettings {
    let bytes: [UInt8]
    do {
      guard let all = try readSmallFile(path, limit: 4 << 20) else { throw BatchConfigError("\(path): the config is larger than 4 MiB") }
      bytes = all
    } catch let e as BatchConfigError {
      throw e
    } catch let e as FormatError {
      throw BatchConfigError("\(path): cannot read the config (\(e.rule))")
    } catch {
      throw BatchConfigError("\(path): cannot read the config")
    }
    let doc: ConfigDocument
    do {
      doc = try ConfigDocument(bytes: bytes, source: path)
    } catch {
      throw BatchConfigError("\(error.source):\(error.line):\(error.column): \(error.message)")
    }
    let base = dirName(path)
    func resolve(_ p: String) -> String { p.hasPrefix("/") ? p : base + "/" + p }
    func fail(_ m: JSONMember, _ message: String) -> BatchConfigError {
      let pos = doc.position(of: m)
      return BatchConfigError("\(path):\(pos.line):\(pos.column): \(message)")
    }
    func string(_ m: JSONMember) throws(BatchConfigError) -> String {
      guard case .string(let s) = m.value, !s.isEmpty else { throw fail(m, "'\(m.key)' must be a non-empty string") }
      return s
    }
    func int(_ m: JSONMember, _ range: ClosedRange<Int>) throws(BatchConfigError) -> Int {
      guard case .number(let n) = m.value, let i = n.int64Value, range.contains(Int(i)) else {
        throw fail(m, "'\(m.key)' must be an integer from \(range.lowerBound) to \(range.upperBound)")
      }
      return Int(i)
    }
    guard case .object(let root) = doc.root else { throw BatchConfigError("\(path):1:1: the config must be an object (a mapping)") }
    var s = BatchSettings()
    s.configPath = path
    for m in root.members {
      switch m.key {
      case "inbox": s.inbox = resolve(try string(m))
      case "store": s.store = resolve(try string(m))
      case "archive": s.archive = resolve(try string(m))
      case "quarantine": s.quarantine = resolve(try string(m))
      case "reports": s.reports = resolve(try string(m))
      case "settle": s.settle = try int(m, 0...31_536_000)
      case "runId": s.runID = try string(m)
      case "limits":
        guard case .object(let o) = m.value else { throw fail(m, "'limits' must be an object") }
        for l in o.members {
          switch l.key {
          case "addressSpaceMiB": s.limits.addressSpaceMiB = try int(l, 16...1 << 20)
          case "addressSpacePerInputByte": s.limits.addressSpacePerInputByte = try int(l, 0...1024)
          case "cpuSeconds": s.limits.cpuSeconds = try int(l, 1...1_000_000)
          case "cpuSecondsPerMiB": s.limits.cpuSecondsPerMiB = try int(l, 0...3600)
          case "wallSeconds": s.limits.wallSeconds = try int(l, 1...1_000_000)
          case "wallSecondsPerMiB": s.limits.wallSecondsPerMiB = try int(l, 0...3600)
          case "openFiles": s.limits.openFiles = try int(l, 16...65536)
          case "maxInputBytes": s.limits.read.maxInputBytes = try int(l, ReadLimits.inputBytesRange)
          case "maxRecordBytes": s.limits.read.maxRecordBytes = try int(l, ReadLimits.recordBytesRange)
          case "maxFieldBytes": s.limits.read.maxFieldBytes = try int(l, ReadLimits.fieldBytesRange)
          case "maxDepth": s.limits.read.maxDepth = try int(l, ReadLimits.depthRange)
          case "maxElements": s.limits.read.maxElements = try int(l, ReadLimits.elementsRange)
          case "maxRecordElements": s.limits.read.maxRecordElements = try int(l, ReadLimits.recordElementsRange)
          case "maxAttributes": s.limits.read.maxAttributes = try int(l, ReadLimits.attributesRange)
          default: throw fail(l, "unknown key 'limits.\(l.key)' (known: \(limitKeys.sorted().joined(separator: ", ")))")
          }
        }
      case "profiles":
        guard case .array(let items) = m.value else { throw fail(m, "'profiles' must be a list of {glob, profile}") }
        for item in items {
          guard case .object(let o) = item else { throw fail(m, "each 'profiles' entry must be an object {glob, profile}") }
          var glob: String?
          var profile: String?
          for p in o.members {
            switch p.key {
            case "glob": glob = try string(p)
            case "profile": profile = resolve(try string(p))
            default: throw fail(p, "unknown key '\(p.key)' in a 'profiles' entry (known: glob, profile)")
            }
          }
          guard let glob, let profile else { throw fail(m, "each 'profiles' entry needs both 'glob' and 'profile'") }
          s.profiles.append(BatchProfileRule(glob: glob, profile: profile))
        }
      default:
        throw fail(m, "unknown key '\(m.key)' (known: \(configKeys.sorted().joined(separator: ", ")))")
      }
    }
    return s
  }
}
