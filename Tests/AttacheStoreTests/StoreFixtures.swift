import AttacheCore
import AttacheDiskStore
import AttacheInMemoryStore
import AttachePostgres
import AttacheS3
import AttacheSQL
import AttacheSQLite
import Foundation
import Logging

/// The metadata store implementations the contract suite runs against: SQLite, the in-memory fake, and
/// PostgreSQL when `ATTACHE_TEST_POSTGRES_URL` names a server (scripts/test.sh starts one); each test
/// gets a database of its own there.
enum MetadataStoreKind: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqlite
    case postgres
    case memory

    static var allCases: [MetadataStoreKind] {
        sqlCases + [.memory]
    }

    /// The SQL stores (for what only they have: a schema and its migrations).
    static var sqlCases: [MetadataStoreKind] {
        postgresURL == nil ? [.sqlite] : [.sqlite, .postgres]
    }

    static var postgresURL: String? {
        ProcessInfo.processInfo.environment["ATTACHE_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    var testDescription: String { rawValue }

    /// A fresh, migrated, empty store, and how to dispose of it.
    func make() async throws -> (store: any MetadataStore, cleanup: @Sendable () async -> Void) {
        if self == .memory { return (InMemoryMetadataStore(), {}) }
        let (store, cleanup) = try await makeUnmigrated()
        do {
            try await store.migrate()
        } catch {
            await cleanup()
            throw error
        }
        return (store, cleanup)
    }

    /// A store on a fresh, empty database no migration has run on, and how to dispose of it.
    func makeUnmigrated() async throws -> (store: SQLMetadataStore, cleanup: @Sendable () async -> Void) {
        switch self {
        case .memory:
            throw TestSetupError("the in-memory store has no schema to migrate")
        case .sqlite:
            let folder = try TemporaryFolder()
            let database = try await SQLiteDatabase.open(path: folder.url.appendingPathComponent("meta.sqlite").path, logger: Logger(label: "test"))
            let store = SQLMetadataStore(database: database)
            return (store, {
                await store.shutdown()
                folder.remove()
            })
        case .postgres:
            guard let adminURL = Self.postgresURL, var components = URLComponents(string: adminURL) else {
                throw TestSetupError("ATTACHE_TEST_POSTGRES_URL is not set")
            }
            let name = "contract_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
            let admin = try PostgresDatabase(url: adminURL, maximumConnections: 1, logger: Logger(label: "test"))
            try await admin.read { db in try await db.raw("CREATE DATABASE \(ident: name)").run() }
            components.path = "/" + name
            let store = SQLMetadataStore(database: try PostgresDatabase(url: components.string ?? adminURL, logger: Logger(label: "test")))
            return (store, {
                await store.shutdown()
                try? await admin.read { db in try await db.raw("DROP DATABASE \(ident: name) WITH (FORCE)").run() }
                await admin.shutdown()
            })
        }
    }
}

struct TestSetupError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// The blob store implementations the contract suite runs against. S3 joins when
/// `ATTACHE_TEST_S3_ENDPOINT` names an S3-compatible server (scripts/test.sh starts moto); each test
/// gets a bucket of its own there.
enum BlobStoreKind: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case disk
    case s3

    static var allCases: [BlobStoreKind] {
        s3Endpoint == nil ? [.disk] : [.disk, .s3]
    }

    static var s3Endpoint: String? {
        ProcessInfo.processInfo.environment["ATTACHE_TEST_S3_ENDPOINT"].flatMap { $0.isEmpty ? nil : $0 }
    }

    var testDescription: String { rawValue }

    func make() async throws -> (store: any BlobStore, cleanup: @Sendable () async -> Void) {
        switch self {
        case .disk:
            let folder = try TemporaryFolder()
            let store = try await DiskBlobStore(root: folder.url.path)
            return (store, { folder.remove() })
        case .s3:
            guard let endpoint = Self.s3Endpoint else { throw TestSetupError("ATTACHE_TEST_S3_ENDPOINT is not set") }
            let bucket = "contract-" + UUID().uuidString.lowercased().prefix(18)
            let store = S3BlobStore(configuration: S3Configuration(
                endpoint: endpoint, bucket: String(bucket), region: "us-east-1", accessKeyID: "test", secretAccessKey: "test"
            ))
            try await store.ensureBucket()
            return (store, {})
        }
    }
}

struct TemporaryFolder: Sendable {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("attache-store-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func remove() {
        try? FileManager.default.removeItem(at: url)
    }
}

import Testing
