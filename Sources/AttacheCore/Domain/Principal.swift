/// The authenticated caller of a use case: a tenant and what the caller may do in it.
public struct Principal: Sendable, Hashable {
    public var tenant: Tenant
    public var scope: TokenScope
    /// The token the caller presented; `nil` for a signed link.
    public var tokenID: Int64?

    public init(tenant: Tenant, scope: TokenScope, tokenID: Int64? = nil) {
        self.tenant = tenant
        self.scope = scope
        self.tokenID = tokenID
    }

    /// Throws ``AttacheError/Code/forbidden`` unless the caller's scope permits `required`.
    public func require(_ required: TokenScope) throws(AttacheError) {
        guard scope.permits(required) else {
            throw AttacheError(.forbidden, "This token may only read; a write token is needed.")
        }
    }
}
