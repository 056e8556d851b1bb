/// Why derived work did not succeed, as a deriver reports it: whether trying again can help decides
/// between a retry later and a failure recorded for good.
public struct DerivationFailure: Error, Sendable, Hashable, CustomStringConvertible {
    /// What was wrong, for the job's record and the log: never content, never a secret.
    public var reason: String
    /// `true`: the content cannot be worked (malformed, a bomb, a tool that crashed or hung on it);
    /// `false`: something passing (storage unreachable) — the job is tried again after a backoff.
    public var isPermanent: Bool

    public init(reason: String, isPermanent: Bool) {
        self.reason = reason
        self.isPermanent = isPermanent
    }

    public static func permanent(_ reason: String) -> DerivationFailure { DerivationFailure(reason: reason, isPermanent: true) }
    public static func transient(_ reason: String) -> DerivationFailure { DerivationFailure(reason: reason, isPermanent: false) }

    /// Quarantined content (malware found in it, or its bytes damaged) is never handed to a tool: its
    /// jobs end so when it is quarantined, and none is queued for it while it stays so. The stores
    /// record this reason, and queue the jobs again when damaged content is restored.
    public static let quarantined = DerivationFailure.permanent("the content is quarantined")

    public var description: String { reason }
}
