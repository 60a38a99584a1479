import CaseBridge
import CaseTestSupport
import Foundation
import Testing

/// The hostile-input checklist of RELIABILITY.md §9 for CSV, JSON / JSON Lines, provider returns and field values
/// (XML has its own suite, `HostileXMLCLITests`): each case runs the CLI as a child process with limits
/// (`HostileRun`: under 5 s, under 200 MB peak RSS, 4 GiB address space, no socket, no file opened outside the run's
/// directory) and must end with its expected outcome — the exit status, how many records were read, which records
/// were quarantined and by which rule (record index → rule), or the rule that rejected the input whole — and with
/// counts that reconcile (read = accepted + quarantined) in the JSON report.
@Suite(.serialized) struct HostileInputCLITests {
  /// One hazard and its expected outcome.
  struct Hazard {
    /// File name (its extension is what `--from` would infer; the arguments say the format anyway).
    var name: String
    var bytes: [UInt8]
    /// Format arguments (`--from`, `--profile`, `--encoding`).
    var arguments: [String]
    var exit: Int32
    /// Records read (for an input rejected whole: read before the failure).
    var read: Int
    /// Quarantined records: 0-based record index → the rule of its first error.
    var quarantined: [Int: String] = [:]
    /// The rule that rejected the input whole (disposition `rejected`), if it is rejected.
    var rejectedBy: String? = nil
    /// Rules of findings that must be reported besides (warnings, file-level findings).
    var reports: [String] = []
    /// Text the output must contain (decoded values).
    var outputContains: [String] = []
  }

  static func utf8(_ s: String) -> [UInt8] { Array(s.utf8) }
  static func utf16LE(_ s: String, bom: Bool) -> [UInt8] {
    var out: [UInt8] = bom ? [0xFF, 0xFE] : []
    for u in s.utf16 { out += [UInt8(u & 0xFF), UInt8(u >> 8)] }
    return out
  }

  // MARK: CSV through the default profile

  static let header = "case_number,first_name,last_name,ip,port,observed_at,email,md5\n"
  /// A good row of the default profile; `set` replaces columns by name.
  static func row(_ n: Int, _ set: [String: String] = [:], end: String = "\n") -> String {
    let values: [(String, String)] = [
      ("case_number", "C-\(n)"), ("first_name", "Testy"), ("last_name", "McTestface"), ("ip", "192.0.2.\(n % 250 + 1)"),
      ("port", "443"), ("observed_at", "2024-03-01T10:00:00Z"), ("email", "testy\(n)@example.com"),
      ("md5", "0123456789abcdef0123456789abcdef"),
    ]
    return values.map { set[$0.0] ?? $0.1 }.joined(separator: ",") + end
  }

