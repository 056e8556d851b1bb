import AttacheCore
import Hummingbird

/// Lets content routes accept a signed link instead of a bearer token.
package struct SignedLinkAuthorizer: Sendable {
    package let service: AttacheService
    package let signer: URLSigner

    package init(service: AttacheService, signer: URLSigner) {
        self.service = service
        self.signer = signer
    }

    /// The caller of a content request: a read-only principal for the tenant named by a valid signed
    /// link, or the bearer token's principal. A URL that carries link parameters is a signed link and
    /// is checked as one, token or not, so a malformed link never passes unnoticed.
    /// - Throws: `unauthenticated` with neither, `forbidden` for a tampered, expired or malformed link.
    package func principal(for request: Request, context: AttacheRequestContext) async throws -> Principal {
        let query = request.uri.queryParameters
        let isSignedLink = ["signature", "expires", "tenant"].contains { query[$0] != nil }
        if !isSignedLink, let principal = context.principal { return principal }
        guard let signature = query["signature"], let expires = query["expires"], let slug = query["tenant"] else {
            throw AttacheError(
                isSignedLink ? .forbidden : .unauthenticated,
                isSignedLink ? "The link's signature is not valid." : "A valid bearer token or a signed link is required."
            )
        }
        let (path, tenant, expiry, given) = (request.uri.path, String(slug), String(expires), String(signature))
        do {
            try signer.verify(path: path, tenantSlug: tenant, expires: expiry, signature: given)
        } catch {
            // Another node may have rotated the key: check again with the store's keys.
            guard await signer.keyring.reloadAfterMismatch() else { throw error }
            try signer.verify(path: path, tenantSlug: tenant, expires: expiry, signature: given)
        }
        do {
            return Principal(tenant: try await service.tenant(slug: String(slug)), scope: .read, origin: context.origin)
        } catch let error as AttacheError where error.code == .notFound {
            throw AttacheError(.forbidden, "The link's signature is not valid.")
        }
    }
}
