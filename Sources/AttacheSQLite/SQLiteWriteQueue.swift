import Logging
import SQLKit
import Synchronization

/// Group commit for the one writing connection: write transactions that arrive while a commit is under
/// way run together in the next one. Each runs in a `SAVEPOINT` of its own, so one that throws rolls back
/// only its own changes; the group ends with one `COMMIT`, which is one `fsync` of the write-ahead log for
/// all of them. Every caller resumes after that commit (its data durable, or visible for claims), with
/// its own result or error.
///
/// Measured on small uploads (BENCHMARKS.md): a commit and its `fsync` per transaction made the write
/// connection the queue every upload waited in.
final class SQLiteWriteQueue: Sendable {
    typealias Body = @Sendable (any SQLDatabase) async throws -> any Sendable

    /// The most transactions one commit carries, so a long queue still commits regularly.
    static let maximumGroup = 64

    private struct Job: Sendable {
        var body: Body
        /// `false` for transactions that need to be visible, not durable (``SQLiteDatabase/writeVisible(_:)``).
        var durable: Bool
        var continuation: CheckedContinuation<any Sendable, any Error>
    }

    private struct State {
        var pending: [Job] = []
        var draining = false
    }

    private let state = Mutex(State())
    /// The writing connection, where the transactions' own statements run (on the caller's thread).
    private let database: any SQLDatabase
    /// The same connection for the two statements that may wait: `BEGIN IMMEDIATE` (another
    /// process's lock) and `COMMIT` (its `fsync`), on the blocking pool.
    private let waiting: any SQLDatabase
    private let gate: WriteGate
    private let logger: Logger

    init(database: any SQLDatabase, waiting: any SQLDatabase, gate: WriteGate, logger: Logger) {
        self.database = database
        self.waiting = waiting
        self.gate = gate
        self.logger = logger
    }

    func run<Result: Sendable>(durable: Bool, _ body: @escaping @Sendable (any SQLDatabase) async throws -> Result) async throws -> Result {
        let value = try await withCheckedThrowingContinuation { continuation in
            let job = Job(body: { try await body($0) }, durable: durable, continuation: continuation)
            let startsDrain = state.withLock { state in
                state.pending.append(job)
                defer { state.draining = true }
                return !state.draining
            }
            if startsDrain {
                Task { await self.drain() }
            }
        }
        guard let result = value as? Result else {
            throw SQLiteWriteQueueError.unexpectedResult
        }
        return result
    }

    private func drain() async {
        while true {
            let group: [Job] = state.withLock { state in
                let taken = Array(state.pending.prefix(Self.maximumGroup))
                state.pending.removeFirst(taken.count)
                if taken.isEmpty { state.draining = false }
                return taken
            }
            guard !group.isEmpty else { return }
            await commit(group)
        }
    }

    /// Runs `group` in one transaction and resumes every job.
    private func commit(_ group: [Job]) async {
        var outcomes: [Swift.Result<any Sendable, any Error>] = []
        do {
            try await gate.withTurn {
                let durable = group.contains { $0.durable }
                // NORMAL in WAL mode: the commit is not fsynced, and never corrupts the file (sqlite.org/pragma).
                if !durable { try await database.raw("PRAGMA synchronous = NORMAL").run() }
                do {
                    try await waiting.raw("BEGIN IMMEDIATE").run()
                    if group.count == 1 {
                        // Alone, a job needs no savepoint: if it throws, the whole transaction rolls back.
                        outcomes.append(.success(try await group[0].body(database)))
                    } else {
                        for job in group {
                            outcomes.append(try await runInSavepoint(job))
                        }
                    }
                    try await waiting.raw("COMMIT").run()
                } catch {
                    await rollBack()
                    if !durable { try await database.raw("PRAGMA synchronous = FULL").run() }
                    throw error
                }
                if !durable { try await database.raw("PRAGMA synchronous = FULL").run() }
            }
        } catch {
            // The transaction as a whole failed: nothing of it is committed, whatever each body returned.
            for job in group { job.continuation.resume(throwing: error) }
            return
        }
        for (job, outcome) in zip(group, outcomes) {
            job.continuation.resume(with: outcome)
        }
    }

    /// Runs one job's body in a savepoint: released when it returns, rolled back when it throws.
    /// - Throws: only when the savepoint itself fails, which ends the whole group.
    private func runInSavepoint(_ job: Job) async throws -> Swift.Result<any Sendable, any Error> {
        try await database.raw("SAVEPOINT job").run()
        do {
            let value = try await job.body(database)
            try await database.raw("RELEASE job").run()
            return .success(value)
        } catch {
            try await database.raw("ROLLBACK TO job").run()
            try await database.raw("RELEASE job").run()
            return .failure(error)
        }
    }

    private func rollBack() async {
        do {
            try await database.raw("ROLLBACK").run()
        } catch {
            logger.error("ROLLBACK failed", metadata: ["error": "\(String(reflecting: error))"])
        }
    }
}

enum SQLiteWriteQueueError: Error {
    /// A transaction's result came back as another type (a defect, never expected).
    case unexpectedResult
}
