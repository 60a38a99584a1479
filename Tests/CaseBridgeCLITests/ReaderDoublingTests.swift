import CaseBridge
import CaseTestSupport
import Foundation
import Testing

/// Issue 11 item 2 for the readers of CSV, CaseBridge JSON / JSON Lines / XML, NCMEC XML and CyberTip JSON: an
/// adversarial input doubled three times; the child's CPU time may grow at most 2.2× per doubling (linear, with
/// room for noise). Runs the CLI under `runBounded`; the largest run of each costs a few tenths of a second in a
/// debug build.
@Suite(.serialized) struct ReaderDoublingTests {
  /// Measures `validate` over the inputs `make(n)` builds and checks the per-doubling ratios.
  /// With `instructions`, the cost is the instructions callgrind counts (deterministic, blind to caches; for inputs
  /// whose CPU time grows faster than their work once they leave the caches, or that must stay small).
  func check(
    _ label: String, sizes: [Int], maxScale: Int = 64, instructions: Bool = false,
    _ make: (Int) -> (text: String, args: [String])
  ) throws {
    guard boundedRunToolsPresent else {
      if ProcessInfo.processInfo.environment["CI"] == "true" { Issue.record("missing tools under CI=true: \(boundedRunTools)") }
      return
    }
    let dir = makeTemporaryDirectory("doubling-" + label)
    defer { try? FileManager.default.removeItem(at: dir) }
    var inputs: [Int: (String, [String])] = [:]
    if instructions, try instructionCount(["--version"]) == nil {
      if Repo.isCI { Issue.record("valgrind and strip are required in CI") }
      return
    }
    let result = try doublingRatios(
      sizes: sizes, repetitions: instructions ? 1 : 3, minimumCost: instructions ? 0 : 0.15, maxScale: maxScale
    ) { n in
      if inputs[n] == nil {
        let (text, args) = make(n)
        let url = dir.appendingPathComponent("\(n)-\(label)")
        try Data(text.utf8).write(to: url)
        inputs[n] = (url.path, args)
      }
      let (path, args) = inputs[n]!
      if instructions { return try instructionCount(["validate", path] + args) ?? .infinity }
      let r = try runBounded(["validate", path] + args, seconds: 60, discardStdout: true)
      #expect(r.status < 64 || r.status == 65, "\(label) n=\(n): exit \(r.status)\n\(r.stderr.prefix(400))")
      return r.cpu ?? 60
    }
    if ProcessInfo.processInfo.environment["DOUBLING_VERBOSE"] != nil { print("doubling \(label): \(result.table)") }
    #expect(result.isLinear, "\(label): \(result.table)")
  }

  static func members(_ n: Int) -> String { (0..<n).map { "\"k\($0)\":1" }.joined(separator: ",") }
  static func attributes(_ n: Int) -> String { (0..<n).map { "a\($0)=\"\"" }.joined(separator: " ") }

  @Test("CSV: many identical rows, and one long quoted field full of doubled quotes")
  func csv() throws {
    let header = "Account No,Subscriber,Service Address,City,State,ZIP,IP Address,Port From,Port To,Lease Start (Eastern),Lease End (Eastern)\r\n"
    let row = "0008497101,\"Example, Jane Q\",123 Example Street,Anytown,VA,00000,198.51.100.23,,,2024-02-10 09:03:11,2024-02-12 04:00:00\r\n"
    try check("rows.csv", sizes: [250, 500, 1_000, 2_000]) { n in
      (header + String(repeating: row, count: n), ["--from", "csv"])
    }
    try check("quoted.csv", sizes: [250_000, 500_000, 1_000_000, 2_000_000]) { n in
      (header + "0008497101,\"" + String(repeating: "\"\"x", count: n) + "\",a,b,VA,00000,198.51.100.23,,,2024-02-10 09:03:11,2024-02-12 04:00:00\r\n",
       ["--from", "csv", "--max-field-bytes", "16777216"])
    }
  }

