import CaseModel
import CaseTestSupport
import Testing

@testable import CaseISP

// MARK: builders

func address(_ s: String) -> IPAddress { try! IPAddress.parse(s).get() }
func stamp(_ s: String) -> Timestamp { try! Timestamp.parseISO8601(s).get() }
func stamp(_ i: Instant) -> Timestamp { Timestamp(instant: i, originalText: i.iso8601, originalOffsetSeconds: 0, zoneIdentifier: nil) }

func observation(_ id: String, _ ip: String, port: Int? = nil, at: Timestamp?) -> IPObservation {
  var o = IPObservation(id: EntityID(id), ip: address(ip))
  o.port = port.flatMap { Port($0) }
  o.observedAt = at
  return o
}

func lease(
  _ id: String, _ ip: String, _ start: Timestamp?, _ end: Timestamp?, subscriber: String? = nil, account: String? = nil,
  ports: ClosedRange<Int>? = nil, type: AssignmentType? = nil
) -> IPAssignment {
  var a = IPAssignment(id: EntityID(id), ip: address(ip))
  a.leaseStart = start
  a.leaseEnd = end
  a.subscriberPersonId = subscriber.map { EntityID($0) }
  a.accountNumber = account
  a.portRange = ports.map { PortRange(first: Port($0.lowerBound)!, last: Port($0.upperBound)!) }
  a.assignmentType = type
  return a
}

func matchOne(_ o: IPObservation, _ leases: [IPAssignment], tolerance: Int64 = 0) -> MatchResult {
  let r = LeaseMatcher.match(observations: [o], assignments: leases, toleranceSeconds: tolerance)
  return r.results[0]
}

/// The status by the definition: exact when start ≤ t ≤ end, within tolerance when start − tol ≤ t ≤ end + tol.
func expectedStatus(_ t: Instant, _ start: Instant, _ end: Instant, _ tol: Int64) -> MatchStatus {
  if start <= t && t <= end { return .exact }
  let lo = Instant(seconds: start.seconds - tol, nanoseconds: start.nanoseconds)
  let hi = Instant(seconds: end.seconds + tol, nanoseconds: end.nanoseconds)
  return lo <= t && t <= hi ? .withinTolerance : .outside
}

