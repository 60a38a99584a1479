/// Where a fact came from: the source input, the record inside it, and the profile that mapped it.
///
/// Provenance describes the first import of a fact. Re-serialising canonical JSON or JSON Lines keeps it
/// unchanged, so a round trip is lossless. Run ids and import times are deliberately absent: they live in
/// run reports, so converting the same input twice gives byte-identical output.
public struct Provenance: Sendable, Hashable, Codable {
  /// The format id of the source input (`jsonl`, `csv`, `ncmec-xml`, ...).
  public var sourceFormat: String
  /// The base name of the source input as given (never a full path).
  public var sourceName: String?
  /// Lower-case hex SHA-256 of the whole source input.
  public var sourceSha256: String?
  /// 0-based index of the source record within the input.
  public var record: Int?
  /// 1-based line of the record's first byte.
  public var line: Int?
  /// 0-based byte offset of the record in the original input bytes.
  public var byteOffset: Int?
  /// Length of the record in the original input bytes.
  public var byteLength: Int?
  /// Where inside the record the entity came from (JSON Pointer, element path, column name).
  public var pointer: String?
  /// The mapping profile id, when a profile mapped the record.
  public var profileId: String?
  /// SHA-256 of the mapping profile's bytes.
  public var profileSha256: String?

  /// Creates a provenance reference.
  public init(
    sourceFormat: String, sourceName: String? = nil, sourceSha256: String? = nil, record: Int? = nil,
    line: Int? = nil, byteOffset: Int? = nil, byteLength: Int? = nil, pointer: String? = nil,
    profileId: String? = nil, profileSha256: String? = nil
  ) {
    self.sourceFormat = sourceFormat
    self.sourceName = sourceName
    self.sourceSha256 = sourceSha256
    self.record = record
    self.line = line
    self.byteOffset = byteOffset
    self.byteLength = byteLength
    self.pointer = pointer
    self.profileId = profileId
    self.profileSha256 = profileSha256
  }
}

/// A source field that no model field holds, kept so a conversion loses nothing (`unmapped: keep`).
public struct ExtraField: Sendable, Hashable, Codable {
  /// The source field's name (column, element path or key).
  public var name: String
  /// The source text, unchanged.
  public var value: String
  /// Creates an extra field.
  public init(name: String, value: String) {
    self.name = name
    self.value = value
  }
}

/// A reference to the same thing in another system (e.g. an NCMEC report id).
public struct ExternalReference: Sendable, Hashable, Codable {
  /// The other system (`NCMEC`, `VICS`, an RMS name).
  public var system: String
  /// The identifier there, as text (numeric ids are never parsed as floats).
  public var identifier: String
  /// Creates an external reference.
  public init(system: String, identifier: String) {
    self.system = system
    self.identifier = identifier
  }
}
