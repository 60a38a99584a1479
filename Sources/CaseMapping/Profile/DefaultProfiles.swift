/// The profile used for CSV inputs without `--profile`. The same bytes ship as `Schemas/profiles/default-csv.json`
/// (a test keeps the two identical).
public enum DefaultProfiles {
  /// The default CSV profile's JSON text.
  public static let csvJSON = #"""
{
  "profileVersion": "1.0",
  "id": "casebridge-default-csv",
  "description": "Used when a CSV input comes without --profile. Maps common column names; every entity is optional, so a row yields what its columns hold. Timestamps must carry their zone (strict ISO 8601); phone numbers must start with + (no default region); dates are YYYY-MM-DD. Other columns are kept as extras.",
  "layout": {"kind": "csv", "csv": {"delimiter": ",", "header": true}},
  "unmapped": "keep",
  "records": [
    {"entity": "case", "optional": true, "fields": {
      "caseNumber": {"column": "case_number", "aliases": ["case_no", "case", "caseNumber"]}
    }},
    {"entity": "person", "optional": true, "fields": {
      "given": {"column": "first_name", "aliases": ["given_name", "firstName"]},
      "family": {"column": "last_name", "aliases": ["family_name", "surname", "lastName"]},
      "fullName": {"column": "name", "aliases": ["full_name", "fullName"]},
      "dateOfBirth": {"column": "date_of_birth", "aliases": ["dob", "dateOfBirth"]}
    }},
    {"entity": "ipObservation", "optional": true, "fields": {
      "ip": {"column": "ip", "aliases": ["ip_address", "ipAddress", "ip address"]},
      "port": {"column": "port", "aliases": ["source_port", "src_port"]},
      "observedAt": {"column": "observed_at", "aliases": ["timestamp", "time", "datetime", "observedAt"]},
      "event": {"column": "event", "aliases": ["event_name"]},
      "personId": {"entity": 1}
    }},
    {"entity": "onlineIdentifier", "optional": true, "fields": {
      "kind": {"constant": "email"},
      "value": {"column": "email", "aliases": ["email_address", "e-mail"]},
      "personId": {"entity": 1}
    }},
    {"entity": "onlineIdentifier", "optional": true, "fields": {
      "kind": {"constant": "phone"},
      "value": {"column": "phone", "aliases": ["phone_number", "telephone"]},
      "personId": {"entity": 1}
    }},
    {"entity": "evidenceFile", "optional": true, "fields": {
      "fileName": {"column": "file_name", "aliases": ["filename"]},
      "sizeBytes": {"column": "size", "aliases": ["size_bytes", "file_size"]},
      "md5": {"column": "md5"},
      "sha1": {"column": "sha1"},
      "sha256": {"column": "sha256"}
    }}
  ]
}
"""#
}