  static func csvHazards() -> [Hazard] {
    let h = header
    let csv = ["--from", "csv"]
    // 16,384 columns is the limit (csv.too-many-columns): one header at it, one past it.
    var wideHeader = h.dropLast() + ""
    var wideRow = row(1).dropLast() + ""
    for i in 0..<(16_384 - 8) { wideHeader += ",extra_\(i)"; wideRow += ",v" }
    let tooWide = String(wideHeader) + ",one_more\n" + String(wideRow) + ",v\n"
    let cp1252 = utf8(h) + utf8("C-1,Andr") + [0xE9] + utf8(",") + [0x93] + utf8("Quoted") + [0x94]
      + utf8(",192.0.2.1,443,2024-03-01T10:00:00Z,andre@example.com,\n")
    let latin1 = utf8(h) + utf8("C-1,J") + [0xF6] + utf8("rg,M") + [0xFC] + utf8("ller,192.0.2.1,443,2024-03-01T10:00:00Z,joerg@example.com,\n")
    return [
      Hazard(name: "bare-quote.csv", bytes: utf8(h + row(1) + row(2, ["last_name": "Qu\"ote"]) + row(3)), arguments: csv, exit: 1, read: 3, quarantined: [1: "csv.stray-quote"]),
      Hazard(name: "text-after-closing-quote.csv", bytes: utf8(h + row(1, ["first_name": "\"Closed\"x"]) + row(2)), arguments: csv, exit: 1, read: 2, quarantined: [0: "csv.stray-quote"]),
      // Every byte from the open quote's record to the end is one span: row 3 is inside it, never resynchronised.
      Hazard(name: "unbalanced-quote.csv", bytes: utf8(h + row(1) + row(2, ["first_name": "\"Open"]) + row(3)), arguments: csv, exit: 1, read: 2, quarantined: [1: "csv.unterminated-quote"]),
      Hazard(name: "ragged.csv", bytes: utf8(h + row(1, end: ",surplus\n") + "C-2,Missing\n" + row(3)), arguments: csv, exit: 1, read: 3, quarantined: [0: "csv.extra-cell", 1: "csv.missing-cell"]),
      Hazard(name: "blank-rows.csv", bytes: utf8(h + row(1) + "\n\r\n" + row(2) + "\n"), arguments: csv, exit: 0, read: 2, reports: ["csv.blank-row"]),
      Hazard(name: "cp1252.csv", bytes: cp1252, arguments: csv + ["--encoding", "windows-1252"], exit: 0, read: 1, outputContains: ["André", "\u{201C}Quoted\u{201D}"]),
      // The same bytes undeclared: not UTF-8, never decoded with replacement characters or guessed.
      Hazard(name: "cp1252-undeclared.csv", bytes: cp1252, arguments: csv, exit: 1, read: 1, quarantined: [0: "csv.invalid-utf8"]),
      Hazard(name: "latin1.csv", bytes: latin1, arguments: csv + ["--encoding", "iso-8859-1"], exit: 0, read: 1, outputContains: ["Jörg", "Müller"]),
      Hazard(name: "utf16le-bom.csv", bytes: utf16LE(h + row(1, ["first_name": "Zoë"]) + row(2), bom: true), arguments: csv, exit: 0, read: 2, outputContains: ["Zoë"]),
      Hazard(name: "utf16le-declared.csv", bytes: utf16LE(h + row(1) + row(2), bom: false), arguments: csv + ["--encoding", "utf-16le"], exit: 0, read: 2),
      // BOM-less UTF-16 undeclared: its NULs are not guessed to be UTF-16; the header does not match and the
      // input is refused whole.
      Hazard(name: "utf16le-undeclared.csv", bytes: utf16LE(h + row(1), bom: false), arguments: csv, exit: 65, read: 0, rejectedBy: "csv.nul"),
      Hazard(name: "utf8-bom.csv", bytes: [0xEF, 0xBB, 0xBF] + utf8(h + row(1)), arguments: csv, exit: 0, read: 1),
      Hazard(name: "nul.csv", bytes: utf8(h + row(1)) + utf8("C-2,Nul,By") + [0] + utf8("te,192.0.2.2,443,2024-03-01T10:00:00Z,n@example.com,\n") + utf8(row(3)), arguments: csv, exit: 1, read: 3, quarantined: [1: "csv.nul"]),
      Hazard(name: "invalid-utf8.csv", bytes: utf8(h + row(1)) + utf8("C-2,Bad,Utf8") + [0xC3, 0x28, 0xFF] + utf8(",192.0.2.2,443,2024-03-01T10:00:00Z,u@example.com,\n") + utf8(row(3)), arguments: csv, exit: 1, read: 3, quarantined: [1: "csv.invalid-utf8"]),
      Hazard(name: "cr-only.csv", bytes: utf8((h + row(1) + row(2)).replacingOccurrences(of: "\n", with: "\r")), arguments: csv, exit: 0, read: 2),
      Hazard(name: "mixed-newlines.csv", bytes: utf8(h + row(1, end: "\r\n") + row(2, end: "\r") + row(3)), arguments: csv, exit: 0, read: 3),
      // Line ends inside quotes are data: kept in a column the profile keeps as an extra (in a name they would be
      // text.control-character, as control-characters.csv shows).
      Hazard(name: "quoted-newlines.csv", bytes: utf8("case_number,notes\nC-1,\"line one\r\nline two, \"\"quoted\"\"\"\nC-2,plain\n"), arguments: csv, exit: 0, read: 2, outputContains: ["line one\\r\\nline two, \\\"quoted\\\""]),
      // A 2 MiB field over the 1 MiB field limit: that record only; the next one is read where it really starts.
      Hazard(name: "huge-field.csv", bytes: utf8(h + row(1) + row(2, ["first_name": String(repeating: "x", count: 2 << 20)]) + row(3)), arguments: csv, exit: 1, read: 3, quarantined: [1: "csv.field-too-large"]),
      Hazard(name: "huge-record.csv", bytes: utf8(h + row(1) + row(2, ["first_name": String(repeating: "x,", count: 600_000)]) + row(3)), arguments: csv + ["--max-record-bytes", "1000000"], exit: 1, read: 3, quarantined: [1: "csv.record-too-large"]),
      Hazard(name: "wide-header.csv", bytes: utf8(String(wideHeader) + "\n" + String(wideRow) + "\n"), arguments: csv, exit: 0, read: 1),
      Hazard(name: "too-wide-header.csv", bytes: utf8(tooWide), arguments: csv, exit: 65, read: 0, rejectedBy: "csv.too-many-columns"),
      Hazard(name: "duplicate-header.csv", bytes: utf8("case_number,case_number,first_name\nC-1,C-2,Testy\n"), arguments: csv, exit: 65, read: 0, rejectedBy: "csv.duplicate-header"),
      Hazard(name: "blank-header.csv", bytes: utf8("case_number,,first_name\nC-1,x,Testy\n"), arguments: csv, exit: 65, read: 0, rejectedBy: "csv.blank-header"),
      // No header line: the first data row is taken as the header (the layout says there is one); none of its
      // "columns" is one the profile reads, so the next row maps to no entity and its values would be lost.
      Hazard(name: "missing-header.csv", bytes: utf8(row(1) + row(2)), arguments: csv, exit: 1, read: 1, quarantined: [0: "record.no-entity"]),
      Hazard(name: "duplicate-ids.csv", bytes: utf8(h + row(1) + row(1) + row(2)), arguments: csv, exit: 0, read: 3),
      Hazard(name: "truncated-last-row.csv", bytes: utf8(h + row(1) + row(2) + "C-3,Trunc,Ated,192.0.2"), arguments: csv, exit: 1, read: 3, quarantined: [2: "csv.missing-cell"]),
      Hazard(name: "path-like-ids.csv", bytes: utf8(h + row(1, ["case_number": "../../../../etc/passwd"]) + row(2, ["case_number": "C:\\\\Windows\\\\x"]) + row(3, ["case_number": "/dev/null"])), arguments: csv, exit: 0, read: 3, outputContains: ["../../../../etc/passwd"]),
      Hazard(name: "injection-strings.csv", bytes: utf8(h + row(1, ["first_name": "'; DROP TABLE cases;--", "last_name": "$(touch x)`id`"]) + row(2, ["first_name": "%s%n%x%99999999d", "last_name": "{{7*7}}${jndi:ldap://127.0.0.1:9/a}"]) + row(3, ["last_name": "\"=HYPERLINK(\"\"http://example.com\"\")\""])), arguments: csv, exit: 0, read: 3, outputContains: ["'; DROP TABLE cases;--", "%s%n%x%99999999d", "${jndi:ldap://127.0.0.1:9/a}"]),
      Hazard(name: "control-characters.csv", bytes: utf8(h + row(1) + row(2, ["first_name": "Red\u{1B}[31m"]) + row(3, ["last_name": "Bell\u{07}"])), arguments: csv, exit: 1, read: 3, quarantined: [1: "text.control-character", 2: "text.control-character"]),
      Hazard(name: "bidi-controls.csv", bytes: utf8(h + row(1, ["last_name": "evil\u{202E}fdp.exe"]) + row(2)), arguments: csv, exit: 1, read: 2, quarantined: [0: "text.control-character"]),
      Hazard(name: "empty.csv", bytes: [], arguments: csv, exit: 65, read: 0, rejectedBy: "input.empty"),
      Hazard(name: "bom-and-blank.csv", bytes: [0xEF, 0xBB, 0xBF] + utf8(" \r\n\n"), arguments: csv, exit: 65, read: 0, rejectedBy: "input.empty"),
      Hazard(name: "header-only.csv", bytes: utf8(h), arguments: csv, exit: 0, read: 0),
    ]
  }