@Suite struct MatchEnginePropertyTests {
  /// Moving an observation across a lease boundary flips exact → within tolerance → outside exactly at start − tol
  /// and end + tol, to the nanosecond, and the reported delta is the signed distance to the window.
  @Test func boundariesFlipExactlyAtTheTolerance() {
    let seed: UInt64 = 0x4D41_5443_4801
    var g = SplitMix64(seed: seed)
    for round in 0..<400 {
      let start = Instant(seconds: 1_704_067_200 + Int64.random(in: 0...31_536_000, using: &g))
      let end = Instant(seconds: start.seconds + Int64.random(in: 0...259_200, using: &g))
      let tol: Int64 = [0, 1, 59, 60, 3600][Int.random(in: 0...4, using: &g)]
      let a = lease("a", "198.51.100.23", stamp(start), stamp(end), subscriber: "p")
      let ns = Int32(1)
      var probes: [Instant] = [
        Instant(seconds: start.seconds - tol), Instant(seconds: start.seconds - tol - 1, nanoseconds: 1_000_000_000 - ns),
        Instant(seconds: start.seconds - tol - 1), start, Instant(seconds: start.seconds - 1, nanoseconds: 1_000_000_000 - ns),
        end, Instant(seconds: end.seconds, nanoseconds: ns), Instant(seconds: end.seconds + tol),
        Instant(seconds: end.seconds + tol, nanoseconds: ns), Instant(seconds: end.seconds + tol + 1),
      ]
      probes.append(Instant(seconds: start.seconds + Int64.random(in: -400_000...600_000, using: &g)))
      for t in probes {
        let r = matchOne(observation("o", "198.51.100.23", at: stamp(t)), [a], tolerance: tol)
        let want = expectedStatus(t, start, end, tol)
        #expect(r.status == want, "seed \(seed) round \(round): t=\(t) window \(start)...\(end) tol \(tol)")
        let gap: TimeDelta = t < start ? .between(t, start) : (t > end ? .between(t, end) : .zero)
        if want == .exact { #expect(r.delta == .zero) } else { #expect(r.delta == gap, "seed \(seed) round \(round)") }
        #expect(r.toleranceSeconds == tol)
      }
    }
  }

  /// When leases of several holders cover the instant (within the tolerance), the result is a conflict that lists
  /// every covering lease; otherwise the listed leases are all of one holder. Input order never changes the report.
  @Test func conflictsNeverPickAWinner() {
    let seed: UInt64 = 0xC0_4F11_C7
    var g = SplitMix64(seed: seed)
    let base: Int64 = 1_707_609_600
    for round in 0..<300 {
      let tol = Int64([0, 30, 600][Int.random(in: 0...2, using: &g)])
      var leases: [IPAssignment] = []
      for k in 0..<Int.random(in: 1...6, using: &g) {
        let s = base + Int64.random(in: 0...20_000, using: &g)
        let e = s + Int64.random(in: 0...10_000, using: &g)
        let holder = Int.random(in: 0...2, using: &g)
        leases.append(lease("a\(k)", "203.0.113.7", stamp(Instant(seconds: s)), stamp(Instant(seconds: e)), subscriber: "p\(holder)"))
      }
      let t = Instant(seconds: base + Int64.random(in: -1000...31_000, using: &g))
      let o = observation("o", "203.0.113.7", port: 50000, at: stamp(t))
      let r = matchOne(o, leases, tolerance: tol)
      let covering = leases.filter { LeaseMatcher.gap(t, $0).magnitude <= TimeDelta(seconds: tol) }
      let holders = Set(covering.compactMap(\.subscriberPersonId))
      let listed = Set(r.assignments.map(\.assignment.id))
      if holders.count > 1 {
        #expect(r.status == .conflict, "seed \(seed) round \(round)")
        #expect(listed == Set(covering.map(\.id)), "a conflict lists every covering lease (seed \(seed) round \(round))")
      } else if holders.count == 1 {
        #expect(r.status == .exact || r.status == .withinTolerance, "seed \(seed) round \(round)")
        #expect(Set(r.assignments.compactMap(\.assignment.subscriberPersonId)) == holders)
      } else {
        #expect(r.status == .outside, "seed \(seed) round \(round)")
      }
      var shuffled = leases
      shuffled.shuffle(using: &g)
      let again = LeaseMatcher.match(observations: [o], assignments: shuffled, toleranceSeconds: tol)
      #expect(again == LeaseMatcher.match(observations: [o], assignments: leases, toleranceSeconds: tol))
    }
  }

  /// Overlap sets: every pair of different holders whose windows share more than an instant and whose port ranges
  /// intersect lies in exactly one reported set, every set holds at least one such pair, and no assignment is in
  /// two sets.
  @Test func overlapSetsHoldEveryConflictingPairAndNothingElseIsReported() {
    let seed: UInt64 = 0x0BE2_1A95
    var g = SplitMix64(seed: seed)
    for round in 0..<300 {
      var leases: [IPAssignment] = []
      for k in 0..<Int.random(in: 2...9, using: &g) {
        let s = Int64.random(in: 0...100, using: &g) * 60
        let e = s + Int64.random(in: 0...60, using: &g) * 60
        let block = Int.random(in: 0...3, using: &g)
        let ports: ClosedRange<Int>? = block == 0 ? nil : block == 3 ? 2500...3499 : (block * 1000)...(block * 1000 + 999)
        leases.append(lease(
          "a\(k)", "100.64.0.1", stamp(Instant(seconds: 1_707_609_600 + s)), stamp(Instant(seconds: 1_707_609_600 + e)),
          subscriber: "p\(Int.random(in: 0...2, using: &g))", ports: ports, type: .cgnat))
      }
      let report = LeaseMatcher.match(observations: [], assignments: leases, toleranceSeconds: 0)
      var want = Set<[EntityID]>()
      for (i, a) in leases.enumerated() {
        for b in leases[(i + 1)...] where a.subscriberPersonId != b.subscriberPersonId {
          let share = max(a.leaseStart!.instant, b.leaseStart!.instant) < min(a.leaseEnd!.instant, b.leaseEnd!.instant)
          let ports: Bool
          switch (a.portRange, b.portRange) {
          case (let x?, let y?): ports = max(x.first.value, y.first.value) <= min(x.last.value, y.last.value)
          default: ports = true
          }
          if share && ports { want.insert([a.id, b.id].sorted()) }
        }
      }
      let sets = report.overlaps.map { Set($0.assignments.map(\.assignment.id)) }
      #expect(report.overlaps.allSatisfy { $0.memberCount == $0.assignments.count }, "seed \(seed) round \(round)")
      for pair in want {
        #expect(sets.filter { $0.contains(pair[0]) && $0.contains(pair[1]) }.count == 1, "pair \(pair): seed \(seed) round \(round)")
      }
      for set in sets {
        #expect(want.contains { set.contains($0[0]) && set.contains($0[1]) }, "a set without a conflicting pair: seed \(seed) round \(round)")
      }
      let listed: Int = sets.map(\.count).reduce(0, +)
      let distinct: Set<EntityID> = sets.reduce(into: []) { $0.formUnion($1) }
      #expect(listed == distinct.count, "disjoint sets: seed \(seed) round \(round)")
      #expect(report.isClean == want.isEmpty)
    }
  }

  /// The conflict check of a group (n log n) and the overlap sets agree with comparing every pair, on random small
  /// lists of one address: open starts and ends, empty and touching windows, whole-address members, holders by
  /// subscriber, by account only, or neither.
  @Test func overlapConflictCheckAgreesWithEveryPair() {
    let seed: UInt64 = 0x0C0F_11C7
    var g = SplitMix64(seed: seed)
    let base: Int64 = 1_707_609_600
    func conflicting(_ a: IPAssignment, _ b: IPAssignment) -> Bool {
      let from = [a.leaseStart, b.leaseStart].compactMap { $0?.instant }.max()
      let to = [a.leaseEnd, b.leaseEnd].compactMap { $0?.instant }.min()
      let time = from.flatMap { f in to.map { f < $0 } } ?? true
      let ports: Bool
      switch (a.portRange, b.portRange) {
      case (let x?, let y?): ports = max(x.first.value, y.first.value) <= min(x.last.value, y.last.value)
      default: ports = true
      }
      return time && ports && !LeaseMatcher.sameHolder(a, b)
    }
    var conflicts = 0
    for round in 0..<4000 {
      var leases: [IPAssignment] = []
      for k in 0..<Int.random(in: 1...9, using: &g) {
        let s = Int64.random(in: 0...6, using: &g)
        let e = s + Int64.random(in: -1...4, using: &g)
        let start = Int.random(in: 0...7, using: &g) == 0 ? nil : stamp(Instant(seconds: base + s * 600))
        let end = Int.random(in: 0...7, using: &g) == 0 ? nil : stamp(Instant(seconds: base + e * 600))
        let first = Int.random(in: 1...8, using: &g)
        let ports = Int.random(in: 0...4, using: &g) == 0 ? nil : first...(first + Int.random(in: 0...3, using: &g))
        let sub = Int.random(in: 0...4, using: &g)
        let acc = Int.random(in: 0...3, using: &g)
        leases.append(lease(
          "a\(k)", "100.64.0.1", start, end, subscriber: sub < 3 ? "p\(sub)" : nil, account: acc < 2 ? "A\(acc)" : nil,
          ports: ports, type: .cgnat))
      }
      let sorted = leases.sorted(by: LeaseMatcher.leaseOrder)
      var pairs = Set<[EntityID]>()
      for (i, a) in sorted.enumerated() {
        for b in sorted[(i + 1)...] where conflicting(a, b) { pairs.insert([a.id, b.id].sorted()) }
      }
      if !pairs.isEmpty { conflicts += 1 }
      #expect(LeaseMatcher.hasConflict(sorted) == !pairs.isEmpty, "seed \(seed) round \(round)")
      let sets = LeaseMatcher.overlapSets(sorted).map { Set($0.map(\.id)) }
      for pair in pairs {
        #expect(sets.filter { $0.contains(pair[0]) && $0.contains(pair[1]) }.count == 1, "pair \(pair): seed \(seed) round \(round)")
      }
      for set in sets {
        #expect(pairs.contains { set.contains($0[0]) && set.contains($0[1]) }, "a set without a conflicting pair: seed \(seed) round \(round)")
      }
      #expect(sets.map(\.count).reduce(0, +) == sets.reduce(into: Set<EntityID>()) { $0.formUnion($1) }.count)
    }
    #expect(conflicts > 400 && conflicts < 3600, "both answers are exercised: \(conflicts) of 4000 with a conflict")
  }

  /// The one-pass holder check agrees with comparing every pair.
  @Test func oneHolderAgreesWithEveryPair() {
    var g = SplitMix64(seed: 0x401D_E125)
    for round in 0..<2000 {
      let list = (0..<Int.random(in: 0...5, using: &g)).map { k in
        let sub = Int.random(in: 0...3, using: &g)
        let acc = Int.random(in: 0...3, using: &g)
        return lease("h\(k)", "192.0.2.1", nil, nil, subscriber: sub < 2 ? "p\(sub)" : nil, account: acc < 2 ? "A\(acc)" : nil)
      }
      let pairwise = list.indices.allSatisfy { i in list[(i + 1)...].allSatisfy { LeaseMatcher.sameHolder(list[i], $0) } }
      #expect(LeaseMatcher.oneHolder(list) == pairwise, "round \(round)")
    }
  }

  /// Touching windows and disjoint port blocks never join a set, so a carrier's blocks stay apart.
  @Test func disjointPortBlocksOfOneAddressAreSeparateSets() {
    let at = stamp("2024-02-11T10:00:00Z")
    let end = stamp("2024-02-11T11:00:00Z")
    let leases = [
      lease("a", "100.64.0.1", at, end, subscriber: "p1", ports: 1000...1999, type: .cgnat),
      lease("b", "100.64.0.1", at, end, subscriber: "p2", ports: 2000...2999, type: .cgnat),
      lease("c", "100.64.0.1", at, end, subscriber: "p3", ports: 2500...2599, type: .cgnat),
      lease("d", "100.64.0.1", end, stamp("2024-02-11T12:00:00Z"), subscriber: "p4", ports: 1000...1999, type: .cgnat),
    ]
    let report = LeaseMatcher.match(observations: [], assignments: leases, toleranceSeconds: 0)
    #expect(report.overlaps.map { $0.assignments.map(\.assignment.id.rawValue) } == [["b", "c"]])
    #expect(report.overlaps.first?.ports == PortRange(first: Port(2000)!, last: Port(2999)!))
  }
}

@Suite struct MatchEngineTests {
  let p1 = "p1"

