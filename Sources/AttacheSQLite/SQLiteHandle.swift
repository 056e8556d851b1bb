import CAttacheSQLite
import SQLiteKit
import Synchronization
import VaporCSQLite

/// One SQLite connection of this store, which keeps its compiled statements for reuse and runs each
/// statement on the calling thread.
///
/// sqlite-nio compiles, runs and finalises every statement on a thread of NIO's pool and hands the
/// result back: profiled (BENCHMARKS.md), compiling was 4–11 % of a one-row read and the two thread
/// hand-offs per statement most of the rest of the database's share. A handle is used by one caller
/// at a time — the reader pool hands it out, the writer is behind the write gate —; its lock makes
/// that a guarantee rather than an assumption.
final class SQLiteHandle: Sendable {
    /// The most statements a connection keeps compiled; past it, they are all dropped and compiled
    /// again as they come. The store binds every value, so its texts are few; `IN` lists of different
    /// lengths and page sizes are what make more.
    static let statementLimit = 256

    fileprivate struct State {
        var connection: OpaquePointer?
        var statements: [String: SQLitePreparedStatement] = [:]
    }

    private static let initialization = Mutex(false)

    private let state: Mutex<State>
    private let decoder = SQLiteDataDecoder()

    private init(connection: sending OpaquePointer) {
        state = Mutex(State(connection: connection))
    }

    /// Opens (creating if needed) the database file at `path`, waiting up to `busyTimeoutMilliseconds`
    /// for another connection's lock.
    static func open(path: String, busyTimeoutMilliseconds: Int32) throws -> SQLiteHandle {
        initialization.withLock { initialized in
            // sqlite3_open_v2 initialises the library too, but not safely from two threads at once.
            if !initialized {
                _ = sqlite_nio_sqlite3_initialize()
                initialized = true
            }
        }
        var connection: OpaquePointer?
        let flags = SQLITE_OPEN_CREATE | SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE
        let result = sqlite_nio_sqlite3_open_v2(path, &connection, flags, nil)
        guard result == SQLITE_OK, let connection else {
            let message = connection.flatMap { sqlite_nio_sqlite3_errmsg($0) }.map { String(cString: $0) }
            sqlite_nio_sqlite3_close_v2(connection)
            throw SQLiteCallError(code: result, message: message ?? "cannot open \(path)", sql: nil)
        }
        sqlite_nio_sqlite3_busy_timeout(connection, busyTimeoutMilliseconds)
        guard attache_sqlite_enable_stable_plans(UnsafeMutableRawPointer(connection)) == 1 else {
            sqlite_nio_sqlite3_close_v2(connection)
            throw SQLiteCallError(code: SQLITE_ERROR, message: "cannot turn on stable query plans", sql: nil)
        }
        guard attache_sqlite_add_rank_function(UnsafeMutableRawPointer(connection)) == 1 else {
            sqlite_nio_sqlite3_close_v2(connection)
            throw SQLiteCallError(code: SQLITE_ERROR, message: "cannot add the search ranking function (FTS5 missing)", sql: nil)
        }
        return SQLiteHandle(connection: connection)
    }

    /// Runs `sql` with `binds`, handing each result row to `onRow` as it is stepped to.
    func run(_ sql: String, _ binds: [SQLiteData], _ onRow: (SQLiteResultRow) -> Void) throws {
        try state.withLock { state in
            guard let connection = state.connection else {
                throw SQLiteCallError(code: SQLITE_MISUSE, message: "the connection is closed", sql: sql)
            }
            let statement = try state.statement(sql, on: connection)
            defer { statement.reset() }
            try statement.bind(binds, on: connection, sql: sql)
            while let values = try statement.step(on: connection, sql: sql) {
                onRow(SQLiteResultRow(columns: statement.columns, values: values, decoder: decoder))
            }
        }
    }

    /// Finalises every kept statement and closes the connection; later runs fail.
    func close() {
        state.withLock { state in
            state.dropStatements()
            sqlite_nio_sqlite3_close_v2(state.connection)
            state.connection = nil
        }
    }

    /// How many statements the connection keeps compiled now.
    var keptStatementCount: Int {
        state.withLock { $0.statements.count }
    }

    /// How often SQLite compiled the kept statement for `sql` again since it was first compiled.
    func recompilations(of sql: String) -> Int32? {
        state.withLock { state in
            state.statements[sql].map { sqlite_nio_sqlite3_stmt_status($0.raw, SQLITE_STMTSTATUS_REPREPARE, 0) }
        }
    }

    static func error(_ code: Int32, on connection: OpaquePointer, sql: String?) -> SQLiteCallError {
        let message = sqlite_nio_sqlite3_errmsg(connection).map { String(cString: $0) } ?? "unknown error"
        let extended = sqlite_nio_sqlite3_extended_errcode(connection)
        return SQLiteCallError(code: extended == SQLITE_OK ? code : extended, message: message, sql: sql)
    }
}

extension SQLiteHandle.State {
    fileprivate mutating func statement(_ sql: String, on connection: OpaquePointer) throws -> SQLitePreparedStatement {
        if let kept = statements[sql] { return kept }
        if statements.count >= SQLiteHandle.statementLimit { dropStatements() }
        let statement = try SQLitePreparedStatement.prepare(sql, on: connection)
        statements[sql] = statement
        return statement
    }

    fileprivate mutating func dropStatements() {
        for statement in statements.values { statement.finalize() }
        statements.removeAll()
    }
}