  // MARK: Field values through the default CSV profile

  static func fieldHazards() -> [Hazard] {
    let csv = ["--from", "csv"]
    func one(_ name: String, _ column: String, _ bad: [String], _ rule: String, good: [String] = []) -> Hazard {
      var body = header
      var quarantined: [Int: String] = [:]
      for (i, v) in bad.enumerated() {
        body += row(i + 1, [column: v])
        quarantined[i] = rule
      }
      for (i, v) in good.enumerated() { body += row(100 + i, [column: v]) }
      return Hazard(name: name, bytes: utf8(body), arguments: csv, exit: 1, read: bad.count + good.count, quarantined: quarantined)
    }
    return [
      one("ipv4-strict.csv", "ip", ["192.0.2.016", "192.0.2.256", "0x7f.0.0.1", "192.0.2", "192.0.2.1.5", " 192.0.2.1x"], "ip.invalid", good: ["198.51.100.7"]),
      one("ipv6-strict.csv", "ip", ["2001:db8:::1", "2001:db8::g", "2001:db8:0:0:0:0:0:0:1", "[2001:db8::1]x"], "ip.invalid", good: ["2001:DB8::1", "::ffff:192.0.2.9"]),
      one("ipv6-zone.csv", "ip", ["fe80::1%eth0"], "ip.zone-id"),
      one("email-strict.csv", "email", ["no-at-sign.example.com", "a@b@example.com", "space in@example.com", "trailing.@example.com", "@example.com"], "email.invalid", good: ["a.b+c@example.org"]),
      one("hash-not-hex.csv", "md5", ["zz23456789abcdef0123456789abcdef", "0123456789abcdef0123456789abcde "], "hash.not-hex"),
      one("hash-length.csv", "md5", ["0123", "0123456789abcdef0123456789abcdef00"], "hash.length"),
      one("ports.csv", "port", ["0", "65536", "-1"], "port.invalid", good: ["65535", "1"]),
      one("ports-not-integers.csv", "port", ["80x", "8.0", "0x50", "99999999999999999999999"], "field.invalid-integer"),
      one("missing-zone.csv", "observed_at", ["2024-03-01T10:00:00", "2024-03-01T10:00:00.123"], "timestamp.missing-zone"),
      one("not-iso.csv", "observed_at", ["03/04/2024 10:00 PM", "1709287200", "2024-02-30T10:00:00Z", "2024-03-01T24:00:01Z"], "timestamp.invalid", good: ["2024-03-01T10:00:00.5-05:00"]),
    ]
  }

