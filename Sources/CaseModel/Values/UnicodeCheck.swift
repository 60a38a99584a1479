/// Classification of Unicode scalars that must never appear inside identifiers (internal).
enum UnicodeCheck {
  /// Whether `v` is a whitespace scalar outside ASCII (NO-BREAK SPACE, the U+2000 block, ...).
  static func isNonASCIIWhitespace(_ v: UInt32) -> Bool {
    switch v {
    case 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000:
      return true
    default:
      return false
    }
  }

  /// Whether `v` is an invisible formatting scalar: zero-width characters, joiners, marks,
  /// word joiner and friends, byte-order mark, and the bidi embedding, override and isolate
  /// controls used in Trojan-Source attacks; C1 controls and soft hyphen included.
  static func isInvisible(_ v: UInt32) -> Bool {
    switch v {
    case 0x80...0x9F, 0xAD, 0x061C, 0x180E, 0x200B...0x200F, 0x202A...0x202E,
      0x2060...0x2064, 0x2066...0x2069, 0xFEFF:
      return true
    default:
      return false
    }
  }
}
