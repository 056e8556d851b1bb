import SQLKit

/// The statements whose locking differs between the engines.
///
/// SQLite runs one write transaction at a time (``SQLDatabaseProvider/write(_:)``), so plain
/// statements are already serialised. PostgreSQL runs writers concurrently, so every transaction that
/// claims, releases or collects a blob first takes a transaction-scoped advisory lock on that blob's
/// address. An upload of some content and a delete (or `gc`) of the same content then happen one after
/// the other, never interleaved, whether or not the blob row exists yet.
extension SQLFlavor {
    /// Inserts the blob row if it is missing. - Returns: whether this transaction created it (and so
    /// must promote the content).
    func claimBlob(tenantID: Int64, sha256: String, size: Int64, now: Int64, in db: any SQLDatabase) async throws -> Bool {
        try await lockBlob(tenantID: tenantID, sha256: sha256, in: db)
        return try await db.raw("""
            INSERT INTO blobs (tenant_id, sha256, size, created_at)
            VALUES (\(bind: tenantID), \(bind: sha256), \(bind: size), \(bind: now))
            ON CONFLICT (tenant_id, sha256) DO NOTHING RETURNING sha256
            """).first() != nil
    }

    /// Holds the blob's address until the transaction ends (PostgreSQL; SQLite is already serial).
    func lockBlob(tenantID: Int64, sha256: String, in db: any SQLDatabase) async throws {
        guard self == .postgres else { return }
        let key = "\(tenantID):\(sha256)"
        try await db.raw("SELECT pg_advisory_xact_lock(hashtextextended(\(bind: key), 0)) AS locked").run()
    }

    /// Makes concurrent migrations (several nodes starting at once) run one after the other.
    func lockMigrations(in db: any SQLDatabase) async throws {
        guard self == .postgres else { return }
        try await db.raw("SELECT pg_advisory_xact_lock(7355608) AS locked").run()
    }
}