  // MARK: A legacy profile: semicolons, Windows-1252, month-first 12-hour local times (America/Chicago)

  static func legacyProfileHazards() -> [Hazard] {
    let profile = ["--profile", Repo.schemas.appendingPathComponent("profiles/rms-northfield-2009.json").path]
    let h = "Fallnummer;Nachname;Vorname;Geburtsdatum;Telefon;E-Mail;IP-Adresse;Port;Zeitpunkt;Bemerkung\r\n"
    func r(_ n: Int, dob: String = "04/23/1981", at: String = "03/14/2009 09:15:02 PM") -> String {
      "NF-\(n);Beispiel;Zoe;\(dob);(202) 555-0102;z\(n)@example.org;203.0.113.88;;\(at);note\r\n"
    }
    return [
      // Day-first where the profile declares month-first: quarantined, never swapped.
      Hazard(name: "rms-day-first.csv", bytes: utf8(h + r(1) + r(2, dob: "23/04/1981") + r(3, at: "14/03/2009 09:15:02 PM")), arguments: profile, exit: 1, read: 3, quarantined: [1: "timestamp.invalid", 2: "timestamp.invalid"]),
      // 2009-03-08 02:30 did not happen in Chicago; 2009-11-01 01:30 happened twice.
      Hazard(name: "rms-dst.csv", bytes: utf8(h + r(1, at: "03/08/2009 02:30:00 AM") + r(2, at: "11/01/2009 01:30:00 AM") + r(3, at: "11/01/2009 02:30:00 AM")), arguments: profile, exit: 1, read: 3, quarantined: [0: "timestamp.dst-gap", 1: "timestamp.dst-overlap"]),
      Hazard(name: "rms-24h-in-12h.csv", bytes: utf8(h + r(1, at: "03/14/2009 21:15:02 PM") + r(2, at: "03/14/2009 09:15:02")), arguments: profile, exit: 1, read: 2, quarantined: [0: "timestamp.invalid", 1: "timestamp.invalid"]),
    ]
  }

  // MARK: JSON Lines and JSON bundles

  /// An agency entity; `extra` is appended inside the object.
  static func agency(_ n: Int, _ extra: String = "") -> String {
    let id = String(format: "00000000-0000-4000-8000-%012d", n)
    return "{\"type\":\"agency\",\"id\":\"\(id)\",\"name\":\"Example Agency \(n)\"\(extra)}"
  }

  /// The `extras` member holding one value (raw JSON text).
  static func extras(_ value: String) -> String { ",\"extras\":[{\"name\":\"x\",\"value\":\(value)}]" }

