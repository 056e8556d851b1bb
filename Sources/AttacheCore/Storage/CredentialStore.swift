public import Foundation

/// Bearer tokens and the vendor sign-in credentials that make session tokens; secrets only as hashes.
/// (A role of ``MetadataStore``.)
public protocol CredentialStore: Sendable {
    /// Creates a token and writes `action` (`token.create` or `sign_in`) with the token's id as detail.
    /// A sign-in's token names the credential that made it (`signedInAs`), which it lives and dies with.
    func createToken(
        tenantID: Int64, scope: TokenScope, label: String?, secretHash: String, expiresAt: Date?, signedInAs: SignInIdentity?,
        audit: AuditContext, recording action: AuditAction
    ) async throws -> AccessToken
    /// The live (not revoked, not expired) token with this secret hash and its tenant.
    func activeToken(secretHash: String) async throws -> (AccessToken, Tenant)?
    func tokens(tenantID: Int64) async throws -> [AccessToken]
    /// - Returns: whether a live token was revoked.
    func revokeToken(id: Int64, tenantID: Int64, audit: AuditContext) async throws -> Bool
    /// - Throws: `conflict` when a credential of this kind has this identifier already.
    func createCredential(tenantID: Int64, kind: CredentialKind, identifier: String, scope: TokenScope, secretHash: String, audit: AuditContext) async throws -> Credential
    /// The credential of this kind and identifier, with the hash of its secret.
    func credential(kind: CredentialKind, identifier: String) async throws -> (Credential, secretHash: String)?
    /// The tenant's credentials, revoked ones too, oldest first.
    func credentials(tenantID: Int64) async throws -> [Credential]
    /// Revokes the tenant's credential and every session token it made, and writes `credential.revoke`.
    /// - Returns: the credential; `nil` when the tenant has no live one of this kind and identifier.
    func revokeCredential(tenantID: Int64, kind: CredentialKind, identifier: String, audit: AuditContext) async throws -> Credential?
    /// Gives the tenant's live credential a new secret, ends every session token it made, and writes
    /// `credential.rotate`. - Returns: the credential; `nil` when there is no live one.
    func rotateCredential(
        tenantID: Int64, kind: CredentialKind, identifier: String, secretHash: String, audit: AuditContext
    ) async throws -> Credential?
}
