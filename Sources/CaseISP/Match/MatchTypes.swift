public import CaseModel

/// How an IP observation relates to the provider assignments of its address (`casebridge match`).
///
/// The raw values are the words `match.json`, `match.csv` and the table print; `rule` is the catalogue id.
public enum MatchStatus: String, Sendable, Hashable, CaseIterable {
  /// One subscriber's lease covers the observation instant: start ≤ t ≤ end.
  case exact
  /// No lease covers t, but one subscriber's lease does when widened by the tolerance on both sides.
  case withinTolerance = "within-tolerance"
  /// Assignments of the address (and port) exist, but none covers t even with the tolerance.
  case outside
  /// No assignment holds the address (or, where ports matter, the observation's port).
  case noAssignment = "no-assignment"
  /// Ports matter (CGNAT address, or assignments with port ranges) and the observation has no port.
  case notAttributable = "not-attributable"
  /// The observation has no time; it is never assumed.
  case noTime = "no-time"
  /// Assignments of two or more subscribers (or accounts) cover t: all are listed, none is chosen.
  case conflict

  /// The rule id in `RuleCatalogue.match`, e.g. `match.within-tolerance`.
  public var rule: String { "match." + rawValue }

  /// Whether the observation is attributed to one subscriber (exact or within tolerance).
  public var isAttributed: Bool { self == .exact || self == .withinTolerance }
}

/// Something a reader of a result must know besides its status.
public enum MatchFlag: String, Sendable, Hashable, Comparable, CaseIterable {
  /// A listed assignment has no lease end: the provider says the address is still assigned.
  case openEnd = "open-end"
  /// A listed assignment has no lease start: assigned since before the provider's records.
  case openStart = "open-start"
  /// Ports matter, but a listed assignment has no port range, so the port could not be checked against one.
  case portUnchecked = "port-unchecked"
  /// The observation was flagged as a possible proxy by whoever logged it.
  case possibleProxy = "possible-proxy"

  /// Orders flags by their words.
  public static func < (a: MatchFlag, b: MatchFlag) -> Bool { a.rawValue < b.rawValue }
}

/// A signed span of time, exact to the nanosecond: `seconds` plus `nanoseconds` in `0..<1e9`.
public struct TimeDelta: Sendable, Hashable, Comparable, CustomStringConvertible {
  /// Whole seconds (floor).
  public let seconds: Int64
  /// Nanoseconds to add, in `0..<1_000_000_000`.
  public let nanoseconds: Int32

  /// Creates a delta; nanoseconds outside `0..<1e9` are carried into the seconds.
  public init(seconds: Int64, nanoseconds: Int32 = 0) {
    let total = Int64(nanoseconds)
    var s = seconds + total / 1_000_000_000
    var n = total % 1_000_000_000
    if n < 0 {
      n += 1_000_000_000
      s -= 1
    }
    self.seconds = s
    self.nanoseconds = Int32(n)
  }

  /// Zero.
  public static let zero = TimeDelta(seconds: 0)

  /// `a − b`.
  public static func between(_ a: Instant, _ b: Instant) -> TimeDelta {
    TimeDelta(seconds: a.seconds - b.seconds, nanoseconds: a.nanoseconds - b.nanoseconds)
  }

  /// The delta with the opposite sign.
  public var negated: TimeDelta {
    nanoseconds == 0 ? TimeDelta(seconds: -seconds) : TimeDelta(seconds: -seconds - 1, nanoseconds: 1_000_000_000 - nanoseconds)
  }

  /// Whether the delta is below zero.
  public var isNegative: Bool { seconds < 0 }

  /// The absolute value.
  public var magnitude: TimeDelta { isNegative ? negated : self }

  /// Orders deltas on the time line.
  public static func < (a: TimeDelta, b: TimeDelta) -> Bool {
    a.seconds != b.seconds ? a.seconds < b.seconds : a.nanoseconds < b.nanoseconds
  }

  /// Decimal seconds: `0`, `-30`, `1.5`, `-0.000000001` (no exponent, no trailing zeros).
  public var description: String {
    if isNegative { return "-" + negated.description }
    guard nanoseconds != 0 else { return String(seconds) }
    var fraction = String(nanoseconds)
    fraction = String(repeating: "0", count: 9 - fraction.count) + fraction
    while fraction.hasSuffix("0") { fraction.removeLast() }
    return String(seconds) + "." + fraction
  }
}

/// An assignment as it bears on one result or overlap, with the entities it points at.
public struct MatchedAssignment: Sendable, Hashable {
  /// The assignment.
  public var assignment: IPAssignment
  /// The Person its `subscriberPersonId` names, when the inputs hold it.
  public var subscriber: Person?
  /// The LegalProcess its `legalProcessId` names, when the inputs hold it.
  public var legalProcess: LegalProcess?
  /// Signed distance from the lease window to the observation instant: 0 inside, negative before the start (the
  /// observation is that much earlier), positive after the end. Nil when there is no instant to compare.
  public var delta: TimeDelta?