  @Test func cgnatWithoutPortIsNotAttributable() {
    let t = stamp("2024-02-11T15:05:00Z")
    let a = lease("a2", "100.64.12.34", stamp("2024-02-11T09:00:00-05:00"), stamp("2024-02-11T11:00:00-05:00"), subscriber: "p2", ports: 40000...40999, type: .cgnat)
    let b = lease("a3", "100.64.12.34", stamp("2024-02-11T09:00:00-05:00"), stamp("2024-02-11T11:00:00-05:00"), subscriber: "p3", ports: 41000...41999, type: .cgnat)
    let r = matchOne(observation("o", "100.64.12.34", at: t), [a, b])
    #expect(r.status == .notAttributable)
    #expect(r.assignments.map(\.assignment.id.rawValue) == ["a2", "a3"], "the candidates that cannot be told apart")
    // Even a single assignment does not make a CGNAT address without a port attributable.
    #expect(matchOne(observation("o", "100.64.12.34", at: t), [a]).status == .notAttributable)
    // With the port: exactly one block.
    let ok = matchOne(observation("o", "100.64.12.34", port: 40001, at: t), [a, b])
    #expect(ok.status == .exact)
    #expect(ok.assignments.map(\.assignment.id.rawValue) == ["a2"])
    #expect(matchOne(observation("o", "100.64.12.34", port: 41999, at: t), [a, b]).assignments.map(\.assignment.id.rawValue) == ["a3"])
    // A port in no block: no assignment for it.
    #expect(matchOne(observation("o", "100.64.12.34", port: 39999, at: t), [a, b]).status == .noAssignment)
  }

