import AttacheTestSupport
import Foundation
import Testing

@Suite("Expect: 100-continue", .timeLimit(.minutes(3)))
struct ExpectContinueTests {
    static func head(path: String, token: String, length: Int, boundary: String) -> String {
        "POST \(path) HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer \(token)\r\nExpect: 100-continue\r\n"
            + "Content-Type: multipart/form-data; boundary=\(boundary)\r\nContent-Length: \(length)\r\n\r\n"
    }

    @Test func serverAsksForTheBodyThenStoresIt() async throws {
        try await TestServer.with { server in
            let record = try #require(try await server.createRecord()["uuid"] as? String)
            let form = MultipartForm.file(fileName: "a.pdf", bytes: Samples.pdf())
            // The upload's answer, on PostgreSQL + S3 (moto) beside a second suite, once took more than 10 s.
            let connection = try RawConnection(port: server.port, receiveTimeout: 60)
            try await connection.send(Self.head(path: "/v1/records/\(record)/attachments", token: server.writeToken, length: form.body.readableBytes, boundary: form.boundary))
            let interim = try await connection.receive()
            #expect(interim.hasPrefix("HTTP/1.1 100 Continue"))
            try await connection.send(Array(form.body.readableBytesView))
            let final = try await connection.receive(until: "}")
            #expect(final.hasPrefix("HTTP/1.1 201"))
        }
    }

    @Test func refusalsComeBeforeTheBody() async throws {
        try await TestServer.with { server in
            let record = try #require(try await server.createRecord()["uuid"] as? String)
            let cases: [(path: String, token: String, length: Int, status: String)] = [
                ("/v1/records/\(record)/attachments", "att_wrong", 1000, "401"),
                ("/v1/records/\(record)/attachments", server.readToken, 1000, "403"),
                ("/v1/records/\(UUID().uuidString)/attachments", server.writeToken, 1000, "404"),
                ("/v1/records/\(record)/attachments", server.writeToken, 60_000_000, "413"),
            ]
            for item in cases {
                let connection = try RawConnection(port: server.port)
                try await connection.send(Self.head(path: item.path, token: item.token, length: item.length, boundary: "b"))
                let answer = try await connection.receive()
                #expect(answer.hasPrefix("HTTP/1.1 \(item.status)"), "\(item.status): \(answer.prefix(40))")
                connection.close()
            }
            #expect(try await server.stagedCount() == 0)
        }
    }
}
