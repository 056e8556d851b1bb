import Synchronization

/// How many uploads one node may hold more than a little of in memory at once.
///
/// An object is sent as one `PUT` when it is small or as a multipart upload of 5 MiB parts (S3's
/// smallest), so each upload buffers up to a part before it can send anything. Bounded per upload, but
/// 64 concurrent uploads held 430 MB (BENCHMARKS.md). A writer takes one of ``limit`` places before it
/// buffers past ``S3BlobWriter/smallLimit`` and keeps it until its object is complete or abandoned;
/// the others wait, and their clients' bodies wait with them (the request reads no more meanwhile).
/// A node's upload buffers therefore stay under `limit × (part + chunk) + uploads × smallLimit`.
final class S3UploadBuffers: Sendable {
    private struct State {
        var free: Int
        var waiting: [(id: UInt64, continuation: CheckedContinuation<Void, any Error>)] = []
        var nextID: UInt64 = 0
    }

    let limit: Int
    private let state: Mutex<State>

    init(limit: Int) {
        precondition(limit > 0, "an upload buffer budget needs at least one place")
        self.limit = limit
        state = Mutex(State(free: limit))
    }

    /// Takes a place, waiting for one to be given back when none is free.
    /// - Throws: `CancellationError` when the task is cancelled while it waits (no place is taken).
    func acquire() async throws {
        let id = state.withLock { state -> UInt64 in
            state.nextID += 1
            return state.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                // Decided under the lock: a cancellation handled before this point is seen here (the
                // flag is set before the handler runs), one after finds the continuation waiting.
                enum Outcome { case granted, cancelled, waiting }
                let outcome = state.withLock { state -> Outcome in
                    if Task.isCancelled { return .cancelled }
                    if state.free > 0 {
                        state.free -= 1
                        return .granted
                    }
                    state.waiting.append((id, continuation))
                    return .waiting
                }
                switch outcome {
                case .granted: continuation.resume()
                case .cancelled: continuation.resume(throwing: CancellationError())
                case .waiting: break
                }
            }
        } onCancel: {
            let cancelled = state.withLock { state -> CheckedContinuation<Void, any Error>? in
                guard let index = state.waiting.firstIndex(where: { $0.id == id }) else { return nil }
                return state.waiting.remove(at: index).continuation
            }
            cancelled?.resume(throwing: CancellationError())
        }
    }

    /// Gives a place back, to the longest waiting writer if any.
    func release() {
        let next = state.withLock { state -> CheckedContinuation<Void, any Error>? in
            if state.waiting.isEmpty {
                state.free += 1
                return nil
            }
            return state.waiting.removeFirst().continuation
        }
        next?.resume()
    }

    /// Places taken now (for tests).
    var inUse: Int { state.withLock { limit - $0.free } }

    /// Writers waiting for a place now (for tests).
    var waiting: Int { state.withLock { $0.waiting.count } }
}
