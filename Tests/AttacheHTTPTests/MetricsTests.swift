import AttacheTestSupport
import AttacheCore
import Foundation
import Testing

/// `/metrics` in Prometheus' text format: behind its token, labelled by face and route pattern (never a
/// raw path), with content, refusal, in-flight and store figures that move as the server works.
@Suite("Metrics", .timeLimit(.minutes(3)))
struct MetricsTests {
    /// The scraped samples: `name{labels}` → value.
    static func scrape(_ server: TestServer) async throws -> [String: Double] {
        let response = try await server.send(.GET, "/metrics", headers: [("Authorization", "Bearer \(TestServer.metricsToken)")])
        guard response.status == 200 else { throw TestFailure("/metrics: \(response.status)") }
        #expect(response.header("Content-Type")?.hasPrefix("text/plain; version=0.0.4") == true)
        var samples: [String: Double] = [:]
        for line in response.text.split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else { continue }
            samples[String(line[..<space])] = value
        }
        return samples
    }

    @Test func countersMoveWithTheWorkAndNameRoutesNotPaths() async throws {
        try await TestServer.with { server in
            #expect(try await server.send(.GET, "/metrics").status == 401)
            #expect(try await server.send(.GET, "/metrics", headers: [("Authorization", "Bearer wrong")]).status == 401)

            let contact = try await server.record(type: "contact")
            let stored = try await server.upload("/v1/records/\(contact.uuid)/attachments", token: server.writeToken, form: .file(fileName: "a.pdf", bytes: Samples.pdf(size: 2000))).jsonObject()
            let uuid = try #require(stored["uuid"] as? String)
            #expect(try await server.send(.GET, "/v1/attachments/\(uuid)/download", token: server.readToken).bytes.count == 2000)
            #expect(try await server.upload("/v1/records/\(contact.uuid)/attachments", token: server.writeToken, form: .file(fileName: "x.pdf", bytes: Samples.elf)).status == 415)
            _ = try await BloxsClient.signIn(server)
            _ = try await AuditTests.waitForEvents(server, "&action=file.download", count: 1)

            let samples = try await Self.scrape(server)
            #expect(samples[#"attache_http_requests_total{face="native",route="/v1/records/{uuid}/attachments",method="POST",status="201"}"#] == 1)
            #expect(samples[#"attache_http_requests_total{face="native",route="/v1/records/{uuid}/attachments",method="POST",status="415"}"#] == 1)
            #expect(samples[#"attache_http_requests_total{face="native",route="/v1/attachments/{uuid}/download",method="GET",status="200"}"#] == 1)
            #expect(samples[#"attache_http_requests_total{face="bloxs",route="/Authorization",method="POST",status="200"}"#] == 1)
            #expect(samples[#"attache_http_request_duration_seconds_count{face="native",route="/v1/records",method="POST",status="201"}"#] == 1)
            #expect(samples["attache_upload_bytes_total"] == 2000 && samples["attache_uploaded_files_total"] == 1)
            #expect(samples["attache_download_bytes_total"] == 2000 && samples[#"attache_downloads_total{outcome="complete"}"#] == 1)
            #expect(samples[#"attache_upload_refusals_total{reason="unsupported_media_type"}"#] == 1)
            #expect(samples["attache_uploads_in_flight"] == 0)
            if !TestMetadata.inMemory {
                // The SQL stores time their statements (TimedDatabase); the in-memory fake has none.
                #expect((samples[#"attache_store_duration_seconds_count{store="metadata",operation="insertFiles"}"#] ?? 0) >= 1)
                #expect((samples[#"attache_store_duration_seconds_count{store="metadata",operation="record"}"#] ?? 0) >= 1)
            }
            #expect((samples[#"attache_store_duration_seconds_count{store="blob",operation="open"}"#] ?? 0) == 1)
            #expect((samples[#"attache_store_duration_seconds_count{store="blob",operation="promote"}"#] ?? 0) == 1)
            let text = try await server.send(.GET, "/metrics", headers: [("Authorization", "Bearer \(TestServer.metricsToken)")]).text
            #expect(!text.contains(uuid) && !text.contains(contact.uuid), "labels never hold a raw path")

            _ = try await server.service.collectGarbage(grace: 0)
            _ = try await server.service.verifyBlobs()
            let after = try await Self.scrape(server)
            #expect(after[#"attache_gc_runs_total{outcome="ok"}"#] == 1)
            #expect(after["attache_verify_checked_blobs_total"] == 1 && after["attache_verify_problems_total"] == 0)
        }
    }

    /// A resumable upload's PATCH is an upload in flight while its body arrives; the file counts when stored.
    @Test func resumableUploadsCountAsUploads() async throws {
        try await TestServer.with { server in
            let content = Samples.pdf(size: 8_000_000, seed: 5)
            let path = try await ResumableUploadTests.create(server, length: content.count, metadata: [("filename", "plan.pdf")])
            let connection = try await ResumableUploadTests.startPatch(server, path, content)
            var inFlight: Double?
            for _ in 0..<100 {
                inFlight = try await Self.scrape(server)["attache_uploads_in_flight"]
                if inFlight == 1 { break }
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(inFlight == 1)
            try await connection.send(Array(content[6_000_000...]))
            #expect(try await connection.receive().hasPrefix("HTTP/1.1 204"))
            connection.close()
            let samples = try await Self.scrape(server)
            #expect(samples["attache_uploads_in_flight"] == 0)
            #expect(samples["attache_upload_bytes_total"] == Double(content.count) && samples["attache_uploaded_files_total"] == 1)
            #expect(samples[#"attache_http_requests_total{face="native",route="/v1/uploads/{uuid}",method="PATCH",status="204"}"#] == 1)
        }
    }
}
