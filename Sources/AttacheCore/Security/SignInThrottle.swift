import Synchronization

/// Slows down guessing: after `allowedFailures` failed sign-ins of one identifier, each further attempt
/// within the lock-out is refused, and every new failure doubles the lock-out (up to 15 minutes). A
/// success clears the identifier. In memory, per node.
///
/// Every refused sign-in is answered no sooner than `failureTime` after it arrived, so the answer's
/// time does not tell a known identifier (whose failure is audited in its tenant) from an unknown one.
final class SignInThrottle: Sendable {
    let allowedFailures: Int
    let firstLockout: Duration
    let failureTime: Duration
    let longestLockout: Duration = .seconds(900)
    let capacity = 50_000

    private struct Record {
        var failures: Int
        var lockedUntil: ContinuousClock.Instant?
        /// Attempts admitted by ``admit(_:now:)`` whose verdict is not in yet.
        var pending = 0
    }

    private let records = Mutex<[String: Record]>([:])

    init(allowedFailures: Int = 5, firstLockout: Duration = .seconds(1), failureTime: Duration = .milliseconds(100)) {
        self.allowedFailures = allowedFailures
        self.firstLockout = firstLockout
        self.failureTime = failureTime
    }

    /// Waits until `failureTime` has passed since `arrival` (at once if it has).
    func holdRefusal(since arrival: ContinuousClock.Instant) async throws {
        try await Task.sleep(until: arrival + failureTime, clock: .continuous)
    }

    /// Seconds the identifier must still wait; `nil` when it may try now.
    func wait(for identifier: String, now: ContinuousClock.Instant = .now) -> Int? {
        records.withLock { records in
            guard let until = records[identifier]?.lockedUntil, until > now else { return nil }
            let left = until - now
            return max(1, Int(left.components.seconds) + (left.components.attoseconds > 0 ? 1 : 0))
        }
    }

    /// Admits one attempt, counting it until its verdict (``failed(_:now:)``, ``succeeded(_:)`` or
    /// ``abandoned(_:)``): however many attempts race, no more than `allowedFailures + 1` are checked
    /// before a lock-out, so an expensive check (a slow password hash) runs that often at most.
    /// - Returns: seconds to wait when the attempt is refused; `nil` when admitted.
    func admit(_ identifier: String, now: ContinuousClock.Instant = .now) -> Int? {
        records.withLock { records in
            var record = records[identifier] ?? Record(failures: 0, lockedUntil: nil)
            if let until = record.lockedUntil, until > now {
                let left = until - now
                return max(1, Int(left.components.seconds) + (left.components.attoseconds > 0 ? 1 : 0))
            }
            // Attempts in flight that could each still fail take the places left before the lock-out.
            guard record.failures + record.pending <= allowedFailures else { return 1 }
            if records.count >= capacity, records[identifier] == nil { records.removeAll(keepingCapacity: true) }
            record.pending += 1
            records[identifier] = record
            return nil
        }
    }

    /// An admitted attempt ended without a verdict (its check failed for another reason).
    func abandoned(_ identifier: String) {
        records.withLock { records in
            if var record = records[identifier] {
                record.pending = max(record.pending - 1, 0)
                records[identifier] = record
            }
        }
    }

    func failed(_ identifier: String, now: ContinuousClock.Instant = .now) {
        records.withLock { records in
            if records.count >= capacity, records[identifier] == nil { records.removeAll(keepingCapacity: true) }
            var record = records[identifier] ?? Record(failures: 0, lockedUntil: nil)
            record.pending = max(record.pending - 1, 0)
            record.failures += 1
            let over = record.failures - allowedFailures
            if over > 0 {
                let lockout = firstLockout * (1 << min(over - 1, 20))
                record.lockedUntil = now + min(lockout, longestLockout)
            }
            records[identifier] = record
        }
    }

    func succeeded(_ identifier: String) {
        records.withLock { records in records[identifier] = nil }
    }
}
