import CaseBridge
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

enum FuzzTargets {
  /// Every target by name. Readers run the whole pipeline (as `convert --to jsonl` runs it); field targets call
  /// the parser.
  static let all: [String: @Sendable ([UInt8]) -> Void] = {
    var t: [String: @Sendable ([UInt8]) -> Void] = [:]
    for r in ReaderTarget.all { t[r.name] = { r.run($0) } }
    t["profile-json"] = { _ = try? ProfileLoader.load(bytes: $0, source: "fuzz.json", sha256: "") }
    t["profile-yaml"] = { _ = try? ProfileLoader.load(bytes: $0, source: "fuzz.yaml", sha256: "") }
    t["timestamp"] = timestamp
    t["date-pattern"] = datePattern
    t["ip"] = ip
    t["email"] = email
    t["phone"] = phone
    t["hash"] = hash
    t["constraint-pattern"] = constraintPattern
    return t
  }()

  static func text(_ b: [UInt8]) -> String { String(decoding: b, as: UTF8.self) }

  // Field parsers: deterministic, and what they accept, rendered canonically, parses again to the same value.
  static func timestamp(_ b: [UInt8]) {
    let s = text(b)
    guard case .success(let t) = Timestamp.parseISO8601(s) else { return }
    guard case .success(let again) = Timestamp.parseISO8601(t.utcText), again.instant == t.instant else {
      violation("timestamp: the UTC text of an accepted value does not parse to the same instant")
    }
  }

  static func datePattern(_ b: [UInt8]) {
    // First line: the pattern; the rest: the text.
    let s = text(b)
    let parts = s.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false)
    guard parts.count == 2, let pattern = try? DateTimePattern(String(parts[0])) else { return }
    let first = pattern.parse(String(parts[1]))
    let second = pattern.parse(String(parts[1]))
    if "\(first)" != "\(second)" { violation("date pattern: two parses of the same text differ") }
  }

  static func ip(_ b: [UInt8]) {
    guard case .success(let a) = IPAddress.parse(text(b)) else { return }
    guard case .success(let again) = IPAddress.parse(a.normalized), again.normalized == a.normalized, again.bytes == a.bytes else {
      violation("ip: the normalised form of an accepted address does not parse to itself")
    }
  }

  static func email(_ b: [UInt8]) {
    guard case .success(let e) = EmailAddress.parse(text(b)) else { return }
    guard case .success(let again) = EmailAddress.parse(e.normalized), again.normalized == e.normalized else {
      violation("email: the normalised form of an accepted address does not parse to itself")
    }
  }

  static func phone(_ b: [UInt8]) {
    for region in [nil] + PhoneRegion.supported.prefix(3).map(Optional.some) {
      guard case .success(let p) = PhoneNumber.parse(text(b), defaultRegion: region) else { continue }
      guard case .success(let again) = PhoneNumber.parse(p.e164, defaultRegion: nil), again.e164 == p.e164 else {
        violation("phone: the E.164 form of an accepted number does not parse to itself")
      }
    }
  }

  /// A profile constraint's pattern (first line) against a value (the rest): compiling either refuses or yields a
  /// program within its size limit; matching is deterministic; a pattern of plain characters matches exactly
  /// itself. (Time is bounded by construction; libFuzzer's -timeout catches a regression.)
  static func constraintPattern(_ b: [UInt8]) {
    let parts = text(b).split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false)
    guard parts.count == 2 else { return }
    let source = String(parts[0])
    let value = String(parts[1])
    guard let p = try? ConstraintPattern(source) else { return }
    let first = p.matches(value)
    if p.matches(value) != first { violation("constraint-pattern: two matches of one value disagree") }
    let meta = Set("\\^$.|?*+()[]{}".unicodeScalars)
    if !source.unicodeScalars.contains(where: { meta.contains($0) }) {
      if !p.matches(source) { violation("constraint-pattern: a pattern of plain characters does not match itself") }
      if first != (value == source) { violation("constraint-pattern: a pattern of plain characters matches another value") }
    }
  }

  static func hash(_ b: [UInt8]) {
    for algorithm in HashAlgorithm.allCases {
      guard case .success(let h) = HashDigest.parse(algorithm: algorithm, hex: text(b)) else { continue }
      guard case .success(let again) = HashDigest.parse(algorithm: algorithm, hex: h.hex), again.hex == h.hex else {
        violation("hash: the canonical hex of an accepted digest does not parse to itself")
      }
    }
  }
}

/// A reader run through the whole pipeline: the input is written to a scratch file with the target's extension
/// and converted to JSON Lines twice, with a quarantine and a report.
struct ReaderTarget: Sendable {
  var name: String
  var ext: String
  var from: FormatID?
  var profile: String?

