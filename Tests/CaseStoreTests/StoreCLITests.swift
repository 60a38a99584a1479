import CaseBridge
import CaseTestSupport
import Foundation
import GRDB
import Testing

/// The store commands through the binary, over the planted fixture store.
@Suite struct StoreCLITests {
  static let bin = CaseBridgeBinary.debug

  @Test("a missing store is exit 66 for every read command, and it is not created")
  func missingStore() throws {
    let dir = makeTemporaryDirectory("missing-store")
    defer { try? FileManager.default.removeItem(at: dir) }
    let store = dir.appendingPathComponent("nope.sqlite").path
    for args in [
      ["search", "--store", store, "a@example.com"], ["links", "--store", store], ["export", "--store", store, "--to", "jsonl"],
      ["history", "--store", store, "x"], ["verify", "--store", store, "--archive", dir.path], ["purge", "--store", store, "--case", "x"],
    ] {
      let r = try runBounded(args, binary: Self.bin)
      #expect(r.status == 66, "\(args[0]): \(r.stderr)")
      #expect(r.stderr.contains("[store.missing]"))
      #expect(!FileManager.default.fileExists(atPath: store))
    }
  }

  @Test("search: table and JSON, exit 1 when a value matches nothing, a national number without --region is 64")
  func search() throws {
    let p = try Planted("cli-search")
    var r = try runBounded(["search", "--store", p.f.path, "(312) 555-0142", "--region", "US"], binary: Self.bin)
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stdoutText.hasPrefix("VALUE") && r.stdoutText.contains("+13125550142") && r.stdoutText.contains("C-1 "))
    #expect(r.stdoutText.contains("XX0000002"))
    r = try runBounded(["search", "--store", p.f.path, "--json", "::ffff:198.51.100.7", "--at", "2024-03-01T11:00:00Z"], binary: Self.bin)
    let json = try JSONParser().parse(r.stdout)
    let matches = json.arrayValue?.first?.objectValue?["matches"]?.arrayValue ?? []
    #expect(r.status == 0 && matches.count == 2)
    r = try runBounded(["search", "--store", p.f.path, "nobody@example.net"], binary: Self.bin)
    #expect(r.status == 1 && r.stdoutText.contains("(no match)"))
    r = try runBounded(["search", "--store", p.f.path, "(312) 555-0142"], binary: Self.bin)
    #expect(r.status == 64 && r.stderr.contains("--region"))
  }

  @Test("links: table escapes values from inputs; -o DIR writes links.json and a neutralised links.csv")
  func links() throws {
    let p = try Planted("cli-links")
    // A shared username that starts like a formula and carries an escape character.
    try p.f.ident("username", "=cmd\u{1B}[2J", qualifier: "chatapp", of: p.account1)
    try p.f.ident("username", "=cmd\u{1B}[2J", qualifier: "chatapp", of: p.account2)
    let out = p.f.dir + "/links-out"
    let r = try runBounded(["links", "--store", p.f.path, "-o", out], binary: Self.bin)
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stdoutText.contains("=cmd\\u{1B}[2J") && !r.stdoutText.contains("\u{1B}"), "\(r.stdoutText)")
    #expect(r.stdoutText.contains("ip-time-overlap") && r.stderr.contains("7 links"))
    let csv = try String(contentsOfFile: out + "/links.csv", encoding: .utf8)
    #expect(csv.contains("'=cmd"))
    let json = try JSONParser().parse(readBytes(URL(fileURLWithPath: out + "/links.json")))
    #expect(json.objectValue?["links"]?.arrayValue?.count == 7)
    // Never overwritten.
    let again = try runBounded(["links", "--store", p.f.path, "-o", out], binary: Self.bin)
    #expect(again.status == 73)
  }

  @Test("export --to jsonl of stored converted entities equals convert --to jsonl of the input, modulo order")
  func exportEqualsConvert() throws {
    let f = try StoreFixture("cli-export")
    let converted = f.dir + "/converted.jsonl"
    let input = Repo.samples.appendingPathComponent("jsonl/valid/case-0001.jsonl").path
    var r = try runBounded(["convert", input, "--to", "jsonl", "-o", converted], binary: Self.bin)
    #expect(r.status == 0, "\(r.stderr)")
    let lines = try String(contentsOfFile: converted, encoding: .utf8).split(separator: "\n").map(String.init)
    // Stored as the import stores them: one canonical line per entity version.
    for line in lines {
      let v = try JSONParser().parse(Array(line.utf8)).objectValue!
      try f.store.db.write {
        try $0.execute(
          sql: """
            INSERT INTO entity_versions(id, version, type, content_sha256, json, input_sha256, record_index, run_id, valid_from)
            VALUES (?, 1, ?, 'x', ?, 'aa', 0, 'run-1', '2024-01-01T00:00:00Z')
            """, arguments: [v["id"]!.stringValue!, v["type"]!.stringValue!, line])
      }
    }
    let exported = f.dir + "/exported.jsonl"
    r = try runBounded(["export", "--store", f.path, "--to", "jsonl", "-o", exported], binary: Self.bin)
    #expect(r.status == 0, "\(r.stderr)")
    let back = try String(contentsOfFile: exported, encoding: .utf8).split(separator: "\n").map(String.init)
    #expect(back.sorted() == lines.sorted() && back.count == 15)
    #expect(r.stderr.contains("15 entities written"))
    // Every other writable format writes (CSV into a directory, NCMEC into a directory).
    for (to, target) in [("json", "/e.json"), ("xml", "/e.xml"), ("csv", "/csv"), ("ncmec-xml", "/ncmec")] {
      let w = try runBounded(["export", "--store", f.path, "--to", to, "-o", f.dir + target], binary: Self.bin)
      #expect(w.status == 0, "\(to): \(w.stderr)")
    }
    #expect(FileManager.default.fileExists(atPath: f.dir + "/csv/person.csv"))
    let bad = try runBounded(["export", "--store", f.path, "--to", "jsonl", "--case", "C-404", "-o", f.dir + "/x.jsonl"], binary: Self.bin)
    #expect(bad.status == 64 && !FileManager.default.fileExists(atPath: f.dir + "/x.jsonl"))
  }

  @Test("history shows both versions; verify exits 65 on a modified archived file; purge records and honours the lock")
  func historyVerifyPurge() throws {
    let p = try Planted("cli-hvp")
    var r = try runBounded(["history", "--store", p.f.path, Planted.id(1).rawValue], binary: Self.bin)
    #expect(r.status == 0 && r.stdoutText.contains("2024-02-01T00:00:00Z") && r.stdoutText.contains("(current)"))
    #expect(r.stdoutText.contains("re-delivered unchanged"))
    r = try runBounded(["history", "--store", p.f.path, "no-such"], binary: Self.bin)
    #expect(r.status == 1)

    let archive = p.f.dir + "/archive"
    try FileManager.default.createDirectory(atPath: archive + "/2024/12/07", withIntermediateDirectories: true)
    let bytes = Array("{\"type\":\"case\"}\n".utf8)
    let sha = sha256Hex(bytes)
    let archived = archive + "/2024/12/07/\(sha)-in.jsonl"
    try Data(bytes).write(to: URL(fileURLWithPath: archived))
    try p.f.input(sha, name: "in.jsonl")
    r = try runBounded(["verify", "--store", p.f.path, "--archive", archive], binary: Self.bin)
    #expect(r.status == 0 && r.stdoutText.contains("ok"), "\(r.stderr)")
    try Data(Array("{\"type\":\"kase\"}\n".utf8)).write(to: URL(fileURLWithPath: archived))
    r = try runBounded(["verify", "--store", p.f.path, "--archive", archive], binary: Self.bin)
    #expect(r.status == 65 && r.stdoutText.contains("mismatch"))

    // The batch lock held: 75, nothing removed.
    let lock = open(p.f.path + ".lock", O_RDWR | O_CREAT, 0o600)
    #expect(flock(lock, LOCK_EX | LOCK_NB) == 0)
    r = try runBounded(["purge", "--store", p.f.path, "--case", "C-3"], binary: Self.bin)
    #expect(r.status == 75)
    #expect(try p.f.count("SELECT COUNT(*) FROM purges") == 0)
    close(lock)
    r = try runBounded(["purge", "--store", p.f.path, "--case", "C-3"], binary: Self.bin)
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stderr.contains("5 entities (5 versions"))
    #expect(try p.f.count("SELECT COUNT(*) FROM purges WHERE entities = 5") == 1)
  }

  /// The bundled drop reads as Samples/incoming-README.md says (records, accepted, quarantined per file).
  @Test("Samples/incoming: every file reads with its profile; the bad records are the documented ones")
  func incomingDropReads() throws {
    let dir = Repo.samples.appendingPathComponent("incoming").path
    let profiles = Repo.schemas.appendingPathComponent("profiles").path
    let tmp = makeTemporaryDirectory("incoming")
    defer { try? FileManager.default.removeItem(at: tmp) }
    let metroProfile = Repo.schemas.appendingPathComponent("profiles/metro-rms.json")
    let cases: [(file: String, profile: String?, summary: String)] = [
      ("lakeside-pd-case-0101.jsonl", nil, "9 read, 8 accepted, 1 quarantined"),
      ("lakeside-pd-case-0101-resent.jsonl", nil, "9 read, 8 accepted, 1 quarantined"),
      ("riverside-so-bundle.json", nil, "7 read, 7 accepted, 0 quarantined"),
      ("hilltop-pd-case-0303.xml", nil, "6 read, 6 accepted, 0 quarantined"),
      ("metro-rms-2024-12-01.csv", metroProfile.path, "4 read, 3 accepted, 1 quarantined"),
      ("metro-rms-2024-12-02.csv", metroProfile.path, "4 read, 3 accepted, 1 quarantined"),
      ("ncmec-report-90000101.xml", nil, "1 read, 1 accepted, 0 quarantined"),
      ("cybertip-2024-11.json", nil, "2 read, 1 accepted, 1 quarantined"),
      ("example-cable-letter-2024-11.txt", profiles + "/providers/example-cable-letter-case.json", "1 read, 1 accepted, 0 quarantined"),
      ("placeholder-games-iplog-2024-11.log", profiles + "/providers/placeholder-games-iplog.json", "2 read, 1 accepted, 1 quarantined"),
    ]
    for c in cases {
      let r = try runBounded(["validate", dir + "/" + c.file] + (c.profile.map { ["--profile", $0] } ?? []), binary: Self.bin)
      #expect(r.stderr.contains(c.summary), "\(c.file): \(r.stderr)")
    }
    let a = try readBytes(URL(fileURLWithPath: dir + "/lakeside-pd-case-0101.jsonl"))
    #expect(a == (try readBytes(URL(fileURLWithPath: dir + "/lakeside-pd-case-0101-resent.jsonl"))))
  }
}
