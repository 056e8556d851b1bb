import AttacheCore
import Hummingbird

/// Lets content routes accept a signed link instead of a bearer token.
struct SignedLinkAuthorizer: Sendable {
    let service: AttacheService
    let signer: URLSigner

    /// The caller of a content request: the bearer token's principal, or a read-only principal for the
    /// tenant named by a valid signed link.
    /// - Throws: `unauthenticated` with neither, `forbidden` for a tampered or expired link.
    func principal(for request: Request, context: AttacheRequestContext) async throws -> Principal {
        if let principal = context.principal { return principal }
        let query = request.uri.queryParameters
        guard let signature = query["signature"], let expires = query["expires"], let slug = query["tenant"] else {
            throw AttacheError(.unauthenticated, "A valid bearer token or a signed link is required.")
        }
        try signer.verify(path: request.uri.path, tenantSlug: String(slug), expires: String(expires), signature: String(signature))
        do {
            return Principal(tenant: try await service.tenant(slug: String(slug)), scope: .read)
        } catch let error as AttacheError where error.code == .notFound {
            throw AttacheError(.forbidden, "The link's signature is not valid.")
        }
    }
}
