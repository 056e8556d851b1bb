import AttacheCore
import AttacheHTTP
import HTTPTypes
import Hummingbird
import NIOCore

/// The web page for a record's files: `/ui`, deep links `/ui/records/{uuid}`, and its assets under
/// `/ui/assets/`. Plain HTML, CSS and JavaScript modules from the package's resources; no build step,
/// no external fonts or scripts. The page talks to the native API with a token kept in session storage.
package struct WebController: Sendable {
    /// The files the page is made of, by name.
    static let assetNames = ["app.js", "api.js", "tus.js", "format.js", "i18n.js", "style.css", "icon.svg"]

    /// The page may load only its own scripts and styles and talk only to this server; content previews
    /// come from this server's signed links, which carry their own sandbox policy.
    static let contentSecurityPolicy = [
        "default-src 'none'", "script-src 'self'", "style-src 'self'", "img-src 'self'", "media-src 'self'",
        "frame-src 'self'", "connect-src 'self'", "base-uri 'none'", "form-action 'self'", "frame-ancestors 'none'",
    ].joined(separator: "; ")

    private let page: WebAsset?
    private let assets: [String: WebAsset]

    /// - Parameter apiBase: where the native API is mounted (`/v1`, or `/prefix/v1`); the page reads it
    ///   from its `attache-api-base` meta element.
    package init(apiBase: String) {
        page = WebAsset.load("index.html", replacing: ["{{apiBase}}": apiBase])
        assets = Dictionary(uniqueKeysWithValues: Self.assetNames.compactMap { name in WebAsset.load(name).map { (name, $0) } })
    }

    package func addRoutes(to router: FaceRoutes) {
        let servePage = { @Sendable (request: Request, _: AttacheRequestContext) throws -> Response in
            try serve(page, request: request)
        }
        router.get("/") { _, _ in Response(status: .found, headers: [.location: "/ui"]) }
        router.get("ui", use: servePage)
        router.get("ui/records/:uuid", use: servePage)
        router.get("ui/assets/:name") { request, context in
            try serve(assets[context.parameters.get("name") ?? ""], request: request)
        }
    }

    private func serve(_ asset: WebAsset?, request: Request) throws -> Response {
        guard let asset else { throw AttacheError(.notFound, ErrorTranslation.noRouteMessage) }
        var headers: HTTPFields = [
            .eTag: asset.etag,
            .cacheControl: "no-cache",
            .xContentTypeOptions: "nosniff",
            .contentSecurityPolicy: Self.contentSecurityPolicy,
            .referrerPolicy: "no-referrer",
        ]
        if request.headers[.ifNoneMatch] == asset.etag {
            return Response(status: .notModified, headers: headers)
        }
        headers[.contentType] = asset.contentType
        headers[.contentLength] = String(asset.body.readableBytes)
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: asset.body))
    }
}
