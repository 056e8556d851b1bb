import Synchronization

/// Metric handles made once per label set: making one asks the factory to look its labels up, which
/// cost more per request than recording into it.
final class MetricHandleCache<Key: Hashable & Sendable, Handles: Sendable>: Sendable {
    private let handles = Mutex<[Key: Handles]>([:])

    /// The handles of `key`, made with `make` the first time.
    func handles(for key: Key, make: () -> Handles) -> Handles {
        if let known = handles.withLock({ $0[key] }) { return known }
        let made = make()
        return handles.withLock { handles in
            if let raced = handles[key] { return raced }
            handles[key] = made
            return made
        }
    }
}
