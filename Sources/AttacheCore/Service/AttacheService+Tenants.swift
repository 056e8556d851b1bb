import Foundation

extension AttacheService {
    /// Creates a tenant.
    /// - Throws: `invalidInput` for a malformed slug, `conflict` when it exists.
    public func createTenant(slug: String, name: String?) async throws -> Tenant {
        let valid = slug.utf8.count <= 63 && slug.first.map { $0.isASCII && ($0.isLetter || $0.isNumber) } == true
            && slug.utf8.allSatisfy { (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == 0x2D }
        guard valid else {
            throw AttacheError(.invalidInput, "A tenant slug is 1-63 characters of a-z, 0-9 and '-', starting with a letter or digit.", field: "slug")
        }
        if try await metadata.tenant(slug: slug) != nil {
            throw AttacheError(.conflict, "Tenant '\(slug)' already exists.", field: "slug")
        }
        return try await metadata.createTenant(slug: slug, name: name ?? slug)
    }

    public func tenants() async throws -> [Tenant] {
        try await metadata.tenants()
    }

    /// The tenant with this slug. - Throws: `notFound`.
    public func tenant(slug: String) async throws -> Tenant {
        guard let tenant = try await metadata.tenant(slug: slug) else {
            throw AttacheError(.notFound, "There is no tenant '\(slug)'.")
        }
        return tenant
    }

    /// Creates a token and returns it with its secret, which is not stored and cannot be shown again.
    public func createToken(tenantSlug: String, scope: TokenScope, label: String?) async throws -> (AccessToken, secret: String) {
        let tenant = try await tenant(slug: tenantSlug)
        let secret = TokenSecret.generate()
        let token = try await metadata.createToken(
            tenantID: tenant.id, scope: scope, label: label, secretHash: TokenSecret.hash(secret), expiresAt: nil, signedInAs: nil,
            audit: AuditContext(actor: .cli), recording: .tokenCreate
        )
        return (token, secret)
    }

    public func tokens(tenantSlug: String) async throws -> [AccessToken] {
        try await metadata.tokens(tenantID: tenant(slug: tenantSlug).id)
    }

    /// Revokes a token. - Throws: `notFound` when the tenant has no live token with that id.
    public func revokeToken(tenantSlug: String, id: Int64) async throws {
        guard try await metadata.revokeToken(id: id, tenantID: tenant(slug: tenantSlug).id, audit: AuditContext(actor: .cli)) else {
            throw AttacheError(.notFound, "Tenant '\(tenantSlug)' has no live token \(id).")
        }
    }

    /// The caller a bearer secret stands for, or `nil` when the secret is unknown, expired or revoked.
    public func authenticate(secret: String) async throws -> Principal? {
        guard secret.hasPrefix(TokenSecret.prefix) else { return nil }
        let hash = TokenSecret.hash(secret)
        if let known = principals.principal(forHash: hash) { return known }
        guard let (token, tenant) = try await metadata.activeToken(secretHash: hash) else { return nil }
        let principal = Principal(tenant: tenant, scope: token.scope, tokenID: token.id, signedInAs: token.signedInAs)
        principals.remember(principal, forHash: hash, tokenExpiresAt: token.expiresAt)
        return principal
    }
}
