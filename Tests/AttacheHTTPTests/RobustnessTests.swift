import AttacheTestSupport
import Foundation
import NIOCore
import Testing

@Suite("Uploads: broken clients and load", .timeLimit(.minutes(3)))
struct RobustnessTests {
    @Test func truncatedMultipartIsRefusedAndNothingIsKept() async throws {
        try await TestServer.with { server in
            let record = try #require(try await server.createRecord()["uuid"] as? String)
            var form = MultipartForm()
            form.addFile("file", fileName: "cut.pdf", bytes: Samples.pdf())
            // No closing delimiter: the body simply ends.
            let response = try await server.send(.POST, "/v1/records/\(record)/attachments", token: server.writeToken, headers: [("Content-Type", form.contentType)], body: form.body)
            #expect(response.status == 400)
            #expect(try response.jsonObject()["code"] as? String == "malformed_upload")
            #expect(try await server.storedBlobs().isEmpty)
            #expect(try await server.stagedCount() == 0)
            #expect(try await server.send(.GET, "/healthz").status == 200)
        }
    }

    @Test func malformedMultipartIsRefused() async throws {
        try await TestServer.with { server in
            let record = try #require(try await server.createRecord()["uuid"] as? String)
            let path = "/v1/records/\(record)/attachments"
            let garbage = try await server.send(.POST, path, token: server.writeToken, headers: [("Content-Type", "multipart/form-data; boundary=xyz")], body: ByteBuffer(string: "this is not multipart at all"))
            #expect(garbage.status == 400)
            let noBoundary = try await server.send(.POST, path, token: server.writeToken, headers: [("Content-Type", "multipart/form-data")], body: ByteBuffer(string: "--x\r\n"))
            #expect(noBoundary.status == 400)
            let longBoundary = String(repeating: "b", count: 71)
            let tooLong = try await server.send(.POST, path, token: server.writeToken, headers: [("Content-Type", "multipart/form-data; boundary=\(longBoundary)")], body: ByteBuffer(string: "--\(longBoundary)--\r\n"))
            #expect(tooLong.status == 400)
            #expect(try await server.send(.GET, "/healthz").status == 200)
        }
    }

    @Test func clientDisconnectingMidUploadLeavesNothing() async throws {
        try await TestServer.with { server in
            let record = try #require(try await server.createRecord()["uuid"] as? String)
            let connection = try RawConnection(port: server.port)
            let boundary = "cut-off"
            try await connection.send(
                "POST /v1/records/\(record)/attachments HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer \(server.writeToken)\r\n"
                    + "Content-Type: multipart/form-data; boundary=\(boundary)\r\nContent-Length: 10000000\r\n\r\n"
                    + "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"half.pdf\"\r\n\r\n"
            )
            // Over S3's 5 MiB part, so the upload is staged in S3 too while it arrives.
            try await connection.send(Samples.pdf(size: 6_000_000))
            var staged = 0
            for _ in 0..<100 {
                staged = try await server.stagedCount()
                if staged > 0 { break }
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(staged == 1, "the upload is being staged")
            connection.close()
            for _ in 0..<50 {
                if try await server.stagedCount() == 0 { break }
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(try await server.stagedCount() == 0)
            #expect(try await server.storedBlobs().isEmpty)
            let list = try await server.send(.GET, "/v1/records/\(record)/attachments", token: server.readToken).jsonObject()
            #expect((list["items"] as? [Any])?.isEmpty == true)
        }
    }

    @Test func twentyParallelUploads() async throws {
        try await TestServer.with { server in
            let record = try #require(try await server.createRecord()["uuid"] as? String)
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for index in 0..<20 {
                    group.addTask {
                        let form = MultipartForm.file(fileName: "doc-\(index).pdf", bytes: Samples.pdf(size: 300_000, seed: UInt8(index)))
                        return try await server.upload("/v1/records/\(record)/attachments", token: server.writeToken, form: form).status
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses == Array(repeating: 201, count: 20))
            let list = try await server.send(.GET, "/v1/records/\(record)/attachments?limit=100", token: server.readToken).jsonObject()
            #expect((list["items"] as? [Any])?.count == 20)
            #expect(try await server.storedBlobs().count == 20)
        }
    }

    @Test func deletesRacingUploadsOfTheSameContentLoseNothing() async throws {
        try await TestServer.with { server in
            let record = try #require(try await server.createRecord()["uuid"] as? String)
            let pdf = Samples.pdf(size: 200_000, seed: 77)
            let path = "/v1/records/\(record)/attachments"
            var previous = try #require(try await server.upload(path, token: server.writeToken, form: .file(fileName: "a.pdf", bytes: pdf)).jsonObject()["uuid"] as? String)
            for _ in 0..<15 {
                let old = previous
                async let deleted = server.send(.DELETE, "/v1/attachments/\(old)", token: server.writeToken)
                async let uploaded = server.upload(path, token: server.writeToken, form: .file(fileName: "a.pdf", bytes: pdf))
                #expect(try await deleted.status == 204)
                let response = try await uploaded
                #expect(response.status == 201)
                previous = try #require(try response.jsonObject()["uuid"] as? String)
                let download = try await server.send(.GET, "/v1/attachments/\(previous)/download", token: server.readToken)
                #expect(download.bytes == pdf)
            }
            let report = try await server.service.verifyBlobs()
            #expect(report.problems.isEmpty)
            #expect(report.checkedBlobs == 1)
            #expect(try await server.storedBlobs().count == 1)
        }
    }
}
