import AttacheTestSupport
import Foundation
import Testing

@Suite("Downloads: ranges, validators and signed links", .timeLimit(.minutes(3)))
struct DownloadTests {
    /// Uploads a PDF and returns the attachment JSON and its bytes.
    static func uploaded(on server: TestServer) async throws -> ([String: Any], [UInt8]) {
        let record = try #require(try await server.createRecord()["uuid"] as? String)
        let pdf = Samples.pdf(size: 10_000, seed: 42)
        let attachment = try await server.upload("/v1/records/\(record)/attachments", token: server.writeToken, form: .file(fileName: "plan.pdf", bytes: pdf)).jsonObject()
        return (attachment, pdf)
    }

    @Test func rangesAndConditionalRequests() async throws {
        try await TestServer.with { server in
            let (attachment, pdf) = try await Self.uploaded(on: server)
            let path = "/v1/attachments/\(attachment["uuid"] as? String ?? "")/stream"
            let first = try await server.send(.GET, path, token: server.readToken, headers: [("Range", "bytes=0-9")])
            #expect(first.status == 206)
            #expect(first.header("Content-Range") == "bytes 0-9/10000")
            #expect(first.bytes == Array(pdf[0..<10]))
            let suffix = try await server.send(.GET, path, token: server.readToken, headers: [("Range", "bytes=-5")])
            #expect(suffix.status == 206)
            #expect(suffix.bytes == Array(pdf[9995...]))
            #expect(suffix.header("Content-Range") == "bytes 9995-9999/10000")
            let open = try await server.send(.GET, path, token: server.readToken, headers: [("Range", "bytes=9990-")])
            #expect(open.bytes == Array(pdf[9990...]))
            let beyond = try await server.send(.GET, path, token: server.readToken, headers: [("Range", "bytes=20000-")])
            #expect(beyond.status == 416)
            #expect(beyond.header("Content-Range") == "bytes */10000")

            let etag = try #require(first.header("ETag"))
            let notModified = try await server.send(.GET, path, token: server.readToken, headers: [("If-None-Match", etag)])
            #expect(notModified.status == 304)
            #expect(notModified.body.readableBytes == 0)
            let staleRange = try await server.send(.GET, path, token: server.readToken, headers: [("Range", "bytes=0-9"), ("If-Range", "\"other\"")])
            #expect(staleRange.status == 200)
            #expect(staleRange.bytes == pdf)
            let head = try await server.send(.HEAD, path, token: server.readToken)
            #expect(head.status == 200)
            #expect(head.header("Content-Length") == "10000")
        }
    }

    @Test func svgIsNeverInline() async throws {
        try await TestServer.with { server in
            let record = try #require(try await server.createRecord()["uuid"] as? String)
            let svg = Array(#"<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>"#.utf8)
            let attachment = try await server.upload("/v1/records/\(record)/attachments", token: server.writeToken, form: .file(fileName: "logo.svg", bytes: svg)).jsonObject()
            #expect(attachment["mimeType"] as? String == "image/svg+xml")
            let stream = try await server.send(.GET, "/v1/attachments/\(attachment["uuid"] as? String ?? "")/stream", token: server.readToken)
            #expect(stream.header("Content-Disposition")?.hasPrefix("attachment;") == true)
            #expect(stream.header("Content-Security-Policy") == "default-src 'none'; sandbox")
        }
    }

    @Test func signedLinksWorkWithoutATokenAndRefuseTampering() async throws {
        try await TestServer.with { server in
            let (attachment, pdf) = try await Self.uploaded(on: server)
            let link = try #require(attachment["downloadUrl"] as? String)
            #expect(link.hasPrefix(server.baseURL + "/v1/attachments/"))
            let opened = try await server.send(.GET, link)
            #expect(opened.status == 200)
            #expect(opened.bytes == pdf)
            let tampered = link.replacingOccurrences(of: "signature=", with: "signature=x")
            #expect(try await server.send(.GET, tampered).status == 403)
            let otherPath = link.replacingOccurrences(of: "/download?", with: "/stream?")
            #expect(try await server.send(.GET, otherPath).status == 403)
            let otherTenant = link.replacingOccurrences(of: "tenant=acme", with: "tenant=globex")
            #expect(try await server.send(.GET, otherTenant).status == 403)
            let later = link.replacingOccurrences(of: "expires=", with: "expires=9")
            #expect(try await server.send(.GET, later).status == 403)
            // The same number in another form is not the link the server issued.
            for form in ["expires=%2B", "expires=0", "expires=00"] {
                let other = link.replacingOccurrences(of: "expires=", with: form)
                #expect(try await server.send(.GET, other).status == 403, "\(form)")
            }
        }
    }

    @Test func expiredSignedLinksAreRefused() async throws {
        try await TestServer.with(signedURLLifetime: -1) { server in
            let (attachment, _) = try await Self.uploaded(on: server)
            let link = try #require(attachment["streamUrl"] as? String)
            let response = try await server.send(.GET, link)
            #expect(response.status == 403)
            #expect(try response.jsonObject()["detail"] as? String == "The link has expired; ask the API for a new one.")
        }
    }

    @Test func linksUseTheConfiguredPublicURL() async throws {
        try await TestServer.with(publicURL: "https://files.example.com/") { server in
            let (attachment, _) = try await Self.uploaded(on: server)
            let link = try #require(attachment["downloadUrl"] as? String)
            #expect(link.hasPrefix("https://files.example.com/v1/attachments/"))
            let local = link.replacingOccurrences(of: "https://files.example.com", with: server.baseURL)
            #expect(try await server.send(.GET, local).status == 200)
        }
    }
}
