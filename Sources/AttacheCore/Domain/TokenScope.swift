/// What an API token may do. `write` implies `read`.
public enum TokenScope: String, Sendable, Codable, Hashable, CaseIterable {
    case read
    case write

    /// Whether a token of this scope may perform an operation that needs `required`.
    public func permits(_ required: TokenScope) -> Bool {
        switch (self, required) {
        case (.write, _), (.read, .read): true
        case (.read, .write): false
        }
    }
}
