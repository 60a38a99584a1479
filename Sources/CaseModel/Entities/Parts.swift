/// One form of a person's name. Names are kept as given: no case folding, no Unicode normalisation.
public struct PersonName: Sendable, Hashable, Codable {
  /// Given (first) name.
  public var given: String?
  /// Middle name(s).
  public var middle: String?
  /// Family (last) name.
  public var family: String?
  /// The full name as one string, when the source gave it that way.
  public var full: String?
  /// Creates a name.
  public init(given: String? = nil, middle: String? = nil, family: String? = nil, full: String? = nil) {
    self.given = given
    self.middle = middle
    self.family = family
    self.full = full
  }
}

/// A postal address.
public struct Address: Sendable, Hashable, Codable {
  /// Home, billing, service...
  public var use: ContactUse?
  /// Street line(s), as given.
  public var street: String?
  /// City or locality.
  public var city: String?
  /// Postal or ZIP code, as text (leading zeros kept).
  public var postalCode: String?
  /// US state or territory (USPS code).
  public var state: USStateCode?
  /// A region outside the US.
  public var region: String?
  /// ISO 3166-1 alpha-2 country.
  public var country: CountryCode?
  /// Creates an address.
  public init(
    use: ContactUse? = nil, street: String? = nil, city: String? = nil, postalCode: String? = nil,
    state: USStateCode? = nil, region: String? = nil, country: CountryCode? = nil
  ) {
    self.use = use
    self.street = street
    self.city = city
    self.postalCode = postalCode
    self.state = state
    self.region = region
    self.country = country
  }
}

/// A contact detail that can be verified (e-mail or phone) with its use.
public struct ContactEmail: Sendable, Hashable, Codable {
  /// The address.
  public var address: EmailAddress
  /// Home, work, recovery...
  public var use: ContactUse?
  /// Whether the provider verified it.
  public var verified: Bool?
  /// When it was verified.
  public var verifiedAt: Timestamp?
  /// Creates a contact e-mail.
  public init(address: EmailAddress, use: ContactUse? = nil, verified: Bool? = nil, verifiedAt: Timestamp? = nil) {
    self.address = address
    self.use = use
    self.verified = verified
    self.verifiedAt = verifiedAt
  }
}

/// A phone number with its use.
public struct ContactPhone: Sendable, Hashable, Codable {
  /// The number.
  public var number: PhoneNumber
  /// Mobile, home, work...
  public var use: ContactUse?
  /// Whether the provider verified it.
  public var verified: Bool?
  /// When it was verified.
  public var verifiedAt: Timestamp?
  /// Creates a contact phone.
  public init(number: PhoneNumber, use: ContactUse? = nil, verified: Bool? = nil, verifiedAt: Timestamp? = nil) {
    self.number = number
    self.use = use
    self.verified = verified
    self.verifiedAt = verifiedAt
  }
}

/// An inclusive range of ports (CGNAT port blocks), or a single port.
public struct PortRange: Sendable, Hashable, Codable {
  /// First port.
  public var first: Port
  /// Last port (equal to `first` for a single port).
  public var last: Port
  /// Creates a range.
  public init(first: Port, last: Port) {
    self.first = first
    self.last = last
  }
}

/// A perceptual hash (e.g. PhotoDNA), stored opaque and never interpreted.
public struct PerceptualHash: Sendable, Hashable, Codable {
  /// Algorithm name, e.g. `PhotoDNA`.
  public var algorithm: String
  /// `base64` or `hex`.
  public var encoding: String
  /// The value as given.
  public var value: String
  /// Creates a perceptual hash.
  public init(algorithm: String, encoding: String, value: String) {
    self.algorithm = algorithm
    self.encoding = encoding
    self.value = value
  }
}

/// Another account linked to an account.
public struct LinkedAccount: Sendable, Hashable, Codable {
  /// How it is linked.
  public var link: LinkType
  /// The linked account entity.
  public var accountId: EntityID
  /// Creates a link.
  public init(link: LinkType, accountId: EntityID) {
    self.link = link
    self.accountId = accountId
  }
}
