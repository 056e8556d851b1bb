import AttacheTestSupport
import Foundation
import Testing

@Suite("Web page routes", .timeLimit(.minutes(3)))
struct WebPageTests {
    @Test func pageAndDeepLinksServeTheHTMLWithAStrictPolicy() async throws {
        try await TestServer.with(mode: .router) { server in
            for path in ["/ui", "/ui/records/\(UUID().uuidString.lowercased())"] {
                let page = try await server.send(.GET, path)
                #expect(page.status == 200, "\(path)")
                #expect(page.header("Content-Type") == "text/html; charset=utf-8")
                #expect(page.text.contains("<script type=\"module\" src=\"/ui/assets/app.js\"></script>"))
                let policy = try #require(page.header("Content-Security-Policy"))
                #expect(policy.contains("default-src 'none'"))
                #expect(policy.contains("script-src 'self'"))
                #expect(policy.contains("frame-ancestors 'none'"))
                #expect(!policy.contains("unsafe-inline"))
                #expect(page.header("X-Content-Type-Options") == "nosniff")
                #expect(page.header("Referrer-Policy") == "no-referrer")
                #expect(page.header("Cache-Control") == "no-cache")
            }
        }
    }

    @Test(arguments: [
        ("app.js", "text/javascript; charset=utf-8"), ("api.js", "text/javascript; charset=utf-8"),
        ("format.js", "text/javascript; charset=utf-8"), ("style.css", "text/css; charset=utf-8"), ("icon.svg", "image/svg+xml"),
    ])
    func assetsHaveTheirTypesAndRevalidate(name: String, type: String) async throws {
        try await TestServer.with(mode: .router) { server in
            let asset = try await server.send(.GET, "/ui/assets/\(name)")
            #expect(asset.status == 200)
            #expect(asset.header("Content-Type") == type)
            #expect(asset.header("Cache-Control") == "no-cache")
            let etag = try #require(asset.header("ETag"))
            let again = try await server.send(.GET, "/ui/assets/\(name)", headers: [("If-None-Match", etag)])
            #expect(again.status == 304)
            #expect(again.body.readableBytes == 0)
        }
    }

    @Test func rootLeadsToThePage() async throws {
        try await TestServer.with(mode: .router) { server in
            let root = try await server.sendRaw(.GET, "/", headers: [])
            #expect(root.status == 302)
            let location = try #require(root.header("Location"))
            let page = try await server.sendRaw(.GET, location, headers: [])
            #expect(page.status == 200)
            #expect(page.text.contains("<title>Attache"))
        }
    }

    @Test func pageUsesNoExternalResources() async throws {
        try await TestServer.with(mode: .router) { server in
            for path in ["/ui", "/ui/assets/app.js", "/ui/assets/style.css", "/ui/assets/api.js", "/ui/assets/format.js"] {
                let text = try await server.send(.GET, path).text
                #expect(!text.contains("https://"), "\(path)")
                #expect(!text.contains("localStorage"), "\(path)")
            }
            #expect(try await server.send(.GET, "/ui/assets/missing.js").status == 404)
        }
    }
}
