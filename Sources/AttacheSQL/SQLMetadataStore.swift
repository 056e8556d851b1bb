public import AttacheCore
import Foundation
import SQLKit

/// A ``MetadataStore`` in a SQL database, written once in the SQL that SQLite and PostgreSQL share.
///
/// All writes run in transactions handed out by the ``SQLDatabaseProvider``; every query names
/// `tenant_id`, so no statement can touch another tenant's rows.
///
/// Every value is bound, so a statement's text is the same for every tenant and row, and the SQLite
/// store compiles it once per connection (`SQLiteDatabase` keeps compiled statements, with plans
/// that never depend on bound values). Bounded sets of numbers, such as page sizes, are literals.
public struct SQLMetadataStore: MetadataStore {
    let database: TimedDatabase

    /// - Parameter metrics: where the time of each store call goes.
    public init(database: any SQLDatabaseProvider, metrics: ServiceMetrics = ServiceMetrics()) {
        self.database = TimedDatabase(provider: database, metrics: metrics)
    }

    /// A store on `database`, migrated to the latest schema; the database is shut down if that fails.
    public static func migrated(_ database: any SQLDatabaseProvider, metrics: ServiceMetrics = ServiceMetrics()) async throws -> SQLMetadataStore {
        let store = SQLMetadataStore(database: database, metrics: metrics)
        do {
            try await store.migrate()
            return store
        } catch {
            await store.shutdown()
            throw error
        }
    }

    public func migrate() async throws {
        try await migrate(through: SQLSchema.latestVersion)
    }

    /// Runs the pending migrations up to `version` (a test starts from an earlier schema this way).
    func migrate(through version: Int) async throws {
        let flavor = database.flavor
        try await database.write { db in
            try await flavor.lockMigrations(in: db)
            try await db.raw("CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, applied_at BIGINT NOT NULL)").run()
        }
        let applied = try await database.read { db in
            Set(try await db.raw("SELECT version FROM schema_migrations").all().map { try $0.decode(column: "version", as: Int.self) })
        }
        // Only pending migrations open a transaction (a table rebuild also checks every foreign key,
        // which reads the whole database); each checks again under the lock, as another node may be first.
        for migration in SQLSchema.migrations where migration.version <= version && !applied.contains(migration.version) {
            let run: (@escaping @Sendable (any SQLDatabase) async throws -> Void) async throws -> Void =
                migration.rebuildsTables ? { try await database.migrate($0) } : { try await database.write($0) }
            try await run { db in
                try await flavor.lockMigrations(in: db)
                let applied = try await db.raw("SELECT version FROM schema_migrations WHERE version = \(bind: migration.version)").first()
                guard applied == nil else { return }
                for statement in migration.statements(flavor) {
                    try await db.raw(SQLQueryString(statement)).run()
                }
                try await migration.backfill?(flavor, db)
                try await db.raw(
                    "INSERT INTO schema_migrations (version, applied_at) VALUES (\(bind: migration.version), \(bind: Date().millisecondsSince1970))"
                ).run()
            }
        }
        let newest = try await database.read { db in
            try await db.raw("SELECT MAX(version) AS version FROM schema_migrations").first()?.decode(column: "version", as: Int?.self)
        }
        if let newest, newest > SQLSchema.latestVersion {
            throw AttacheError(
                .storageUnavailable,
                "The database has schema version \(newest); this binary knows up to \(SQLSchema.latestVersion). Upgrade attache."
            )
        }
    }

    public func checkHealth() async throws {
        try await database.read { db in
            _ = try await db.raw("SELECT 1 AS ok").first()
        }
    }

    /// Runs the database's background work (PostgreSQL's connection pool) until the task is cancelled,
    /// or until that work ends by itself — which leaves the store unable to answer.
    public func run() async {
        await database.run()
    }

    public func shutdown() async {
        await database.shutdown()
    }
}
