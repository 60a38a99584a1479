import CaseInterchange
import CaseValidation

/// What a person should do about a rule's findings: specific advice for the most common rules, else by the rule's
/// prefix, else by its catalogue stage.
public enum RuleAdvice {
  /// Advice for the most common rules.
  static let specific: [String: String] = [
    "timestamp.missing-zone": "The source gives times without an offset. Ask the sender which zone the export uses and declare it in the mapping profile (`zone` on the transform, or `defaults.zone`); never guess it.",
    "timestamp.invalid": "The time is not in the pattern the profile expects (or is an impossible date). Compare a few values with the profile's `pattern`; correct the profile or ask the sender for corrected rows.",
    "timestamp.future": "An event time after the run's \"now\". Check the source's clock and zone (a wrong zone shifts times by hours); run with `--now` only for replays of old data.",
    "timestamp.dst-gap": "A local time that does not exist in the declared zone. Ask the sender whether the export is really in that zone, or for UTC times.",
    "timestamp.dst-overlap": "A local time that occurs twice in the declared zone. Only the sender can say which one: ask for times with an offset or in UTC.",
    "date.ambiguous-day-month": "Day and month could be swapped. Find out the source's date order and fix it in the profile (`dayMonth`).",
    "phone.missing-country-code": "National numbers without a country code. Declare the source's region in the profile (`defaults.phoneRegion`).",
    "phone.invalid": "Not a phone number of a valid length. Ask the sender for the corrected numbers; check the column mapping if every row fails.",
    "email.invalid": "Not a valid e-mail address. Check for truncated or concatenated values and ask the sender for a corrected row.",
    "ip.invalid": "Not a strict IPv4 or IPv6 address (leading zeros, CIDR suffixes, ports). Ask the sender for plain addresses; ports belong in their own column.",
    "ip.non-public": "A private, loopback or reserved address: not attributable on the internet. Check whether the provider logged an internal address.",
    "ref.dangling": "A reference to an entity that is not in the same input. Send the referenced records in the same file, or check the ids.",
    "record.duplicate-id": "The same entity id twice in the run. Find the two records (see locations) and ask the sender which is current.",
    "record.duplicate-key": "A keyed record seen earlier with different content. Only the first is kept: compare the two and send the correct one again.",
    "record.key-missing": "A keyed record without its key: it cannot be identified in its source system. Ask the sender to fill the key column.",
    "json.syntax": "The record is not valid JSON. Open the rejected file at the line shown, fix the syntax and feed the file back.",
    "json.unknown-member": "A member the entity type does not have; it would be lost. Map it in a profile or drop it at the source.",
    "csv.extra-cell": "A row with more cells than the header (often an unquoted delimiter inside a value). Quote the value and feed the rejected file back.",
    "csv.missing-cell": "A row with fewer cells than the header (often a line break inside an unquoted value). Fix the row in the rejected file and feed it back.",
    "csv.unterminated-quote": "A quoted cell never closed. Fix the quote in the rejected file at the line shown and feed it back.",
    "field.missing": "A required field is empty or absent. Ask the sender for the value, or check that the profile maps the right column.",
    "field.invalid-value": "A value outside the allowed list. Ask the sender to correct it, or check that the profile maps the right column.",
    "text.control-character": "A control or bidi character inside a text field (often pasted from elsewhere). Ask the sender for clean text; it is never removed silently.",
    "xml.schema-violation": "The record is not valid against the XSD. Read the element path in the message, fix the element and feed the rejected file back.",
    "xml.not-well-formed": "The document is not well-formed XML. It cannot be read in part: ask the sender for a new export.",
    "input.duplicate": "Nothing to do: the same bytes were already processed.",
    "data.looks-like-fixture": "A documentation or test value in a production run. Check with the sender that the export holds real data.",
  ]

  /// Advice by rule-id prefix.
  static let byPrefix: [(String, String)] = [
    ("input.", "The whole input could not be processed. Check the file exists, is readable and is what its name says; ask the sender for a new copy if it changed or is truncated."),
    ("output.", "An output, quarantine or report file could not be written. Check disk space, permissions and the paths given."),
    ("store.", "The case store could not be used. Check its path, permissions and disk space; nothing of that input was committed."),
    ("format.", "The format could not be inferred or is not supported. Give --from, or a profile whose layout reads it."),
    ("profile.", "The mapping profile does not fit this input. Compare the input's header with the profile (`casebridge inspect`), fix the profile and run again."),
    ("json.", "The JSON is malformed here. Fix the record in the rejected file at the line shown and feed it back."),
    ("jsonl.", "A JSON Lines framing problem. Usually harmless; fix the file at the line shown if it repeats."),
    ("bundle.", "The case bundle's envelope is wrong. Ask the sender for a bundle CaseBridge reads (see the README's Canonical JSON)."),
    ("csv.", "The CSV row is malformed. Fix it in the rejected file (header kept) and feed the file back."),
    ("xml.", "The XML is malformed or unsafe here. Fix the record in the rejected file, or ask the sender for a new export."),
    ("html.", "The HTML records page could not be read. Ask the provider for the return in another format."),
    ("ncmec.", "The CyberTipline report breaks NCMEC's schema here. Ask the sender for a schema-valid report."),
    ("cybertip.", "The CyberTip JSON has an unexpected value. Check the message; unknown members are kept as extras."),
    ("isp.", "The provider return does not match its provider profile here. Check the response against the profile, or ask the provider."),
    ("match.", "A lease-matching result, not a defect: read it with the observation it names."),
    ("batch.", "The batch child failed on this file. The file was moved aside; report the rule and signal (not the file) if it repeats."),
    ("timestamp.", "A time value that cannot be read exactly. Check the profile's pattern and zone against a few source values."),
    ("date.", "A date that cannot be read exactly. Check the profile's pattern and day/month order."),
  ]

  /// Advice by catalogue stage, for rules no prefix covers.
  static func byStage(_ stage: RuleDescriptor.Stage?) -> String {
    switch stage {
    case .syntax?: return "The record's bytes are not the format. Fix it in the rejected file and feed the file back."
    case .field?: return "A field's value is not one CaseBridge accepts. Ask the sender for a corrected value, or adjust the profile's transform if every row fails."
    case .semantic?: return "The record is well-formed but breaks a consistency rule. Check it with the sender; --no-validate only hides it."
    case .input?: return "The whole input was affected. Check the file and the command line."
    case nil: return "Not a rule of this CaseBridge build. Check the tool version that wrote the report."
    }
  }

  /// The advice for a rule id.
  public static func advice(for rule: String) -> String {
    if let s = specific[rule] { return s }
    if let p = byPrefix.first(where: { rule.hasPrefix($0.0) }) { return p.1 }
    return byStage(RuleCatalogue.descriptor(rule)?.stage)
  }
}

/// The README's exit-code table, one line each.
public enum ExitCodeMeaning {
  public static func meaning(_ code: Int) -> String {
    switch code {
    case 0: return "every record accepted"
    case 1: return "finished; some records quarantined"
    case 64: return "usage error"
    case 65: return "an input rejected whole (not readable as its format, unknown format, hostile)"
    case 66: return "an input missing, unreadable or not a regular file"
    case 70: return "internal error"
    case 73: return "cannot create an output, quarantine or report file"
    case 74: return "I/O error (including an input that changed while it was read)"
    case 75: return "another run holds the lock"
    case 78: return "invalid profile or configuration, or a case store this build cannot use"
    default: return "not an exit code CaseBridge uses"
    }
  }
}
