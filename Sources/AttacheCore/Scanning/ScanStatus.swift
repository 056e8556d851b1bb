/// What is known of a stored file's content: scanned clean when it arrived (or by `attache scan`), found
/// infected later (quarantined: listed, deletable, never served), or never scanned.
public enum ScanStatus: Sendable, Hashable, Codable {
    case unscanned
    case clean
    case infected(signature: String)

    /// `unscanned`, `clean` or `infected`, as APIs show it.
    public var name: String {
        switch self {
        case .unscanned: "unscanned"
        case .clean: "clean"
        case .infected: "infected"
        }
    }
}
