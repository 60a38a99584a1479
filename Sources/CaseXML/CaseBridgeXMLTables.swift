// The mapping tables of CaseBridge XML: which element holds which canonical JSON member, and what the XSD checks
// about each value. The tables themselves are generated (CaseBridgeXMLGenerated.swift) from the entity JSON
// Schema and the naming table, by the same script that writes the XSD; this file resolves them for lookups.

/// CaseBridge XML 1.0: the format's constants, its XSD and its mapping tables.
public enum CaseBridgeXMLFormat {
  /// Versions of CaseBridge XML this build reads.
  public static let readableVersions: Set<String> = [version]
  /// The bytes of `Schemas/xml/casebridge-case-1.0.xsd` (a test keeps the two identical).
  public static let xsd: [UInt8] = Array(xsdText.utf8) + [0x0A]
  /// The generated tables, resolved for lookups by element and by key.
  static let tables = XMLMappingTables(generatedTables)
}

/// How the XSD types a value and how its text becomes JSON.
enum XMLValueBase: Sendable {
  /// xs:string: a JSON string, text kept exactly.
  case string
  /// xs:long or xs:int in canonical decimal form: a JSON number.
  case integer
  /// xs:boolean restricted to `true`/`false`: a JSON boolean.
  case boolean
  /// xs:date: a JSON string.
  case date
  /// xs:dateTime: a JSON string.
  case dateTime
}

/// What the XSD checks about one value (the JSON Schema's facets; patterns in XSD syntax).
struct XMLValueFacets: Sendable {
  var base: XMLValueBase
  var minLength: Int
  var pattern: XMLPattern?
  var enumeration: [String]
  var minimum: Int64?
  var maximum: Int64?

  init(
    _ base: XMLValueBase, minLength: Int = 0, pattern: String? = nil, enumeration: [String] = [], minimum: Int64? = nil,
    maximum: Int64? = nil
  ) {
    self.base = base
    self.minLength = minLength
    self.pattern = pattern.map { XMLPattern($0) }
    self.enumeration = enumeration
    self.minimum = minimum
    self.maximum = maximum
  }

  /// Every base but xs:string has the whitespace facet `collapse`: the validator checks the trimmed text, so the
  /// reader maps the trimmed text.
  var collapses: Bool { base != .string }
}

/// What an element holds.
enum XMLMemberKind: Sendable {
  /// Text: a string, number or boolean member.
  case value(XMLValueFacets)
  /// Text holding the normalised value, with optional attributes holding the rest of canonical JSON's object form
  /// (`{"value","original"}`, `{"utc","original","offset","zone"}`).
  case attributed(textKey: String, text: XMLValueFacets, attributes: [(String, XMLValueFacets)])
  /// Child elements: an object of a shared type.
  case object(String)
}

/// One member of an entity or object type: its canonical JSON key and its element.
struct XMLMappedMember: Sendable {
  let key: String
  let element: String
  let kind: XMLMemberKind
  /// An array: the element repeats, once per item, without a wrapper.
  let repeated: Bool
  let required: Bool
  /// For `.object`: the index of the type in the tables (resolved).
  var objectType = -1

  init(_ key: String, _ element: String, _ kind: XMLMemberKind, repeated: Bool = false, required: Bool = false) {
    self.key = key
    self.element = element
    self.kind = kind
    self.repeated = repeated
    self.required = required
  }
}

/// An entity type (with its global element) or a shared object type.
struct XMLMappedType: Sendable {
  let name: String
  let element: String?
  var members: [XMLMappedMember]
  var byElement: [String: Int] = [:]
  var byKey: [String: Int] = [:]

  init(name: String, element: String?, members: [XMLMappedMember]) {
    self.name = name
    self.element = element
    self.members = members
  }
}

/// The resolved tables.
struct XMLMappingTables: Sendable {
  var types: [XMLMappedType]
  /// Entity element local name → type index.
  var entityByElement: [String: Int] = [:]
  /// Entity type name (`person`) → type index.
  var entityByName: [String: Int] = [:]

  init(_ generated: [XMLMappedType]) {
    types = generated
    var byName: [String: Int] = [:]
    for (i, t) in types.enumerated() { byName[t.name] = i }
    for i in types.indices {
      for j in types[i].members.indices {
        let m = types[i].members[j]
        types[i].byElement[m.element] = j
        types[i].byKey[m.key] = j
        if case .object(let name) = m.kind {
          guard let t = byName[name] else { preconditionFailure("generated table names an unknown type \(name)") }
          types[i].members[j].objectType = t
        }
      }
      if let e = types[i].element {
        entityByElement[e] = i
        entityByName[types[i].name] = i
      }
    }
  }
}

/// A compiled XSD pattern, for the subset the generated tables use: literals, `\`-escapes, character classes with
/// ranges, groups with `|`, and the quantifiers `?` `*` `+` `{n}` `{n,m}`. XSD patterns match the whole value.
///
/// Compiled to a Thompson NFA and run by state-set simulation: linear in the text, no backtracking.
struct XMLPattern: Sendable {
  private indirect enum Node {
    case set([ClosedRange<UInt32>])
    case group([[Node]])
    case repeated(Node, min: Int, max: Int)
  }

  private enum State: Sendable {
    /// Consumes one scalar in `ranges[first..<end]` and goes to `next`.
    case consume(first: Int, end: Int, next: Int)
    /// Goes to both without consuming.
    case split(Int, Int)
    case match
  }

