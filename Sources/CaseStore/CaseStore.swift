// The case store: nightly imports that are safe to re-run, stable record identity across deliveries, search and
// cross-agency links. SQLite through GRDB (the system libsqlite3).
import GRDB

/// The store's schema generation this build writes and reads.
public enum CaseStoreSchema {
  /// Increases with every migration.
  public static let version = 1
}
