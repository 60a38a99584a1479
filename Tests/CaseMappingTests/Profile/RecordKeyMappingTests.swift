import CaseInterchange
import CaseMapping
import CaseModel
import Foundation
import Testing

/// The mapper's side of record keys: the key string it derives ids from, `record.key-missing`, the record key
/// text, extras kept off keyed entities, and the loader's checks.
@Suite struct RecordKeyMappingTests {
  static func profile(_ json: String, source: String = "p.json") throws(ProfileError) -> MappingProfile {
    try ProfileLoader.load(bytes: Array(json.utf8), source: source, sha256: String(repeating: "0", count: 64))
  }

  static let keyed = """
    {"profileVersion": "1.0", "id": "k", "sourceSystem": "rms", "layout": {"kind": "csv"}, "unmapped": "keep",
     "records": [
       {"entity": "case", "key": ["case_no", "unit"], "fields": {"caseNumber": {"column": "Case_No"}}},
       {"entity": "event", "fields": {"kind": {"constant": "row"}, "caseId": {"entity": 0}}}
     ]}
    """

  /// Maps one row, recording the key strings the mapper asks ids for.
  static func map(_ values: [String], header: [String] = ["case_no", "unit", "note"]) throws -> (MappingResult, [String]) {
    let names = Names()
    let mapper = try RecordMapper(profile: try profile(keyed), header: header, columnCount: header.count) { key in
      names.append(key)
      return EntityID("id<" + key + ">")
    }
    return (mapper.map(values, idFor: { EntityID("derived-\($0)") }), names.list)
  }

  final class Names: @unchecked Sendable {
    var list: [String] = []
    func append(_ s: String) { list.append(s) }
  }

  @Test func keyedIDsComeFromSourceSystemTypeAndLengthPrefixedValues() throws {
    let (result, names) = try Self.map(["H-1", "K|9", "first"])
    #expect(names == ["key:rms:case:3:H-13:K|9"])
    guard case .entities(let entities, _, _, let keys, _) = result else {
      Issue.record("not mapped")
      return
    }
    #expect(entities[0].id.rawValue == "id<key:rms:case:3:H-13:K|9>")
    // The reference carries the keyed id; the unkeyed event keeps its derived id and gets the extras.
    if case .event(let e) = entities[1] {
      #expect(e.caseId?.rawValue == "id<key:rms:case:3:H-13:K|9>")
      #expect(e.id.rawValue == "derived-1")
      #expect(e.extras.map(\.name) == ["note"])
    } else {
      Issue.record("second entity is not the event")
    }
    if case .caseRecord(let c) = entities[0] { #expect(c.extras.isEmpty) }
    #expect(keys == [EntityKeyInfo(ordinal: 0, sourceSystem: "rms", text: #"H-1|K\|9"#)])
    // Length prefixes keep compound keys apart: ("a1", "b") and ("a", "1b") name different ids.
    let (_, a) = try Self.map(["a1", "b", ""])
    let (_, b) = try Self.map(["a", "1b", ""])
    #expect(a != b)
  }

  @Test func anEmptyKeyValueIsTheRecordsFindingAtItsColumn() throws {
    let (result, _) = try Self.map(["H-1", " ", "x"])
    guard case .failure(let issues) = result else {
      Issue.record("mapped")
      return
    }
    #expect(issues.map(\.rule) == ["record.key-missing"])
    #expect(issues[0].column == 1 && issues[0].field == "unit")
    #expect(issues[0].recordKey == nil)
  }

  @Test func aKeyColumnMissingFromTheHeaderIsAColumnMissingBindingError() throws {
    do {
      _ = try Self.map(["H-1"], header: ["case_no"])
      Issue.record("bound")
    } catch let e as MappingIssue {
      #expect(e.rule == "profile.column-missing" && e.field == "unit")
    }
  }

  @Test func findingsOfAKeyedRecordCarryTheRecordKey() throws {
    let p = try Self.profile("""
      {"profileVersion": "1.0", "id": "k", "sourceSystem": "rms", "layout": {"kind": "csv"},
       "records": [{"entity": "person", "key": ["id"], "fields": {"email": {"column": "mail"}}}]}
      """)
    let mapper = try RecordMapper(profile: p, header: ["id", "mail"], columnCount: 2) { EntityID($0) }
    guard case .failure(let issues) = mapper.map(["P-7", "not-an-email"], idFor: { _ in EntityID("x") }) else {
      Issue.record("mapped")
      return
    }
    #expect(!issues.isEmpty && issues.allSatisfy { $0.recordKey == "P-7" })
  }

  @Test func loaderChecksKeys() {
    func message(_ json: String) -> String? {
      do {
        _ = try Self.profile(json)
        return nil
      } catch {
        return "\(error.line): \(error.message)"
      }
    }
    #expect(message(Self.keyed) == nil)
    #expect(message(Self.keyed.replacingOccurrences(of: #""sourceSystem": "rms", "#, with: ""))?.hasPrefix("3: 'key' needs the profile's 'sourceSystem'") == true)
    #expect(message(Self.keyed.replacingOccurrences(of: #""rms""#, with: #""""#))?.contains("'sourceSystem' must be") == true)
    #expect(message(Self.keyed.replacingOccurrences(of: #"["case_no", "unit"]"#, with: #""case_no""#))?.contains("array of strings") == true)
    // A key names the same source as a field's column, aliases included.
    let p = try? Self.profile(Self.keyed.replacingOccurrences(of: #"["case_no", "unit"]"#, with: #"["Case_No"]"#))
    #expect(p?.records[0].key?.first?.name == "Case_No")
    // Unkeyed mappings have no key.
    #expect(p?.records[1].key == nil)
  }
}
