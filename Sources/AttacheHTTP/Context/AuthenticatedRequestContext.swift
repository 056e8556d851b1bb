public import AttacheCore
public import AttacheJSON
import Foundation
public import Hummingbird

/// The context of a route that needs a caller: made from ``AttacheRequestContext`` once
/// ``BearerAuthenticationMiddleware`` has found one, so a handler's `principal` is never missing.
///
/// Routes get it by being added to ``FaceRoutes/authenticated(_:)``; a request that reaches such a
/// route without a caller is refused with `unauthenticated` before the handler runs, and the refusal is
/// rendered by the face's error middleware like any other. Routes that also take a signed link (content
/// downloads) stay on ``AttacheRequestContext`` and ask ``SignedLinkAuthorizer`` for the caller.
public struct AuthenticatedRequestContext: ChildRequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The authenticated caller.
    public let principal: Principal
    /// The request's context before authentication: its connection, trace and observation.
    package let base: AttacheRequestContext

    public init(context: AttacheRequestContext) throws {
        guard let principal = context.principal else {
            throw AttacheError(.unauthenticated, "A valid bearer token is required.")
        }
        self.init(base: context, principal: principal)
    }

    /// A context for `principal`, found by other means than a bearer token.
    package init(base: AttacheRequestContext, principal: Principal) {
        self.coreContext = base.coreContext
        self.principal = principal
        self.base = base
    }

    public var maxUploadSize: Int { base.maxUploadSize }
    public var requestDecoder: JSONDecoder { base.requestDecoder }
    public var responseEncoder: JSONBodyEncoder { base.responseEncoder }

    /// Where this request came from, for the audit trail.
    package var origin: RequestOrigin { base.origin }

    /// The id errors and logs name the request by.
    package var traceID: String { base.traceID }

    /// The caller, if its token allows operations that need `scope`. - Throws: `forbidden`.
    public func principal(allowedTo scope: TokenScope) throws(AttacheError) -> Principal {
        try principal.require(scope)
        return principal
    }
}
