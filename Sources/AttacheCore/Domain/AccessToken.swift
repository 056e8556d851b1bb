import Foundation

/// A bearer token's stored facts. The secret itself is never stored, only its SHA-256.
public struct AccessToken: Sendable, Hashable, Codable {
    public var id: Int64
    public var tenantID: Int64
    public var scope: TokenScope
    public var label: String?
    public var createdAt: Date
    public var revokedAt: Date?
    /// When a token obtained by signing in stops working; `nil` for tokens made with the CLI.
    public var expiresAt: Date?
    /// The credential whose sign-in made this token; `nil` for tokens made with the CLI.
    public var signedInAs: SignInIdentity?

    public init(
        id: Int64, tenantID: Int64, scope: TokenScope, label: String?, createdAt: Date, revokedAt: Date?, expiresAt: Date? = nil,
        signedInAs: SignInIdentity? = nil
    ) {
        self.signedInAs = signedInAs
        self.id = id
        self.tenantID = tenantID
        self.scope = scope
        self.label = label
        self.createdAt = createdAt
        self.revokedAt = revokedAt
        self.expiresAt = expiresAt
    }
}
