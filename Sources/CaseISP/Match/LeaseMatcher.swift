public import CaseModel

/// Matches IP observations to provider IP assignments (lease windows) by address, port and time.
///
/// Pure and deterministic: the same entities give the same report in any input order (entity ids are unique in a
/// validated run; results are ordered by time and id, leases by start and id).
///
/// - **Address**: canonical forms are compared; an IPv4-mapped IPv6 address (`::ffff:a.b.c.d`) equals its IPv4
///   address. IPv6 assignments name single addresses (the model has no prefixes), so an IPv6 address matches only
///   an assignment of that very address.
/// - **Port**: ports matter when the observed address is CGNAT space (100.64.0.0/10), or when an assignment of the
///   address carries a port range or says `assignmentType: cgnat`. Then an observation without a port is
///   `not-attributable`, and one with a port matches only assignments whose range holds it (an assignment
///   without a range holds every port, flagged `port-unchecked`).
/// - **Time**: compared as UTC instants, so leases written with local offsets and observations in UTC meet
///   correctly across daylight-saving changes. A lease is the closed window [start, end]; no end means still
///   assigned (`open-end`), no start means assigned since before the records (`open-start`). With tolerance
///   `tol`: exact when start ≤ t ≤ end, within tolerance when start − tol ≤ t ≤ end + tol.
/// - **Subscribers**: two assignments have the same holder when both name a subscriber and it is the same
///   Person id, or, when either names none, both give the same account number. Anything else (including no
///   holder at all) counts as different: several holders covering t is a `conflict`, and nothing is chosen.
public enum LeaseMatcher {
  /// Matches every observation and finds overlapping assignments.
  /// - Parameters:
  ///   - observations: The observations.
  ///   - assignments: The assignments.
  ///   - persons: Persons by id (subscribers are looked up here).
  ///   - legalProcesses: Legal process by id.
  ///   - toleranceSeconds: The tolerance, ≥ 0.
  /// - Returns: The report.
  public static func match(
    observations: [IPObservation], assignments: [IPAssignment], persons: [EntityID: Person] = [:],
    legalProcesses: [EntityID: LegalProcess] = [:], toleranceSeconds: Int64
  ) -> MatchReport {
    precondition(toleranceSeconds >= 0, "negative tolerance")
    let tolerance = TimeDelta(seconds: toleranceSeconds)
    func wrap(_ a: IPAssignment, _ delta: TimeDelta? = nil) -> MatchedAssignment {
      MatchedAssignment(
        assignment: a, subscriber: a.subscriberPersonId.flatMap { persons[$0] },
        legalProcess: a.legalProcessId.flatMap { legalProcesses[$0] }, delta: delta)
    }
    var byAddress: [String: [IPAssignment]] = [:]
    for a in assignments { byAddress[addressKey(a.ip), default: []].append(a) }
    for k in byAddress.keys { byAddress[k]!.sort(by: leaseOrder) }

    var results: [MatchResult] = []
    results.reserveCapacity(observations.count)
    for o in observations {
      results.append(match(o, byAddress[addressKey(o.ip)] ?? [], tolerance, toleranceSeconds, wrap))
    }
    results.sort { a, b in
      switch (a.observation.observedAt?.instant, b.observation.observedAt?.instant) {
      case (let x?, let y?) where x != y: return x < y
      case (.some, .none): return true
      case (.none, .some): return false
      default: return a.observation.id < b.observation.id
      }
    }

    var overlaps: [AssignmentOverlap] = []
    for key in byAddress.keys.sorted() {
      for set in overlapSets(byAddress[key]!) {
        let ports: PortRange? = set.contains { $0.portRange == nil } ? nil : PortRange(
          first: set.map { $0.portRange!.first }.min { $0.value < $1.value }!,
          last: set.map { $0.portRange!.last }.max { $0.value < $1.value }!)
        let from = set.contains { $0.leaseStart == nil } ? nil : set.compactMap { $0.leaseStart?.instant }.min()
        let to = set.contains { $0.leaseEnd == nil } ? nil : set.compactMap { $0.leaseEnd?.instant }.max()
        overlaps.append(AssignmentOverlap(
          address: key, ports: ports, from: from, to: to,
          assignments: set.prefix(maxListedOverlapMembers).map { wrap($0) }, memberCount: set.count))
      }
    }
    overlaps.sort { x, y in
      if x.address != y.address { return x.address < y.address }
      if x.from != y.from { return earlierStart(x.from, y.from) }
      return x.assignments[0].assignment.id < y.assignments[0].assignment.id
    }
    return MatchReport(toleranceSeconds: toleranceSeconds, results: results, overlaps: overlaps, assignmentCount: assignments.count)
  }

