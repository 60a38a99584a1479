/// The part a person plays in a case.
public enum Role: String, Sendable, Hashable, Codable, CaseIterable {
  case reportedUser, victim, intendedRecipient, reporter, subscriber, accountHolder, investigator, witness,
    guardian, other
}

/// What happened at an IP observation (NCMEC `eventName` plus provider log kinds).
public enum IPEventKind: String, Sendable, Hashable, Codable, CaseIterable {
  case login, logout, registration, purchase, upload, session, other, unknown
}

/// The kind of an online identifier.
public enum IdentifierKind: String, Sendable, Hashable, Codable, CaseIterable {
  case email, phone, username, displayName, platformUserId, profileURL, deviceId, mac, other
}

/// How an address was assigned to a subscriber.
public enum AssignmentType: String, Sendable, Hashable, Codable, CaseIterable {
  case `static`, dynamic, cgnat
}

/// The kind of legal process served.
public enum LegalProcessType: String, Sendable, Hashable, Codable, CaseIterable {
  case preservation, subpoena, courtOrder2703d = "2703d", warrant, emergency, mlat, other
}

/// How a linked account relates to the account holding the link (NCMEC `associatedAccount/@type`).
public enum LinkType: String, Sendable, Hashable, Codable, CaseIterable {
  case billing, linked, business, creator, parentGuardian, other
}

/// The use of a contact detail or address (NCMEC `@type` values, lower camel case).
public enum ContactUse: String, Sendable, Hashable, Codable, CaseIterable {
  case home, work, business, mobile, fax, internet, recovery, billing, shipping, technical, other
}
