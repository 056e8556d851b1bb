import AttacheCore
import AttacheHTTP
import Foundation
import HTTPTypes
import Hummingbird

/// Large files through a drop link: tus 1.0 at `/s/{token}/uploads`, the link (and its unlock cookie,
/// when it has a password) as the only credential. Each request opens the link again, so a link
/// revoked, expired or full stops its uploads at their next request; an upload is reachable only
/// through the link that made it, and its answers name nothing of what it became.
extension ShareController {
    func addUploadRoutes(to routes: RouterGroup<AttacheRequestContext>) {
        let uploads = routes.group(":token/uploads").add(middleware: TusProtocolMiddleware())
        uploads.on("", method: .options) { _, _ in tus.options() }
        uploads.on(":uuid", method: .options) { _, context in
            _ = try Self.uploadID(context)
            return tus.options()
        }
        uploads.post { request, context in
            let (drop, sender) = try await openDrop(request, context: context)
            return try await tus.create(request, context: sender) { new in try await service.createDropUpload(drop, new) }
        }
        // Where an upload stands, and abandoning it, are answered even when the link is full: the file
        // that filled it may be this upload's, whose last answer the client did not get.
        uploads.head(":uuid") { request, context in
            try await tus.offset(request, context: openDrop(request, context: context, takingBytes: false).sender, id: Self.uploadID(context))
        }
        uploads.patch(":uuid") { request, context in
            try await tus.append(request, context: openDrop(request, context: context).sender, id: Self.uploadID(context))
        }
        uploads.delete(":uuid") { request, context in
            try await tus.terminate(request, context: openDrop(request, context: context, takingBytes: false).sender, id: Self.uploadID(context))
        }
    }

    /// The drop link's tus endpoint: no deferred lengths or concatenation, nothing shown back.
    var tus: TusEndpoint {
        let links = links
        return TusEndpoint(faces: faces, offer: .dropLink) { request, context in
            links.publicURL(path: "/s/" + (context.parameters.get("token") ?? "") + "/uploads", request: request)
        }
    }

    /// The live, unlocked drop link the request names, and the context its upload runs in (as the link).
    func openDrop(
        _ request: Request, context: AttacheRequestContext, takingBytes: Bool = true
    ) async throws -> (drop: DropAccess, sender: AuthenticatedRequestContext) {
        let drop = try await service.openDrop(try await unlocked(request, context: context), takingBytes: takingBytes)
        return (drop, AuthenticatedRequestContext(base: context, principal: drop.principal))
    }

    static func uploadID(_ context: some RequestContext) throws(AttacheError) -> UUID {
        guard let text = context.parameters.get("uuid"), let id = UUID(text: text) else {
            throw AttacheError(.notFound, "There is no such upload.")
        }
        return id
    }
}