  static func jsonHazards() -> [Hazard] {
    let jsonl = ["--from", "jsonl"]
    let json = ["--from", "json"]
    let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
    func lines(_ l: [String], end: String = "\n") -> [UInt8] { utf8(l.joined(separator: end) + end) }
    func bundle(_ e: [String]) -> String { "{\"casebridgeVersion\":\"1.0\",\"entities\":[\n" + e.joined(separator: ",\n") + "\n]}\n" }
    return [
      Hazard(name: "depth.jsonl", bytes: lines([agency(1), agency(2, extras("\(deep)")), agency(3)]), arguments: jsonl, exit: 1, read: 3, quarantined: [1: "json.depth-exceeded"]),
      Hazard(name: "duplicate-keys.jsonl", bytes: lines([agency(1), agency(2, ",\"name\":\"Other\""), agency(3)]), arguments: jsonl, exit: 1, read: 3, quarantined: [1: "json.duplicate-key"]),
      Hazard(name: "lone-surrogate.jsonl", bytes: lines([agency(1, extras("\"\\ud800\"")), agency(2, extras("\"\\udc00x\"")), agency(3, extras("\"\\ud83d\\ude00\""))]), arguments: jsonl, exit: 1, read: 3, quarantined: [0: "json.lone-surrogate", 1: "json.lone-surrogate"]),
      Hazard(name: "trailing-data.jsonl", bytes: lines([agency(1) + " x", agency(2) + agency(3), agency(4)]), arguments: jsonl, exit: 1, read: 3, quarantined: [0: "json.trailing-data", 1: "json.trailing-data"]),
      Hazard(name: "bom.jsonl", bytes: [0xEF, 0xBB, 0xBF] + lines([agency(1), agency(2)]), arguments: jsonl, exit: 0, read: 2),
      Hazard(name: "numbers.jsonl", bytes: lines([agency(1, extras("1e400")), agency(2, extras("" + String(repeating: "9", count: 100) + "")), agency(3, extras("12345678901234567890123")), agency(4, extras("0.1"))]), arguments: jsonl, exit: 1, read: 4, quarantined: [0: "json.number-out-of-range", 1: "json.number-out-of-range", 2: "field.type-mismatch", 3: "field.type-mismatch"]),
      Hazard(name: "nan.jsonl", bytes: lines([agency(1, extras("NaN")), agency(2, extras("Infinity")), agency(3)]), arguments: jsonl, exit: 1, read: 3, quarantined: [0: "json.invalid-number", 1: "json.invalid-number"]),
      Hazard(name: "trailing-comma.jsonl", bytes: lines([agency(1, extras("[1,2,]")), agency(2, ","), agency(3)]), arguments: jsonl, exit: 1, read: 3, quarantined: [0: "json.trailing-comma", 1: "json.trailing-comma"]),
      Hazard(name: "comments.jsonl", bytes: lines(["// a comment", agency(1), "/* block */ " + agency(2)]), arguments: jsonl, exit: 1, read: 3, quarantined: [0: "json.comment", 2: "json.comment"]),
      Hazard(name: "control-characters.jsonl", bytes: utf8(agency(1, extras("\"tab\there\"")) + "\n" + agency(2, extras("\"esc\\u001b[31m\"")) + "\n" + agency(3) + "\n"), arguments: jsonl, exit: 1, read: 3, quarantined: [0: "json.control-character"]),
      Hazard(name: "type-confusion.jsonl", bytes: lines(["[1,2]", "\"agency\"", "42", "null", agency(1).replacingOccurrences(of: "\"Example Agency 1\"", with: "5"), agency(2).replacingOccurrences(of: "\"agency\"", with: "[\"agency\"]"), agency(3)]), arguments: jsonl, exit: 1, read: 7, quarantined: [0: "json.not-an-object", 1: "json.not-an-object", 2: "json.not-an-object", 3: "json.not-an-object", 4: "field.type-mismatch", 5: "field.type-mismatch"]),
      // JSON Lines is UTF-8 (RFC 8259): UTF-16 is never guessed; each line (split at 0x0A) is judged alone and none
      // is JSON, so every one is quarantined verbatim.
      Hazard(name: "utf16.jsonl", bytes: utf16LE(agency(1) + "\n" + agency(2) + "\n", bom: true), arguments: jsonl, exit: 1, read: 3, quarantined: [0: "json.syntax", 1: "json.syntax", 2: "json.syntax"]),
      Hazard(name: "bad-lines.jsonl", bytes: lines([agency(1), "{\"type\":", "}", "{\"type\":\"agency\"", agency(2)]), arguments: jsonl, exit: 1, read: 5, quarantined: [1: "json.syntax", 2: "json.syntax", 3: "json.syntax"]),
      Hazard(name: "no-final-newline.jsonl", bytes: utf8(agency(1) + "\n" + agency(2)), arguments: jsonl, exit: 0, read: 2),
      Hazard(name: "u2028.jsonl", bytes: lines([agency(1, extras("\"a\u{2028}b\u{2029}c\"")), agency(2)]), arguments: jsonl, exit: 0, read: 2, outputContains: ["a\\u2028b\\u2029c"]),
      Hazard(name: "crlf.jsonl", bytes: lines([agency(1), agency(2)], end: "\r\n"), arguments: jsonl, exit: 0, read: 2),
      Hazard(name: "empty.jsonl", bytes: utf8("\n\n"), arguments: jsonl, exit: 65, read: 0, rejectedBy: "input.empty"),
      // A limit inside a bundle stops reading the document: rejected whole (read: what was read before it).
      Hazard(name: "bundle-depth.json", bytes: utf8(bundle([agency(1), agency(2, extras("\(deep)")), agency(3)])), arguments: json, exit: 65, read: 0, rejectedBy: "json.depth-exceeded"),
      Hazard(name: "bundle-duplicate-member.json", bytes: utf8("{\"casebridgeVersion\":\"1.0\",\"casebridgeVersion\":\"1.0\",\"entities\":[" + agency(1) + "]}"), arguments: json, exit: 65, read: 0, rejectedBy: "json.duplicate-key"),
      Hazard(name: "bundle-trailing-data.json", bytes: utf8(bundle([agency(1), agency(2)]) + "{}"), arguments: json, exit: 65, read: 0, rejectedBy: "json.trailing-data"),
      Hazard(name: "bundle-truncated.json", bytes: Array(utf8(bundle([agency(1), agency(2), agency(3)])).dropLast(4)), arguments: json, exit: 65, read: 3, rejectedBy: "json.syntax"),
      Hazard(name: "bundle-not-object.json", bytes: utf8("[" + agency(1) + "]"), arguments: json, exit: 65, read: 0, rejectedBy: "json.syntax"),
    ]
  }

