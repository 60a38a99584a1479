// A regular-expression engine for profile constraints that runs in linear time: patterns are compiled once into a
// Thompson NFA and simulated in lock step over the value's Unicode scalars (a Pike VM without captures), so a value
// of n scalars costs at most n × (program size) steps whatever the pattern — no backtracking, no ReDoS.

/// A compiled `pattern` constraint: matched against the whole value (implicitly anchored at both ends).
///
/// Syntax: literals; `.` (any scalar); classes `[a-z]`, `[^…]` with ranges and escapes; `\d \D \w \W \s \S` (ASCII
/// digits, word characters `[A-Za-z0-9_]`, white space); escapes `\t \n \r` and `\` before any punctuation; groups
/// `(…)` and `(?:…)` (nothing is captured); alternation `|`; quantifiers `* + ?` and `{n}`, `{n,}`, `{n,m}` (n, m at
/// most 1000; a lazy `?` after a quantifier is accepted and changes nothing for a whole-value match); `^` at the very
/// start and `$` at the very end (no-ops: the match is always whole). Backreferences, lookaround, anchors elsewhere
/// and other `(?…)` forms are refused when the profile is loaded. A compiled program holds at most
/// `maxInstructions` instructions.
public struct ConstraintPattern: Sendable, Hashable {
  /// The pattern as written in the profile.
  public let source: String
  let program: [Instruction]

  /// The largest program a pattern may compile to: with `--max-field-bytes` it bounds one match's work
  /// (at most value scalars × this many steps).
  public static let maxInstructions = 4096
  static let maxRepeat = 1000

  /// A pattern that cannot be compiled; `offset` is the scalar offset in the pattern.
  public struct SyntaxError: Error, Sendable {
    public var message: String
    public var offset: Int
  }

  /// Compiles `source`.
  public init(_ source: String) throws(SyntaxError) {
    self.source = source
    var parser = Parser(Array(source.unicodeScalars))
    let node = try parser.parseWhole()
    var compiler = Compiler()
    try compiler.emit(node)
    compiler.program.append(.match)
    if compiler.program.count > Self.maxInstructions {
      throw SyntaxError(message: "the pattern compiles to \(compiler.program.count) instructions, over the limit of \(Self.maxInstructions) (lower its repetition counts)", offset: 0)
    }
    program = compiler.program
  }

  /// Whether the whole of `value` matches. The thread lists live in one stack allocation (no heap traffic per
  /// value): two sparse sets of program counters and the closure stack.
  public func matches(_ value: String) -> Bool {
    let n = program.count
    return withUnsafeTemporaryAllocation(of: Int.self, capacity: 5 * n + 2) { buffer -> Bool in
      let base = buffer.baseAddress!
      base.initialize(repeating: 0, count: 5 * n + 2)
      var current = ThreadList(dense: base, sparse: base + n)
      var next = ThreadList(dense: base + 2 * n, sparse: base + 3 * n)
      let stack = base + 4 * n
      add(0, to: &current, stack: stack)
      for scalar in value.unicodeScalars {
        if current.count == 0 { return false }
        next.count = 0
        for i in 0..<current.count {
          let pc = current.dense[i]
          if case .set(let set) = program[pc], set.contains(scalar) { add(pc + 1, to: &next, stack: stack) }
        }
        swap(&current, &next)
      }
      for i in 0..<current.count where program[current.dense[i]] == .match { return true }
      return false
    }
  }

  /// Adds `pc` and everything reachable from it without consuming a scalar. The stack never holds more than the
  /// program's size plus one: each split pops one counter and pushes two, and fewer than n instructions are splits.
  private func add(_ pc: Int, to list: inout ThreadList, stack: UnsafeMutablePointer<Int>) {
    var top = 0
    stack[top] = pc
    top += 1
    while top > 0 {
      top -= 1
      let p = stack[top]
      if list.contains(p) { continue }
      list.insert(p)
      switch program[p] {
      case .jump(let t):
        stack[top] = t
        top += 1
      case .split(let a, let b):
        stack[top] = b
        stack[top + 1] = a
        top += 2
      case .set, .match: break
      }
    }
  }

  enum Instruction: Sendable, Hashable {
    case set(ScalarSet)
    case split(Int, Int)
    case jump(Int)
    case match
  }

  /// A sparse set of program counters over caller-owned memory: O(1) insert, membership and clear.
  struct ThreadList {
    var dense: UnsafeMutablePointer<Int>
    var sparse: UnsafeMutablePointer<Int>
    var count = 0
    init(dense: UnsafeMutablePointer<Int>, sparse: UnsafeMutablePointer<Int>) {
      self.dense = dense
      self.sparse = sparse
    }
    func contains(_ pc: Int) -> Bool { let i = sparse[pc]; return i < count && dense[i] == pc }
    mutating func insert(_ pc: Int) {
      sparse[pc] = count
      dense[count] = pc
      count += 1
    }
  }
}

/// A set of Unicode scalars: ranges, possibly negated.
struct ScalarSet: Sendable, Hashable {
  var ranges: [ClosedRange<UInt32>]
  var negated = false

