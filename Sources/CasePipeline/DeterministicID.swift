public import CaseModel
import CaseJSON
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

  /// Derives the ids of one input. The SHA-1 state after the namespace and the input's hash is computed once;
  /// each id then costs one or two SHA-1 blocks on the stack (the same UUIDs as `uuidV5`, which uses
  /// swift-crypto: a property test compares them). Measured: copying a swift-crypto hasher and finalising it
  /// allocated several objects per id and took 10 % of a CSV conversion.
  public struct Deriver: Sendable {
    private let prefix: SHA1Prefix

    /// Prepares derivation for one input.
    public init(inputSha256: String) {
      prefix = SHA1Prefix(DeterministicID.namespace + Array((inputSha256 + ":").utf8))
    }

    /// The id of the `ordinal`-th entity of record `record`.
    public func id(record: Int, ordinal: Int) -> EntityID {
      withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 48) { tail in
        var n = writeDecimal(record, into: tail, at: 0)
        tail[n] = 0x3A
        n = writeDecimal(ordinal, into: tail, at: n + 1)
        let digest = prefix.digest(appending: UnsafeBufferPointer(rebasing: tail[0..<n]))
        return EntityID(formatUUIDv5(digest))
      }
    }
  }

  /// A value-derived entity id: UUIDv5(CaseBridge namespace, key). Used only where documents of one standard
  /// must join across inputs (an NCMEC report and its fileDetails by `reportId`).
  /// Also the ids of keyed profile entities (`key:<sourceSystem>:<type>:<len>:<value>...`), one per keyed entity
  /// of every row: the SHA-1 state after the namespace is kept, so an id costs the key's blocks only.
  public static func keyedID(_ key: String) -> EntityID {
    var key = key
    return key.withUTF8 { EntityID(formatUUIDv5(namespacePrefix.digest(appending: $0))) }
  }

  private static let namespacePrefix = SHA1Prefix(namespace)

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

/// Writes the decimal digits of a non-negative integer at `at`; returns the index after them.
func writeDecimal(_ n: Int, into buf: UnsafeMutableBufferPointer<UInt8>, at: Int) -> Int {
  let n = max(n, 0)  // record indexes and ordinals are never negative
  var len = 1
  var v = n
  while v >= 10 {
    v /= 10
    len += 1
  }
  v = n
  for i in stride(from: at + len - 1, through: at, by: -1) {
    buf[i] = UInt8(truncatingIfNeeded: v % 10) + 0x30
    v /= 10
  }
  return at + len
}

/// Formats the first 16 bytes of a SHA-1 digest as a UUIDv5 (version and variant bits set), lower-case 8-4-4-4-12.
func formatUUIDv5(_ d: SHA1Prefix.Digest) -> String {
  String(unsafeUninitializedCapacity: 36) { out in
    let hex: StaticString = "0123456789abcdef"
    let h = hex.utf8Start
    var j = 0
    withUnsafeBytes(of: d) { raw in
      for i in 0..<16 {
        var x = raw[i]
        if i == 6 { x = (x & 0x0F) | 0x50 }
        if i == 8 { x = (x & 0x3F) | 0x80 }
        if i == 4 || i == 6 || i == 8 || i == 10 {
          out[j] = 0x2D
          j += 1
        }
        out[j] = h[Int(x >> 4)]
        out[j + 1] = h[Int(x & 0xF)]
        j += 2
      }
    }
    return 36
  }
}

/// SHA-1 (FIPS 180-4) of a fixed prefix followed by a short tail, for UUIDv5 derivation only: the state after the
/// prefix's whole blocks is kept; `digest(appending:)` pads on the stack. Not a general-purpose hash.
struct SHA1Prefix: Sendable {
  /// 20 digest bytes, big-endian words.
  typealias Digest = (UInt32, UInt32, UInt32, UInt32, UInt32)
  private var state: Digest = (0x6745_2301, 0xEFCD_AB89, 0x98BA_DCFE, 0x1032_5476, 0xC3D2_E1F0)
  private let pending: [UInt8]
  private let length: Int

  init(_ bytes: [UInt8]) {
    length = bytes.count
    let whole = bytes.count / 64 * 64
    var s = state
    bytes.withUnsafeBufferPointer { b in
      var off = 0
      while off < whole {
        Self.compress(&s, UnsafeBufferPointer(rebasing: b[off..<off + 64]))
        off += 64
      }
    }
    state = s
    pending = Array(bytes[whole...])
  }

  /// SHA-1 of prefix + tail; the words are stored big-endian so the tuple's bytes are the digest bytes.
  func digest(appending tail: UnsafeBufferPointer<UInt8>) -> Digest {
    let total = pending.count + tail.count
    let blocks = (total + 9 + 63) / 64
    return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: blocks * 64) { buf in
      var n = 0
      for b in pending {
        buf[n] = b
        n += 1
      }
      for b in tail {
        buf[n] = b
        n += 1
      }
      buf[n] = 0x80
      n += 1
      while n < blocks * 64 - 8 {
        buf[n] = 0
        n += 1
      }
      let bits = UInt64(length + tail.count) * 8
      for i in 0..<8 { buf[n + i] = UInt8(truncatingIfNeeded: bits >> (56 - 8 * UInt64(i))) }
      var s = state
      for k in 0..<blocks { Self.compress(&s, UnsafeBufferPointer(rebasing: buf[k * 64..<k * 64 + 64])) }
      return (s.0.bigEndian, s.1.bigEndian, s.2.bigEndian, s.3.bigEndian, s.4.bigEndian)
    }
  }

  private static func compress(_ h: inout Digest, _ block: UnsafeBufferPointer<UInt8>) {
    withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 80) { w in
      for i in 0..<16 {
        w[i] = UInt32(block[4 * i]) << 24 | UInt32(block[4 * i + 1]) << 16 | UInt32(block[4 * i + 2]) << 8 | UInt32(block[4 * i + 3])
      }
      for i in 16..<80 {
        let x = w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16]
        w[i] = x << 1 | x >> 31
      }
      var a = h.0, b = h.1, c = h.2, d = h.3, e = h.4
      @inline(__always) func round(_ f: UInt32, _ k: UInt32, _ wi: UInt32) {
        let t = (a << 5 | a >> 27) &+ f &+ e &+ k &+ wi
        e = d
        d = c
        c = b << 30 | b >> 2
        b = a
        a = t
      }
      for i in 0..<20 { round((b & c) | (~b & d), 0x5A82_7999, w[i]) }
      for i in 20..<40 { round(b ^ c ^ d, 0x6ED9_EBA1, w[i]) }
      for i in 40..<60 { round((b & c) | (b & d) | (c & d), 0x8F1B_BCDC, w[i]) }
      for i in 60..<80 { round(b ^ c ^ d, 0xCA62_C1D6, w[i]) }
      h = (h.0 &+ a, h.1 &+ b, h.2 &+ c, h.3 &+ d, h.4 &+ e)
    }
  }
}

/// The 8-byte content hash of an entity for the run's key check: the first 8 bytes of the SHA-256 of its canonical
/// JSON without `provenance` (where and when it was read is not its content).
func contentHash(_ entity: Entity) -> UInt64 {
  var e = entity
  e.provenance = []
  let digest = SHA256.hash(data: EntityJSONEncoder().bytes(e))
  return digest.withUnsafeBytes { raw in raw.prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) } }
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