  /// The reader targets, from FuzzTesting/targets.json (FuzzFailCaseTests replays found inputs from the same list).
  static let all: [ReaderTarget] = {
    let url = repo.appendingPathComponent("FuzzTesting/targets.json")
    guard let data = try? Data(contentsOf: url), case .object(let root)? = try? JSONParser().parse(Array(data)),
      case .array(let readers)? = root["readers"]
    else { violation("cannot read \(url.path)") }
    return readers.compactMap { r -> ReaderTarget? in
      guard case .object(let o) = r, case .string(let name)? = o["name"], case .string(let ext)? = o["ext"] else { return nil }
      var from: FormatID? = nil
      if case .string(let f)? = o["from"] { from = FormatID(rawValue: f) }
      var profile: String? = nil
      if case .string(let p)? = o["profile"] { profile = p }
      return ReaderTarget(name: name, ext: ext, from: from, profile: profile)
    }
  }()

  static let scratch: URL = {
    let u = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("casebridge-fuzz-\(getpid())")
    try? FileManager.default.createDirectory(at: u, withIntermediateDirectories: true)
    return u
  }()

  struct Outcome: Equatable {
    var inputs: String
    var output: [UInt8]
    var quarantine: [String: [UInt8]]
  }

  func convert(_ input: String, from: FormatID?, profile: String?, tag: String) -> (RunReport, Outcome) {
    let run = "run"  // one name, so the report's quarantine paths of two runs over one input are equal
    let out = ReaderTarget.scratch.appendingPathComponent("\(tag).out.jsonl").path
    let q = ReaderTarget.scratch.appendingPathComponent("q")
    var o = RunOptions(command: "convert", inputs: [input])
    o.from = from
    o.to = .jsonl
    o.output = out
    o.quarantineDirectory = q.path
    o.runID = run
    o.now = Instant.parseUTC("2026-12-07T00:00:00Z")
    o.profilePath = profile.map { repo.appendingPathComponent($0).path }
    let report = Pipeline(options: o).run()
    var w = JSONWriter()
    if case .object(let root) = report.json, let inputs = root["inputs"] { w.write(inputs) }
    let output = (try? Array(Data(contentsOf: URL(fileURLWithPath: out)))) ?? []
    var files: [String: [UInt8]] = [:]
    let dir = q.appendingPathComponent(run)
    for name in (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? [] {
      files[name] = (try? Array(Data(contentsOf: dir.appendingPathComponent(name)))) ?? []
    }
    try? FileManager.default.removeItem(at: dir)
    try? FileManager.default.removeItem(atPath: out)
    return (report, Outcome(inputs: String(decoding: w.bytes, as: UTF8.self), output: output, quarantine: files))
  }

  func run(_ bytes: [UInt8]) {
    let input = ReaderTarget.scratch.appendingPathComponent("input.\(ext)")
    guard (try? Data(bytes).write(to: input)) != nil else { violation("cannot write the scratch input") }
    let (report, first) = convert(input.path, from: from, profile: profile, tag: "a")
    if report.exitCode == 78 || report.exitCode == 64 { violation("the target's own profile or options are refused: exit \(report.exitCode)") }
    for i in report.inputs where i.disposition == .processed || i.disposition == .rejected {
      if i.read != i.accepted + i.quarantined { violation("read \(i.read) != accepted \(i.accepted) + quarantined \(i.quarantined)") }
      if i.disposition == .processed && i.read > 0 && first.output.isEmpty && i.accepted > 0 && i.entities.values.reduce(0, +) > 0 {
        violation("accepted records but no output")
      }
    }
    // Every finding points inside the input.
    for (name, content) in first.quarantine where name.hasSuffix(".diagnostics.jsonl") {
      for line in content.split(separator: 0x0A) {
        guard case .object(let d)? = try? JSONParser().parse(Array(line)) else { violation("a diagnostics line is not a JSON object") }
        if case .number(let off)? = d["byteOffset"], let o = Int(off.description), o > bytes.count {
          violation("a finding's byte offset \(o) is past the input's \(bytes.count) bytes")
        }
      }
    }
    // The same input gives the same result twice.
    let (_, second) = convert(input.path, from: from, profile: profile, tag: "b")
    if first != second { violation("two runs over the same input differ") }
    // What was accepted re-reads as CaseBridge JSON Lines without a quarantined record. The one exception is
    // `ref.dangling`: phase A collects the ids of every record, so an accepted record may refer to one that was then
    // quarantined (it resolves once that record is fixed and fed back); read alone, the output lacks it.
    if !first.output.isEmpty {
      let again = ReaderTarget.scratch.appendingPathComponent("again.jsonl")
      guard (try? Data(first.output).write(to: again)) != nil else { violation("cannot write the scratch output") }
      let (r, _) = convert(again.path, from: .jsonl, profile: nil, tag: "c")
      let errors = r.inputs.first?.rules.keys.filter { $0 != "ref.dangling" && RuleCatalogue.descriptor($0)?.severity != .warning } ?? []
      if let i = r.inputs.first, i.disposition != .processed || (i.quarantined > 0 && !errors.isEmpty) {
        violation("accepted output does not re-read cleanly: \(i.quarantined) quarantined, rules \(i.rules.keys.sorted())")
      }
    }
  }
}