  @Test("JSON bundle: many unknown members in one entity, and many entities")
  func jsonBundle() throws {
    // Instructions, as for JSON Lines members: in CPU time a 1.28M-member entity grew 2.25x a doubling in CI from
    // cache misses alone.
    try check("members.json", sizes: [5_000, 10_000, 20_000, 40_000], instructions: true) { n in
      ("{\"casebridgeVersion\":\"1.0\",\"entities\":[{\"type\":\"person\",\"id\":\"p1\",\(Self.members(n))}]}\n", ["--from", "json"])
    }
    try check("entities.json", sizes: [1_000, 2_000, 4_000, 8_000]) { n in
      let e = (0..<n).map { "{\"type\":\"person\",\"id\":\"p\($0)\",\"names\":[{\"full\":\"Test Person \($0)\"}],\"emails\":[{\"address\":\"p\($0)@example.com\"}]}" }
      return ("{\"casebridgeVersion\":\"1.0\",\"entities\":[" + e.joined(separator: ",") + "]}\n", ["--from", "json"])
    }
  }

  @Test("JSON Lines: many unknown members in one line (finding jsonl-many-members-quadratic)")
  func jsonLines() throws {
    // Counted in instructions (callgrind), not CPU time: the parsed object takes ~200 bytes a member, and from a
    // few hundred thousand members on the CPU time grows ~2.3x a doubling from cache misses alone (release: 0.85 s
    // at 640k members, 1.99 s at 1.28M) while the instructions grow 1.9-2.0x (393.6M, 730.8M, 1443.5M at 40k, 80k,
    // 160k). The finding's quadratic cost was 4x a doubling in either measure.
    try check("members.jsonl", sizes: [5_000, 10_000, 20_000, 40_000], instructions: true) { n in
      ("{\"type\":\"person\",\"id\":\"p1\",\(Self.members(n))}\n", ["--from", "jsonl"])
    }
  }

  @Test("CaseBridge XML: elements with attributes just below the cap, and many records")
  func caseXML() throws {
    let head = "<?xml version=\"1.0\"?>\n<CaseBundle xmlns=\"urn:casebridge:xml:case:1.0\" casebridgeVersion=\"1.0\">\n"
    let a = Self.attributes(250)
    try check("attributes.xml", sizes: [100, 200, 400, 800]) { n in
      (head + String(repeating: "<Person id=\"p1\" \(a)/>\n", count: n) + "</CaseBundle>\n", ["--from", "xml"])
    }
    try check("records.xml", sizes: [2_000, 4_000, 8_000, 16_000]) { n in
      (head + (0..<n).map { "<Person id=\"p\($0)\"><Name><Full>Test Person \($0)</Full></Name></Person>\n" }.joined() + "</CaseBundle>\n", ["--from", "xml"])
    }
  }

  @Test("NCMEC XML: a report with many elements, and one with attributes just below the cap on many elements")
  func ncmecXML() throws {
    try check("emails.xml", sizes: [2_000, 4_000, 8_000, 16_000]) { n in
      let emails = (0..<n).map { "<email>r\($0)@example.com</email>" }.joined()
      return ("<?xml version=\"1.0\"?>\n<report><incidentSummary><incidentType>Child Pornography (possession, manufacture, and distribution)</incidentType><incidentDateTime>2024-03-01T12:00:00Z</incidentDateTime></incidentSummary><reporter><reportingPerson>\(emails)</reportingPerson></reporter></report>\n",
        ["--from", "ncmec-xml"])
    }
    let a = Self.attributes(250)
    try check("attributes.xml", sizes: [100, 200, 400, 800]) { n in
      ("<?xml version=\"1.0\"?>\n<report>" + String(repeating: "<x \(a)/>", count: n) + "</report>\n", ["--from", "ncmec-xml"])
    }
  }

