public import CaseInterchange

/// The catalogue of rule ids CaseBridge reports, with default severity, stage and summary.
///
/// Ids are stable: scripts and dashboards match on them. New rules get new ids; an id is never reused.
public enum RuleCatalogue {
  /// Rules of whole inputs and runs.
  public static let input: [RuleDescriptor] = [
    .init("input.unreadable", .error, .input, "the input cannot be opened or read (exit 66)"),
    .init("input.not-regular-file", .error, .input, "the input is a directory, FIFO, device or socket (exit 66)"),
    .init("input.io-error", .error, .input, "reading the input failed part-way (exit 74)"),
    .init("input.changed", .error, .input, "the input's SHA-256 changed while it was processed (exit 74)"),
    .init("input.too-large", .error, .input, "the input is larger than --max-input-bytes (exit 65)"),
    .init("input.empty", .error, .input, "the input is empty: 0 bytes, or only a byte order mark and whitespace (exit 65); expected empty deliveries need --allow-empty or a profile's allowEmpty"),
    .init("input.duplicate", .info, .input, "the input has the same SHA-256 as an earlier input of the run, or (import) its key is already in the store, and is skipped"),
    .init("format.unknown", .error, .input, "the input's format cannot be inferred; give --from (exit 65)"),
    .init("format.unsupported", .error, .input, "this build has no reader for the input's format (exit 65)"),
    .init("output.cannot-create", .error, .input, "an output, quarantine or report file cannot be created (exit 73)"),
    .init("output.io-error", .error, .input, "writing an output failed, including a closed or broken standard output (exit 74)"),
    .init("output.not-regular", .error, .input, "an output path names an existing directory, FIFO, socket or device; -o may name a character device, written through (exit 73)"),
    .init("output.same-file", .error, .input, "-o, --report, --quarantine or --store resolve to an input, a profile or each other; nothing is read or written (exit 64)"),
    .init("store.unreadable", .error, .input, "the case store is not a readable SQLite database, or not a regular file (exit 78; 66 not a regular file)"),
    .init("store.too-new", .error, .input, "the case store was written by a newer CaseBridge; it is left unchanged (exit 78)"),
    .init("store.permissions", .error, .input, "the case store cannot be written (read-only, no permission) (exit 78)"),
    .init("store.cannot-create", .error, .input, "the case store or its directory cannot be created (exit 73)"),
    .init("store.io-error", .error, .input, "writing the case store failed (a full disk); the input's transaction is rolled back (exit 74)"),
  ]

  /// Syntax rules of the JSON readers (never turned off).
  public static let jsonSyntax: [RuleDescriptor] = [
    .init("json.syntax", .error, .syntax, "unexpected byte or token"),
    .init("json.unterminated-string", .error, .syntax, "a string is not closed"),
    .init("json.invalid-escape", .error, .syntax, "an escape sequence is not one JSON allows"),
    .init("json.control-character", .error, .syntax, "a raw control character U+0000–U+001F inside a string"),
    .init("json.invalid-utf8", .error, .syntax, "bytes that are not UTF-8"),
    .init("json.lone-surrogate", .error, .syntax, "a \\u escape that is an unpaired surrogate"),
    .init("json.duplicate-key", .error, .syntax, "the same member name twice in one object"),
    .init("json.trailing-comma", .error, .syntax, "a comma before } or ]"),
    .init("json.comment", .error, .syntax, "a comment (JSON has none)"),
    .init("json.invalid-number", .error, .syntax, "a number JSON does not allow (leading zero, NaN, Infinity, hex...)"),
    .init("json.number-out-of-range", .error, .syntax, "a number too long or too large to represent"),
    .init("json.depth-exceeded", .error, .syntax, "arrays and objects nested deeper than the limit"),
    .init("json.trailing-data", .error, .syntax, "bytes after the JSON value"),
    .init("json.empty", .error, .syntax, "no JSON value at all"),
    .init("json.too-large", .error, .syntax, "a record or string larger than the limit"),
    .init("json.bom", .warning, .syntax, "a UTF-8 byte order mark at the start of the input (ignored)"),
    .init("json.not-an-object", .error, .syntax, "a record that is not a JSON object"),
    .init("json.unknown-member", .error, .field, "a member the entity type does not have (it would be lost)"),
    .init("jsonl.blank-line", .warning, .syntax, "a blank line in JSON Lines (ignored, not a record)"),
    .init("bundle.missing-version", .error, .syntax, "the case bundle has no casebridgeVersion"),
    .init("bundle.unsupported-version", .error, .syntax, "the case bundle's casebridgeVersion is not one this build reads"),
    .init("bundle.missing-entities", .error, .syntax, "the case bundle has no entities array"),
    .init("bundle.invalid", .error, .syntax, "the case bundle's entities member is not an array"),
    .init("bundle.unknown-member", .error, .syntax, "the case bundle has a top-level member it does not define"),
  ]

