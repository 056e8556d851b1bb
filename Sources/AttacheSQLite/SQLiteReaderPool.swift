import Synchronization

/// The connections that serve reads: each read takes one for itself, and one more is opened when
/// every connection is taken (reads run on the caller's thread, so there are never more than threads
/// reading at once).
final class SQLiteReaderPool: Sendable {
    private let idle: Mutex<[SQLiteHandle]>
    private let all: Mutex<[SQLiteHandle]>
    private let open: @Sendable () throws -> SQLiteHandle

    init(_ handles: [SQLiteHandle], open: @escaping @Sendable () throws -> SQLiteHandle) {
        idle = Mutex(handles)
        all = Mutex(handles)
        self.open = open
    }

    /// Runs `body` with a connection no other read uses meanwhile.
    func withHandle<Result>(_ body: (SQLiteHandle) async throws -> Result) async throws -> Result {
        let handle = try take()
        defer { idle.withLock { $0.append(handle) } }
        return try await body(handle)
    }

    /// Closes every connection; reads after this fail.
    func close() {
        for handle in all.withLock({ $0 }) { handle.close() }
    }

    private func take() throws -> SQLiteHandle {
        if let handle = idle.withLock({ $0.popLast() }) { return handle }
        let handle = try open()
        all.withLock { $0.append(handle) }
        return handle
    }
}
