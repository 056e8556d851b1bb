public import SQLKit

/// The SQL engines the metadata store runs on.
public enum SQLFlavor: Sendable {
    case sqlite
    case postgres
}

/// Hands out database access for ``SQLMetadataStore``: plain reads, and write transactions that are
/// serialised with every other write transaction on the same database.
public protocol SQLDatabaseProvider: Sendable {
    var flavor: SQLFlavor { get }
    /// Runs single-statement reads (no transaction).
    func read<Result: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> Result) async throws -> Result
    /// Runs `body` in a write transaction: committed when it returns, rolled back when it throws.
    func write<Result: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> Result) async throws -> Result
    /// Runs `body` in a write transaction that other connections see as soon as it commits but that
    /// need not survive a power loss (SQLite in WAL mode: no fsync of this commit, the next durable one
    /// carries it; PostgreSQL: `synchronous_commit` off). For blob claims, which protect content only
    /// while their upload is alive: after a crash there is no upload left to protect.
    func writeVisible<Result: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> Result) async throws -> Result
    /// Runs a migration that rebuilds tables in a write transaction. SQLite suspends foreign key
    /// enforcement for it (a table that others reference cannot be dropped otherwise) and checks every
    /// key before committing; PostgreSQL runs it like ``write(_:)``.
    func migrate(_ body: @escaping @Sendable (any SQLDatabase) async throws -> Void) async throws
    /// Runs the database's own background work while it is open — PostgreSQL's connection pool — and
    /// returns when the task is cancelled (which stops that work) or when the work ends by itself.
    func run() async
    func shutdown() async
}

extension SQLDatabaseProvider {
    /// A database with no background work of its own (SQLite) waits until the task is cancelled.
    public func run() async {
        let (stream, continuation) = AsyncStream<Never>.makeStream()
        await withTaskCancellationHandler {
            for await _ in stream {}
        } onCancel: {
            continuation.finish()
        }
    }
}
