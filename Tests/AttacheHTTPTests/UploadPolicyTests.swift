import Foundation
import Testing

@Suite("Uploads: size and type rules")
struct UploadPolicyHTTPTests {
    static let limit = 52_428_800

    @Test func fiftyMegabytesIsAcceptedAndOneByteMoreIsNot() async throws {
        try await TestServer.with { server in
            let record = try #require(try await server.createRecord()["uuid"] as? String)
            let exact = Samples.pdf(size: Self.limit, seed: 11)
            let accepted = try await server.upload("/v1/records/\(record)/attachments", token: server.writeToken, form: .file(fileName: "big.pdf", bytes: exact))
            #expect(accepted.status == 201)
            #expect(try accepted.jsonObject()["size"] as? Int == Self.limit)
            #expect(try accepted.jsonObject()["sha256"] as? String == SHA256Helper.digest(exact).map { String(format: "%02x", $0) }.joined())
            let blobsBefore = Set(try await server.storedBlobs())

            let tooBig = Samples.pdf(size: Self.limit + 1, seed: 12)
            let refused = try await server.upload("/v1/records/\(record)/attachments", token: server.writeToken, form: .file(fileName: "bigger.pdf", bytes: tooBig))
            #expect(refused.status == 413)
            #expect(refused.header("Content-Type") == "application/problem+json")
            #expect(try refused.jsonObject()["code"] as? String == "content_too_large")
            #expect(Set(try await server.storedBlobs()) == blobsBefore)
            #expect(try await server.stagedCount() == 0)
            let list = try await server.send(.GET, "/v1/records/\(record)/attachments", token: server.readToken).jsonObject()
            #expect((list["items"] as? [Any])?.count == 1)
        }
    }

    @Test func disguisedExecutablesAndDisallowedTypesAreRefused() async throws {
        try await TestServer.with { server in
            let record = try #require(try await server.createRecord()["uuid"] as? String)
            let path = "/v1/records/\(record)/attachments"
            let disguised = try await server.upload(path, token: server.writeToken, form: .file(fileName: "invoice.pdf", bytes: Samples.elf))
            #expect(disguised.status == 415)
            #expect(try disguised.jsonObject()["detail"] as? String == "'invoice.pdf' contains executable content, which is never accepted.")
            let exe = try await server.upload(path, token: server.writeToken, form: .file(fileName: "setup.exe", bytes: Samples.pdf()))
            #expect(exe.status == 415)
            let mismatch = try await server.upload(path, token: server.writeToken, form: .file(fileName: "photo.png", bytes: Samples.pdf()))
            #expect(mismatch.status == 415)
            let binaryCSV = try await server.upload(path, token: server.writeToken, form: .file(fileName: "export.csv", bytes: [0, 1, 2, 3] + Samples.text))
            #expect(binaryCSV.status == 415)
            let csv = try await server.upload(path, token: server.writeToken, form: .file(fileName: "export.csv", bytes: Samples.text))
            #expect(csv.status == 201)
            #expect(try csv.jsonObject()["mimeType"] as? String == "text/csv")
            #expect(try await server.storedBlobs().count == 1)
            #expect(try await server.stagedCount() == 0)
        }
    }

    @Test func aRequestWithoutAFileIsRefused() async throws {
        try await TestServer.with { server in
            let record = try #require(try await server.createRecord()["uuid"] as? String)
            var form = MultipartForm()
            form.addField("description", "nothing attached")
            form.close()
            let response = try await server.upload("/v1/records/\(record)/attachments", token: server.writeToken, form: form)
            #expect(response.status == 400)
            #expect(try response.jsonObject()["code"] as? String == "missing_file")
        }
    }
}
