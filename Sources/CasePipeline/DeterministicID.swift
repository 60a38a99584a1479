public import CaseModel
import Crypto

/// Deterministic entity ids: UUIDv5 (RFC 9562 §5.5, SHA-1) in the CaseBridge namespace.
///
/// An entity's id is `UUIDv5(namespace, "<input sha256 hex>:<record index>:<ordinal>")`, so converting the same
/// input twice gives the same ids, and two different inputs never share one.
public enum DeterministicID {
  /// The CaseBridge namespace: UUIDv5(NAMESPACE_URL, "urn:casebridge:entity").
  public static let namespace: [UInt8] = uuidV5(namespace: urlNamespace, name: Array("urn:casebridge:entity".utf8))

  /// RFC 9562 NAMESPACE_URL, 6ba7b811-9dad-11d1-80b4-00c04fd430c8.
  public static let urlNamespace: [UInt8] = [
    0x6b, 0xa7, 0xb8, 0x11, 0x9d, 0xad, 0x11, 0xd1, 0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8,
  ]

  /// The id of the `ordinal`-th entity of record `record` of the input with SHA-256 `inputSha256`.
  public static func entityID(inputSha256: String, record: Int, ordinal: Int) -> EntityID {
    Deriver(inputSha256: inputSha256).id(record: record, ordinal: ordinal)
  }

  /// Derives the ids of one input: the SHA-1 state after the namespace and the input's hash is computed once and
  /// copied for each id (the same UUIDs as `entityID`, without rebuilding the name per entity).
  public struct Deriver: Sendable {
    private let prefix: Insecure.SHA1

    /// Prepares derivation for one input.
    public init(inputSha256: String) {
      var h = Insecure.SHA1()
      h.update(data: DeterministicID.namespace)
      h.update(data: Array((inputSha256 + ":").utf8))
      prefix = h
    }

    /// The id of the `ordinal`-th entity of record `record`.
    public func id(record: Int, ordinal: Int) -> EntityID {
      var h = prefix
      var tail: [UInt8] = []
      tail.reserveCapacity(24)
      appendDecimal(record, to: &tail)
      tail.append(0x3A)
      appendDecimal(ordinal, to: &tail)
      h.update(data: tail)
      var b = Array(h.finalize().prefix(16))
      b[6] = (b[6] & 0x0F) | 0x50
      b[8] = (b[8] & 0x3F) | 0x80
      return EntityID(DeterministicID.format(b))
    }
  }

  /// A value-derived entity id: UUIDv5(CaseBridge namespace, key). Used only where documents of one standard
  /// must join across inputs (an NCMEC report and its fileDetails by `reportId`).
  public static func keyedID(_ key: String) -> EntityID {
    EntityID(format(uuidV5(namespace: namespace, name: Array(key.utf8))))
  }

  /// A UUIDv5 over an arbitrary name, for value-derived ids where a standard asks for them (CASE hash nodes).
  public static func uuidV5(namespace: [UInt8], name: [UInt8]) -> [UInt8] {
    var h = Insecure.SHA1()
    h.update(data: namespace)
    h.update(data: name)
    var b = Array(h.finalize().prefix(16))
    b[6] = (b[6] & 0x0F) | 0x50
    b[8] = (b[8] & 0x3F) | 0x80
    return b
  }

  /// Formats 16 bytes as a lower-case 8-4-4-4-12 UUID.
  public static func format(_ b: [UInt8]) -> String {
    let hex = Array("0123456789abcdef".utf8)
    var out: [UInt8] = []
    out.reserveCapacity(36)
    for (i, x) in b.enumerated() {
      if i == 4 || i == 6 || i == 8 || i == 10 { out.append(0x2D) }
      out.append(hex[Int(x >> 4)])
      out.append(hex[Int(x & 0xF)])
    }
    return String(decoding: out, as: UTF8.self)
  }

  /// An 8-byte hash of an id, the compact form kept for duplicate and reference checks.
  public static func compactHash(_ id: EntityID) -> UInt64 {
    // FNV-1a 64 over the id's UTF-8 bytes; collisions only ever cause a false report, never a lost record.
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for b in id.rawValue.utf8 {
      h ^= UInt64(b)
      h = h &* 0x100_0000_01b3
    }
    return h
  }
}

/// Appends the decimal digits of a non-negative integer.
func appendDecimal(_ n: Int, to out: inout [UInt8]) {
  if n == 0 {
    out.append(0x30)
    return
  }
  var digits: [UInt8] = []
  var v = n
  while v > 0 {
    digits.append(UInt8(v % 10) + 0x30)
    v /= 10
  }
  out.append(contentsOf: digits.reversed())
}

/// Lower-case hex of a digest.
func hexString<S: Sequence>(_ bytes: S) -> String where S.Element == UInt8 {
  let hex = Array("0123456789abcdef".utf8)
  var out: [UInt8] = []
  for x in bytes {
    out.append(hex[Int(x >> 4)])
    out.append(hex[Int(x & 0xF)])
  }
  return String(decoding: out, as: UTF8.self)
}

/// Streaming SHA-256.
struct SHA256Hasher {
  private var h = SHA256()
  mutating func update(_ bytes: UnsafeRawBufferPointer) { h.update(bufferPointer: bytes) }
  func hex() -> String { hexString(h.finalize()) }
}

/// SHA-256 of a byte array, lower-case hex.
public func sha256Hex(_ bytes: [UInt8]) -> String { hexString(SHA256.hash(data: bytes)) }