  /// Syntax rules of the CSV reader (never turned off).
  public static let csvSyntax: [RuleDescriptor] = [
    .init("csv.unterminated-quote", .error, .syntax, "a quoted field never closed (located where it opened): where later records begin cannot be known, so the rest of the input from that record on is one rejected span"),
    .init("csv.stray-quote", .error, .syntax, "a quote inside an unquoted field, or junk after a closing quote"),
    .init("csv.extra-cell", .error, .syntax, "a row with more fields than the header (never truncated)"),
    .init("csv.missing-cell", .error, .syntax, "a row with fewer fields than the header (never padded)"),
    .init("csv.nul", .error, .syntax, "a NUL in a record"),
    .init("csv.invalid-utf8", .error, .syntax, "bytes that are not UTF-8"),
    .init("csv.invalid-utf16", .error, .syntax, "an unpaired surrogate or odd trailing byte in UTF-16"),
    .init("csv.invalid-byte", .error, .syntax, "a byte Windows-1252 does not define (0x81 0x8D 0x8F 0x90 0x9D)"),
    .init("csv.field-too-large", .error, .syntax, "a field larger than --max-field-bytes"),
    .init("csv.record-too-large", .error, .syntax, "a record larger than --max-record-bytes"),
    .init("csv.blank-row", .warning, .syntax, "a blank row (ignored, not a record)"),
    .init("csv.duplicate-header", .error, .input, "two columns with the same name (the input is rejected whole)"),
    .init("csv.blank-header", .error, .input, "an empty column name (the input is rejected whole)"),
    .init("csv.too-many-columns", .error, .input, "more columns than the dialect allows (the input is rejected whole)"),
    .init("csv.encoding-mismatch", .error, .input, "a declared encoding that contradicts the byte order mark"),
    .init("csv.unknown-encoding", .error, .input, "an encoding name CaseBridge does not read"),
    .init("csv.invalid-dialect", .error, .input, "an unusable delimiter or quote"),
    .init("csv.invalid-json-cell", .error, .syntax, "a CaseBridge CSV cell that should hold JSON and does not"),
  ]

  /// Rules of mapping profiles.
  public static let profile: [RuleDescriptor] = [
    .init("profile.syntax", .error, .input, "the profile is not valid JSON (exit 78)"),
    .init("profile.invalid", .error, .input, "the profile breaks the profile schema: unknown member, target or value (exit 78)"),
    .init("profile.invalid-pattern", .error, .input, "a date/time pattern or a constraint's pattern that cannot be used (exit 78)"),
    .init("profile.unreadable", .error, .input, "the profile file cannot be read (exit 78)"),
    .init("profile.layout-mismatch", .error, .input, "the profile's layout does not read the --from format (exit 78)"),
    .init("profile.column-missing", .error, .input, "a required column is not in the input's header (the input is rejected whole)"),
    .init("profile.records-missing", .error, .input, "an XML or JSON document without the records the profile's layout names (the input is rejected whole)"),
    .init("profile.unmapped-column", .error, .input, "a column no field reads, under unmapped: error (the input is rejected whole)"),
    .init("record.key-missing", .error, .field, "a keyed entity whose key value is empty or missing: the record cannot be identified in its source system"),
    .init("profile.no-mapping", .error, .field, "a record that no conditional mapping ('when') accepts, in a profile without an 'otherwise' mapping (e.g. an unknown kind in a kind/value column pair)"),
    .init("record.no-entity", .error, .field, "a record that maps to no entity although columns no field reads hold values (unmapped: keep has nowhere to keep them; a file without its header line, say)"),
    .init("record.duplicate-key", .error, .input, "a key seen earlier in this run with different content (the first occurrence is kept and named; never turned off)"),
  ]