  @Test func publicAddressWithPortRangesNeedsAPort() {
    // The public side of a carrier's NAT: not 100.64/10, but the return is per port.
    let a = lease("a", "198.51.100.99", stamp("2024-02-11T00:00:00Z"), stamp("2024-02-12T00:00:00Z"), subscriber: "p", ports: 1024...2047)
    #expect(matchOne(observation("o", "198.51.100.99", at: stamp("2024-02-11T12:00:00Z")), [a]).status == .notAttributable)
    #expect(matchOne(observation("o", "198.51.100.99", port: 1500, at: stamp("2024-02-11T12:00:00Z")), [a]).status == .exact)
    let typed = lease("b", "198.51.100.98", stamp("2024-02-11T00:00:00Z"), nil, subscriber: "p", type: .cgnat)
    #expect(matchOne(observation("o", "198.51.100.98", at: stamp("2024-02-11T12:00:00Z")), [typed]).status == .notAttributable)
    let unchecked = matchOne(observation("o", "198.51.100.98", port: 80, at: stamp("2024-02-11T12:00:00Z")), [typed])
    #expect(unchecked.status == .exact)
    #expect(unchecked.flags == [.openEnd, .portUnchecked])
  }

  @Test func ipv4MappedEqualsIPv4BothWays() {
    let a = lease("a", "198.51.100.23", stamp("2024-02-10T14:03:11Z"), stamp("2024-02-12T09:00:00Z"), subscriber: p1)
    let r = matchOne(observation("o", "::ffff:198.51.100.23", at: stamp("2024-02-11T16:00:00Z")), [a])
    #expect(r.status == .exact)
    let mapped = lease("m", "::ffff:c633:6417", stamp("2024-02-10T14:03:11Z"), stamp("2024-02-12T09:00:00Z"), subscriber: p1)
    #expect(matchOne(observation("o", "198.51.100.23", at: stamp("2024-02-11T16:00:00Z")), [mapped]).status == .exact)
    // IPv6 assignments name single addresses: no prefix matching.
    let v6 = lease("v6", "2001:db8::2", stamp("2024-02-10T00:00:00Z"), nil, subscriber: p1)
    #expect(matchOne(observation("o", "2001:db8::1", at: stamp("2024-02-11T00:00:00Z")), [v6]).status == .noAssignment)
    #expect(matchOne(observation("o", "2001:DB8:0:0:0:0:0:2", at: stamp("2024-02-11T00:00:00Z")), [v6]).status == .exact)
  }

