package import AttacheCore
package import Foundation

/// ``TenantStore`` and ``CredentialStore``.
extension InMemoryMetadataStore {
    package func createTenant(slug: String, name: String) throws -> Tenant {
        try transaction { tables in
            guard !tables.tenants.values.contains(where: { $0.tenant.slug == slug }) else {
                throw InMemoryStoreError.constraint("tenants.slug")
            }
            let tenant = Tenant(id: tables.nextTenantID, slug: slug, name: name, createdAt: Date().roundedToMilliseconds)
            tables.nextTenantID += 1
            tables.tenants[tenant.id] = InMemoryTables.TenantRow(tenant: tenant)
            return tenant
        }
    }

    package func tenant(slug: String) -> Tenant? {
        tables.tenants.values.first { $0.tenant.slug == slug }?.tenant
    }

    package func tenant(id: Int64) -> Tenant? {
        tables.tenants[id]?.tenant
    }

    package func tenants() -> [Tenant] {
        tables.tenants.values.map(\.tenant).sorted { $0.slug < $1.slug }
    }

    package func setQuota(_ quota: TenantQuota, tenantID: Int64) -> Bool {
        guard tables.tenants[tenantID] != nil else { return false }
        tables.tenants[tenantID]?.tenant.quota = quota
        return true
    }

    package func setSharePolicy(_ policy: TenantSharePolicy, tenantID: Int64) -> Bool {
        guard tables.tenants[tenantID] != nil else { return false }
        tables.tenants[tenantID]?.tenant.sharePolicy = policy
        return true
    }

    package func setVersionPolicy(_ policy: TenantVersionPolicy, tenantID: Int64) -> Bool {
        guard tables.tenants[tenantID] != nil else { return false }
        tables.tenants[tenantID]?.tenant.versionPolicy = policy
        return true
    }

    package func usage(tenantID: Int64) throws -> TenantUsage {
        try tables.usage(tenantID: tenantID)
    }

    package func createToken(
        tenantID: Int64, scope: TokenScope, label: String?, secretHash: String, expiresAt: Date?, signedInAs: SignInIdentity?,
        audit: AuditContext, recording action: AuditAction
    ) throws -> AccessToken {
        try transaction { tables in
            guard !tables.tokens.contains(where: { $0.secretHash == secretHash }) else { throw InMemoryStoreError.constraint("tokens.secret_hash") }
            let number = try tables.nextNumber(.tokens, tenantID: tenantID)
            let token = AccessToken(
                id: number, tenantID: tenantID, scope: scope, label: label, createdAt: audit.time.roundedToMilliseconds, revokedAt: nil,
                expiresAt: expiresAt?.roundedToMilliseconds, signedInAs: signedInAs
            )
            tables.tokens.append(InMemoryTables.TokenRow(token: token, secretHash: secretHash))
            try tables.writeAuditEvents([audit.event(action, tenantID: tenantID, detail: "token \(token.id)")])
            return token
        }
    }

    package func activeToken(secretHash: String) -> (AccessToken, Tenant)? {
        let now = Date()
        guard let row = tables.tokens.first(where: { $0.secretHash == secretHash }), row.token.revokedAt == nil,
            (row.token.expiresAt.map { $0 > now } ?? true),
            let tenant = tables.tenants[row.token.tenantID]?.tenant
        else { return nil }
        if let signIn = row.token.signedInAs,
            tables.credentials.first(where: { $0.credential.id == signIn.credentialID })?.credential.revokedAt != nil
        {
            return nil
        }
        return (row.token, tenant)
    }

    package func tokens(tenantID: Int64) -> [AccessToken] {
        tables.tokens.filter { $0.token.tenantID == tenantID }.map(\.token)
    }

    package func revokeToken(id: Int64, tenantID: Int64, audit: AuditContext) throws -> Bool {
        try transaction { tables in
            guard let index = tables.tokens.firstIndex(where: { $0.token.tenantID == tenantID && $0.token.id == id && $0.token.revokedAt == nil })
            else { return false }
            tables.tokens[index].token.revokedAt = audit.time.roundedToMilliseconds
            try tables.writeAuditEvents([audit.event(.tokenRevoke, tenantID: tenantID, detail: "token \(id)")])
            return true
        }
    }

    package func createCredential(
        tenantID: Int64, kind: CredentialKind, identifier: String, scope: TokenScope, secretHash: String, audit: AuditContext
    ) throws -> Credential {
        try transaction { tables in
            guard !tables.credentials.contains(where: { $0.credential.kind == kind && $0.credential.identifier == identifier }) else {
                throw AttacheError(.conflict, "A \(kind.rawValue) user '\(identifier)' already exists.", field: "identifier")
            }
            let credential = Credential(
                id: Int64(tables.credentials.count + 1), tenantID: tenantID, kind: kind, identifier: identifier, scope: scope,
                createdAt: audit.time.roundedToMilliseconds
            )
            tables.credentials.append(InMemoryTables.CredentialRow(credential: credential, secretHash: secretHash))
            try tables.writeAuditEvents([audit.event(.credentialCreate, tenantID: tenantID, detail: "\(kind.rawValue):\(identifier)")])
            return credential
        }
    }

    package func credential(kind: CredentialKind, identifier: String) -> (Credential, secretHash: String)? {
        tables.credentials.first { $0.credential.kind == kind && $0.credential.identifier == identifier }.map { ($0.credential, $0.secretHash) }
    }

    package func credentials(tenantID: Int64) -> [Credential] {
        tables.credentials.filter { $0.credential.tenantID == tenantID }.map(\.credential)
    }

    package func revokeCredential(tenantID: Int64, kind: CredentialKind, identifier: String, audit: AuditContext) throws -> Credential? {
        try changeCredential(tenantID: tenantID, kind: kind, identifier: identifier, audit: audit, recording: .credentialRevoke) { row in
            row.credential.revokedAt = audit.time.roundedToMilliseconds
        }
    }

    package func rotateCredential(
        tenantID: Int64, kind: CredentialKind, identifier: String, secretHash: String, audit: AuditContext
    ) throws -> Credential? {
        try changeCredential(tenantID: tenantID, kind: kind, identifier: identifier, audit: audit, recording: .credentialRotate) { row in
            row.secretHash = secretHash
        }
    }

    /// Changes the tenant's live credential and ends every session token it made.
    private func changeCredential(
        tenantID: Int64, kind: CredentialKind, identifier: String, audit: AuditContext, recording action: AuditAction,
        _ change: (inout InMemoryTables.CredentialRow) -> Void
    ) throws -> Credential? {
        try transaction { tables in
            guard let index = tables.credentials.firstIndex(where: {
                $0.credential.tenantID == tenantID && $0.credential.kind == kind && $0.credential.identifier == identifier
                    && $0.credential.revokedAt == nil
            })
            else { return nil }
            change(&tables.credentials[index])
            let credential = tables.credentials[index].credential
            var ended = 0
            for token in tables.tokens.indices
            where tables.tokens[token].token.signedInAs?.credentialID == credential.id && tables.tokens[token].token.revokedAt == nil {
                tables.tokens[token].token.revokedAt = audit.time.roundedToMilliseconds
                ended += 1
            }
            try tables.writeAuditEvents([audit.event(action, tenantID: tenantID, detail: "\(kind.rawValue):\(identifier); \(ended) session(s) ended")])
            return credential
        }
    }
}
