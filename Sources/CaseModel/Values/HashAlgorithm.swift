/// A cryptographic hash algorithm whose digests case data may carry.
///
/// The raw values are the canonical lower-case names used in CaseBridge's own formats.
public enum HashAlgorithm: String, Sendable, Hashable, CaseIterable, Codable {
  /// MD5 (32 hex digits).
  case md5
  /// SHA-1 (40 hex digits).
  case sha1
  /// SHA-224 (56 hex digits).
  case sha224
  /// SHA-256 (64 hex digits).
  case sha256
  /// SHA-384 (96 hex digits).
  case sha384
  /// SHA-512 (128 hex digits).
  case sha512
  /// SHA3-256 (64 hex digits).
  case sha3_256 = "sha3-256"
  /// SHA3-512 (128 hex digits).
  case sha3_512 = "sha3-512"

  /// The number of hex digits in a digest of this algorithm.
  public var hexLength: Int {
    switch self {
    case .md5: 32
    case .sha1: 40
    case .sha224: 56
    case .sha256, .sha3_256: 64
    case .sha384: 96
    case .sha512, .sha3_512: 128
    }
  }

  /// The lower-case hex digest of the empty byte string.
  public var emptyInputDigest: String {
    switch self {
    case .md5: "d41d8cd98f00b204e9800998ecf8427e"
    case .sha1: "da39a3ee5e6b4b0d3255bfef95601890afd80709"
    case .sha224: "d14a028c2a3a2bc9476102bb288234c415a2b01f828ea62ac5b3e42f"
    case .sha256: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    case .sha384:
      "38b060a751ac96384cd9327eb1b1e36a21fdb71114be07434c0cc7bf63f6e1da274edebfe76f65fbd51ad2f14898b95b"
    case .sha512:
      "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e"
    case .sha3_256: "a7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a"
    case .sha3_512:
      "a69f73cca23a9ac5c8b567dc185a756e97c982164fe25859e0d1dcc1475c80a615b2123af1f5f94c11e3e9402c3ac558f500199d95b6d3e301758586281dcd26"
    }
  }

  /// Maps a free-text algorithm name to an algorithm, ignoring case, `-`, `_` and spaces.
  ///
  /// Accepts for example `"MD5"`, `"SHA1"`, `"SHA-1"`, `"sha_1"`, `"SHA256"`, `"SHA-256"`,
  /// `"SHA3-256"` and `"SHA3_256"`. NCMEC's `hashType` is free text, so unknown names return nil
  /// and the caller keeps the value with a warning.
  /// - Parameter text: The algorithm name.
  /// - Returns: The algorithm, or nil for an unknown or empty name.
  public static func named(_ text: String) -> HashAlgorithm? {
    var key: [UInt8] = []
    key.reserveCapacity(8)
    for b in text.utf8 {
      switch b {
      case ASCIIByte.hyphen, 0x5F, ASCIIByte.space: continue
      default:
        if key.count == 8 { return nil }
        key.append(ASCIIByte.lower(b))
      }
    }
    switch String(decoding: key, as: UTF8.self) {
    case "md5": return .md5
    case "sha1": return .sha1
    case "sha224", "sha2224": return .sha224
    case "sha256", "sha2256": return .sha256
    case "sha384", "sha2384": return .sha384
    case "sha512", "sha2512": return .sha512
    case "sha3256": return .sha3_256
    case "sha3512": return .sha3_512
    default: return nil
    }
  }
}
