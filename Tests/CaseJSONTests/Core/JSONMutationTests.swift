import CaseJSON
import Testing

/// Seeded mutation tests: the parser and the splitter never crash, the splitter's result does
/// not depend on chunking, and the splitter never accepts what the strict parser rejects.
@Suite("JSON mutation properties")
struct JSONMutationTests {
  typealias F = CoreJSONFixtures

  static let dictionary: [[UInt8]] = [
    [0x22], [0x5C], [0x5B], [0x5D], [0x7B], [0x7D], [0x2C], [0x3A], [0x2F], [0x2A], [0x20], [0x0A], [0x0D], [0x09],
    [0x00], [0x1F], [0x7F], [0xC3], [0xA9], [0xED, 0xA0, 0x80], [0xC0, 0xAF], [0xF4, 0x90, 0x80, 0x80],
    [0xEF, 0xBB, 0xBF], Array("\\ud800".utf8), Array("\\udc00".utf8), Array("\\u00e9".utf8), Array("1e400".utf8),
    Array("-0".utf8), Array("01".utf8), Array("NaN".utf8), Array("true".utf8), Array("null".utf8), Array("//".utf8),
    Array("/*".utf8), Array("\"entities\"".utf8), Array("\"k\":".utf8), Array("[[[[".utf8), Array("]]]]".utf8),
  ]

  static func mutate(_ input: [UInt8], _ rng: inout CoreJSONSplitMix64) -> [UInt8] {
    var bytes = input
    let edits = 1 + RandomJSON.int(&rng, 3)
    for _ in 0..<edits {
      let at = bytes.isEmpty ? 0 : RandomJSON.int(&rng, bytes.count + 1)
      switch RandomJSON.int(&rng, 5) {
      case 0 where !bytes.isEmpty && at < bytes.count:
        bytes.remove(at: at)
      case 1 where !bytes.isEmpty && at < bytes.count:
        bytes[at] = UInt8(truncatingIfNeeded: rng.next())
      case 2 where bytes.count > 2:
        let from = RandomJSON.int(&rng, bytes.count - 1)
        let length = 1 + RandomJSON.int(&rng, Swift.min(16, bytes.count - from))
        bytes.insert(contentsOf: bytes[from..<(from + length)], at: at)
      default:
        bytes.insert(contentsOf: dictionary[RandomJSON.int(&rng, dictionary.count)], at: at)
      }
    }
    return bytes
  }

  static func document(_ rng: inout CoreJSONSplitMix64) -> [UInt8] {
    var w = JSONWriter()
    w.writeRaw("{\"casebridgeVersion\":\"1.0\",\"entities\":[")
    let n = RandomJSON.int(&rng, 5)
    for k in 0..<n {
      if k > 0 { w.writeRaw(",") }
      w.write(RandomJSON.value(&rng, depth: 2))
    }
    w.writeRaw("],\"meta\":")
    w.write(RandomJSON.value(&rng, depth: 3))
    w.writeRaw("}")
    return w.bytes
  }

  enum Outcome: Hashable { case accepted, quarantined, thrown, inconsistent }

  @discardableResult
  func check(_ input: [UInt8], limits: JSONLimits = JSONLimits()) throws -> Outcome {
    let parsed = F.parse(input, limits: limits)
    if case .failure(let e) = parsed {
      #expect(e.byteOffset >= 0 && e.byteOffset <= input.count)
      #expect(e.line >= 1 && e.column >= 1)
      #expect(JSONSyntaxError.Rule.all.contains(e.rule))
    }
    let whole = F.split(input, chunkSize: 0, limits: limits)
    for size in [1, 3, 8] {
      let chunked = F.split(input, chunkSize: size, limits: limits)
      #expect(chunked == whole, "chunk size \(size)")
      if chunked != whole { return .inconsistent }
    }
    switch whole {
    case .failure(let e):
      #expect(parsed.isFailure, "splitter threw \(e) on a document the parser accepts")
      #expect(e.byteOffset >= 0 && e.byteOffset <= input.count)
      return .thrown
    case .success(let events):
      let elementFailures = events.filter {
        if case .element(_, _, _, _, .failure) = $0 { return true }
        return false
      }
      if elementFailures.isEmpty {
        // Accepted by the splitter: the parser must accept too, with the same content.
        let value = try parsed.get()
        let object = try #require(value.objectValue)
        var rebuilt: [JSONMember] = []
        var elements: [JSONValue] = []
        var arrayKey: String?
        for event in events {
          switch event {
          case .member(let key, let v, let offset, let length, let position):
            rebuilt.append(JSONMember(key: key, value: v))
            #expect(
              try JSONParser(limits: limits).parse(Array(input[offset..<(offset + length)]), startingAt: position) == v)
          case .arrayStart(let key, _, _):
            arrayKey = key
            elements = []
          case .element(_, let bytes, let offset, _, let result):
            #expect(Array(input[offset..<(offset + bytes.count)]) == bytes)
            elements.append(try result.get())
          case .arrayEnd(let key, let count):
            #expect(count == elements.count)
            #expect(key == arrayKey)
            rebuilt.append(JSONMember(key: key, value: .array(elements)))
          }
        }
        #expect(JSONObject(rebuilt) == object)
        return .accepted
      } else {
        // A quarantined element means the document as a whole is not valid JSON.
        #expect(parsed.isFailure)
        return .quarantined
      }
    }
  }

  @Test(arguments: [UInt64(11), 12, 13, 14])
  func mutatedDocuments(seed: UInt64) throws {
    var rng = CoreJSONSplitMix64(seed: seed)
    var outcomes: [Outcome: Int] = [:]
    for _ in 0..<250 {
      let original = Self.document(&rng)
      #expect(try check(original) == .accepted)
      outcomes[try check(Self.mutate(original, &rng)), default: 0] += 1
    }
    // The mutations exercise every path.
    #expect(outcomes[.accepted, default: 0] > 10)
    #expect(outcomes[.quarantined, default: 0] > 10)
    #expect(outcomes[.thrown, default: 0] > 10)
    #expect(outcomes[.inconsistent] == nil)
  }

  @Test func mutatedDocumentsUnderTightLimits() throws {
    var rng = CoreJSONSplitMix64(seed: 99)
    var limits = JSONLimits()
    limits.maxDepth = 4
    limits.maxStringBytes = 8
    limits.maxNumberLength = 6
    limits.maxElementBytes = 40
    for _ in 0..<300 {
      let original = Self.document(&rng)
      try check(original, limits: limits)
      try check(Self.mutate(original, &rng), limits: limits)
    }
  }

  @Test func randomBytesNeverCrash() {
    var rng = CoreJSONSplitMix64(seed: 5)
    let alphabet = Array("{}[]\",:\\/* \n\t0123456789-+.eEtrufalsn".utf8) + [0x00, 0x80, 0xC3, 0xFF, 0xEF, 0xBB, 0xBF]
    for _ in 0..<1_000 {
      let n = RandomJSON.int(&rng, 40)
      let input = (0..<n).map { _ in alphabet[RandomJSON.int(&rng, alphabet.count)] }
      _ = F.parse(input)
      let whole = F.split(input, chunkSize: 0)
      #expect(F.split(input, chunkSize: 1) == whole)
    }
  }
}

extension Result {
  fileprivate var isFailure: Bool {
    if case .failure = self { return true }
    return false
  }
}
