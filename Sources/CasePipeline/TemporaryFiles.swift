#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The temporary files a run has open under a name (an output's temporary file beside its target, the spool of
/// standard input), so a crash handler can remove them: a crashed run must not leave a hidden copy of converted
/// personal data behind. Registration takes a lock; `removeAllAfterCrash` takes none and calls only `unlink`, so it
/// may run in a signal handler.
public enum TemporaryFiles {
  static let capacity = 256
  nonisolated(unsafe) static let slots: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?> = {
    let p = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>.allocate(capacity: capacity)
    p.initialize(repeating: nil, count: capacity)
    return p
  }()
  nonisolated(unsafe) static let lock: UnsafeMutablePointer<pthread_mutex_t> = {
    let m = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    pthread_mutex_init(m, nil)
    return m
  }()

  /// Prepares the registry (call before a crash handler may run, so it never initialises anything itself).
  public static func prepare() {
    _ = slots
    _ = lock
  }

  /// Remembers `path`; returns its slot for `forget`, or nil when every slot is taken (then it is not removed on a
  /// crash, which is no worse than before).
  public static func remember(_ path: String) -> Int? {
    pthread_mutex_lock(lock)
    defer { pthread_mutex_unlock(lock) }
    for i in 0..<capacity where slots[i] == nil {
      slots[i] = strdup(path)
      return i
    }
    return nil
  }

  /// Forgets the path in `slot` (after it was renamed into place or removed).
  public static func forget(_ slot: Int?) {
    guard let slot else { return }
    pthread_mutex_lock(lock)
    defer { pthread_mutex_unlock(lock) }
    let p = slots[slot]
    slots[slot] = nil
    free(p)
  }

  /// Forgets `path` (after it was removed), wherever it was remembered.
  public static func forget(path: String) {
    pthread_mutex_lock(lock)
    defer { pthread_mutex_unlock(lock) }
    for i in 0..<capacity {
      if let p = slots[i], strcmp(p, path) == 0 {
        slots[i] = nil
        free(p)
      }
    }
  }

  /// Gives the calling thread its own signal stack, so a crash handler still runs when the thread overflows its
  /// stack (an alternate signal stack is per thread). Call at the start of every thread the CLI runs. A thread that
  /// ends before the process (the read-ahead thread of each input) passes the result to
  /// `removeAlternateSignalStack` as it ends: otherwise every input of a run would leave 256 KiB behind.
  @discardableResult
  public static func installAlternateSignalStack() -> UnsafeMutableRawPointer {
    let size = 256 * 1024
    var stack = stack_t()
    stack.ss_sp = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 16)
    stack.ss_size = size
    stack.ss_flags = 0
    sigaltstack(&stack, nil)
    return stack.ss_sp
  }

  /// Turns the calling thread's alternate signal stack off and frees it (from `installAlternateSignalStack`).
  public static func removeAlternateSignalStack(_ memory: UnsafeMutableRawPointer) {
    var off = stack_t()
    off.ss_flags = Int32(SS_DISABLE)
    sigaltstack(&off, nil)
    memory.deallocate()
  }

  /// Unlinks every remembered path. Async-signal-safe: no lock, no allocation.
  public static func removeAllAfterCrash() {
    for i in 0..<capacity {
      if let p = slots[i] { unlink(p) }
    }
  }
}
