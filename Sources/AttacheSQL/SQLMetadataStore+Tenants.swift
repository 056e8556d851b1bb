import AttacheCore
import Foundation
import SQLKit

extension SQLMetadataStore {
    /// Record references start here, so they read as relationship numbers rather than counts.
    static let firstReference: Int64 = 1001

    public func createTenant(slug: String, name: String) async throws -> Tenant {
        let now = Date().millisecondsSince1970
        let flavor = database.flavor
        return try await database.write { db in
            let row = try await db.raw("""
                INSERT INTO tenants (slug, name, next_reference, created_at)
                VALUES (\(bind: slug), \(bind: name), \(bind: Self.firstReference), \(bind: now))
                RETURNING \(unsafeRaw: SQLColumns.tenant)
                """).first()
            guard let row else { throw SQLStoreError.missingReturnedRow(statement: "INSERT INTO tenants") }
            let tenant = try row.tenant()
            try await flavor.createNumbering(tenantID: tenant.id, in: db)
            return tenant
        }
    }

    public func tenant(slug: String) async throws -> Tenant? {
        try await database.read { db in
            try await db.raw("SELECT \(unsafeRaw: SQLColumns.tenant) FROM tenants WHERE slug = \(bind: slug)").first()?.tenant()
        }
    }

    public func tenant(id: Int64) async throws -> Tenant? {
        try await database.read { db in
            try await db.raw("SELECT \(unsafeRaw: SQLColumns.tenant) FROM tenants WHERE id = \(bind: id)").first()?.tenant()
        }
    }

    public func tenants() async throws -> [Tenant] {
        try await database.read { db in
            try await db.raw("SELECT \(unsafeRaw: SQLColumns.tenant) FROM tenants ORDER BY slug").all().map { try $0.tenant() }
        }
    }

    public func setQuota(_ quota: TenantQuota, tenantID: Int64) async throws -> Bool {
        try await database.write { db in
            try await db.raw("""
                UPDATE tenants SET max_bytes = \(bind: quota.maximumBytes), max_files = \(bind: quota.maximumFiles)
                WHERE id = \(bind: tenantID) RETURNING id
                """).first() != nil
        }
    }

    public func setSharePolicy(_ policy: TenantSharePolicy, tenantID: Int64) async throws -> Bool {
        try await database.write { db in
            try await db.raw("""
                UPDATE tenants SET shares_disabled = \(bind: policy.allowsShares ? 0 : 1), share_password_required = \(bind: policy.requiresPassword ? 1 : 0),
                       share_max_lifetime = \(bind: policy.maximumLifetime.map { Int64($0) }), share_default_lifetime = \(bind: policy.defaultLifetime.map { Int64($0) })
                WHERE id = \(bind: tenantID) RETURNING id
                """).first() != nil
        }
    }

    public func setVersionPolicy(_ policy: TenantVersionPolicy, tenantID: Int64) async throws -> Bool {
        try await database.write { db in
            try await db.raw("""
                UPDATE tenants SET versions_keep = \(bind: policy.keepLast.map { Int64($0) }), versions_max_age = \(bind: policy.maximumAge.map { Int64($0) })
                WHERE id = \(bind: tenantID) RETURNING id
                """).first() != nil
        }
    }

    public func usage(tenantID: Int64) async throws -> TenantUsage {
        try await database.read { db in
            guard let row = try await db.raw("""
                SELECT \(unsafeRaw: SQLColumns.usage) FROM tenants WHERE id = \(bind: tenantID)
                """).first() else {
                throw AttacheError(.notFound, "There is no tenant \(tenantID).")
            }
            return try row.usage()
        }
    }

