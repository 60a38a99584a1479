public import CaseModel
public import CaseInterchange

/// The outcome of decoding one entity: the entity, or the located reasons there is none.
public enum EntityDecoding: Sendable {
  /// Decoded.
  case success(Entity)
  /// Not decoded, with at least one error.
  case failure([Diagnostic])
}

/// Turns one parsed JSON object into an entity, with located diagnostics for every problem.
public struct EntityJSONDecoder: Sendable {
  /// Creates a decoder.
  public init() {}

  /// Decodes an entity object. A missing `id` becomes an empty id, which the pipeline replaces with a derived one.
  ///
  /// - Parameters:
  ///   - value: the parsed record.
  ///   - bytes: the record's bytes (to locate fields by line and column).
  ///   - base: where `bytes` start in the input.
  ///   - makeLocation: builds a location for a field pointer and its position.
  /// - Returns: the entity, or the diagnostics explaining why there is none.
  public func decode(
    _ value: JSONValue, bytes: UnsafeRawBufferPointer, base: TextPosition, baseOffset: Int,
    location: (_ field: String?, _ position: TextPosition, _ byteOffset: Int) -> SourceLocation
  ) -> EntityDecoding {
    guard case .object(var object) = value else {
      return .failure([
        Diagnostic(
          rule: "json.not-an-object", severity: .error, message: "an entity must be a JSON object",
          location: location(nil, base, baseOffset))
      ])
    }
    if object["id"] == nil {
      object.members.insert(JSONMember(key: "id", value: .string("")), at: min(1, object.members.count))
    }
    do {
      let (entity, unknown) = try JSONValueDecoder().decodeEntity(.object(object))
      if unknown.isEmpty { return .success(entity) }
      // At most `ReadLimits.maxListedFindings` members are listed one by one, then one finding counts the rest:
      // a hostile record with 100,000 unknown members costs one pass, not 100,000 located findings.
      let cap = ReadLimits.maxListedFindings
      let shown = Array(unknown.prefix(cap + (unknown.count > cap ? 1 : 0)))
      let offsets = shown.map { locateOffset($0, in: object, limit: bytes.count) }
      let positions = textPositions(of: offsets, in: bytes, startingAt: base)
      return .failure(
        zip(shown, offsets).enumerated().map { i, po in
          let (p, off) = po
          let message = i < cap
            ? "member is not part of the \(entity.type.rawValue) entity; it would be lost"
            : "\(unknown.count - cap) more members (from this one on) are not part of the \(entity.type.rawValue) entity; they would be lost (not listed one by one)"
          return Diagnostic(
            rule: "json.unknown-member", severity: .error, message: message,
            location: location(p, positions[off] ?? base, baseOffset + off))
        })
    } catch {
      let (pos, off) = locate(error.pointer, in: object, bytes: bytes, base: base)
      return .failure([
        Diagnostic(
          rule: error.rule, severity: .error, message: error.message,
          location: location(error.pointer.isEmpty ? nil : error.pointer, pos, baseOffset + off), value: error.value)
      ])
    }
  }

  /// Finds the position of the deepest member named by a pointer (the key's opening quote).
  func locate(_ pointer: String, in object: JSONObject, bytes: UnsafeRawBufferPointer, base: TextPosition) -> (TextPosition, Int) {
    let off = locateOffset(pointer, in: object, limit: bytes.count)
    return (textPosition(of: off, in: bytes, startingAt: base), off)
  }

  /// The byte offset of the deepest member named by a pointer (the key's opening quote); 0 when it has none.
  func locateOffset(_ pointer: String, in object: JSONObject, limit: Int) -> Int {
    var offset: Int? = nil
    var current: JSONValue = .object(object)
    for raw in pointer.split(separator: "/", omittingEmptySubsequences: true) {
      let token = raw.replacingOccurrences("~1", "/").replacingOccurrences("~0", "~")
      switch current {
      case .object(let o):
        guard let m = o.member(token) else { break }
        if m.keyOffset > 0 || offset == nil { offset = m.keyOffset }
        current = m.value
      case .array(let a):
        guard let i = Int(token), i >= 0, i < a.count else { break }
        current = a[i]
      default: break
      }
    }
    guard let off = offset, off < limit else { return 0 }
    return off
  }
}

extension StringProtocol {
  func replacingOccurrences(_ target: String, _ replacement: String) -> String {
    guard contains(target) else { return String(self) }
    var out = ""
    var rest = Substring(self)
    while let r = rest.firstRange(of: target) {
      out += rest[..<r.lowerBound]
      out += replacement
      rest = rest[r.upperBound...]
    }
    return out + rest
  }
}

/// Encodes entities into canonical JSON objects.
public struct EntityJSONEncoder: Sendable {
  /// Creates an encoder.
  public init() {}
  /// The canonical JSON object of an entity: `type` first, then its fields in declaration order.
  /// - Throws: only if an entity's `encode(to:)` throws (the model's never do).
  public func encode(_ entity: Entity) throws -> JSONValue {
    try JSONValueEncoder().encode(entity)
  }

  /// The canonical JSON bytes of an entity, written directly (the writers' fast path; the same bytes as writing
  /// `encode(_:)`'s value).
  public func bytes(_ entity: Entity) -> [UInt8] {
    var w = JSONWriter(capacity: 512)
    entity.writeCanonicalJSON(to: &w)
    return w.bytes
  }
}