  // MARK: The invalid samples of every format (their diagnostics files are the expected findings)

  static func sampleHazards() throws -> [Hazard] {
    func provider(_ name: String) -> [String] { ["--profile", Repo.schemas.appendingPathComponent("profiles/providers/\(name)").path] }
    // Sample, format arguments, exit, records read, rejected whole.
    let samples: [(String, [String], Int32, Int, Bool)] = [
      ("isp/invalid/example-cable-pitfalls.txt", provider("example-cable-letter.json"), 1, 6, false),
      ("isp/invalid/placeholder-games-pitfalls.log", provider("placeholder-games-iplog.json"), 1, 9, false),
      ("isp/invalid/sample-mobile-pitfalls.csv", provider("sample-mobile-cgnat.json"), 1, 8, false),
      ("isp/invalid/test-social-pitfalls.csv", provider("test-social-sectioned.json"), 1, 5, false),
      ("isp/invalid/demo-chat-pitfalls.html", provider("demo-chat-records.json"), 1, 7, false),
      ("csv/invalid/hazards.csv", ["--from", "csv"], 1, 13, false),
      ("cybertip/invalid/bad-tips.json", ["--from", "cybertip-json"], 1, 7, false),
      ("cybertip/invalid/bad-lines.json", ["--from", "cybertip-json"], 1, 3, false),
      ("cybertip/invalid/truncated-array.json", ["--from", "cybertip-json"], 65, 1, true),
      ("ncmec/invalid/bad-fields.xml", ["--from", "ncmec-xml"], 1, 1, false),
      ("ncmec/invalid/bad-ip.xml", ["--from", "ncmec-xml"], 1, 1, false),
      ("ncmec/invalid/file-without-report.xml", ["--from", "ncmec-xml"], 1, 1, false),
      ("ncmec/invalid/unknown-root.xml", ["--from", "ncmec-xml"], 65, 0, true),
      ("ncmec/invalid/zoneless-incident.xml", ["--from", "ncmec-xml"], 1, 1, false),
      ("json/invalid/bad-entities.json", ["--from", "json"], 1, 6, false),
      ("json/invalid/truncated.json", ["--from", "json"], 65, 1, true),
      ("json/invalid/unsupported-version.json", ["--from", "json"], 65, 0, true),
      ("jsonl/invalid/mixed.jsonl", ["--from", "jsonl"], 1, 20, false),
      ("xml/invalid/bad-records.xml", ["--from", "xml"], 1, 12, false),
      ("xml/invalid/not-casebridge.xml", ["--from", "xml"], 65, 0, true),
      ("xml/invalid/truncated.xml", ["--from", "xml"], 65, 1, true),
      ("xml/invalid/unsupported-version.xml", ["--from", "xml"], 65, 0, true),
    ]
    var out: [Hazard] = []
    for (file, arguments, exit, read, rejected) in samples {
      let input = Repo.samples.appendingPathComponent(file)
      let stem = input.deletingPathExtension().lastPathComponent
      let diagnostics = try String(contentsOf: input.deletingLastPathComponent().appendingPathComponent("\(stem).diagnostics.jsonl"), encoding: .utf8)
      var quarantined: [Int: String] = [:]
      var reports: [String] = []
      var fileLevel: String?
      for line in diagnostics.split(separator: "\n") {
        let d = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        let rule = try #require(d["rule"] as? String)
        let error = d["severity"] as? String == "error"
        if let record = d["record"] as? Int, error {
          if quarantined[record] == nil { quarantined[record] = rule }
        } else {
          if error, fileLevel == nil { fileLevel = rule }
          reports.append(rule)
        }
      }
      out.append(Hazard(
        name: input.lastPathComponent, bytes: Array(try Data(contentsOf: input)), arguments: arguments,
        exit: exit, read: read, quarantined: rejected ? [:] : quarantined, rejectedBy: rejected ? fileLevel : nil,
        reports: reports))
    }
    // A letter whose field holds terminal escapes and a forged log line: quarantined, and stderr stays one line
    // per finding with nothing raw in it.
    var letter = String(decoding: try Data(contentsOf: Repo.samples.appendingPathComponent("isp/valid/example-cable-2024.txt")), as: UTF8.self)
    let name = try #require(letter.range(of: "JANE EXAMPLE"))
    letter.replaceSubrange(name, with: "JANE\u{1B}]0;owned\u{07}EXAMPLE\nmain: error: forged [input.empty]")
    out.append(Hazard(
      name: "log-injection.txt", bytes: utf8(letter),
      arguments: ["--profile", Repo.schemas.appendingPathComponent("profiles/providers/example-cable-letter.json").path],
      exit: 1, read: 2, quarantined: [0: "text.control-character"]))
    return out
  }

