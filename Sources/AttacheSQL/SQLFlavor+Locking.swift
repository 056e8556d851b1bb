import AttacheCore
import SQLKit

/// The statements whose locking differs between the engines.
///
/// SQLite runs one write transaction at a time (``SQLDatabaseProvider/write(_:)``), so plain
/// statements are already serialised. PostgreSQL runs writers concurrently, so every transaction that
/// claims, confirms, releases or marks a blob first takes a transaction-scoped advisory lock on that
/// blob's address (several addresses in ``BlobAddress/lockOrder(_:_:)``). Steps on the same content
/// then happen one after the other, never interleaved, whether or not the blob row exists yet.
extension SQLFlavor {
    /// Holds the blob's address until the transaction ends (PostgreSQL; SQLite is already serial).
    func lockBlob(_ address: BlobAddress, in db: any SQLDatabase) async throws {
        guard self == .postgres else { return }
        let key = "\(address.tenantID):\(address.sha256)"
        try await db.raw("SELECT pg_advisory_xact_lock(hashtextextended(\(bind: key), 0)) AS locked").run()
    }

    /// Makes concurrent creations and rotations of the signing key run one after the other.
    func lockSigningKeys(in db: any SQLDatabase) async throws {
        guard self == .postgres else { return }
        try await db.raw("SELECT pg_advisory_xact_lock(7355609) AS locked").run()
    }

    /// Makes concurrent migrations (several nodes starting at once) run one after the other.
    func lockMigrations(in db: any SQLDatabase) async throws {
        guard self == .postgres else { return }
        try await db.raw("SELECT pg_advisory_xact_lock(7355608) AS locked").run()
    }
}
