public import AttacheCore
public import AttacheSQL
public import Logging

extension SQLMetadataStore {
    /// The embedded default: a metadata store in the SQLite file at `path`, migrated to the latest schema.
    public static func sqlite(path: String, logger: Logger, metrics: ServiceMetrics = ServiceMetrics()) async throws -> SQLMetadataStore {
        try await migrated(SQLiteDatabase.open(path: path, logger: logger), metrics: metrics)
    }
}
