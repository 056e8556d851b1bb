/// Sign-in credentials that vendor clients exchange for a bearer token.
public enum CredentialKind: String, Sendable, Codable, Hashable, CaseIterable {
    /// Bloxs: `POST /Authorization {apiKey, apiSecret}` → a 24-hour token.
    case bloxs
    /// ONLYOFFICE: `POST /api/2.0/authentication {userName, password}` → a token.
    case onlyoffice

    /// How long a token obtained by signing in stays valid.
    public var tokenLifetime: Double {
        switch self {
        case .bloxs: 24 * 3600
        case .onlyoffice: 30 * 24 * 3600
        }
    }
}
