import Foundation

/// The authenticated caller of a use case: a tenant, what the caller may do in it, and where the
/// request came from (for the audit trail).
public struct Principal: Sendable, Hashable {
    public var tenant: Tenant
    public var scope: TokenScope
    /// The number (in its tenant) of the token the caller presented; `nil` for a signed link.
    public var tokenID: Int64?
    /// Where the current request came from; set per request, never cached with the token.
    public var origin: RequestOrigin
    /// The credential that signed in, for a token made by a sign-in.
    public var signedInAs: SignInIdentity?
    /// The share link a caller from outside the CRM came through.
    public var share: UUID?
    /// An operator's command on the server's own data (`attache category …`), audited as `cli`.
    public var isCommandLine = false

    public init(
        tenant: Tenant, scope: TokenScope, tokenID: Int64? = nil, origin: RequestOrigin = RequestOrigin(), signedInAs: SignInIdentity? = nil
    ) {
        self.signedInAs = signedInAs
        self.tenant = tenant
        self.scope = scope
        self.tokenID = tokenID
        self.origin = origin
    }

    /// An operator at the command line, acting in `tenant` with every right (audited as `cli`).
    public static func commandLine(in tenant: Tenant) -> Principal {
        var principal = Principal(tenant: tenant, scope: .admin)
        principal.isCommandLine = true
        return principal
    }

    /// Throws ``AttacheError/Code/forbidden`` unless the caller's scope permits `required`.
    public func require(_ required: TokenScope) throws(AttacheError) {
        guard scope.permits(required) else {
            switch required {
            case .admin: throw AttacheError(.forbidden, "This needs an admin token.")
            case .read, .write: throw AttacheError(.forbidden, "This token may only read; a write token is needed.")
            }
        }
    }

    /// The caller as an audit event's actor.
    public var actor: AuditActor {
        if isCommandLine { return .cli }
        if let share { return .share(share) }
        return tokenID.map(AuditActor.token) ?? .signedLink
    }

    /// Who, from where and now: for the audit events of a change this caller makes.
    public func auditContext(at time: Date = Date()) -> AuditContext {
        AuditContext(actor: actor, origin: origin, time: time)
    }
}
