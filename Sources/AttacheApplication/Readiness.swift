import Synchronization

/// Whether the server takes new work: `/readyz` answers 503 once draining has begun, so a load
/// balancer sends new requests elsewhere while those in flight finish.
public final class Readiness: Sendable {
    private let draining = Atomic<Bool>(false)

    public init() {}

    /// Marks the server as leaving: `/readyz` answers 503 from now on.
    public func beginDraining() {
        draining.store(true, ordering: .relaxed)
    }

    public var isDraining: Bool {
        draining.load(ordering: .relaxed)
    }
}
