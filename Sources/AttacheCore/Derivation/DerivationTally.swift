/// How many attempts at derived jobs ended each way (``AttacheService/workDerivationQueue(_:deriver:)``).
public struct DerivationTally: Sendable, Hashable {
    public var done = 0
    public var retried = 0
    public var failed = 0
    public var superseded = 0

    public init() {}

    mutating func count(_ end: DerivationEnd) {
        switch end {
        case .done: done += 1
        case .retried: retried += 1
        case .failed: failed += 1
        case .superseded: superseded += 1
        }
    }

    mutating func add(_ other: DerivationTally) {
        done += other.done
        retried += other.retried
        failed += other.failed
        superseded += other.superseded
    }
}
