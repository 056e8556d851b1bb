/// What is known of a stored file's content: scanned clean when it arrived (or by `attache scan`), found
/// infected later, or damaged by `attache verify --quarantine` (both quarantined: listed, deletable,
/// never served), or never scanned.
public enum ScanStatus: Sendable, Hashable, Codable {
    case unscanned
    case clean
    case infected(signature: String)
    /// The stored bytes are not the file's any more (missing, another SHA-256 or size).
    case damaged(reason: String)

    /// Whether the file may not be served.
    public var isQuarantined: Bool {
        switch self {
        case .infected, .damaged: true
        case .unscanned, .clean: false
        }
    }

    /// What the `file.quarantine` audit event of quarantined content says: the malware's name, or
    /// ``damagedDetailPrefix`` and what is wrong with the bytes; `nil` for content that is served.
    public var quarantineDetail: String? {
        switch self {
        case .infected(let signature): signature
        case .damaged(let reason): Self.damagedDetailPrefix + reason
        case .unscanned, .clean: nil
        }
    }

    /// How the audit detail of damaged content begins (a malware name never does).
    public static let damagedDetailPrefix = "damaged: "

    /// `unscanned`, `clean` or `infected`, as APIs show it.
    public var name: String {
        switch self {
        case .unscanned: "unscanned"
        case .clean: "clean"
        case .infected: "infected"
        case .damaged: "damaged"
        }
    }
}
