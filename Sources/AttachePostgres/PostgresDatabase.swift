public import AttacheSQL
import Foundation
public import Logging
import NIOSSL
import PostgresKit
import SQLKit

/// A PostgreSQL database for ``SQLMetadataStore``, shared by any number of stateless Attache nodes.
///
/// Connections come from PostgresNIO's `PostgresClient` pool, which runs in a task of its own until
/// ``shutdown()``. Each write runs in its own transaction; concurrent writers are ordered by the locks
/// described in `SQLFlavor+Locking.swift`.
public final class PostgresDatabase: SQLDatabaseProvider {
    public var flavor: SQLFlavor { .postgres }

    private let client: PostgresClient
    private let runner: Task<Void, Never>
    private let logger: Logger

    /// - Parameter url: `postgres://user:password@host:port/database`, optionally `?sslmode=disable|prefer|require`
    ///   (default `prefer`).
    public init(url: String, maximumConnections: Int = 20, logger: Logger) throws {
        var configuration = try Self.configuration(from: url)
        configuration.options.maximumConnections = maximumConnections
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        self.client = client
        // Start the pool before the first lease, so that no request waits on a pool not yet running.
        if #available(macOS 26, *) {
            self.runner = Task.immediate { await client.run() }
        } else {
            self.runner = Task { await client.run() }
        }
        self.logger = logger
    }

    public func read<Result: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> Result) async throws -> Result {
        try await client.withConnection { connection in try await body(connection.sql()) }
    }

    public func write<Result: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> Result) async throws -> Result {
        try await client.withConnection { connection in
            try await connection.sql().inTransaction(logger: logger, body)
        }
    }

    public func writeVisible<Result: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> Result) async throws -> Result {
        try await write { db in
            try await db.raw("SET LOCAL synchronous_commit = off").run()
            return try await body(db)
        }
    }

    public func migrate(_ body: @escaping @Sendable (any SQLDatabase) async throws -> Void) async throws {
        try await write(body)
    }

    /// Waits on the connection pool's loop, which was started when the database was opened (migrations
    /// need connections before a server runs); cancelling stops the pool.
    public func run() async {
        let runner = runner
        await withTaskCancellationHandler {
            await runner.value
        } onCancel: {
            runner.cancel()
        }
    }

    public func shutdown() async {
        runner.cancel()
        await runner.value
    }

    /// Reads host, port, user, password, database and `sslmode` from a `postgres://` URL.
    static func configuration(from url: String) throws -> PostgresClient.Configuration {
        guard let components = URLComponents(string: url), ["postgres", "postgresql"].contains(components.scheme ?? ""),
            let host = components.host, let user = components.user
        else {
            throw PostgresURLError(url: url)
        }
        let database = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        let mode = components.queryItems?.first { $0.name == "sslmode" }?.value ?? "prefer"
        let tls: PostgresClient.Configuration.TLS
        switch mode {
        case "disable": tls = .disable
        case "require", "verify-full": tls = .require(.makeClientConfiguration())
        default: tls = .prefer(.makeClientConfiguration())
        }
        return PostgresClient.Configuration(
            host: host,
            port: components.port ?? 5432,
            username: user.removingPercentEncoding ?? user,
            password: components.password?.removingPercentEncoding,
            database: database.isEmpty ? nil : database,
            tls: tls
        )
    }
}

/// A database URL Attache cannot use.
struct PostgresURLError: Error, CustomStringConvertible {
    var url: String
    var description: String { "Not a postgres:// URL with a host and a user." }
}
