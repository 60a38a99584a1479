import CaseModel

/// NCMEC's enumeration strings and the model's vocabulary, both ways.
enum NCMECVocabulary {
  /// `@type` of phones, e-mails and addresses (`Mobile`, `Home`, `Billing`...) to a contact use.
  static func contactUse(_ s: String?) -> ContactUse? {
    guard let s, let f = s.first else { return nil }
    return ContactUse(rawValue: f.lowercased() + s.dropFirst())
  }

  /// A contact use to NCMEC's spelling, when the list allows it.
  static func ncmecType(_ use: ContactUse?, allowed: [String]) -> String? {
    guard let raw = use?.rawValue, let f = raw.first else { return nil }
    let s = f.uppercased() + raw.dropFirst()
    return allowed.contains(s) ? s : nil
  }

  /// `associatedAccount/@type` to a link type.
  static func linkType(_ s: String?) -> LinkType {
    switch s {
    case "Billing": .billing
    case "Linked": .linked
    case "Business": .business
    case "Creator": .creator
    case "Parent/Guardian": .parentGuardian
    default: .other
    }
  }

  /// A link type to `associatedAccount/@type`.
  static func associatedAccountType(_ l: LinkType) -> String {
    switch l {
    case .billing: "Billing"
    case .linked: "Linked"
    case .business: "Business"
    case .creator: "Creator"
    case .parentGuardian: "Parent/Guardian"
    case .other: "Other"
    }
  }

  /// `eventName` (`Login`, `Upload`...) to an IP event kind.
  static func eventKind(_ s: String) -> IPEventKind? {
    switch s {
    case "Login": .login
    case "Registration": .registration
    case "Purchase": .purchase
    case "Upload": .upload
    case "Other": .other
    case "Unknown": .unknown
    default: nil
    }
  }

  /// An IP event kind to `eventName`; nil for kinds NCMEC does not list (logout, session).
  static func eventName(_ k: IPEventKind) -> String? {
    switch k {
    case .login: "Login"
    case .registration: "Registration"
    case .purchase: "Purchase"
    case .upload: "Upload"
    case .other: "Other"
    case .unknown: "Unknown"
    case .logout, .session: nil
    }
  }

  /// A hash algorithm to `originalFileHash/@hashType`.
  static func hashType(_ a: HashAlgorithm) -> String {
    switch a {
    case .md5: "MD5"
    case .sha1: "SHA1"
    case .sha224: "SHA224"
    case .sha256: "SHA256"
    case .sha384: "SHA384"
    case .sha512: "SHA512"
    case .sha3_256: "SHA3-256"
    case .sha3_512: "SHA3-512"
    }
  }
}

/// Names of the extras the NCMEC reader sets beyond element paths.
enum NCMECExtras {
  /// On a RoleAssignment of role `other`: which NCMEC element the person came from.
  static let roleName = "ncmec:role"
  /// The value of `ncmec:role` for the reporter's contact person.
  static let contactPersonRole = "reporter/contactPerson"
  /// On an IPObservation of a peer-to-peer incident: the 1-based position of its internetDetails in the report.
  static let internetDetails = "ncmec:internetDetails"
  /// On an EvidenceFile (and the device ids of a fileDetails document): NCMEC's fileId.
  static let fileId = "ncmec:fileId"
  /// The prefix of extras named by an NCMEC element path.
  static let prefix = "ncmec:"
}
