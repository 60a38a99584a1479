public import CaseInterchange

extension RuleCatalogue {
  /// Rules of `casebridge batch`: the run lock, its configuration and the per-file child process.
  public static let batch: [RuleDescriptor] = [
    .init("batch.lock-held", .error, .input, "another batch run holds the store's lock (<store>.lock); nothing was changed (exit 75)"),
    .init("config.invalid", .error, .input, "the batch configuration file is unreadable, not valid JSON/YAML, or has an unknown key or a wrong value (exit 78)"),
    .init("batch.child-crashed", .error, .input, "the child process parsing the file died on a signal (a crash or trap, e.g. an allocation over its address-space limit) or with an internal error; the file is moved to QUARANTINE/<run-id>/rejected-inputs/ (exit 70)"),
    .init("batch.child-timeout", .error, .input, "the child process parsing the file ran past its wall-clock limit and was killed (SIGKILL); the file is moved to QUARANTINE/<run-id>/rejected-inputs/ (exit 65)"),
    .init("batch.child-limit", .error, .input, "the child process parsing the file ran past its CPU-time limit (SIGXCPU); the file is moved to QUARANTINE/<run-id>/rejected-inputs/ (exit 65)"),
    .init("batch.child-failed", .error, .input, "the child process could not be started or ended without a usable report; the file is left in the inbox (exit 70)"),
  ]
}