  /// The comparison key of an address: the IPv4 form of an IPv4-mapped address, else the canonical form.
  public static func addressKey(_ ip: IPAddress) -> String { ip.mappedIPv4 ?? ip.normalized }

  /// Whether two assignments have the same holder (see the type's documentation).
  public static func sameHolder(_ a: IPAssignment, _ b: IPAssignment) -> Bool {
    if a.id == b.id { return true }
    if let x = a.subscriberPersonId, let y = b.subscriberPersonId { return x == y }
    if let x = a.accountNumber, let y = b.accountNumber { return x == y }
    return false
  }

  /// Signed distance from a lease window to `t`: 0 inside, `t − start` (negative) before, `t − end` after.
  public static func gap(_ t: Instant, _ a: IPAssignment) -> TimeDelta {
    if let s = a.leaseStart?.instant, t < s { return TimeDelta.between(t, s) }
    if let e = a.leaseEnd?.instant, t > e { return TimeDelta.between(t, e) }
    return .zero
  }

  // MARK: one observation

  private static func match(
    _ o: IPObservation, _ ofAddress: [IPAssignment], _ tolerance: TimeDelta, _ toleranceSeconds: Int64,
    _ wrap: (IPAssignment, TimeDelta?) -> MatchedAssignment
  ) -> MatchResult {
    let t = o.observedAt?.instant
    let portsMatter = o.ip.scope == .sharedCGNAT || ofAddress.contains { $0.portRange != nil || $0.assignmentType == .cgnat }
    func result(_ status: MatchStatus, _ delta: TimeDelta?, _ listed: [IPAssignment], _ note: String) -> MatchResult {
      var flags: Set<MatchFlag> = o.possibleProxy == true ? [.possibleProxy] : []
      for a in listed {
        if a.leaseEnd == nil { flags.insert(.openEnd) }
        if a.leaseStart == nil { flags.insert(.openStart) }
        if portsMatter && o.port != nil && a.portRange == nil { flags.insert(.portUnchecked) }
      }
      return MatchResult(
        observation: o, status: status, toleranceSeconds: toleranceSeconds, delta: delta,
        assignments: listed.map { a in wrap(a, t.map { gap($0, a) }) }, flags: flags.sorted(), note: note)
    }

    if ofAddress.isEmpty { return result(.noAssignment, nil, [], "no assignment holds this address") }
    var candidates = ofAddress
    if portsMatter {
      guard let port = o.port else {
        let note = o.ip.scope == .sharedCGNAT
          ? "CGNAT address without a port: no unique subscriber"
          : "the assignments of this address are per port, and the observation has no port"
        // The candidates that cannot be told apart: those covering the time within the tolerance.
        let covering = t.map { t in ofAddress.filter { gap(t, $0).magnitude <= tolerance } } ?? []
        return result(.notAttributable, nil, covering, note)
      }
      candidates = ofAddress.filter { a in a.portRange.map { $0.first <= port && port <= $0.last } ?? true }
      if candidates.isEmpty { return result(.noAssignment, nil, [], "the address has assignments, but none for this port") }
    }
    guard let t else { return result(.noTime, nil, candidates, "the observation has no time; it is never assumed") }

    let gaps = candidates.map { gap(t, $0) }
    let covering = candidates.indices.filter { gaps[$0].magnitude <= tolerance }
    if covering.isEmpty {
      let nearest = gaps.map(\.magnitude).min()!
      let which = candidates.indices.filter { gaps[$0].magnitude == nearest }
      return result(
        .outside, gaps[which[0]], which.map { candidates[$0] },
        "assignments of this address\(portsMatter ? " and port" : "") exist, but none covers the time")
    }
    let best = gaps[covering.min { gaps[$0].magnitude < gaps[$1].magnitude }!]
    let split = !oneHolder(covering.map { candidates[$0] })
    if split {
      return result(
        .conflict, best, covering.map { candidates[$0] },
        "assignments of different subscribers cover the time\(toleranceSeconds > 0 ? " within the tolerance" : ""); none is chosen")
    }
    let exact = covering.filter { gaps[$0] == .zero }
    if !exact.isEmpty { return result(.exact, .zero, exact.map { candidates[$0] }, "the lease covers the time") }
    return result(.withinTolerance, best, covering.map { candidates[$0] }, "the lease covers the time only with the tolerance")
  }

