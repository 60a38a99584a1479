/// Canonical JSON shape of an entity: one flat object whose first member is `type`, then the entity's own fields.
extension Entity: Codable {
  private enum TypeKey: String, CodingKey { case type }

  /// Decodes `type`, then the entity of that type from the same object.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: TypeKey.self)
    let type = try c.decode(EntityType.self, forKey: .type)
    switch type {
    case .case: self = .caseRecord(try Case(from: decoder))
    case .agency: self = .agency(try Agency(from: decoder))
    case .person: self = .person(try Person(from: decoder))
    case .roleAssignment: self = .roleAssignment(try RoleAssignment(from: decoder))
    case .account: self = .account(try Account(from: decoder))
    case .onlineIdentifier: self = .onlineIdentifier(try OnlineIdentifier(from: decoder))
    case .ipObservation: self = .ipObservation(try IPObservation(from: decoder))
    case .ipAssignment: self = .ipAssignment(try IPAssignment(from: decoder))
    case .legalProcess: self = .legalProcess(try LegalProcess(from: decoder))
    case .evidenceFile: self = .evidenceFile(try EvidenceFile(from: decoder))
    case .event: self = .event(try Event(from: decoder))
    }
  }

  /// Encodes `type`, then the entity's fields into the same object.
  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: TypeKey.self)
    try c.encode(type, forKey: .type)
    switch self {
    case .caseRecord(let e): try e.encode(to: encoder)
    case .agency(let e): try e.encode(to: encoder)
    case .person(let e): try e.encode(to: encoder)
    case .roleAssignment(let e): try e.encode(to: encoder)
    case .account(let e): try e.encode(to: encoder)
    case .onlineIdentifier(let e): try e.encode(to: encoder)
    case .ipObservation(let e): try e.encode(to: encoder)
    case .ipAssignment(let e): try e.encode(to: encoder)
    case .legalProcess(let e): try e.encode(to: encoder)
    case .evidenceFile(let e): try e.encode(to: encoder)
    case .event(let e): try e.encode(to: encoder)
    }
  }
}

/// A value that a canonical encoder may leave out when empty and a canonical decoder fills in when absent.
///
/// Canonical JSON omits empty arrays; `Array` conforms so synthesized `Codable` entities get that behaviour
/// from CaseBridge's own encoder and decoder.
public protocol EmptyDefaultable {
  /// The empty value.
  static var emptyValue: Self { get }
  /// Whether this value is empty.
  var isEmptyValue: Bool { get }
}

extension Array: EmptyDefaultable {
  /// The empty array.
  public static var emptyValue: [Element] { [] }
  /// Whether the array is empty.
  public var isEmptyValue: Bool { isEmpty }
}
