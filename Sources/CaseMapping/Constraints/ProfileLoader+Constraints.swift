import CaseJSON

extension ProfileLoader.Context {
  /// A field's `constraints`: an array of objects, each holding one check — `pattern`, `enum` (with
  /// `caseInsensitive`), `minLength`/`maxLength`, `maxBytes`, `minimum`/`maximum` — and optionally the agency's own
  /// `rule` id and `message`.
  func constraints(_ m: JSONMember, kind: TargetKind?) throws(ProfileError) -> [FieldConstraint] {
    guard case .array(let items) = m.value, !items.isEmpty else {
      throw fail("'constraints' must be a non-empty array of objects", at: m.keyOffset)
    }
    var out: [FieldConstraint] = []
    for item in items {
      let o = try object(item, "each constraint", at: m.keyOffset)
      let at = o.members.first?.keyOffset ?? m.keyOffset
      try allow(o, ["pattern", "enum", "caseInsensitive", "minLength", "maxLength", "maxBytes", "minimum", "maximum", "notBefore", "notAfter", "unique", "rule", "message"], "a constraint")
      let kinds = [
        o["pattern"] != nil, o["enum"] != nil, o["minLength"] != nil || o["maxLength"] != nil, o["maxBytes"] != nil,
        o["minimum"] != nil || o["maximum"] != nil, o["notBefore"] != nil || o["notAfter"] != nil, o["unique"] != nil,
      ].filter { $0 }.count
      guard kinds == 1 else {
        throw fail("each constraint holds exactly one check: pattern, enum, minLength/maxLength, maxBytes, minimum/maximum, notBefore/notAfter or unique", at: at)
      }
      if let c = o.member("caseInsensitive"), o["enum"] == nil { throw fail("'caseInsensitive' goes with 'enum'", at: c.keyOffset) }
      let check: FieldConstraint.Check
      if let p = o.member("pattern") {
        check = .pattern(try compiledPattern(p))
      } else if let e = o.member("enum") {
        let values = try strings(e)
        guard !values.isEmpty else { throw fail("'enum' lists at least one value", at: e.keyOffset) }
        let folded = try o.member("caseInsensitive").map { m throws(ProfileError) in try bool(m) } ?? false
        check = .oneOf(Set(folded ? values.map { $0.lowercased() } : values), caseInsensitive: folded)
      } else if let u = o.member("unique") {
        guard try bool(u) else { throw fail("'unique' can only be true (leave it out otherwise)", at: u.keyOffset) }
        check = .unique
      } else if o["notBefore"] != nil || o["notAfter"] != nil {
        guard kind == .timestamp || kind == .date else {
          throw fail("'notBefore'/'notAfter' are for date and timestamp targets", at: at)
        }
        func bound(_ name: String) throws(ProfileError) -> FieldConstraint.TimeBound? {
          guard let bm = o.member(name) else { return nil }
          guard let b = FieldConstraint.TimeBound.parse(try string(bm), timestamps: kind == .timestamp) else {
            throw fail("'\(name)' must be \"now\", \"now+Nd\" or \"now-Nd\" (units s, m, h, d), a date YYYY-MM-DD\(kind == .timestamp ? " or an ISO 8601 timestamp with its offset" : "")", at: bm.keyOffset)
          }
          return b
        }
        check = .time(notBefore: try bound("notBefore"), notAfter: try bound("notAfter"))
      } else if o["maxBytes"] != nil {
        let b = try int(o.member("maxBytes")!)
        guard b >= 1 else { throw fail("'maxBytes' must be at least 1", at: o.member("maxBytes")!.keyOffset) }
        check = .bytes(max: b)
      } else if o["minLength"] != nil || o["maxLength"] != nil {
        let lo = try o.member("minLength").map { m throws(ProfileError) in try int(m) }
        let hi = try o.member("maxLength").map { m throws(ProfileError) in try int(m) }
        if let lo, let hi, hi < lo { throw fail("'maxLength' is less than 'minLength'", at: at) }
        check = .length(min: lo, max: hi)
      } else {
        func number(_ name: String) throws(ProfileError) -> Double? {
          guard let nm = o.member(name) else { return nil }
          guard case .number(let n) = nm.value, let d = n.doubleValue, d.isFinite else { throw fail("'\(name)' must be a number", at: nm.keyOffset) }
          return d
        }
        let lo = try number("minimum")
        let hi = try number("maximum")
        if let lo, let hi, hi < lo { throw fail("'maximum' is less than 'minimum'", at: at) }
        check = .range(min: lo, max: hi)
      }
      var rule: String?
      if let r = o.member("rule") {
        let id = try string(r)
        guard FieldConstraint.isAgencyRuleID(id) else {
          throw fail("'rule' must be an agency rule id like 'case-number.format': lower-case letters, digits and '-', two or more parts joined by '.', not starting with a CaseBridge rule family (\(FieldConstraint.reservedFamilies.sorted().joined(separator: ", ")))", at: r.keyOffset)
        }
        rule = id
      }
      var message: String?
      if let mm = o.member("message") {
        let text = try string(mm)
        guard !text.isEmpty, text.unicodeScalars.count <= 200, !text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F || (0x80...0x9F).contains($0.value) }) else {
          throw fail("'message' must be 1 to 200 characters without control characters", at: mm.keyOffset)
        }
        message = text
      }
      out.append(FieldConstraint(check: check, rule: rule, message: message, profileLine: line(at)))
    }
    return out
  }
}

extension ProfileLoader.Context {
  /// A member's pattern compiled for the linear-time engine; one that cannot be is a located
  /// `profile.invalid-pattern` naming the member (`pattern: …`, `matches: …`).
  func compiledPattern(_ m: JSONMember) throws(ProfileError) -> ConstraintPattern {
    let text = try string(m)
    do {
      return try ConstraintPattern(text)
    } catch {
      let pos = position(m.keyOffset)
      throw ProfileError(source: source, line: pos.line, column: pos.column, message: "\(m.key): \(error.message) (at character \(error.offset + 1))", rule: "profile.invalid-pattern")
    }
  }
}

extension FieldConstraint {
  /// First parts of rule ids CaseBridge's catalogue uses: an agency's rule id may not start with one, so a
  /// morning report never confuses an agency rule with a built-in one.
  public static let reservedFamilies: Set<String> = [
    "age", "batch", "bundle", "case", "casebridge", "config", "csv", "cybertip", "data", "date", "email", "field", "format",
    "hash", "html", "id", "input", "interval", "ip", "isp", "json", "jsonl", "lease", "match", "ncmec", "output", "phone",
    "port", "port-range", "profile", "record", "ref", "store", "text", "timestamp", "url", "vics", "xml",
  ]

  /// Whether `id` is usable as an agency rule id.
  public static func isAgencyRuleID(_ id: String) -> Bool {
    let parts = id.split(separator: ".", omittingEmptySubsequences: false)
    guard parts.count >= 2, id.utf8.count <= 64 else { return false }
    for p in parts {
      guard let first = p.utf8.first, (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(first) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) else { return false }
      guard p.utf8.allSatisfy({ (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || $0 == UInt8(ascii: "-") }) else { return false }
    }
    return !reservedFamilies.contains(String(parts[0]))
  }
}
