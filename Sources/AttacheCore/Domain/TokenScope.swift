/// What an API token may do. `write` implies `read`; `admin` implies both and also reads the audit trail.
public enum TokenScope: String, Sendable, Codable, Hashable, CaseIterable {
    case read
    case write
    case admin

    /// Whether a token of this scope may perform an operation that needs `required`.
    public func permits(_ required: TokenScope) -> Bool {
        switch (self, required) {
        case (.admin, _), (.write, .read), (.write, .write), (.read, .read): true
        case (.read, _), (.write, .admin): false
        }
    }
}
