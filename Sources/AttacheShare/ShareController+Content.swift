import AttacheCore
import AttacheHTTP
import Foundation
import HTTPTypes
import Hummingbird

extension ShareController {
    /// `GET|HEAD /s/{token}/files/{uuid}`: one of the share's files, as a download.
    @Sendable func file(_ request: Request, context: AttacheRequestContext) async throws -> Response {
        let access = try await unlocked(request, context: context)
        guard let uuid = context.parameters.get("uuid").flatMap(UUID.init(text:)) else {
            throw AttacheError(.notFound, "This link shows no such file.")
        }
        let attached = try await service.sharedFile(access, attachment: uuid)
        let etag = "\"\(attached.file.sha256)\""
        let counted = await counting(access, item: uuid.lowercasedText, etag: etag, request: request, context: context)
        let response = try await content.respond(
            to: request, file: attached.file, through: attached, principal: access.principal, disposition: .download, redirects: false,
            admit: counted.admit
        )
        return counted.finish(response)
    }

    /// `GET|HEAD /s/{token}/archive.zip`: a record share's files as one ZIP.
    @Sendable func archive(_ request: Request, context: AttacheRequestContext) async throws -> Response {
        let access = try await unlocked(request, context: context)
        let archive = try await service.sharedArchive(access)
        let counted = await counting(access, item: "archive", etag: archive.etag, request: request, context: context)
        return counted.finish(try await content.respond(to: request, archive: archive, principal: access.principal, admit: counted.admit))
    }

    /// How a response that sends content is counted against the share's download limit: every one is
    /// (a `Range` request too), except a `Range` request with the continuation cookie of a download of
    /// the same content counted within the hour (a browser or download tool resuming it). A counted
    /// response sets that cookie; a continuation does not renew it, so one count buys one hour at most.
    private func counting(
        _ access: SharedAccess, item: String, etag: String, request: Request, context: AttacheRequestContext
    ) async -> (admit: @Sendable () async throws -> Void, finish: (Response) -> Response) {
        let subject = ShareCookie.continuationSubject(share: access.share.id, item: item, etag: etag)
        var continuing = false
        if request.headers[.range] != nil, let ticket = request.cookies[ShareCookie.download]?.value {
            continuing = await signer.isValidTicket(ticket, for: subject)
        }
        let continues = continuing
        let service = self.service
        let admit: @Sendable () async throws -> Void = {
            if !continues { _ = try await service.countSharedDownload(access) }
        }
        let path = URLComponents(string: links.publicURL(path: request.uri.path, request: request))?.path ?? request.uri.path
        let secure = isSecure(request)
        let finish = { (response: Response) -> Response in
            guard !continues, request.method == .get, response.status == .ok || response.status == .partialContent else { return response }
            var response = response
            let ticket = signer.ticket(for: subject, lifetime: ShareCookie.continuationLifetime)
            response.setCookie(
                Cookie(
                    name: ShareCookie.download, value: ticket.value, maxAge: max(Int(ticket.expiresAt.timeIntervalSinceNow), 1), path: path,
                    secure: secure, httpOnly: true, sameSite: .lax
                )
            )
            return response
        }
        return (admit, finish)
    }
}
