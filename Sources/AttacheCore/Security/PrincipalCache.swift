import Foundation
import Synchronization

/// Remembers which caller a token hash stands for, for a few seconds, so that authenticating a request
/// does not cost a database query each time.
///
/// A revoked token keeps working for at most ``lifetime`` on a server that had it cached (the CLI
/// revokes in another process); a token's own expiry is always respected.
final class PrincipalCache: Sendable {
    private struct Entry {
        var principal: Principal
        var validUntil: Date
    }

    /// How long an entry is trusted.
    let lifetime: TimeInterval
    /// Entries kept at most; the cache empties when it would grow past this.
    let capacity: Int
    private let entries = Mutex<[String: Entry]>([:])

    init(lifetime: TimeInterval, capacity: Int = 10_000) {
        self.lifetime = lifetime
        self.capacity = capacity
    }

    func principal(forHash hash: String, now: Date = Date()) -> Principal? {
        entries.withLock { entries in
            guard let entry = entries[hash] else { return nil }
            guard entry.validUntil > now else {
                entries[hash] = nil
                return nil
            }
            return entry.principal
        }
    }

    func remember(_ principal: Principal, forHash hash: String, tokenExpiresAt: Date?, now: Date = Date()) {
        guard lifetime > 0 else { return }
        let validUntil = min(now.addingTimeInterval(lifetime), tokenExpiresAt ?? .distantFuture)
        entries.withLock { entries in
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[hash] = Entry(principal: principal, validUntil: validUntil)
        }
    }
}
