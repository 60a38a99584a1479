public import CaseInterchange

extension RuleCatalogue {
  /// Findings that say the input itself is incomplete (a production that holds fewer records than it declares, no
  /// end marker, a gap in the record numbers). Each stays a finding of its record or line with its own severity;
  /// the input is also marked `incomplete` in the report and the run exits at least 1, never 0.
  public static let incompleteInput: Set<String> = ["isp.count-mismatch", "isp.truncated", "isp.record-gap"]

  /// Rules of provider legal-process returns (isp-text, isp-log, sectioned, HTML).
  public static let isp: [RuleDescriptor] = [
    .init("isp.profile-required", .error, .input, "a provider return without --profile: there is no default provider profile (exit 65)"),
    .init("isp.too-large", .error, .input, "a letter larger than 64 MiB or a records page larger than 8 MiB (they are read whole; exit 65)"),
    .init("isp.unsupported-encoding", .error, .input, "a declared encoding other than UTF-8 for a letter or records page (exit 65)"),
    .init("isp.invalid-utf8", .error, .syntax, "bytes that are not UTF-8 in a record block (in the response header: the input is rejected whole)"),
    .init("isp.nul", .error, .syntax, "a NUL character in a record block (in the response header: the input is rejected whole)"),
    .init("isp.record-too-large", .error, .syntax, "a record block larger than --max-record-bytes"),
    .init("isp.truncated", .error, .syntax, "the response lacks the end marker its profile expects: its last record is quarantined (with no record at all, the input is rejected whole)"),
    .init("isp.count-mismatch", .warning, .syntax, "the number of records the response says it holds differs from the record blocks found (the input is marked incomplete; exit at least 1)"),
    .init("isp.count-missing", .warning, .syntax, "the profile expects a record-count statement and the response header has none"),
    .init("isp.record-gap", .warning, .syntax, "a record number that does not follow the previous one: records missing or out of order (the input is marked incomplete; exit at least 1)"),
    .init("isp.repeated-value", .error, .syntax, "a label or sentence capture given twice in one record with different values"),
    .init("isp.field-too-large", .error, .syntax, "a value (label, sentence capture, row, or the unrecognised text kept) longer than --max-field-bytes: refused where it is read"),
    .init("isp.paragraph-too-long", .warning, .syntax, "a paragraph longer than the 4096 bytes sentence patterns are matched against: read as unrecognised text"),
    .init("isp.unrecognised-text", .error, .syntax, "text in a record that no label or sentence reads, under unmapped: error"),
    .init("isp.trailing-text", .warning, .syntax, "text after the response's end marker (not read)"),
    .init("isp.zone-statement-conflict", .warning, .syntax, "the response states two different zones; neither is used"),
    .init("isp.unknown-section", .error, .syntax, "a row of a table that no section of the profile matches"),
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