  /// Rules applied while mapping a field into a strict model value (never turned off).
  public static let field: [RuleDescriptor] = [
    .init("field.missing", .error, .field, "a required field is absent"),
    .init("field.type-mismatch", .error, .field, "a field has the wrong JSON type or is not an exact integer"),
    .init("field.invalid-value", .error, .field, "a field's value is not one of the allowed values"),
    .init("field.pattern", .error, .field, "a value that does not match its field's pattern constraint (an agency rule id replaces this one when the profile gives it)"),
    .init("field.enum", .error, .field, "a value not among its field's allowed values (enum constraint)"),
    .init("field.length", .error, .field, "a value outside its field's minLength/maxLength (characters) or maxBytes (UTF-8) constraint"),
    .init("field.range", .error, .field, "a value that is not a plain decimal number within its field's minimum/maximum constraint, or a date or time outside its notBefore/notAfter"),
    .init("field.not-unique", .error, .field, "a value of a unique field that an earlier accepted record of the run holds (the first occurrence is named and kept)"),
    .init("field.normalization-mismatch", .error, .field, "a stored normalised value does not match its original text"),
    .init("ip.invalid", .error, .field, "not a strict IPv4 dotted quad or RFC 4291 IPv6 address"),
    .init("ip.zone-id", .error, .field, "an IPv6 address with a zone id (%eth0)"),
    .init("port.invalid", .error, .field, "a port outside 1...65535"),
    .init("email.invalid", .error, .field, "not an RFC 5321/6531 addr-spec within the length limits"),
    .init("phone.invalid", .error, .field, "not a phone number of a valid length for its calling code"),
    .init("phone.missing-country-code", .error, .field, "no country code and no default region declared"),
    .init("phone.unsupported-region", .error, .field, "a calling code outside the supported region table (never guessed)"),
    .init("hash.not-hex", .error, .field, "a digest with characters that are not hex digits"),
    .init("hash.length", .error, .field, "a digest whose length does not match its algorithm"),
    .init("hash.unknown-algorithm", .error, .field, "a hash algorithm name CaseBridge does not know"),
    .init("timestamp.invalid", .error, .field, "not a strict ISO 8601 timestamp (impossible dates included)"),
    .init("timestamp.missing-zone", .error, .field, "a timestamp without an offset or Z, and no zone declared"),
    .init("timestamp.dst-gap", .error, .field, "a local time that does not exist in the declared zone (DST gap)"),
    .init("timestamp.dst-overlap", .error, .field, "a local time that occurs twice in the declared zone (DST overlap)"),
    .init("timestamp.inconsistent", .error, .field, "a timestamp's original text and UTC value differ"),
    .init("date.invalid", .error, .field, "not a real calendar date YYYY-MM-DD"),
    .init("date.ambiguous-day-month", .error, .field, "a date whose day and month could be swapped, and the profile does not fix the order"),
    .init("timestamp.zone-contradiction", .error, .field, "a zone abbreviation that disagrees with the declared zone at that date (EST in July)"),
    .init("timestamp.unknown-zone-abbreviation", .error, .field, "a zone abbreviation outside the fixed table (ambiguous ones such as IST are not in it)"),
    .init("timestamp.epoch-unit-mismatch", .error, .field, "an epoch value whose digit count does not fit the declared unit"),
    .init("timestamp.twelve-hour-clock", .error, .field, "AM/PM in a value read with a 24-hour pattern"),
    .init("field.invalid-integer", .error, .field, "not a decimal integer"),
    .init("field.invalid-boolean", .error, .field, "not one of the profile's boolean spellings"),
    .init("country.invalid", .error, .field, "not an ISO 3166-1 alpha-2 code"),
    .init("state.invalid", .error, .field, "not a USPS state or territory code"),
  ]

  /// Semantic rules of the validation layer (`--no-validate` turns them off).
  public static let semantic: [RuleDescriptor] = [
    .init("record.duplicate-id", .error, .semantic, "an entity id already seen in this run (compact 8-byte hashes)"),
    .init("ref.dangling", .error, .semantic, "a reference to an entity id that is not in the same input"),
    .init("id.not-uuid", .warning, .semantic, "an entity id that is not a lower-case UUID (CASE export needs UUID IRIs)"),
    .init("timestamp.future", .error, .semantic, "an event time later than --now plus 5 minutes of skew"),
    .init("timestamp.implausible", .warning, .semantic, "an online event time before 1990"),
    .init("date.future", .error, .semantic, "a date of birth after --now"),
    .init("date.implausible", .warning, .semantic, "a date of birth before 1900"),
    .init("age.out-of-range", .error, .semantic, "an age outside 0...150"),
    .init("ip.non-public", .warning, .semantic, "an observed or assigned address in private, loopback, link-local, multicast or reserved space"),
    .init("ip.cgnat-without-port", .warning, .semantic, "a CGNAT (100.64.0.0/10) address without a port: not attributable"),
    .init("lease.end-before-start", .error, .semantic, "a lease that ends before it starts"),
    .init("lease.open-end", .warning, .semantic, "a lease without an end"),
    .init("interval.end-before-start", .error, .semantic, "a role validity or requested range that ends before it starts"),
    .init("port-range.reversed", .error, .semantic, "a port range whose last port is below its first"),
    .init("hash.empty-file", .warning, .semantic, "the digest of an empty file"),
    .init("text.control-character", .error, .semantic, "a control, bidi or line-separator character in a text field"),
    .init("text.empty", .error, .semantic, "an empty text where a value is required"),
    .init("url.invalid", .error, .semantic, "not an absolute http(s) URL of at most 2083 characters"),
    .init("data.looks-like-fixture", .warning, .semantic, "a documentation/test value in a --production run"),
  ]

  /// Every rule the readers, the model and the validation layer can report.
  public static var all: [RuleDescriptor] {
    input + jsonSyntax + csvSyntax + xml + caseXML + ncmec + cybertip + profile + field + semantic + isp + match + batch
  }

  /// The descriptor for an id.
  public static func descriptor(_ id: String) -> RuleDescriptor? { all.first { $0.id == id } }
}