  /// Whether every pair of `list` has the same holder (`sameHolder`), in one pass instead of pair by pair: the
  /// assignments naming a subscriber must all name one; those naming none must all give one account, and then
  /// every assignment naming a subscriber must give that account too. An assignment with neither (and not the
  /// same id) differs from any other.
  static func oneHolder(_ list: [IPAssignment]) -> Bool {
    guard list.count > 1 else { return true }
    var subscriber: EntityID?
    var account: String??  // .none: no assignment without a subscriber seen yet
    for a in list {
      if let s = a.subscriberPersonId {
        if let t = subscriber, t != s { return false }
        subscriber = s
      } else {
        guard let acc = a.accountNumber else { return Set(list.map(\.id)).count == 1 }
        if case .some(let seen) = account, seen != acc { return false }
        account = .some(acc)
      }
    }
    if case .some(let acc) = account, subscriber != nil {
      return list.allSatisfy { $0.subscriberPersonId == nil || $0.accountNumber == acc }
    }
    return true
  }

  // MARK: overlap sets

  /// At most this many members of one overlap set are listed (in lease order); the rest are only counted
  /// (`AssignmentOverlap.memberCount`), so what `match` writes stays linear in its input.
  public static let maxListedOverlapMembers = 20

  /// The overlap sets of one address's assignments (sorted by `leaseOrder`), each in lease order.
  ///
  /// The assignments are first grouped without looking at pairs: a sweep in start order chains windows that
  /// overlap (each starts before the latest end so far; touching windows do not chain), then, within a chain, a
  /// sweep in port order chains port ranges that intersect (no range = every port), then the windows of each
  /// port group are chained once more. A group of two or more is an overlap set when two of its members overlap
  /// in time and ports and have different holders; that is checked by one more sweep (`hasConflict`) that keeps
  /// the latest ends per holder in trees over the group's port bounds and stops at the first such pair. No pair is
  /// ever listed or stored: memory is linear in the assignments, and time n log n.
  static func overlapSets(_ sorted: [IPAssignment]) -> [[IPAssignment]] {
    var sets: [[IPAssignment]] = []
    for chain in timeChains(sorted) where chain.count > 1 {
      for ports in portChains(chain) where ports.count > 1 {
        for group in timeChains(ports.sorted(by: leaseOrder)) where group.count > 1 && hasConflict(group) {
          sets.append(group)
        }
      }
    }
    return sets
  }

  /// Runs of assignments (in lease order) whose windows chain: each starts before the latest end so far.
  private static func timeChains(_ sorted: [IPAssignment]) -> [[IPAssignment]] {
    var chains: [[IPAssignment]] = []
    var current: [IPAssignment] = []
    var reach: Instant?? = .none  // .none: empty chain; .some(nil): open-ended so far
    for a in sorted {
      if case .some(let end) = reach, let end, let start = a.leaseStart?.instant, start >= end {
        chains.append(current)
        current = []
        reach = .none
      }
      current.append(a)
      switch reach {
      case .none: reach = .some(a.leaseEnd?.instant)
      case .some(let end?): reach = .some(a.leaseEnd.map { max($0.instant, end) })
      case .some(nil): break
      }
    }
    if !current.isEmpty { chains.append(current) }
    return chains
  }

