import CaseInterchange
import Foundation
#if canImport(Glibc)
  import Glibc
#endif

/// Runs a record reader on a second thread, a bounded number of batches ahead of the pipeline, so that reading,
/// mapping, decoding and the per-record work of `transform` (one core) overlap the run-wide checks, writing and
/// quarantine (the other).
///
/// The pipeline sees exactly the sequence the reader yields, in order, then the reader's end or its error, at the
/// same position as without read-ahead: counts, ids, quarantine and the all-or-nothing rejection of a failing input
/// are unchanged. Memory stays bounded (`maxBatches` × `batchSize` outcomes in flight).
///
/// The reader is used by the read-ahead thread only, from `start` until the end is delivered or `stop` returns;
/// after that it belongs to the caller again (`reader`).
final class ReadAhead<Element>: @unchecked Sendable {
  static var batchSize: Int { 256 }
  static var maxBatches: Int { 4 }

  private let condition = NSCondition()
  private var queue: [[Element]] = []
  private var ended = false  // the reader returned nil or threw; nothing more will be queued
  private var failure: FormatError?
  private var cancelled = false
  private var exited = false  // the thread's last statement ran
  private var current: [Element] = []
  private var position = 0
  private var storedReader: any RecordReader
  private let transform: (ReadOutcome) -> Element
  /// The thread could not be created (address-space or thread limit, e.g. a batch child's RLIMIT_AS): the caller's
  /// thread reads, one outcome per `next()`, with the same results. Foundation's `Thread.start()` fails silently
  /// there, and `next()` then waited for ever.
  private var synchronous = false

  /// Starts reading ahead; `transform` runs on the read-ahead thread, once per outcome, in order. It must not
  /// touch state the caller's thread uses meanwhile.
  init(_ reader: any RecordReader, transform: @escaping (ReadOutcome) -> Element) {
    storedReader = reader
    self.transform = transform
    // Allocated, not `pthread_attr_t()`: that initializer lives in CDispatch on Linux.
    let attr = UnsafeMutablePointer<pthread_attr_t>.allocate(capacity: 1)
    pthread_attr_init(attr)
    defer {
      pthread_attr_destroy(attr)
      attr.deallocate()
    }
    pthread_attr_setstacksize(attr, 8 << 20)  // as the main thread's: parsers recurse up to their depth limits
    pthread_attr_setdetachstate(attr, Int32(PTHREAD_CREATE_DETACHED))
    let context = Unmanaged.passRetained(self as AnyObject).toOpaque()
    var thread = pthread_t()
    let rc = pthread_create(&thread, attr, { context in
      // No generic parameter may reach a C function pointer: the thread finds `run` through a protocol.
      (Unmanaged<AnyObject>.fromOpaque(context!).takeRetainedValue() as? any ReadAheadThreadBody)?.threadBody()
      return nil
    }, context)
    if rc != 0 {
      Unmanaged<AnyObject>.fromOpaque(context).release()
      synchronous = true
      exited = true
    }
  }

  /// The reader, once the end was delivered or after `stop()`.
  var reader: any RecordReader {
    condition.lock()
    defer { condition.unlock() }
    precondition(exited, "the read-ahead thread still owns the reader")
    return storedReader
  }

  /// The next outcome, nil at the end.
  /// - Throws: the reader's `FormatError`, after every outcome it yielded before it.
  func next() throws(FormatError) -> Element? {
    if synchronous {
      guard let o = try storedReader.next() else { return nil }
      return transform(o)
    }
    if position < current.count {
      position += 1
      return current[position - 1]
    }
    condition.lock()
    while queue.isEmpty && !ended { condition.wait() }
    if queue.isEmpty {
      while !exited { condition.wait() }
      let failure = self.failure
      condition.unlock()
      if let failure { throw failure }
      return nil
    }
    current = queue.removeFirst()
    condition.broadcast()
    condition.unlock()
    position = 1
    return current[0]
  }

  /// Stops the thread (the pipeline gave up on this input) and waits until it no longer uses the reader.
  func stop() {
    if synchronous { return }
    condition.lock()
    cancelled = true
    condition.broadcast()
    while !exited { condition.wait() }
    queue.removeAll()
    condition.unlock()
    current = []
    position = 0
  }

  fileprivate func run() {
    // A stack overflow here still reaches the crash handler; the stack is freed when the thread's work ends.
    let signalStack = TemporaryFiles.installAlternateSignalStack()
    defer { TemporaryFiles.removeAlternateSignalStack(signalStack) }
    var reader = storedReader
    var batch: [Element] = []
    batch.reserveCapacity(Self.batchSize)
    var error: FormatError? = nil
    do {
      while let o = try reader.next() {
        batch.append(transform(o))
        if batch.count == Self.batchSize {
          guard push(batch) else { break }
          batch.removeAll(keepingCapacity: true)
        }
      }
    } catch let e {
      error = e
    }
    condition.lock()
    if !batch.isEmpty && !cancelled { queue.append(batch) }
    failure = error
    ended = true
    storedReader = reader
    exited = true
    condition.broadcast()
    condition.unlock()
  }

  /// Queues a batch, waiting while the queue is full; false when cancelled.
  private func push(_ batch: [Element]) -> Bool {
    condition.lock()
    defer { condition.unlock() }
    while queue.count >= Self.maxBatches && !cancelled { condition.wait() }
    if cancelled { return false }
    queue.append(batch)
    condition.broadcast()
    return true
  }
}

private protocol ReadAheadThreadBody: AnyObject {
  func threadBody()
}

extension ReadAhead: ReadAheadThreadBody {
  fileprivate func threadBody() { run() }
}

extension ReadAhead where Element == ReadOutcome {
  /// Reads ahead without a transform.
  convenience init(_ reader: any RecordReader) { self.init(reader) { $0 } }
}
