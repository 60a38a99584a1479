// Exact (byte-level) string identity, as opposed to Swift's canonical equivalence.
// Standard library only.

/// True when both strings hold the same Unicode scalars (same UTF-8 bytes).
@inline(__always)
func _sameScalars(_ a: String, _ b: String) -> Bool {
  let au = a.utf8
  let bu = b.utf8
  let n = au.count
  guard n == bu.count else { return false }
  let compared: Bool?? = au.withContiguousStorageIfAvailable { pa in
    bu.withContiguousStorageIfAvailable { pb in
      guard let x = pa.baseAddress, let y = pb.baseAddress else { return true }
      var k = 0
      while k < n {
        if x[k] != y[k] { return false }
        k &+= 1
      }
      return true
    }
  }
  if let outer = compared, let result = outer { return result }
  return au.elementsEqual(bu)
}

/// A String key hashed and compared by its UTF-8 bytes (not canonical equivalence).
struct _ByteKey: Hashable, Sendable {
  let string: String

  init(_ string: String) { self.string = string }

  static func == (lhs: _ByteKey, rhs: _ByteKey) -> Bool { _sameScalars(lhs.string, rhs.string) }

  func hash(into hasher: inout Hasher) {
    let done: Void? = string.utf8.withContiguousStorageIfAvailable { buf in
      hasher.combine(bytes: UnsafeRawBufferPointer(buf))
    }
    if done == nil {
      for b in string.utf8 { hasher.combine(b) }
    }
    hasher.combine(string.utf8.count)
  }
}
