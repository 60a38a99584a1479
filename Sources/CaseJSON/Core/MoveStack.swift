// A move-only growable stack used by the parser. Standard library only.

/// A growable stack that moves elements in and out without per-element reference counting.
struct _MoveStack<Element>: ~Copyable {
  var base: UnsafeMutablePointer<Element>?
  var count = 0
  var capacity = 0

  init() {}

  deinit {
    if let base {
      base.deinitialize(count: count)
      base.deallocate()
    }
  }

  @inline(__always)
  mutating func push(_ element: consuming Element) {
    if count == capacity { grow() }
    (base.unsafelyUnwrapped + count).initialize(to: element)
    count &+= 1
  }

  @inline(never)
  mutating func grow() {
    let newCapacity = capacity == 0 ? 16 : capacity &* 2
    let newBase = UnsafeMutablePointer<Element>.allocate(capacity: newCapacity)
    if let base {
      newBase.moveInitialize(from: base, count: count)
      base.deallocate()
    }
    base = newBase
    capacity = newCapacity
  }

  @inline(__always)
  subscript(_ k: Int) -> Element {
    get { base.unsafelyUnwrapped[k] }
  }

  /// Moves the elements from `start` to the top into a new array, leaving `start` elements.
  @inline(__always)
  mutating func popArray(from start: Int) -> [Element] {
    let k = count &- start
    guard k > 0, let base else { return [] }
    let array = [Element](unsafeUninitializedCapacity: k) { buffer, initialized in
      buffer.baseAddress.unsafelyUnwrapped.moveInitialize(from: base + start, count: k)
      initialized = k
    }
    count = start
    return array
  }
}
