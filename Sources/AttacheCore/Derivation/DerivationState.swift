/// Where a derived job stands.
public enum DerivationState: String, Sendable, Hashable, CaseIterable, Codable {
    /// Waiting to be worked (first, or again after a failure in passing).
    case queued
    /// A node holds it under a lease.
    case running
    /// Its work is recorded.
    case done
    /// It failed for good (until a rebuild queues it again).
    case failed
}
