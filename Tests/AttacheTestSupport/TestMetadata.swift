import AttacheCore
import AttacheInMemoryStore
import AttachePostgres
import AttacheSQL
import AttacheSQLite
import Foundation
import Logging

/// The metadata store behind a ``TestServer``: a SQLite file in the server's folder, or, when
/// `ATTACHE_TEST_HTTP_POSTGRES_URL` names a PostgreSQL server (scripts/test.sh runs the HTTP suite a
/// second time that way), a database of its own there; or, with `ATTACHE_TEST_HTTP_METADATA=memory`,
/// the in-memory fake (the service's rules without a database).
package enum TestMetadata {
    package static var inMemory: Bool {
        ProcessInfo.processInfo.environment["ATTACHE_TEST_HTTP_METADATA"] == "memory"
    }

    package static var postgresURL: String? {
        ProcessInfo.processInfo.environment["ATTACHE_TEST_HTTP_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    package static var onPostgres: Bool { postgresURL != nil }

    package static func make(
        folder: URL, logger: Logger, metrics: ServiceMetrics = ServiceMetrics()
    ) async throws -> (store: any MetadataStore, cleanup: @Sendable () async -> Void) {
        if inMemory { return (InMemoryMetadataStore(), {}) }
        guard let adminURL = postgresURL, var components = URLComponents(string: adminURL)
        else {
            let store = try await SQLMetadataStore.sqlite(path: folder.appendingPathComponent("attache.sqlite").path, logger: logger, metrics: metrics)
            return (store, { await store.shutdown() })
        }
        let name = "http_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        let admin = try PostgresDatabase(url: adminURL, maximumConnections: 1, logger: logger)
        try await admin.read { db in try await db.raw("CREATE DATABASE \(ident: name)").run() }
        components.path = "/" + name
        let store = try await SQLMetadataStore.postgres(url: components.string ?? adminURL, logger: logger, metrics: metrics)
        return (store, {
            await store.shutdown()
            try? await admin.read { db in try await db.raw("DROP DATABASE \(ident: name) WITH (FORCE)").run() }
            await admin.shutdown()
        })
    }
}