  @Test("CyberTip JSON: many unknown members in one tip, and many tips as lines")
  func cyberTip() throws {
    try check("members.json", sizes: [5_000, 10_000, 20_000, 40_000], instructions: true) { n in
      ("{\"reportId\":90000001,\"dateReceived\":\"2024-02-12T09:30:00Z\",\(Self.members(n))}\n", ["--from", "cybertip-json"])
    }
    try check("tips.json", sizes: [250, 500, 1_000, 2_000]) { n in
      ((0..<n).map { "{\"reportId\":\(90000001 + $0),\"dateReceived\":\"2024-02-12T09:30:00Z\",\"reportedInformation\":{\"reportingEsp\":{\"espName\":\"Example Photo Share\"},\"incidentSummary\":{\"incidentType\":\"Child Pornography (possession, manufacture, and distribution)\",\"incidentDateTime\":\"2024-02-11T09:03:00-05:00\"}}}\n" }.joined(),
       ["--from", "cybertip-json"])
    }
  }

  /// The agency readers: an agency's own XML, JSON and JSON Lines through the shipped example profiles, with many
  /// records and with one record carrying many members or elements the profile does not read.
  @Test("Agency XML, JSON and JSON Lines through profiles: many records, and one record with many unread members")
  func agencyProfiles() throws {
    let profiles = Repo.schemas.appendingPathComponent("profiles")
    let xml = ["--profile", profiles.appendingPathComponent("lakeside-cad-xml.json").path]
    let head = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<cad:Export xmlns:cad=\"urn:example:lakeside-cad:2\"><cad:Incidents>\n"
    try check("incidents.xml", sizes: [500, 1_000, 2_000, 4_000]) { n in
      (head + (0..<n).map {
        "<cad:Incident number=\"LK-24-\($0)\"><cad:Opened>2024-04-01T18:20:00Z</cad:Opened><cad:Subject role=\"suspect\"><cad:Name><cad:Family>Example</cad:Family></cad:Name><cad:Email type=\"home\">p\($0)@example.org</cad:Email></cad:Subject></cad:Incident>\n"
      }.joined() + "</cad:Incidents></cad:Export>\n", xml)
    }
    // Instructions: a record holds at most 100,000 elements (xml limits), so this input stays small, and its CPU
    // time is too short to read ratios from.
    try check("unread.xml", sizes: [2_000, 4_000, 8_000, 16_000], instructions: true) { n in
      (head + "<cad:Incident number=\"LK-24-1\"><cad:Opened>2024-04-01T18:20:00Z</cad:Opened>"
        + (0..<n).map { "<cad:Note\($0)>x</cad:Note\($0)>" }.joined() + "</cad:Incident></cad:Incidents></cad:Export>\n", xml)
    }
    let json = ["--profile", profiles.appendingPathComponent("riverside-rms-json.json").path]
    try check("incidents.json", sizes: [500, 1_000, 2_000, 4_000]) { n in
      ("{\"exportedBy\":\"Example RMS 4.2\",\"incidents\":[" + (0..<n).map {
        "{\"incidentNo\":\"RS-2024-\($0)\",\"reported\":\"03/02/2024 14:05\",\"subject\":{\"first\":\"Test\",\"last\":\"Person\",\"email\":\"p\($0)@example.com\"}}"
      }.joined(separator: ",") + "]}\n", json)
    }
    // Instructions, as for JSON Lines members: past a few hundred thousand members CPU time grows from cache misses.
    try check("unread.json", sizes: [5_000, 10_000, 20_000, 40_000], instructions: true) { n in
      ("{\"incidents\":[{\"incidentNo\":\"RS-2024-1\",\"reported\":\"03/02/2024 14:05\",\(Self.members(n))}]}\n", json)
    }
    let jsonl = ["--profile", profiles.appendingPathComponent("hotline-referrals-jsonl.json").path]
    try check("referrals.jsonl", sizes: [500, 1_000, 2_000, 4_000]) { n in
      ((0..<n).map {
        "{\"ref\":\"HL-24-\($0)\",\"received\":\"2024-05-06T10:15:00+01:00\",\"account\":{\"service\":\"ExampleChat\",\"handle\":\"user_\($0)\"},\"ip\":\"192.0.2.15\",\"ipSeen\":\"2024-05-06T09:58:31+01:00\"}\n"
      }.joined(), jsonl)
    }
  }
}