    /// Refuses the files just written in this transaction if they take the tenant past its quota. On
    /// PostgreSQL the tenant's row stays locked to the end of the transaction, so two uploads of one
    /// tenant cannot both pass on the same room. - Throws: `quotaExceeded`.
    static func enforceQuota(tenantID: Int64, flavor: SQLFlavor, in db: any SQLDatabase) async throws {
        let lock: SQLQueryString = flavor == .postgres ? " FOR UPDATE" : ""
        guard let limits = try await db.raw("SELECT max_bytes, max_files FROM tenants WHERE id = \(bind: tenantID)\(lock)").first(),
              !(try limits.quota(maximumBytes: "max_bytes", maximumFiles: "max_files")).isUnlimited,
              let row = try await db.raw("SELECT \(unsafeRaw: SQLColumns.usage) FROM tenants WHERE id = \(bind: tenantID)").first()
        else { return }
        if let refusal = QuotaRefusal.passed(by: try row.usage(), bytes: 0, files: 0) {
            throw AttacheError.quotaExceeded(refusal)
        }
    }

    public func createToken(
        tenantID: Int64, scope: TokenScope, label: String?, secretHash: String, expiresAt: Date?, signedInAs: SignInIdentity?,
        audit: AuditContext, recording action: AuditAction
    ) async throws -> AccessToken {
        let now = audit.time.millisecondsSince1970
        let expiry = expiresAt?.millisecondsSince1970
        let flavor = database.flavor
        return try await database.write { db in
            let number = try await flavor.nextNumber(in: .tokens, tenantID: tenantID, in: db)
            let row = try await db.raw("""
                INSERT INTO tokens (number, tenant_id, scope, label, secret_hash, created_at, expires_at, credential_id)
                VALUES (\(bind: number), \(bind: tenantID), \(bind: scope.rawValue), \(bind: label), \(bind: secretHash), \(bind: now), \(bind: expiry),
                        \(bind: signedInAs?.credentialID))
                RETURNING \(unsafeRaw: SQLColumns.token)
                """).first()
            guard let row else { throw SQLStoreError.missingReturnedRow(statement: "INSERT INTO tokens") }
            var token = try row.accessToken()
            token.signedInAs = signedInAs
            try await Self.writeAuditEvents([audit.event(action, tenantID: tenantID, detail: "token \(token.id)")], in: db)
            return token
        }
    }

    public func activeToken(secretHash: String) async throws -> (AccessToken, Tenant)? {
        let now = Date().millisecondsSince1970
        return try await database.read { db in
            let row = try await db.raw("""
                SELECT \(unsafeRaw: SQLColumns.tokenWithSignIn),
                       n.slug AS tenant_slug, n.name AS tenant_name, n.created_at AS tenant_created_at,
                       n.max_bytes AS tenant_max_bytes, n.max_files AS tenant_max_files, \(unsafeRaw: SQLColumns.sharePolicy(of: "n"))
                FROM tokens t JOIN tenants n ON n.id = t.tenant_id LEFT JOIN credentials c ON c.id = t.credential_id
                WHERE t.secret_hash = \(bind: secretHash) AND t.revoked_at IS NULL AND c.revoked_at IS NULL
                  AND (t.expires_at IS NULL OR t.expires_at > \(bind: now))
                """).first()
            guard let row else { return nil }
            let token = try row.accessToken()
            let tenant = Tenant(
                id: token.tenantID,
                slug: try row.string("tenant_slug"),
                name: try row.string("tenant_name"),
                createdAt: try row.date("tenant_created_at"),
                quota: try row.quota(maximumBytes: "tenant_max_bytes", maximumFiles: "tenant_max_files"),
                sharePolicy: try row.sharePolicy(prefix: "tenant_"),
                versionPolicy: try row.versionPolicy(prefix: "tenant_")
            )
            return (token, tenant)
        }
    }

    public func tokens(tenantID: Int64) async throws -> [AccessToken] {
        try await database.read { db in
            try await db.raw("""
                SELECT \(unsafeRaw: SQLColumns.tokenWithSignIn) FROM tokens t LEFT JOIN credentials c ON c.id = t.credential_id
                WHERE t.tenant_id = \(bind: tenantID) ORDER BY t.id
                """)
                .all().map { try $0.accessToken() }
        }
    }

    public func revokeToken(id: Int64, tenantID: Int64, audit: AuditContext) async throws -> Bool {
        let now = audit.time.millisecondsSince1970
        return try await database.write { db in
            let row = try await db.raw("""
                UPDATE tokens SET revoked_at = \(bind: now)
                WHERE number = \(bind: id) AND tenant_id = \(bind: tenantID) AND revoked_at IS NULL
                RETURNING id
                """).first()
            guard row != nil else { return false }
            try await Self.writeAuditEvents([audit.event(.tokenRevoke, tenantID: tenantID, detail: "token \(id)")], in: db)
            return true
        }
    }