  func contains(_ s: Unicode.Scalar) -> Bool {
    let v = s.value
    var hit = false
    for r in ranges where r.contains(v) {
      hit = true
      break
    }
    return hit != negated
  }

  static let any = ScalarSet(ranges: [0...0x10FFFF])
  static let digit: [ClosedRange<UInt32>] = [0x30...0x39]
  static let word: [ClosedRange<UInt32>] = [0x30...0x39, 0x41...0x5A, 0x5F...0x5F, 0x61...0x7A]
  static let space: [ClosedRange<UInt32>] = [0x09...0x0D, 0x20...0x20]
}

extension ConstraintPattern {
  indirect enum Node {
    case empty
    case set(ScalarSet)
    case concat([Node])
    case alternation([Node])
    case repetition(Node, min: Int, max: Int?)
  }

  struct Parser {
    let s: [Unicode.Scalar]
    var i = 0
    var depth = 0
    init(_ s: [Unicode.Scalar]) { self.s = s }

    func fail(_ message: String, at offset: Int? = nil) -> SyntaxError { SyntaxError(message: message, offset: offset ?? i) }

    mutating func parseWhole() throws(SyntaxError) -> Node {
      var end = s.count
      if i < end, s[i] == "^" { i += 1 }
      // A final unescaped `$` is the end anchor (an escaped one, `\$`, is a literal).
      if end > i, s[end - 1] == "$" {
        var backslashes = 0
        var k = end - 2
        while k >= i, s[k] == "\\" {
          backslashes += 1
          k -= 1
        }
        if backslashes % 2 == 0 { end -= 1 }
      }
      let node = try parseAlternation(end: end)
      if i < end { throw fail(s[i] == ")" ? "unbalanced ')'" : "unexpected '\(s[i])'") }
      return node
    }

    mutating func parseAlternation(end: Int) throws(SyntaxError) -> Node {
      var branches = [try parseConcat(end: end)]
      while i < end, s[i] == "|" {
        i += 1
        branches.append(try parseConcat(end: end))
      }
      return branches.count == 1 ? branches[0] : .alternation(branches)
    }

    mutating func parseConcat(end: Int) throws(SyntaxError) -> Node {
      var items: [Node] = []
      while i < end, s[i] != "|", s[i] != ")" {
        var atom = try parseAtom(end: end)
        while i < end, let q = try parseQuantifier(end: end) {
          atom = .repetition(atom, min: q.0, max: q.1)
          if i < end, s[i] == "?" { i += 1 }  // lazy: the same for a whole-value match
          if i < end, "*+?{".unicodeScalars.contains(s[i]), !(s[i] == "{" && !looksLikeCount(end: end)) {
            throw fail("a quantifier cannot follow a quantifier (group the repeated part instead)")
          }
        }
        items.append(atom)
      }
      return items.isEmpty ? .empty : (items.count == 1 ? items[0] : .concat(items))
    }

    func looksLikeCount(end: Int) -> Bool {
      var k = i + 1
      var digits = 0
      while k < end, ("0"..."9").contains(s[k]) || s[k] == "," {
        if s[k] != "," { digits += 1 }
        k += 1
      }
      return digits > 0 && k < end && s[k] == "}"
    }

    mutating func parseQuantifier(end: Int) throws(SyntaxError) -> (Int, Int?)? {
      switch s[i] {
      case "*": i += 1; return (0, nil)
      case "+": i += 1; return (1, nil)
      case "?": i += 1; return (0, 1)
      case "{":
        guard looksLikeCount(end: end) else { return nil }
        let start = i
        i += 1
        func number() -> Int? {
          var v = 0
          var any = false
          while i < end, let d = Int(String(s[i])), ("0"..."9").contains(s[i]) {
            v = min(v * 10 + d, Int(Int32.max))
            any = true
            i += 1
          }
          return any ? v : nil
        }
        let lo = number() ?? 0
        var hi: Int? = lo
        if s[i] == "," {
          i += 1
          hi = number()
        }
        i += 1  // "}"
        if lo > maxRepeat || (hi ?? 0) > maxRepeat { throw fail("a repetition count over \(maxRepeat)", at: start) }
        if let hi, hi < lo { throw fail("a repetition {n,m} with m < n", at: start) }
        return (lo, hi)
      default: return nil
      }
    }

    mutating func parseAtom(end: Int) throws(SyntaxError) -> Node {
      let c = s[i]
      switch c {
      case "(":
        let open = i
        i += 1
        if i + 1 < end, s[i] == "?" {
          guard s[i + 1] == ":" else { throw fail("only non-capturing groups (?:…) are supported, not lookaround or flags", at: open) }
          i += 2
        }
        depth += 1
        if depth > 100 { throw fail("groups nested deeper than 100", at: open) }
        let inner = try parseAlternation(end: end)
        guard i < end, s[i] == ")" else { throw fail("unclosed '('", at: open) }
        i += 1
        depth -= 1
        return inner
      case "[": return .set(try parseClass(end: end))
      case ".": i += 1; return .set(.any)
      case "\\": return .set(try parseEscape(end: end, inClass: false))
      case "^", "$": throw fail("'\(c)' is only supported at the very start or end of the pattern (the match is always whole)")
      case "*", "+", "?": throw fail("'\(c)' has nothing to repeat")
      case "{" where looksLikeCount(end: end): throw fail("'{' has nothing to repeat")
      default:
        i += 1
        return .set(ScalarSet(ranges: [c.value...c.value]))
      }
    }

