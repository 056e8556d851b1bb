import AttacheCore
import AttacheHTTP
import Foundation
import HTTPTypes
import Hummingbird

/// The public side of share links, `/s/{token}`: pages and content for people outside the CRM, who
/// have a link and no token. Everything here acts as the share (``SharedAccess``): it can show and
/// serve only what the share shows, and every view and download is audited with the share as actor.
///
/// - `GET /s/{token}`: the page (HTML for a person, JSON for `Accept: application/json`);
/// - `POST /s/{token}/unlock`: the password (form or JSON); a right one gives an unlock cookie;
/// - `GET /s/{token}/files/{uuid}`: a file's content; `GET /s/{token}/archive.zip`: a record's ZIP;
/// - `POST /s/{token}/files`: files sent through a drop link (multipart), which shows nothing back.
package struct ShareController: Sendable {
    let faces: FaceServices

    package init(faces: FaceServices) {
        self.faces = faces
    }

    var service: AttacheService { faces.service }
    var content: ContentResponder { faces.content }
    var links: LinkBuilder { faces.links }
    var signer: URLSigner { faces.signedLinks.signer }

    package func addRoutes(to group: FaceRoutes) {
        // No bearer token is needed, but the middleware still counts requests per address (`--rate-limit`).
        let routes = group.renderingErrors(with: ShareErrorPage.response).group("s")
            .add(middleware: BearerAuthenticationMiddleware(service: service))
        routes.get("share.css") { request, _ in
            SharePage.asset(ShareStylesheet.text, etag: ShareStylesheet.etag, contentType: "text/css; charset=utf-8", for: request)
        }
        routes.get("icon.svg") { request, _ in
            SharePage.asset(ShareIcon.text, etag: ShareIcon.etag, contentType: "image/svg+xml", for: request)
        }
        routes.get("drop.js") { request, _ in
            SharePage.asset(ShareScript.text, etag: ShareScript.etag, contentType: "text/javascript; charset=utf-8", for: request)
        }
        routes.get(":token", use: page)
        routes.post(":token/unlock", use: unlock)
        routes.post(":token/files", use: drop)
        routes.get(":token/files/:uuid", use: file)
        routes.head(":token/files/:uuid", use: file)
        routes.get(":token/archive.zip", use: archive)
        routes.head(":token/archive.zip", use: archive)
        addUploadRoutes(to: routes)
    }

    // MARK: Access

    /// The live share the request's token names. - Throws: one `notFound` for every token that is not one.
    func open(_ request: Request, context: AttacheRequestContext) async throws -> SharedAccess {
        try await service.openShare(token: context.parameters.get("token") ?? "", origin: context.origin)
    }

    /// Whether the request carries a valid unlock cookie for the share's current password (or the
    /// share has none).
    func isUnlocked(_ access: SharedAccess, request: Request) async -> Bool {
        guard let version = access.passwordVersion else { return true }
        guard let ticket = request.cookies[ShareCookie.unlock]?.value else { return false }
        return await signer.isValidTicket(ticket, for: ShareCookie.unlockSubject(share: access.share.id, passwordVersion: version))
    }

    /// The share, if the request may see its content. - Throws: `passwordRequired` without a valid unlock.
    func unlocked(_ request: Request, context: AttacheRequestContext) async throws -> SharedAccess {
        let access = try await open(request, context: context)
        guard await isUnlocked(access, request: request) else {
            throw AttacheError(.passwordRequired, "This link needs its password: send it to \(pagePath(context))/unlock.")
        }
        return access
    }

    /// The share's page path (with the token the request named).
    func pagePath(_ context: AttacheRequestContext) -> String {
        "/s/" + (context.parameters.get("token") ?? "")
    }

    /// The share's page as the client reaches it: its absolute URL (``LinkBuilder/publicURL(path:request:)``,
    /// with `--public-url` behind a proxy) and that URL's path, which scopes the share's cookies.
    func pageLocation(_ request: Request, context: AttacheRequestContext) -> (url: String, path: String) {
        let url = links.publicURL(path: pagePath(context), request: request)
        return (url, URLComponents(string: url)?.path ?? pagePath(context))
    }

    /// Whether the client is a person's browser rather than a script: it asks for HTML, or asks for
    /// nothing in particular and did not send JSON (nor speak tus, nor ask OPTIONS).
    static func wantsHTML(_ request: Request) -> Bool {
        // tus clients (they send Tus-Resumable), and discovery (OPTIONS), which no browser navigates to.
        if request.headers[.tusResumable] != nil || request.method == .options { return false }
        let accept = request.headers[.accept] ?? ""
        if accept.contains("text/html") { return true }
        if accept.contains("application/json") { return false }
        return HeaderParameters(request.headers[.contentType] ?? "").value != "application/json"
    }

    /// Cookies of this share are `Secure` when the server is reached over HTTPS.
    func isSecure(_ request: Request) -> Bool {
        links.baseURL(for: request).hasPrefix("https://")
    }
}