  /// Creates a matched assignment.
  public init(assignment: IPAssignment, subscriber: Person? = nil, legalProcess: LegalProcess? = nil, delta: TimeDelta? = nil) {
    self.assignment = assignment
    self.subscriber = subscriber
    self.legalProcess = legalProcess
    self.delta = delta
  }
}

/// The outcome for one observation.
public struct MatchResult: Sendable, Hashable {
  /// The observation.
  public var observation: IPObservation
  /// The status.
  public var status: MatchStatus
  /// The tolerance used, in seconds (always reported).
  public var toleranceSeconds: Int64
  /// Exact: 0; within tolerance: the smallest signed gap among the covering leases; outside: the nearest signed
  /// gap; conflict: the smallest signed gap among the listed leases. Nil otherwise.
  public var delta: TimeDelta?
  /// Exact / within tolerance: the covering assignments (one subscriber). Conflict: every assignment covering t
  /// within the tolerance. Outside: the nearest assignment(s). Not attributable: the assignments of the address
  /// covering t within the tolerance, whatever their ports (the candidates that cannot be told apart). No time:
  /// the assignments of the address (and port). No assignment: none.
  public var assignments: [MatchedAssignment]
  /// Flags, sorted.
  public var flags: [MatchFlag]
  /// A value-free explanation of the status.
  public var note: String

  /// Creates a result.
  public init(
    observation: IPObservation, status: MatchStatus, toleranceSeconds: Int64, delta: TimeDelta?,
    assignments: [MatchedAssignment], flags: [MatchFlag], note: String
  ) {
    self.observation = observation
    self.status = status
    self.toleranceSeconds = toleranceSeconds
    self.delta = delta
    self.assignments = assignments
    self.flags = flags
    self.note = note
  }
}

/// An overlap set: assignments of one address whose lease windows and port ranges chain together (see
/// `LeaseMatcher.overlapSets`), among which at least two overlap in time and ports and have different
/// subscribers (or accounts) — a conflict in the provider data, whether or not an observation falls in it. Each set
/// is reported once, however many pairs of its members overlap.
public struct AssignmentOverlap: Sendable, Hashable {
  /// The address (canonical; the IPv4 form of an IPv4-mapped address).
  public var address: String
  /// The span of the members' port ranges (lowest first to highest last); nil when a member has no port range
  /// (the whole address).
  public var ports: PortRange?
  /// The earliest lease start of the members; nil when a member has no start.
  public var from: Instant?
  /// The latest lease end of the members; nil when a member is open-ended.
  public var to: Instant?
  /// The first members in lease order (start, then id): at most `LeaseMatcher.maxListedOverlapMembers`.
  public var assignments: [MatchedAssignment]
  /// How many assignments the set holds (listed or not).
  public var memberCount: Int

  /// Members not listed.
  public var unlistedCount: Int { memberCount - assignments.count }

  /// Creates an overlap set; `memberCount` defaults to the members listed.
  public init(
    address: String, ports: PortRange?, from: Instant?, to: Instant?, assignments: [MatchedAssignment],
    memberCount: Int? = nil
  ) {
    self.address = address
    self.ports = ports
    self.from = from
    self.to = to
    self.assignments = assignments
    self.memberCount = memberCount ?? assignments.count
  }
}

/// Everything `casebridge match` reports.
public struct MatchReport: Sendable, Hashable {
  /// The tolerance used, in seconds.
  public var toleranceSeconds: Int64
  /// One result per observation, ordered by observation instant (observations without time last), then id.
  public var results: [MatchResult]
  /// Overlap sets (assignments of different subscribers overlapping), ordered by address, then start, then the
  /// first member's id.
  public var overlaps: [AssignmentOverlap]
  /// How many assignments were considered.
  public var assignmentCount: Int

  /// Creates a report.
  public init(toleranceSeconds: Int64, results: [MatchResult], overlaps: [AssignmentOverlap], assignmentCount: Int) {
    self.toleranceSeconds = toleranceSeconds
    self.results = results
    self.overlaps = overlaps
    self.assignmentCount = assignmentCount
  }

  /// Results per status.
  public var counts: [MatchStatus: Int] {
    var c: [MatchStatus: Int] = [:]
    for r in results { c[r.status, default: 0] += 1 }
    return c
  }

  /// Whether every observation is attributed and no assignments overlap: exit 0; otherwise exit 1.
  public var isClean: Bool { overlaps.isEmpty && results.allSatisfy(\.status.isAttributed) }
}