    mutating func parseEscape(end: Int, inClass: Bool) throws(SyntaxError) -> ScalarSet {
      let start = i
      i += 1
      guard i < end else { throw fail("a pattern cannot end with '\\'", at: start) }
      let c = s[i]
      i += 1
      switch c {
      case "d": return ScalarSet(ranges: ScalarSet.digit)
      case "D": return ScalarSet(ranges: ScalarSet.digit, negated: true)
      case "w": return ScalarSet(ranges: ScalarSet.word)
      case "W": return ScalarSet(ranges: ScalarSet.word, negated: true)
      case "s": return ScalarSet(ranges: ScalarSet.space)
      case "S": return ScalarSet(ranges: ScalarSet.space, negated: true)
      case "t": return ScalarSet(ranges: [0x09...0x09])
      case "n": return ScalarSet(ranges: [0x0A...0x0A])
      case "r": return ScalarSet(ranges: [0x0D...0x0D])
      default:
        if c.properties.isAlphabetic || ("0"..."9").contains(c) {
          throw fail("unsupported escape '\\\(c)' (backreferences, \\b, \\p{…} and the like are not supported)", at: start)
        }
        return ScalarSet(ranges: [c.value...c.value])
      }
    }

    mutating func parseClass(end: Int) throws(SyntaxError) -> ScalarSet {
      let open = i
      i += 1
      var set = ScalarSet(ranges: [])
      if i < end, s[i] == "^" {
        set.negated = true
        i += 1
      }
      var first = true
      while true {
        guard i < end else { throw fail("unclosed '['", at: open) }
        let c = s[i]
        if c == "]" && !first { i += 1; break }
        first = false
        var lo: UInt32
        if c == "\\" {
          let e = try parseEscape(end: end, inClass: true)
          if e.negated || e.ranges.count != 1 || e.ranges[0].count != 1 {
            // \d, \w, \s (and their negations, only as whole classes) inside a class.
            if e.negated { throw fail("\\D, \\W and \\S are not supported inside a class", at: i - 2) }
            set.ranges += e.ranges
            continue
          }
          lo = e.ranges[0].lowerBound
        } else {
          lo = c.value
          i += 1
        }
        if i + 1 < end, s[i] == "-", s[i + 1] != "]" {
          i += 1
          var hi: UInt32
          if s[i] == "\\" {
            let e = try parseEscape(end: end, inClass: true)
            guard !e.negated, e.ranges.count == 1, e.ranges[0].count == 1 else { throw fail("a class range must end in one character", at: i - 2) }
            hi = e.ranges[0].lowerBound
          } else {
            hi = s[i].value
            i += 1
          }
          guard lo <= hi else { throw fail("a class range whose end is before its start", at: i - 1) }
          set.ranges.append(lo...hi)
        } else {
          set.ranges.append(lo...lo)
        }
      }
      return set
    }
  }

  struct Compiler {
    var program: [Instruction] = []

    mutating func check() throws(SyntaxError) {
      if program.count > ConstraintPattern.maxInstructions {
        throw SyntaxError(message: "the pattern compiles to more than \(ConstraintPattern.maxInstructions) instructions (lower its repetition counts)", offset: 0)
      }
    }

    mutating func emit(_ node: Node) throws(SyntaxError) {
      try check()
      switch node {
      case .empty: break
      case .set(let set): program.append(.set(set))
      case .concat(let items): for n in items { try emit(n) }
      case .alternation(let branches):
        // split L1, next; L1: branch; jump end; next: split L2, …
        var jumps: [Int] = []
        for (k, b) in branches.enumerated() {
          if k < branches.count - 1 {
            let split = program.count
            program.append(.split(split + 1, 0))
            try emit(b)
            jumps.append(program.count)
            program.append(.jump(0))
            program[split] = .split(split + 1, program.count)
          } else {
            try emit(b)
          }
        }
        for j in jumps { program[j] = .jump(program.count) }
      case .repetition(let inner, let lo, let hi):
        for _ in 0..<lo { try emit(inner) }
        if let hi {
          // Each optional copy: split body, end.
          var splits: [Int] = []
          for _ in lo..<hi {
            splits.append(program.count)
            program.append(.split(program.count + 1, 0))
            try emit(inner)
          }
          for sp in splits { program[sp] = .split(sp + 1, program.count) }
        } else {
          let loop = program.count
          program.append(.split(loop + 1, 0))
          try emit(inner)
          program.append(.jump(loop))
          program[loop] = .split(loop + 1, program.count)
        }
      }
    }
  }
}
