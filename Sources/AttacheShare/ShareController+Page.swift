import AttacheCore
import AttacheHTTP
import Foundation
import HTTPTypes
import Hummingbird

extension ShareController {
    /// `GET /s/{token}`: what the share shows, or its password form; every view is audited.
    @Sendable func page(_ request: Request, context: AttacheRequestContext) async throws -> Response {
        let access = try await open(request, context: context)
        let base = pageLocation(request, context: context).url
        guard await isUnlocked(access, request: request) else {
            guard Self.wantsHTML(request) else {
                throw AttacheError(.passwordRequired, "This link needs its password: send it to \(pagePath(context))/unlock.")
            }
            return SharePage.passwordForm(action: base + "/unlock", failure: nil, text: .preferred(by: request)).response(status: .ok)
        }
        if access.share.kind == .upload {
            return try await dropPage(access, request: request, context: context)
        }
        let (record, files) = try await service.sharedItems(access)
        try await service.recordShareView(access)
        let view = SharedView(access: access, record: record, files: files, base: base)
        guard Self.wantsHTML(request) else {
            var response = try view.response(from: request, context: context)
            response.headers[.cacheControl] = "no-store"
            response.headers[.vary] = "Accept, Cookie"
            return response
        }
        return SharePage.contents(view, text: .preferred(by: request)).response(status: .ok)
    }

    /// `POST /s/{token}/unlock`: a form's or a JSON body's `password`. A right one sets the unlock
    /// cookie (a form then goes back to the page, 303; a script gets 204); a wrong one is 403
    /// `password_required` (the form again, for a person), and too many from one address 429.
    @Sendable func unlock(_ request: Request, context: AttacheRequestContext) async throws -> Response {
        let access = try await open(request, context: context)
        let isForm = HeaderParameters(request.headers[.contentType] ?? "").value == "application/x-www-form-urlencoded"
        let (base, path) = pageLocation(request, context: context)
        let password = try await RequestBodyDecoder(acceptsForms: true).decode(UnlockRequest.self, from: request).password
        do {
            try await service.unlockShare(access, password: password)
        } catch let error as AttacheError where isForm && (error.code == .passwordRequired || error.code == .tooManyRequests) {
            let text = ShareText.preferred(by: request)
            let form = SharePage.passwordForm(action: base + "/unlock", failure: text.passwordRefusal(error), text: text)
            var response = form.response(status: error.code.httpStatus)
            response.headers.append(contentsOf: error.rateLimitHeaders)
            return response
        }
        var response = isForm ? Response(status: .seeOther, headers: [.location: base]) : Response(status: .noContent)
        if let version = access.passwordVersion {
            let lifetime = min(ShareCookie.unlockLifetime, access.share.expiresAt.map { $0.timeIntervalSinceNow } ?? .infinity)
            let ticket = signer.ticket(for: ShareCookie.unlockSubject(share: access.share.id, passwordVersion: version), lifetime: lifetime)
            response.setCookie(
                Cookie(
                    name: ShareCookie.unlock, value: ticket.value, maxAge: max(Int(ticket.expiresAt.timeIntervalSinceNow), 1), path: path,
                    secure: isSecure(request), httpOnly: true, sameSite: .lax
                )
            )
        }
        response.headers[.cacheControl] = "no-store"
        return response
    }
}

/// `POST /s/{token}/unlock` body.
struct UnlockRequest: Decodable {
    var password: String
}