  /// The first and last port of an assignment's range; every port when it has none.
  private static func bounds(_ a: IPAssignment) -> (Int, Int) {
    a.portRange.map { (Int($0.first.value), Int($0.last.value)) } ?? (0, Int.max)
  }

  /// Groups of assignments whose port ranges chain (intersect the union so far; no range = every port).
  private static func portChains(_ list: [IPAssignment]) -> [[IPAssignment]] {
    let order = list.indices.sorted { bounds(list[$0]) < bounds(list[$1]) || (bounds(list[$0]) == bounds(list[$1]) && $0 < $1) }
    var groups: [[IPAssignment]] = []
    var current: [IPAssignment] = []
    var last = -1
    for i in order {
      let (first, end) = bounds(list[i])
      if !current.isEmpty && first > last {
        groups.append(current)
        current = []
      }
      current.append(list[i])
      last = max(last, end)
    }
    if !current.isEmpty { groups.append(current) }
    return groups
  }

  /// Whether two assignments of the group (in lease order) overlap in time and ports with different holders
  /// (`sameHolder`; only the holders are compared, not the ids).
  ///
  /// One sweep in lease order. Every member starts no earlier than those before it, so a later member overlaps an
  /// earlier one in time exactly when its own window is not empty and it starts before the earlier one ends (an open
  /// start overlaps everything before it, which starts open too): it is enough to know, among the earlier members
  /// whose ports meet its own and whose holder differs, the latest end. Whether two holders differ is not an
  /// equivalence (`sameHolder` compares subscribers when both name one, else accounts), so the earlier members are
  /// kept in three indexes, each under an equality: those naming a subscriber by subscriber, those naming none by
  /// account, and all by account (no account is a label of its own). A member naming a subscriber differs from one
  /// of the first index with another subscriber and from one of the second with another account, or with any when
  /// it gives no account; a member naming none differs from one of the third with another account (any when it
  /// gives none). Each index keeps, over the group's port bounds, the latest end per label in the two labels that
  /// end latest (`LatestEnds`): linear memory and log time per member, since nothing needs to be removed: an end
  /// that has passed stays too early for every later member.
  static func hasConflict(_ group: [IPAssignment]) -> Bool {
    guard group.count > 1 else { return false }
    let ports = Array(Set(group.flatMap { a -> [Int] in let (f, l) = bounds(a); return [f, l] })).sorted()
    func index(_ p: Int) -> Int {
      var (lo, hi) = (0, ports.count - 1)
      while lo < hi {
        let mid = (lo + hi) / 2
        if ports[mid] < p { lo = mid + 1 } else { hi = mid }
      }
      return lo
    }
    var subscribers: [EntityID: Int] = [:]
    var accounts: [String: Int] = [:]
    var bySubscriber = LatestEnds(count: ports.count)
    var withoutSubscriber = LatestEnds(count: ports.count)
    var byAccount = LatestEnds(count: ports.count)
    for x in group {
      let (first, last) = bounds(x)
      let (a, b) = (index(first), index(last))
      let account = x.accountNumber.map { k in accounts[k] ?? { accounts[k] = accounts.count; return accounts.count - 1 }() }
      let subscriber = x.subscriberPersonId.map { k in subscribers[k] ?? { subscribers[k] = subscribers.count; return subscribers.count - 1 }() }
      let other: LatestEnds.Entry?
      if let subscriber {
        other = LatestEnds.later(
          bySubscriber.latest(a, b, excluding: subscriber), withoutSubscriber.latest(a, b, excluding: account))
      } else {
        other = byAccount.latest(a, b, excluding: account)
      }
      if let other {
        guard let start = x.leaseStart?.instant else { return true }
        if other.end.map({ start < $0 }) ?? true, x.leaseEnd.map({ start < $0.instant }) ?? true { return true }
      }
      let end = x.leaseEnd?.instant
      if let subscriber { bySubscriber.insert(.init(end: end, label: subscriber), a, b) }
      else { withoutSubscriber.insert(.init(end: end, label: account ?? -1), a, b) }
      byAccount.insert(.init(end: end, label: account ?? -1), a, b)
    }
    return false
  }

