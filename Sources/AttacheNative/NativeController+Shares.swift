import AttacheCore
import AttacheHTTP
import Foundation
import Hummingbird

extension NativeController {
    /// `POST /v1/attachments/{uuid}/shares`
    @Sendable func shareAttachment(_ request: Request, context: AuthenticatedRequestContext) async throws -> Response {
        try await createShare(for: .attachment(try uuidParameter(context, what: "attachment")), request: request, context: context)
    }

    /// `POST /v1/records/{uuid}/shares`
    @Sendable func shareRecord(_ request: Request, context: AuthenticatedRequestContext) async throws -> Response {
        try await createShare(for: .record(try uuidParameter(context, what: "record")), request: request, context: context)
    }

    private func createShare(for target: Share.Target, request: Request, context: AuthenticatedRequestContext) async throws -> Response {
        let principal = try context.principal(allowedTo: .write)
        let input = try await RequestBodyDecoder().decode(CreateShareRequest.self, from: request)
        let options = ShareOptions(
            kind: input.kind, label: input.label, expiresAt: input.expiresAt, maxDownloads: input.maxDownloads, maxFiles: input.maxFiles,
            maxBytes: input.maxBytes, password: input.password
        )
        let issued = try await service.createShare(principal, for: target, options: options)
        var response = try created(NativeShare(issued: issued, request: request, links: links), request: request, context: context)
        // The answer holds the token, which is never shown again.
        response.headers[.cacheControl] = "no-store"
        return response
    }

    /// `GET /v1/shares[?record=&attachment=&limit=&cursor=]`, newest first.
    @Sendable func listShares(_ request: Request, context: AuthenticatedRequestContext) async throws -> NativeList<NativeShare> {
        let query = request.uri.queryParameters
        func uuid(_ name: String) throws(AttacheError) -> UUID? {
            guard let text = query[Substring(name)] else { return nil }
            guard let uuid = UUID(text: String(text)) else {
                throw AttacheError(.invalidInput, "\(name) must be a uuid.", field: name)
            }
            return uuid
        }
        let page = try NewestFirstPageRequest(limit: limitParameter(request), cursor: query["cursor"].map(String.init))
        let shares = try await service.shares(context.principal, record: try uuid("record"), attachment: try uuid("attachment"), page: page)
        let now = Date()
        return NativeList(items: shares.items.map { NativeShare($0, now: now) }, nextCursor: shares.nextCursor)
    }

    /// `GET /v1/shares/{id}`
    @Sendable func getShare(_ request: Request, context: AuthenticatedRequestContext) async throws -> NativeShare {
        NativeShare(try await service.share(context.principal, id: try shareID(context)))
    }

    /// `PATCH /v1/shares/{id}`: label, expiry, limits, password (`null` removes one).
    @Sendable func updateShare(_ request: Request, context: AuthenticatedRequestContext) async throws -> NativeShare {
        let principal = try context.principal(allowedTo: .write)
        let id = try shareID(context)
        let input = try await RequestBodyDecoder().decode(UpdateShareRequest.self, from: request)
        let share = try await service.updateShare(
            principal, id: id, label: input.label, expiresAt: input.expiresAt, maxDownloads: input.maxDownloads, maxFiles: input.maxFiles,
            maxBytes: input.maxBytes, password: input.password
        )
        return NativeShare(share)
    }

    /// `DELETE /v1/shares/{id}`: revokes the link; the share stays listed as `revoked`.
    @Sendable func revokeShare(_ request: Request, context: AuthenticatedRequestContext) async throws -> Response {
        let principal = try context.principal(allowedTo: .write)
        _ = try await service.revokeShare(principal, id: try shareID(context))
        return Response(status: .noContent)
    }

    private func shareID(_ context: some RequestContext) throws(AttacheError) -> UUID {
        guard let text = context.parameters.get("id"), let id = UUID(text: text) else {
            throw AttacheError(.notFound, "There is no share \(context.parameters.get("id") ?? "").")
        }
        return id
    }
}