  @Test func openEndedLeaseIsStillAssignedAndFlagged() {
    let a = lease("a", "192.0.2.10", stamp("2024-01-01T00:00:00Z"), nil, subscriber: p1, type: .static)
    let r = matchOne(observation("o", "192.0.2.10", at: stamp("2030-06-01T00:00:00Z")), [a])
    #expect(r.status == .exact)
    #expect(r.flags == [.openEnd])
    let before = matchOne(observation("o", "192.0.2.10", at: stamp("2023-12-31T23:59:00Z")), [a], tolerance: 30)
    #expect(before.status == .outside)
    #expect(before.delta == TimeDelta(seconds: -60))
    let noStart = lease("b", "192.0.2.11", nil, stamp("2024-01-01T00:00:00Z"), subscriber: p1)
    let early = matchOne(observation("o", "192.0.2.11", at: stamp("2001-01-01T00:00:00Z")), [noStart])
    #expect(early.status == .exact)
    #expect(early.flags == [.openStart])
  }

  @Test func localOffsetsCompareByUTCInstant() {
    // New York, spring forward on 2024-03-10: 01:15 EST is 06:15Z, 03:30 EDT is 07:30Z.
    let spring = lease("s", "198.51.100.50", stamp("2024-03-10T01:15:00-05:00"), stamp("2024-03-10T03:30:00-04:00"), subscriber: p1)
    #expect(matchOne(observation("o", "198.51.100.50", at: stamp("2024-03-10T07:00:00Z")), [spring]).status == .exact)
    let late = matchOne(observation("o", "198.51.100.50", at: stamp("2024-03-10T07:31:00Z")), [spring])
    #expect(late.status == .outside)
    #expect(late.delta == TimeDelta(seconds: 60))
    // Fall back on 2024-11-03: the second 01:10 (EST, 06:10Z) comes after 01:30 EDT (05:30Z), although its local
    // text sorts first.
    let fall = lease("f", "198.51.100.51", stamp("2024-11-03T00:00:00-04:00"), stamp("2024-11-03T01:30:00-04:00"), subscriber: p1)
    let second = matchOne(observation("o", "198.51.100.51", at: stamp("2024-11-03T01:10:00-05:00")), [fall])
    #expect(second.status == .outside)
    #expect(second.delta == TimeDelta(seconds: 2400))
    #expect(matchOne(observation("o", "198.51.100.51", at: stamp("2024-11-03T01:10:00-04:00")), [fall]).status == .exact)
    // An observation in another offset: 18:00+01:00 is 17:00Z.
    let utc = lease("u", "198.51.100.52", stamp("2024-02-11T16:00:00Z"), stamp("2024-02-11T17:00:00Z"), subscriber: p1)
    #expect(matchOne(observation("o", "198.51.100.52", at: stamp("2024-02-11T18:00:00+01:00")), [utc]).status == .exact)
  }