  /// The pattern as written.
  let source: String
  private var states: [State] = []
  private var ranges: [ClosedRange<UInt32>] = []
  private var start = 0

  init(_ source: String) {
    self.source = source
    var p = Parser(scalars: Array(source.unicodeScalars))
    let alternatives = p.alternatives()
    precondition(p.i == p.scalars.count, "unsupported XSD pattern \(source)")
    states.append(.match)
    start = build(.group(alternatives), next: 0)
  }

  /// Appends the states of a node that continue at `next`; returns its entry state.
  private mutating func build(_ node: Node, next: Int) -> Int {
    switch node {
    case .set(let r):
      ranges += r
      states.append(.consume(first: ranges.count - r.count, end: ranges.count, next: next))
      return states.count - 1
    case .group(let alternatives):
      var entry = -1
      for seq in alternatives.reversed() {
        var cur = next
        for n in seq.reversed() { cur = build(n, next: cur) }
        if entry < 0 {
          entry = cur
        } else {
          states.append(.split(cur, entry))
          entry = states.count - 1
        }
      }
      return entry
    case .repeated(let n, let min, let max):
      var cur = next
      if max == .max {
        states.append(.split(-1, next))  // the loop; its body is patched in below
        let loop = states.count - 1
        states[loop] = .split(build(n, next: loop), next)
        cur = loop
      } else {
        for _ in 0..<(max - min) {
          states.append(.split(build(n, next: cur), next))
          cur = states.count - 1
        }
      }
      for _ in 0..<min { cur = build(n, next: cur) }
      return cur
    }
  }

  /// Whether the whole text matches.
  func matches(_ text: String) -> Bool {
    let n = states.count
    // Scratch on the stack: the generation mark of each state, and the current and following state lists.
    return withUnsafeTemporaryAllocation(of: Int.self, capacity: 3 * n) { scratch in
      let mark = UnsafeMutableBufferPointer(rebasing: scratch[0..<n])
      var current = UnsafeMutableBufferPointer(rebasing: scratch[n..<(2 * n)])
      var following = UnsafeMutableBufferPointer(rebasing: scratch[(2 * n)..<(3 * n)])
      mark.initialize(repeating: -1)
      var currentCount = 0
      var followingCount = 0
      func add(_ s: Int, _ generation: Int, _ list: UnsafeMutableBufferPointer<Int>, _ count: inout Int) {
        guard mark[s] != generation else { return }
        mark[s] = generation
        if case .split(let a, let b) = states[s] {
          add(a, generation, list, &count)
          add(b, generation, list, &count)
        } else {
          list[count] = s
          count += 1
        }
      }
      add(start, 0, current, &currentCount)
      var generation = 0
      for scalar in text.unicodeScalars {
        generation += 1
        followingCount = 0
        for k in 0..<currentCount {
          guard case .consume(let first, let end, let next) = states[current[k]] else { continue }
          for r in first..<end where ranges[r].contains(scalar.value) {
            add(next, generation, following, &followingCount)
            break
          }
        }
        if followingCount == 0 { return false }
        swap(&current, &following)
        currentCount = followingCount
      }
      for k in 0..<currentCount { if case .match = states[current[k]] { return true } }
      return false
    }
  }

  private struct Parser {
    let scalars: [Unicode.Scalar]
    var i = 0

    mutating func alternatives() -> [[Node]] {
      var alts: [[Node]] = [sequence()]
      while i < scalars.count, scalars[i] == "|" {
        i += 1
        alts.append(sequence())
      }
      return alts
    }

    mutating func sequence() -> [Node] {
      var seq: [Node] = []
      while i < scalars.count, scalars[i] != "|", scalars[i] != ")" {
        var atom: Node
        switch scalars[i] {
        case "(":
          i += 1
          atom = .group(alternatives())
          precondition(i < scalars.count && scalars[i] == ")", "unbalanced group")
          i += 1
        case "[":
          i += 1
          var set: [ClosedRange<UInt32>] = []
          while i < scalars.count, scalars[i] != "]" {
            let lo = literal()
            if i + 1 < scalars.count, scalars[i] == "-", scalars[i + 1] != "]" {
              i += 1
              set.append(lo...literal())
            } else {
              set.append(lo...lo)
            }
          }
          i += 1
          atom = .set(set)
        default:
          let c = literal()
          atom = .set([c...c])
        }
        if i < scalars.count {
          switch scalars[i] {
          case "?", "*", "+":
            atom = .repeated(atom, min: scalars[i] == "+" ? 1 : 0, max: scalars[i] == "?" ? 1 : .max)
            i += 1
          case "{":
            i += 1
            let lo = number()
            var hi = lo
            if scalars[i] == "," {
              i += 1
              hi = number()
            }
            i += 1  // "}"
            atom = .repeated(atom, min: lo, max: hi)
          default: break
          }
        }
        seq.append(atom)
      }
      return seq
    }

    mutating func literal() -> UInt32 {
      if scalars[i] == "\\" { i += 1 }
      defer { i += 1 }
      return scalars[i].value
    }

    mutating func number() -> Int {
      var n = 0
      while i < scalars.count, ("0"..."9").contains(scalars[i]) {
        n = n * 10 + Int(scalars[i].value - 48)
        i += 1
      }
      return n
    }
  }
}
