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
/// Other processes on the same file (the CLI while the server runs) wait on SQLite's busy timeout. More
/// connections serve reads concurrently, which WAL mode allows (``SQLiteReaderPool``). Every connection
/// keeps its compiled statements (``SQLiteHandle``).
public final class SQLiteDatabase: SQLDatabaseProvider {
    public var flavor: SQLFlavor { .sqlite }

    /// How long a connection waits for another process's lock before it fails.
    static let busyTimeoutMilliseconds: Int32 = 15_000

    private let writer: SQLiteHandle
    private let readers: SQLiteReaderPool
    private let gate: WriteGate
    private let queue: SQLiteWriteQueue
    private let blockingPool: NIOThreadPool
    private let logger: Logger

    private init(writer: SQLiteHandle, readers: SQLiteReaderPool, blockingPool: NIOThreadPool, logger: Logger) {
        self.writer = writer
        self.readers = readers
        self.blockingPool = blockingPool
        self.logger = logger
        let gate = WriteGate()
        self.gate = gate
        self.queue = SQLiteWriteQueue(
            database: SQLiteConnectionSQL(writer, execution: .caller, logger: logger),
            waiting: SQLiteConnectionSQL(writer, execution: .blockingPool(blockingPool), logger: logger),
            gate: gate,
            logger: logger
        )
    }

    /// Opens (creating if needed) the database file at `path`.
    /// - Parameter readerCount: connections opened for reads at once besides the writer (more open
    ///   when that many reads run together).
    public static func open(path: String, readerCount: Int = 4, logger: Logger) async throws -> SQLiteDatabase {
        let pool = NIOThreadPool.singleton
        let handles = try await pool.runIfActive {
            var opened: [SQLiteHandle] = []
            do {
                let writer = try openConnection(path: path)
                opened.append(writer)
                try writer.run("PRAGMA journal_mode = WAL", []) { _ in }
                for _ in 0..<max(readerCount, 1) {
                    opened.append(try openConnection(path: path))
                }
                return opened
            } catch {
                for handle in opened { handle.close() }
                throw error
            }
        }
        let readers = SQLiteReaderPool(Array(handles.dropFirst())) { try openConnection(path: path) }
        return SQLiteDatabase(writer: handles[0], readers: readers, blockingPool: pool, logger: logger)
    }

    private static func openConnection(path: String) throws -> SQLiteHandle {
        let handle = try SQLiteHandle.open(path: path, busyTimeoutMilliseconds: busyTimeoutMilliseconds)
        do {
            try handle.run("PRAGMA foreign_keys = ON", []) { _ in }
            try handle.run("PRAGMA synchronous = FULL", []) { _ in }
            // Statement journals (a group commit's savepoints) in memory, not written to a temporary file:
            // 5 % of a small upload's profile was their `pwrite`s.
            try handle.run("PRAGMA temp_store = MEMORY", []) { _ in }
            return handle
        } catch {
            handle.close()
            throw error
        }
    }

    public func read<Result: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> Result) async throws -> Result {
        try await readers.withHandle { handle in
            try await body(SQLiteConnectionSQL(handle, execution: .caller, logger: logger))
        }
    }

    public func write<Result: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> Result) async throws -> Result {
        try await queue.run(durable: true, body)
    }

    public func writeVisible<Result: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> Result) async throws -> Result {
        try await queue.run(durable: false, body)
    }

    public func migrate(_ body: @escaping @Sendable (any SQLDatabase) async throws -> Void) async throws {
        try await gate.withTurn {
            let db = SQLiteConnectionSQL(writer, execution: .blockingPool(blockingPool), logger: logger)
            try await db.raw("PRAGMA foreign_keys = OFF").run()
            do {
                try await db.inTransaction(begin: "BEGIN IMMEDIATE", logger: logger) { db in
                    try await body(db)
                    if let violation = try await db.raw("PRAGMA foreign_key_check").first() {
                        // allowed: the table name only labels the error thrown here
                        throw SQLiteMigrationError(table: (try? violation.decode(column: "table", as: String.self)) ?? "?")  // allowed: only labels the error
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
        // Behind the write gate, so no transaction is cut off; reads still running fail.
        await gate.withTurn { writer.close() }
        readers.close()
    }
}
