/// A hex-encoded message digest with its algorithm, normalised to lower case.
///
/// The hex text must be exactly ``HashAlgorithm/hexLength`` hex digits: no whitespace trimming,
/// no `0x` prefix, and truncated or padded values are never repaired.
public struct HashDigest: Sendable, Hashable {
  /// The algorithm that produced the digest.
  public let algorithm: HashAlgorithm
  /// The digest in lower-case hex.
  public let hex: String
  /// The hex text exactly as given.
  public let original: String

  /// Whether this is the digest of the empty byte string (an empty file was hashed).
  public var isEmptyInputDigest: Bool { hex == algorithm.emptyInputDigest }

  /// Parses a hex digest for a known algorithm.
  /// - Parameters:
  ///   - algorithm: The algorithm the digest claims to be from.
  ///   - hex: The hex text, upper or lower case.
  /// - Returns: The digest, or a ``FieldError`` with rule `"hash.not-hex"` (a character that is
  ///   not a hex digit) or `"hash.length"` (wrong number of digits for the algorithm).
  public static func parse(algorithm: HashAlgorithm, hex: String) -> Result<HashDigest, FieldError> {
    var copy = hex
    return copy.withUTF8 { buf -> Result<HashDigest, FieldError> in
      var hasUpper = false
      for b in buf {
        guard ASCIIByte.hexValue(b) != nil else {
          return .failure(
            FieldError(rule: "hash.not-hex", message: "digest contains a character that is not a hex digit"))
        }
        if b >= 0x41 && b <= 0x46 { hasUpper = true }
      }
      guard buf.count == algorithm.hexLength else {
        return .failure(
          FieldError(
            rule: "hash.length",
            message: "digest does not have the \(algorithm.hexLength) hex digits \(algorithm.rawValue) requires"))
      }
      let lower =
        hasUpper
        ? String(unsafeUninitializedCapacity: buf.count) { out in
          for (i, b) in buf.enumerated() { out[i] = ASCIIByte.lower(b) }
          return buf.count
        } : hex
      return .success(HashDigest(algorithm: algorithm, hex: lower, original: hex))
    }
  }
}