  @Test func noTimeIsNeverAssumedAndUnknownAddressesHaveNoAssignment() {
    let a = lease("a", "192.0.2.10", stamp("2024-01-01T00:00:00Z"), nil, subscriber: p1)
    let r = matchOne(observation("o", "192.0.2.10", at: nil), [a])
    #expect(r.status == .noTime)
    #expect(r.delta == nil)
    #expect(r.assignments.map(\.assignment.id.rawValue) == ["a"])
    #expect(r.assignments[0].delta == nil)
    let none = matchOne(observation("o", "203.0.113.200", at: stamp("2024-02-11T00:00:00Z")), [a])
    #expect(none.status == .noAssignment)
    #expect(none.assignments.isEmpty)
  }

  @Test func holdersAreSubscribersElseAccounts() {
    let t = stamp("2024-02-11T12:00:00Z")
    let w = (stamp("2024-02-11T00:00:00Z"), stamp("2024-02-12T00:00:00Z"))
    // Same account, no subscriber: one holder, two leases listed.
    let r = matchOne(observation("o", "203.0.113.7", at: t), [lease("a", "203.0.113.7", w.0, w.1, account: "X"), lease("b", "203.0.113.7", w.0, w.1, account: "X")])
    #expect(r.status == .exact)
    #expect(r.assignments.count == 2)
    // Different accounts: conflict.
    #expect(matchOne(observation("o", "203.0.113.7", at: t), [lease("a", "203.0.113.7", w.0, w.1, account: "X"), lease("b", "203.0.113.7", w.0, w.1, account: "Y")]).status == .conflict)
    // No holder at all on two leases: cannot be shown to be one holder.
    #expect(matchOne(observation("o", "203.0.113.7", at: t), [lease("a", "203.0.113.7", w.0, w.1), lease("b", "203.0.113.7", w.0, w.1)]).status == .conflict)
    // A hand-over within the tolerance is a conflict: the clocks cannot tell the two apart.
    let first = lease("a", "203.0.113.8", w.0, stamp("2024-02-11T12:00:00Z"), subscriber: "p1")
    let next = lease("b", "203.0.113.8", stamp("2024-02-11T12:00:10Z"), w.1, subscriber: "p2")
    let near = observation("o", "203.0.113.8", at: stamp("2024-02-11T12:00:05Z"))
    #expect(matchOne(near, [first, next]).status == .outside)
    let c = matchOne(near, [first, next], tolerance: 5)
    #expect(c.status == .conflict)
    #expect(c.assignments.map(\.delta) == [TimeDelta(seconds: 5), TimeDelta(seconds: -5)])
    #expect(LeaseMatcher.match(observations: [], assignments: [first, next], toleranceSeconds: 0).overlaps.isEmpty)
  }

  @Test func resultsAreOrderedByTimeThenIdWithUntimedLast() {
    let a = lease("a", "192.0.2.10", stamp("2024-01-01T00:00:00Z"), nil, subscriber: p1)
    let obs = [
      observation("z", "192.0.2.10", at: nil), observation("c", "192.0.2.10", at: stamp("2024-02-01T00:00:00Z")),
      observation("b", "192.0.2.10", at: stamp("2024-02-01T01:00:00+01:00")), observation("a", "192.0.2.10", at: nil),
      observation("d", "192.0.2.10", at: stamp("2024-01-15T00:00:00Z")),
    ]
    let r = LeaseMatcher.match(observations: obs, assignments: [a], toleranceSeconds: 0)
    #expect(r.results.map(\.observation.id.rawValue) == ["d", "b", "c", "a", "z"])
  }

  @Test func timeDeltaPrintsDecimalSeconds() {
    #expect(TimeDelta(seconds: 0).description == "0")
    #expect(TimeDelta(seconds: -30).description == "-30")
    #expect(TimeDelta(seconds: 1, nanoseconds: 500_000_000).description == "1.5")
    #expect(TimeDelta(seconds: 0, nanoseconds: -1).description == "-0.000000001")
    #expect(TimeDelta(seconds: -1, nanoseconds: 250_000_000).description == "-0.75")
    #expect(TimeDelta(seconds: 5).negated == TimeDelta(seconds: -5))
    #expect(TimeDelta(seconds: -2, nanoseconds: 1).magnitude == TimeDelta(seconds: 1, nanoseconds: 999_999_999))
  }
}
