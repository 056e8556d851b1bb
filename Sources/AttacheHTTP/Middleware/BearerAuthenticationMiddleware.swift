import Foundation
import AttacheCore
import HTTPTypes
import Hummingbird
import Logging

/// Resolves `Authorization: Bearer <token>` (scheme matched case-insensitively) to a ``Principal``.
///
/// A request without the header passes on unauthenticated (routes then throw 401, or accept a signed
/// URL); a header with an unknown or revoked token is refused with 401 at once.
package struct BearerAuthenticationMiddleware: RouterMiddleware {
    package typealias Context = AttacheRequestContext
    package let service: AttacheService
    /// Also accept a bare token with no scheme (ONLYOFFICE clients send `Authorization: <token>`).
    package var acceptsBareToken = false

    package init(service: AttacheService, acceptsBareToken: Bool = false) {
        self.service = service
        self.acceptsBareToken = acceptsBareToken
    }

    package func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let header = request.headers[.authorization] else {
            return try await next(request, context)
        }
        guard let secret = credentials(in: header), let principal = try await service.authenticate(secret: secret) else {
            throw AttacheError(.unauthenticated, "The bearer token is not valid.")
        }
        var context = context
        context.principal = principal
        context.logger[metadataKey: "tenant"] = .string(principal.tenant.slug)
        return try await next(request, context)
    }

    private func credentials(in header: String) -> String? {
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        if parts.count == 2, parts[0].lowercased() == "bearer" {
            return parts[1].trimmingCharacters(in: .whitespaces)
        }
        if acceptsBareToken, parts.count == 1 {
            return String(parts[0])
        }
        return nil
    }
}
