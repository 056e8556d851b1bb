import Synchronization

/// Hands out reader connection indexes round-robin.
final class ReaderCursor: Sendable {
    private let counter = Atomic<Int>(0)

    func next(modulo count: Int) -> Int {
        let value = counter.add(1, ordering: .relaxed).newValue
        return (value & Int.max) % count
    }
}