  // MARK: The run

  struct Outcome {
    var status: Int32
    var stderr: String
    var report: [String: Any]
    var input: [String: Any]
    var diagnostics: [[String: Any]]
    var output: String
  }

  static func run(_ h: Hazard, in dir: URL) throws -> (Outcome, HostileRun) {
    let input = dir.appendingPathComponent(h.name)
    try Data(h.bytes).write(to: input)
    let out = dir.appendingPathComponent("out-\(h.name).jsonl")
    let q = dir.appendingPathComponent("q-\(h.name)")
    let reportURL = dir.appendingPathComponent("\(h.name).report.json")
    let r = try HostileRun.run(
      ["convert", input.path] + h.arguments + [
        "--to", "jsonl", "-o", out.path, "--quarantine", q.path, "--report", reportURL.path, "--now", "2026-01-01T00:00:00Z",
        "--log-level", "debug",
      ], in: dir, name: h.name)
    let report = (try? JSONSerialization.jsonObject(with: Data(contentsOf: reportURL)) as? [String: Any]) ?? [:]
    let first = ((report["inputs"] as? [[String: Any]]) ?? []).first ?? [:]
    var diagnostics: [[String: Any]] = []
    if let run = try? FileManager.default.contentsOfDirectory(at: q, includingPropertiesForKeys: nil).first,
      let file = try? FileManager.default.contentsOfDirectory(at: run, includingPropertiesForKeys: nil).first(where: { $0.lastPathComponent.hasSuffix(".diagnostics.jsonl") })
    {
      for line in try String(contentsOf: file, encoding: .utf8).split(separator: "\n") {
        if let d = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] { diagnostics.append(d) }
      }
    }
    let output = (try? String(contentsOf: out, encoding: .utf8)) ?? ""
    try? FileManager.default.removeItem(at: input)
    return (Outcome(status: r.status, stderr: r.stderr, report: report, input: first, diagnostics: diagnostics, output: output), r)
  }

  static func check(_ h: Hazard, _ o: Outcome, _ r: HostileRun, dir: URL) {
    let n = h.name
    #expect(o.status == h.exit, "\(n): exit \(o.status), expected \(h.exit)\n\(o.stderr)")
    #expect(r.seconds < 5, "\(n) took \(r.seconds) s")
    #expect(r.peakKiB != nil && r.peakKiB! < 200 * 1024, "\(n): peak RSS \(r.peakKiB ?? -1) KiB")
    #expect(r.networkCalls.isEmpty, "\(n): network calls: \(r.networkCalls)")
    let foreign = r.foreignFiles(dir: dir.path)
    #expect(foreign.isEmpty, "\(n): opened \(foreign.sorted())")
    // stderr: one escaped line per message, no raw control characters (a forged line or escape would show here).
    #expect(!o.stderr.unicodeScalars.contains { ($0.value < 0x20 && $0 != "\n") || $0.value == 0x7F || $0 == "\u{2028}" || $0 == "\u{202E}" }, "\(n): raw control character on stderr")
    #expect(!o.stderr.contains("\nmain: error: forged"), "\(n): a forged log line")
    let read = o.input["read"] as? Int ?? -1
    let accepted = o.input["accepted"] as? Int ?? -1
    let quarantined = o.input["quarantined"] as? Int ?? -1
    #expect(read == accepted + quarantined, "\(n): read \(read) != accepted \(accepted) + quarantined \(quarantined)")
    #expect(read == h.read, "\(n): read \(read), expected \(h.read)\n\(o.stderr)")
    let errors = o.diagnostics.filter { $0["severity"] as? String == "error" }
    if let rule = h.rejectedBy {
      #expect(o.input["disposition"] as? String == "rejected", "\(n): disposition \(o.input["disposition"] ?? "nil")")
      #expect(accepted == 0, "\(n): an input rejected whole accepts nothing")
      let error = o.input["error"] as? [String: Any]
      #expect(error?["rule"] as? String == rule, "\(n): rejected by \(error?["rule"] ?? "nil"), expected \(rule)\n\(o.stderr)")
      #expect(o.output.isEmpty, "\(n): output of a rejected input")
    } else {
      #expect(o.input["disposition"] as? String == "processed", "\(n): disposition \(o.input["disposition"] ?? "nil")\n\(o.stderr)")
      var got: [Int: String] = [:]
      for d in errors {
        guard let record = d["record"] as? Int, let rule = d["rule"] as? String else { continue }
        if got[record] == nil { got[record] = rule }
      }
      #expect(Set(got.keys) == Set(h.quarantined.keys), "\(n): quarantined records \(got.sorted { $0.key < $1.key }), expected \(h.quarantined.sorted { $0.key < $1.key })\n\(o.stderr)")
      for (record, rule) in h.quarantined {
        let rules = errors.filter { $0["record"] as? Int == record }.compactMap { $0["rule"] as? String }
        #expect(rules.contains(rule), "\(n): record \(record) quarantined by \(rules), expected \(rule)")
      }
      #expect(quarantined == h.quarantined.count, "\(n): \(quarantined) quarantined, expected \(h.quarantined.count)")
      for text in h.outputContains {
        #expect(o.output.contains(text), "\(n): output lacks \(text.debugDescription)")
      }
    }
    let allRules = Set(o.diagnostics.compactMap { $0["rule"] as? String })
    for rule in h.reports { #expect(allRules.contains(rule), "\(n): no \(rule) finding (got \(allRules.sorted()))") }
  }

  static func runAll(_ hazards: [Hazard], _ label: String) throws {
    guard HostileRun.ready() else { return }
    let dir = makeTemporaryDirectory("hostile-\(label)").resolvingSymlinksInPath()
    for h in hazards {
      let (o, r) = try run(h, in: dir)
      check(h, o, r, dir: dir)
    }
  }

  /// Patterns that backtrack catastrophically in a backtracking engine, against a 1 MiB value that almost
  /// matches: CaseBridge's engine makes one pass per value (value scalars × program size steps at most).
  @Test func constraintPatternsStayLinearOnAOneMebibyteField() throws {
    guard HostileRun.ready() else { return }
    let dir = makeTemporaryDirectory("hostile-patterns").resolvingSymlinksInPath()
    let profile = dir.appendingPathComponent("patterns.json")
    try Data("""
      {"profileVersion": "1.0", "id": "patterns", "layout": {"kind": "csv"}, "unmapped": "drop", "records": [
        {"entity": "case", "fields": {
          "caseNumber": {"column": "no", "required": true},
          "title": {"column": "a", "constraints": [{"pattern": "(a+)+b"}, {"pattern": "(a|aa)*c"}, {"pattern": "(.*a){12}x"}]}
        }}]}
      """.utf8).write(to: profile)
    let long = String(repeating: "a", count: (1 << 20) - 1)
    let h = Hazard(
      name: "redos.csv", bytes: Self.utf8("no,a\nC-1,\(long)\nC-2,ab\n"), arguments: ["--profile", profile.path],
      exit: 1, read: 2, quarantined: [0: "field.pattern", 1: "field.pattern"])
    let (o, r) = try Self.run(h, in: dir)
    Self.check(h, o, r, dir: dir)
    #expect((r.run.cpu ?? 99) < 5, "\(r.run.cpu ?? -1) s CPU")
  }

  @Test func csvHazardsEndAsExpectedWithinBounds() throws { try Self.runAll(Self.csvHazards(), "csv") }
  @Test func fieldHazardsAreQuarantinedNeverRepaired() throws { try Self.runAll(Self.fieldHazards(), "fields") }
  @Test func legacyProfileHazardsAreQuarantinedNeverGuessed() throws { try Self.runAll(Self.legacyProfileHazards(), "legacy") }
  @Test func jsonHazardsEndAsExpectedWithinBounds() throws { try Self.runAll(Self.jsonHazards(), "json") }
  @Test func invalidSamplesEndAsTheirDiagnosticsSayWithinBounds() throws { try Self.runAll(try Self.sampleHazards(), "samples") }
}
