import Synchronization
import VaporCSQLite

/// The connections that serve reads: each read takes one for itself, and one more is opened when
/// every connection is taken (reads run on the caller's thread, so there are never more than threads
/// reading at once).
final class SQLiteReaderPool: Sendable {
    private struct State {
        var idle: [SQLiteHandle]
        var all: [SQLiteHandle]
        var closed = false
    }

    private let state: Mutex<State>
    private let open: @Sendable () throws -> SQLiteHandle

    init(_ handles: [SQLiteHandle], open: @escaping @Sendable () throws -> SQLiteHandle) {
        state = Mutex(State(idle: handles, all: handles))
        self.open = open
    }

    /// Runs `body` with a connection no other read uses meanwhile.
    func withHandle<Result>(_ body: (SQLiteHandle) async throws -> Result) async throws -> Result {
        let handle = try take()
        defer { state.withLock { $0.idle.append(handle) } }
        return try await body(handle)
    }

    /// Closes every connection; reads after this fail.
    func close() {
        let handles = state.withLock { state in
            state.closed = true
            return state.all
        }
        for handle in handles { handle.close() }
    }

    private func take() throws -> SQLiteHandle {
        let taken = try state.withLock { state -> SQLiteHandle? in
            guard !state.closed else {
                throw SQLiteCallError(code: SQLITE_MISUSE, message: "the database is closed", sql: nil)
            }
            return state.idle.popLast()
        }
        if let taken { return taken }
        let handle = try open()
        let closed = state.withLock { state in
            if !state.closed { state.all.append(handle) }
            return state.closed
        }
        if closed {
            handle.close()
            throw SQLiteCallError(code: SQLITE_MISUSE, message: "the database is closed", sql: nil)
        }
        return handle
    }
}
