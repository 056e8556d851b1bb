import AttacheCore
import AttacheHTTP
import Foundation
import HTTPTypes
import Hummingbird

extension ShareController {
    /// How a drop link reads a request: every file part of a `multipart/form-data` body.
    static let dropForm = UploadForm(
        fileParts: .any,
        missingFile: AttacheError(.missingFile, "Send the files as multipart/form-data file parts (with a filename).")
    )

    /// `POST /s/{token}/files`: files sent through a drop link, through the one upload intake, into
    /// the link's record. A script gets `201` and a ``DropReceipt``; a browser's form goes back to the
    /// page (`303`), which says how many arrived.
    @Sendable func drop(_ request: Request, context: AttacheRequestContext) async throws -> Response {
        let access = try await unlocked(request, context: context)
        let drop = try await service.openDrop(access)
        var form = Self.dropForm
        form.policy = drop.policy
        let sender = AuthenticatedRequestContext(base: context, principal: drop.principal)
        let stored = try await faces.intake.receive(request, context: sender, for: drop.record, form: form) { received in
            try await service.storeDroppedFiles(drop, received.batch)
        }
        guard Self.wantsHTML(request) else {
            var response = try DropReceipt(files: stored, share: drop.share).response(from: request, context: context)
            response.status = .created
            response.headers[.cacheControl] = "no-store"
            return response
        }
        let base = pageLocation(request, context: context).url
        return Response(status: .seeOther, headers: [.location: base + "?sent=\(stored.count)", .cacheControl: "no-store"])
    }

    /// A drop link's page: its form (HTML) or what it takes (JSON).
    func dropPage(_ access: SharedAccess, request: Request, context: AttacheRequestContext) async throws -> Response {
        let view = DropView(
            share: access.share, policy: service.dropPolicy(access.share), resumableLimits: service.resumableLimits,
            base: pageLocation(request, context: context).url
        )
        try await service.recordShareView(access)
        guard Self.wantsHTML(request) else {
            var response = try view.response(from: request, context: context)
            response.headers[.cacheControl] = "no-store"
            response.headers[.vary] = "Accept, Cookie"
            return response
        }
        let sent = request.uri.queryParameters["sent"].flatMap { Int(String($0)) }
        return SharePage.dropForm(view, sent: sent, text: .preferred(by: request)).response(status: .ok)
    }
}
