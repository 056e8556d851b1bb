public import Foundation

/// Who caused an audit event.
///
/// Text form (stored, and shown by the API and the CLI): `token:<id>`, `link` (a signed link),
/// `<credential kind>:<identifier>` for sign-ins, `share:<uuid>` for someone who came through a share
/// link, `cli` for an operator's command, `system` for the
/// server's own work (a rescan).
public enum AuditActor: Sendable, Hashable {
    case token(Int64)
    case signedLink
    case credential(CredentialKind, identifier: String)
    case cli
    case system
    /// Someone outside the CRM, through a share link.
    case share(UUID)

    public var text: String {
        switch self {
        case .token(let id): "token:\(id)"
        case .signedLink: "link"
        case .credential(let kind, let identifier): "\(kind.rawValue):\(identifier)"
        case .cli: "cli"
        case .system: "system"
        case .share(let id): "share:\(id.lowercasedText)"
        }
    }

    /// Parses ``text``. - Returns: `nil` for text no version of Attache writes.
    public init?(text: String) {
        switch text {
        case "link": self = .signedLink
        case "cli": self = .cli
        case "system": self = .system
        default:
            guard let colon = text.firstIndex(of: ":") else { return nil }
            let kind = text[..<colon]
            let rest = String(text[text.index(after: colon)...])
            if kind == "token", let id = Int64(rest) {
                self = .token(id)
            } else if kind == "share", let id = UUID(text: rest) {
                self = .share(id)
            } else if let credential = CredentialKind(rawValue: String(kind)) {
                self = .credential(credential, identifier: rest)
            } else {
                return nil
            }
        }
    }
}
