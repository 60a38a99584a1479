import CaseJSON

/// When a record mapping applies (`when`): tests on the record's source values, combinable with `all`/`any`.
/// One kind/value column pair then maps each kind to its own entity type, with that type's full validation.
public indirect enum MappingCondition: Sendable {
  /// A test of one source column (header name, element path, JSON Pointer or label).
  case test(column: String, ConditionTest)
  /// Every condition holds.
  case all([MappingCondition])
  /// At least one condition holds.
  case any([MappingCondition])

  /// The columns the condition reads.
  public var columns: [String] {
    switch self {
    case .test(let c, _): return [c]
    case .all(let list), .any(let list): return list.flatMap(\.columns)
    }
  }
}

/// A test of one value (compared exactly, byte for byte; a column absent from the record is empty).
public enum ConditionTest: Sendable {
  case oneOf(Set<String>)
  case equals(String)
  case matches(ConstraintPattern)
  case empty
  case notEmpty

  func holds(_ value: String) -> Bool {
    switch self {
    case .oneOf(let set): return set.contains(value)
    case .equals(let v): return value == v
    case .matches(let p): return !value.isEmpty && p.matches(value)
    case .empty: return value.isEmpty
    case .notEmpty: return !value.isEmpty
    }
  }
}

/// A condition bound to a header: column names resolved to indices.
indirect enum BoundCondition: Sendable {
  case test(column: Int?, ConditionTest)
  case all([BoundCondition])
  case any([BoundCondition])

  init(_ c: MappingCondition, header: [String]?) {
    switch c {
    case .test(let name, let t): self = .test(column: header.flatMap { RecordMapper.find([name], in: $0) }, t)
    case .all(let list): self = .all(list.map { BoundCondition($0, header: header) })
    case .any(let list): self = .any(list.map { BoundCondition($0, header: header) })
    }
  }

  func holds(_ values: [String]) -> Bool {
    switch self {
    case .test(let c, let t): return t.holds(c.flatMap { $0 < values.count ? values[$0] : nil } ?? "")
    case .all(let list): return list.allSatisfy { $0.holds(values) }
    case .any(let list): return list.contains { $0.holds(values) }
    }
  }

  var columns: [Int] {
    switch self {
    case .test(let c, _): return c.map { [$0] } ?? []
    case .all(let list), .any(let list): return list.flatMap(\.columns)
    }
  }
}

extension ProfileLoader.Context {
  /// A `when` condition: `{"column": C, "in": [...]}` (or `equals`, `matches`, `empty: true`, `notEmpty: true`),
  /// `{"all": [...]}`, `{"any": [...]}`; nested at most 16 deep.
  func condition(_ v: JSONValue, at offset: Int, depth: Int = 0) throws(ProfileError) -> MappingCondition {
    guard depth < 16 else { throw fail("'when' conditions nest at most 16 deep", at: offset) }
    let o = try object(v, "a 'when' condition", at: offset)
    let at = o.members.first?.keyOffset ?? offset
    if let list = o.member("all") ?? o.member("any") {
      try allow(o, [list.key], "a '\(list.key)' condition")
      guard case .array(let items) = list.value, !items.isEmpty else { throw fail("'\(list.key)' must be a non-empty array of conditions", at: list.keyOffset) }
      var out: [MappingCondition] = []
      for item in items { out.append(try condition(item, at: list.keyOffset, depth: depth + 1)) }
      return list.key == "all" ? .all(out) : .any(out)
    }
    try allow(o, ["column", "in", "equals", "matches", "empty", "notEmpty"], "a 'when' condition")
    guard let cm = o.member("column") else { throw fail("a 'when' condition needs 'column' (or 'all' / 'any')", at: at) }
    let column = try string(cm)
    let tests = ["in", "equals", "matches", "empty", "notEmpty"].filter { o[$0] != nil }
    guard tests.count == 1 else { throw fail("a 'when' condition holds exactly one test: in, equals, matches, empty or notEmpty", at: at) }
    let tm = o.member(tests[0])!
    switch tests[0] {
    case "in":
      let values = try strings(tm)
      guard !values.isEmpty else { throw fail("'in' lists at least one value", at: tm.keyOffset) }
      return .test(column: column, .oneOf(Set(values)))
    case "equals": return .test(column: column, .equals(try string(tm)))
    case "matches":
      return .test(column: column, .matches(try compiledPattern(tm)))
    default:
      guard try bool(tm) else { throw fail("'\(tests[0])' can only be true", at: tm.keyOffset) }
      return .test(column: column, tests[0] == "empty" ? .empty : .notEmpty)
    }
  }
}
