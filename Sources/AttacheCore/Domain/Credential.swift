import Foundation

/// A sign-in identity of a tenant (a Bloxs API key, an ONLYOFFICE user name). Its secret is stored
/// only as a hash; signing in with it creates an expiring ``AccessToken`` of the same scope.
public struct Credential: Sendable, Hashable {
    public var id: Int64
    public var tenantID: Int64
    public var kind: CredentialKind
    /// The public half: the Bloxs `apiKey` or the ONLYOFFICE `userName`. Unique per kind.
    public var identifier: String
    public var scope: TokenScope
    public var createdAt: Date
    /// When it was revoked: it signs in no more, and the sessions it made ended with it.
    public var revokedAt: Date?

    public init(
        id: Int64, tenantID: Int64, kind: CredentialKind, identifier: String, scope: TokenScope, createdAt: Date, revokedAt: Date? = nil
    ) {
        self.revokedAt = revokedAt
        self.id = id
        self.tenantID = tenantID
        self.kind = kind
        self.identifier = identifier
        self.scope = scope
        self.createdAt = createdAt
    }
}
