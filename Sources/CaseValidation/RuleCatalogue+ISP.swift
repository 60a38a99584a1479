public import CaseInterchange

extension RuleCatalogue {
  /// Rules of provider legal-process returns (isp-text, isp-log, sectioned, HTML).
  public static let isp: [RuleDescriptor] = [
  ]

  /// Rules and outcomes of lease matching (casebridge match). They never quarantine: each observation gets exactly
  /// one status; anything but exact or within-tolerance, and any overlap, makes the command exit 1.
  public static let match: [RuleDescriptor] = [
    .init("match.exact", .info, .semantic, "one subscriber's lease covers the observation: start <= t <= end"),
    .init("match.within-tolerance", .info, .semantic, "one subscriber's lease covers the observation only with --tolerance: start - tol <= t <= end + tol"),
    .init("match.outside", .warning, .semantic, "the address (and port) has assignments, none covering the observation even with the tolerance; the nearest gap is reported"),
    .init("match.no-assignment", .warning, .semantic, "no assignment holds the observed address (or, where ports matter, its port)"),
    .init("match.not-attributable", .warning, .semantic, "ports matter (CGNAT address, or per-port assignments) and the observation has no port: no unique subscriber"),
    .init("match.no-time", .warning, .semantic, "the observation has no time; none is ever assumed"),
    .init("match.conflict", .warning, .semantic, "leases of different subscribers cover the observation (within the tolerance): all are listed, none is chosen"),
    .init("match.overlap", .warning, .semantic, "two subscribers' leases of one address and port overlap in time, whether or not an observation falls in them"),
  ]
}
