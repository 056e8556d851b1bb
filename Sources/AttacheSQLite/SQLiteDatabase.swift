public import AttacheSQL
import Logging
import NIOCore
import NIOPosix
import SQLKit
import SQLiteKit

/// A SQLite database file opened for ``SQLMetadataStore``.
///
/// One connection writes, serialised by a ``WriteGate`` and `BEGIN IMMEDIATE`, so write transactions of
/// this process never contend; those that arrive together share one commit (``SQLiteWriteQueue``).
/// Other processes on the same file (the CLI while the server runs) wait on SQLite's busy timeout. A few
/// more connections serve reads concurrently, which WAL mode allows.
public final class SQLiteDatabase: SQLDatabaseProvider {
    public var flavor: SQLFlavor { .sqlite }

    private let writer: SQLiteConnection
    private let readers: [SQLiteConnection]
    private let readerSQL: [SQLiteConnectionSQL]
    private let gate: WriteGate
    private let queue: SQLiteWriteQueue
    private let nextReader = ReaderCursor()
    private let logger: Logger

    private init(writer: SQLiteConnection, readers: [SQLiteConnection], logger: Logger) {
        self.writer = writer
        self.readers = readers
        self.logger = logger
        let gate = WriteGate()
        self.gate = gate
        self.queue = SQLiteWriteQueue(database: SQLiteConnectionSQL(writer), gate: gate, logger: logger)
        self.readerSQL = readers.map(SQLiteConnectionSQL.init)
    }

    /// Opens (creating if needed) the database file at `path`.
    /// - Parameter readerCount: connections used for reads besides the writer.
    public static func open(path: String, readerCount: Int = 4, logger: Logger) async throws -> SQLiteDatabase {
        var opened: [SQLiteConnection] = []
        do {
            let writer = try await openConnection(path: path, logger: logger)
            opened.append(writer)
            try await writer.sql().raw("PRAGMA journal_mode = WAL").run()
            for _ in 0..<max(readerCount, 1) {
                opened.append(try await openConnection(path: path, logger: logger))
            }
            return SQLiteDatabase(writer: writer, readers: Array(opened.dropFirst()), logger: logger)
        } catch {
            for connection in opened {
                // allowed: closing what opened before the failure that is rethrown below
                try? await connection.close()
            }
            throw error
        }
    }

    private static func openConnection(path: String, logger: Logger) async throws -> SQLiteConnection {
        let connection = try await SQLiteConnection.open(storage: .file(path: path), logger: logger)
        let db = connection.sql()
        try await db.raw("PRAGMA busy_timeout = 15000").run()
        try await db.raw("PRAGMA foreign_keys = ON").run()
        try await db.raw("PRAGMA synchronous = FULL").run()
        return connection
    }

    public func read<Result: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> Result) async throws -> Result {
        try await body(readerSQL[nextReader.next(modulo: readerSQL.count)])
    }

    public func write<Result: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> Result) async throws -> Result {
        try await queue.run(durable: true, body)
    }

    public func writeVisible<Result: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> Result) async throws -> Result {
        try await queue.run(durable: false, body)
    }

    public func migrate(_ body: @escaping @Sendable (any SQLDatabase) async throws -> Void) async throws {
        try await gate.withTurn {
            let db = SQLiteConnectionSQL(writer)
            try await db.raw("PRAGMA foreign_keys = OFF").run()
            do {
                try await db.inTransaction(begin: "BEGIN IMMEDIATE", logger: logger) { db in
                    try await body(db)
                    if let violation = try await db.raw("PRAGMA foreign_key_check").first() {
                        // allowed: the table name only labels the error thrown here
                        throw SQLiteMigrationError(table: (try? violation.decode(column: "table", as: String.self)) ?? "?")
                    }
                }
                try await db.raw("PRAGMA foreign_keys = ON").run()
            } catch {
                try await db.raw("PRAGMA foreign_keys = ON").run()
                throw error
            }
        }
    }

    public func shutdown() async {
        for connection in [writer] + readers {
            // allowed: shutting down; a connection that fails to close has nothing left to lose
            try? await connection.close()
        }
    }
}
