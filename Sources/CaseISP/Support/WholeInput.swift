import CaseModel
import CaseInterchange
import CaseMapping

/// What the readers of whole inputs (letters, records pages) share: their settings, the outcomes planned when the
/// input is first read, binding sections to the virtual columns, and the response's entities.
struct WholeInput {
  let file: ChunkedFile
  let sourceName: String
  let profile: MappingProfile
  let limits: ReadLimits
  let idFor: @Sendable (Int, Int) -> EntityID
  let keyedID: @Sendable (String) -> EntityID

  /// The largest letter read (letters are read whole; peak memory is a small multiple of it, see BENCHMARKS.md).
  static let maxLetterBytes = 64 << 20
  /// The largest records page read (pages are parsed into a tree, which costs many times the page).
  static let maxPageBytes = 8 << 20

  init(
    file: ChunkedFile, sourceName: String, profile: MappingProfile, limits: ReadLimits,
    idFor: @escaping @Sendable (Int, Int) -> EntityID, keyedID: @escaping @Sendable (String) -> EntityID
  ) {
    self.file = file
    self.sourceName = sourceName
    self.profile = profile
    self.limits = limits
    self.idFor = idFor
    self.keyedID = keyedID
  }

  /// The input's bytes, capped at `cap` (or a lower `--max-input-bytes`): over it, `isp.too-large`.
  func bytes(cap: Int) throws(FormatError) -> [UInt8] {
    let cap = limits.maxInputBytes > 0 ? min(limits.maxInputBytes, cap) : cap
    return try readWhole(file, sourceName: sourceName, cap: cap)
  }

  /// Unread labels are kept (`keep`) or dropped; `error` is enforced by the readers, per record.
  var unmapped: UnmappedPolicy { profile.unmapped == .keep ? .keep : .drop }

  /// The positions of the mappings of a section (nil: the mappings without one).
  func positions(_ section: String?) -> [Int] { profile.records.indices.filter { profile.records[$0].section == section } }

  func bind(_ positions: [Int], _ columns: VirtualColumns, external: [Int: EntityID], zone: ZoneStatement?) throws(FormatError) -> SectionMapper {
    do {
      return try SectionMapper(profile: profile, positions: positions, header: columns.names, external: external, zone: zone, unmapped: unmapped, keyedID: keyedID)
    } catch {
      throw FormatError(rule: error.rule, message: error.message, location: SourceLocation(source: sourceName, field: error.field))
    }
  }

  /// The response's entities, mapped from its values under value-derived ids (UUIDv5 of the profile id, the
  /// mapping's position and a digest of the whole input), so records can reference them across records.
  /// - Parameters:
  ///   - scan: the response's values, given the mapper (it decides which synthetic columns it reads).
  ///   - place: where the response was, for messages ("the response header", "the page").
  /// - Returns: the mapping (nil when the profile maps nothing from the response), the values' points, and the ids
  ///   of the entities it yields by position.
  func mapResponse(
    _ bytes: [UInt8], _ columns: VirtualColumns, zone: ZoneStatement?, place: String, scan: (SectionMapper) -> BlockScan
  ) throws(FormatError) -> (result: MappingResult?, points: [TextPoint?], ids: [Int: EntityID]) {
    let positions = positions(responseSectionName)
    guard !positions.isEmpty else { return (nil, [], [:]) }
    let digest = keyedID(String(decoding: bytes, as: UTF8.self)).rawValue
    let profileID = profile.id
    let keyed = keyedID
    let idOf: (Int) -> EntityID = { keyed("isp:response:\(profileID):\($0):\(digest)") }
    let mapper = try bind(positions, columns, external: [:], zone: zone)
    let found = scan(mapper)
    var result = mapper.map(found.values, idFor: idOf)
    if let t = found.tooLarge {
      result = .failure([MappingIssue(
        rule: "isp.field-too-large", message: "\(columns.names[t.column]) in \(place) is longer than the \(limits.maxFieldBytes)-byte field limit",
        column: t.column, field: columns.names[t.column], value: nil)])
    } else if !found.repeated.isEmpty {
      result = .failure(found.repeated.map {
        MappingIssue(rule: "isp.repeated-value", message: "\(columns.names[$0.column]) is given twice in \(place) with different values", column: $0.column, field: columns.names[$0.column], value: nil)
      })
    }
    var ids: [Int: EntityID] = [:]
    if case .entities(let list, _, _, _, _) = result {
      // A keyed response mapping has its key-derived id: the emitted entities are matched to positions by type
      // and order (the mapper emits them in profile order).
      var rest = list[...]
      for p in positions {
        guard let i = rest.firstIndex(where: { $0.type == profile.records[p].type }) else { continue }
        if profile.records[p].key != nil || rest[i].id == idOf(p) {
          ids[p] = rest[i].id
          rest = rest[(i + 1)...]
        }
      }
    }
    var points = found.points
    if let t = found.tooLarge { points[t.column] = t.at }
    return (result, points, ids)
  }

  /// Adds the response's entities to the first record that can carry them.
  static func carry(_ response: (result: MappingResult?, points: [TextPoint?], ids: [Int: EntityID]), into a: inout RecordAssembly, carried: inout Bool) {
    guard !carried, let result = response.result else { return }
    carried = true
    a.add(result, points: response.points)
    if case .entities = result { a.declaredIDs = response.ids.values.sorted { $0.rawValue < $1.rawValue } }
  }
}

extension BlockScan {
  /// The synthetic columns' values for a mapper: the stated zone only when the mapper reads it.
  mutating func fillSynthetic(_ columns: VirtualColumns, mapper: SectionMapper, zone: ZoneStatement?) {
    values[columns.statedZone] = mapper.reads(columns.statedZone) ? zone?.zoneIdentifier ?? "" : ""
  }
}
