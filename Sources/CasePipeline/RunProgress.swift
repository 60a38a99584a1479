public import CaseInterchange
public import Synchronization
#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// What a run is doing, for a progress display: which input, which pass, how far. The pipeline writes it with
/// relaxed atomic stores (one thread at a time, the pipeline's own); a display reads `snapshot()` from any thread,
/// at any time. It holds counts and byte offsets only, never a value from a record.
///
/// A pipeline without one (`Pipeline.progress == nil`, the default) pays one nil check per record.
public final class RunProgress: Sendable {
  /// The pass the run is in.
  public enum Phase: Int, Sendable {
    /// Not reading an input (before the first, between passes, after the last).
    case idle = 0
    /// Pass 1: hashing the input and proving it readable (every input is scanned before any is processed).
    case scanning = 1
    /// Pass 2: mapping, validating, writing or quarantining its records.
    case processing = 2
  }

  /// One consistent-enough reading of the counters (each is read on its own; a reading taken while the pipeline
  /// moves to the next input may mix the two for one redraw).
  public struct Snapshot: Sendable, Equatable {
    /// The pass.
    public var phase: Phase
    /// Index of the current input among the run's inputs (0-based).
    public var input: Int
    /// The current input's size in bytes; nil when unknown.
    public var size: Int?
    /// Bytes of the current input done in this pass (pass 1: hashed; pass 2: up to the end of the last record).
    public var bytes: Int
    /// Records read in pass 2 (zero in pass 1).
    public var read: Int
    /// Records accepted in pass 2.
    public var accepted: Int
    /// Records quarantined in pass 2.
    public var quarantined: Int
    /// When the pass began, in nanoseconds of `CLOCK_MONOTONIC` (`RunProgress.monotonicNanoseconds()`).
    public var started: Int
  }

  private let phase = Atomic<Int>(0)
  private let input = Atomic<Int>(0)
  private let size = Atomic<Int>(-1)
  private let bytes = Atomic<Int>(0)
  private let read = Atomic<Int>(0)
  private let accepted = Atomic<Int>(0)
  private let quarantined = Atomic<Int>(0)
  private let started = Atomic<Int>(0)

  /// Creates an idle progress.
  public init() {}

  /// The current counters.
  public func snapshot() -> Snapshot {
    let s = size.load(ordering: .relaxed)
    return Snapshot(
      phase: Phase(rawValue: phase.load(ordering: .relaxed)) ?? .idle, input: input.load(ordering: .relaxed),
      size: s < 0 ? nil : s, bytes: bytes.load(ordering: .relaxed), read: read.load(ordering: .relaxed),
      accepted: accepted.load(ordering: .relaxed), quarantined: quarantined.load(ordering: .relaxed),
      started: started.load(ordering: .relaxed))
  }

  /// A pass over input `index` (of `size` bytes, nil when unknown) begins: the counters restart from zero.
  public func begin(_ phase: Phase, input index: Int, size: Int?) {
    bytes.store(0, ordering: .relaxed)
    read.store(0, ordering: .relaxed)
    accepted.store(0, ordering: .relaxed)
    quarantined.store(0, ordering: .relaxed)
    self.size.store(size ?? -1, ordering: .relaxed)
    started.store(Self.monotonicNanoseconds(), ordering: .relaxed)
    input.store(index, ordering: .relaxed)
    self.phase.store(phase.rawValue, ordering: .relaxed)
  }

  /// Pass 1 has hashed `bytes` bytes of the current input.
  public func scanned(_ bytes: Int) {
    self.bytes.store(bytes, ordering: .relaxed)
  }

  /// Pass 2 has handled the current input up to the end of `span`, with the counts of `report` so far.
  public func processed(upTo span: SourceSpan, _ report: InputReport) {
    bytes.store(span.byteOffset + span.byteLength, ordering: .relaxed)
    read.store(report.read, ordering: .relaxed)
    accepted.store(report.accepted, ordering: .relaxed)
    quarantined.store(report.quarantined, ordering: .relaxed)
  }

  /// Nanoseconds of `CLOCK_MONOTONIC` (the time base of `Snapshot.started`).
  public static func monotonicNanoseconds() -> Int {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Int(ts.tv_sec) * 1_000_000_000 + Int(ts.tv_nsec)
  }

  /// No input is being read.
  public func idle() {
    phase.store(Phase.idle.rawValue, ordering: .relaxed)
  }
}