  /// The latest lease end per label of the members inserted so far, over a group's port bounds (indexes into
  /// their sorted list), for `hasConflict`: which end latest among those whose port range meets a given one and
  /// whose label is not a given one. A range [c, d] meets [a, b] when c lies in [a, b] or a lies in [c, d]: one
  /// tree is indexed by where a range starts (insert at c, ask over [a, b]), the other stores a range on the
  /// nodes that cover it (insert over [c, d], ask at a). Each node keeps a `Top`: 2 × count nodes per tree.
  struct LatestEnds {
    /// A lease end (nil: open) and its label (a subscriber or an account, numbered; −1 for no account).
    struct Entry {
      var end: Instant?
      var label: Int
    }

    /// The latest entry and the latest of another label than its: enough to answer for any excluded label.
    struct Top {
      var first: Entry?
      var second: Entry?

      mutating func add(_ e: Entry) {
        guard let f = first else { first = e; return }
        if e.label == f.label {
          if LatestEnds.ends(e, after: f) { first = e }
        } else if LatestEnds.ends(e, after: f) {
          (first, second) = (e, f)
        } else if second.map({ LatestEnds.ends(e, after: $0) }) ?? true {
          second = e
        }
      }

      mutating func add(_ t: Top) {
        if let f = t.first { add(f) }
        if let s = t.second { add(s) }
      }

      /// The latest entry whose label is not `label` (any label when nil).
      func latest(excluding label: Int?) -> Entry? {
        guard let first else { return nil }
        return first.label != label ? first : second
      }
    }

    let count: Int
    private var starts: [Top]
    private var spans: [Top]

    init(count: Int) {
      self.count = count
      starts = Array(repeating: Top(), count: 2 * count)
      spans = starts
    }

    /// Whether `e` ends after `f` (an open end after any other).
    static func ends(_ e: Entry, after f: Entry) -> Bool {
      guard let x = e.end else { return f.end != nil }
      return f.end.map { x > $0 } ?? false
    }

    static func later(_ e: Entry?, _ f: Entry?) -> Entry? {
      guard let e, let f else { return e ?? f }
      return ends(f, after: e) ? f : e
    }

    /// Adds a member whose port range covers bounds `a`...`b`.
    mutating func insert(_ e: Entry, _ a: Int, _ b: Int) {
      var i = a + count
      while i >= 1 {
        starts[i].add(e)
        i /= 2
      }
      var (l, r) = (a + count, b + count + 1)
      while l < r {
        if l & 1 == 1 { spans[l].add(e); l += 1 }
        if r & 1 == 1 { r -= 1; spans[r].add(e) }
        (l, r) = (l / 2, r / 2)
      }
    }

    /// The latest entry, not labelled `label`, of the members whose port range meets bounds `a`...`b`.
    func latest(_ a: Int, _ b: Int, excluding label: Int?) -> Entry? {
      var top = Top()
      var (l, r) = (a + count, b + count + 1)
      while l < r {
        if l & 1 == 1 { top.add(starts[l]); l += 1 }
        if r & 1 == 1 { r -= 1; top.add(starts[r]) }
        (l, r) = (l / 2, r / 2)
      }
      var i = a + count
      while i >= 1 {
        top.add(spans[i])
        i /= 2
      }
      return top.latest(excluding: label)
    }
  }

  // MARK: helpers

  /// Lease start (none first), then id.
  static func leaseOrder(_ a: IPAssignment, _ b: IPAssignment) -> Bool {
    let (x, y) = (a.leaseStart?.instant, b.leaseStart?.instant)
    if x != y { return earlierStart(x, y) }
    return a.id < b.id
  }

  /// Orders optional starts with nil (open) first.
  static func earlierStart(_ x: Instant?, _ y: Instant?) -> Bool {
    switch (x, y) {
    case (nil, .some): true
    case (let x?, let y?): x < y
    default: false
    }
  }
}
