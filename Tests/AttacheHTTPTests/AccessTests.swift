import AttacheTestSupport
import Foundation
import Testing

@Suite("Access: tokens, scopes and tenant isolation", .timeLimit(.minutes(3)))
struct AccessTests {
    @Test func missingOrInvalidTokensAreUnauthorized() async throws {
        try await TestServer.with { server in
            let none = try await server.send(.GET, "/v1/records")
            #expect(none.status == 401)
            #expect(none.header("WWW-Authenticate") == "Bearer realm=\"attache\"")
            #expect(try await server.send(.GET, "/v1/records", token: "att_not-a-real-token").status == 401)
            #expect(try await server.send(.GET, "/v1/records", headers: [("Authorization", "bearer \(server.readToken)")]).status == 200)
        }
    }

    @Test func readTokensCannotWrite() async throws {
        try await TestServer.with { server in
            let record = try #require(try await server.createRecord()["uuid"] as? String)
            let upload = try await server.upload("/v1/records/\(record)/attachments", token: server.readToken, form: .file(fileName: "a.pdf", bytes: Samples.pdf()))
            #expect(upload.status == 403)
            #expect(try await server.sendJSON(.POST, "/v1/records", token: server.readToken, json: #"{"type":"person"}"#).status == 403)
            #expect(try await server.send(.DELETE, "/v1/records/\(record)", token: server.readToken).status == 403)
            #expect(try await server.send(.GET, "/v1/records/\(record)", token: server.readToken).status == 200)
            #expect(try await server.stagedCount() == 0)
        }
    }

    @Test func anotherTenantsObjectsAreNotFound() async throws {
        try await TestServer.with { server in
            let record = try #require(try await server.createRecord()["uuid"] as? String)
            let attachment = try await server.upload("/v1/records/\(record)/attachments", token: server.writeToken, form: .file(fileName: "a.pdf", bytes: Samples.pdf())).jsonObject()
            let uuid = try #require(attachment["uuid"] as? String)
            let fileID = try #require(attachment["fileId"] as? Int)
            let intruder = server.otherToken
            for path in [
                "/v1/records/\(record)", "/v1/records/\(record)/attachments", "/v1/attachments/\(uuid)",
                "/v1/attachments/\(uuid)/download", "/v1/attachments/\(uuid)/stream", "/v1/files/\(fileID)",
                "/v1/files/\(fileID)/download",
            ] {
                #expect(try await server.send(.GET, path, token: intruder).status == 404, "GET \(path)")
            }
            #expect(try await server.send(.DELETE, "/v1/attachments/\(uuid)", token: intruder).status == 404)
            #expect(try await server.send(.DELETE, "/v1/files/\(fileID)", token: intruder).status == 404)
            #expect(try await server.sendJSON(.PATCH, "/v1/records/\(record)", token: intruder, json: #"{"title":"x"}"#).status == 404)
            #expect(try await server.upload("/v1/records/\(record)/attachments", token: intruder, form: .file(fileName: "b.pdf", bytes: Samples.pdf())).status == 404)
            let intruderRecord = try #require(try await server.createRecord(token: intruder)["uuid"] as? String)
            let link = try await server.sendJSON(.POST, "/v1/records/\(intruderRecord)/attachments", token: intruder, json: "{\"fileIds\":[\(fileID)]}")
            #expect(link.status == 404)
            let theirList = try await server.send(.GET, "/v1/records", token: intruder).jsonObject()
            #expect((theirList["items"] as? [[String: Any]])?.map { $0["uuid"] as? String } == [intruderRecord])
            #expect(try await server.send(.GET, "/v1/attachments/\(uuid)", token: server.readToken).status == 200)
        }
    }
}