    public func createCredential(
        tenantID: Int64, kind: CredentialKind, identifier: String, scope: TokenScope, secretHash: String, audit: AuditContext
    ) async throws -> Credential {
        let now = audit.time.millisecondsSince1970
        return try await database.write { db in
            let row = try await db.raw("""
                INSERT INTO credentials (tenant_id, kind, identifier, scope, secret_hash, created_at)
                VALUES (\(bind: tenantID), \(bind: kind.rawValue), \(bind: identifier), \(bind: scope.rawValue),
                        \(bind: secretHash), \(bind: now))
                ON CONFLICT (kind, identifier) DO NOTHING
                RETURNING \(unsafeRaw: SQLColumns.credential)
                """).first()
            guard let row else {
                throw AttacheError(.conflict, "A \(kind.rawValue) user '\(identifier)' already exists.", field: "identifier")
            }
            let credential = try row.credential()
            try await Self.writeAuditEvents([audit.event(.credentialCreate, tenantID: tenantID, detail: "\(kind.rawValue):\(identifier)")], in: db)
            return credential
        }
    }

    public func credentials(tenantID: Int64) async throws -> [Credential] {
        try await database.read { db in
            try await db.raw("SELECT \(unsafeRaw: SQLColumns.credential) FROM credentials WHERE tenant_id = \(bind: tenantID) ORDER BY id")
                .all().map { try $0.credential() }
        }
    }

    public func revokeCredential(tenantID: Int64, kind: CredentialKind, identifier: String, audit: AuditContext) async throws -> Credential? {
        try await changeCredential(
            tenantID: tenantID, kind: kind, identifier: identifier, set: "revoked_at = \(bind: audit.time.millisecondsSince1970)", audit: audit,
            recording: .credentialRevoke
        )
    }

    public func rotateCredential(
        tenantID: Int64, kind: CredentialKind, identifier: String, secretHash: String, audit: AuditContext
    ) async throws -> Credential? {
        try await changeCredential(
            tenantID: tenantID, kind: kind, identifier: identifier, set: "secret_hash = \(bind: secretHash)", audit: audit, recording: .credentialRotate
        )
    }

    /// Changes a live credential (`assignment`), ends the sessions it made, and writes `action`, in one transaction.
    private func changeCredential(
        tenantID: Int64, kind: CredentialKind, identifier: String, set assignment: SQLQueryString, audit: AuditContext,
        recording action: AuditAction
    ) async throws -> Credential? {
        let now = audit.time.millisecondsSince1970
        return try await database.write { db in
            guard let row = try await db.raw("""
                UPDATE credentials SET \(assignment)
                WHERE tenant_id = \(bind: tenantID) AND kind = \(bind: kind.rawValue) AND identifier = \(bind: identifier) AND revoked_at IS NULL
                RETURNING \(unsafeRaw: SQLColumns.credential)
                """).first()
            else { return nil }
            let credential = try row.credential()
            let ended = try await db.raw("""
                UPDATE tokens SET revoked_at = \(bind: now) WHERE credential_id = \(bind: credential.id) AND revoked_at IS NULL RETURNING id
                """).all().count
            try await Self.writeAuditEvents(
                [audit.event(action, tenantID: tenantID, detail: "\(kind.rawValue):\(identifier); \(ended) session(s) ended")], in: db
            )
            return credential
        }
    }

    public func credential(kind: CredentialKind, identifier: String) async throws -> (Credential, secretHash: String)? {
        try await database.read { db in
            let row = try await db.raw("""
                SELECT \(unsafeRaw: SQLColumns.credential), secret_hash FROM credentials
                WHERE kind = \(bind: kind.rawValue) AND identifier = \(bind: identifier)
                """).first()
            guard let row else { return nil }
            return (try row.credential(), try row.string("secret_hash"))
        }
    }
}
