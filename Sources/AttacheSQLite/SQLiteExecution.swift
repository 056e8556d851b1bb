import NIOPosix

/// Where a connection's statements run.
enum SQLiteExecution: Sendable {
    /// On the calling thread: statements that work in memory and the page cache — every read in WAL
    /// mode, and the statements inside a write transaction this process already holds.
    case caller
    /// On a thread of NIO's blocking pool: statements that may wait — `BEGIN IMMEDIATE` for another
    /// process's write lock (up to the busy timeout), `COMMIT` for its `fsync`.
    case blockingPool(NIOThreadPool)

    func run<Result: Sendable>(_ work: @escaping @Sendable () throws -> Result) async throws -> Result {
        switch self {
        case .caller:
            return try work()
        case .blockingPool(let pool):
            return try await pool.runIfActive(work)
        }
    }
}
