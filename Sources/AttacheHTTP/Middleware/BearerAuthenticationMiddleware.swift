import AttacheCore
import HTTPTypes
import Hummingbird
import Logging

/// Resolves `Authorization: Bearer <token>` (scheme matched case-insensitively) to a ``Principal``.
///
/// A request without the header passes on unauthenticated (routes then throw 401, or accept a signed
/// URL); a header with an unknown or revoked token is refused with 401 at once.
///
/// With request limits on (``AttacheService/requestLimits``), every request counts against its token,
/// or its client address when it has none (sign-ins, signed links, wrong tokens): over the limit it is
/// refused with `tooManyRequests`; otherwise the response carries the `X-RateLimit-*` headers.
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
        var context = context
        if let header = request.headers[.authorization] {
            guard let secret = credentials(in: header), var principal = try await service.authenticate(secret: secret) else {
                if service.requestLimits != nil { _ = try service.admitRequest(from: addressKey(context)) }
                throw AttacheError(.unauthenticated, "The bearer token is not valid.")
            }
            principal.origin = context.origin
            context.principal = principal
            context.logger[metadataKey: "tenant"] = .string(principal.tenant.slug)
            context.observation.tenant = principal.tenant.slug
        }
        guard service.requestLimits != nil else {
            return try await next(request, context)
        }
        // Token numbers are per tenant: the key names both.
        let token = context.principal.flatMap { principal in principal.tokenID.map { "token:\(principal.tenant.id):\($0)" } }
        let standing = try service.admitRequest(from: token ?? addressKey(context))
        var response = try await next(request, context)
        if let standing {
            response.headers.append(contentsOf: standing.headerFields)
        }
        return response
    }

    private func addressKey(_ context: Context) -> String {
        "address:" + (context.clientAddress ?? "unknown")
    }

    /// The token in an `Authorization` value: after a `Bearer` scheme, or alone when bare tokens are
    /// accepted. Plain Swift: Foundation's `trimmingCharacters` was 4 % of a one-attachment read.
    private func credentials(in header: String) -> String? {
        let value = header.drop { $0 == " " }
        guard let space = value.firstIndex(of: " ") else {
            return acceptsBareToken && !value.isEmpty ? String(value) : nil
        }
        let scheme = value[..<space]
        var token = value[space...].drop { $0 == " " || $0 == "\t" }
        while let last = token.last, last == " " || last == "\t" { token = token.dropLast() }
        if token.isEmpty {
            return acceptsBareToken ? String(scheme) : nil
        }
        return scheme.lowercased() == "bearer" ? String(token) : nil
    }
}
