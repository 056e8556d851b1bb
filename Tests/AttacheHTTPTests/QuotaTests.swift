import AttacheTestSupport
import AttacheCore
import Foundation
import NIOCore
import Testing

/// Tenant quotas over HTTP: refused before the body when `Content-Length` shows the upload cannot fit,
/// while streaming when it does not say, in each face's error shape, with nothing stored; usage in
/// the native API.
@Suite("Quotas", .timeLimit(.minutes(3)))
struct QuotaTests {
    @Test func uploadsStopAtTheQuotaAndUsageShowsIt() async throws {
        try await TestServer.with { server in
            _ = try await server.service.setQuota(tenantSlug: "acme", TenantQuota(maximumBytes: 5000, maximumFiles: 3))
            let contact = try await server.record(type: "contact")
            let usage = try await server.send(.GET, "/v1/usage", token: server.readToken).jsonObject()
            #expect(usage["bytes"] as? Int == 0 && usage["files"] as? Int == 0)
            #expect(usage["maxBytes"] as? Int == 5000 && usage["maxFiles"] as? Int == 3)

            let first = try await server.upload("/v1/records/\(contact.uuid)/attachments", token: server.writeToken, form: .file(fileName: "a.pdf", bytes: Samples.pdf(size: 2000)))
            #expect(first.status == 201)
            let tooBig = try await server.upload("/v1/records/\(contact.uuid)/attachments", token: server.writeToken, form: .file(fileName: "b.pdf", bytes: Samples.pdf(size: 4000, seed: 2)))
            // 403, not a 5xx that clients retry; the problem names the limit and what is left.
            #expect(tooBig.status == 403)
            let problem = try tooBig.jsonObject()
            #expect(problem["code"] as? String == "quota_exceeded")
            #expect(problem["detail"] as? String
                == "The upload does not fit the tenant's quota of 5 kB: 3 kB left. Nothing was stored; delete files or ask for a larger quota.")
            let quota = try #require(problem["quota"] as? [String: Any])
            #expect(quota["limit"] as? String == "bytes" && quota["maximum"] as? Int == 5000 && quota["used"] as? Int == 2000 && quota["remaining"] as? Int == 3000)
            let after = try await server.send(.GET, "/v1/usage", token: server.readToken).jsonObject()
            #expect(after["bytes"] as? Int == 2000 && after["files"] as? Int == 1)
            #expect(try await server.stagedCount() == 0)

            // Each vendor face answers in its own shape.
            let propertyDeck = try await PropertyDeckClient.create(server, on: "/contacts/\(contact.uuid)/attachments", name: "c.pdf", bytes: Samples.pdf(size: 4000, seed: 3))
            #expect(propertyDeck.status == 422)
            _ = try await server.record(type: "person", externalIdentifier: "P-quota")
            let bloxs = try await BloxsClient.upload(server, token: try await BloxsClient.signIn(server), query: "externalIdentifier=P-quota", form: .file("File", fileName: "d.pdf", bytes: Samples.pdf(size: 4000, seed: 4)))
            #expect(bloxs.status == 400)
            #expect(try bloxs.jsonObject().object("errors")?["File"] != nil)
        }
    }

    /// The declared length is refused before the client sends the body (`Expect: 100-continue`).
    @Test func aDeclaredLengthThatCannotFitIsRefusedBeforeTheBody() async throws {
        try await TestServer.with { server in
            _ = try await server.service.setQuota(tenantSlug: "acme", TenantQuota(maximumBytes: 1000))
            let contact = try await server.record(type: "contact")
            let connection = try RawConnection(port: server.port)
            defer { connection.close() }
            try await connection.send(ExpectContinueTests.head(path: "/v1/records/\(contact.uuid)/attachments", token: server.writeToken, length: 5000, boundary: "b"))
            let answer = try await connection.receive(until: "}")
            #expect(answer.hasPrefix("HTTP/1.1 403"), "\(answer.prefix(60))")
        }
    }

    /// Without `Content-Length` (chunked), the upload stops once it passes the room left.
    @Test func aChunkedUploadStopsWhenItPassesTheRoomLeft() async throws {
        try await TestServer.with { server in
            _ = try await server.service.setQuota(tenantSlug: "acme", TenantQuota(maximumBytes: 3000))
            let contact = try await server.record(type: "contact")
            let form = MultipartForm.file(fileName: "big.pdf", bytes: Samples.pdf(size: 100_000))
            let connection = try RawConnection(port: server.port)
            defer { connection.close() }
            try await connection.send(
                "POST /v1/records/\(contact.uuid)/attachments HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer \(server.writeToken)\r\n"
                    + "Content-Type: \(form.contentType)\r\nTransfer-Encoding: chunked\r\n\r\n"
            )
            let body = Array(form.body.readableBytesView)
            try await connection.send(Array(String(body.count, radix: 16).utf8) + Array("\r\n".utf8) + body + Array("\r\n0\r\n\r\n".utf8))
            let answer = try await connection.receive(until: "}")
            #expect(answer.hasPrefix("HTTP/1.1 403"), "\(answer.prefix(60))")
            #expect(try await server.stagedCount() == 0)
            #expect(try await server.service.usage(tenantID: server.tenant.id).bytes == 0)
        }
    }

    /// The file count is a limit of its own, named as such.
    @Test func theFileLimitIsNamedWhenItIsTheOneReached() async throws {
        try await TestServer.with { server in
            _ = try await server.service.setQuota(tenantSlug: "acme", TenantQuota(maximumBytes: 1_000_000, maximumFiles: 1))
            let first = try await server.upload("/v1/files", token: server.writeToken, form: .file(fileName: "a.pdf", bytes: Samples.pdf(seed: 1)))
            #expect(first.status == 201)
            let second = try await server.upload("/v1/files", token: server.writeToken, form: .file(fileName: "b.pdf", bytes: Samples.pdf(seed: 2)))
            #expect(second.status == 403)
            let problem = try second.jsonObject()
            #expect(problem["detail"] as? String == "The upload does not fit the tenant's quota of 1 file: 0 left. Nothing was stored; delete files or ask for a larger quota.")
            #expect((problem["quota"] as? [String: Any])?["limit"] as? String == "files")
        }
    }
}
