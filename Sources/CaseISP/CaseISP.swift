/// Provider legal-process returns through provider profiles, and lease matching.
public enum CaseISP {}
