import CaseBridge
@testable import CasePipeline
import Testing

/// The read-ahead thread hands the pipeline exactly the reader's sequence, then its end or its error.
@Suite struct ReadAheadTests {
  /// Yields `count` records, then nil or (if `failure`) an error; counts how often it was asked.
  struct CountingReader: RecordReader {
    let count: Int
    let failure: FormatError?
    var produced = 0
    mutating func next() throws(FormatError) -> ReadOutcome? {
      guard produced < count else {
        if let failure { throw failure }
        return nil
      }
      defer { produced += 1 }
      let span = SourceSpan(byteOffset: produced * 10, byteLength: 10, line: produced + 1)
      if produced % 7 == 3 { return .rejected(RecordIssue(index: produced, span: span, diagnostics: [])) }
      return .record(SourceRecord(index: produced, span: span, entities: []))
    }
  }

  static func index(_ o: ReadOutcome) -> Int? {
    switch o {
    case .record(let r): return r.index
    case .rejected(let i): return i.index
    case .ignored: return nil
    }
  }

  /// Sizes around the batch size and the queue bound, so partial, full and blocked batches all occur.
  @Test(arguments: [0, 1, 255, 256, 257, 1024, 1025, 5000])
  func deliversEveryOutcomeInOrderThenTheEnd(count: Int) throws {
    let ahead = ReadAhead(CountingReader(count: count, failure: nil))
    var seen: [Int] = []
    while let o = try ahead.next() { seen.append(Self.index(o) ?? -1) }
    #expect(seen == Array(0..<count))
    #expect(try ahead.next() == nil)  // the end stays the end
    #expect((ahead.reader as? CountingReader)?.produced == count)
  }

  @Test(arguments: [0, 300, 2000])
  func deliversTheErrorAfterEveryOutcomeBeforeIt(count: Int) {
    let failure = FormatError(rule: "csv.unterminated-quote", message: "test", location: SourceLocation(source: "t"))
    let ahead = ReadAhead(CountingReader(count: count, failure: failure))
    var seen = 0
    do {
      while try ahead.next() != nil { seen += 1 }
      Issue.record("no error")
    } catch {
      #expect(error.rule == "csv.unterminated-quote")
    }
    #expect(seen == count)
  }

  /// Stopping part-way (the pipeline gave up on the input) returns without hanging and gives the reader back.
  @Test func stopsPartWay() throws {
    let ahead = ReadAhead(CountingReader(count: 100_000, failure: nil))
    for _ in 0..<10 { _ = try ahead.next() }
    ahead.stop()
    let produced = (ahead.reader as? CountingReader)?.produced ?? -1
    #expect(produced >= 10 && produced < 100_000)  // bounded read-ahead: it did not read to the end
  }
}
