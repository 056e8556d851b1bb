public import Foundation

/// How many password attempts one client gets on one share, counted in the metadata store so that
/// every node counts the same attempts: a client that spreads its guesses over a cluster's nodes gets
/// no more of them than one that stays on one node.
///
/// An attempt is counted when it is admitted, before its password is checked, so attempts racing on
/// several nodes take one place each and no more than ``allowedAttempts`` are ever checked (hashed)
/// before the lock-out. The first attempt refused starts a lock-out of ``firstLockout``; each attempt
/// admitted after one runs out locks the client out again at once, twice as long each time (up to
/// ``longestLockout``), which a right password lifts (the store forgets the client).
public struct PasswordGuessLimit: Sendable, Hashable {
    /// A client's attempts on one share, as the store keeps them.
    public struct Attempts: Sendable, Hashable {
        public var count: Int64
        public var lockedUntil: Date?

        public init(count: Int64 = 0, lockedUntil: Date? = nil) {
            self.count = count
            self.lockedUntil = lockedUntil
        }
    }

    public var allowedAttempts: Int64
    public var firstLockout: TimeInterval
    public var longestLockout: TimeInterval

    public init(allowedAttempts: Int64 = 10, firstLockout: TimeInterval = 60, longestLockout: TimeInterval = 900) {
        self.allowedAttempts = allowedAttempts
        self.firstLockout = firstLockout
        self.longestLockout = longestLockout
    }

    /// Decides one attempt from the client's attempts so far.
    /// - Returns: the attempts to keep, and when the client may try again if this attempt is refused
    ///   (`nil`: admitted, go on and check the password).
    public func admit(_ attempts: Attempts?, now: Date) -> (attempts: Attempts, refusedUntil: Date?) {
        var attempts = attempts ?? Attempts()
        if let until = attempts.lockedUntil, until > now {
            return (attempts, until)
        }
        if attempts.count >= allowedAttempts, attempts.lockedUntil == nil {
            let until = now.addingTimeInterval(firstLockout)
            attempts.lockedUntil = until
            return (attempts, until)
        }
        attempts.count += 1
        let over = attempts.count - allowedAttempts
        if over > 0 {
            // Past the first lock-out: this attempt may be checked, and a wrong one is locked out longer.
            let doubled = firstLockout * Double(Int64(1) << min(over, 20))
            attempts.lockedUntil = now.addingTimeInterval(min(doubled, longestLockout))
        }
        return (attempts, nil)
    }
}
