import Foundation

/// This node's running SHA-256 of the resumable uploads it receives, so the last chunk's request can
/// store the file without reading it all again. Only ever an optimisation: an upload continued on
/// another node, or after a restart, or evicted from here, is read back once at the end instead.
/// Bounded: at most ``capacity`` uploads (a few KiB each).
actor ResumableDigests {
    let capacity: Int
    private var states: [UUID: ContentDigestState] = [:]
    private var order: [UUID] = []

    init(capacity: Int = 512) {
        self.capacity = capacity
    }

    /// The state of `id` when it covers exactly its first `offset` bytes.
    func state(of id: UUID, at offset: Int64) -> ContentDigestState? {
        guard let state = states[id], state.byteCount == offset else { return nil }
        return state
    }

    func store(_ state: ContentDigestState, for id: UUID) {
        if states.updateValue(state, forKey: id) == nil {
            order.append(id)
            if order.count > capacity {
                states[order.removeFirst()] = nil
            }
        }
    }

    func remove(_ id: UUID) {
        guard states.removeValue(forKey: id) != nil else { return }
        order.removeAll { $0 == id }
    }
}
