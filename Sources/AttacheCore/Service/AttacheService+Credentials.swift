import Foundation
import Logging

extension AttacheService {
    /// Creates sign-in credentials for a vendor client and returns them with the secret, which is not
    /// stored and cannot be shown again.
    ///
    /// - Parameter identifier: the ONLYOFFICE user name; Bloxs API keys are generated.
    /// - Throws: `invalidInput` for a missing or malformed user name, `conflict` when it is taken (the
    ///   store says so); any other failure as it is.
    public func createCredential(
        tenantSlug: String,
        kind: CredentialKind,
        identifier: String?,
        scope: TokenScope
    ) async throws -> (Credential, secret: String) {
        let tenant = try await tenant(slug: tenantSlug)
        let name: String
        switch kind {
        case .bloxs:
            name = "bk_" + TokenSecret.randomHex(byteCount: 12)
        case .onlyoffice:
            guard let identifier, !identifier.isEmpty, identifier.utf8.count <= 255,
                !identifier.contains(where: { $0.isWhitespace })
            else {
                throw AttacheError(.invalidInput, "An ONLYOFFICE user needs a name without spaces (--user).", field: "user")
            }
            name = identifier
        }
        let secret = TokenSecret.randomHex(byteCount: 24)
        let credential = try await metadata.createCredential(
            tenantID: tenant.id, kind: kind, identifier: name, scope: scope, secretHash: TokenSecret.hash(secret), audit: AuditContext(actor: .cli)
        )
        return (credential, secret)
    }

    /// The tenant's sign-in credentials (never their secrets), revoked ones too.
    public func credentials(tenantSlug: String) async throws -> [Credential] {
        try await metadata.credentials(tenantID: tenant(slug: tenantSlug).id)
    }

    /// Revokes sign-in credentials: they sign in no more, and every session they made ends (on every
    /// node within its token cache time). - Throws: `notFound` when the tenant has no live such credential.
    @discardableResult
    public func revokeCredential(tenantSlug: String, kind: CredentialKind, identifier: String) async throws -> Credential {
        guard let revoked = try await metadata.revokeCredential(tenantID: tenant(slug: tenantSlug).id, kind: kind, identifier: identifier, audit: AuditContext(actor: .cli)) else {
            throw AttacheError(.notFound, "Tenant '\(tenantSlug)' has no live \(kind.rawValue) credential '\(identifier)'.")
        }
        return revoked
    }

    /// Gives sign-in credentials a new secret (returned once); the old secret signs in no more and the
    /// sessions it made end. - Throws: `notFound` when the tenant has no live such credential.
    public func rotateCredential(tenantSlug: String, kind: CredentialKind, identifier: String) async throws -> (Credential, secret: String) {
        let secret = TokenSecret.randomHex(byteCount: 24)
        guard let rotated = try await metadata.rotateCredential(
            tenantID: tenant(slug: tenantSlug).id, kind: kind, identifier: identifier, secretHash: TokenSecret.hash(secret), audit: AuditContext(actor: .cli)
        ) else {
            throw AttacheError(.notFound, "Tenant '\(tenantSlug)' has no live \(kind.rawValue) credential '\(identifier)'.")
        }
        return (rotated, secret)
    }

    /// Exchanges sign-in credentials for a bearer token that expires after the kind's lifetime.
    ///
    /// Audited: a success as `sign_in` (with the token), in the token's transaction; a wrong secret or an
    /// attempt while locked out as `sign_in.fail`, when the identifier belongs to a tenant.
    /// - Returns: `nil` when the credentials are wrong.
    /// - Throws: `tooManyRequests` while the identifier is locked out after repeated failures.
    /// - Parameter origin: its client address is counted against the request limits (``requestLimits``).
    public func signIn(
        kind: CredentialKind, identifier: String, secret: String, origin: RequestOrigin = RequestOrigin(), now: Date = Date()
    ) async throws -> (AccessToken, secret: String)? {
        let arrival = ContinuousClock.now
        if let clientAddress = origin.clientAddress {
            _ = try admitRequest(from: "address:\(clientAddress)")
        }
        let audit = AuditContext(actor: .credential(kind, identifier: identifier), origin: origin, time: now)
        // Failures count per identifier and client address: someone guessing a known user's password
        // is slowed down, while the user signing in from elsewhere is not locked out.
        let throttleKey = "\(kind.rawValue):\(identifier)|\(origin.clientAddress ?? "-")"
        if let wait = signInThrottle.wait(for: throttleKey) {
            let known = try await metadata.credential(kind: kind, identifier: identifier)
            try await auditFailedSignIn(tenantID: known?.0.tenantID, audit: audit, detail: "locked out for \(wait) s")
            try await signInThrottle.holdRefusal(since: arrival)
            var error = AttacheError(.tooManyRequests, "Too many failed sign-ins; try again in \(wait) seconds.")
            error.rateLimit = RateLimit(limit: signInThrottle.allowedFailures, remaining: 0, resetAfter: wait, retryAfter: wait)
            throw error
        }
        let known = try await metadata.credential(kind: kind, identifier: identifier)
        // Hashed whether or not the identifier exists, and refusals held to one time (SignInThrottle),
        // so the answer's time does not tell.
        let presented = TokenSecret.hash(secret)
        guard let (credential, secretHash) = known, credential.revokedAt == nil, secretHash == presented else {
            signInThrottle.failed(throttleKey)
            try await auditFailedSignIn(tenantID: known?.0.tenantID, audit: audit, detail: "wrong secret")
            try await signInThrottle.holdRefusal(since: arrival)
            return nil
        }
        signInThrottle.succeeded(throttleKey)
        let tokenSecret = TokenSecret.generate()
        let token = try await metadata.createToken(
            tenantID: credential.tenantID,
            scope: credential.scope,
            label: "\(kind.rawValue) sign-in of \(identifier)",
            secretHash: TokenSecret.hash(tokenSecret),
            expiresAt: now.addingTimeInterval(kind.tokenLifetime),
            signedInAs: SignInIdentity(credentialID: credential.id, kind: kind, identifier: credential.identifier),
            audit: audit,
            recording: .signIn
        )
        return (token, tokenSecret)
    }

    /// Writes a `sign_in.fail` event in the tenant the identifier belongs to; an unknown identifier
    /// belongs to none and is only logged.
    private func auditFailedSignIn(tenantID: Int64?, audit: AuditContext, detail: String) async throws {
        guard let tenantID else {
            logger.notice("sign-in with an unknown identifier", metadata: ["actor": "\(audit.actor.text)", "client": "\(audit.origin.clientAddress ?? "-")"])
            return
        }
        try await metadata.appendAuditEvents([audit.event(.signInFail, tenantID: tenantID, detail: detail)])
    }
}
