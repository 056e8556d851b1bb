public import AttacheCore
public import AttacheSQL
public import Logging

extension SQLMetadataStore {
    /// A metadata store in the PostgreSQL database at `url`, migrated to the latest schema.
    public static func postgres(url: String, logger: Logger, metrics: ServiceMetrics = ServiceMetrics()) async throws -> SQLMetadataStore {
        try await migrated(PostgresDatabase(url: url, logger: logger), metrics: metrics)
    }
}
