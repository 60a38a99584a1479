import Testing

@testable import CaseModel

@Suite("HashAlgorithm and HashDigest")
struct HashDigestTests {
  @Test(arguments: [
    ("MD5", HashAlgorithm.md5), ("md5", .md5), ("Md-5", .md5),
    ("SHA1", .sha1), ("SHA-1", .sha1), ("sha_1", .sha1), ("sha1", .sha1), ("SHA 1", .sha1),
    ("SHA224", .sha224), ("SHA-224", .sha224),
    ("SHA256", .sha256), ("SHA-256", .sha256), ("sha_256", .sha256), ("SHA2-256", .sha256),
    ("SHA384", .sha384), ("SHA-384", .sha384),
    ("SHA512", .sha512), ("SHA-512", .sha512),
    ("SHA3-256", .sha3_256), ("SHA3_256", .sha3_256), ("sha3256", .sha3_256),
    ("SHA3-512", .sha3_512), ("sha3_512", .sha3_512),
  ])
  func namedAcceptsCommonSpellings(text: String, expected: HashAlgorithm) {
    #expect(HashAlgorithm.named(text) == expected)
  }

  @Test(arguments: ["", "sha", "sha2", "crc32", "PhotoDNA", "sha-3", "md4", "sha256sum", "ＭＤ５", "sha512256"])
  func namedRejectsUnknownNames(text: String) {
    #expect(HashAlgorithm.named(text) == nil)
  }

  @Test func namedIgnoresSpaces() {
    #expect(HashAlgorithm.named("SHA-256 ") == .sha256)
    #expect(HashAlgorithm.named(" md5") == .md5)
  }

  @Test func rawValuesAreCanonicalNames() {
    #expect(HashAlgorithm.allCases.map(\.rawValue) == [
      "md5", "sha1", "sha224", "sha256", "sha384", "sha512", "sha3-256", "sha3-512",
    ])
    for algorithm in HashAlgorithm.allCases {
      #expect(HashAlgorithm.named(algorithm.rawValue) == algorithm)
    }
  }

  @Test(arguments: [
    (HashAlgorithm.md5, 32), (.sha1, 40), (.sha224, 56), (.sha256, 64), (.sha384, 96),
    (.sha512, 128), (.sha3_256, 64), (.sha3_512, 128),
  ])
  func hexLength(algorithm: HashAlgorithm, length: Int) {
    #expect(algorithm.hexLength == length)
    #expect(algorithm.emptyInputDigest.utf8.count == length)
  }

  @Test func parsesAndLowerCases() throws {
    let text = "D41D8CD98F00B204E9800998ECF8427E"
    let digest = try #require(success(HashDigest.parse(algorithm: .md5, hex: text)))
    #expect(digest.hex == "d41d8cd98f00b204e9800998ecf8427e")
    #expect(digest.original == text)
    #expect(digest.algorithm == .md5)
  }

  @Test func lowerCaseInputIsKept() throws {
    let text = "0123456789abcdef0123456789abcdef01234567"
    let digest = try #require(success(HashDigest.parse(algorithm: .sha1, hex: text)))
    #expect(digest.hex == text)
    #expect(!digest.isEmptyInputDigest)
  }

  @Test(arguments: [
    "0xd41d8cd98f00b204e9800998ecf8427e", " d41d8cd98f00b204e9800998ecf8427e",
    "d41d8cd98f00b204e9800998ecf8427e ", "d41d8cd98f00b204e9800998ecf8427g",
    "d41d8cd98f00b204-e9800998ecf8427e", "d41d8cd98f00b204e9800998ecf8427\u{0435}",
    "d41d8cd98f00b204e9800998ecf8427e\n", "\u{FF44}41d8cd98f00b204e9800998ecf8427e",
  ])
  func notHexRejected(text: String) {
    expectRejected(HashDigest.parse(algorithm: .md5, hex: text), rule: "hash.not-hex", input: text)
  }

  @Test(arguments: [
    (HashAlgorithm.md5, ""), (.md5, "d41d8cd98f00b204e9800998ecf8427"),
    (.md5, "d41d8cd98f00b204e9800998ecf8427e0"),
    (.sha256, "d41d8cd98f00b204e9800998ecf8427e"),  // an MD5 is not a SHA-256
    (.sha1, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
    (.sha512, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
  ])
  func wrongLengthRejected(algorithm: HashAlgorithm, text: String) {
    expectRejected(HashDigest.parse(algorithm: algorithm, hex: text), rule: "hash.length", input: text)
  }

  @Test(arguments: [
    (HashAlgorithm.md5, "d41d8cd98f00b204e9800998ecf8427e"),
    (.sha1, "da39a3ee5e6b4b0d3255bfef95601890afd80709"),
    (.sha224, "d14a028c2a3a2bc9476102bb288234c415a2b01f828ea62ac5b3e42f"),
    (.sha256, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
    (
      .sha384,
      "38b060a751ac96384cd9327eb1b1e36a21fdb71114be07434c0cc7bf63f6e1da274edebfe76f65fbd51ad2f14898b95b"
    ),
    (
      .sha512,
      "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e"
    ),
    (.sha3_256, "a7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a"),
    (
      .sha3_512,
      "a69f73cca23a9ac5c8b567dc185a756e97c982164fe25859e0d1dcc1475c80a615b2123af1f5f94c11e3e9402c3ac558f500199d95b6d3e301758586281dcd26"
    ),
  ])
  func emptyInputDigestsAreRecognised(algorithm: HashAlgorithm, hex: String) throws {
    // Values cross-checked with Python's hashlib on b"".
    let digest = try #require(success(HashDigest.parse(algorithm: algorithm, hex: hex.uppercased())))
    #expect(digest.isEmptyInputDigest)
    #expect(algorithm.emptyInputDigest == hex)
  }

  @Test func emptyDigestOfAnotherAlgorithmIsNotFlagged() throws {
    // SHA3-256 and SHA-256 have the same length; the empty SHA-256 digest is not the empty SHA3-256 one.
    let hex = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    let digest = try #require(success(HashDigest.parse(algorithm: .sha3_256, hex: hex)))
    #expect(!digest.isEmptyInputDigest)
  }
}
