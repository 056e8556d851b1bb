import AttacheApplication
import AttacheHTTP
import AttacheTestSupport
import Foundation
import NIOHTTP1
import Prometheus
import Testing

/// No route can be reached without a caller unless it is meant to be public: every route the server
/// registers, sent without a token, is refused with 401, or is a wrong-method answer (405), or is on
/// the short list of public routes below. A route added without authentication fails here.
@Suite("Routes need a caller", .timeLimit(.minutes(3)))
struct RouteAuthenticationTests {
    /// Routes that answer without a token, by `METHOD path` as the router names them.
    static let publicRoutes: Set<String> = [
        "GET /", "GET /healthz", "GET /readyz", "GET /openapi.json",
        "GET /ui", "GET /ui/records/{uuid}", "GET /ui/assets/{name}",
        "OPTIONS /v1/uploads", "OPTIONS /v1/uploads/{uuid}",
        "POST /Authorization",
        "POST /api/2.0/authentication", "POST /api/2.0/authentication.json",
        // Share links: the token in the path is the credential (ShareTests).
        "GET /s/share.css", "GET /s/{token}", "POST /s/{token}/unlock", "GET /s/{token}/files/{uuid}", "HEAD /s/{token}/files/{uuid}",
        "GET /s/{token}/archive.zip", "HEAD /s/{token}/archive.zip", "GET /s/drop.js", "GET /s/icon.svg", "POST /s/{token}/files",
        "OPTIONS /s/{token}/uploads", "POST /s/{token}/uploads", "OPTIONS /s/{token}/uploads/{uuid}", "HEAD /s/{token}/uploads/{uuid}",
        "PATCH /s/{token}/uploads/{uuid}", "DELETE /s/{token}/uploads/{uuid}",
    ]

    @Test func everyRouteButThePublicOnesRefusesARequestWithoutAToken() async throws {
        try await TestServer.with(mode: .router) { server in
            let router = AttacheServer.buildRouter(
                service: server.service,
                settings: ServerSettings(maximumRequestSize: 1024, metrics: MetricsEndpoint(registry: PrometheusCollectorRegistry(), token: "metrics-secret")),
                signer: URLSigner(secret: Array(repeating: 7, count: 32), lifetime: 60)
            )
            var checked = 0
            var seenPublic: Set<String> = []
            for route in router.routes {
                let name = "\(route.method) \(route.path)"
                if Self.publicRoutes.contains(name) {
                    seenPublic.insert(name)
                    continue
                }
                let path = route.path.description
                    .split(separator: "/", omittingEmptySubsequences: false)
                    .map { $0.hasPrefix("{") ? ($0 == "{uuid}" ? UUID().uuidString.lowercased() : "1") : String($0) }
                    .joined(separator: "/")
                // tus routes check the protocol version before anything else.
                let tus = path.hasPrefix("/v1/uploads") ? [("Tus-Resumable", "1.0.0")] : []
                let response = try await server.send(HTTPMethod(rawValue: route.method.rawValue), path, headers: tus)
                if response.status == 405 {
                    // A wrong-method answer: the method is not among those the path allows.
                    let allowed = (response.header("Allow") ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                    #expect(!allowed.contains(route.method.rawValue), "\(name) answered 405 with Allow: \(allowed)")
                } else if response.status == 404, response.text.contains("Cannot \(route.method.rawValue) \(path)") {
                    // HighLevel's wrong-method answer: NestJS's "Cannot GET /path" 404.
                } else {
                    #expect(response.status == 401, "\(name) answered \(response.status) without a token")
                    checked += 1
                }
            }
            #expect(checked >= 40, "only \(checked) authenticated routes were found")
            #expect(seenPublic == Self.publicRoutes, "public routes that no longer exist: \(Self.publicRoutes.subtracting(seenPublic))")
        }
    }
}
